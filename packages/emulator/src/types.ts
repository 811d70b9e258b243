/** The emulator's public types: options, scripted replies, stream controls and the request log. */

export interface EmulatorOptions {
  /** HMAC key for thought signatures and continuation tokens (defaults to a fixed development secret). */
  signingSecret?: string;
  /** When set, `x-goog-api-key` (or the Bearer token, or `?key=`) must equal it; otherwise any non-empty key passes. */
  apiKey?: string;
  /** Added before every answer, errors included (a caller that aborts during the wait is recorded as aborted). */
  latencyMs?: number;
  /** Bounds of `requests` (default DEFAULT_REQUEST_LOG_LIMITS); `Infinity` keeps everything. */
  requestLog?: RequestLogLimits;
}

export interface RequestLogLimits {
  /** Records kept; the oldest go first. */
  maxEntries?: number;
  /** Bytes of request bodies kept, newest first; older records keep their metadata but lose `body`. */
  maxBodyBytes?: number;
}

export interface Emulator {
  /** Serves the Interactions API and the /__emulator control routes. */
  fetch(request: Request): Promise<Response>;
  /**
   * Queue scripted replies for requests whose body.model === model; one is consumed per POST create that passes
   * auth and validation (FIFO). When the queue for that model is empty, the deterministic model answers.
   */
  script(model: string, ...replies: ScriptedReply[]): void;
  /**
   * The requests served (create, get, delete, cancel, bad ones too), oldest first, within the `requestLog`
   * bounds; control routes are not logged.
   */
  readonly requests: RecordedRequest[];
  /** Clears scripts and the request log (the `requests` array is emptied in place). */
  reset(): void;
}

export interface RecordedRequest {
  method: string;
  /** Path plus query string, as received. */
  path: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON, else the raw text; undefined when there was no body, or when the log dropped it to stay within its bounds. */
  body: unknown;
  /** Size of the body as received, in bytes (kept when the body is dropped). */
  bodyBytes: number;
  /** What the emulator answered; 0 while the answer is still pending, 499 when the caller left during a delay. */
  status: number;
  /** True if the caller aborted (request.signal) or cancelled the SSE body while the emulator was still answering. */
  aborted: boolean;
}

/** One scripted answer: either model steps or an HTTP error. */
export type ScriptedReply = ScriptedSteps | ScriptedError;

export interface ScriptedSteps {
  /** Returned exactly as given (a JSON deep copy is taken when scripted); streamed as deltas that rebuild to them. */
  steps: unknown[];
  /**
   * Defaults to `requires_action` when any step is a function_call, else `completed`.
   * `requires_continuation` also mints a signed `continuation_token` bound to the request's model and input.
   */
  status?: string;
  /** Sent instead of the minted token (e.g. a forged one, to test what the next hop does with it). */
  continuationToken?: string;
  /** Replaces the computed usage object verbatim. */
  usage?: object;
  /** Wait before answering (added to the emulator's latency). */
  delayMs?: number;
  /** Stream behaviour when the request has `stream: true` (ignored otherwise). */
  stream?: StreamOptions;
}

export interface ScriptedError {
  error: {
    status: number;
    /** Defaults to the code Google uses for the status (400 invalid_request, 429 rate_limit_exceeded, ...). */
    code?: string;
    message?: string;
    /** Sent as `retry-after: <seconds>`. */
    retryAfterSeconds?: number;
    /** Sent as `retry-after-ms: <ms>` (the SDK prefers it). */
    retryAfterMs?: number;
  };
  delayMs?: number;
}

export interface StreamOptions {
  /** Wait between two events. */
  pauseMs?: number;
  /**
   * Break the stream once `afterEvents` events were sent (interaction.created counts as the first):
   * `error` sends an SSE error event then closes; `cut` errors the body (the connection drops, the SDK throws);
   * `close` ends the body cleanly without interaction.completed or [DONE]; `stall` sends nothing more and never
   * closes until the caller aborts or cancels.
   */
  fault?: StreamFault;
  /** Hold the stream after `afterEvents` events (default 1) until `until` settles; in-process only. */
  gate?: StreamGate;
  /** The in_progress status update carries a signed continuation_token (a resume point for the SDK). */
  checkpoint?: boolean;
}

export interface StreamFault {
  afterEvents: number;
  kind: "error" | "cut" | "close" | "stall";
  /** The SSE error payload for kind "error" (default deadline_exceeded). */
  error?: { code?: string; message?: string };
}

export interface StreamGate {
  afterEvents?: number | undefined;
  until: PromiseLike<unknown>;
}
