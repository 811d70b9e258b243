import { describe, expect, it } from "vitest";
import { boundedInflate, INFLATE_SLICE_BYTES, readBody } from "../../src/http/body";
import { JsonDepthError, JsonScanner } from "../../src/json/scan";
import { parseTurn } from "../../src/turn/validate";
import { relayErrorOf, relayErrorOfAsync } from "../relay-error";

const limits = { maxBodyBytes: 1024, bodyTimeoutMs: 30_000 };
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("https://relay.test/v1/turns", { method: "POST", body, headers });

async function gzip(text: string): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
}

/** `size` zero bytes compressed, generated as a stream (a bomb: ~1000 bytes of output per byte). */
async function zerosCompressed(format: "gzip" | "deflate", size: number): Promise<Uint8Array> {
  const block = new Uint8Array(1 << 20);
  let left = size;
  const zeros = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      controller.enqueue(block.subarray(0, Math.min(left, block.byteLength)));
      left -= block.byteLength;
    },
  });
  return new Uint8Array(await new Response(zeros.pipeThrough(new CompressionStream(format))).arrayBuffer());
}

/** A request whose body is `bytes` in `chunkBytes` pieces, handed out as they are pulled; `pulled()` tells how many were. */
function trickled(bytes: Uint8Array, chunkBytes: number, headers: Record<string, string>) {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkBytes));
      at += chunkBytes;
    },
  });
  const request = new Request("https://relay.test/v1/turns", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return { request, pulled: () => Math.min(at, bytes.byteLength) };
}

const failure = (request: Request, l = limits) => relayErrorOfAsync(() => readBody(request, l, { bytesIn: 0 }));

