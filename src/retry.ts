/**
 * The relay's one retry policy for upstream calls that failed before any reply byte: 429, 500 and
 * 503 are tried again with exponential backoff and jitter, honouring the upstream's Retry-After,
 * and never past the request's deadline. The SDK itself never retries (maxRetries: 0), so one
 * caller request makes at most 1 + UPSTREAM_MAX_RETRIES upstream calls.
 */
import { RelayError } from "./errors";

const RETRYABLE = new Set([429, 500, 503]);
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 8_000;

export interface RetryPolicy {
  maxRetries: number;
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
      if (wait === undefined || retry >= policy.maxRetries || Date.now() + wait >= policy.deadlineAt || policy.signal.aborted) throw err;
      policy.onRetry();
      await sleep(wait, policy.signal);
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
