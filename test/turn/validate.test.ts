import { describe, expect, it, vi } from "vitest";
import { JsonScanner } from "../../src/json/scan";
import type { StepRef } from "../../src/steps";
import { parseTurn } from "../../src/turn/validate";
import { relayErrorOf } from "../relay-error";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const bytesOf = (body: unknown) => encoder.encode(JSON.stringify(body));
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : decoder.decode(bytes));
/** Each step's bytes parsed, to compare with what was meant. */
const parsed = (steps: StepRef[]) => steps.map((step) => JSON.parse(decoder.decode(step.bytes)) as unknown);

const policy = {
  allowGrounding: false,
  allowStoredResources: false,
  maxSteps: 100,
  maxJsonDepth: 64,
  extraPassthroughFields: [] as string[],
};
const parse = (body: unknown, limits = policy) => parseTurn(bytesOf(body), limits);
const problem = (body: unknown, limits = policy) => relayErrorOf(() => parse(body, limits)).toProblem();
const hi = { type: "user_input", content: [{ type: "text", text: "hi" }] };

describe("parseTurn", () => {
  it("turns a string input into one user_input step with one text block", () => {
    const turn = parse({ model: "m", input: "hello \u00e9\n" });
    const step = { type: "user_input", content: [{ type: "text", text: "hello \u00e9\n" }] };
    expect(turn.newSteps.map((s) => s.view)).toEqual([step]);
    expect(parsed(turn.newSteps)).toEqual([step]);
    expect(turn.history).toEqual([]);
    expect(turn.historyInner).toBeUndefined();
  });

  it("turns content blocks into one user_input step, wrapping the blocks' bytes as sent", () => {
    const raw = '[ {"type":"text","text":"look"},{"type":"image","data":"AAAA","mime_type":"image/png","n":1.50} ]';
    const turn = parseTurn(encoder.encode(`{"model":"m","input":${raw}}`), policy);
    expect(turn.newSteps).toHaveLength(1);
    expect(turn.newSteps[0]!.view).toEqual({ type: "user_input", content: JSON.parse(raw) });
    expect(text(turn.newSteps[0]!.bytes)).toBe(`{"type":"user_input","content":${raw}}`);
  });

  it("keeps steps given as input, and the history, as the very bytes sent", () => {
    const history =
      ' {"type":"user_input","content":[{"type":"text","text":"hi\\u00e9"}]} ,\n {"type":"function_call","id":"c1","name":"f","arguments":{"n":12345678901234567890,"z":-0,"a":1e400,"a":2}} ';
    const result = '{"type":"function_result","call_id":"c1","name":"f","result":"ok","extra":{"deep":[1.10]}}';
    const turn = parseTurn(encoder.encode(`{"model":"m","history":[${history}],"input":[${result}]}`), policy);
    expect(text(turn.historyInner)).toBe(history);
    expect(turn.history.map((s) => text(s.bytes))).toEqual([
      '{"type":"user_input","content":[{"type":"text","text":"hi\\u00e9"}]}',
      '{"type":"function_call","id":"c1","name":"f","arguments":{"n":12345678901234567890,"z":-0,"a":1e400,"a":2}}',
    ]);
    expect(text(turn.newSteps[0]!.bytes)).toBe(result);
    // History is opaque: the relay keeps only the fields it reads.
    expect(turn.history.map((s) => s.view)).toEqual([{ type: "user_input" }, { type: "function_call", id: "c1", name: "f" }]);
  });

  it("forwards the model and the interaction-scoped fields that were sent, as sent", () => {
    const tools = '[ {"type":"function","name":"f","parameters":{"type":"object"}} ]';
    const body = `{"model":"m","input":"x","tools": ${tools},"system_instruction":"be\\u0020brief","stream":false,"service_tier":"flex","labels":{"team":"a"},"response_mime_type":"application/json","response_modalities":["TEXT"]}`;
    const turn = parseTurn(encoder.encode(body), policy);
    expect(turn.forwarded.map(text)).toEqual([
      '"model":"m"',
      `"tools": ${tools}`,
      '"system_instruction":"be\\u0020brief"',
      '"service_tier":"flex"',
      '"labels":{"team":"a"}',
      '"response_mime_type":"application/json"',
      '"response_modalities":["TEXT"]',
    ]);
    expect(turn.tools).toEqual(JSON.parse(tools));
    expect(turn.stream).toBe(false);
  });

  it("refuses store, background, previous_interaction_id and webhook_config with the reason", () => {
    const p = problem({ model: "m", input: "x", store: true, background: true, previous_interaction_id: "v1_abc", webhook_config: {} });
    expect(p.status).toBe(400);
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.map((e) => e.path)).toEqual(["/store", "/background", "/previous_interaction_id", "/webhook_config"]);
    expect(p.detail).toMatch(/retain/);
  });

  it("accepts store: false", () => {
    expect(parse({ model: "m", input: "x", store: false }).model).toBe("m");
  });

  it("refuses a continuation_token from the caller", () => {
    const p = problem({ model: "m", input: "x", continuation_token: "T" });
    expect(p.code).toBe("invalid_request");
    expect(p.errors?.[0]?.path).toBe("/continuation_token");
  });

  it("names unknown top-level fields, and the setting that lets one through", () => {
    const p = problem({ model: "m", input: "x", temperature: 1, foo: 2 });
    expect(p.code).toBe("unknown_field");
    expect(p.errors?.map((e) => e.path)).toEqual(["/temperature", "/foo"]);
    expect(p.errors?.[1]?.message).toMatch(/PASSTHROUGH_FIELDS=foo/);
    const turn = parseTurn(encoder.encode('{"model":"m","input":"x","foo": {"any":[1]}}'), { ...policy, extraPassthroughFields: ["foo"] });
    expect(turn.forwarded.map(text)).toEqual(['"model":"m"', '"foo": {"any":[1]}']);
  });

  it("refuses a field sent twice", () => {
    const p = relayErrorOf(() => parseTurn(encoder.encode('{"model":"m","input":"x","store":false,"store":true}'), policy)).toProblem();
    expect(p.code).toBe("invalid_request");
    expect(p.errors?.[0]).toEqual({ path: "/store", message: "appears more than once" });
  });

  // Closure (issue #10): a step type newer than the relay comes back from Gemini; the next turn must carry it.
  it("accepts a history step of unknown type, as sent; in input it is still refused", () => {
    const turn = parse({ model: "m", history: [hi, { type: "telepathy", payload: { any: [1] } }], input: "x" });
    expect(turn.history.map((s) => s.view.type)).toEqual(["user_input", "telepathy"]);
    expect(parsed(turn.history)[1]).toEqual({ type: "telepathy", payload: { any: [1] } });
    const p = problem({ model: "m", history: [hi], input: [{ type: "telepathy" }] });
    expect(p.code).toBe("invalid_request");
    expect(p.errors?.[0]?.path).toBe("/input/0/type");
    expect(p.errors?.[0]?.message).toMatch(/not a known type.*user_input/);
  });

  it("requires each history step to be an object with a string type, and points at the one that is not", () => {
    for (const bad of [{ kind: "user_input" }, { type: 7 }, "user_input", null, []]) {
      const p = problem({ model: "m", history: [hi, bad], input: "x" });
      expect(p.code, JSON.stringify(bad)).toBe("invalid_request");
      expect(p.errors?.[0]?.path).toBe("/history/1");
    }
  });

  // The shapes issue #10 saw Gemini return and the relay then refuse: now opaque in history.
  it("accepts history steps missing fields the input schema requires; in input they point at the field", () => {
    const history = [
      { type: "user_input", content: [{ type: "text" }] },
      {
        type: "model_output",
        content: [
          { type: "text", text: "a", annotations: [{ url: "https://e.x" }] },
          { type: "hologram", frames: 3 },
        ],
      },
      { type: "google_search_call", id: "s1" },
      { type: "google_search_result", call_id: "s1" },
      { type: "code_execution_result", call_id: "e1" },
      { type: "function_call", id: "c1", name: "f" },
      { type: "function_result", call_id: "c1", result: "ok" },
    ];
    expect(parse({ model: "m", history, input: "x" }).history).toHaveLength(history.length);
    const p = problem({ model: "m", history: [hi], input: [{ type: "user_input", content: [{ type: "text" }] }] });
    expect(p.errors?.[0]?.path).toBe("/input/0/content/0/text");
  });

  it("checks function_call fields of input steps by JSON type (history keeps them as sent)", () => {
    const call = { type: "function_call", id: 7, name: "f", arguments: "{}" };
    const p = problem({ model: "m", history: [hi], input: [call, { type: "user_input", content: [{ type: "text", text: "go" }] }] });
    expect(p.errors?.map((e) => e.path).sort()).toEqual(["/input/0/arguments", "/input/0/id"]);
    expect(parse({ model: "m", history: [hi, call], input: "x" }).history[1]!.view).toEqual({ type: "function_call", id: 7, name: "f" });
  });

  it("points into input steps with the input prefix", () => {
    const p = problem({ model: "m", history: [hi], input: [{ type: "function_result", name: "f", result: "x" }] });
    expect(p.errors?.[0]?.path).toBe("/input/0/call_id");
  });

  it("requires a model", () => {
    expect(problem({ input: "x" }).errors?.[0]?.path).toBe("/model");
    expect(problem({ model: "", input: "x" }).errors?.[0]?.path).toBe("/model");
  });

  it("refuses a body that is not a JSON object", () => {
    for (const body of [[1, 2], null, "x"]) {
      const p = problem(body);
      expect(p.status).toBe(400);
      expect(p.code).toBe("invalid_json");
      expect(p.detail).toMatch(/must be a JSON object/);
    }
    expect(relayErrorOf(() => parseTurn(encoder.encode('{"model":"m","input":"x"} trailing'), policy)).code).toBe("invalid_json");
  });

  it("refuses a turn that gives the model nothing to answer", () => {
    expect(problem({ model: "m" }).code).toBe("nothing_to_answer");
    expect(problem({ model: "m", history: [hi, { type: "model_output", content: [] }] }).code).toBe("nothing_to_answer");
    expect(problem({ model: "m", history: [hi], input: [{ type: "model_output" }] }).errors?.[0]?.path).toBe("/input");
  });

  it("accepts a history that already ends with a user_input and no input", () => {
    expect(parse({ model: "m", history: [hi] }).newSteps).toEqual([]);
  });

  it("refuses more steps than MAX_STEPS before reading them", () => {
    const p = problem({ model: "m", history: [hi, hi, hi], input: [hi] }, { ...policy, maxSteps: 3 });
    expect(p.status).toBe(413);
    expect(p.code).toBe("payload_too_large");
  });

  it("accepts every built-in tool step type with its required fields, in history and as input", () => {
    const steps = [
      { type: "google_search_call", id: "s1", arguments: { queries: ["q"] }, signature: "x" },
      { type: "google_search_result", call_id: "s1", result: [{ search_suggestions: "<div/>" }] },
      { type: "code_execution_call", id: "e1", arguments: { code: "1+1", language: "python" } },
      { type: "code_execution_result", call_id: "e1", result: "2" },
      { type: "url_context_call", id: "u1", arguments: { urls: ["https://example.com"] } },
      { type: "url_context_result", call_id: "u1", result: [] },
      { type: "google_maps_call", id: "g1" },
      { type: "google_maps_result", call_id: "g1", result: [] },
      { type: "file_search_call", id: "f1" },
      { type: "file_search_result", call_id: "f1" },
      { type: "mcp_server_tool_call", id: "m1", name: "n", server_name: "srv", arguments: {} },
      { type: "mcp_server_tool_result", call_id: "m1", result: "ok" },
      { type: "retrieval_call", id: "r1", arguments: {} },
      { type: "retrieval_result", call_id: "r1" },
      { type: "processing_call", id: "p1" },
      { type: "processing_result", call_id: "p1" },
      { type: "thought", signature: "sig", summary: [{ type: "text", text: "hmm" }] },
      { type: "model_output", content: [{ type: "text", text: "ok" }] },
    ];
    expect(parse({ model: "m", history: [hi, ...steps], input: "next" }).history).toHaveLength(steps.length + 1);
    expect(parse({ model: "m", history: [hi], input: [...steps, hi] }).newSteps).toHaveLength(steps.length + 1);
  });
});

