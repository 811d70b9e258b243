import { describe, expect, it } from "vitest";
import { RelayError } from "../../src/errors";
import type { StepRef } from "../../src/steps";
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

  it("fails the hop when a step started and never stopped (it was dropped, the turn still completed)", () => {
    expect(() => rebuild([start(0, { type: "model_output" }), delta(0, { type: "text", text: "x" }), completed()])).toThrow(
      /step.start 0 and no step.stop/,
    );
    expect(() =>
      rebuild([start(0, { type: "thought", signature: "s" }), stop(0), start(1, { type: "model_output" }), completed()]),
    ).toThrow(RelayError);
  });

  it("leaves the unfinished steps of a failed interaction to the turn's failure (Gemini's reasons, not a malformed stream)", () => {
    const { hop } = rebuild([
      start(0, { type: "model_output" }),
      delta(0, { type: "text", text: "x" }),
      completed("failed", { errors: [{ code: "safety", message: "blocked" }] }),
    ]);
    expect(hop.status).toBe("failed");
    expect(hop.steps).toEqual([]);
  });

  it("takes a step that never stopped from interaction.completed when it carries it", () => {
    const { hop } = rebuild([
      start(0, { type: "thought", signature: "s" }),
      stop(0),
      start(1, { type: "model_output" }),
      delta(1, { type: "text", text: "par" }),
      '{"event_type":"interaction.completed","interaction":{"status":"completed","steps":[{"type":"thought","signature":"s"},{"type":"model_output","content":[{"type":"text","text":"partial, then whole", "n": 1.10}]}]}}',
    ]);
    expect(hop.steps.map(text)).toEqual([
      '{"type":"thought","signature":"s"}',
      '{"type":"model_output","content":[{"type":"text","text":"partial, then whole", "n": 1.10}]}',
    ]);
  });
});

