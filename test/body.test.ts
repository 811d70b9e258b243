import { describe, expect, it } from "vitest";
import { jsonDepthOver, readJson } from "../src/body";
import { relayErrorOfAsync } from "./relay-error";

const limits = { maxBodyBytes: 1024, maxJsonDepth: 8 };
const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new Request("https://relay.test/v1/turns", { method: "POST", body, headers });

async function gzip(text: string): Promise<Uint8Array> {
  return new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
}

const failure = (request: Request, l = limits) => relayErrorOfAsync(() => readJson(request, l, { bytesIn: 0 }));

describe("readJson", () => {
  it("parses JSON and counts the bytes", async () => {
    const info = { bytesIn: 0 };
    expect(await readJson(post('{"a":[1,2]}'), limits, info)).toEqual({ a: [1, 2] });
    expect(info.bytesIn).toBe(11);
  });

  it("accepts a gzip body and counts its compressed size", async () => {
    const text = JSON.stringify({ text: "x".repeat(900) });
    const info = { bytesIn: 0 };
    const body = await gzip(text);
    expect(await readJson(post(body, { "content-type": "application/json", "content-encoding": "gzip" }), limits, info)).toEqual(JSON.parse(text));
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

  it("refuses an oversized body from Content-Length and while streaming", async () => {
    expect((await failure(post("x", { "content-type": "application/json", "content-length": "5000" }))).status).toBe(413);
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode("[" + "1,".repeat(200)));
        c.close();
      },
    });
    const err = await failure(new Request("https://relay.test/", { method: "POST", body: chunks, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit));
    expect(err.status).toBe(413);
    expect(err.code).toBe("payload_too_large");
  });

  it("refuses other content types and encodings with 415", async () => {
    expect((await failure(post("a=1", { "content-type": "application/x-www-form-urlencoded" }))).status).toBe(415);
    expect((await failure(post("{}", { "content-type": "application/json", "content-encoding": "br" }))).status).toBe(415);
  });

  it("refuses deep nesting before parsing, and broken JSON", async () => {
    const deep = await failure(post("[".repeat(9) + "]".repeat(9)));
    expect(deep.status).toBe(400);
    expect(deep.code).toBe("too_deep");
    expect((await failure(post("{oops"))).code).toBe("invalid_json");
  });

  it("survives a hostile body that would overflow the stack", async () => {
    const big = { maxBodyBytes: 4 * 1024 * 1024, maxJsonDepth: 64 };
    const err = await failure(post("[".repeat(1_000_000)), big);
    expect(err.code).toBe("too_deep");
  });
});

describe("jsonDepthOver", () => {
  it("ignores brackets inside strings, escaped quotes included", () => {
    expect(jsonDepthOver('{"a":"[[[[{{{{\\"[[[["}', 2)).toBeUndefined();
    expect(jsonDepthOver('{"a":{"b":{"c":1}}}', 2)).toBe(10);
    expect(jsonDepthOver('["\\\\",[[1]]]', 2)).toBe(7);
  });
});
