/**
 * One request attempt of the client's: its abort controller joined to the caller's signal, its
 * timeout, and what a failure during it becomes; and the wait between attempts.
 */
import { RelayApiError, RelayConnectionError, RelayProtocolError, RelayTimeoutError } from "./errors.js";

/** One request attempt: its abort controller, joined to the caller's signal, and its timeout. */
export class Attempt {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timedOut = false;
  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly caller: AbortSignal | undefined,
    private readonly timeoutMs: number,
  ) {
    // Joined by hand (not AbortSignal.any) so React Native and older browsers work too.
    caller?.addEventListener("abort", this.onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timeout. */
  touch(): void {
    this.idle();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  /** Pauses the timeout. */
  idle(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  abort(): void {
    this.controller.abort();
  }

  /**
   * Settles with `promise`, or rejects as soon as the attempt is aborted (caller, timeout, break):
   * not every fetch rejects on abort (an in-process app may answer 499 instead, a polyfill may ignore it).
   */
  guard<T>(promise: Promise<T>): Promise<T> {
    const signal = this.controller.signal;
    if (signal.aborted) {
      promise.catch(() => {});
      return Promise.reject(signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(err);
        },
      );
    });
  }

  close(): void {
    this.idle();
    this.caller?.removeEventListener("abort", this.onCallerAbort);
  }

  /** What a failed fetch or read becomes: the caller's abort reason, a timeout, or a connection error. */
  failure(err: unknown, url: string): unknown {
    if (this.caller?.aborted) return this.caller.reason;
    if (this.timedOut) return new RelayTimeoutError(url, this.timeoutMs);
    if (err instanceof RelayConnectionError || err instanceof RelayProtocolError || err instanceof RelayApiError) return err;
    return new RelayConnectionError(`Could not reach the relay at ${url}: ${describe(err)}.`, url, { cause: err });
  }
}

/** "fetch failed (connect ECONNREFUSED 127.0.0.1:8787)": the error and, if any, what caused it. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  return cause && cause !== err.message ? `${err.message} (${cause})` : err.message;
}

export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
