import { describe, expect, it } from "vitest";
import { MAX_LISTED } from "../../src/errors";
import { checkIntegrity, integrityFindings, pendingCalls, replyWarnings } from "../../src/turn/integrity";
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
    expect(integrityFindings([user("q"), thought("sig"), call("a"), result("a"), user("thanks")], at)).toEqual([]);
  });

  it("finds a result whose call_id matches no earlier call", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), result("b")], at);
    expect(findings).toEqual([
      { path: "/history/3/call_id", message: expect.stringMatching(/"b".*no earlier function_call.*empty reply/) },
    ]);
  });

  it("finds a result that comes before its call", () => {
    expect(integrityFindings([user("q"), result("a"), thought("s"), call("a")], at).map((f) => f.path)).toContain("/history/1/call_id");
  });

  it("finds a result whose name differs from its call's", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), result("a", "get_weather")], at);
    expect(findings).toEqual([{ path: "/history/3/name", message: expect.stringMatching(/"get_weather".*called "get_order_status"/) }]);
  });

  it("finds a call answered twice", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), result("a"), result("a")], at);
    expect(findings).toEqual([{ path: "/history/4", message: expect.stringMatching(/second time.*\/history\/3/) }]);
  });

  it("pairs a result with the earliest unanswered call of its id, so an id reused on a later turn is answered again", () => {
    const model = { type: "model_output", content: [] };
    const steps = [user("q"), call("a"), result("a"), model, user("again"), call("a"), result("a")];
    expect(integrityFindings(steps, at)).toEqual([]);
    expect(integrityFindings([...steps, result("a")], at)).toEqual([
      { path: "/history/7", message: expect.stringMatching(/"a" a second time.*the last at \/history\/6/) },
    ]);
  });

  it("answers two calls with one id in one reply in order, each once, the name checked against the call it answers", () => {
    const steps = [user("q"), call("a", "f"), call("a", "g"), result("a", "f"), result("a", "g")];
    expect(integrityFindings(steps, at)).toEqual([]);
    expect(integrityFindings([user("q"), call("a", "f"), call("a", "g"), result("a", "g")], at)).toEqual([
      { path: "/history/3/name", message: expect.stringMatching(/"g".*\/history\/1\) called "f"/) },
    ]);
    expect(integrityFindings([user("q"), call("a"), call("a"), result("a"), user("next")], at)).toEqual([
      { path: "/history/4", message: expect.stringMatching(/unanswered: "a";/) },
    ]);
  });

  it("pairs results with calls in linear time however many calls share an id", () => {
    const n = 50_000;
    const steps = [user("q"), ...Array.from({ length: n }, () => call("a")), ...Array.from({ length: n }, () => result("a"))];
    const started = performance.now();
    expect(integrityFindings(steps, at)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("finds a new user turn while calls are unanswered, listing them", () => {
    const findings = integrityFindings([user("q"), thought("s"), call("a"), call("b"), result("a"), user("next")], at);
    expect(findings).toEqual([{ path: "/history/5", message: expect.stringMatching(/unanswered: "b"/) }]);
  });

  it("reports every caller-authored finding at once", () => {
    const findings = integrityFindings([user("q"), thought(), call("a"), result("x"), user("more")], at);
    expect(findings.map((f) => f.path).sort()).toEqual(["/history/3/call_id", "/history/4"]);
  });

  it("lists at most MAX_LISTED findings, then one that counts the rest and points at the first of them", () => {
    const steps = [user("q"), ...Array.from({ length: 1_000 }, (_, i) => result(`nobody${i}`))];
    const findings = integrityFindings(steps, at);
    expect(findings).toHaveLength(MAX_LISTED + 1);
    expect(findings.at(-1)).toEqual({
      path: `/history/${MAX_LISTED + 1}/call_id`,
      message: expect.stringMatching(/^and 980 more findings/),
    });
  });

  it("quotes at most 64 characters of an id or name, and at most 10 pending ids", () => {
    const long = "x".repeat(10_000);
    const [unknown] = integrityFindings([user("q"), result(long, long)], at);
    expect(unknown!.message).toContain(`"${"x".repeat(64)}…"`);
    expect(unknown!.message.length).toBeLessThan(200);
    const calls = Array.from({ length: 50 }, (_, i) => call(`${i}${long}`));
    const [pending] = integrityFindings([user("q"), ...calls, user("next")], at);
    expect(pending!.message).toMatch(/unanswered: "0x{63}…", .* and 40 more; send/);
    expect(pending!.message.length).toBeLessThan(1_000);
  });

  it("reads ids that are not strings without calling their methods", () => {
    const odd = { toString: 1, valueOf: 1 } as unknown as string;
    expect(integrityFindings([user("q"), call(odd), result(odd)], at)).toEqual([]);
    expect(integrityFindings([user("q"), result(odd)], at)[0]!.message).toContain('"{\\"toString\\":1,\\"valueOf\\":1}"');
  });
});

describe("replyWarnings", () => {
  it("warns of a call to an undeclared tool, saying tools must be re-sent every turn", () => {
    const none = replyWarnings([user("q"), thought("s"), call("a"), result("a")], undefined, at);
    expect(none).toEqual([
      { code: "undeclared_tool", path: "/history/2/name", message: expect.stringMatching(/declares no tools.*every turn/) },
    ]);
    const other = replyWarnings([user("q"), thought("s"), call("a"), result("a")], [{ type: "function", name: "lookup" }], at);
    expect(other[0]!.message).toMatch(/not among the tools.*"lookup"/);
    expect(replyWarnings([user("q"), thought("s"), call("a"), result("a")], [{ type: "google_search" }], at)).toHaveLength(1);
    expect(replyWarnings([user("q"), thought("s"), call("a", "click_at")], [{ type: "computer_use" }], at)).toEqual([]);
  });

  it("lists the declared tools once, in the first warning, at most 10 of them", () => {
    const declared = Array.from({ length: 300 }, (_, i) => ({ type: "function", name: `tool${i}`.padEnd(1_000, "y") }));
    const warnings = replyWarnings([user("q"), call("a", "one"), call("b", "two"), call("c", "one")], declared, at);
    expect(warnings.map((w) => w.path)).toEqual(["/history/1/name", "/history/2/name"]);
    expect(warnings[0]!.message).toMatch(/"tool0y{59}…", .* and 290 more\)/);
    expect(warnings[1]!.message).not.toContain("tool0");
    expect(JSON.stringify(warnings).length).toBeLessThan(1_500);
  });

  it("warns of a missing or empty signature on the thought before a call, but not elsewhere", () => {
    expect(replyWarnings([user("q"), thought(), call("a"), result("a")], tools, at)).toEqual([
      { code: "unsigned_thought", path: "/history/1/signature", message: expect.stringMatching(/missing or empty/) },
    ]);
    expect(replyWarnings([user("q"), thought(""), call("a"), result("a")], tools, at)).toHaveLength(1);
    expect(replyWarnings([user("q"), thought(), { type: "model_output", content: [] }, user("r")], tools, at)).toEqual([]);
  });

  it("lists at most MAX_LISTED warnings, then one that counts the rest", () => {
    const steps = Array.from({ length: 500 }, (_, i) => [thought(), call(`c${i}`, `undeclared${i}`)]).flat();
    const warnings = replyWarnings(steps, tools, at);
    expect(warnings).toHaveLength(MAX_LISTED + 1);
    expect(warnings.at(-1)).toEqual({
      code: "more_warnings",
      path: "/history/41/name",
      message: "and 980 more warnings like those above, the first of them here",
    });
  });
});

