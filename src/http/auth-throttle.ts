/**
 * Failed authentications counted per client address, so credentials cannot be guessed at speed: past
 * MAX_FAILURES refusals within WINDOW_MS of a client's first one, every attempt from that address
 * (right credentials included) is answered 429 with Retry-After until the window ends.
 * In memory, per isolate (per process on Node): the relay keeps no storage. Each address's window
 * starts at its first failure, so the map's insertion order is the order in which windows end: the
 * ended ones are dropped from its front as it is used, and at MAX_CLIENTS the oldest goes first.
 */

/** Refusals a client may collect per window before it is throttled. */
export const MAX_FAILURES = 10;
export const WINDOW_MS = 60_000;
/** Addresses tracked at once; a flood of new addresses evicts the oldest, it never grows the map. */
export const MAX_CLIENTS = 10_000;

interface Window {
  failures: number;
  endsAt: number;
}

export class FailedAuthThrottle {
  #windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds the client must wait before it may try again, or 0 when it may try now. */
  waitSeconds(client: string): number {
    this.#dropEnded();
    const window = this.#windows.get(client);
    if (!window || window.failures < MAX_FAILURES) return 0;
    return Math.max(1, Math.ceil((window.endsAt - this.now()) / 1000));
  }

  /** Counts one refused authentication from the client. */
  recordFailure(client: string): void {
    this.#dropEnded();
    const window = this.#windows.get(client);
    if (window) {
      window.failures++;
      return;
    }
    if (this.#windows.size >= MAX_CLIENTS) this.#windows.delete(this.#windows.keys().next().value!);
    this.#windows.set(client, { failures: 1, endsAt: this.now() + WINDOW_MS });
  }

  /** Tracked addresses (for tests of the bound). */
  get size(): number {
    return this.#windows.size;
  }

  #dropEnded(): void {
    const now = this.now();
    for (const [client, window] of this.#windows) {
      if (window.endsAt > now) break;
      this.#windows.delete(client);
    }
  }
}