describe("one reading: a repeated key", () => {
  const raw = (text: string, limits = policy) => parseTurn(encoder.encode(text), limits);
  const rawProblem = (text: string, limits = policy) => relayErrorOf(() => raw(text, limits)).toProblem();
  const CONTENT = '"content":[{"type":"text","text":"hi"}]';

  it("refuses a history step whose type appears twice, pointing at it (it was read as the last one)", () => {
    const p = rawProblem(`{"model":"m","history":[{"type":"model_output",${CONTENT},"type":"user_input"}],"input":"x"}`);
    expect(p.status).toBe(400);
    expect(p.code).toBe("invalid_request");
    expect(p.errors).toEqual([{ path: "/history/0/type", message: "appears more than once in its object" }]);
    // Spelled with an escape, the key is the same key.
    expect(
      rawProblem(`{"model":"m","history":[{"type":"model_output",${CONTENT},"typ\\u0065":"user_input"}],"input":"x"}`).errors?.[0]?.path,
    ).toBe("/history/0/type");
  });

  it("refuses the other keys the relay or Gemini reads in a history step and its content blocks", () => {
    const cases: [string, string][] = [
      ['{"type":"function_call","id":"a","name":"f","arguments":{},"id":"b"}', "/history/1/id"],
      ['{"type":"function_call","id":"a","name":"f","name":"g","arguments":{}}', "/history/1/name"],
      ['{"type":"thought","signature":"s","signature":"t"}', "/history/1/signature"],
      ['{"type":"function_result","call_id":"a","call_id":"b","result":"ok"}', "/history/1/call_id"],
      ['{"type":"model_output","content":[],"content":[{"type":"text","text":"x"}]}', "/history/1/content"],
      ['{"type":"user_input","content":[{"type":"text","text":"a"},{"type":"text","text":"b","text":"c"}]}', "/history/1/content/1/text"],
      ['{"type":"user_input","content":[{"type":"image","uri":"https://x.test/a.png","uri":"files/abc"}]}', "/history/1/content/0/uri"],
      ['{"type":"thought","summary":[{"type":"text","type":"image","data":"AA"}]}', "/history/1/summary/0/type"],
      [
        '{"type":"function_result","call_id":"a","result":[{"type":"image","mime_type":"a","mime_type":"b"}]}',
        "/history/1/result/0/mime_type",
      ],
    ];
    for (const [step, path] of cases) {
      const p = rawProblem(`{"model":"m","history":[${JSON.stringify(hi)},${step}],"input":"x"}`);
      expect(p.errors?.[0]?.path, step).toBe(path);
    }
  });

  it("carries repeats in a model-authored step's parts nobody reads by key (function arguments, unknown fields) byte for byte", () => {
    const history = [
      '{"type":"function_call","id":"c1","name":"f","arguments":{"q":"a","q":"b","deep":[{"k":1,"k":2}]}}',
      '{"type":"function_result","call_id":"c1","result":{"r":1}}',
      '{"type":"model_output","content":[{"type":"text","text":"ok","meta":{"m":1,"m":2}}],"x":{"y":0,"y":0}}',
    ];
    const turn = raw(`{"model":"m","history":[${history.join(" , ")}],"input":"x"}`);
    expect(turn.history.map((s) => text(s.bytes))).toEqual(history);
    expect(text(turn.historyInner)).toBe(history.join(" , "));
  });

  it("refuses any repeated key in a caller-authored history step, at any depth, as it was refused as new input", () => {
    const call = '{"type":"function_call","id":"c1","name":"f","arguments":{}}';
    const cases: [string, string][] = [
      // The retention guard reads the last `uri` (a harmless URL); Gemini may read the first (a stored file).
      [
        '{"type":"user_input","content":[{"type":"weird","inner":{"type":"image","uri":"files/abc","uri":"https://example.com/ok.png"}}]}',
        "/history/2/content/0/inner/uri",
      ],
      ['{"type":"function_result","call_id":"c1","result":{"r":1,"r":2}}', "/history/2/result/r"],
      ['{"type":"function_result","call_id":"c1","result":"ok","extra":1,"extra":2}', "/history/2/extra"],
      ['{"type":"user_input","content":[{"type":"text","text":"a","meta":{"m":1,"m":2}}]}', "/history/2/content/0/meta/m"],
      // An escaped colon (one parsed colon the text does not write as `:`) beside a repeat (one the
      // parse drops): the counts agree, so the escape alone must send the step to the walk.
      ['{"type":"user_input","content":[{"type":"text","text":"a\\u003ab","m":1,"m":2}]}', "/history/2/content/0/m"],
    ];
    for (const [step, path] of cases) {
      const p = rawProblem(`{"model":"m","history":[${JSON.stringify(hi)},${call},${step}],"input":"x"}`);
      expect(p.status, step).toBe(400);
      expect(p.errors, step).toEqual([{ path, message: "appears more than once in its object" }]);
    }
  });

  it("walks a caller step's text for a repeat only when its colons say one may be there", () => {
    const walk = vi.spyOn(JsonScanner.prototype, "repeatedKey");
    const steps = Array.from({ length: 50 }, (_, i) => ({
      type: "user_input",
      content: [{ type: "text", text: `a:b ${i}`, meta: { k: i } }],
    }));
    expect(parse({ model: "m", history: steps, input: "x" }).history).toHaveLength(50);
    expect(walk).not.toHaveBeenCalled();
    const repeated = rawProblem(
      `{"model":"m","history":[${JSON.stringify(hi)},{"type":"user_input","content":[],"x":1,"x":2}],"input":"x"}`,
    );
    expect(repeated.errors?.[0]?.path).toBe("/history/1/x");
    expect(walk).toHaveBeenCalledTimes(1);
    walk.mockRestore();
  });

  it("refuses any repeated key in the new input, at any depth, pointing at it", () => {
    const cases: [string, string][] = [
      [`[{"type":"model_output",${CONTENT},"type":"user_input"}]`, "/input/0/type"],
      ['[{"type":"text","text":{"not":"a string"},"text":"fine"}]', "/input/0/text"],
      ['[{"type":"function_result","call_id":"c","name":"f","result":{"a":{"b":1,"b":2}}}]', "/input/0/result/a/b"],
      ['[{"type":"user_input","content":[{"type":"text","text":"a","extra":1,"extra":2}]}]', "/input/0/content/0/extra"],
    ];
    for (const [input, path] of cases) {
      const p = rawProblem(`{"model":"m","history":[${JSON.stringify(hi)}],"input":${input}}`);
      expect(p.status, input).toBe(400);
      expect(p.errors, input).toEqual([{ path, message: "appears more than once in its object" }]);
    }
  });

  it("refuses a repeated key in the other fields the caller writes this turn", () => {
    const p = rawProblem(
      '{"model":"m","input":"x","tools":[{"type":"function","name":"f","parameters":{"type":"object","type":"string"}}]}',
    );
    expect(p.errors?.[0]?.path).toBe("/tools/0/parameters/type");
    expect(rawProblem('{"model":"m","input":"x","generation_config":{"temperature":1,"temperature":0}}').errors?.[0]?.path).toBe(
      "/generation_config/temperature",
    );
  });

  it("is not fooled by colons, escaped colons or lookalike keys in strings and sibling objects", () => {
    const input = '[{"type":"text","text":"a:b \\u003a {\\"text\\":1,\\"text\\":2}","k:v":[{"a":1},{"a":1}],"\\u003ab":"x",":b:":"y"}]';
    expect(text(raw(`{"model":"m","input":${input}}`).newSteps[0]!.bytes)).toBe(`{"type":"user_input","content":${input}}`);
  });
});

describe("depth, measured per step", () => {
  const limits = { ...policy, maxJsonDepth: 8 };
  const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("reads content blocks given as input at the depth they will have in next turn's history", () => {
    // A block is at depth 3 in the request, 5 in the next one's history: 3 levels below it fit, 4 do not (they were
    // accepted, and the step built from them was refused as history next turn).
    const body = (levels: number) => `{"model":"m","input":[{"type":"text","text":"t","x":${nested(levels)}}]}`;
    const turn = parseTurn(encoder.encode(body(3)), limits);
    // The step built from the blocks is accepted as history next turn.
    const next = `{"model":"m","history":[${text(turn.newSteps[0]!.bytes)}],"input":"y"}`;
    expect(parseTurn(encoder.encode(next), limits).history).toHaveLength(1);
    const p = relayErrorOf(() => parseTurn(encoder.encode(body(4)), limits)).toProblem();
    expect(p.code).toBe("too_deep");
  });
});
