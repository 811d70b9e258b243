import { describe, expect, it } from "vitest";
import { joinPieces } from "../../src/json/bytes";
import { decodeUtf8 } from "../../src/json/scan";
import { MAX_LISTED } from "../../src/errors";
import { finishTurn, type TurnInput } from "../../src/turn/response";
import { capWarnings, moreWarnings, type TurnWarning } from "../../src/warnings";

const reply = { bytes: new TextEncoder().encode('{"type":"model_output","content":[]}'), view: { type: "model_output", content: [] } };
const body = async (input: TurnInput) =>
  JSON.parse(decodeUtf8(joinPieces(await finishTurn(input, { steps: [reply], status: "completed" })))) as { warnings?: unknown };

describe("warnings in the response body", () => {
  const base = { historyLength: 0, newSteps: [] };

  it("are absent when there are none", async () => {
    expect(await body(base)).not.toHaveProperty("warnings");
    expect(await body({ ...base, warnings: [], replyWarnings: () => [] })).not.toHaveProperty("warnings");
  });

  it("list the request's warnings, then those about the reply, computed from its steps", async () => {
    const early = { code: "request_thing", path: "/input/0", message: "about the request" };
    const replyWarnings = (steps: readonly { view: { type: string } }[]) =>
      steps.map((step, i) => ({ code: "reply_thing", path: `/history/${i}`, message: step.view.type }));
    expect((await body({ ...base, warnings: [early], replyWarnings })).warnings).toEqual([
      early,
      { code: "reply_thing", path: "/history/0", message: "model_output" },
    ]);
  });

  it("stay one capped list however many lists they come from: MAX_LISTED, then one that counts the rest", async () => {
    // Each list capped alone (20 and "and 30 more"), as integrity and retention cap theirs.
    const capped = (code: string, n: number): TurnWarning[] => {
      const all = Array.from({ length: n }, (_, i) => ({ code, path: `/history/${i}`, message: code }));
      return n > MAX_LISTED ? [...all.slice(0, MAX_LISTED), moreWarnings(n - MAX_LISTED, all[MAX_LISTED]!)] : all;
    };
    const { warnings } = (await body({ ...base, warnings: capped("request", 50), replyWarnings: () => capped("reply", 5) })) as {
      warnings: TurnWarning[];
    };
    expect(warnings).toHaveLength(MAX_LISTED + 1);
    expect(warnings.slice(0, MAX_LISTED).every((w) => w.code === "request")).toBe(true);
    expect(warnings[MAX_LISTED]).toEqual({
      code: "more_warnings",
      path: `/history/${MAX_LISTED}`,
      message: "and 35 more warnings like those above, the first of them here",
    });
    expect(capWarnings(capped("a", 3), capped("b", 2))).toHaveLength(5);
  });
});
