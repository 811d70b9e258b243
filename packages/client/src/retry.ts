/**
 * When to send a failed turn again, and after how long: two pure functions. Only 429 and 503 are
 * retried, only before a response (or stream) has started, and never more than `maxRetries` times.
 */
import type { RelayApiError } from "./errors.js";

/**
 * Tuning for retries; every field has a default (DEFAULT_RETRY_POLICY).
 *
 * @example
 * const client = createRelayClient({ baseUrl, maxRetries: 4, retry: { initialDelayMs: 250, maxRetryAfterMs: 10_000 } });
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` requests at most). */
  maxRetries: number;
  /** The first backoff when the relay gives no Retry-After; doubled per retry. */
  initialDelayMs: number;
  /** Cap on the exponential backoff. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is thrown (with `retryAfterMs`) instead. */
  maxRetryAfterMs: number;
  /**
   * Upstream attempts one call may cause in all, the relay's own retries included: the relay says
   * how many each request used (Relay-Upstream-Attempts) and is told how many remain (Relay-Retry-Budget).
   */
  upstreamAttempts: number;
}

/**
 * The defaults: 2 retries, backoff from 500 ms doubling up to 8 s, Retry-After waited up to 60 s,
 * 3 upstream attempts in all.
 *
 * @example
 * console.log(DEFAULT_RETRY_POLICY.maxRetries); // 2
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  upstreamAttempts: 3,
};

/** @internal Statuses worth sending the same request again for: rate limited, temporarily unavailable. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * @internal
 * How long to wait before retry number `retry` (0 for the first), or undefined when the error must
 * be thrown: not retryable, retries used up, or a Retry-After beyond `maxRetryAfterMs`.
 */
export function retryDelay(
  error: RelayApiError,
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (error.streamed || retry >= policy.maxRetries || !RETRYABLE_STATUSES.has(error.status)) return undefined;
  if (error.retryAfterMs !== undefined) return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  return backoffDelay(retry, policy, random);
}

/** @internal Exponential backoff with up to 25% jitter taken off, so clients that failed together spread out. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.initialDelayMs * 2 ** retry, policy.maxDelayMs);
  return Math.round(base * (1 - 0.25 * random()));
}
