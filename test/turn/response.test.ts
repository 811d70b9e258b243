import { describe, expect, it } from "vitest";
import { joinPieces } from "../../src/json/bytes";
import { decodeUtf8 } from "../../src/json/scan";
import { finishTurn, type TurnInput } from "../../src/turn/response";

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
});
