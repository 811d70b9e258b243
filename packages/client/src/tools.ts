/**
 * The function-calling loop, run by the caller: the model asks for calls, local handlers answer
 * them (by call_id and name), and the answers go back until the model says something or the
 * budget is spent. Declarations are re-sent every turn, as Gemini does not remember tools.
 */
import type { RelayClient } from "./client";
import type { ContentBlock, FunctionCallStep, FunctionResultStep, JsonObject, Step, Tool, TurnEvent, TurnParams, TurnResult } from "./types";

/**
 * What a handler gets besides the arguments: the call itself and the loop's abort signal.
 *
 * @example
 * const handler = async (args: JsonObject, { call, signal }: ToolContext) => fetch(`/orders/${args.order_id}`, { signal }).then((r) => r.json());
 */
export interface ToolContext {
  call: FunctionCallStep;
  signal?: AbortSignal;
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
  maxToolCalls?: number;
  /** Stream each turn (events go to onEvent as they arrive); default false. */
  stream?: boolean;
  /**
   * Progress: every turn's events when streaming (else its `turn.completed`), and each tool call and
   * result. If a later turn fails, runTools throws that turn's error; the last `turn.completed`
   * seen here holds the history up to then (its calls unanswered), which runTools can resume from.
   */
  onEvent?: (event: RunToolsEvent) => void | Promise<void>;
}

/**
 * An event of the loop: a TurnEvent, or a tool about to run (`tool.call`) or answered (`tool.result`).
 *
 * @example
 * onEvent: (e) => { if (e.type === "tool.call") console.log(`calling ${e.call.name}`, e.call.arguments); }
 */
export type RunToolsEvent = TurnEvent | { type: "tool.call"; call: FunctionCallStep } | { type: "tool.result"; call: FunctionCallStep; result: FunctionResultStep };

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
  /** The last turn's result; undefined only if no turn was sent (the budget could not answer the calls pending in `history`). */
  result?: TurnResult;
  /** The final answer's text (the last result's output_text). */
  output_text?: string;
  /** Handlers run by this loop. */
  toolCalls: number;
  stopReason: "answered" | "max_tool_calls";
  pending_calls: FunctionCallStep[];
}

/**
 * The function_call steps in `steps` that no function_result in `steps` answers.
 *
 * @example
 * const calls = pendingCalls(result.steps); // what the relay's pending_calls says
 */
export function pendingCalls(steps: readonly Step[]): FunctionCallStep[] {
  const answered = new Set(steps.filter((s) => s.type === "function_result").map((s) => String(s.call_id)));
  return steps.filter((s): s is FunctionCallStep => s.type === "function_call" && !answered.has(String(s.id)));
}

/**
 * The calls a transcript still owes answers to: those after its last user_input that nothing answers.
 *
 * @example
 * if (unansweredCalls(history).length > 0) console.log("answer these before a new user message");
 */
export function unansweredCalls(history: readonly Step[]): FunctionCallStep[] {
  let start = 0;
  history.forEach((step, i) => {
    if (step.type === "user_input") start = i + 1;
  });
  return pendingCalls(history.slice(start));
}

/**
 * The function_result answering `call` with a handler's value: strings, objects and content blocks
 * as they are, anything else as JSON text (undefined as `{}`).
 *
 * @example
 * const answer = functionResult(call, { status: "shipped" });
 * const failed = functionResult(call, "Order not found", { isError: true });
 */
export function functionResult(call: FunctionCallStep, value: unknown, options: { isError?: boolean } = {}): FunctionResultStep {
  const step: FunctionResultStep = { type: "function_result", call_id: call.id, name: call.name, result: resultValue(value) };
  if (options.isError) step.is_error = true;
  return step;
}

function resultValue(value: unknown): FunctionResultStep["result"] {
  if (value === undefined) return {};
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const blocks = value.length > 0 && value.every((b) => typeof b === "object" && b !== null && typeof (b as ContentBlock).type === "string");
    return blocks ? (value as ContentBlock[]) : JSON.stringify(value);
  }
  if (typeof value === "object" && value !== null) return value as JsonObject;
  return JSON.stringify(value) ?? String(value);
}

