import { describe, expect, it } from "vitest";
import type { StepValue } from "../../src/schemas";
import { refuseUnreturnableReply } from "../../src/turn/reply-closure";
import { relayErrorOf } from "../relay-error";

const ref = (view: StepValue) => ({ bytes: new TextEncoder().encode(JSON.stringify(view)), view });
const closed = { allowGrounding: false, allowStoredResources: false };
const open = { allowGrounding: false, allowStoredResources: true };
const sent = [ref({ type: "user_input", content: [{ type: "text", text: "q" }] })];
const said = ref({ type: "model_output", content: [{ type: "video", uri: "files/clip" }] });
const pasted = ref({ type: "user_input", content: [{ type: "image", uri: "files/abc" }] });

describe("refuseUnreturnableReply", () => {
  it("lets model-authored steps through whatever they name (they only warn)", () => {
    expect(() => refuseUnreturnableReply(sent, [said], closed)).not.toThrow();
  });

  it("refuses a caller-typed step naming a stored resource only while the operator refuses stored resources", () => {
    const problem = relayErrorOf(() => refuseUnreturnableReply(sent, [said, pasted], closed)).toProblem();
    expect(problem).toMatchObject({ status: 502, code: "upstream_unavailable" });
    expect(problem.errors?.map((e) => e.path)).toEqual(["/history/2/content/0/uri"]);
    expect(() => refuseUnreturnableReply(sent, [said, pasted], open)).not.toThrow();
  });

  it("refuses a caller-typed step the integrity check would refuse, read over the whole transcript", () => {
    const call = ref({ type: "function_call", id: "c1", name: "f", arguments: {} });
    const answer = ref({ type: "function_result", call_id: "c1", name: "f", result: "ok" });
    expect(() => refuseUnreturnableReply([...sent, call], [answer, said], closed)).not.toThrow();
    const problem = relayErrorOf(() => refuseUnreturnableReply([...sent, call, answer], [said, answer], closed)).toProblem();
    expect(problem.errors).toEqual([{ path: "/history/4", message: expect.stringMatching(/a second time/) }]);
    expect(problem.detail).toMatch(/"function_result" step/);
  });

  it("refuses a caller-typed step that repeats a key anywhere, as history does; a model-authored one carries it", () => {
    const text = '{"type":"user_input","content":[{"type":"text","text":"a","extra":{"k":1,"k":2}}]}';
    const step = { bytes: new TextEncoder().encode(text), view: JSON.parse(text) as StepValue };
    const problem = relayErrorOf(() => refuseUnreturnableReply(sent, [said, step], closed)).toProblem();
    expect(problem.errors).toEqual([{ path: "/history/2/content/0/extra/k", message: expect.stringMatching(/more than once/) }]);
    const modelText = text.replace("user_input", "model_output");
    const model = { bytes: new TextEncoder().encode(modelText), view: JSON.parse(modelText) as StepValue };
    expect(() => refuseUnreturnableReply(sent, [model], closed)).not.toThrow();
  });
});
