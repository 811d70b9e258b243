import { describe, expect, it } from "vitest";
import { RelayError } from "../src/errors";
import { HopAssembler } from "../src/stream";

const start = (index: number, step: object) => ({ event_type: "step.start", index, step });
const delta = (index: number, d: object) => ({ event_type: "step.delta", index, delta: d });
const stop = (index: number) => ({ event_type: "step.stop", index });
const completed = (status = "completed", extra: object = {}) => ({
  event_type: "interaction.completed",
  interaction: { id: "v1_x", status, usage: { total_tokens: 3 }, ...extra },
});

function rebuild(events: object[]) {
  const assembler = new HopAssembler();
  const finished = events.map((e) => assembler.accept(JSON.parse(JSON.stringify(e)))).filter(Boolean);
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
    expect(hop.steps).toEqual([
      { type: "thought", summary: [{ type: "text", text: "**Counting**" }], signature: "EpoG" },
      { type: "model_output", content: [{ type: "text", text: "1, 2, 3, 4, 5." }] },
    ]);
    expect(finished.map((f) => f?.index)).toEqual([0, 1]);
    expect(hop.status).toBe("completed");
    expect(hop.usage).toEqual({ total_tokens: 3 });
  });

  it("replaces a placeholder signature from step.start and keeps the inline first summary chunk", () => {
    const { hop } = rebuild([
      start(0, { type: "thought", signature: "", summary: [{ type: "text", text: "a" }] }),
      delta(0, { type: "thought_summary", content: { type: "text", text: "b" } }),
      delta(0, { type: "thought_signature", signature: "real" }),
      stop(0),
      completed(),
    ]);
    expect(hop.steps).toEqual([{ type: "thought", signature: "real", summary: [{ type: "text", text: "a" }, { type: "text", text: "b" }] }]);
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
    expect(hop.steps).toEqual([
      { type: "function_call", id: "a1", name: "f", arguments: { city: "Paris" } },
      { type: "function_call", id: "b2", name: "g", arguments: { n: 2 } },
    ]);
  });

  it("keeps arguments that arrive whole in step.start, or as an object delta", () => {
    const { hop } = rebuild([
      start(0, { type: "function_call", id: "a", name: "f", arguments: { x: 1 } }),
      stop(0),
      start(1, { type: "function_call", id: "b", name: "f", arguments: {} }),
      delta(1, { type: "arguments_delta", arguments: { y: 2 } }),
      stop(1),
      completed("requires_action"),
    ]);
    expect(hop.steps.map((s) => s.arguments)).toEqual([{ x: 1 }, { y: 2 }]);
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
    expect(hop.steps[0]!.content).toEqual([
      { type: "text", text: "See this", annotations: [{ type: "url_citation", url: "https://e.x" }] },
      { type: "image", data: "AAAA", mime_type: "image/png" },
      { type: "text", text: "after" },
    ]);
  });

  it("merges built-in tool deltas into their step, keeping odd keys as plain fields", () => {
    const { hop } = rebuild([
      start(0, { id: "mk", signature: "", type: "google_search_call" }),
      { event_type: "step.delta", index: 0, delta: JSON.parse('{"type":"google_search_call","signature":"s1","arguments":{"queries":["q"]},"__proto__":{"odd":true}}') },
      stop(0),
      completed(),
    ]);
    const step = hop.steps[0]!;
    expect(step).toEqual(JSON.parse('{"id":"mk","signature":"s1","type":"google_search_call","arguments":{"queries":["q"]},"__proto__":{"odd":true}}'));
    expect(Object.getPrototypeOf(step)).toBe(Object.prototype);
  });

  it("takes the continuation token from a status update or the completed interaction", () => {
    const a = rebuild([{ event_type: "interaction.status_update", status: "in_progress", continuation_token: "T1" }, completed("requires_continuation")]);
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
      rebuild([start(0, { type: "function_call", id: "a", name: "f", arguments: {} }), delta(0, { type: "arguments_delta", arguments: "{oops" }), stop(0)]),
    ).toThrow(/not valid JSON/);
  });

  it("leaves a step that never stopped out of the hop", () => {
    const { hop } = rebuild([start(0, { type: "model_output" }), delta(0, { type: "text", text: "x" }), completed()]);
    expect(hop.steps).toEqual([]);
  });
});
