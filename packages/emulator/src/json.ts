/** JSON helpers that never assign caller-supplied keys (so `__proto__` and friends stay plain data). */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A deep copy through JSON text: keys such as `__proto__` come back as own data properties. */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** JSON text of an object made of [key, value] pairs, in order; pairs whose value JSON would drop are skipped. */
export function objectJson(entries: ReadonlyArray<readonly [string, unknown]>): string {
  const parts: string[] = [];
  for (const [key, value] of entries) {
    const text = JSON.stringify(value);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(",")}}`;
}

/** JSON text of `value` without the listed keys (and with `replace` swapping values), keeping key order. */
export function objectJsonWithout(value: JsonRecord, omit: ReadonlySet<string>, replace: ReadonlyMap<string, unknown> = new Map()): string {
  const entries: Array<readonly [string, unknown]> = [];
  for (const key of Object.keys(value)) {
    if (omit.has(key)) continue;
    entries.push([key, replace.has(key) ? replace.get(key) : value[key]]);
  }
  return objectJson(entries);
}

/** Own property read that ignores the prototype chain (a step's `constructor` key is data, not Object). */
export function own(value: JsonRecord, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

export function ownString(value: JsonRecord, key: string): string | undefined {
  const found = own(value, key);
  return typeof found === "string" ? found : undefined;
}
