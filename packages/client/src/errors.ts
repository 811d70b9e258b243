/**
 * The client's errors: one base class, the relay's problem details as a typed error, and the ways
 * an exchange can fail without one (no connection, a timeout, a response that is not the API's).
 */
import type { ProblemCode, ProblemItem } from "./wire.js";

/**
 * Base class of every error the client throws (an abort through your own signal rethrows the
 * signal's reason instead, as `fetch` does).
 *
 * @example
 * try { await client.turn(params); } catch (err) { if (err instanceof RelayClientError) console.error(err.message); }
 */
export class RelayClientError extends Error {
  override name = "RelayClientError";
}

/**
 * The relay answered with RFC 9457 problem details: an HTTP error, or a `turn.error` event that
 * ended a stream. `code` is the stable machine-readable part; `errors` locate what was wrong in
 * the request body (JSON pointers); `requestId` is what to quote when reporting a problem.
 *
 * @example
 * try { await client.turn(params); } catch (err) {
 *   if (err instanceof RelayApiError && err.code === "invalid_request") for (const e of err.errors) console.error(e.path, e.message);
 * }
 */
export class RelayApiError extends RelayClientError {
  override name = "RelayApiError";
  /** HTTP status (for a `turn.error`, the status the problem carries). */
  readonly status: number;
  /** The relay's problem code, e.g. `invalid_request` or `upstream_rate_limited` (`http_<status>` when the body was not a problem). */
  readonly code: ProblemCode | (string & {});
  readonly title: string;
  readonly type: string;
  readonly detail: string;
  /** Findings with a JSON pointer into the request body; empty when the problem has none. */
  readonly errors: ProblemItem[];
  /** From the problem's `request_id`, or the `Request-Id` / `X-Request-Id` response header. */
  readonly requestId?: string | undefined;
  /** The wait the relay asked for (Retry-After), in milliseconds. */
  readonly retryAfterMs?: number | undefined;
  /** True when the error came from a `turn.error` event after the stream had started. */
  readonly streamed: boolean;
  /** The parsed body as received (problem details, or whatever else came back). */
  readonly body: unknown;

  constructor(init: {
    status: number;
    code: string;
    title: string;
    type?: string | undefined;
    detail: string;
    errors?: ProblemItem[] | undefined;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
    streamed?: boolean | undefined;
    body?: unknown | undefined;
  }) {
    const findings = init.errors ?? [];
    const where =
      findings.length > 0 && !init.detail.includes(findings[0]!.path)
        ? ` (${findings.map((e) => `${e.path || "body"} ${e.message}`).join("; ")})`
        : "";
    super(`${init.status} ${init.code}: ${init.detail}${where}`);
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.type = init.type ?? `urn:gemini-relay:problem:${init.code}`;
    this.detail = init.detail;
    this.errors = findings;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.streamed = init.streamed ?? false;
    this.body = init.body;
  }
}

/**
 * The relay could not be reached, or the connection broke before the turn finished (`cause` holds
 * the underlying error). Nothing was answered; for a unary turn it is safe to send again.
 *
 * @example
 * catch (err) { if (err instanceof RelayConnectionError) console.error(`${err.message} Is the relay running?`); }
 */
export class RelayConnectionError extends RelayClientError {
  override name = "RelayConnectionError";
  /** The URL that was being requested. */
  readonly url: string;
  constructor(message: string, url: string, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
  }
}

/**
 * No answer within `timeoutMs` (for a stream: no byte for `timeoutMs`, keep-alives included).
 *
 * @example
 * const client = createRelayClient({ baseUrl, timeoutMs: 30_000 });
 * catch (err) { if (err instanceof RelayTimeoutError) console.error("The relay took too long."); }
 */
export class RelayTimeoutError extends RelayConnectionError {
  override name = "RelayTimeoutError";
  readonly timeoutMs: number;
  constructor(url: string, timeoutMs: number) {
    super(`No answer from ${url} within ${timeoutMs} ms.`, url);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The response was not what this API sends (wrong content type, malformed JSON, a stream that
 * ended without `turn.completed`): usually a proxy or a wrong `baseUrl`.
 *
 * @example
 * catch (err) { if (err instanceof RelayProtocolError) console.error("Is baseUrl pointing at a gemini-relay?", err.message); }
 */
export class RelayProtocolError extends RelayClientError {
  override name = "RelayProtocolError";
}

/** @internal The RelayApiError for a non-2xx response (reads the body). */
export async function errorFromResponse(res: Response): Promise<RelayApiError> {
  const text = await res.text().catch(() => "");
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return problemError(body, {
    status: res.status,
    statusText: res.statusText,
    requestId: requestIdOf(res.headers),
    retryAfterMs: retryAfterMs(res.headers),
  });
}

/** @internal A RelayApiError from a problem-details body (or anything else, described by `fallback`). */
export function problemError(
  body: unknown,
  fallback: {
    status: number;
    statusText?: string | undefined;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
    streamed?: boolean | undefined;
  },
): RelayApiError {
  const problem = (typeof body === "object" && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const status = Number.isInteger(problem.status) ? (problem.status as number) : fallback.status;
  const code = str(problem.code) ?? `http_${status}`;
  const snippet = typeof body === "string" ? body.trim().slice(0, 200) : "";
  return new RelayApiError({
    status,
    code,
    title: str(problem.title) ?? fallback.statusText ?? "Request failed",
    type: str(problem.type),
    detail:
      str(problem.detail) ??
      (snippet || `The relay answered ${status}${fallback.statusText ? ` ${fallback.statusText}` : ""} without problem details.`),
    errors: Array.isArray(problem.errors) ? problem.errors.filter(isProblemItem) : [],
    requestId: str(problem.request_id) ?? fallback.requestId,
    retryAfterMs: fallback.retryAfterMs,
    streamed: fallback.streamed,
    body,
  });
}

function isProblemItem(item: unknown): item is ProblemItem {
  return (
    typeof item === "object" &&
    item !== null &&
    typeof (item as ProblemItem).path === "string" &&
    typeof (item as ProblemItem).message === "string"
  );
}

/** @internal The request id a response carries in its headers. */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get("request-id") ?? headers.get("x-request-id") ?? undefined;
}

/** @internal Milliseconds from `retry-after-ms`, or `retry-after` (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms);
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
