/**
 * The client's own types: what goes into a turn, what comes back, the events of a streamed turn,
 * the client's options and interface, and the function-calling loop's. The wire shapes they build
 * on are in ./wire.ts.
 */
import type { RelayApiError } from "./errors.js";
import type { Compressor } from "./compress.js";
import type { RetryPolicy } from "./retry.js";
import type { Sha256, Transcript } from "./transcript.js";
import type { ContentBlock, FunctionCallStep, FunctionResultStep, JsonObject, Step, Tool, TurnResponse } from "./wire.js";

/**
 * The body of one turn. `history` is what the last turn returned (empty for a new conversation);
 * `input` is the new text, content blocks or steps. The interaction-scoped fields (tools,
 * system_instruction, generation_config, ...) are not remembered between turns: send them every time.
 *
 * @example
 * const params: TurnParams = { model: "gemini-3.5-flash", history, input: "Where is my order A-4417?", tools };
 */
export interface TurnParams {
  model: string;
  /**
   * The transcript so far: a Transcript (a result's `transcript`, or Transcript.parse of stored
   * bytes), or steps (a result's `history`, or a store's). Steps this client parsed are sent in the
   * bytes they arrived in; steps the app made are serialized once.
   */
  history?: readonly Step[] | Transcript | undefined;
  /**
   * The `attestation` of the response `history` came from (relays with TRANSCRIPT_KEYS). Not needed
   * when `history` is a result's history or came from a TranscriptStore: it carries its attestation.
   */
  attestation?: string | undefined;
  input?: string | readonly ContentBlock[] | readonly Step[] | undefined;
  system_instruction?: string | undefined;
  tools?: readonly Tool[] | undefined;
  generation_config?: JsonObject | undefined;
  response_format?: JsonObject | JsonObject[] | undefined;
  response_mime_type?: string | undefined;
  response_modalities?: readonly string[] | undefined;
  safety_settings?: JsonObject | JsonObject[] | undefined;
  service_tier?: string | undefined;
  labels?: Readonly<Record<string, string>> | undefined;
  /** Aborts the request (and, for a stream, the iteration) when it fires. Not sent. */
  signal?: AbortSignal | undefined;
}

/**
 * What a turn returns: the updated `history` to keep and send back next time, the model's new
 * `steps`, the interaction `status`, `usage`, `output_text`, and `pending_calls`, the function calls
 * of this turn the caller must answer (computed by the client when the relay does not send it).
 *
 * @example
 * const result: TurnResult = await client.turn({ model, input: "Hello" });
 * answerElement.textContent = result.output_text ?? "";
 */
export interface TurnResult extends Omit<TurnResponse, "pending_calls"> {
  /**
   * The parsed view of the updated transcript. Carries `attestation` too (see attestationOf), and its
   * steps remember their bytes, so sending it back as the next turn's history sends both exactly.
   */
  history: Step[];
  /** The updated transcript in its exact bytes: what to store (`serialize()`) and send next turn. */
  transcript: Transcript;
  steps: Step[];
  pending_calls: FunctionCallStep[];
}

/**
 * One event of a streamed turn, in arrival order:
 * - `text.delta`: a piece of the answer, for live rendering;
 * - `thought_summary.delta`: a piece of a thought summary (`text` is its text, `content` the block);
 * - `turn.step`: a step that finished (the same steps `turn.completed` lists, in order);
 * - `turn.completed`: the whole result, exactly what `turn()` would have returned;
 * - `upstream`: any other event the relay forwarded from Gemini (interaction.created, step.start,
 *   other deltas, ...), with its SSE event name and parsed data.
 * `index` on deltas is the upstream's step index within its hop.
 *
 * @example
 * for await (const event of client.streamTurn({ model, input: "Hi" })) {
 *   if (event.type === "text.delta") process.stdout.write(event.text);
 * }
 */
export type TurnEvent =
  | { type: "text.delta"; index: number; text: string }
  | { type: "thought_summary.delta"; index: number; text: string; content: ContentBlock }
  | { type: "turn.step"; index: number; step: Step }
  | { type: "turn.completed"; result: TurnResult }
  | { type: "upstream"; event: string; data: unknown };

/**
 * The `fetch` the client calls: the global one by default; tests and custom runtimes pass their own.
 *
 * @example
 * const timedFetch: FetchLike = async (input, init) => { const t = Date.now(); try { return await fetch(input, init); } finally { console.debug("relay call", Date.now() - t, "ms"); } };
 */
