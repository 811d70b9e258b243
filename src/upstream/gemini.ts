/**
 * The relay's Gemini client: one `fetch` per upstream call, built as @google/genai builds the same
 * call (URL, method, headers, the key in x-goog-api-key; test/upstream/sdk-conformance.test.ts holds
 * the two to each other), and Gemini's failure answers mapped to RelayErrors with honest statuses.
 * Every call it makes carries store: false.
 *
 * Bytes, not values: the body sent is the bytes the relay assembled from what the caller sent, and a
 * successful reply goes to the relay unread. The SDK is not used at run time, only its types: driving
 * it took placeholder parameters, a body swapped in through its fetch hook and a stand-in reply, to
 * get a URL, three headers and an error mapping, and it was 933 KiB of a 1,479 KiB Worker. See the
 * docs/api.md, "Byte for byte".
 */
import type { Interactions } from "@google/genai";
import { requireApiKey, type Config } from "../config";
import { RelayError } from "../errors";
import { joinPieces, piecesBody, type JsonBody } from "../json/bytes";
import { JsonScanner, decodeUtf8 } from "../json/scan";
import { SseSyntaxError, serverSentEvents } from "../http/sse-read";
import type { JsonObject } from "../schemas";
import { readAtMost } from "./read";
import { keyRedactor, splitKeyGuard, type Redactor, type SplitKeyGuard } from "./redact";
import { malformedReply, readInteraction } from "./reply";
import { retryAfterMs, retryAfterSeconds } from "./retry";
import type { InteractionRequest, Upstream, UpstreamEvent } from "./upstream";

export interface GeminiUpstreamOptions {
  /** The fetch the client uses (tests hand in the emulator's); defaults to the global one. */
  fetch?: typeof fetch;
  /** The most bytes a unary reply or one streamed event may have; defaults to replyLimit(config). */
  maxReplyBytes?: number;
}

/**
 * The most bytes the relay reads of a reply, or of one event of a streamed one: twice MAX_BODY_BYTES,
 * at least 16 MiB. A reply goes back as history in the caller's next request, which MAX_BODY_BYTES
 * bounds with the rest of the history, so no reply a caller can use comes near it; past it, the
 * upstream's bytes would only grow the relay's memory (a 502, not a crash).
 */
export function replyLimit(config: Pick<Config, "maxBodyBytes">): number {
  return Math.max(2 * config.maxBodyBytes, 16 * 1024 * 1024);
}

/** How much of a failure answer's body the relay reads (Google's are a few hundred bytes); the rest is dropped. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Where the SDK sends its calls when no base URL is set. */
const GOOGLE_BASE_URL = "https://generativelanguage.googleapis.com";
/** The version segment when GEMINI_API_VERSION is unset: the default of @google/genai 2.x (3.x's is v1), which the relay has always sent. */
const DEFAULT_API_VERSION = "v1beta";
/** Names the sender where the SDK names itself (`google-genai-sdk/<version> gl-node/<runtime>`): Google counts usage by it. */
const CLIENT_NAME = "gemini-relay";

const JSON_TYPE = "application/json";
const SSE_TYPE = "text/event-stream";