describe("checkIntegrity", () => {
  it("throws a 422 with every caller-authored finding", () => {
    const p = relayErrorOf(() => checkIntegrity([user("q"), thought(), call("a"), result("b")], undefined, at)).toProblem();
    expect(p.status).toBe(422);
    expect(p.code).toBe("integrity_failed");
    expect(p.errors).toEqual([{ path: "/history/3/call_id", message: expect.stringMatching(/"b"/) }]);
    expect(p.detail).toMatch(/^The transcript would fail at Gemini \(1 finding\): \/history\/3\/call_id answers call_id "b"/);
  });

  it("returns the warnings on model-authored steps instead of refusing them", () => {
    const warnings = checkIntegrity([user("q"), thought(), call("a"), result("a")], undefined, at);
    expect(warnings.map((w) => w.code)).toEqual(["undeclared_tool", "unsigned_thought"]);
    expect(checkIntegrity([user("q"), thought("s"), call("a"), result("a")], tools, at)).toEqual([]);
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

  it("pairs results with calls by the same queue rule as integrity: a reused id's later call stays pending", () => {
    const steps = [call("a"), result("a"), call("a"), call("b"), call("b"), result("b")].map((view) => ({ view }));
    const pending = pendingCalls(steps);
    expect(pending).toHaveLength(2);
    expect(pending[0]).toBe(steps[2]);
    expect(pending[1]).toBe(steps[4]);
  });
});