export type FetchLike = (input: string, init: RequestInit) => Response | Promise<Response>;

/**
 * Options of createRelayClient.
 *
 * @example
 * const options: RelayClientOptions = { baseUrl: "http://127.0.0.1:8787", maxRetries: 3, timeoutMs: 60_000 };
 */
export interface RelayClientOptions {
  /** Where the relay is, e.g. `http://127.0.0.1:8787` or `https://relay.example.com/prefix`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <token>` when given. */
  token?: string | undefined;
  /** Defaults to the global fetch (looked up per request). */
  fetch?: FetchLike | undefined;
  /** Extra headers on every request. */
  headers?: Record<string, string> | undefined;
  /** Retries on 429 and 503 before anything was received (default 2). */
  maxRetries?: number | undefined;
  /**
   * Per attempt: a unary turn must be answered within it; a stream must send something (a keep-alive
   * counts) at least this often. Default 10 minutes.
   */
  timeoutMs?: number | undefined;
  /** Backoff tuning: `initialDelayMs` (500), `maxDelayMs` (8000), `maxRetryAfterMs` (60000). */
  retry?: Partial<Omit<RetryPolicy, "maxRetries">> | undefined;
  /**
   * Ask for minimal responses (`Prefer: return=minimal`: the new steps only, not the history the
   * client already holds); default true. The client appends them to the transcript it sent after
   * checking the relay's `base`, and reads a full response as well (a relay that does not apply it).
   */
  minimal?: boolean | undefined;
  /**
   * Gzips request bodies of `compressAbove` bytes or more: by default with CompressionStream where the
   * runtime has it; a function to compress where it does not (React Native); false never to.
   * A relay that answers a gzipped body with 415 gets it again as it is, and no gzip after that.
   */
  compress?: Compressor | false | undefined;
  /** The smallest body that is gzipped, in bytes (default 8192). */
  compressAbove?: number | undefined;
  /** SHA-256 (lowercase hex of a text's UTF-8 bytes) for checking a minimal response's base; default WebCrypto. React Native passes one. */
  sha256?: Sha256 | undefined;
  /** Called before each retry wait (e.g. to tell the user "rate limited, retrying in 2 s"). */
  onRetry?: ((info: RetryInfo) => void) | undefined;
}

/**
 * What onRetry is told: which retry is coming, after how long, and the error that caused it.
 *
 * @example
 * createRelayClient({ baseUrl, onRetry: ({ retry, delayMs, error }) => console.warn(`retry ${retry} in ${delayMs} ms: ${error.code}`) });
 */
export interface RetryInfo {
  /** 1 for the first retry. */
  retry: number;
  delayMs: number;
  error: RelayApiError;
}

/**
 * A client for one relay. Every method takes the full history (the relay keeps nothing) and returns
 * the updated one.
 *
 * @example
 * const client = createRelayClient({ baseUrl: "http://127.0.0.1:8787" });
 * const { history, output_text } = await client.turn({ model: "gemini-3.5-flash", input: "Hello!" });
 */
export interface RelayClient {
  readonly baseUrl: string;
  /**
   * One turn: sends history + input, returns the updated history, the new steps, status, usage,
   * output_text and pending_calls. Retries 429/503 (Retry-After honoured); throws RelayApiError,
   * RelayConnectionError, RelayTimeoutError or RelayProtocolError.
   *
   * @example
   * const t1 = await client.turn({ model, tools, input: "Where is my order A-4417?" });
   * const t2 = await client.turn({ model, tools, history: t1.history, input: "Thanks!" });
   */
  turn(params: TurnParams): Promise<TurnResult>;
  /**
   * One streamed turn as an async iterable of typed events, ending with `turn.completed`. Leaving
   * the loop early (break, return, throw) aborts the request; `params.signal` aborts it too (the
   * loop then throws the signal's reason). A `turn.error` event is thrown as a RelayApiError with
   * `streamed: true`. Only a refusal before the stream starts (429/503) is retried.
   *
   * @example
   * for await (const event of client.streamTurn({ model, history, input: "Tell me a story" })) {
   *   if (event.type === "text.delta") render(event.text);
   *   if (event.type === "turn.completed") history = event.result.history;
   * }
   */
  streamTurn(params: TurnParams): AsyncGenerator<TurnEvent, void, undefined>;
  /**
   * The function-calling loop, run locally: sends the turn, runs the handlers of the calls the
   * model makes, answers each with a function_result (same call_id and name; a handler that throws
   * gives `is_error: true`), and repeats until the model answers or `maxToolCalls` is spent.
   *
   * @example
   * const { history, output_text } = await client.runTools({
   *   model, input: "Where is my order A-4417?",
   *   tools: { get_order_status: { declaration: { description: "Order status", parameters }, handler: ({ order_id }) => lookUp(order_id) } },
   * });
   */
  runTools(params: RunToolsParams): Promise<RunToolsResult>;
}

