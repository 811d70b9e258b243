/**
 * Upstream failures as the relay answers them in the examples: each made by the adapter's own mapping
 * (upstreamError in ../upstream/gemini.ts) from what Gemini answers, under the default settings, so the
 * document shows what the code says, not a copy of it.
 */
import { readConfig } from "../config";
import type { RelayError } from "../errors";
import { upstreamError, type HttpFailure } from "../upstream/gemini";

/** Gemini's answer for an HTTP failure: the status and Google's error body. */
function httpFailure(status: number, message: string): HttpFailure {
  return { status, headers: new Headers(), body: JSON.stringify({ error: { message } }) };
}

function mapped(err: unknown, signal: AbortSignal = new AbortController().signal): RelayError {
  return upstreamError(err, { signal, apiKey: "", timeoutMs: readConfig({ AUTH_MODE: "none" }).upstreamTimeoutMs });
}

export const upstreamFailure = {
  /** Gemini answered this 4xx (other than 401, 403, 408, 429). */
  rejected: (status: number, message: string) => mapped(httpFailure(status, message)),
  rateLimited: (message: string) => mapped(httpFailure(429, message)),
  /** Gemini answered 5xx. */
  failed: (status: number, message: string) => mapped(httpFailure(status, message)),
  /** Gemini refused the relay's own API key. */
  keyRefused: (message: string) => mapped(httpFailure(401, message)),
  /** The connection failed or was cut (fetch threw). */
  unreachable: () => mapped(new TypeError("fetch failed")),
  /** UPSTREAM_TIMEOUT_MS passed. */
  timedOut: () => mapped(new Error("aborted"), AbortSignal.abort(new DOMException("The operation timed out.", "TimeoutError"))),
};
