/**
 * The only importer of @google/genai: builds the SDK client from config and maps what the SDK
 * throws to RelayErrors with honest statuses. Every call it makes carries store: false.
 */
import { GoogleGenAI } from "@google/genai";
import { requireApiKey, type Config } from "../config";
import { RelayError } from "../errors";
import type { JsonObject, StepValue } from "../schemas";
import type { ForwardRequest, InteractionRequest, InteractionResult, Upstream, UpstreamEvent } from "./upstream";

export interface GeminiUpstreamOptions {
  /** The fetch the SDK uses (tests hand in the emulator's); defaults to the global one. */
  fetch?: typeof fetch;
}

type CreateParams = Parameters<GoogleGenAI["interactions"]["create"]>[0];

export function geminiUpstream(config: Config, options: GeminiUpstreamOptions = {}): Upstream {
  const apiKey = requireApiKey(config);
  const client = new GoogleGenAI({
    apiKey,
    httpOptions: {
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      ...(config.apiVersion ? { apiVersion: config.apiVersion } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  });

  /** Runs one SDK call under the caller's signal and the upstream deadline, mapping its failures. */
  async function call<T>(
    params: JsonObject,
    signal: AbortSignal,
    use: (params: CreateParams, options: { maxRetries: number; signal: AbortSignal }, failure: (err: unknown) => RelayError) => Promise<T>,
  ): Promise<T> {
    // `signal` carries the caller's disconnect and the request's upstream deadline (UPSTREAM_TIMEOUT_MS);
    // for a stream it also bounds reading the events, so a stall ends in a 504.
    const failure = (err: unknown) => upstreamError(err, { signal, apiKey, timeoutMs: config.upstreamTimeoutMs });
    try {
      // The relay owns retries and continuation hops: the SDK makes exactly one HTTP call here.
      return await use(params as unknown as CreateParams, { maxRetries: 0, signal }, failure);
    } catch (err) {
      throw failure(err);
    }
  }

  const unary = (params: CreateParams, options: { maxRetries: number; signal: AbortSignal }) =>
    client.interactions.create(params as CreateParams & { stream?: false }, options);
  const streamed = async (params: CreateParams, options: { maxRetries: number; signal: AbortSignal }) =>
    (await client.interactions.create(params as CreateParams & { stream: true }, options)) as AsyncIterable<UpstreamEvent>;

  return {
    createInteraction: (request, signal) =>
      call(turnParams(request, false), signal, async (params, options): Promise<InteractionResult> => {
        const interaction = await unary(params, options);
        return {
          id: interaction.id,
          status: interaction.status,
          steps: (interaction.steps ?? []) as unknown as StepValue[],
          usage: interaction.usage,
          continuationToken: (interaction as { continuation_token?: string }).continuation_token,
        };
      }),

    streamInteraction: (request, signal) =>
      call(turnParams(request, true), signal, async (params, options, failure) => events(await streamed(params, options), failure, true)),

    forwardInteraction: (request, signal) =>
      call(forwardParams(request), signal, async (params, options) => {
        const interaction = await unary(params, options);
        // The body as the upstream sent it, without the fields the SDK adds (output_text, sdkHttpResponse, ...).
        return (await interaction.sdkHttpResponse!.json()) as JsonObject;
      }),

    forwardInteractionStream: (request, signal) =>
      call(forwardParams(request), signal, async (params, options, failure) => events(await streamed(params, options), failure, false)),
  };
}

/** A turn's hop: the caller's fields first, so nothing they send can override model, input or store. */
function turnParams(request: InteractionRequest, stream: boolean): JsonObject {
  const params: JsonObject = {
    ...request.passthrough,
    model: request.model,
    input: request.input,
    store: false,
    // One hop per call: the relay runs continuation itself so unary and streamed turns agree.
    automatic_continuation: false,
  };
  if (stream) params.stream = true;
  if (request.continuationToken) params.continuation_token = request.continuationToken;
  return params;
}

/** A drop-in body as the caller's SDK sent it, with store forced off; the caller's SDK runs its own continuation. */
function forwardParams(request: ForwardRequest): JsonObject {
  return { ...request.body, store: false, automatic_continuation: false, api_version: request.apiVersion };
}

/**
 * Yields the upstream's events as received; transport failures become RelayErrors. With
 * `throwOnErrorEvent`, an `error` event is yielded (the relay forwards it) and then ends the
 * stream as the HTTP error it stands for.
 */
async function* events(source: AsyncIterable<UpstreamEvent>, map: (err: unknown) => RelayError, throwOnErrorEvent: boolean): AsyncIterable<UpstreamEvent> {
  try {
    for await (const event of source) {
      yield event;
      if (throwOnErrorEvent && typeof event === "object" && event !== null && event.event_type === "error") throw streamErrorEvent(event);
    }
  } catch (err) {
    throw map(err);
  }
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
  const message = redact(upstreamMessage(err), ctx.apiKey);
  const { status } = err;
  // Kept for the drop-in routes, which answer upstream failures exactly as received.
  const rawBody = typeof err.body === "string" ? err.body : JSON.stringify({ error: (err.error as { error?: unknown })?.error ?? { message } });
  const upstream = { status, body: redact(rawBody, ctx.apiKey), retryAfterMs: retryAfterMs(err.headers) };
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

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join("[redacted]") : text;
}
