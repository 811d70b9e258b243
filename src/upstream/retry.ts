/**
 * The relay's one retry policy for upstream calls that failed before any reply byte: 429, 500 and
 * 503 are tried again with exponential backoff and jitter, honouring the upstream's Retry-After up
 * to a cap (RETRY_AFTER_MAX_MS; a longer wait is the caller's to decide, with the upstream's
 * Retry-After), and never past the request's deadline or after the caller left. The Gemini client
 * (gemini.ts) makes one fetch per call and never retries, so one caller request makes at most
 * 1 + UPSTREAM_MAX_RETRIES upstream calls, fewer when the caller's retry budget says so.
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
