// Bounded work per request (issue 25): every check before the upstream call answers a hostile body
// with a small refusal in time linear in the body. On workerd, through the app; the same shapes run
// on Node in test/node/bounded.test.ts. workerd's clock stands still during a synchronous check, so
// "quickly" here is each test's own timeout.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { relayWithEmulator } from "../helpers";
import { MAX_LISTED } from "../../src/errors";
import { crashBody, expectBounded, hostileBody, invalidLists, MODEL, shapes, toolsBody, toolShapes } from "../hostile-shapes";

describe("bounded work before the upstream call", () => {
  it("refuses the issue's crash body (1,000 tools with 1,000-character names, 9,999 undeclared calls) with one small 400", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn(crashBody());
    const problem = expectBounded(res.status, await res.text(), 400);
    expect(problem.errors).toEqual([
      { path: "/tools/512", message: expect.stringMatching(/is function tool 513 of 1000: Gemini accepts at most 512 per request/) },
      { path: "/tools/0/name", message: expect.stringMatching(/1000 characters long.*at most 128 \(999 more names in `tools` are too\)/) },
    ]);
    expect(relay.creates()).toHaveLength(0);
  }, 10_000);

  it("refuses the same calls with tools at Gemini's limits (512 tools, 128-character names) with a small 422", async () => {
    const relay = relayWithEmulator();
    const res = await relay.turn(crashBody(512, 128));
    const problem = expectBounded(res.status, await res.text(), 422);
    expect(problem.errors).toEqual([{ path: "/input", message: expect.stringMatching(/unanswered: "c0", .*"c9" and 9989 more/) }]);
    expect(relay.creates()).toHaveLength(0);
  }, 10_000);

  it("answers every hostile transcript shape with a small 422", async () => {
    const relay = relayWithEmulator({ MAX_STEPS: "100000" });
    await fc.assert(
      fc.asyncProperty(shapes, async (shape) => {
        const res = await relay.turn(hostileBody(shape));
        const problem = expectBounded(res.status, await res.text(), 422);
        expect(problem.errors![0]!.path).toMatch(/^\/(history|input)\//);
      }),
      { numRuns: 12 },
    );
    expect(relay.creates()).toHaveLength(0);
  }, 60_000);

  it("refuses declarations past Gemini's limits (512 function tools, 128-character names), or no tools at all, with at most three items", async () => {
    const relay = relayWithEmulator();
    await fc.assert(
      fc.asyncProperty(toolShapes, async (shape) => {
        const res = await relay.turn(toolsBody(shape));
        if (shape.count <= 512 && shape.nameLength <= 128 && shape.malformed === 0) return void expect(res.status).toBe(200);
        const problem = expectBounded(res.status, await res.text(), 400);
        expect(problem.errors!.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 12 },
    );
  }, 60_000);

  it("reads ids that are JSON objects with a toString key as data, never a 500", async () => {
    const relay = relayWithEmulator();
    const odd = { toString: 1, valueOf: 1 };
    const res = await relay.turn({
      model: MODEL,
      history: [
        { type: "user_input", content: [] },
        { type: "function_call", id: odd, name: "f", arguments: {} },
      ],
      input: "hi",
    });
    const problem = expectBounded(res.status, await res.text(), 422);
    expect(problem.errors![0]!.message).toContain(JSON.stringify(JSON.stringify(odd)));
  });

  it("checks pending calls in one pass: 20,000 answered calls and 40,000 user turns are refused at once", async () => {
    const relay = relayWithEmulator({ MAX_STEPS: "100000" });
    const shape = { tools: 1, undeclared: 0, unanswered: 0, userTurns: 0, unknownResults: 1, duplicates: 0, rescans: 20_000, idLength: 8 };
    const body = hostileBody(shape);
    body.history.push(...Array.from({ length: 20_000 }, () => body.history.at(-1)));
    const res = await relay.turn(body);
    expectBounded(res.status, await res.text(), 422);
  }, 10_000);
});

describe("bounded answers and work for invalid lists (issue 25)", () => {
  for (const { name, body } of invalidLists(20_000)) {
    it(`refuses 20,000 invalid elements in ${name} with one small 400`, async () => {
      const relay = relayWithEmulator({ MAX_STEPS: "100000" });
      const res = await relay.turn(body);
      const problem = expectBounded(res.status, await res.text(), 400);
      if (problem.errors!.length === MAX_LISTED + 1) expect(problem.errors!.at(-1)!.message).toMatch(/^and \d+ more/);
      expect(relay.creates()).toHaveLength(0);
    }, 20_000);
  }
});
