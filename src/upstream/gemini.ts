/**
 * The only importer of @google/genai: builds the SDK client from config and maps what the SDK
 * throws to RelayErrors with honest statuses. Every call it makes carries store: false.
 */
import { GoogleGenAI } from "@google/genai";
import type { Config } from "../config";
import { RelayError } from "../errors";
import type { StepValue } from "../schemas";
import type { InteractionRequest, InteractionResult, Upstream } from "./upstream";

export interface GeminiUpstreamOptions {
  /** The fetch the SDK uses (tests and local dev hand in the emulator's); defaults to the global one. */
  fetch?: typeof fetch;
}

export function geminiUpstream(config: Config, options: GeminiUpstreamOptions = {}): Upstream {
  const client = new GoogleGenAI({
    apiKey: config.apiKey,
    httpOptions: {
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      ...(config.apiVersion ? { apiVersion: config.apiVersion } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    },
  });

  return {
    async createInteraction(request: InteractionRequest, signal: AbortSignal): Promise<InteractionResult> {
      const deadline = AbortSignal.timeout(config.upstreamTimeoutMs);
      try {
        const interaction = await client.interactions.create(
          // The caller's fields go first so nothing they send can override model, input or store.
          { ...request.passthrough, model: request.model, input: request.input, store: false } as Parameters<
            typeof client.interactions.create
          >[0] & { stream?: false },
          // The relay owns the retry policy: one caller request is one upstream call.
          { maxRetries: 0, signal: AbortSignal.any([signal, deadline]) },
        );
        return {
          id: interaction.id,
          status: interaction.status,
          steps: (interaction.steps ?? []) as unknown as StepValue[],
          usage: withoutSdkFields(interaction.usage),
        };
      } catch (err) {
        throw upstreamError(err, { deadline, caller: signal, apiKey: config.apiKey, timeoutMs: config.upstreamTimeoutMs });
      }
    },
  };
}

/** The SDK adds `initial_input_tokens` to usage; it never comes from the wire. */
function withoutSdkFields(usage: unknown): unknown {
  if (typeof usage !== "object" || usage === null || !("initial_input_tokens" in usage)) return usage;
  const { initial_input_tokens: _sdkOnly, ...wire } = usage as Record<string, unknown>;
  return wire;
}

interface FailureContext {
  deadline: AbortSignal;
  caller: AbortSignal;
  apiKey: string;
  timeoutMs: number;
}

/** What the SDK's APIError family carries (its classes are not exported, so this reads their fields). */
interface SdkHttpError {
  status: number;
  headers?: Headers;
  error?: unknown;
  message: string;
}

function isHttpError(err: unknown): err is SdkHttpError {
  return typeof err === "object" && err !== null && typeof (err as { status?: unknown }).status === "number";
}

export function upstreamError(err: unknown, ctx: FailureContext): RelayError {
  if (ctx.caller.aborted) {
    return new RelayError(499 as never, "client_closed", { detail: "The caller closed the request; the upstream call was aborted.", cause: err });
  }
  if (ctx.deadline.aborted) {
    return new RelayError(504, "upstream_timeout", {
      detail: `The Gemini API did not answer within ${ctx.timeoutMs} ms (UPSTREAM_TIMEOUT_MS).`,
    });
  }
  if (!isHttpError(err)) {
    return new RelayError(502, "upstream_unavailable", { detail: "The Gemini API could not be reached." });
  }
  const message = redact(upstreamMessage(err), ctx.apiKey);
  const { status } = err;
  if (status === 429) {
    return new RelayError(429, "upstream_rate_limited", {
      detail: `The Gemini API is rate limiting: ${message}`,
      headers: { "retry-after": String(retryAfterSeconds(err.headers) ?? DEFAULT_RETRY_AFTER_SECONDS) },
    });
  }
  if (status === 401 || status === 403) {
    // The caller's request is fine; the relay's own key is not. Saying 401 would blame the caller.
    return new RelayError(502, "upstream_auth_failed", { detail: `The Gemini API refused the relay's API key: ${message}` });
  }
  if (status === 408 || status === 504) {
    return new RelayError(504, "upstream_timeout", { detail: `The Gemini API timed out: ${message}` });
  }
  if (status >= 400 && status < 500) {
    return new RelayError(status as 400, "upstream_rejected", { detail: message });
  }
  const retryAfter = retryAfterSeconds(err.headers);
  return new RelayError(502, "upstream_unavailable", {
    detail: `The Gemini API failed with ${status}: ${message}`,
    ...(retryAfter !== undefined ? { headers: { "retry-after": String(retryAfter) } } : {}),
  });
}

/** Used when a 429 carries no hint: long enough not to hammer, short enough to feel live. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

function upstreamMessage(err: SdkHttpError): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = body?.error?.message ?? body?.message;
  return typeof message === "string" && message !== "" ? message : err.message.replace(/^\d{3} /, "");
}

/** Seconds to wait, from `retry-after-ms` or `retry-after` (seconds or an HTTP date), rounded up. */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get("retry-after-ms"));
  if (headers?.has("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return Math.max(1, Math.ceil(ms / 1000));
  const value = headers?.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(1, Math.ceil((date - Date.now()) / 1000));
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join("[redacted]") : text;
}