describe("readBody", () => {
  it("returns the bytes as sent, unparsed, and counts them", async () => {
    const info = { bytesIn: 0 };
    const text = '{"a": [1, 2.50],\n "n": 12345678901234567890}';
    expect(decoder.decode(await readBody(post(text), limits, info))).toBe(text);
    expect(info.bytesIn).toBe(encoder.encode(text).byteLength);
    // Parsing is the scanner's job: broken JSON comes back as it was sent.
    expect(decoder.decode(await readBody(post("{oops"), limits, { bytesIn: 0 }))).toBe("{oops");
  });

  it("accepts a gzip body and counts its compressed size", async () => {
    const text = JSON.stringify({ text: "x".repeat(900) });
    const info = { bytesIn: 0 };
    const body = await gzip(text);
    expect(
      decoder.decode(await readBody(post(body, { "content-type": "application/json", "content-encoding": "gzip" }), limits, info)),
    ).toBe(text);
    expect(info.bytesIn).toBe(body.byteLength);
    expect(info.bytesIn).toBeLessThan(text.length);
  });

  it("applies the size limit after decompression (a small gzip bomb is refused)", async () => {
    const bomb = await gzip(JSON.stringify({ text: "x".repeat(50_000) }));
    expect(bomb.byteLength).toBeLessThan(limits.maxBodyBytes);
    const err = await failure(post(bomb, { "content-type": "application/json", "content-encoding": "gzip" }));
    expect(err.status).toBe(413);
    expect(err.detail).toMatch(/decompressed/);
  });

  it("stops inflating a streamed gzip or deflate bomb once its output passes the limit (413), and reads the rest unexpanded", async () => {
    const bombLimits = { maxBodyBytes: 1024 * 1024, bodyTimeoutMs: 30_000 };
    for (const format of ["gzip", "deflate"] as const) {
      const bomb = await zerosCompressed(format, 64 * 1024 * 1024);
      const { request, pulled } = trickled(bomb, 1024, { "content-type": "application/json", "content-encoding": format });
      const err = await relayErrorOfAsync(() => readBody(request, bombLimits, { bytesIn: 0 }));
      expect(err.status).toBe(413);
      expect(err.detail).toMatch(/MAX_BODY_BYTES.*once decompressed/);
      // Stopped within a slice of the limit, not after the 64 MiB a decompressor without backpressure makes.
      const stoppedAt = Number(/decompression stopped at (\d+) bytes/.exec(err.detail)?.[1]);
      expect(stoppedAt).toBeGreaterThan(bombLimits.maxBodyBytes);
      expect(stoppedAt).toBeLessThanOrEqual(bombLimits.maxBodyBytes + INFLATE_SLICE_BYTES * 1032);
      // The compressed rest is read and dropped (the caller is still sending it and waits for the answer).
      expect(pulled()).toBe(bomb.byteLength);
    }
  });

  it("stops a bomb that arrives in one piece within a slice of the limit", async () => {
    const bombLimits = { maxBodyBytes: 1024 * 1024, bodyTimeoutMs: 30_000 };
    const bomb = await zerosCompressed("gzip", 64 * 1024 * 1024);
    // One chunk as a JS stream hands it over (the runtime's own body streams come in smaller pieces).
    const { request } = trickled(bomb, bomb.byteLength, { "content-type": "application/json", "content-encoding": "gzip" });
    const err = await failure(request, bombLimits);
    expect(err.status).toBe(413);
    const stoppedAt = Number(/decompression stopped at (\d+) bytes/.exec(err.detail)?.[1]);
    expect(stoppedAt).toBeGreaterThan(bombLimits.maxBodyBytes);
    expect(stoppedAt).toBeLessThanOrEqual(bombLimits.maxBodyBytes + INFLATE_SLICE_BYTES * 1032);
  });

  it("inflates a large compressed chunk a slice at a time, never all of it at once", async () => {
    const bomb = await zerosCompressed("gzip", 64 * 1024 * 1024);
    const inflated = new Response(
      trickled(bomb, bomb.byteLength, {}).request.body!.pipeThrough(boundedInflate("gzip", 128 * 1024 * 1024, () => new Error("over"))),
    );
    const reader = inflated.body!.getReader();
    let total = 0;
    let largest = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      total += read.value.byteLength;
      largest = Math.max(largest, read.value.byteLength);
    }
    expect(total).toBe(64 * 1024 * 1024);
    // Deflate expands at most ~1032:1: one slice's output, not the 64 MiB behind the one chunk.
    expect(largest).toBeLessThanOrEqual(INFLATE_SLICE_BYTES * 1032);
  });

  it("inflates honest gzip and deflate bodies however they are chunked", async () => {
    const text = JSON.stringify({ model: "m", input: "caf\u00e9 ".repeat(150) });
    for (const format of ["gzip", "deflate"] as const) {
      const body = new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream(format))).arrayBuffer());
      for (const chunkBytes of [1, 7, body.byteLength]) {
        const { request } = trickled(body, chunkBytes, { "content-type": "application/json", "content-encoding": format });
        const info = { bytesIn: 0 };
        expect(decoder.decode(await readBody(request, limits, info))).toBe(text);
        expect(info.bytesIn).toBe(body.byteLength);
      }
    }
  });

  it("refuses an oversized body from Content-Length and while streaming", async () => {
    expect((await failure(post("x", { "content-type": "application/json", "content-length": "5000" }))).status).toBe(413);
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(encoder.encode("[" + "1,".repeat(200)));
        c.close();
      },
    });
    const err = await failure(
      new Request("https://relay.test/", {
        method: "POST",
        body: chunks,
        headers: { "content-type": "application/json" },
        duplex: "half",
      } as RequestInit),
    );
    expect(err.status).toBe(413);
    expect(err.code).toBe("payload_too_large");
  });

  it("answers 400, not 500, for a body shorter than its Content-Length", async () => {
    // A FixedLengthStream promises 100 bytes; the caller closes it after 11, so the body breaks off.
    const { readable, writable } = new FixedLengthStream(100);
    const writer = writable.getWriter();
    void writer.write(encoder.encode('{"model":"m'));
    void writer.close().catch(() => {});
    const request = new Request("https://relay.test/v1/turns", {
      method: "POST",
      body: readable,
      headers: { "content-type": "application/json", "content-length": "100" },
    });
    const err = await failure(request);
    expect(err.status).toBe(400);
    expect(err.code).toBe("invalid_json");
    expect(err.detail).toMatch(/shorter than its Content-Length/);
  });

  it("answers 400 for a gzip body that cannot be decompressed", async () => {
    const err = await failure(post(encoder.encode("not gzip at all"), { "content-type": "application/json", "content-encoding": "gzip" }));
    expect(err.status).toBe(400);
    expect(err.detail).toMatch(/could not be decompressed/);
    const whole = await gzip(JSON.stringify({ model: "m", input: "x".repeat(300) }));
    const cut = await failure(
      post(whole.slice(0, whole.byteLength - 12), { "content-type": "application/json", "content-encoding": "gzip" }),
    );
    expect(cut.status).toBe(400);
    expect(cut.detail).toMatch(/could not be decompressed/);
  });

  it("refuses other content types and encodings with 415", async () => {
    expect((await failure(post("a=1", { "content-type": "application/x-www-form-urlencoded" }))).status).toBe(415);
    expect((await failure(post("{}", { "content-type": "application/json", "content-encoding": "br" }))).status).toBe(415);
  });
});

