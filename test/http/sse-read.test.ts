// Reading server-sent events off the bytes (src/http/sse-read.ts) against the reader it replaces,
// eventsource-parser behind a fatal TextDecoderStream: the same events (names and data), the same
// streams refused, however the bytes are cut into chunks. Where the stream ends, the reader follows
// the WHATWG spec where eventsource-parser does not, and the comparison says how (`atEnd`).
import fc from "fast-check";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { describe, expect, it } from "vitest";
import { serverSentEvents } from "../../src/http/sse-read";

const encode = (text: string) => new TextEncoder().encode(text);

/** `bytes` as a body cut at `cuts` (offsets). */
function body(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks = [0, ...at, bytes.length].slice(1).map((end, i, ends) => bytes.slice(i === 0 ? 0 : ends[i - 1], end));
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) if (chunk.length > 0) controller.enqueue(chunk);
      controller.close();
    },
  });
}

type Outcome = { events: { event?: string; data: string }[]; failed: boolean };

async function reference(stream: ReadableStream<Uint8Array>): Promise<Outcome> {
  const events: Outcome["events"] = [];
  try {
    const reader = stream
      .pipeThrough(new TextDecoderStream("utf-8", { fatal: true }))
      .pipeThrough(new EventSourceParserStream({ onError: "terminate" }))
      .getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { events, failed: false };
      events.push({ ...(value.event !== undefined ? { event: value.event } : {}), data: value.data });
    }
  } catch {
    return { events, failed: true };
  }
}

async function ours(stream: ReadableStream<Uint8Array>): Promise<Outcome> {
  const events: Outcome["events"] = [];
  try {
    for await (const event of serverSentEvents(stream)) events.push(event);
    return { events, failed: false };
  } catch {
    return { events, failed: true };
  }
}

// No U+FEFF inside the text: workerd's TextDecoderStream drops one that starts a chunk (see below).
const text = fc.string({ unit: fc.constantFrom("a", "é", "😀", ":", " ", "{", '"', "\u2028", "x"), maxLength: 12 });
const lineEnd = fc.constantFrom("\n", "\r\n", "\r");
const field = fc.oneof(
  text.map((t) => `data: ${t}`),
  text.map((t) => `data:${t}`),
  fc.constant("data"),
  text.map((t) => `event: ${t}`),
  fc.constant("event:"),
  text.map((t) => `id: ${t}`),
  text.map((t) => `: ${t}`),
  fc.constantFrom("retry: 1000", "retry: x", "bogus: 1", "bogus"),
);
const stream = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(fc.array(fc.tuple(field, lineEnd), { maxLength: 4 }), lineEnd), { maxLength: 6 }), fc.boolean())
  .map(([bom, events, unfinished]) => {
    const textOf = events.map(([lines, end]) => `${lines.map(([l, e]) => l + e).join("")}${end}`).join("");
    return `${bom ? "\ufeff" : ""}${textOf}${unfinished ? "data: cut" : ""}`;
  });

/**
 * What the spec asks of a stream's end, in terms of eventsource-parser: the text it should read
 * (a last lone CR is a line end, as a CRLF would be: eventsource-parser keeps waiting for an LF and
 * drops the line) and whether the stream was cut (a line not ended, or data lines no blank line
 * ended: eventsource-parser drops that event silently, the relay must say the stream was cut).
 */
async function atEnd(sse: string): Promise<{ text: string; cut: boolean }> {
  let text = sse.endsWith("\r") ? `${sse}\n` : sse;
  // An unfinished last line cuts the stream when it carries data; any other (a comment, an id) ends as
  // if its line break had come.
  const last = text
    .replace(/^\ufeff/, "")
    .split(/\r\n|\r|\n/)
    .at(-1)!;
  if (/^data(?::|$)/.test(last)) return { text, cut: true };
  if (last !== "") text = `${text}\n`;
  const ended = await reference(body(encode(`${text}\n`), []));
  return { text, cut: ended.events.length > (await reference(body(encode(text), []))).events.length };
}

