/**
 * The per-caller rate limit on Node: the same interface as the Workers Rate Limiting binding
 * (CALLER_RATE_LIMIT), counted in this process's memory. Fixed windows of `periodSeconds`: a caller
 * gets `requests` per window. Only the current window's counters are kept (keyed by the hashed
 * caller id, never a token), so memory is bounded by the callers seen within one period.
 * Each process counts alone: N processes behind a load balancer allow up to N times the limit.
 */
import type { Config } from "../config";

export class MemoryRateLimiter implements RateLimit {
  #window = -1;
  #counts = new Map<string, number>();

  constructor(
    private readonly settings: Config["rateLimit"],
    private readonly now: () => number = Date.now,
  ) {}

  async limit({ key }: RateLimitOptions): Promise<RateLimitOutcome> {
    const window = Math.floor(this.now() / (this.settings.periodSeconds * 1000));
    if (window !== this.#window) {
      // A new window: every caller starts again, and the old counters go at once.
      this.#window = window;
      this.#counts = new Map();
    }
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    return { success: count <= this.settings.requests };
  }
}
