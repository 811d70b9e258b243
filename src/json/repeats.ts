/**
 * Repeated keys: JSON leaves their meaning to the reader (JSON.parse keeps the last, another parser
 * may keep the first), so a value that repeats a key has no one reading. The relay finds them
 * without walking the text twice in the common case: counting tells whether any key repeats (the
 * members the body's one scan passed, or else the colons of the text), and only then is the text
 * walked to say where.
 */
import { JsonScanner } from "./scan";

/** What a walk of a parsed value finds: its object keys, and the colons its JSON text holds. */
export interface ValueReading {
  keys: Set<string>;
  /** One per member, plus those inside keys and strings. */
  colons: number;
  /** False when JCS cannot write the value as sent: a non-finite number (1e400) or a `__proto__` key. */
  exact: boolean;
}

/** Every object key in `value` and its colons (see ValueReading), in one walk. */
export function readValue(value: unknown): ValueReading {
  const reading: ValueReading = { keys: new Set(), colons: 0, exact: true };
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") {
      reading.colons += countColons(item);
    } else if (typeof item === "number") {
      if (!Number.isFinite(item)) reading.exact = false;
    } else if (Array.isArray(item)) {
      for (const element of item) pending.push(element);
    } else if (typeof item === "object" && item !== null) {
      for (const key of Object.keys(item)) {
        // A property list reads inherited properties too: `__proto__` would write Object.prototype.
        if (key === "__proto__") reading.exact = false;
        reading.keys.add(key);
        reading.colons += 1 + countColons(key);
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return reading;
}

/**
 * Whether the JSON text repeats a key somewhere, told by counting instead of walking it: each member
 * writes one colon, and every colon in a key or string is written as itself unless escaped
 * (`\u003a`). So with no such escape, the text holds exactly the parsed value's colons unless
 * members were dropped by JSON.parse, i.e. a key repeats. An escaped colon answers true (maybe).
 */
export function repeatsAKey(bytes: Uint8Array, parsedColons: number): boolean {
  if (hasEscapedColon(bytes)) return true;
  let colons = 0;
  for (let at = bytes.indexOf(COLON); at >= 0; at = bytes.indexOf(COLON, at + 1)) colons++;
  return colons !== parsedColons;
}

/**
 * repeatsAKey told from the decoded text, where the caller has it: the same count (UTF-8 writes a
 * colon only as itself), by substring searches several times faster than the loops over bytes.
 */
function textRepeatsAKey(text: string, parsedColons: number): boolean {
  if (text.includes("\\u003a") || text.includes("\\u003A")) return true;
  return countColons(text) !== parsedColons;
}

/**
 * Where a key first repeats in `bytes`, the JSON text of `value` (already parsed, so valid and
 * within the depth limit): a path inside the value, or undefined when no key repeats. `text`, the
 * same JSON decoded, makes the common case (no repeat) cheaper when the caller already has it.
 */
export function repeatedKeyPath(bytes: Uint8Array, value: unknown, text?: string): (string | number)[] | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const colons = readValue(value).colons;
  if (!(text === undefined ? repeatsAKey(bytes, colons) : textRepeatsAKey(text, colons))) return undefined;
  const scanner = new JsonScanner(bytes, Infinity);
  return scanner.repeatedKey(scanner.skipSpace(0));
}

/**
 * repeatedKeyPath for a value whose text the relay's one scan has already passed, counting its
 * members (JsonScanner.members): JSON.parse keeps one property per distinct key of each object, so
 * the parsed value has as many as the text has members unless a key repeats. Exact, escapes
 * included (`"\u0074ype"` is `type` to both), and no pass over the text in the common case.
 */
export function repeatedKeyCounted(bytes: Uint8Array, value: unknown, members: number): (string | number)[] | undefined {
  if (propertyCount(value) === members) return undefined;
  const scanner = new JsonScanner(bytes, Infinity);
  return scanner.repeatedKey(scanner.skipSpace(0));
}

/** The own properties of every object in a parsed value, at any depth; strings are not read. */
function propertyCount(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== "object" || item === null) continue;
    if (Array.isArray(item)) {
      for (const element of item) if (typeof element === "object" && element !== null) pending.push(element);
      continue;
    }
    // Own keys only: `for…in` would also count anything enumerable added to Object.prototype.
    const keys = Object.keys(item);
    count += keys.length;
    for (const key of keys) {
      const child = (item as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) pending.push(child);
    }
  }
  return count;
}

const COLON = 0x3a;

function countColons(text: string): number {
  let count = 0;
  for (let at = text.indexOf(":"); at >= 0; at = text.indexOf(":", at + 1)) count++;
  return count;
}

/** `\u003a` / `\u003A` anywhere in the text (an escaped colon, or a lookalike inside a string). */
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
