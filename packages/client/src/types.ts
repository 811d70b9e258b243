/**
 * The client's public types: what goes into a turn, what comes back, and the events of a streamed
 * turn. Plain types only; the relay's own plain types are reused with `import type`, so nothing of
 * zod or hono reaches a client bundle.
 */
import type { ProblemCode, ProblemItem } from "../errors";
import type { JsonObject, StepValue, TurnResponse } from "../schemas";

export type { JsonObject, ProblemCode, ProblemItem };

/**
 * One step of a transcript (user_input, model_output, thought, function_call, function_result, ...),
 * kept exactly as received: never edit, reorder or drop steps you send back.
 *
 * @example
 * const step: Step = { type: "user_input", content: [{ type: "text", text: "Hi" }] };
 */
export type Step = StepValue;

/**
 * A content block: `{type: "text", text}`, or image/audio/document/video with `data` or `uri`.
 *
 * @example
 * const block: ContentBlock = { type: "image", uri: "https://example.com/cat.png", mime_type: "image/png" };
 */
export interface ContentBlock {
  type: string;
  [key: string]: unknown;
}

/**
 * A step in which the model asks the caller to run one of its declared functions.
 *
 * @example
 * const call: FunctionCallStep = { type: "function_call", id: "x1", name: "get_order_status", arguments: { order_id: "A-4417" } };
 */
export interface FunctionCallStep extends StepValue {
  type: "function_call";
  id: string;
  name: string;
  arguments: JsonObject;
}

/**
 * The caller's answer to a function call: same `call_id` and `name`; `is_error` when it failed.
 *
 * @example
 * const answer: FunctionResultStep = { type: "function_result", call_id: call.id, name: call.name, result: { status: "shipped" } };
 */
export interface FunctionResultStep extends StepValue {
  type: "function_result";
  call_id: string;
  name: string;
  result: string | JsonObject | ContentBlock[];
  is_error?: boolean;
}

/**
 * A tool declaration as Gemini takes it (`{type: "function", name, description, parameters}`,
 * or a built-in such as `{type: "google_search"}`).
 *
 * @example
 * const tool: Tool = { type: "function", name: "get_order_status", parameters: { type: "object", properties: { order_id: { type: "string" } } } };
 */
export interface Tool {
  type: string;
  [key: string]: unknown;
}

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
  history?: readonly Step[];
  input?: string | readonly ContentBlock[] | readonly Step[];
  system_instruction?: string;
  tools?: readonly Tool[];
  generation_config?: JsonObject;
  response_format?: JsonObject | JsonObject[];
  safety_settings?: JsonObject | JsonObject[];
  /** Aborts the request (and, for a stream, the iteration) when it fires. Not sent. */
  signal?: AbortSignal;
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
  history: Step[];
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
