/**
 * The relay's one retry policy for upstream calls that failed before any reply byte: 429, 500 and
 * 503 are tried again with exponential backoff and jitter, honouring the upstream's Retry-After up
 * to a cap (RETRY_AFTER_MAX_MS; a longer wait is the caller's to decide, with the upstream's
 * Retry-After), and never past the request's deadline or after the caller left. The Gemini client
 * (gemini.ts) makes one fetch per call and never retries, so one caller request makes at most
 * 1 + UPSTREAM_MAX_RETRIES upstream calls, fewer when the caller's retry budget says so. The
 * upstream's wait hint is read here too, for this policy and for the Retry-After callers are given.
 */
import { RelayError } from "../errors";

const RETRYABLE = new Set([429, 500, 503]);
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;

export interface RetryPolicy {
  maxRetries: number;
  /** The longest wait (Retry-After or backoff) this policy sits out before trying again. */
  maxWaitMs: number;
  /** Epoch ms after which no attempt may start (the request's upstream deadline). */
  deadlineAt: number;
  signal: AbortSignal;
  onRetry(): void;
}

export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      const wait = retryDelay(err, retry);
      if (
        wait === undefined ||
        retry >= policy.maxRetries ||
        wait > policy.maxWaitMs ||
        Date.now() + wait >= policy.deadlineAt ||
        policy.signal.aborted
      )
        throw err;
      policy.onRetry();
      await sleep(wait, policy.signal);
      // The caller left (or the deadline passed) during the wait: no further attempt is made.
      if (policy.signal.aborted) throw err;
    }
  }
}

/** How long to wait before the next attempt, or undefined when this failure is not worth retrying. */
function retryDelay(err: unknown, retry: number): number | undefined {
  if (!(err instanceof RelayError) || !err.upstream || !RETRYABLE.has(err.upstream.status)) return undefined;
  if (err.upstream.retryAfterMs !== undefined) return err.upstream.retryAfterMs;
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return exponential * (0.5 + Math.random() / 2); // jitter: spread callers that failed together
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/**
 * The upstream's wait hint, from `retry-after-ms` (milliseconds) or `retry-after` (delta-seconds or
 * an IMF-fixdate, RFC 9110), at most RETRY_AFTER_CAP_MS. Anything else is no hint: "-5" is not a
 * date that has passed (retry now) and "1e308" not a wait of Infinity.
 */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get("retry-after-ms")?.trim();
  if (ms !== undefined && /^\d+(?:\.\d+)?$/.test(ms)) return capped(Number(ms));
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return capped(Number(value) * 1000);
  if (!IMF_FIXDATE.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : capped(date - Date.now());
}

/** `Sun, 06 Nov 1994 08:49:37 GMT`: the one date form a sender must use (RFC 9110, 5.6.7). */
const IMF_FIXDATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * The longest wait the relay passes on (a day: Gemini's daily quotas reset within one). The relay
 * itself waits out at most RETRY_AFTER_MAX_MS; this only keeps the header it gives the caller a
 * sane whole number.
 */
const RETRY_AFTER_CAP_MS = 86_400_000;

function capped(ms: number): number {
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, ms));
}

/** The same hint in whole seconds for a Retry-After header (at least 1). */
export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const ms = retryAfterMs(headers);
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}
