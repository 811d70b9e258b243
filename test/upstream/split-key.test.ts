// A key the upstream's text cuts across step.delta events (a hostile upstream or proxy, or a model
// that repeats a key it was shown) never reaches a caller whole, put back together from the pieces:
// on either route, the deltas that hold its pieces are rewritten (their `delta.text` only), and
// every other event, a delta that merely ends like the key's start included, is forwarded as received.
import { describe, expect, it } from "vitest";
import { REDACTED, splitKeyGuard } from "../../src/upstream/redact";
import type { UpstreamEvent } from "../../src/upstream/upstream";
import { parseSse, relayOverFetch, TEST_KEY } from "../helpers";

const created = '{"interaction":{"id":"v1_k","status":"in_progress"},"event_type":"interaction.created"}';
const start = (index: number) => `{"index":${index},"step":{"type":"model_output"},"event_type":"step.start"}`;
const text = (index: number, t: string) =>
  `{"index":${index},"delta":{"text":${JSON.stringify(t)},"type":"text"},"event_type":"step.delta"}`;
const stop = (index: number) => `{"index":${index},"event_type":"step.stop"}`;
const completed = '{"interaction":{"id":"v1_k","status":"completed"},"event_type":"interaction.completed"}';

const sse = (events: string[]) =>
  events.map((data) => `event: ${(JSON.parse(data) as { event_type: string }).event_type}\ndata: ${data}\n\n`).join("");

async function streamed(path: string, events: string[]) {
  const { app, env } = relayOverFetch(() =>
    Promise.resolve(new Response(sse(events), { headers: { "content-type": "text/event-stream" } })),
  );
  const body = JSON.stringify({ model: "gemini-3.5-flash", input: "hi", stream: true });
  const res = await app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body }, env);
  expect(res.status).toBe(200);
  return parseSse(await res.text()).events;
}

const deltaTexts = (events: { event: string; data: string }[]) =>
  events.filter((e) => e.event === "step.delta").map((e) => (JSON.parse(e.data) as { delta: { text: string } }).delta.text);

const ROUTES = { "/v1/turns": "/v1/turns", "the drop-in route": "/v1beta/interactions" };

describe("the key cut across text deltas", () => {
  for (const [route, path] of Object.entries(ROUTES)) {
    for (const cuts of [[9], [1], [18], [4, 11], [3, 7, 12, 15]]) {
      it(`cannot be put back together from ${route}'s events (cut at ${cuts.join(", ")})`, async () => {
        const bounds = [0, ...cuts, TEST_KEY.length];
        const pieces = bounds.slice(1).map((end, i) => TEST_KEY.slice(bounds[i], end));
        pieces[0] = `key: ${pieces[0]}`;
        pieces[pieces.length - 1] += " end";
        const events = await streamed(path, [created, start(0), ...pieces.map((p) => text(0, p)), stop(0), completed]);
        const joined = deltaTexts(events).join("");
        expect(joined).toBe(`key: ${REDACTED} end`);
        expect(deltaTexts(events)).toHaveLength(pieces.length);
        expect(JSON.stringify(events)).not.toContain(TEST_KEY);
        if (path === "/v1/turns") {
          expect(events.at(-1)!.event).toBe("turn.completed");
          expect(events.at(-1)!.data).toContain(`key: ${REDACTED} end`);
        }
      });
    }

    it(`forwards, on ${route}, every event that holds no piece of the key as received, in order`, async () => {
      // "…t" and "…test-key-01" end as the key starts, but what follows is not the rest of it.
      const upstream = [
        created,
        start(0),
        text(0, "a t"),
        text(0, "ext"),
        text(0, "test-key-01"),
        start(1),
        text(1, "23"),
        stop(0),
        stop(1),
        completed,
      ];
      const events = await streamed(path, upstream);
      const forwarded = events.filter((e) => !e.event.startsWith("turn.") && e.event !== "done").map((e) => e.data);
      expect(forwarded).toEqual(upstream);
    });
  }

  it("holds a delta while the text ends as the key starts, and takes the key out of every delta it spans", () => {
    const guard = splitKeyGuard(TEST_KEY, (event, t) => ({ ...event, data: t }));
    const delta = (t: string): UpstreamEvent => {
      const data = text(0, t);
      return { type: "step.delta", data, value: JSON.parse(data) as UpstreamEvent["value"] };
    };
    expect(guard.accept(delta("x test-"))).toEqual([]);
    expect(guard.accept(delta("key-"))).toEqual([]);
    // The last one ends with "te" (the key's start again): it is held, its key taken out already.
    expect(guard.accept(delta("0123456789 test-key-0123456789 y te")).map((e) => e.data)).toEqual([`x ${REDACTED}`, ""]);
    expect(guard.flush().map((e) => e.data)).toEqual([` ${REDACTED} y te`]);
    const other = delta("no key");
    expect(guard.accept(other)).toEqual([other]);
  });

  it("holds no more events than the key has characters: empty deltas after a start of the key are let go, in order", () => {
    const guard = splitKeyGuard(TEST_KEY, (event, t) => ({ ...event, data: t }));
    const delta = (t: string): UpstreamEvent => {
      const data = text(0, t);
      return { type: "step.delta", data, value: JSON.parse(data) as UpstreamEvent["value"] };
    };
    const first = delta("x test-");
    const empties = Array.from({ length: 20_000 }, () => delta(""));
    const forwarded = [first, ...empties].flatMap((event) => guard.accept(event));
    const stillHeld = guard.flush();
    expect(stillHeld.length).toBeLessThanOrEqual(TEST_KEY.length);
    expect([...forwarded, ...stillHeld]).toEqual([first, ...empties]);
  });

  it("rewrites only the text of a delta that holds a piece: every other byte of its data as received", async () => {
    const first = `{"index":0, "delta":{"type":"text","text":"key: test-key-","x":[1, 2]},"event_type":"step.delta","metadata":{"a":"\\u00e9"}}`;
    const second = `{"index":0,"delta":{"text":"0123456789!\\n","type":"text"} ,"event_type":"step.delta"}`;
    for (const path of Object.values(ROUTES)) {
      const events = await streamed(path, [created, start(0), first, second, stop(0), completed]);
      const deltas = events.filter((e) => e.event === "step.delta").map((e) => e.data);
      expect(deltas).toEqual([first.replace('"key: test-key-"', `"key: ${REDACTED}"`), second.replace('"0123456789!\\n"', '"!\\n"')]);
    }
  });
});
