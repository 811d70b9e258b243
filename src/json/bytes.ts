/**
 * Building JSON out of byte ranges the relay received and the little it writes itself. Nothing
 * received is decoded and re-encoded on the way out: pieces are copied once, into the body sent.
 */
import type { Span } from "./scan";

const encoder = new TextEncoder();

/** A body the relay sends: a Blob of its pieces, or (small) their bytes joined. */
export type JsonBody = Blob | Uint8Array;

/** A piece of JSON text: bytes as received, or text the relay writes (encoded once, when built). */
export type Piece = Uint8Array | string;

/** The bytes of `span` in `bytes`, as a view (no copy). */
export function slice(bytes: Uint8Array, span: Span): Uint8Array {
  return bytes.subarray(span.start, span.end);
}

/**
 * A body made of pieces, for a request or a response: the runtime concatenates them natively (a
 * 10 MB history is copied once, outside JS, instead of element by element in a JS loop).
 */
export function piecesBody(pieces: readonly Piece[]): JsonBody {
  let size = 0;
  for (const piece of pieces) size += piece.length;
  // A small body is cheaper joined in JS than as a Blob (an 8 KB turn: ~0.02 ms of workerd CPU each way).
  if (size < SMALL_BODY) return joinPieces(pieces);
  // Text encoded here, as joinPieces does, so both give the same bytes for any string (workerd's Blob
  // writes a lone surrogate as WTF-8, TextEncoder as U+FFFD).
  return new Blob(pieces.map((piece) => (typeof piece === "string" ? encoder.encode(piece) : piece)));
}

/** Under this many bytes (or UTF-16 units, for text pieces) a body is joined in JS. */
const SMALL_BODY = 64 * 1024;

/** Concatenates pieces into one buffer (for bytes the relay reads again, such as a rebuilt step). */
export function joinPieces(pieces: readonly Piece[]): Uint8Array {
  const encoded = pieces.map((piece) => (typeof piece === "string" ? encoder.encode(piece) : piece));
  let size = 0;
  for (const piece of encoded) size += piece.byteLength;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const piece of encoded) {
    out.set(piece, offset);
    offset += piece.byteLength;
  }
  return out;
}

/** `[a,b,c]` from already-serialized items, each placed as given; `inner` (an array's own inside, whitespace and all) goes first. */
export function arrayPieces(items: readonly Piece[], inner?: { bytes: Uint8Array; empty: boolean }): Piece[] {
  const pieces: Piece[] = ["["];
  let first = true;
  if (inner) {
    pieces.push(inner.bytes);
    first = inner.empty;
  }
  for (const item of items) {
    if (!first) pieces.push(",");
    pieces.push(item);
    first = false;
  }
  pieces.push("]");
  return pieces;
}

/** `{"k":v,...}` from pieces per member; each value is placed as given. */
export function objectPieces(members: ReadonlyArray<readonly [key: string, value: readonly Piece[]] | Piece>): Piece[] {
  const pieces: Piece[] = ["{"];
  members.forEach((member, i) => {
    if (i > 0) pieces.push(",");
    if (typeof member === "string" || member instanceof Uint8Array) pieces.push(member);
    else pieces.push(`${JSON.stringify(member[0])}:`, ...member[1]);
  });
  pieces.push("}");
  return pieces;
}

/** A JSON value kept as the bytes it arrived as, inside a value the relay builds (see toPieces). */
export class RawJson {
  constructor(readonly bytes: Uint8Array) {}
}

/**
 * JSON text of a value the relay assembled, as pieces: RawJson leaves are placed as received, the
 * rest is serialized like JSON.stringify (own enumerable keys in order; undefined members dropped).
 */
export function toPieces(value: unknown, out: Piece[] = []): Piece[] {
  if (value instanceof RawJson) {
    out.push(value.bytes);
  } else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, i) => {
      if (i > 0) out.push(",");
      toPieces(item === undefined ? null : item, out);
    });
    out.push("]");
  } else if (typeof value === "object" && value !== null) {
    out.push("{");
    let first = true;
    for (const key of Object.keys(value)) {
      const member = (value as Record<string, unknown>)[key];
      if (member === undefined) continue;
      out.push(`${first ? "" : ","}${JSON.stringify(key)}:`);
      toPieces(member, out);
      first = false;
    }
    out.push("}");
  } else {
    out.push(JSON.stringify(value) ?? "null");
  }
  return out;
}

/** Lowercase hex of bytes (a digest, for a header or a JSON field). */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
