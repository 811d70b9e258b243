// The README's "A taste of the API", kept true: its two curl requests, sent to the relay over the
// emulator (what `npm start` runs), answer what the README shows: the unary body's members as shown
// (`usage` abbreviated there), and the streamed events it lists, in order, with the turn.step it quotes.
import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";
import { parseSse, relayWithEmulator } from "../helpers";

const HEADING = "\n## A taste of the API\n";
const section = readme.slice(readme.indexOf(HEADING), readme.indexOf("\n## ", readme.indexOf(HEADING) + 1));
const blocks = [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
/** The JSON body of each `curl … -d '…'` block, in order. */
const requests = blocks.filter((b) => b.lang === "sh").map((b) => /-d '([^']*)'/.exec(b.text)![1]!);
/** The answers shown after them: the unary body, then the event stream. */
const [unaryShown, streamShown] = blocks.filter((b) => b.lang === "text").map((b) => b.text);

describe("the README's taste of the API", () => {
  it("shows a unary and a streamed request, each followed by its answer", () => {
    expect(section).not.toBe("");
    expect(requests.map((body) => JSON.parse(body).stream ?? false)).toEqual([false, true]);
    expect(unaryShown).toBeDefined();
    expect(streamShown).toBeDefined();
  });

  it("the unary turn answers the body shown", async () => {
    const res = await relayWithEmulator().turn(requests[0]!);
    expect(res.status).toBe(200);
    const actual = (await res.json()) as Record<string, unknown>;
    // The README abbreviates `usage` with "…": what it shows of it must hold, the rest as shown.
    const shown = JSON.parse(unaryShown!.replaceAll(",…}", "}")) as Record<string, unknown>;
    expect(Object.keys(actual)).toEqual(Object.keys(shown));
    const { usage, ...rest } = shown;
    expect(actual).toMatchObject({ ...rest, usage });
  });

  it("the streamed turn sends the events listed, in order, and the turn.step quoted", async () => {
    const res = await relayWithEmulator().turn(requests[1]!);
    expect(res.status).toBe(200);
    const { events } = parseSse(await res.text());
    const lines = streamShown!.split("\n");
    expect(events.map((e) => e.event)).toEqual(lines.filter((l) => l.startsWith("event: ")).map((l) => l.slice("event: ".length)));
    const quotedStep = lines[lines.indexOf("event: turn.step") + 1]!.slice("data: ".length);
    expect(events.find((e) => e.event === "turn.step")!.data).toBe(quotedStep);
    const completed = JSON.parse(events.at(-1)!.data) as { output_text: string };
    expect(streamShown).toContain(`"output_text":${JSON.stringify(completed.output_text)}`);
  });
});
