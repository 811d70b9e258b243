/**
 * The form of a step that an attestation covers: its JSON *value*, written canonically, so a caller
 * that re-serializes its transcript (JSON.parse + JSON.stringify, Swift's or Kotlin's encoders:
 * other key order, spacing, escapes, number spellings) still presents the same steps.
 *
 * The canonical text is RFC 8785 (JCS) for I-JSON values: keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as ECMAScript's JSON.stringify writes them. It is built by the
 * native JSON.stringify with every key of the value as its (sorted) property list, which writes each
 * object's keys in that order: the same text as a JCS library, 2-3x faster (docs/transcript-integrity.md,
 * "Attestation"); test/json/canonical.test.ts holds it to the `canonicalize` package.
 *
 * A value JCS cannot stand for exactly is attested by its bytes instead, so it verifies only when
 * sent back byte for byte: a repeated key (JSON.parse keeps the last, another parser may keep the
 * first: a caller could hide a value from the check that Gemini then reads), a number beyond a
 * double's range (1e400), or a `__proto__` key. The two forms carry different prefixes, so they never collide.
 */
import { readValue, repeatsAKey } from "./repeats";
import { decodeUtf8 } from "./scan";

/** The canonical text of a step: `j` + JCS of `value`, or `b` + the exact text of `bytes` (see above). */
export function canonicalStep(value: unknown, bytes: Uint8Array): string {
  const read = readValue(value);
  if (!read.exact || repeatsAKey(bytes, read.colons)) return `b${decodeUtf8(bytes)}`;
  return `j${JSON.stringify(value, [...read.keys].sort())}`;
}