/**
 * What a handler gets besides the arguments: the call itself and the loop's abort signal.
 *
 * @example
 * const handler = async (args: JsonObject, { call, signal }: ToolContext) => fetch(`/orders/${args.order_id}`, { signal }).then((r) => r.json());
 */
export interface ToolContext {
  call: FunctionCallStep;
  signal?: AbortSignal | undefined;
}

/**
 * One local tool: its declaration (as Gemini takes it, minus `type` and `name`, which come from the
 * key it is registered under) and the handler that runs it. The handler's return value becomes the
 * function_result (a string, an object or content blocks as they are; anything else as JSON text);
 * if it throws, the error message is sent with `is_error: true`.
 *
 * @example
 * const getOrderStatus: ToolDefinition = {
 *   declaration: { description: "Look up an order", parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] } },
 *   handler: ({ order_id }: { order_id: string }) => ({ order_id, status: "shipped" }),
 * };
 */
export interface ToolDefinition {
  declaration: { description?: string; parameters?: JsonObject; [key: string]: unknown };
  // Method syntax on purpose: a handler may declare the narrower argument type it expects.
  handler(args: JsonObject, context: ToolContext): unknown;
}

/**
 * runTools' parameters: a turn's (model, history, input, system_instruction, ...) with `tools` as
 * local definitions by name, plus the loop's budget and how to report progress.
 *
 * @example
 * const params: RunToolsParams = { model, history, input: "Where is A-4417?", tools: { get_order_status: getOrderStatus }, maxToolCalls: 5 };
 */
export interface RunToolsParams extends Omit<TurnParams, "tools"> {
  tools: Record<string, ToolDefinition>;
  /** Handler runs allowed in this loop (default 10). A batch of parallel calls that does not fit is not started. */
  maxToolCalls?: number | undefined;
  /** Stream each turn (events go to onEvent as they arrive); default false. */
  stream?: boolean | undefined;
  /**
   * Progress: every turn's events when streaming (else its `turn.completed`), and each tool call and
   * result. If a later turn fails, runTools throws that turn's error; the last `turn.completed`
   * seen here holds the history up to then (its calls unanswered), which runTools can resume from.
   */
  onEvent?: ((event: RunToolsEvent) => void | Promise<void>) | undefined;
}

/**
 * An event of the loop: a TurnEvent, or a tool about to run (`tool.call`) or answered (`tool.result`).
 *
 * @example
 * onEvent: (e) => { if (e.type === "tool.call") console.log(`calling ${e.call.name}`, e.call.arguments); }
 */
export type RunToolsEvent =
  TurnEvent | { type: "tool.call"; call: FunctionCallStep } | { type: "tool.result"; call: FunctionCallStep; result: FunctionResultStep };

/**
 * How the loop ended. `history` is the transcript to keep. `stopReason` is `answered` when the last
 * turn asked for no more calls, `max_tool_calls` when the budget ran out: then `pending_calls` are
 * the calls still unanswered, and passing `history` to runTools again (with or without new input)
 * answers them first.
 *
 * @example
 * const run = await client.runTools(params);
 * if (run.stopReason === "max_tool_calls") console.warn(`stopped with ${run.pending_calls.length} calls unanswered`);
 */
export interface RunToolsResult {
  history: Step[];
  /** `history` in its exact bytes (see TurnResult.transcript). */
  transcript: Transcript;
  /** The last turn's result; undefined only if no turn was sent (the budget could not answer the calls pending in `history`). */
  result?: TurnResult | undefined;
  /** The final answer's text (the last result's output_text). */
  output_text?: string | undefined;
  /** Handlers run by this loop. */
  toolCalls: number;
  stopReason: "answered" | "max_tool_calls";
  pending_calls: FunctionCallStep[];
}
