// Bounded work per request (issue 25) on Node, where the crash body once exhausted the heap and
// took the process down: the app in this process (as `npm run serve` runs it), the hostile shapes of
// test/hostile-shapes.ts, and a wall clock (which workerd's tests cannot read during a check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_LISTED } from "../../src/errors";
import { replyWarnings } from "../../src/turn/integrity";
import { replyRetentionWarnings } from "../../src/turn/retention";
import type { StepValue } from "../../src/schemas";
import { relayWithEmulator } from "../helpers";
import { crashBody, expectBounded, hostileBody, invalidLists, MAX_PROBLEM_BYTES, MODEL, shapes, tools, toolsBody } from "../hostile-shapes";

/** Generous: the fixed code answers these in well under a second; main took 20 s to crash or 24 s to answer. */
const QUICK_MS = 5_000;

async function timed(relay: ReturnType<typeof relayWithEmulator>, body: unknown) {
  const started = Date.now();
  const res = await relay.turn(body);
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started };
}

describe("bounded work before the upstream call, on Node", () => {
  it("answers the issue's crash body, the same calls at Gemini's tool limits, and 300,000 empty tools, quickly and briefly", async () => {
    const relay = relayWithEmulator();
    for (const [body, status] of [
      [crashBody(), 400],
      [crashBody(512, 128), 422],
      [toolsBody({ count: 1, nameLength: 8, malformed: 300_000 }), 400],
    ] as const) {
      const { status: got, text, ms } = await timed(relay, body);
      expectBounded(got, text, status);
      expect(ms).toBeLessThan(QUICK_MS);
    }
    expect(relay.creates()).toHaveLength(0);
  });

  it("answers hostile transcript shapes with a small 422, each within the bound", async () => {
    const relay = relayWithEmulator({ MAX_STEPS: "100000" });
    await fc.assert(
      fc.asyncProperty(shapes, async (shape) => {
        const { status, text, ms } = await timed(relay, hostileBody(shape));
        expectBounded(status, text, 422);
        expect(ms).toBeLessThan(QUICK_MS);
      }),
      { numRuns: 6 },
    );
  });

  it("checks pending calls in one pass: 20,000 answered calls and 40,000 user turns", async () => {
    const relay = relayWithEmulator({ MAX_STEPS: "100000" });
    const body = hostileBody({
      tools: 1,
      undeclared: 0,
      unanswered: 0,
      userTurns: 0,
      unknownResults: 1,
      duplicates: 0,
      rescans: 20_000,
      idLength: 8,
    });
    body.history.push(...Array.from({ length: 20_000 }, () => body.history.at(-1)));
    const { status, text, ms } = await timed(relay, body);
    expectBounded(status, text, 422);
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it("keeps a reply's warnings as bounded: 9,999 undeclared calls with long names against 512 declared tools", () => {
    const declared = tools(512, 128);
    const steps: StepValue[] = Array.from({ length: 9_999 }, (_, i) => [
      { type: "thought" },
      { type: "function_call", id: `c${i}`, name: `undeclared_${i}`.padEnd(1_000, "z"), arguments: {} },
    ]).flat();
    const started = Date.now();
    const warnings = replyWarnings(steps, declared, (i) => `/history/${i}`);
    expect(Date.now() - started).toBeLessThan(QUICK_MS);
    expect(warnings).toHaveLength(21);
    expect(warnings.at(-1)).toMatchObject({ code: "more_warnings", message: expect.stringMatching(/^and 19978 more warnings/) });
    expect(JSON.stringify(warnings).length).toBeLessThan(MAX_PROBLEM_BYTES / 4);
  });

  it("refuses 200,000 invalid elements in every checked list with a small 400, each within the bound", async () => {
    const relay = relayWithEmulator({ MAX_STEPS: "1000000" });
    for (const { name, body } of invalidLists(200_000)) {
      const { status, text, ms } = await timed(relay, body);
      expectBounded(status, text, 400);
      expect(ms, name).toBeLessThan(QUICK_MS);
    }
    expect(relay.creates()).toHaveLength(0);
  }, 120_000);

  it("refuses a 4 MB response_modalities of 2,000,000 invalid elements quickly, in 21 items", async () => {
    const relay = relayWithEmulator();
    const body = { model: MODEL, input: "hi", response_modalities: Array.from({ length: 2_000_000 }, () => 1) };
    const { status, text, ms } = await timed(relay, body);
    const problem = expectBounded(status, text, 400);
    expect(problem.errors).toHaveLength(MAX_LISTED + 1);
    expect(problem.errors!.at(-1)).toEqual({ path: "/response_modalities/20", message: expect.stringMatching(/^and 1999980 more/) });
    expect(ms).toBeLessThan(QUICK_MS * 2);
  }, 60_000);

  it("keeps a reply's stored-resource warnings as bounded: 100,000 references in one model step", () => {
    const view = { type: "model_output", content: Array.from({ length: 100_000 }, () => ({ type: "image", uri: "files/abc" })) };
    const warnings = replyRetentionWarnings([{ bytes: new Uint8Array(), view }], 3, { allowGrounding: false, allowStoredResources: false });
    expect(warnings).toHaveLength(MAX_LISTED + 1);
    expect(warnings.at(-1)).toMatchObject({
      code: "more_warnings",
      path: "/history/3/content/20/uri",
      message: expect.stringMatching(/^and 99980 more/),
    });
  });
});
