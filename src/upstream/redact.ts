/**
 * Keeps the relay's API key out of every upstream byte that reaches a caller: error messages and
 * bodies, forwarded SSE events, reply bodies. Gemini does not echo the key in a reply, but an error
 * message may quote it, and so may a compromised proxy at GEMINI_BASE_URL.
 *
 * The key is found as sent, JSON-escaped (inside a JSON string) and percent-encoded (inside a URL),
 * wherever those spellings differ. Text without the key comes back as the same string, bytes as the
 * same array: a reply that does not quote the key stays byte for byte.
 */
import { joinPieces } from "../json/bytes";

export const REDACTED = "[redacted]";

export interface Redactor {
  text(text: string): string;
  bytes(bytes: Uint8Array): Uint8Array;
}

export function keyRedactor(secret: string): Redactor {
  const spellings = secret ? [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])] : [];
  const needles = spellings.map(needle);
  const replacement = new TextEncoder().encode(REDACTED);
  return {
    text: (text) => spellings.reduce((out, spelling) => (out.includes(spelling) ? out.split(spelling).join(REDACTED) : out), text),
    bytes: (bytes) => needles.reduce((out, found) => replaceBytes(out, found, replacement), bytes),
  };
}

/** A spelling's bytes and, per byte value, how far the search window may jump when that byte ends it (Horspool). */
interface Needle {
  bytes: Uint8Array;
  shift: Uint32Array;
}

function needle(spelling: string): Needle {
  const bytes = new TextEncoder().encode(spelling);
  const shift = new Uint32Array(256).fill(bytes.length);
  for (let i = 0; i < bytes.length - 1; i++) shift[bytes[i]!] = bytes.length - 1 - i;
  return { bytes, shift };
}

/** `bytes` with every occurrence of the needle replaced; the same array when there is none (no copy, no decoding). */
function replaceBytes(bytes: Uint8Array, needle: Needle, replacement: Uint8Array): Uint8Array {
  let at = indexOfBytes(bytes, needle, 0);
  if (at < 0) return bytes;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (; at >= 0; at = indexOfBytes(bytes, needle, from)) {
    parts.push(bytes.subarray(from, at), replacement);
    from = at + needle.bytes.length;
  }
  parts.push(bytes.subarray(from));
  return joinPieces(parts);
}

/** The needle's first occurrence at or after `from`; the window jumps by up to the needle's length, so a body without the key costs a fraction of a pass. */
function indexOfBytes(bytes: Uint8Array, { bytes: needle, shift }: Needle, from: number): number {
  const last = needle.length - 1;
  for (let at = from; at + last < bytes.length; at += shift[bytes[at + last]!]!) {
    let i = last;
    while (i >= 0 && bytes[at + i] === needle[i]) i--;
    if (i < 0) return at;
  }
  return -1;
}