describe("HopAssembler splices deltas into the bytes received (never re-serialized)", () => {
  const ODD = '{"n": 12345678901234567890, "x": 1.10, "big": 1e400, "z": -0}';

  it("keeps step.start's number spellings when a text delta extends the step", () => {
    const { hop } = rebuild([
      `{"event_type":"step.start","index":0,"step":{"type": "model_output", "meta": ${ODD},"content":[{"type":"text","text":"a", "m": ${ODD}}]}}`,
      delta(0, { type: "text", text: "b" }),
      delta(0, { type: "text", text: "c" }),
      stop(0),
      completed(),
    ]);
    expect(hop.steps.map(text)).toEqual([`{"type": "model_output", "meta": ${ODD},"content":[{"type":"text","text":"abc", "m": ${ODD}}]}`]);
  });

  it("keeps the fields of a text delta that opens a block, as sent, type first", () => {
    const { hop } = rebuild([
      start(0, { type: "model_output" }),
      `{"event_type":"step.delta","index":0,"delta":{"text":"caf\\u00e9 ","type":"text","meta": ${ODD}}}`,
      `{"event_type":"step.delta","index":0,"delta":{"text":"\\ud83d\\ude00","type":"text"}}`,
      stop(0),
      completed(),
    ]);
    expect(hop.steps.map(text)).toEqual([
      `{"type":"model_output","content":[{"type":"text","text":"caf\\u00e9 \\ud83d\\ude00","meta": ${ODD}}]}`,
    ]);
    expect(values(hop.steps)).toEqual([
      {
        type: "model_output",
        content: [{ type: "text", text: "café 😀", meta: { n: 12345678901234567000, x: 1.1, big: Infinity, z: -0 } }],
      },
    ]);
  });

  it("keeps repeated keys in the parts it does not read, in step.start and in deltas", () => {
    const { hop } = rebuild([
      '{"event_type":"step.start","index":0,"step":{"type":"model_output","meta":{"d":1,"d":2}}}',
      '{"event_type":"step.delta","index":0,"delta":{"text":"a","type":"text","x":[1],"x":{"y":2,"y":3}}}',
      '{"event_type":"step.delta","index":0,"delta":{"type":"image","data":"AA","meta":1,"meta":2}}',
      stop(0),
      start(1, { type: "google_search_result", call_id: "s1" }),
      '{"event_type":"step.delta","index":1,"delta":{"type":"google_search_result","result":[{"k":1,"k":2}]}}',
      stop(1),
      completed(),
    ]);
    expect(hop.steps.map(text)).toEqual([
      '{"type":"model_output","meta":{"d":1,"d":2},"content":[{"type":"text","text":"a","x":[1],"x":{"y":2,"y":3}},{"type":"image","data":"AA","meta":1,"meta":2}]}',
      '{"type":"google_search_result","call_id":"s1","result":[{"k":1,"k":2}]}',
    ]);
  });

  it("refuses a delta whose meaningful keys are repeated, instead of picking one", () => {
    const textTwice = '{"event_type":"step.delta","index":0,"delta":{"text":"a","text":"b","type":"text"}}';
    expect(() => rebuild([start(0, { type: "model_output", content: [{ type: "text", text: "x" }] }), textTwice])).toThrow(
      /repeated "text"/,
    );
    const typeTwice = '{"event_type":"step.delta","index":0,"delta":{"type":"text","text":"a","type":"image"}}';
    expect(() => rebuild([start(0, { type: "model_output" }), typeTwice])).toThrow(/repeated "type"/);
    const resultTwice = '{"event_type":"step.delta","index":0,"delta":{"type":"code_execution_result","result":"1","result":"2"}}';
    expect(() => rebuild([start(0, { type: "code_execution_result", call_id: "c" }), resultTwice])).toThrow(/repeated "result"/);
  });

  it("reads text deltas that extend a block one way, whatever their spelling", () => {
    const { hop } = rebuild([
      start(0, { type: "model_output" }),
      delta(0, { type: "text", text: "a" }),
      '{"event_type":"step.delta", "index":0 ,"delta": { "text" : "\\\\\\"b}" , "type":"text" } }',
      '{"event_type":"step.delta","index":0,"delta":{"t\\u0065xt":"c\\u0022","type":"text"}}',
      '{"index":0,"delta":{"type":"text","text":"d","extra":{"text":"not this"}},"event_type":"step.delta"}',
      stop(0),
      completed(),
    ]);
    expect(hop.steps.map(text)).toEqual(['{"type":"model_output","content":[{"type":"text","text":"a\\\\\\"b}c\\u0022d"}]}']);
    expect(() =>
      rebuild([
        start(0, { type: "model_output" }),
        delta(0, { type: "text", text: "a" }),
        '{"event_type":"step.delta","index":0,"delta":{"text":"b","type":"text","text":"c"}}',
      ]),
    ).toThrow(/repeated "text"/);
    expect(() =>
      rebuild([
        start(0, { type: "model_output" }),
        delta(0, { type: "text", text: "a" }),
        '{"event_type":"step.delta","index":0,"delta":{"text":"b","type":"text"},"delta":{"text":"b","type":"text"}}',
      ]),
    ).toThrow(/repeated "delta"/);
  });

  it("keeps a thought signature's escapes as sent (\\u002f stays)", () => {
    const { hop } = rebuild([
      start(0, { type: "thought", signature: "" }),
      '{"event_type":"step.delta","index":0,"delta":{"signature":"EpoG\\u002fab\\/c+","type":"thought_signature"}}',
      stop(0),
      start(1, { type: "thought" }),
      '{"event_type":"step.delta","index":1,"delta":{"content":{"type":"text","text":"\\u0041"},"type":"thought_summary"}}',
      '{"event_type":"step.delta","index":1,"delta":{"signature" : "x\\u002fy","type":"thought_signature"}}',
      stop(1),
      completed(),
    ]);
    expect(hop.steps.map(text)).toEqual([
      '{"type":"thought","signature":"EpoG\\u002fab\\/c+"}',
      '{"type":"thought","summary":[{"type":"text","text":"\\u0041"}],"signature" : "x\\u002fy"}',
    ]);
  });

  it("merges the steps only interaction.completed carries by index, and prefers its bytes where it carries one", () => {
    const { hop, finished } = rebuild([
      start(0, { type: "thought", signature: "s" }),
      stop(0),
      start(2, { type: "model_output", content: [{ type: "text", text: "streamed" }] }),
      stop(2),
      '{"event_type":"interaction.completed","interaction":{"status":"completed","steps":[{"type":"thought","signature":"s", "n": 1.10},{"type":"model_output","content":[{"type":"text","text":"only here"}]}]}}',
    ]);
    expect(finished.map((f) => f?.index)).toEqual([0, 2]);
    expect(hop.steps.map(text)).toEqual([
      '{"type":"thought","signature":"s", "n": 1.10}',
      '{"type":"model_output","content":[{"type":"text","text":"only here"}]}',
      '{"type":"model_output","content":[{"type":"text","text":"streamed"}]}',
    ]);
  });

  it("keeps whitespace of step.start and of the arrays it extends", () => {
    const { hop } = rebuild([
      '{"event_type":"step.start","index":0,"step":{ "type" : "function_call" , "id":"c", "name":"f", "arguments" : { } }}',
      delta(0, { type: "arguments_delta", arguments: '{"n": 1234567890' }),
      delta(0, { type: "arguments_delta", arguments: '1234567890, "s": "\\u002f"}' }),
      stop(0),
      '{"event_type":"step.start","index":1,"step":{"type":"thought", "summary": [ {"type":"text","text":"a"} ] }}',
      delta(1, { type: "thought_summary", content: { type: "text", text: "b" } }),
      stop(1),
      completed(),
    ]);
    expect(hop.steps.map(text)).toEqual([
      '{ "type" : "function_call" , "id":"c", "name":"f", "arguments" : {"n": 12345678901234567890, "s": "\\u002f"} }',
      '{"type":"thought", "summary": [ {"type":"text","text":"a"},{"type":"text","text":"b"} ] }',
    ]);
  });

  it("refuses events it cannot read one way: a step twice, a delta after its stop, a repeated delta member", () => {
    expect(() => rebuild([start(0, { type: "thought" }), start(0, { type: "thought" })])).toThrow(/step.start 0 twice/);
    expect(() => rebuild([start(0, { type: "model_output" }), stop(0), delta(0, { type: "text", text: "late" })])).toThrow(
      /after its step.stop/,
    );
    expect(() =>
      rebuild([
        start(0, { type: "model_output" }),
        '{"event_type":"step.delta","index":0,"delta":{"type":"text","text":"a"},"delta":{"type":"text","text":"b"}}',
      ]),
    ).toThrow(/repeated "delta"/);
    expect(() => rebuild([start(0, { type: "model_output", content: "not a list" }), delta(0, { type: "text", text: "a" })])).toThrow(
      /"content" that is not an array/,
    );
  });
});
