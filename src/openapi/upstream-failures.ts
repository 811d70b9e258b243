/**
 * Upstream failures as the relay answers them in the examples: each made by the adapter's own mapping
 * (upstreamError in ../upstream/gemini.ts) from what the SDK throws, under the default settings, so the
 * document shows what the code says, not a copy of it.
 */
import { readConfig } from "../config";
import type { RelayError } from "../errors";
import { upstreamError } from "../upstream/gemini";

/** What the SDK throws for an HTTP failure: the status and Google's error body. */
function sdkFailure(status: number, message: string) {
  return { status, headers: new Headers(), error: { error: { message } }, message: `${status} ${message}` };
}

function mapped(err: unknown, signal: AbortSignal = new AbortController().signal): RelayError {
  return upstreamError(err, { signal, apiKey: "", timeoutMs: readConfig({ AUTH_MODE: "none" }).upstreamTimeoutMs });
}

export const upstreamFailure = {
  /** Gemini answered this 4xx (other than 401, 403, 408, 429). */
  rejected: (status: number, message: string) => mapped(sdkFailure(status, message)),
  rateLimited: (message: string) => mapped(sdkFailure(429, message)),
  /** Gemini answered 5xx. */
  failed: (status: number, message: string) => mapped(sdkFailure(status, message)),
  /** Gemini refused the relay's own API key. */
  keyRefused: (message: string) => mapped(sdkFailure(401, message)),
  /** The connection failed or was cut (the SDK's fetch threw). */
  unreachable: () => mapped(new TypeError("fetch failed")),
  /** UPSTREAM_TIMEOUT_MS passed. */
  timedOut: () => mapped(new Error("aborted"), AbortSignal.abort(new DOMException("The operation timed out.", "TimeoutError"))),
};
