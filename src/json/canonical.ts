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
import { decodeUtf8, JsonScanner } from "./scan";

/** Deep enough for anything JSON.parse accepted; the walks below use explicit stacks, never recursion. */
const MAX_DEPTH = 100_000;

/** The canonical text of a step: `j` + JCS of `value`, or `b` + the exact text of `bytes` (see above). */
export function canonicalStep(value: unknown, bytes: Uint8Array): string {
  const keys = keysIfIJson(value);
  if (keys === undefined || hasRepeatedKey(bytes)) return `b${decodeUtf8(bytes)}`;
  return `j${JSON.stringify(value, keys.sort())}`;
}

/** Every object key in `value`, or undefined when JCS cannot write it as sent (non-finite number, `__proto__`). */
function keysIfIJson(value: unknown): string[] | undefined {
  const keys = new Set<string>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "number") {
      if (!Number.isFinite(item)) return undefined;
    } else if (Array.isArray(item)) {
      for (const element of item) pending.push(element);
    } else if (typeof item === "object" && item !== null) {
      for (const key of Object.keys(item)) {
        // A property list reads inherited properties too: `__proto__` would write Object.prototype.
        if (key === "__proto__") return undefined;
        keys.add(key);
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return [...keys];
}

/** Whether any object in the JSON text repeats a key (at any depth). Strings are skipped, not decoded. */
export function hasRepeatedKey(bytes: Uint8Array): boolean {
  const scanner = new JsonScanner(bytes, MAX_DEPTH);
  const root = scanner.skipSpace(0);
  const pending: number[] = [root];
  while (pending.length > 0) {
    const start = pending.pop()!;
    const first = bytes[start];
    if (first === 0x7b) {
      const seen = new Set<string>();
      for (const member of scanner.object(start, 0).members) {
        if (seen.has(member.key)) return true;
        seen.add(member.key);
        if (isContainer(bytes[member.value.start])) pending.push(member.value.start);
      }
    } else if (first === 0x5b) {
      for (const item of scanner.array(start, 0).items) if (isContainer(bytes[item.start])) pending.push(item.start);
    }
  }
  return false;
}

const isContainer = (byte: number | undefined) => byte === 0x7b || byte === 0x5b;
