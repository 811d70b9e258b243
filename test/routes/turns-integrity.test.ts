// Each integrity check, shown against what the upstream itself does with the same transcript:
// Gemini (and the emulator) fails quietly or opaquely; the relay says what is wrong, before a billed call.
import { GoogleGenAI } from "@google/genai";
import { describe, expect, it } from "vitest";
import type { Emulator } from "@gemini-relay/emulator";
import type { StepValue, TurnResponse } from "../../src/schemas";
import { parseSse, problemOf, relayWithEmulator } from "../helpers";

const MODEL = "gemini-3.5-flash";
const tools = [
  {
    type: "function",
    name: "get_order_status",
    description: "Look up an order",
    parameters: { type: "object", properties: { order_id: { type: "string" } } },
  },
];

/** The SDK talking to the emulator directly: what a caller without the relay would see. */
function direct(emulator: Emulator) {
  const client = new GoogleGenAI({
    apiKey: "k",
    httpOptions: { baseUrl: "http://emulator.test", fetch: (i, init) => emulator.fetch(new Request(i, init)) },
  });
  return (input: StepValue[], withTools = true) =>
    client.interactions.create(
      { model: MODEL, input: input as never, store: false, ...(withTools ? { tools: tools as never } : {}) },
      { maxRetries: 0 },
    );
}

async function firstTurn() {
  const relay = relayWithEmulator();
  const t1 = await relay.ok({ model: MODEL, tools, input: "Where is my order A-4417?" });
  const call = t1.steps.find((s) => s.type === "function_call")!;
  return { relay, t1, call, ask: direct(relay.emulator) };
}

describe("integrity checks on /v1/turns", () => {
  it("returns the calls the caller must answer in pending_calls", async () => {
    const { t1, call } = await firstTurn();
    expect(t1.pending_calls).toEqual([call]);
  });

  it("names a function_result whose call_id matches no call, where Gemini returns an empty reply", async () => {
    const { relay, t1, call, ask } = await firstTurn();
    const wrong = { type: "function_result", call_id: "nope1234", name: call.name, result: "shipped" };
    const quiet = await ask([...t1.history, wrong]);
    expect(quiet.status).toBe("completed");
    expect(quiet.output_text).toBeUndefined();

    const res = await relay.turn({ model: MODEL, tools, history: t1.history, input: [wrong] });
    expect(res.status).toBe(422);
    const p = await problemOf(res);
    expect(p.code).toBe("integrity_failed");
    expect(p.errors).toEqual([{ path: "/input/0/call_id", message: expect.stringMatching(/no earlier function_call/) }]);
    expect(relay.creates()).toHaveLength(2); // turn 1 and the direct call; the relay did not call again
  });

  it("names a function_result whose name differs from its call's, where Gemini returns an empty reply", async () => {
    const { relay, t1, call, ask } = await firstTurn();
    const wrong = { type: "function_result", call_id: call.id, name: "get_weather", result: "shipped" };
    expect((await ask([...t1.history, wrong])).output_text).toBeUndefined();
    const p = await problemOf(await relay.turn({ model: MODEL, tools, history: t1.history, input: [wrong] }));
    expect(p.errors).toEqual([{ path: "/input/0/name", message: expect.stringMatching(/"get_weather".*"get_order_status"/) }]);
  });

  it("refuses a new question while a call is unanswered, listing the pending ids, where Gemini answers an opaque 400", async () => {
    const { relay, t1, call, ask } = await firstTurn();
    const opaque = await ask([...t1.history, { type: "user_input", content: [{ type: "text", text: "Hello?" }] }]).catch((e: unknown) => e);
    expect(opaque).toMatchObject({ status: 400 });
    expect(String((opaque as Error).message)).not.toContain(String(call.id));
    const p = await problemOf(await relay.turn({ model: MODEL, tools, history: t1.history, input: "Hello?" }));
    expect(p.status).toBe(422);
    expect(p.errors?.[0]).toEqual({ path: "/input", message: expect.stringContaining(`"${String(call.id)}"`) });
  });

  // Closure: the relay never refuses on turn N+1 a step the model wrote on turn N, so the checks on
  // model-authored steps warn (checkIntegrity's warnings) and the turn goes ahead.
  it("forwards a turn that calls a tool it no longer declares, where a refusal would break closure", async () => {
    const { relay, t1, call, ask } = await firstTurn();
    const answer = { type: "function_result", call_id: call.id, name: call.name, result: "shipped" };
    const forgot = await ask([...t1.history, answer], false);
    expect(forgot.status).toBe("completed"); // no error anywhere: the tool is simply gone
    const body = await relay.ok({ model: MODEL, history: t1.history, input: [answer] });
    const at = t1.history.findIndex((s) => s.type === "function_call");
    expect(body.warnings).toEqual([
      { code: "undeclared_tool", path: `/history/${at}/name`, message: expect.stringMatching(/declares no tools.*every turn/) },
    ]);
    expect(relay.creates()).toHaveLength(3); // turn 1, the direct call, and this turn
  });

  it("warns in the reply of what the next turn will warn of: a call to an undeclared tool after an unsigned thought", async () => {
    const relay = relayWithEmulator();
    const reply = [{ type: "thought" }, { type: "function_call", id: "c1", name: "get_weather", arguments: {} }];
    relay.emulator.script("scripted", { steps: reply, status: "requires_action" });
    const body = await relay.ok({ model: "scripted", tools, input: "Weather?" });
    expect(body.warnings).toEqual([
      { code: "undeclared_tool", path: "/history/2/name", message: expect.stringMatching(/"get_weather".*\("get_order_status"\)/) },
      { code: "unsigned_thought", path: "/history/1/signature", message: expect.stringMatching(/missing or empty/) },
    ]);
  });

  it("forwards a dropped thought signature, and Gemini's own 400 comes back", async () => {
    const { relay, t1, call, ask } = await firstTurn();
    const dropped = t1.history.map((s) => (s.type === "thought" ? { type: "thought" } : s));
    const answer = { type: "function_result", call_id: call.id, name: call.name, result: "shipped" };
    await expect(ask([...dropped, answer])).rejects.toMatchObject({ status: 400 });
    const p = await problemOf(await relay.turn({ model: MODEL, tools, history: dropped, input: [answer] }));
    expect(p).toMatchObject({ status: 400, code: "upstream_rejected" });
    expect(relay.creates()).toHaveLength(3);
  });

  it("carries pending_calls in turn.completed too", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn({ model: MODEL, tools, input: "Where is my order A-9001?", stream: true });
    const { events } = parseSse(await res.text());
    const completed = JSON.parse(events.at(-1)!.data) as TurnResponse;
    expect(completed.pending_calls).toHaveLength(1);
    expect(completed.pending_calls[0]).toMatchObject({ type: "function_call", name: "get_order_status" });
  });
});

