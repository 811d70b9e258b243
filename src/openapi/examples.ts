/**
 * The examples: one real conversation, captured from the bundled emulator (`npm start`): the seed's
 * support agent with `get_order_status`. The thought signature in turn 2 is the one the emulator
 * issued, so the examples run as they are against it (test/openapi/document.test.ts sends them).
 */
import { RelayError, googleError } from "../errors";
import type { Example } from "./types";

export const MODEL = "gemini-3.5-flash";
const orderTool = {
  type: "function",
  name: "get_order_status",
  description: "Look up the shipping status of an order",
  parameters: {
    type: "object",
    properties: { order_id: { type: "string", description: "The order number, e.g. A-4417" } },
    required: ["order_id"],
  },
};
const seed = { model: MODEL, system_instruction: "You are a support agent. Use get_order_status to look up orders.", tools: [orderTool] };

const question = { type: "user_input", content: [{ type: "text", text: "Where is my order A-4417?" }] };
export const thought1 = { type: "thought", signature: "AXlPdo9cA1GI9z+QJzbWTWDIAaFSjR9F/DkNsp+Zh2D12EaVIkM6IBH9xkqL" };
export const call = { type: "function_call", id: "gfa3lcqe", name: "get_order_status", arguments: { order_id: "A-4417" } };
const answer = {
  type: "function_result",
  call_id: "gfa3lcqe",
  name: "get_order_status",
  result: { order_id: "A-4417", status: "shipped", detail: "left the warehouse yesterday" },
};
export const thought2 = { type: "thought", signature: "AfkNayZJZgkPpYfSX7jC0pLceRUWrNLcBEv3p0Nju5yTo1PaLNh4Humn6wA1" };
const replyText = 'get_order_status returned: {"order_id":"A-4417","status":"shipped","detail":"left the warehouse yesterday"}.';
export const reply = { type: "model_output", content: [{ type: "text", text: replyText }] };
/** Usage as the emulator reports it (key order included: the examples are compared with real answers). */
const usageOf = (input: number, output: number, thought: number) => ({
  total_input_tokens: input,
  input_tokens_by_modality: [{ modality: "text", tokens: input }],
  total_cached_tokens: 0,
  total_output_tokens: output,
  total_thought_tokens: thought,
  total_tool_use_tokens: 0,
  total_tokens: input + output + thought,
});
export const usage1 = usageOf(23, 6, 24);
export const usage2 = usageOf(49, 27, 24);

/** Exported for tests: every request example must pass the relay's own validation and get a 200. */
export const EXAMPLES = {
  turn1: { ...seed, input: "Where is my order A-4417?" },
  turn1Response: {
    history: [question, thought1, call],
    steps: [thought1, call],
    status: "requires_action",
    usage: usage1,
    pending_calls: [call],
  },
  turn2: { ...seed, history: [question, thought1, call], input: [answer] },
  turn2Response: {
    history: [question, thought1, call, answer, thought2, reply],
    steps: [thought2, reply],
    status: "completed",
    usage: usage2,
    output_text: replyText,
    pending_calls: [],
  },
  dropIn1: { ...seed, input: "Where is my order A-4417?" },
  dropIn2: { ...seed, input: [question, thought1, call, answer] },
};

const INTERACTION_ID = "v1_ChdGU1JMYmo5cmQzUGk4bnVhRDdSRTBvaxIXRlNSTGJqOXJkM1BpOG51YUQ3UkUwb2s";
const STAMP = "2026-11-25T17:41:38Z";
export const interaction1 = {
  id: INTERACTION_ID,
  object: "interaction",
  status: "requires_action",
  model: MODEL,
  created: STAMP,
  updated: STAMP,
  service_tier: "standard",
};

/** Server-sent events as the relay writes them. */
function sse(events: ReadonlyArray<readonly [event: string, data: unknown]>): string {
  return events.map(([event, data]) => `event: ${event}\ndata: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`).join("");
}

/** The upstream's events for turn 1, as received (the relay forwards each one). */
const upstreamEvents1 = {
  created: [
    "interaction.created",
    { interaction: { id: INTERACTION_ID, status: "in_progress", object: "interaction", model: MODEL }, event_type: "interaction.created" },
  ],
  progress: [
    "interaction.status_update",
    { interaction_id: INTERACTION_ID, status: "in_progress", event_type: "interaction.status_update" },
  ],
  thoughtStart: ["step.start", { index: 0, step: { type: "thought" }, event_type: "step.start" }],
  thoughtDelta: ["step.delta", { index: 0, delta: { signature: thought1.signature, type: "thought_signature" }, event_type: "step.delta" }],
  thoughtStop: ["step.stop", { index: 0, event_type: "step.stop" }],
  callStart: ["step.start", { index: 1, step: { ...call, arguments: {} }, event_type: "step.start" }],
  callDelta1: ["step.delta", { index: 1, delta: { arguments: '{"order_id":', type: "arguments_delta" }, event_type: "step.delta" }],
  callDelta2: ["step.delta", { index: 1, delta: { arguments: '"A-4417"}', type: "arguments_delta" }, event_type: "step.delta" }],
  callStop: ["step.stop", { index: 1, event_type: "step.stop" }],
  completed: ["interaction.completed", { interaction: { ...interaction1, usage: usage1 }, event_type: "interaction.completed" }],
} as const;

const E = upstreamEvents1;
/** Both relay transcripts start alike: the thought, finished. */
const thoughtFinished = [
  E.created,
  E.progress,
  E.thoughtStart,
  E.thoughtDelta,
  E.thoughtStop,
  ["turn.step", { index: 0, step: thought1 }],
] as const;
export const turnStream = () =>
  sse([
    ...thoughtFinished,
    E.callStart,
    E.callDelta1,
    E.callDelta2,
    E.callStop,
    ["turn.step", { index: 1, step: call }],
    E.completed,
    ["turn.completed", EXAMPLES.turn1Response],
  ]);
export const turnStreamFailed = () =>
  sse([
    ...thoughtFinished,
    [
      "turn.error",
      new RelayError(502, "upstream_unavailable", {
        detail: "The connection to the Gemini API failed or was cut. The reply had already begun, so the relay did not retry.",
      }).toProblem(),
    ],
  ]);
export const dropInStream = () => sse([...Object.values(E), ["done", "[DONE]"]]);

/** An example of an error the code makes (see upstream-failures.ts), as /v1/* renders it. */
export function shown(summary: string, error: RelayError): Example {
  return { summary, value: error.toProblem() };
}

/** The same, in Google's error shape (the drop-in routes). */
export function shownAsGoogle(summary: string, error: RelayError): Example {
  return { summary, value: { error: googleError(error) } };
}
