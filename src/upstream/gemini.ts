/**
 * The only importer of @google/genai: builds the SDK client from config and maps what the SDK
 * throws to RelayErrors with honest statuses. Every call it makes carries store: false.
 *
 * Bytes, not values: the SDK would JSON.stringify a parsed body and JSON.parse the reply, which
 * rewrites numbers, key order and duplicate keys. So the SDK builds the request (URL, version,
 * headers, the key) and reads failures (typed errors with status and body), while its
 * `httpOptions.fetch` hook sends the body the relay assembled from the bytes it received, and
 * hands the successful reply to the relay unread. See the README, "Byte for byte".
 */
import { GoogleGenAI } from "@google/genai";
import { requireApiKey, type Config } from "../config";
import { RelayError } from "../errors";
import { piecesBlob } from "../json/bytes";
import { serverSentEvents } from "../http/sse-read";
import type { JsonObject } from "../schemas";
import { keyRedactor, type Redactor } from "./redact";
import { readInteraction } from "./reply";
import type { InteractionRequest, Upstream, UpstreamEvent } from "./upstream";

export interface GeminiUpstreamOptions {
  /** The fetch the SDK uses (tests hand in the emulator's); defaults to the global one. */
  fetch?: typeof fetch;
}

type CreateParams = Parameters<GoogleGenAI["interactions"]["create"]>[0];

/** Names the relay's pending call on the SDK's request, so the fetch hook can give it its body. */
const CALL_HEADER = "x-relay-call";

/** One call's body as the relay built it, and the upstream's successful reply, unread (or why there is none). */
interface PendingCall {
  body: Blob;
  stream: boolean;
  response?: Response;
  /** Set by the fetch hook when it refuses the upstream's answer (the SDK would wrap a thrown error). */
  refused?: RelayError;
}

export function geminiUpstream(config: Config, options: GeminiUpstreamOptions = {}): Upstream {
  const apiKey = requireApiKey(config);
  const redactor = keyRedactor(apiKey);
  const baseFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const pending = new Map<string, PendingCall>();
  let calls = 0;

  /** The SDK's fetch: swaps in the relay's body, and keeps a successful reply for the relay to read. */
  async function relayFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const call = pending.get(request.headers.get(CALL_HEADER) ?? "");
    if (!call) throw new Error("The Gemini SDK made a call the relay did not ask for.");
    const headers = new Headers(request.headers);
    headers.delete(CALL_HEADER);
    headers.delete("content-length");
    // Never followed: a redirect would carry the key (and, on a 307, the conversation) to wherever it points.
    const response = await baseFetch(
      new Request(request.url, { method: request.method, headers, body: call.body, signal: request.signal, redirect: "manual" }),
    );
    if (isRedirect(response)) {
      await response.body?.cancel();
      throw (call.refused = redirectRefused(response));
    }
    if (response.status !== 200) return response; // the SDK reads the failure and throws its typed error
    call.response = response;
    const type = response.headers.get("content-type") ?? (call.stream ? "text/event-stream" : "application/json");
    // The SDK gets a stand-in body: the reply's bytes are the relay's to read.
    return new Response(call.stream ? "" : "{}", { status: 200, headers: { "content-type": type } });
  }

  const client = new GoogleGenAI({
    apiKey,
    httpOptions: {
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      ...(config.apiVersion ? { apiVersion: config.apiVersion } : {}),
      fetch: relayFetch,
    },
  });

  /** One HTTP call through the SDK, under the caller's signal and the upstream deadline; failures mapped. */
  async function send(body: Blob, stream: boolean, apiVersion: string | undefined, signal: AbortSignal): Promise<Response> {
    const id = String(++calls);
    const call: PendingCall = { body, stream };
    pending.set(id, call);
    try {
      // The SDK serializes these placeholders; relayFetch sends `body` in their place.
      const params = {
        model: "",
        input: "",
        store: false,
        stream,
        automatic_continuation: false,
        ...(apiVersion ? { api_version: apiVersion } : {}),
      };
      // The relay owns retries and continuation hops: the SDK makes exactly one HTTP call here.
      await client.interactions.create(params as unknown as CreateParams, { maxRetries: 0, signal, headers: { [CALL_HEADER]: id } });
      if (!call.response) throw new Error("The Gemini SDK returned without a reply.");
      return call.response;
    } catch (err) {
      throw call.refused ?? failure(err, signal);
    } finally {
      pending.delete(id);
    }
  }

  const failure = (err: unknown, signal: AbortSignal) => upstreamError(err, { signal, apiKey, timeoutMs: config.upstreamTimeoutMs });

  /** The reply's bytes (the key redacted), read under the same signal (a stall ends in a 504, a disconnect in an abort). */
  async function replyBytes(response: Response, signal: AbortSignal): Promise<Uint8Array> {
    try {
      return redactor.bytes(new Uint8Array(await response.arrayBuffer()));
    } catch (err) {
      throw failure(err, signal);
    }
  }

  return {
    createInteraction: async (request, signal) =>
      readInteraction(await replyBytes(await send(turnBody(request, false), false, undefined, signal), signal), config.maxJsonDepth),

    streamInteraction: async (request, signal) =>
      events(await send(turnBody(request, true), true, undefined, signal), redactor, (err) => failure(err, signal), true),

    forwardInteraction: async (request, signal) => replyBytes(await send(request.body, false, request.apiVersion, signal), signal),

    forwardInteractionStream: async (request, signal) =>
      events(await send(request.body, true, request.apiVersion, signal), redactor, (err) => failure(err, signal), false),

    redact: (bytes) => redactor.bytes(bytes),
  };
}

