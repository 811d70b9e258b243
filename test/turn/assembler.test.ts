import { describe, expect, it } from "vitest";
import { RelayError } from "../../src/errors";
import type { StepRef } from "../../src/turn/history";
import { HopAssembler } from "../../src/turn/assembler";

const start = (index: number, step: object) => ({ event_type: "step.start", index, step });
const delta = (index: number, d: object) => ({ event_type: "step.delta", index, delta: d });
const stop = (index: number) => ({ event_type: "step.stop", index });
const completed = (status = "completed", extra: object = {}) => ({
  event_type: "interaction.completed",
  interaction: { id: "v1_x", status, usage: { total_tokens: 3 }, ...extra },
});

const decoder = new TextDecoder();
const text = (step: StepRef) => decoder.decode(step.bytes);
/** Each step's bytes parsed (what the caller gets), checked against the view the relay read. */
function values(steps: StepRef[]): unknown[] {
  return steps.map((step) => {
    const value = JSON.parse(text(step)) as unknown;
    expect(step.view).toEqual(value);
    return value;
  });
}

/** Feeds events as the adapter hands them over: each one's data text, and that text parsed. */
function rebuild(events: (object | string)[]) {
  const assembler = new HopAssembler(64);
  const finished = events
    .map((e) => {
      const data = typeof e === "string" ? e : JSON.stringify(e);
      const value = JSON.parse(data) as { event_type: string };
      return assembler.accept({ type: value.event_type, data, value });
    })
    .filter(Boolean);
  return { hop: assembler.finish(), finished };
}

