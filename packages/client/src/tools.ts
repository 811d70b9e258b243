/**
 * The function-calling loop, run by the caller: the model asks for calls, local handlers answer
 * them (by call_id and name), and the answers go back until the model says something or the
 * budget is spent. Declarations are re-sent every turn, as Gemini does not remember tools.
 */
import { Transcript } from "./transcript.js";
import type { RelayClient, RunToolsEvent, RunToolsParams, RunToolsResult, TurnParams, TurnResult } from "./types.js";
import type { ContentBlock, FunctionCallStep, FunctionResultStep, JsonObject, Step, Tool } from "./wire.js";

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
    const blocks =
      value.length > 0 && value.every((b) => typeof b === "object" && b !== null && typeof (b as ContentBlock).type === "string");
    return blocks ? (value as ContentBlock[]) : JSON.stringify(value);
  }
  if (typeof value === "object" && value !== null) return value as JsonObject;
  return JSON.stringify(value) ?? String(value);
}

/** @internal The loop behind client.runTools (call it as `client.runTools(params)`). */
export async function runTools(client: RelayClient, params: RunToolsParams): Promise<RunToolsResult> {
  const { tools, maxToolCalls = 10, stream = false, onEvent, input, history: given = [], attestation, ...turnFields } = params;
  const declarations: Tool[] = Object.entries(tools).map(([name, { declaration }]) => {
    const { type: _type, name: _name, ...rest } = declaration;
    return { type: "function", name, ...rest };
  });
  const emit = async (event: RunToolsEvent) => {
    await onEvent?.(event);
  };

  // Each turn's history carries its attestation to the next (see attestation.ts).
  let transcript = Transcript.from(given, attestation);
  let history: Step[] = transcript.steps;
  let toolCalls = 0;
  let result: TurnResult | undefined;
  const stop = (stopReason: RunToolsResult["stopReason"], pending: FunctionCallStep[]): RunToolsResult => ({
    history,
    transcript,
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
        answer = functionResult(call, `Unknown tool "${call.name}": this client declares ${Object.keys(tools).join(", ") || "no tools"}.`, {
          isError: true,
        });
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
    const turn: TurnParams = { ...turnFields, tools: declarations, history: transcript, input: next };
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
    transcript = result.transcript;
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
