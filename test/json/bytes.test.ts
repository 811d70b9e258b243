// piecesBody joins a small body in JS and hands a large one to a Blob: the bytes must not depend on which.
import { describe, expect, it } from "vitest";
import { joinPieces, piecesBody } from "../../src/json/bytes";

const bytesOf = async (body: Blob | Uint8Array) => new Uint8Array(body instanceof Blob ? await body.arrayBuffer() : body);

describe("piecesBody", () => {
  it("gives joinPieces' bytes under and over its 64 KiB threshold, lone surrogates and non-ASCII text included", async () => {
    const lone = "\ud800";
    for (const filler of [100, 70_000]) {
      const pieces = ["{", new TextEncoder().encode('"a":"ü漢"'), `,"b":"${"x".repeat(filler)}${lone}"`, "}"];
      expect(await bytesOf(piecesBody(pieces))).toEqual(joinPieces(pieces));
    }
  });

  it("is one buffer under the threshold and a Blob over it", () => {
    expect(piecesBody(["{}"])).toBeInstanceOf(Uint8Array);
    expect(piecesBody(["[", "1".repeat(70_000), "]"])).toBeInstanceOf(Blob);
  });
});