/** @internal The loop behind client.runTools (call it as `client.runTools(params)`). */
export async function runTools(client: RelayClient, params: RunToolsParams): Promise<RunToolsResult> {
  const { tools, maxToolCalls = 10, stream = false, onEvent, input, history: given = [], ...turnFields } = params;
  const declarations: Tool[] = Object.entries(tools).map(([name, { declaration }]) => {
    const { type: _type, name: _name, ...rest } = declaration;
    return { type: "function", name, ...rest };
  });
  const emit = async (event: RunToolsEvent) => {
    await onEvent?.(event);
  };

  let history: Step[] = [...given];
  let toolCalls = 0;
  let result: TurnResult | undefined;
  const stop = (stopReason: RunToolsResult["stopReason"], pending: FunctionCallStep[]): RunToolsResult => ({
    history,
    result,
    output_text: result?.output_text,
    toolCalls,
    stopReason,
    pending_calls: pending,
  });

  /** Runs a batch of calls in order (so their events read in order), or reports that it does not fit. */
  async function answer(calls: FunctionCallStep[]): Promise<FunctionResultStep[] | undefined> {
    if (toolCalls + calls.length > maxToolCalls) return undefined;
    const results: FunctionResultStep[] = [];
    for (const call of calls) {
      await emit({ type: "tool.call", call });
      const tool = Object.prototype.hasOwnProperty.call(tools, call.name) ? tools[call.name] : undefined;
      let answer: FunctionResultStep;
      if (!tool) {
        answer = functionResult(call, `Unknown tool "${call.name}": this client declares ${Object.keys(tools).join(", ") || "no tools"}.`, { isError: true });
      } else {
        try {
          answer = functionResult(call, await tool.handler(call.arguments ?? {}, { call, signal: turnFields.signal }));
        } catch (err) {
          if (turnFields.signal?.aborted) throw turnFields.signal.reason;
          answer = functionResult(call, err instanceof Error ? err.message : String(err), { isError: true });
        }
      }
      toolCalls += 1;
      results.push(answer);
      await emit({ type: "tool.result", call, result: answer });
    }
    return results;
  }

  async function send(next: TurnParams["input"]): Promise<TurnResult> {
    const turn: TurnParams = { ...turnFields, tools: declarations, history, input: next };
    if (!stream) {
      const completed = await client.turn(turn);
      await emit({ type: "turn.completed", result: completed });
      return completed;
    }
    let completed: TurnResult | undefined;
    for await (const event of client.streamTurn(turn)) {
      if (event.type === "turn.completed") completed = event.result;
      await emit(event);
    }
    // streamTurn either ends with turn.completed or throws.
    return completed!;
  }

  // A transcript that stopped with calls unanswered (budget spent, app closed) is answered first.
  let next: TurnParams["input"] = input;
  const owed = unansweredCalls(history);
  if (owed.length > 0) {
    const answers = await answer(owed);
    if (!answers) return stop("max_tool_calls", owed);
    next = [...answers, ...inputSteps(input)];
  }

  for (;;) {
    result = await send(next);
    history = result.history;
    if (result.pending_calls.length === 0) return stop("answered", []);
    const answers = await answer(result.pending_calls);
    if (!answers) return stop("max_tool_calls", result.pending_calls);
    next = answers;
  }
}

/** `input` as steps, read the way the relay reads it (text or content blocks become one user_input step). */
function inputSteps(input: TurnParams["input"]): Step[] {
  if (input === undefined) return [];
  if (typeof input === "string") return [{ type: "user_input", content: [{ type: "text", text: input }] }];
  const contentTypes = ["text", "image", "audio", "document", "video"];
  const isContent = input.length > 0 && input.every((item) => contentTypes.includes(item.type));
  return isContent ? [{ type: "user_input", content: [...input] }] : ([...input] as Step[]);
}
