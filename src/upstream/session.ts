/**
 * One caller request's use of the upstream: a single deadline (UPSTREAM_TIMEOUT_MS) and the
 * caller's disconnect on every call, the relay's retry policy where a retry is safe, and the
 * timings and statuses the request log reports.
 */
import type { Config } from "../config";
import { RelayError } from "../errors";
import type { RequestMetrics } from "../http/observe";
import { withRetries } from "./retry";
import type { ForwardRequest, InteractionRequest, InteractionResult, Upstream, UpstreamEvent } from "./upstream";

export class UpstreamSession {
  private readonly callerGone = new AbortController();
  private readonly deadlineAt: number;
  /** Aborts on the caller's disconnect (request signal or abort()) and at the deadline (TimeoutError). */
  readonly signal: AbortSignal;

  constructor(
    private readonly upstream: Upstream,
    private readonly config: Pick<Config, "upstreamTimeoutMs" | "upstreamMaxRetries" | "retryAfterMaxMs">,
    private readonly metrics: RequestMetrics,
    requestSignal: AbortSignal,
    /** Upstream attempts the caller still allows this request (its retry budget header), if it said. */
    private readonly attemptBudget?: number,
  ) {
    this.deadlineAt = Date.now() + config.upstreamTimeoutMs;
    this.signal = AbortSignal.any([requestSignal, this.callerGone.signal, AbortSignal.timeout(config.upstreamTimeoutMs)]);
  }

  /** The caller went away (e.g. it cancelled a stream): stop spending tokens on a reply nobody reads. */
  abort(): void {
    this.callerGone.abort(new DOMException("The caller disconnected.", "AbortError"));
  }

  /** One unary hop; retried on 429/500/503 since nothing was sent to the caller yet. */
  create(request: InteractionRequest): Promise<InteractionResult> {
    return this.retrying(() => this.timed(this.upstream.createInteraction(request, this.signal)));
  }

  /**
   * Opens one streamed hop. `retry` only for the first hop: once the caller has seen events, a
   * failure is reported (turn.error), never papered over by running the model again.
   */
  stream(request: InteractionRequest, { retry }: { retry: boolean }): Promise<AsyncIterable<UpstreamEvent>> {
    const open = () => this.timed(this.upstream.streamInteraction(request, this.signal));
    return retry ? this.retrying(open) : open();
  }

  /** Drop-in calls are not retried here: the caller's own SDK retries (up to 5 attempts), so ours would multiply. */
  forward(request: ForwardRequest): Promise<Uint8Array> {
    return this.timed(this.upstream.forwardInteraction(request, this.signal));
  }

  forwardStream(request: ForwardRequest): Promise<AsyncIterable<UpstreamEvent>> {
    return this.timed(this.upstream.forwardInteractionStream(request, this.signal));
  }

  /** See Upstream.redact. */
  redact(bytes: Uint8Array): Uint8Array {
    return this.upstream.redact(bytes);
  }

  private retrying<T>(attempt: () => Promise<T>): Promise<T> {
    return withRetries(attempt, {
      maxRetries: Math.max(0, Math.min(this.config.upstreamMaxRetries, (this.attemptBudget ?? Infinity) - 1)),
      maxWaitMs: this.config.retryAfterMaxMs,
      deadlineAt: this.deadlineAt,
      signal: this.signal,
      onRetry: () => this.metrics.retries++,
    });
  }

  /** Adds the time until the upstream answered (for a stream: its first byte) and its status to the metrics. */
  private async timed<T>(call: Promise<T>): Promise<T> {
    const started = Date.now();
    this.metrics.upstreamCalls++;
    try {
      const result = await call;
      this.metrics.upstreamStatus = 200;
      return result;
    } catch (err) {
      this.metrics.upstreamStatus = err instanceof RelayError ? (err.upstream?.status ?? err.status) : undefined;
      throw err;
    } finally {
      this.metrics.upstreamMs += Date.now() - started;
    }
  }
}
