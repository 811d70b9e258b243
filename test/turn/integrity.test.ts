import { describe, expect, it } from "vitest";
import { checkIntegrity, integrityFindings, pendingCalls } from "../../src/turn/integrity";
import type { StepValue } from "../../src/schemas";
import { relayErrorOf } from "../relay-error";

const at = (i: number) => `/history/${i}`;
const user = (text: string): StepValue => ({ type: "user_input", content: [{ type: "text", text }] });
const thought = (signature?: string): StepValue => (signature === undefined ? { type: "thought" } : { type: "thought", signature });
const call = (id: string, name = "get_order_status"): StepValue => ({ type: "function_call", id, name, arguments: {} });
const result = (call_id: string, name: string | undefined = "get_order_status"): StepValue => ({
  type: "function_result",
  call_id,
  ...(name ? { name } : {}),
  result: "ok",
});
const tools = [{ type: "function", name: "get_order_status" }];

describe("integrityFindings", () => {
  it("accepts a well-formed tool conversation", () => {
    expect(integrityFindings([user("q"), thought("sig"), call("a"), result("a"), user("thanks")], tools, at)).toEqual([]);
  });

  it("finds a result whose call_id matches no earlier call", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), result("b")], tools, at);
    expect(findings).toEqual([
      { path: "/history/3/call_id", message: expect.stringMatching(/"b".*no earlier function_call.*empty reply/) },
    ]);
  });

  it("finds a result that comes before its call", () => {
    expect(integrityFindings([user("q"), result("a"), thought("s"), call("a")], tools, at).map((f) => f.path)).toContain(
      "/history/1/call_id",
    );
  });

  it("finds a result whose name differs from its call's", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), result("a", "get_weather")], tools, at);
    expect(findings).toEqual([{ path: "/history/3/name", message: expect.stringMatching(/"get_weather".*called "get_order_status"/) }]);
  });

  it("finds a call answered twice", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), result("a"), result("a")], tools, at);
    expect(findings).toEqual([{ path: "/history/4", message: expect.stringMatching(/second time.*\/history\/3/) }]);
  });

  it("finds a new user turn while calls are unanswered, listing them", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), call("b"), result("a"), user("next")], tools, at);
    expect(findings).toEqual([{ path: "/history/5", message: expect.stringMatching(/unanswered: "b"/) }]);
  });

  it("says plainly that tools must be re-sent every turn", () => {
    const none = integrityFindings([user("q"), thought("s"), call("a"), result("a")], undefined, at);
    expect(none).toEqual([{ path: "/history/2/name", message: expect.stringMatching(/declares no tools.*every turn/) }]);
    const other = integrityFindings([user("q"), thought("s"), call("a"), result("a")], [{ type: "function", name: "lookup" }], at);
    expect(other[0]!.message).toMatch(/not among the tools.*lookup/);
    expect(integrityFindings([user("q"), thought("s"), call("a"), result("a")], [{ type: "google_search" }], at)).toHaveLength(1);
  });

  it("finds a missing or empty signature on the thought before a call, but not elsewhere", () => {
    expect(integrityFindings([user("q"), thought(), call("a"), result("a")], tools, at)).toEqual([
      { path: "/history/1/signature", message: expect.stringMatching(/missing or empty/) },
    ]);
    expect(integrityFindings([user("q"), thought(""), call("a"), result("a")], tools, at)).toHaveLength(1);
    expect(integrityFindings([user("q"), thought(), { type: "model_output", content: [] }, user("r")], tools, at)).toEqual([]);
  });

  it("reports every finding at once", () => {
    const findings = integrityFindings([user("q"), thought(), call("a"), result("x"), user("more")], undefined, at);
    expect(findings.map((f) => f.path).sort()).toEqual(["/history/1/signature", "/history/2/name", "/history/3/call_id", "/history/4"]);
  });
});

describe("checkIntegrity", () => {
  it("throws a 422 with every finding", () => {
    const p = relayErrorOf(() => checkIntegrity([user("q"), thought("s"), call("a"), result("b")], tools, at)).toProblem();
    expect(p.status).toBe(422);
    expect(p.code).toBe("integrity_failed");
    expect(p.errors).toHaveLength(1);
  });
});

describe("pendingCalls", () => {
  it("lists this turn's calls that nothing answers", () => {
    const steps = [thought("s"), call("a"), call("b", "lookup"), call("c"), result("c")].map((view) => ({ view }));
    const pending = pendingCalls(steps);
    expect(pending).toEqual([{ view: call("a") }, { view: call("b", "lookup") }]);
    expect(pending[0]).toBe(steps[1]);
    expect(pendingCalls([{ view: { type: "model_output", content: [] } }])).toEqual([]);
  });
});
