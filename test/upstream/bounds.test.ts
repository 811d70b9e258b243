// The relay reads a bounded number of upstream bytes: one streamed event (however it comes: one line
// without an end, or line after line with no blank one), a unary reply and a failure answer's body.
// Past the bound, an upstream that sends without end is a 502 (the stream's own error event or
// turn.error once it began) and is no longer read: never a crash, a hang or memory that grows with it.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { Bindings } from "../../src/config";
import { readConfig } from "../../src/config";
import { RelayError } from "../../src/errors";
import { serverSentEvents } from "../../src/http/sse-read";
import { geminiUpstream, replyLimit } from "../../src/upstream/gemini";
import { parseSse, TEST_KEY } from "../helpers";

const LIMIT = 64 * 1024;
const CHUNK = 16 * 1024;
const encode = (text: string) => new TextEncoder().encode(text);

/** A body that starts with `head`, then sends `filler` chunks for ever (counting what was pulled). */
function endless(head: string, filler: string) {
  const seen = { chunks: 0, cancelled: false };
  const chunk = encode(filler.repeat(Math.ceil(CHUNK / filler.length)));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encode(head));
    },
    pull(controller) {
      seen.chunks++;
      controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

async function readAll(body: ReadableStream<Uint8Array>) {
  const events: string[] = [];
  try {
    for await (const e of serverSentEvents(body, { maxEventBytes: LIMIT })) events.push(e.data);
    return { events, error: undefined };
  } catch (err) {
    return { events, error: (err as Error).message };
  }
}

describe("serverSentEvents with maxEventBytes", () => {
  for (const [name, filler] of <[string, string][]>[
    ["one line without an end", "x"],
    ["data lines without the blank line that ends the event", "data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"],
  ]) {
    it(`refuses an event that grows past the bound (${name}), having read little more than the bound`, async () => {
      const { body, seen } = endless('data: {"ok":1}\n\ndata: "', filler);
      const got = await readAll(body);
      expect(got).toEqual({ events: ['{"ok":1}'], error: `An event in the event stream is larger than ${LIMIT} bytes.` });
      expect(seen.chunks).toBeLessThanOrEqual(LIMIT / CHUNK + 2);
      expect(seen.cancelled).toBe(true);
    });
  }

  it("bounds each event, not the stream: many events, and chunks larger than the bound, are read", async () => {
    const event = `data: ${"y".repeat(1000)}\n\n`;
    const text = event.repeat(200); // 200 KB, in chunks of about 100 KB
    const half = encode(text.slice(0, text.length / 2));
    const rest = encode(text.slice(text.length / 2));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(half);
        c.enqueue(rest);
        c.close();
      },
    });
    const got = await readAll(body);
    expect([got.events.length, got.error]).toEqual([200, undefined]);
  });
});

const ENV: Bindings = { GEMINI_API_KEY: TEST_KEY, GEMINI_BASE_URL: "http://gemini.test", AUTH_MODE: "none", UPSTREAM_MAX_RETRIES: "0" };

/** A relay whose upstream answers with `respond`, reading at most LIMIT bytes of a reply or event. */
function relayAnswering(respond: () => Response) {
  const app = createApp({ makeUpstream: (config) => geminiUpstream(config, { fetch: async () => respond(), maxReplyBytes: LIMIT }) });
  return (path: string, stream: boolean) =>
    Promise.resolve(
      app.request(
        path,
        { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "m", input: "hi", stream }) },
        ENV,
      ),
    );
}

const SSE = { "content-type": "text/event-stream" };
const created =
  'event: interaction.created\ndata: {"event_type":"interaction.created","interaction":{"id":"v1_x","status":"in_progress"}}\n\n';

describe("an upstream event stream with an event larger than the bound", () => {
  it("ends the drop-in route's stream with an error event (no [DONE]) and stops reading", async () => {
    const { body, seen } = endless(`${created}event: step.delta\ndata: {"text":"`, "x");
    const res = await relayAnswering(() => new Response(body, { headers: SSE }))("/v1beta/interactions", true);
    const events = parseSse(await res.text()).events;
    expect(events.map((e) => e.event)).toEqual(["interaction.created", "error"]);
    expect(JSON.parse(events[1]!.data)).toMatchObject({
      error: { code: "api_error", message: expect.stringContaining(`larger than ${LIMIT} bytes`) },
    });
    expect(seen.cancelled).toBe(true);
  });

  it("ends /v1/turns' stream with turn.error, a 502", async () => {
    const { body, seen } = endless(`${created}event: step.delta\ndata: {"text":"`, "x");
    const res = await relayAnswering(() => new Response(body, { headers: SSE }))("/v1/turns", true);
    const last = parseSse(await res.text()).events.at(-1)!;
    expect(last.event).toBe("turn.error");
    expect(JSON.parse(last.data)).toMatchObject({ status: 502, code: "upstream_unavailable" });
    expect(seen.cancelled).toBe(true);
  });
});

describe("a unary reply larger than the bound", () => {
  for (const path of ["/v1/turns", "/v1beta/interactions"]) {
    it(`is a 502 on ${path}, and the rest of it is not read`, async () => {
      const { body, seen } = endless('{"id":"v1_x","status":"completed","steps":[{"type":"model_output","text":"', "x");
      const res = await relayAnswering(() => new Response(body, { headers: { "content-type": "application/json" } }))(path, false);
      const text = await res.text();
      expect(res.status, text).toBe(502);
      expect(text).toContain(`a reply larger than ${LIMIT} bytes`);
      expect(seen.chunks).toBeLessThanOrEqual(LIMIT / CHUNK + 2);
      expect(seen.cancelled).toBe(true);
    });
  }
});