/** A turn's hop: the caller's members as received, then what only the relay writes. */
function turnBody(request: InteractionRequest, stream: boolean): Blob {
  return piecesBlob([
    "{",
    ...request.members,
    ',"store":false',
    stream ? ',"stream":true' : "",
    request.continuationToken ? `,"continuation_token":${JSON.stringify(request.continuationToken)}` : "",
    "}",
  ]);
}

/**
 * The upstream's SSE events, each with its data text as received (the key redacted: both routes
 * forward these, `error` events included); transport failures become RelayErrors. With
 * `throwOnErrorEvent`, an `error` event is yielded (the relay forwards it) and then ends the stream
 * as the HTTP error it stands for.
 */
async function* events(
  response: Response,
  redactor: Redactor,
  map: (err: unknown) => RelayError,
  throwOnErrorEvent: boolean,
): AsyncIterable<UpstreamEvent> {
  if (!response.body) return;
  try {
    for await (const message of serverSentEvents(response.body)) {
      // `[DONE]` ends the stream, as it ends the SDK's iterator (the drop-in route writes its own).
      if (message.data === "[DONE]") return;
      const event = upstreamEvent(redactor.text(message.data), message.event === undefined ? undefined : redactor.text(message.event));
      yield event;
      if (throwOnErrorEvent && event.type === "error") throw streamErrorEvent(event.value ?? {});
    }
  } catch (err) {
    throw map(err);
  }
}

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

/** An SSE `error` event as the HTTP error it stands for (same code table as unary errors). */
function streamErrorEvent(event: JsonObject): SdkHttpError {
  const error = (typeof event.error === "object" && event.error !== null ? event.error : {}) as { code?: unknown; message?: unknown };
  const status = STATUS_BY_CODE[String(error.code)] ?? 502;
  return { status, error: { error }, message: typeof error.message === "string" ? error.message : "The stream failed." };
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

/** What the SDK's APIError family carries (its classes are not exported, so this reads their fields). */
interface SdkHttpError {
  status: number;
  headers?: Headers;
  /** The parsed body (plus SDK metadata). */
  error?: unknown;
  /** The body text as received. */
  body?: string;
  message: string;
}

function isHttpError(err: unknown): err is SdkHttpError {
  return typeof err === "object" && err !== null && typeof (err as { status?: unknown }).status === "number";
}

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
  if (!isHttpError(err)) {
    return new RelayError(502, "upstream_unavailable", { detail: "The connection to the Gemini API failed or was cut." });
  }
  const redactor = keyRedactor(ctx.apiKey);
  const message = redactor.text(upstreamMessage(err));
  const { status } = err;
  // Kept for the drop-in routes, which answer upstream failures exactly as received.
  const rawBody =
    typeof err.body === "string" ? err.body : JSON.stringify({ error: (err.error as { error?: unknown })?.error ?? { message } });
  const upstream = { status, body: redactor.text(rawBody), retryAfterMs: retryAfterMs(err.headers) };
  if (status === 429) {
    return new RelayError(429, "upstream_rate_limited", {
      detail: `The Gemini API is rate limiting: ${message}`,
      upstream,
      headers: { "retry-after": String(retryAfterSeconds(err.headers) ?? DEFAULT_RETRY_AFTER_SECONDS) },
    });
  }
  if (status === 401 || status === 403) {
    // The caller's request is fine; the relay's own key is not. Saying 401 would blame the caller.
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

function upstreamMessage(err: SdkHttpError): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = body?.error?.message ?? body?.message;
  return typeof message === "string" && message !== "" ? message : String(err.message).replace(/^\d{3} /, "");
}

/** The upstream's wait hint, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get("retry-after-ms"));
  if (headers?.has("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The same hint in whole seconds for a Retry-After header (at least 1). */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = retryAfterMs(headers);
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}
