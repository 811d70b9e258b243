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
import type { UpstreamEvent } from "./upstream";

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

/** Text deltas held back (with their text as forwarded) while their text ends with the start of the key. */
interface Held {
  event: UpstreamEvent;
  text: string;
}

export interface SplitKeyGuard {
  /** The events to forward now for `event`: none while it is held, else any held before it, then it. */
  accept(event: UpstreamEvent): UpstreamEvent[];
  /** The events still held (the stream ended or failed): forwarded as they are. */
  flush(): UpstreamEvent[];
}

/**
 * The key cut across a step's text deltas. Each forwarded event is redacted on its own, so a key the
 * upstream's text splits over two or more `step.delta` events would reach the caller in pieces. A
 * text delta whose text (after the ones held before it, same step) ends with the start of the key
 * is held back until the next event shows whether the rest of the key follows; when it does, the
 * key's characters are taken out of those deltas' text and the first of them says [redacted], as
 * the step the relay joins from them says. Only the deltas that held part of the key are rewritten
 * (their `delta.text`, by `rewrite`); every other event passes as received, a held one only later.
 * Deltas of other types (thought summaries, function-call arguments) are not joined here.
 */
export function splitKeyGuard(secret: string, rewrite: (event: UpstreamEvent, text: string) => UpstreamEvent): SplitKeyGuard {
  let held: Held[] = [];
  let heldIndex: unknown;
  const flush = () => {
    const out = held.map((h) => h.event);
    held = [];
    return out;
  };
  return {
    flush,
    accept(event) {
      const text = deltaText(event);
      if (!secret || text === undefined) return [...flush(), event];
      const out = held.length > 0 && heldIndex !== event.value!.index ? flush() : [];
      heldIndex = event.value!.index;
      const pieces: Held[] = [...held, { event, text }];
      const joined = pieces.map((piece) => piece.text).join("");
      const found = occurrences(joined, secret);
      let at = 0;
      const result = pieces.map((piece) => {
        const from = at;
        at += piece.text.length;
        const redacted = withoutKey(joined, from, at, found, secret.length);
        return redacted === piece.text ? piece : { event: rewrite(piece.event, redacted), text: redacted };
      });
      // Held: the deltas the key's start, if the text ends with one, is in.
      let trailing = keyStartAtEnd(joined, secret, found.length > 0 ? found.at(-1)! + secret.length : 0);
      let keep = result.length;
      while (trailing > 0) trailing -= result[--keep]!.text.length;
      // A key has at most secret.length non-empty pieces: more held events (empty deltas after a start
      // of the key) are let go as they are, so holding never grows, nor re-joining cost, without bound.
      if (result.length - keep > secret.length) keep = result.length;
      held = result.slice(keep);
      return [...out, ...result.slice(0, keep).map((piece) => piece.event)];
    },
  };
}

/** A `step.delta`'s text, when it is a text delta. */
function deltaText(event: UpstreamEvent): string | undefined {
  const delta = event.type === "step.delta" ? event.value?.delta : undefined;
  if (typeof delta !== "object" || delta === null || Array.isArray(delta)) return undefined;
  const { type, text } = delta as { type?: unknown; text?: unknown };
  return type === "text" && typeof text === "string" ? text : undefined;
}

/** Where `secret` starts in `text`, left to right, not overlapping. */
function occurrences(text: string, secret: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + secret.length)) found.push(at);
  return found;
}

/** `text`'s characters from `from` to `to`, those of the key (at `found`) left out, REDACTED where one starts. */
function withoutKey(text: string, from: number, to: number, found: readonly number[], length: number): string {
  let out = "";
  let pos = from;
  for (const start of found) {
    const end = start + length;
    if (end <= from || start >= to) continue;
    out += text.slice(pos, Math.max(pos, start));
    if (start >= from) out += REDACTED;
    pos = Math.min(to, end);
  }
  return out + text.slice(pos, to);
}

/** How long a start of the key (shorter than the key) `text` ends with, not reaching back before `after`. */
function keyStartAtEnd(text: string, secret: string, after: number): number {
  // Only where the key's first character stands in the last secret.length - 1 characters, earliest
  // (longest) first: a text delta without it, the usual case, costs one search.
  const from = Math.max(after, text.length - secret.length + 1);
  for (let at = text.indexOf(secret[0]!, from); at >= 0; at = text.indexOf(secret[0]!, at + 1)) {
    if (secret.startsWith(text.slice(at))) return text.length - at;
  }
  return 0;
}
