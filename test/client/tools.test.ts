// runTools against the real relay and the emulator's deterministic model: the seed support agent,
// failing handlers, the budget, resuming, streaming progress, and a transcript kept in a store.
import { describe, expect, it } from "vitest";
import { MemoryTranscriptStore, type FunctionCallStep, type RunToolsEvent, type Step, type ToolDefinition } from "@gemini-relay/client";
import { relayWithEmulator } from "../helpers";
import { clientFor, MODEL } from "./helpers";

const ORDERS: Record<string, string> = { "A-4417": "shipped", "A-9001": "processing" };

function orderTools(ran: string[] = []): Record<string, ToolDefinition> {
  return {
    get_order_status: {
      declaration: {
        description: "Look up the shipping status of an order",
        parameters: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] },
      },
      handler: ({ order_id }: { order_id: string }) => {
        ran.push(order_id);
        const status = ORDERS[order_id];
        if (!status) throw new Error(`No order with id ${order_id}`);
        return { order_id, status };
      },
    },
  };
}

const functionCall = (id: string): FunctionCallStep => ({
  type: "function_call",
  id,
  name: "get_order_status",
  arguments: { order_id: "A-4417" },
});

describe("client.runTools", () => {
  it("answers the model's call locally and returns the final answer (seed: A-4417 is shipped)", async () => {
    const relay = relayWithEmulator();
    const { client } = clientFor(relay);
    const ran: string[] = [];
    const run = await client.runTools({
      model: MODEL,
      system_instruction: "You are a support agent.",
      input: "Where is my order A-4417?",
      tools: orderTools(ran),
    });

    expect(ran).toEqual(["A-4417"]);
    expect(run.stopReason).toBe("answered");
    expect(run.toolCalls).toBe(1);
    expect(run.pending_calls).toEqual([]);
    expect(run.output_text).toMatch(/shipped/);
    expect(run.result?.history).toBe(run.history);

    const call = run.history.find((s) => s.type === "function_call")!;
    const answer = run.history.find((s) => s.type === "function_result")!;
    expect(answer).toEqual({
      type: "function_result",
      call_id: call.id,
      name: "get_order_status",
      result: { order_id: "A-4417", status: "shipped" },
    });
    expect(run.history.indexOf(answer)).toBeGreaterThan(run.history.indexOf(call));
    expect(run.history.at(-1)?.type).toBe("model_output");

    // Gemini does not remember tools: the declarations (and system instruction) went with both turns.
    const creates = relay.creates();
    expect(creates).toHaveLength(2);
    for (const body of creates) {
      expect(body.tools).toEqual([
        {
          type: "function",
          name: "get_order_status",
          description: "Look up the shipping status of an order",
          parameters: orderTools().get_order_status!.declaration.parameters,
        },
      ]);
      expect(body.system_instruction).toBe("You are a support agent.");
    }
  });

  it("sends a handler's exception as a function_result with is_error", async () => {
    const relay = relayWithEmulator();
    const { client } = clientFor(relay);
    const run = await client.runTools({ model: MODEL, input: "Where is my order Z-1?", tools: orderTools() });
    const call = run.history.find((s) => s.type === "function_call")!;
    const answer = run.history.find((s) => s.type === "function_result");
    expect(call.arguments).toEqual({ order_id: "Z-1" });
    expect(answer).toEqual({
      type: "function_result",
      call_id: call.id,
      name: "get_order_status",
      result: "No order with id Z-1",
      is_error: true,
    });
    expect(run.stopReason).toBe("answered");
    expect(run.output_text).toMatch(/get_order_status failed: No order with id Z-1/);
  });

  it("stops when the budget is spent, leaving the calls pending, and answers them first when resumed", async () => {
    const relay = relayWithEmulator();
    // A model that keeps asking: three calls in a row, then an answer.
    relay.emulator.script(
      "eager",
      { steps: [functionCall("c1")] },
      { steps: [functionCall("c2")] },
      { steps: [functionCall("c3")] },
      { steps: [{ type: "model_output", content: [{ type: "text", text: "All done." }] }] },
    );
    const { client } = clientFor(relay);
    const ran: string[] = [];
    const first = await client.runTools({ model: "eager", input: "Check A-4417 thrice", tools: orderTools(ran), maxToolCalls: 2 });
    expect(first.stopReason).toBe("max_tool_calls");
    expect(first.toolCalls).toBe(2);
    expect(ran).toHaveLength(2);
    expect(first.pending_calls.map((c) => c.id)).toEqual(["c3"]);
    expect(first.history.at(-1)).toEqual(functionCall("c3"));
    expect(first.output_text).toBeUndefined();
    expect(relay.creates()).toHaveLength(3);

    // Resuming with new input: the owed call is answered before the new message, as Gemini requires.
    const second = await client.runTools({
      model: "eager",
      history: first.history,
      input: "Any news?",
      tools: orderTools(ran),
      maxToolCalls: 2,
    });
    expect(second.stopReason).toBe("answered");
    expect(second.output_text).toBe("All done.");
    expect(ran).toHaveLength(3);
    const sent = relay.creates()[3]!.input as Step[];
    expect(sent.slice(-2).map((s) => s.type)).toEqual(["function_result", "user_input"]);
    expect(sent.at(-2)).toMatchObject({ call_id: "c3", name: "get_order_status" });
  });

  it("runs no handler and sends nothing when the owed calls do not fit the budget", async () => {
    const relay = relayWithEmulator();
    const { client } = clientFor(relay);
    const history: Step[] = [{ type: "user_input", content: [{ type: "text", text: "hi" }] }, functionCall("c1"), functionCall("c2")];
    const ran: string[] = [];
    const run = await client.runTools({ model: MODEL, history, tools: orderTools(ran), maxToolCalls: 1 });
    expect(run).toMatchObject({ stopReason: "max_tool_calls", toolCalls: 0, result: undefined });
    expect(run.pending_calls.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(ran).toEqual([]);
    expect(relay.creates()).toHaveLength(0);
  });

  it("answers parallel calls together, each by its own call_id", async () => {
    const relay = relayWithEmulator();
    relay.emulator.script("parallel", {
      steps: [
        { type: "function_call", id: "p1", name: "get_order_status", arguments: { order_id: "A-4417" } },
        { type: "function_call", id: "p2", name: "get_order_status", arguments: { order_id: "A-9001" } },
      ],
    });
    const { client } = clientFor(relay);
    const run = await client.runTools({ model: "parallel", input: "Both orders?", tools: orderTools() });
    expect(run.toolCalls).toBe(2);
    const results = run.history.filter((s) => s.type === "function_result");
    expect(results).toEqual([
      { type: "function_result", call_id: "p1", name: "get_order_status", result: { order_id: "A-4417", status: "shipped" } },
      { type: "function_result", call_id: "p2", name: "get_order_status", result: { order_id: "A-9001", status: "processing" } },
    ]);
    expect(relay.creates()).toHaveLength(2);
  });

  it("streams every turn and reports tool calls and results in order", async () => {
    const relay = relayWithEmulator();
    const { client } = clientFor(relay);
    const events: RunToolsEvent[] = [];
    const run = await client.runTools({
      model: MODEL,
      input: "Where is my order A-9001?",
      tools: orderTools(),
      generation_config: { thinking_summaries: "auto" },
      stream: true,
      onEvent: (event) => {
        events.push(event);
      },
    });
    const kinds = events.map((e) => e.type).filter((t) => t !== "upstream");
    const call = kinds.indexOf("tool.call");
    expect(kinds.indexOf("thought_summary.delta")).toBeLessThan(call);
    expect(kinds[call + 1]).toBe("tool.result");
    expect(kinds.filter((t) => t === "turn.completed")).toHaveLength(2);
    expect(kinds.lastIndexOf("text.delta")).toBeGreaterThan(call);
    const text = events
      .slice(call)
      .flatMap((e) => (e.type === "text.delta" ? [e.text] : []))
      .join("");
    expect(text).toBe(run.output_text);
    expect(text).toMatch(/processing/);
    expect(relay.creates().every((body) => body.stream === true)).toBe(true);
  });

  it("keeps a conversation across runs in a TranscriptStore (in memory)", async () => {
    const relay = relayWithEmulator();
    const { client } = clientFor(relay);
    const store = new MemoryTranscriptStore();
    expect(await store.load("alice")).toBeUndefined();

    const first = await client.runTools({ model: MODEL, input: "Where is my order A-4417?", tools: orderTools() });
    await store.save("alice", first.history);
    first.history.push({ type: "user_input", content: [] }); // later edits do not reach the store

    const history = (await store.load("alice"))!;
    expect(history).toHaveLength(first.history.length - 1);
    const second = await client.turn({
      model: MODEL,
      tools: [{ type: "function", name: "get_order_status" }],
      history,
      input: "Thanks! When will it arrive?",
    });
    expect(second.output_text).toMatch(/history intact: \d+ steps, 2 thought signatures verified/);

    await store.delete("alice");
    expect(await store.load("alice")).toBeUndefined();
  });
});