describe("a unary reply of declared length", () => {
  const reply = '{"id":"v1_x","status":"completed","steps":[{"type":"model_output","text":"' + "x".repeat(2 * LIMIT) + '"}]}';
  // Read whole when its Content-Length is within the bound; the length a header declares is never
  // trusted past the bound, nor when the body was decoded (a gzip body's length is not its size).
  for (const [name, headers] of [
    ["a Content-Length under what it holds", { "content-length": "100" }],
    ["a Content-Length past the bound", { "content-length": String(reply.length) }],
  ] as const) {
    it(`is a 502 past the bound with ${name}`, async () => {
      const res = await relayAnswering(() => new Response(reply, { headers: { "content-type": "application/json", ...headers } }))(
        "/v1/turns",
        false,
      );
      const text = await res.text();
      expect(res.status, text).toBe(502);
      expect(text).toContain(`a reply larger than ${LIMIT} bytes`);
    });
  }

  it("is read as a stream, to the bound, when it was decoded (its Content-Length is not its size)", async () => {
    const { body, seen } = endless('{"id":"v1_x","status":"completed","steps":[{"type":"model_output","text":"', "x");
    const headers = { "content-type": "application/json", "content-length": "100", "content-encoding": "gzip" };
    const res = await relayAnswering(() => new Response(body, { headers }))("/v1/turns", false);
    expect(res.status).toBe(502);
    expect(seen.chunks).toBeLessThanOrEqual(LIMIT / CHUNK + 2);
    expect(seen.cancelled).toBe(true);
  });

  it("within the bound, is the reply as sent", async () => {
    const small = '{"id":"v1_x","status":"completed","steps":[{"type":"model_output","text":"short"}]}';
    const res = await relayAnswering(
      () => new Response(small, { headers: { "content-type": "application/json", "content-length": String(small.length) } }),
    )("/v1/turns", false);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toContain('{"type":"model_output","text":"short"}');
  });
});

describe("a failure answer with an endless body", () => {
  it("is read to 64 KiB (the message quotes its start) and answered with its status", async () => {
    const config = readConfig(ENV);
    const { body, seen } = endless("<html>Service Unavailable ", "x");
    const upstream = geminiUpstream(config, {
      fetch: async () => new Response(body, { status: 503, headers: { "content-type": "text/html" } }),
    });
    const err = (await upstream
      .createInteraction({ members: ['"model":"m"', ",", '"input":"hi"'] }, new AbortController().signal)
      .catch((e: unknown) => e)) as RelayError;
    expect(err).toBeInstanceOf(RelayError);
    expect([err.status, err.code, err.upstream?.status]).toEqual([502, "upstream_unavailable", 503]);
    expect(err.detail).toContain("Service Unavailable xxx");
    expect(err.upstream!.body.length).toBe(64 * 1024);
    expect(seen.cancelled).toBe(true);
  });
});

describe("a failure answer cut at its bound", () => {
  it("never passes on a part of the key the bound falls inside", async () => {
    const head = '{"error":{"code":400,"message":"';
    for (const before of [6, Math.floor(TEST_KEY.length / 2), TEST_KEY.length - 1]) {
      const failure = `${head}${"x".repeat(64 * 1024 - head.length - before)}${TEST_KEY} bad"}}`;
      const relay = relayAnswering(() => new Response(failure, { status: 400, headers: { "content-type": "application/json" } }));
      for (const path of ["/v1/turns", "/v1beta/interactions"]) {
        const text = await (await relay(path, false)).text();
        expect(text, `${path}, ${before} characters of the key before the bound`).not.toContain(TEST_KEY.slice(0, before));
      }
    }
  });
});

describe("a failure answer longer than the bound, on the drop-in route", () => {
  it("is answered in the relay's own Google-shaped words with the upstream's status, never as cut JSON", async () => {
    const failure = `{"error":{"code":400,"message":"${"y".repeat(70_000)}","status":"INVALID_ARGUMENT"}}`;
    const relay = relayAnswering(() => new Response(failure, { status: 400, headers: { "content-type": "application/json" } }));
    const res = await relay("/v1beta/interactions", false);
    expect(res.status).toBe(400);
    const answer = JSON.parse(await res.text()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe("invalid_request");
    expect(answer.error.message).toContain("yyy");
    // A failure within the bound still goes back exactly as the upstream answered it.
    const small = '{"error":{"code":400,"message":"no","status":"INVALID_ARGUMENT"}}';
    const whole = await relayAnswering(() => new Response(small, { status: 400 }))("/v1beta/interactions", false);
    expect(await whole.text()).toBe(small);
  });
});

describe("replyLimit", () => {
  it("is twice MAX_BODY_BYTES, at least 16 MiB", () => {
    expect(replyLimit({ maxBodyBytes: 25 * 1024 * 1024 })).toBe(50 * 1024 * 1024);
    expect(replyLimit({ maxBodyBytes: 1024 })).toBe(16 * 1024 * 1024);
  });
});