export function geminiUpstream(config: Config, options: GeminiUpstreamOptions = {}): Upstream {
  const apiKey = requireApiKey(config);
  const redactor = keyRedactor(apiKey);
  const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const url = interactionsUrl(config.baseUrl);
  const maxReplyBytes = options.maxReplyBytes ?? replyLimit(config);
  const headers = { "content-type": JSON_TYPE, "user-agent": CLIENT_NAME, "x-goog-api-client": CLIENT_NAME, "x-goog-api-key": apiKey };
  const failure = (err: unknown, signal: AbortSignal) => upstreamError(err, { signal, apiKey, timeoutMs: config.upstreamTimeoutMs });

  /** One HTTP call, under the caller's signal and the upstream deadline: the 200 reply unread, or the failure mapped. */
  async function send(body: JsonBody, stream: boolean, apiVersion: string | undefined, signal: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await baseFetch(url(apiVersion ?? config.apiVersion ?? DEFAULT_API_VERSION), {
        method: "POST",
        headers: { ...headers, accept: stream ? SSE_TYPE : JSON_TYPE },
        body,
        signal,
        // Never followed: a redirect would carry the key (and, on a 307, the conversation) to wherever it points.
        redirect: "manual",
      });
    } catch (err) {
      throw failure(err, signal);
    }
    if (response.status === 200) return expectType(response, stream ? SSE_TYPE : JSON_TYPE, redactor);
    if (isRedirect(response)) {
      await response.body?.cancel();
      throw redirectRefused(response);
    }
    // A body that cannot be read still fails with its status (or, once the signal fired, as a timeout or a disconnect).
    // Read past the bound by the key's longest spelling and redacted before the cut: no key passed on in part.
    const { text, cut } = await readAtMost(response, MAX_ERROR_BODY_BYTES + 3 * apiKey.length)
      .then(({ bytes, whole }) => {
        const redacted = redactor.text(new TextDecoder().decode(bytes));
        return { text: whole ? redacted : redacted.slice(0, MAX_ERROR_BODY_BYTES), cut: !whole };
      })
      .catch(() => ({ text: "", cut: false }));
    throw failure({ status: response.status, headers: response.headers, body: text, cut } satisfies HttpFailure, signal);
  }

  /** The reply's bytes (the key redacted), read under the same signal (a stall ends in a 504, a disconnect in an abort). */
  async function replyBytes(response: Response, signal: AbortSignal): Promise<Uint8Array> {
    try {
      const { bytes, whole } = await readAtMost(response, maxReplyBytes);
      if (!whole) throw malformedReply(`a reply larger than ${maxReplyBytes} bytes`);
      return redactor.bytes(bytes);
    } catch (err) {
      throw failure(err, signal);
    }
  }

  /** How one stream's events are read: its own guard for a key cut across text deltas. */
  const reading = (): EventReading => ({ redactor, guard: splitKeyGuard(apiKey, withDeltaText), maxEventBytes: maxReplyBytes });

  return {
    createInteraction: async (request, signal) =>
      readInteraction(await replyBytes(await send(turnBody(request, false), false, undefined, signal), signal), config.maxJsonDepth),

    streamInteraction: async (request, signal) =>
      events(await send(turnBody(request, true), true, undefined, signal), reading(), (err) => failure(err, signal), true),

    forwardInteraction: async (request, signal) => replyBytes(await send(request.body, false, request.apiVersion, signal), signal),

    forwardInteractionStream: async (request, signal) =>
      events(await send(request.body, true, request.apiVersion, signal), reading(), (err) => failure(err, signal), false),

    redact: (bytes) => redactor.bytes(bytes),
  };
}

/**
 * The create URL for a version segment, as the SDK builds it: the base URL's path without trailing
 * slashes, then `/{version}/interactions`; the base URL's query is kept, its fragment dropped.
 */
function interactionsUrl(baseUrl: string | undefined): (apiVersion: string) => string {
  const url = new URL(baseUrl ?? GOOGLE_BASE_URL);
  const prefix = url.pathname.replace(/\/+$/, "");
  url.hash = "";
  return (apiVersion) => {
    url.pathname = `${prefix}/${encodeURIComponent(apiVersion)}/interactions`;
    return url.href;
  };
}

/** A 200 of the type asked for (or of none) goes to the relay; any other type is no answer to this call. */
async function expectType(response: Response, wanted: string, redactor: Redactor): Promise<Response> {
  const type = response.headers.get("content-type");
  if (type === null || type.split(";")[0]!.trim().toLowerCase() === wanted) return response;
  await response.body?.cancel();
  throw malformedReply(`a 200 reply of type ${redactor.text(type)} where ${wanted} was asked for`);
}

/** The members only the relay writes, named as the SDK's create params name them (a rename there fails tsc here). */
type RelayWritten = Pick<Interactions.InteractionCreateParams, "store" | "stream" | "continuation_token">;

/** A turn's hop: the caller's members as received, then what only the relay writes. */
function turnBody(request: InteractionRequest, stream: boolean): JsonBody {
  const written: RelayWritten = {
    store: false,
    ...(stream ? { stream: true } : {}),
    ...(request.continuationToken ? { continuation_token: request.continuationToken } : {}),
  };
  return piecesBody(["{", ...request.members, ",", JSON.stringify(written).slice(1)]);
}

/**
 * The upstream's SSE events, each with its data text as received (the key redacted: both routes
 * forward these, `error` events included); transport failures become RelayErrors. With
 * `throwOnErrorEvent`, an `error` event is yielded (the relay forwards it) and then ends the stream
 * as the HTTP error it stands for.
 */
