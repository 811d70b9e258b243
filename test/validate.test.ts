import { describe, expect, it } from "vitest";
import { parseTurn } from "../src/validate";
import { relayErrorOf } from "./relay-error";

const problem = (body: unknown) => relayErrorOf(() => parseTurn(body, policy)).toProblem();

const policy = { allowGrounding: false, allowStoredResources: false, maxSteps: 100 };
const hi = { type: "user_input", content: [{ type: "text", text: "hi" }] };

describe("parseTurn", () => {
  it("turns a string input into one user_input step with one text block", () => {
    const turn = parseTurn({ model: "m", input: "hello" }, policy);
    expect(turn.newSteps).toEqual([{ type: "user_input", content: [{ type: "text", text: "hello" }] }]);
    expect(turn.history).toEqual([]);
  });

  it("turns content blocks into one user_input step", () => {
    const blocks = [{ type: "text", text: "look" }, { type: "image", data: "AAAA", mime_type: "image/png" }];
    expect(parseTurn({ model: "m", input: blocks }, policy).newSteps).toEqual([{ type: "user_input", content: blocks }]);
  });

  it("keeps steps given as input, and the history, as the very same objects", () => {
    const call = { type: "function_call", id: "c1", name: "f", arguments: {} };
    const result = { type: "function_result", call_id: "c1", name: "f", result: "ok", extra: { deep: [1] } };
    const history = [hi, call];
    const turn = parseTurn({ model: "m", history, input: [result] }, policy);
    expect(turn.history).toBe(history);
    expect(turn.newSteps[0]).toBe(result);
  });

  it("passes through only the interaction-scoped fields that were sent", () => {
    const tools = [{ type: "function", name: "f", parameters: { type: "object" } }];
    const turn = parseTurn({ model: "m", input: "x", tools, system_instruction: "be brief" }, policy);
    expect(turn.passthrough).toEqual({ tools, system_instruction: "be brief" });
    expect(turn.passthrough.tools).toBe(tools);
  });

  it("refuses store, background and previous_interaction_id with the reason", () => {
    const p = problem({ model: "m", input: "x", store: true, background: true, previous_interaction_id: "v1_abc" });
    expect(p.status).toBe(400);
    expect(p.code).toBe("retention_refused");
    expect(p.errors?.map((e) => e.path)).toEqual(["/store", "/background", "/previous_interaction_id"]);
    expect(p.detail).toMatch(/retain/);
  });

  it("accepts store: false", () => {
    expect(parseTurn({ model: "m", input: "x", store: false }, policy).model).toBe("m");
  });

  it("names unknown top-level fields", () => {
    const p = problem({ model: "m", input: "x", temperature: 1, foo: 2 });
    expect(p.code).toBe("unknown_field");
    expect(p.errors?.map((e) => e.path)).toEqual(["/temperature", "/foo"]);
  });

  it("points at a step of unknown type", () => {
    const p = problem({ model: "m", history: [hi, { type: "telepathy" }], input: "x" });
    expect(p.code).toBe("invalid_request");
    expect(p.errors?.[0]?.path).toBe("/history/1/type");
    expect(p.errors?.[0]?.message).toMatch(/not a known type.*user_input/);
  });

  it("points at a missing required field deep in a step", () => {
    const p = problem({ model: "m", history: [{ type: "user_input", content: [{ type: "text" }] }], input: "x" });
    expect(p.errors?.[0]?.path).toBe("/history/0/content/0/text");
  });

  it("checks function_call fields by JSON type", () => {
    const p = problem({ model: "m", history: [hi, { type: "function_call", id: 7, name: "f", arguments: "{}" }], input: "x" });
    expect(p.errors?.map((e) => e.path).sort()).toEqual(["/history/1/arguments", "/history/1/id"]);
  });

  it("points into input steps with the input prefix", () => {
    const p = problem({ model: "m", history: [hi], input: [{ type: "function_result", name: "f", result: "x" }] });
    expect(p.errors?.[0]?.path).toBe("/input/0/call_id");
  });

  it("requires a model", () => {
    expect(problem({ input: "x" }).errors?.[0]?.path).toBe("/model");
    expect(problem({ model: "", input: "x" }).errors?.[0]?.path).toBe("/model");
  });

  it("refuses a body that is not an object", () => {
    expect(problem([1, 2]).code).toBe("invalid_request");
    expect(problem(null).code).toBe("invalid_request");
  });

  it("refuses a turn that gives the model nothing to answer", () => {
    expect(problem({ model: "m" }).code).toBe("nothing_to_answer");
    expect(problem({ model: "m", history: [hi, { type: "model_output", content: [] }] }).code).toBe("nothing_to_answer");
    expect(problem({ model: "m", history: [hi], input: [{ type: "model_output" }] }).errors?.[0]?.path).toBe("/input");
  });

  it("accepts a history that already ends with a user_input and no input", () => {
    expect(parseTurn({ model: "m", history: [hi] }, policy).newSteps).toEqual([]);
  });

  it("accepts every built-in tool step type with its required fields", () => {
    const history = [
      hi,
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
    expect(parseTurn({ model: "m", history, input: "next" }, policy).history).toHaveLength(history.length);
  });
});
