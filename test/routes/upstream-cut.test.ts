// An upstream event stream that ends before its last event did (the connection cut mid-event) is
// a failure on both routes, never a shorter stream that looks complete: the drop-in route ends with
// an `error` event and no `[DONE]`, /v1/turns with turn.error. A stream whose lines end with a lone
// CR is read to its last event (the WHATWG parser's end of stream).
import { describe, expect, it } from "vitest";
import { parseSse, relayOverFetch } from "../helpers";

const created =
  'event: interaction.created\ndata: {"event_type":"interaction.created","interaction":{"id":"v1_x","status":"in_progress"}}\n\n';
const completed =
  'event: interaction.completed\ndata: {"event_type":"interaction.completed","interaction":{"id":"v1_x","status":"completed"}}';

const answering = (sse: string) => () => Promise.resolve(new Response(sse, { headers: { "content-type": "text/event-stream" } }));

async function streamed(path: string, sse: string): Promise<ReturnType<typeof parseSse>["events"]> {
  const { app, env } = relayOverFetch(answering(sse));
  const body = JSON.stringify({ model: "gemini-3.5-flash", input: "hi", stream: true });
  const res = await app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body }, env);
  expect(res.status).toBe(200);
  return parseSse(await res.text()).events;
}

const CUTS: Record<string, string> = {
  "inside a line": `${created}${completed.slice(0, 60)}`,
  "after the data line, before the blank line that ends the event": `${created}${completed}\n`,
};

describe("an upstream stream cut inside its last event", () => {
  for (const [where, sse] of Object.entries(CUTS)) {
    it(`${where}: the drop-in route ends with an error event, never [DONE]`, async () => {
      const events = await streamed("/v1beta/interactions", sse);
      expect(events.map((e) => e.event)).toEqual(["interaction.created", "error"]);
      expect(JSON.parse(events[1]!.data)).toMatchObject({ event_type: "error", error: { code: "api_error" } });
    });

    it(`${where}: /v1/turns ends with turn.error`, async () => {
      const events = await streamed("/v1/turns", sse);
      expect(events.at(-1)!.event).toBe("turn.error");
      expect(events.map((e) => e.event)).not.toContain("turn.completed");
    });
  }

  it("a stream that ends after a complete event (and a comment) still ends with [DONE]", async () => {
    const events = await streamed("/v1beta/interactions", `${created}${completed}\n\n: bye\n`);
    expect(events.map((e) => e.event)).toEqual(["interaction.created", "interaction.completed", "done"]);
  });
});

describe("an upstream stream whose lines end with a lone CR", () => {
  it("is read to its last event, the one the stream ends right after", async () => {
    const sse = `${created}${completed}\n\n`.replace(/\n/g, "\r");
    const events = await streamed("/v1beta/interactions", sse);
    expect(events.map((e) => e.event)).toEqual(["interaction.created", "interaction.completed", "done"]);
  });
});
