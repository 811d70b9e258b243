/**
 * The form of a step that an attestation covers: its JSON *value*, written canonically, so a caller
 * that re-serializes its transcript (JSON.parse + JSON.stringify, Swift's or Kotlin's encoders:
 * other key order, spacing, escapes, number spellings) still presents the same steps.
 *
 * The canonical text is RFC 8785 (JCS) for I-JSON values: keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them. It is built by the
 * native JSON.stringify with every key of the value as its (sorted) property list, which writes each
 * object's keys in that order: the same text as a JCS library, 2-3x faster (README, "Transcript
 * integrity"); test/json/canonical.test.ts holds it to the `canonicalize` package.
 *
 * A value JCS cannot stand for exactly is attested by its bytes instead, so it verifies only when
 * sent back byte for byte: a repeated key (JSON.parse keeps the last, another parser may keep the
 * first: a caller could hide a value from the check that Gemini then reads), a number beyond a
 * double's range (1e400), or a `__proto__` key. The two forms carry different prefixes, so they never collide.
 */
import { decodeUtf8 } from "./scan";

/** The canonical text of a step: `j` + JCS of `value`, or `b` + the exact text of `bytes` (see above). */
export function canonicalStep(value: unknown, bytes: Uint8Array): string {
  const read = readValue(value);
  if (read === undefined || repeatsAKey(bytes, read.colons)) return `b${decodeUtf8(bytes)}`;
  return `j${JSON.stringify(value, read.keys.sort())}`;
}

/**
 * Every object key in `value`, and how many colons its JSON has (one per member, plus those inside
 * keys and strings); undefined when JCS cannot write it as sent (non-finite number, `__proto__`).
 */
function readValue(value: unknown): { keys: string[]; colons: number } | undefined {
  const keys = new Set<string>();
  let colons = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") {
      colons += countColons(item);
    } else if (typeof item === "number") {
      if (!Number.isFinite(item)) return undefined;
    } else if (Array.isArray(item)) {
      for (const element of item) pending.push(element);
    } else if (typeof item === "object" && item !== null) {
      for (const key of Object.keys(item)) {
        // A property list reads inherited properties too: `__proto__` would write Object.prototype.
        if (key === "__proto__") return undefined;
        keys.add(key);
        colons += 1 + countColons(key);
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return { keys: [...keys], colons };
}

/**
 * Whether the JSON text repeats a key somewhere, told by counting instead of walking it: each member
 * writes one colon, and every colon in a key or string is written as itself unless escaped
 * (`\u003a`). So with no such escape, the text holds exactly the parsed value's colons unless
 * members were dropped by JSON.parse, i.e. a key repeats. An escaped colon: the exact bytes are used.
 */
export function repeatsAKey(bytes: Uint8Array, parsedColons: number): boolean {
  if (hasEscapedColon(bytes)) return true;
  let colons = 0;
  for (let at = bytes.indexOf(COLON); at >= 0; at = bytes.indexOf(COLON, at + 1)) colons++;
  return colons !== parsedColons;
}

const COLON = 0x3a;

function countColons(text: string): number {
  let count = 0;
  for (let at = text.indexOf(":"); at >= 0; at = text.indexOf(":", at + 1)) count++;
  return count;
}

/** `\u003a` / `\u003A` anywhere in the text (an escaped colon, or a lookalike inside a string: either way, exact bytes). */
function hasEscapedColon(bytes: Uint8Array): boolean {
  for (let at = bytes.indexOf(0x5c); at >= 0; at = bytes.indexOf(0x5c, at + 1)) {
    if (
      bytes[at + 1] === 0x75 &&
      bytes[at + 2] === 0x30 &&
      bytes[at + 3] === 0x30 &&
      bytes[at + 4] === 0x33 &&
      (bytes[at + 5] === 0x61 || bytes[at + 5] === 0x41)
    )
      return true;
  }
  return false;
}
