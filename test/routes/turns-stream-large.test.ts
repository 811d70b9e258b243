/**
 * turn.completed with a large history (src/http/sse-response.ts writeMessage): the answer's pieces are
 * written as they are, the history's bytes not joined into one copy first, and the event still holds
 * the bytes of the unary answer, whether the caller's history has line breaks between its tokens
 * (split over several `data:` lines) or none.
 */
import { describe, expect, it } from "vitest";
import { parseSse, relayWithEmulator } from "../helpers";

const text = (t: string) => ({ type: "model_output", content: [{ type: "text", text: t }] });
/** Steps enough to make the history far larger than one chunk of pieces (16 KiB). */
const history = Array.from({ length: 40 }, (_, i) => [
  { type: "user_input", content: [{ type: "text", text: `question ${i} ${"q".repeat(1000)}` }] },
  text(`answer ${i} ${"a".repeat(1000)}`),
]).flat();

async function streamedAndUnary(historyText: string): Promise<{ completed: string; unary: string }> {
  const relay = relayWithEmulator();
  relay.emulator.script("m", { steps: [text("fine")] }, { steps: [text("fine")] });
  const streamed = await relay.turn(`{"model":"m","history":${historyText},"input":"x","stream":true}`);
  expect(streamed.status).toBe(200);
  const events = parseSse(await streamed.text()).events;
  const completed = events.at(-1)!;
  expect(completed.event).toBe("turn.completed");
  const unary = await relay.turn(`{"model":"m","history":${historyText},"input":"x"}`);
  expect(unary.status).toBe(200);
  return { completed: completed.data, unary: await unary.text() };
}

describe("turn.completed with a large history", () => {
  it("is the unary answer, byte for byte, for a compact history", async () => {
    const historyText = JSON.stringify(history);
    const { completed, unary } = await streamedAndUnary(historyText);
    expect(unary.length).toBeGreaterThan(80_000);
    expect(unary).toContain(historyText.slice(1, -1));
    expect(completed).toBe(unary);
  });

  it("is the unary answer, byte for byte, for a history with line breaks between its tokens", async () => {
    const historyText = JSON.stringify(history, null, 2).replace(/\n/g, (_, at: number) => (at % 3 === 0 ? "\r\n" : "\n"));
    const { completed, unary } = await streamedAndUnary(historyText);
    expect(unary).toMatch(/\r?\n/);
    // parseSse joins the data lines with "\n": the unary answer with each line break so spelled.
    expect(completed).toBe(unary.replace(/\r\n|\r/g, "\n"));
  });
});
