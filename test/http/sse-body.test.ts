// The SSE answer's body (src/http/sse-response.ts SseBody): events go out without waiting for the
// caller to take each one, a slow caller holds the writers back (one chunk deep), and a caller that
// leaves aborts the upstream call and releases every waiting writer.
import { describe, expect, it } from "vitest";
import { SseBody, sseBodyOf } from "../../src/http/sse-response";

const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);
/** Whether a promise has settled after the microtasks queued so far. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
}

describe("SseBody", () => {
  it("hands an event to a waiting reader at once, and lets the next write go on without a round trip", async () => {
    const body = new SseBody(() => {});
    const reader = body.stream.getReader();
    const read = reader.read();
    expect(await settled(body.write("event: a\ndata: 1\n\n"))).toBe(true);
    expect(text((await read).value)).toBe("event: a\ndata: 1\n\n");
  });

  it("holds writers back until the caller has taken what was queued and asks for more, then releases all of them (event and keep-alive)", async () => {
    const body = new SseBody(() => {});
    const reader = body.stream.getReader();
    const event = body.write("one");
    const keepAlive = body.write(": keep-alive\n\n");
    expect(await settled(event)).toBe(false);
    expect(await settled(keepAlive)).toBe(false);
    expect(text((await reader.read()).value)).toBe("one");
    expect(await settled(event)).toBe(false); // the keep-alive still fills the queue
    expect(text((await reader.read()).value)).toBe(": keep-alive\n\n");
    // Asking for more (what the runtime does as it sends the body) makes room: both go on.
    const next = reader.read();
    expect(await settled(event)).toBe(true);
    expect(await settled(keepAlive)).toBe(true);
    await body.write("two");
    expect(text((await next).value)).toBe("two");
  });

  it("aborts the upstream when the caller leaves, releases a waiting writer and drops what comes after", async () => {
    let aborted = 0;
    const body = new SseBody(() => aborted++);
    const reader = body.stream.getReader();
    const waiting = body.write("one");
    expect(await settled(waiting)).toBe(false);
    await reader.cancel();
    expect(aborted).toBe(1);
    expect(body.aborted).toBe(true);
    expect(await settled(waiting)).toBe(true);
    expect(await settled(body.write("three"))).toBe(true);
    body.close();
  });

  it("ends the body on close, after what was queued", async () => {
    const body = new SseBody(() => {});
    body.queue("a");
    body.queue(new TextEncoder().encode("b"));
    body.close();
    const chunks: string[] = [];
    for await (const chunk of body.stream) chunks.push(text(chunk));
    expect(chunks).toEqual(["a", "b"]);
  });

  it("says once that it was sent, with the bytes written, when the runtime has taken everything up to the close", async () => {
    const body = new SseBody(() => {});
    const ends: [number, string][] = [];
    body.onEnd((bytes, outcome) => ends.push([bytes, outcome]));
    const reader = body.stream.getReader();
    body.queue("event: a\ndata: 1\n\n");
    body.close();
    expect(ends).toEqual([]); // a chunk is still queued
    expect(text((await reader.read()).value)).toBe("event: a\ndata: 1\n\n");
    expect((await reader.read()).done).toBe(true);
    expect(ends).toEqual([[18, "sent"]]);
    body.close();
    expect(ends).toHaveLength(1);
  });

  it("says once that it was aborted, with the bytes written so far, when the caller leaves; a listener added late hears it too", async () => {
    const body = new SseBody(() => {});
    const reader = body.stream.getReader();
    void body.write("one");
    await reader.read();
    await reader.cancel();
    body.close();
    const ends: [number, string][] = [];
    body.onEnd((bytes, outcome) => ends.push([bytes, outcome]));
    expect(ends).toEqual([[3, "aborted"]]);
  });

  it("is found by its stream (observe() listens to it there), and no other stream is", () => {
    const body = new SseBody(() => {});
    expect(sseBodyOf(body.stream)).toBe(body);
    expect(sseBodyOf(new ReadableStream())).toBeUndefined();
    expect(sseBodyOf(null)).toBeUndefined();
  });
});