async function* events(
  response: Response,
  { redactor, guard, maxEventBytes }: EventReading,
  map: (err: unknown) => RelayError,
  throwOnErrorEvent: boolean,
): AsyncIterable<UpstreamEvent> {
  if (!response.body) return;
  try {
    for await (const message of serverSentEvents(response.body, { maxEventBytes })) {
      // `[DONE]` ends the stream, as it ends the SDK's iterator (the drop-in route writes its own).
      if (message.data === "[DONE]") break;
      const event = upstreamEvent(redactor.text(message.data), message.event === undefined ? undefined : redactor.text(message.event));
      yield* guard.accept(event);
      if (throwOnErrorEvent && event.type === "error") throw streamErrorEvent(event.value ?? {});
    }
    yield* guard.flush();
  } catch (err) {
    yield* guard.flush();
    // A stream that is no event stream (cut inside an event, too large, not UTF-8) is a malformed reply.
    throw map(err instanceof SseSyntaxError ? malformedReply(`an event stream the relay cannot read: ${err.message}`) : err);
  }
}

interface EventReading {
  redactor: Redactor;
  guard: SplitKeyGuard;
  maxEventBytes: number;
}

/** A text delta with `text` in place of its `delta.text` (the key's pieces taken out): every other byte as received. */
function withDeltaText(event: UpstreamEvent, text: string): UpstreamEvent {
  const bytes = new TextEncoder().encode(event.data);
  const scanner = new JsonScanner(bytes, UPSTREAM_EVENT_DEPTH);
  const delta = scanner
    .rootObject()
    .filter((member) => member.key === "delta")
    .at(-1)!;
  const value = scanner
    .object(delta.value.start, 2)
    .members.filter((member) => member.key === "text")
    .at(-1)!.value;
  const data = decodeUtf8(joinPieces([bytes.subarray(0, value.start), JSON.stringify(text), bytes.subarray(value.end)]));
  return upstreamEvent(data, event.type);
}

/** Nesting a text delta's data is read to (it has three levels; anything deeper is skipped over, not read). */
const UPSTREAM_EVENT_DEPTH = 10_000;

function upstreamEvent(data: string, sseName: string | undefined): UpstreamEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    value = undefined;
  }
  const object = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
  const type = typeof object?.event_type === "string" ? object.event_type : (sseName ?? "message");
  return { type, data, ...(object ? { value: object } : {}) };
}

/** 3xx, or what a browser-style fetch gives for a redirect it was told not to follow. */
function isRedirect(response: Response): boolean {
  return (response.status >= 300 && response.status < 400) || (response.type as string) === "opaqueredirect";
}

/** Says the status, never the Location (a proxy could put anything in it). */
function redirectRefused(response: Response): RelayError {
  return new RelayError(502, "upstream_unavailable", {
    detail: `The Gemini API answered with a redirect (${response.status || "opaque"}); the relay does not follow redirects, so neither the request nor its key went anywhere else. Check GEMINI_BASE_URL.`,
  });
}

/** An SSE `error` event as the HTTP failure it stands for (same code table as unary errors), its `error` as the body. */
function streamErrorEvent(event: JsonObject): HttpFailure {
  const error: Interactions.ErrorEvent["error"] = typeof event.error === "object" && event.error !== null ? event.error : {};
  return { status: STATUS_BY_CODE[String(error?.code)] ?? 502, body: JSON.stringify({ error }) };
}

/** Google's Interactions error codes and their HTTP statuses (api-errors reference). */
const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  failed_precondition: 400,
  parameter_unknown: 400,
  authentication: 401,
  payment_required: 402,
  permission_denied: 403,
  not_found: 404,
  model_not_found: 404,
  already_exists: 409,
  aborted: 409,
  rate_limit_exceeded: 429,
  quota_exceeded: 429,
  too_many_requests: 429,
  api_error: 500,
  unimplemented: 501,
  service_unavailable: 503,
  deadline_exceeded: 504,
  gateway_timeout: 504,
};

interface FailureContext {
  signal: AbortSignal;
  apiKey: string;
  timeoutMs: number;
}

/** A failure answer from Gemini: its status, its headers and its body as received (an SSE `error` event: its `error` as the body). */
export interface HttpFailure {
  status: number;
  headers?: Headers;
  body: string;
  /** The body went on past what the relay reads (`body` is its start). */
  cut?: boolean;
}

function isHttpFailure(err: unknown): err is HttpFailure {
  return (
    typeof err === "object" &&
    err !== null &&
    typeof (err as { status?: unknown }).status === "number" &&
    typeof (err as { body?: unknown }).body === "string"
  );
}