describe("the depth limit (the scanner, as parseTurn applies it)", () => {
  const turnLimits = { allowGrounding: false, allowStoredResources: false, maxSteps: 100, maxJsonDepth: 8, extraPassthroughFields: [] };
  const turnFailure = (text: string, l = turnLimits) => relayErrorOf(() => parseTurn(encoder.encode(text), l));

  it("refuses deep nesting before parsing, and broken JSON", () => {
    // The root object is depth 1: eight nested arrays in `tools` reach depth 9 > 8; a 7-deep object stays within.
    const deep = turnFailure(`{"model":"m","input":"x","tools":${"[".repeat(8)}${"]".repeat(8)}}`);
    expect(deep.status).toBe(400);
    expect(deep.code).toBe("too_deep");
    expect(deep.detail).toMatch(/MAX_JSON_DEPTH/);
    const within = `{"model":"m","input":"x","generation_config":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}}`;
    expect(parseTurn(encoder.encode(within), turnLimits).model).toBe("m");
    expect(turnFailure("{oops").code).toBe("invalid_json");
  });

  it("measures depth inside history steps too, which are otherwise opaque", () => {
    const step = (depth: number) => `{"type":"model_output","x":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    // history is depth 2, a step 3: 5 arrays reach 8 (accepted), 6 reach 9 (refused).
    const body = (depth: number) => `{"model":"m","history":[${step(depth)}],"input":"x"}`;
    expect(parseTurn(encoder.encode(body(5)), turnLimits).history).toHaveLength(1);
    expect(turnFailure(body(6)).code).toBe("too_deep");
  });

  it("survives a hostile body that would overflow the stack", async () => {
    const big = { maxBodyBytes: 4 * 1024 * 1024, bodyTimeoutMs: 30_000 };
    const text = `{"model":"m","input":${"[".repeat(1_000_000)}`;
    const bytes = await readBody(post(text), big, { bytesIn: 0 });
    expect(turnFailure(decoder.decode(bytes), { ...turnLimits, maxJsonDepth: 64 }).code).toBe("too_deep");
  });

  it("ignores brackets inside strings, escaped quotes included, and reports where the limit was crossed", () => {
    const depthError = (text: string, max: number) => {
      try {
        new JsonScanner(encoder.encode(text), max).rootObject();
        return undefined;
      } catch (err) {
        expect(err).toBeInstanceOf(JsonDepthError);
        return (err as JsonDepthError).offset;
      }
    };
    expect(depthError('{"a":"[[[[{{{{\\"[[[["}', 1)).toBeUndefined();
    expect(depthError('{"a":{"b":{"c":1}}}', 2)).toBe(10);
    expect(depthError('{"k":["\\\\",[[1]]]}', 3)).toBe(12);
    expect(depthError('{"k":["\\\\",[[1]]]}', 4)).toBeUndefined();
  });
});