describe("serverSentEvents", () => {
  it("gives out what eventsource-parser behind a fatal TextDecoderStream gives out, however the bytes are cut (the stream's end as the spec says)", async () => {
    await fc.assert(
      fc.asyncProperty(stream, fc.array(fc.nat(), { maxLength: 8 }), async (sse, cuts) => {
        const end = await atEnd(sse);
        const got = await ours(body(encode(sse), cuts));
        const read = await reference(body(encode(end.text), cuts));
        const want = { events: read.events, failed: read.failed || end.cut };
        expect(got.failed).toBe(want.failed);
        // A stream that fails: the decoding streams drop events read from the chunk that failed,
        // this reader has given them out already; either way the same events, up to the failure.
        if (want.failed) expect(got.events.slice(0, want.events.length)).toEqual(want.events);
        else expect(got.events).toEqual(want.events);
      }),
      { numRuns: 400 },
    );
  });

  it("ends a CR-only stream's last line at its end (the spec), so the event the stream ends after is given out", async () => {
    for (const cuts of [[], [8], [9]]) {
      expect((await ours(body(encode("data: a\r\rdata: b\r\r"), cuts))).events).toEqual([{ data: "a" }, { data: "b" }]);
    }
    expect(await ours(body(encode("data: a\r\r: done\r"), []))).toEqual({ events: [{ data: "a" }], failed: false });
  });

  it("fails a stream cut inside an event or a line, having given out the events before it", async () => {
    for (const cut of ["data: b", "data: b\n", "data: b\r\ndata: c\r\n", "event: x\ndata: b\n", "data: b\n: ping", "data"]) {
      for (const cuts of [[], [3], [10]]) {
        const got = await ours(body(encode(`data: a\n\n${cut}`), cuts));
        expect(got, JSON.stringify(cut)).toEqual({ events: [{ data: "a" }], failed: true });
      }
    }
    // Nothing begun at the end: a complete stream, whatever came last (an unfinished line without data included).
    for (const end of ["", ": ping\n", "event: x\n", "\n", "id: 1\r\n", ": ping", "id: 1", "event: x"]) {
      expect(await ours(body(encode(`data: a\n\n${end}`), [])), JSON.stringify(end)).toEqual({ events: [{ data: "a" }], failed: false });
    }
  });

  it("refuses invalid UTF-8 as the decoding stream did, a cut last line's included", async () => {
    const bad = (text: string, tail: number[]) => new Uint8Array([...encode(text), ...tail]);
    for (const bytes of [bad("data: a", [0xff, 0x0a, 0x0a]), bad("data: a\n\n: ", [0xc3]), bad("data: ok\n\n", [0xe2, 0x82])]) {
      expect((await reference(body(bytes, [3]))).failed).toBe(true);
      expect((await ours(body(bytes, [3]))).failed).toBe(true);
      expect((await ours(body(bytes, []))).failed).toBe(true);
    }
  });

  it("keeps a U+FEFF inside the data wherever a chunk starts (workerd's TextDecoderStream, workerd 2026-04-26, dropped one that started a chunk), and drops only a leading BOM", async () => {
    const bytes = encode("data: a\ufeffb\n\n");
    const inner = bytes.indexOf(0xef);
    expect((await ours(body(bytes, [inner]))).events).toEqual([{ data: "a\ufeffb" }]);
    const leading = encode("\ufeffdata: a\ufeffb\n\n");
    expect((await ours(body(leading, [1, 2, leading.indexOf(0xef, 3)]))).events).toEqual([{ data: "a\ufeffb" }]);
  });

  it("gives an event out as soon as its blank line arrives, before the stream goes on", async () => {
    let more!: ReadableStreamDefaultController<Uint8Array>;
    const events = serverSentEvents(
      new ReadableStream({
        start(controller) {
          more = controller;
          controller.enqueue(encode('event: step.start\ndata: {"a":1}\n\n'));
        },
      }),
    );
    expect((await events.next()).value).toEqual({ event: "step.start", data: '{"a":1}' });
    more.enqueue(encode("data: 2\r\n\r\n"));
    more.close();
    expect((await events.next()).value).toEqual({ data: "2" });
    expect((await events.next()).done).toBe(true);
  });

  it("cancels the body when the reader stops early", async () => {
    let cancelled = false;
    const events = serverSentEvents(
      new ReadableStream({
        start(controller) {
          controller.enqueue(encode("data: 1\n\ndata: 2\n\n"));
        },
        cancel() {
          cancelled = true;
        },
      }),
    );
    await events.next();
    await events.return(undefined);
    expect(cancelled).toBe(true);
  });
});