describe("HopAssembler", () => {
  it("rebuilds a thought whose signature is its last delta, and text split over deltas", () => {
    const { hop, finished } = rebuild([
      { event_type: "interaction.created", interaction: { id: "v1_x", status: "in_progress" } },
      start(0, { type: "thought" }),
      delta(0, { type: "thought_summary", content: { type: "text", text: "**Counting**" } }),
      delta(0, { type: "thought_signature", signature: "EpoG" }),
      stop(0),
      start(1, { type: "model_output" }),
      delta(1, { type: "text", text: "1, 2, 3, " }),
      delta(1, { type: "text", text: "4, 5." }),
      stop(1),
      completed(),
    ]);
    expect(values(hop.steps)).toEqual([
      { type: "thought", summary: [{ type: "text", text: "**Counting**" }], signature: "EpoG" },
      { type: "model_output", content: [{ type: "text", text: "1, 2, 3, 4, 5." }] },
    ]);
    expect(finished.map((f) => f?.index)).toEqual([0, 1]);
    expect(finished.map((f) => f?.step)).toEqual(hop.steps);
    expect(hop.status).toBe("completed");
    expect(hop.usage?.value).toEqual({ total_tokens: 3 });
    expect(decoder.decode(hop.usage?.bytes)).toBe('{"total_tokens":3}');
  });

  it("replaces a placeholder signature from step.start and keeps the inline first summary chunk", () => {
    const { hop } = rebuild([
      start(0, { type: "thought", signature: "", summary: [{ type: "text", text: "a" }] }),
      delta(0, { type: "thought_summary", content: { type: "text", text: "b" } }),
      delta(0, { type: "thought_signature", signature: "real" }),
      stop(0),
      completed(),
    ]);
    expect(values(hop.steps)).toEqual([
      {
        type: "thought",
        signature: "real",
        summary: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
      },
    ]);
  });

  it("routes interleaved function-call argument fragments by index", () => {
    const { hop } = rebuild([
      start(0, { type: "function_call", id: "a1", name: "f", arguments: {} }),
      start(1, { type: "function_call", id: "b2", name: "g", arguments: {} }),
      delta(0, { type: "arguments_delta", arguments: '{"city":"Pa' }),
      delta(1, { type: "arguments_delta", arguments: '{"n":' }),
      delta(0, { type: "arguments_delta", arguments: 'ris"}' }),
      delta(1, { type: "arguments_delta", arguments: "2}" }),
      stop(1),
      stop(0),
      completed("requires_action"),
    ]);
    expect(values(hop.steps)).toEqual([
      { type: "function_call", id: "a1", name: "f", arguments: { city: "Paris" } },
      { type: "function_call", id: "b2", name: "g", arguments: { n: 2 } },
    ]);
  });

  it("keeps arguments that arrive whole in step.start, or as an object delta, byte for byte", () => {
    const { hop } = rebuild([
      '{"event_type":"step.start","index":0,"step":{"type": "function_call","id":"a","name":"f","arguments":{"account": 12345678901234567890, "x": 1.10}}}',
      stop(0),
      start(1, { type: "function_call", id: "b", name: "f", arguments: {} }),
      '{"event_type":"step.delta","index":1,"delta":{"type":"arguments_delta","arguments":{"y": 2e0, "y": -0}}}',
      stop(1),
      completed("requires_action"),
    ]);
    expect(hop.steps.map(text)).toEqual([
      '{"type": "function_call","id":"a","name":"f","arguments":{"account": 12345678901234567890, "x": 1.10}}',
      '{"type":"function_call","id":"b","name":"f","arguments":{"y": 2e0, "y": -0}}',
    ]);
  });

  it("adds media blocks as their own content blocks and annotations to the current text", () => {
    const { hop } = rebuild([
      start(0, { type: "model_output", content: [{ type: "text", text: "See " }] }),
      delta(0, { type: "text", text: "this" }),
      delta(0, { type: "text_annotation_delta", annotations: [{ type: "url_citation", url: "https://e.x" }] }),
      delta(0, { type: "image", data: "AAAA", mime_type: "image/png" }),
      delta(0, { type: "text", text: "after" }),
      stop(0),
      completed(),
    ]);
    expect((values(hop.steps)[0] as { content: unknown }).content).toEqual([
      { type: "text", text: "See this", annotations: [{ type: "url_citation", url: "https://e.x" }] },
      { type: "image", data: "AAAA", mime_type: "image/png" },
      { type: "text", text: "after" },
    ]);
  });

  it("merges built-in tool deltas into their step, keeping odd keys as plain fields", () => {
    const { hop } = rebuild([
      start(0, { id: "mk", signature: "", type: "google_search_call" }),
      '{"event_type":"step.delta","index":0,"delta":{"type":"google_search_call","signature":"s1","arguments":{"queries":["q"]},"__proto__":{"odd":true}}}',
      stop(0),
      completed(),
    ]);
    const step = hop.steps[0]!;
    expect(text(step)).toBe(
      '{"id":"mk","signature":"s1","type":"google_search_call","arguments":{"queries":["q"]},"__proto__":{"odd":true}}',
    );
    expect(Object.getPrototypeOf(step.view)).toBe(Object.prototype);
    expect(Object.hasOwn(step.view, "__proto__")).toBe(true);
  });

  it("takes the continuation token from a status update or the completed interaction", () => {
    const a = rebuild([
      { event_type: "interaction.status_update", status: "in_progress", continuation_token: "T1" },
      completed("requires_continuation"),
    ]);
    expect(a.hop.continuationToken).toBe("T1");
    const b = rebuild([completed("requires_continuation", { continuation_token: "T2" })]);
    expect(b.hop.continuationToken).toBe("T2");
  });

  it("refuses to finish a hop that never completed", () => {
    expect(() => rebuild([start(0, { type: "model_output" }), stop(0)])).toThrow(RelayError);
  });

  it("refuses deltas for steps that never started and broken argument JSON", () => {
    expect(() => rebuild([delta(3, { type: "text", text: "x" })])).toThrow(/never started/);
    expect(() =>
      rebuild([
        start(0, { type: "function_call", id: "a", name: "f", arguments: {} }),
        delta(0, { type: "arguments_delta", arguments: "{oops" }),
        stop(0),
      ]),
    ).toThrow(/not valid JSON/);
  });

  it("leaves a step that never stopped out of the hop", () => {
    const { hop } = rebuild([start(0, { type: "model_output" }), delta(0, { type: "text", text: "x" }), completed()]);
    expect(hop.steps).toEqual([]);
  });
});