/** What an upstream call threw or answered (an HttpFailure), as the RelayError the caller gets: honest status, no key. */
export function upstreamError(err: unknown, ctx: FailureContext): RelayError {
  if (err instanceof RelayError) return err;
  if (ctx.signal.aborted && !isTimeout(ctx.signal.reason)) {
    return new RelayError(499 as never, "client_closed", { detail: "The caller closed the request; the upstream call was aborted." });
  }
  if (ctx.signal.aborted) {
    return new RelayError(504, "upstream_timeout", {
      detail: `The Gemini API did not answer within ${ctx.timeoutMs} ms (UPSTREAM_TIMEOUT_MS).`,
    });
  }
  if (!isHttpFailure(err)) {
    return new RelayError(502, "upstream_unavailable", { detail: "The connection to the Gemini API failed or was cut." });
  }
  const redactor = keyRedactor(ctx.apiKey);
  const { status } = err;
  // Kept for the drop-in routes, which answer upstream failures exactly as received.
  const body = redactor.text(err.body);
  // Redacted again once read: JSON escapes may spell the key in a way the body's text does not.
  const message = redactor.text(upstreamMessage(body, err.headers));
  const upstream = { status, body, retryAfterMs: retryAfterMs(err.headers), ...(err.cut ? { cut: true } : {}) };
  if (status === 429) {
    return new RelayError(429, "upstream_rate_limited", {
      detail: `The Gemini API is rate limiting: ${message}`,
      upstream,
      headers: { "retry-after": String(retryAfterSeconds(err.headers) ?? DEFAULT_RETRY_AFTER_SECONDS) },
    });
  }
  if (status === 401 || status === 403 || (status === 400 && isKeyInvalid(body))) {
    // The caller's request is fine; the relay's own key is not. Saying 401 (or passing on Google's
    // 400 for a bad key) would blame the caller.
    return new RelayError(502, "upstream_auth_failed", { detail: `The Gemini API refused the relay's API key: ${message}` });
  }
  if (status === 408 || status === 504) {
    return new RelayError(504, "upstream_timeout", { detail: `The Gemini API timed out: ${message}`, upstream });
  }
  if (status >= 400 && status < 500) {
    return new RelayError(status as 400, "upstream_rejected", { detail: message, upstream });
  }
  const retryAfter = retryAfterSeconds(err.headers);
  return new RelayError(502, "upstream_unavailable", {
    detail: `The Gemini API failed with ${status}: ${message}`,
    upstream,
    ...(retryAfter !== undefined ? { headers: { "retry-after": String(retryAfter) } } : {}),
  });
}

/** AbortSignal.timeout aborts with a TimeoutError; a caller's disconnect with an AbortError. */
function isTimeout(reason: unknown): boolean {
  return reason instanceof DOMException ? reason.name === "TimeoutError" : (reason as { name?: unknown })?.name === "TimeoutError";
}

/** Used when a 429 carries no hint: long enough not to hammer, short enough to feel live. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Google's answer to a key it does not accept: 400 INVALID_ARGUMENT whose `error.details[]` carry an
 * ErrorInfo with reason API_KEY_INVALID (the status alone is every bad request's).
 */
function isKeyInvalid(body: string): boolean {
  let parsed: { error?: { details?: unknown } } | undefined;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return false;
  }
  const details = typeof parsed === "object" && parsed !== null ? parsed.error?.details : undefined;
  return (
    Array.isArray(details) &&
    details.some((d) => typeof d === "object" && d !== null && (d as { reason?: unknown }).reason === "API_KEY_INVALID")
  );
}

/** Google's `error.message` (or a top-level `message`); else what the body is, so the detail still says something. */
function upstreamMessage(body: string, headers: Headers | undefined): string {
  let parsed: { message?: unknown; error?: { message?: unknown } } | undefined;
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  const message = typeof parsed === "object" && parsed !== null ? (parsed.error?.message ?? parsed.message) : undefined;
  if (typeof message === "string" && message !== "") return message;
  const text = body.replace(/\s+/g, " ").trim();
  if (text === "") return "no error message (empty body)";
  const type = headers?.get("content-type");
  return `no error message${type ? ` (${type})` : ""}: ${text.length > MAX_BODY_QUOTED ? `${text.slice(0, MAX_BODY_QUOTED)}…` : text}`;
}

/** How much of a body without an error message (an HTML page, a cut-off reply) a detail quotes. */
const MAX_BODY_QUOTED = 200;