describe("retention guard and Relay-Retention on /v1/turns", () => {
  it("states on every response that nothing was kept", async () => {
    const relay = relayWithEmulator();
    const okRes = await relay.turn({ model: MODEL, input: "hi" });
    expect(okRes.headers.get("relay-retention")).toBe("relay=none; upstream-store=false; grounding=none");
    const bad = await relay.turn("{");
    expect(bad.headers.get("relay-retention")).toBe("relay=none; upstream-store=false; grounding=none");
    const streamed = await relay.turn({ model: MODEL, input: "hi", stream: true });
    expect(streamed.headers.get("relay-retention")).toBe("relay=none; upstream-store=false; grounding=none");
    await streamed.text();
  });

  it("refuses Google Search grounding by default and says why", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn({ model: MODEL, tools: [{ type: "google_search" }], input: "search the latest news" });
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.[0]).toEqual({ path: "/tools/0", message: expect.stringMatching(/30 days/) });
    expect(relay.emulator.requests).toHaveLength(0);
  });

  it("allows grounding when the operator enabled it, and every response says so", async () => {
    const relay = relayWithEmulator({ ALLOW_GROUNDING: "true" });
    const res = await relay.turn({ model: MODEL, tools: [{ type: "google_search" }], input: "search the latest news" });
    expect(res.status).toBe(200);
    expect(res.headers.get("relay-retention")).toBe("relay=none; upstream-store=false; grounding=google_search; grounding-retention=30d");
    const body = (await res.json()) as TurnResponse;
    expect(body.steps.map((s) => s.type)).toEqual(expect.arrayContaining(["google_search_call", "google_search_result"]));
  });

  it("refuses Files API URIs unless stored resources are allowed", async () => {
    const input = [
      { type: "text", text: "Summarise this" },
      { type: "document", uri: "files/report-1", mime_type: "application/pdf" },
    ];
    const closed = relayWithEmulator();
    const p = await problemOf(await closed.turn({ model: MODEL, input }));
    expect(p.errors?.[0]?.message).toMatch(/Files API/);
    const open = relayWithEmulator({ ALLOW_STORED_RESOURCES: "true" });
    const res = await open.turn({ model: MODEL, input });
    expect(res.status).toBe(200);
    expect(res.headers.get("relay-retention")).toContain("stored-resources=files");
  });
});
