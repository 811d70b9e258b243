import { GoogleGenAI } from "@google/genai";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonDepthError, JsonScanner } from "../../src/json/scan";
import { isAnswerable, modelSteps, outputText, readStep, STEP_DEPTH } from "../../src/steps";
import type { StepValue } from "../../src/schemas";

const text = (t: string) => ({ type: "text", text: t });
const out = (...content: object[]): StepValue => ({ type: "model_output", content });
const userInput = (t: string): StepValue => ({ type: "user_input", content: [text(t)] });

describe("outputText", () => {
  it("joins the last contiguous run of text blocks", () => {
    expect(outputText([out(text("A"), { type: "image", data: "x" }, text("B"), text("C"))])).toBe("BC");
  });
  it("stops at a non-output step once text was found", () => {
    const call = { type: "function_call", id: "1", name: "f", arguments: {} };
    expect(outputText([out(text("first")), call, out(text("second"))])).toBe("second");
  });
  it("skips thoughts and stops at user_input", () => {
    expect(outputText([out(text("old")), userInput("q"), { type: "thought", signature: "s" }])).toBeUndefined();
    expect(outputText([out(text("a")), { type: "thought" }, out(text("b"))])).toBe("ab");
  });
  it("is undefined, not empty, when there is no text", () => {
    expect(outputText([])).toBeUndefined();
    expect(outputText([out(text(""))])).toBeUndefined();
  });

  // The SDK computes output_text on unary replies; ours must agree on any reply (streams need ours).
  it("agrees with the SDK's output_text on generated replies", async () => {
    const block = fc.oneof(
      fc.record({ type: fc.constant("text"), text: fc.string({ maxLength: 4 }) }),
      fc.record({ type: fc.constantFrom("image", "audio"), data: fc.constant("AA==") }),
    );
    const step = fc.oneof(
      fc.record({ type: fc.constant("model_output"), content: fc.array(block, { maxLength: 4 }) }),
      fc.record({ type: fc.constant("thought"), signature: fc.string({ maxLength: 3 }) }),
      fc.record({ type: fc.constant("function_call"), id: fc.constant("c"), name: fc.constant("f"), arguments: fc.constant({}) }),
      fc.record({ type: fc.constant("user_input"), content: fc.array(block, { maxLength: 2 }) }),
    );
    let reply: unknown[] = [];
    const client = new GoogleGenAI({
      apiKey: "k",
      httpOptions: {
        baseUrl: "http://sdk.test",
        fetch: async () => Response.json({ id: "v1_x", object: "interaction", status: "completed", steps: reply }),
      },
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 6 }), async (steps) => {
        reply = steps;
        const sdk = await client.interactions.create({ model: "m", input: "x", store: false }, { maxRetries: 0 });
        expect(outputText(steps as StepValue[])).toBe(sdk.output_text);
      }),
      { numRuns: 150 },
    );
  });
});

describe("modelSteps", () => {
  it("drops a leading echo of the input, and nothing else", () => {
    const ref = (view: StepValue) => ({ view });
    const thought = ref({ type: "thought", signature: "s" });
    expect(modelSteps([ref(userInput("q")), thought])).toEqual([thought]);
    const later = [thought, ref(userInput("not leading"))];
    expect(modelSteps(later)).toEqual(later);
    expect(modelSteps(later)[0]).toBe(thought);
  });

  it("drops the whole leading run of caller-authored steps an echo puts first: user_input and function_result", () => {
    const ref = (view: StepValue) => ({ view });
    const echoed = [ref(userInput("q")), ref({ type: "function_result", call_id: "c1", result: "ok" })];
    const model = [ref(out(text("done"))), ref({ type: "function_result", call_id: "c2", result: "later" })];
    const steps = modelSteps([...echoed, ...model]);
    expect(steps).toEqual(model);
    expect(steps[0]).toBe(model[0]);
  });
});

describe("isAnswerable", () => {
  it("needs a last step of user_input or function_result", () => {
    expect(isAnswerable([userInput("q")])).toBe(true);
    expect(isAnswerable([{ type: "function_result", call_id: "1", result: "r" }])).toBe(true);
    expect(isAnswerable([out(text("a"))])).toBe(false);
    expect(isAnswerable([])).toBe(false);
  });
});

describe("readStep (one reading of a step, the same for history and replies)", () => {
  const read = (json: string, maxDepth = 64) => readStep(new JsonScanner(new TextEncoder().encode(json), maxDepth), 0, STEP_DEPTH);

  it("finds where a key the relay or Gemini reads appears twice, and where the step ends", () => {
    const step = '{"type":"thought","signature":"a","summary":[{"type":"text","text":"x"}],"signature":"b"} ';
    expect(read(step)).toEqual({ end: step.length - 1, repeat: ["signature"] });
    expect(read('{"type":"user_input","content":[{"type":"text","text":"a"},"x",{"type":"image","data":"A","data":"B"}]}').repeat).toEqual([
      "content",
      2,
      "data",
    ]);
  });

  it("leaves repeats where nothing reads by key: arguments, unknown fields, unread block fields, nested lists", () => {
    for (const step of [
      '{"type":"function_call","id":"c","name":"f","arguments":{"a":1,"a":2}}',
      '{"type":"x_new","extra":1,"extra":2}',
      '{"type":"model_output","content":[{"type":"text","text":"t","annotations":[],"annotations":[{"type":"a"}]}]}',
      '{"type":"model_output","content":[{"type":"text","text":"t","nested":{"content":[{"text":1,"text":2}]}}]}',
    ])
      expect(read(step), step).toEqual({ end: step.length, repeat: undefined });
  });

  it("bounds the step's depth from the same origin as history's: MAX_JSON_DEPTH less the body and history around it", () => {
    const deep = (levels: number) => `{"type":"model_output","x":${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;
    expect(read(deep(62)).repeat).toBeUndefined();
    expect(() => read(deep(63))).toThrow(JsonDepthError);
    expect(() => read(deep(7), 8)).toThrow(JsonDepthError);
  });
});
