/**
 * Hostile request bodies for the fuzz phase, generated with fast-check from a printed seed, so a
 * run can be repeated exactly. Each case says what it is (`kind`, `claim`) so a unit test can check
 * that the generators produce what they claim. Bodies are built from valid turns (`bases`) and
 * then broken: byte mutations, truncations, wrong types, invalid UTF-8, duplicate keys, deep
 * nesting, wrong headers, and (each once) hostile values, gzip/deflate bombs, and bodies that arrive short,
 * half-closed or not at all (see raw-http.ts for how those are sent).
 */
import { constants, createDeflate, createGzip } from "node:zlib";
import fc from "fast-check";

/** How the body goes on the wire. */
export type Transport =
  /** Content-Length = body length, all of it sent. */
  | "whole"
  /** Content-Length larger than what is sent, then the client half-closes (FIN). */
  | "short"
  /** Chunked, and the client half-closes before the terminating chunk. */
  | "half-closed"
  /** Content-Length larger than what is sent, then nothing more, the connection left open. */
  | "stalled";

export interface FuzzCase {
  kind: string;
  headers: Record<string, string>;
  body: Uint8Array;
  transport: Transport;
  /** For short and stalled: the Content-Length declared (more than body.length). */
  declaredLength?: number;
  /** What the generator promises about the body, for its unit test. */
  claim: Claim;
}

export type Claim =
  | { is: "mutated"; from: string }
  | { is: "truncated"; from: string }
  | { is: "wrong-type"; path: string; /** The JSON type at the path in the valid base (jsonKind). */ was: string }
  | { is: "invalid-utf8" }
  | { is: "duplicate-keys"; key: string }
  | { is: "nested"; depth: number }
  | { is: "hostile-value"; what: string }
  | { is: "header"; what: string }
  | { is: "bomb"; encoding: "gzip" | "deflate"; decompressedBytes: number }
  | { is: "incomplete"; sent: number };

const JSON_HEADERS = { "content-type": "application/json" };
const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

export interface FuzzCounts {
  mutation: number;
  truncation: number;
  wrongType: number;
  invalidUtf8: number;
  duplicateKeys: number;
  deepNesting: number;
  header: number;
  short: number;
  halfClosed: number;
  stalled: number;
}

/**
 * The generated corpus, in blocks by kind, then `tail`: the soak passes the bombs (bombCases: they
 * take seconds to compress) and the hostile values (hostileValues: tens of MB), in that order, so a
 * relay those stall (a 24 MB model name) does not blur what the cases before them show.
 */
export function fuzzCases(seed: number, counts: FuzzCounts, bases: readonly object[], tail: readonly FuzzCase[] = []): FuzzCase[] {
  const texts = bases.map((base) => JSON.stringify(base));
  const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number, salt: number): T[] =>
    numRuns > 0 ? fc.sample(arbitrary, { seed: seed + salt, numRuns }) : [];
  const baseText = fc.constantFrom(...texts);
  const baseValue = fc.constantFrom(...bases);
  return [
    ...sample(mutation(baseText), counts.mutation, 1),
    ...sample(truncation(baseText), counts.truncation, 2),
    ...sample(wrongType(baseValue), counts.wrongType, 3),
    ...sample(invalidUtf8(baseText), counts.invalidUtf8, 4),
    ...sample(duplicateKeys(baseValue), counts.duplicateKeys, 5),
    ...sample(deepNesting(), counts.deepNesting, 6),
    ...sample(wrongHeaders(baseText), counts.header, 8),
    ...sample(incomplete(baseText, "short"), counts.short, 9),
    ...sample(incomplete(baseText, "half-closed"), counts.halfClosed, 10),
    ...sample(incomplete(baseText, "stalled"), counts.stalled, 11),
    ...tail,
  ];
}

const whole = (kind: string, body: Uint8Array, claim: Claim, headers: Record<string, string> = JSON_HEADERS): FuzzCase => ({
  kind,
  headers,
  body,
  transport: "whole",
  claim,
});

/** Random byte edits: flip, insert or delete, 1 to 8 of them. */
function mutation(base: fc.Arbitrary<string>): fc.Arbitrary<FuzzCase> {
  const edit = fc.record({
    at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    op: fc.constantFrom("flip", "insert", "delete"),
    byte: fc.integer({ min: 0, max: 255 }),
  });
  return (
    fc
      .tuple(base, fc.array(edit, { minLength: 1, maxLength: 8 }))
      .map(([text, edits]) => {
        const body = [...bytes(text)];
        for (const { at, op, byte } of edits) {
          const index = Math.floor(at * body.length);
          if (op === "flip") body[index] = body[index]! ^ (byte || 1);
          else if (op === "insert") body.splice(index, 0, byte);
          else body.splice(index, 1);
        }
        return whole("mutation", Uint8Array.from(body), { is: "mutated", from: text });
      })
      // Edits can undo each other (an insert, then its delete).
      .filter((c) => Buffer.from(c.body).toString("latin1") !== Buffer.from(bytes((c.claim as { from: string }).from)).toString("latin1"))
  );
}

function truncation(base: fc.Arbitrary<string>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(base, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }))
    .map(([text, at]) => whole("truncation", bytes(text.slice(0, Math.floor(at * text.length))), { is: "truncated", from: text }));
}

/** Paths into a turn body where a value of the wrong type is put. */
const TYPED_PATHS = [
  "model",
  "input",
  "history",
  "stream",
  "tools",
  "generation_config",
  "system_instruction",
  "history.0",
  "history.0.type",
  "history.0.content",
  "input.0",
  "tools.0",
  "tools.0.parameters",
  "$",
];

function wrongType(base: fc.Arbitrary<object>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(base, fc.constantFrom(...TYPED_PATHS), fc.jsonValue({ maxDepth: 3 }))
    .filter(([value, path, replacement]) => settable(value, path) && jsonKind(replacement) !== jsonKind(valueAt(value, path)))
    .map(([value, path, replacement]) => {
      const body = path === "$" ? replacement : setPath(structuredClone(value) as Record<string, unknown>, path.split("."), replacement);
      return whole("wrong type", bytes(JSON.stringify(body)), { is: "wrong-type", path, was: jsonKind(valueAt(value, path)) });
    });
}

/** null, array, object, string, number, boolean; "absent" for undefined. */
export function jsonKind(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : value === undefined ? "absent" : typeof value;
}

/** The value at a dotted path ("$" is the whole value), undefined where the path leads nowhere. */
export function valueAt(value: unknown, path: string): unknown {
  if (path === "$") return value;
  let node = value;
  for (const key of path.split(".")) node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** Whether every step before the last of `path` is an object or absent (so setPath can put a value there). */
function settable(value: unknown, path: string): boolean {
  const keys = path.split(".");
  return (
    path === "$" ||
    keys.slice(0, -1).every((_, i) => ["object", "array", "absent"].includes(jsonKind(valueAt(value, keys.slice(0, i + 1).join(".")))))
  );
}

/** Sets the value at `path` (see settable), creating objects where steps are absent. */
function setPath(target: Record<string, unknown>, path: string[], value: unknown): unknown {
  let node = target;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[path.at(-1)!] = value;
  return target;
}

/** Byte sequences that are not UTF-8: a lone continuation, a truncated sequence, overlong, a UTF-16 surrogate, 0xFF. */
const INVALID_UTF8 = [[0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xfe], [0xf4, 0x90, 0x80, 0x80]];

function invalidUtf8(base: fc.Arbitrary<string>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(base, fc.constantFrom(...INVALID_UTF8), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }))
    .map(([text, sequence, at]) => {
      // Inside a string value, so the JSON around it is otherwise fine.
      const quotes = [...text.matchAll(/":"/g)].map((m) => m.index! + 3);
      const offset = bytes(text.slice(0, quotes[Math.floor(at * quotes.length)] ?? 0)).length;
      const body = bytes(text);
      return whole("invalid UTF-8", Uint8Array.from([...body.slice(0, offset), ...sequence, ...body.slice(offset)]), {
        is: "invalid-utf8",
      });
    });
}

/** The same key twice in the top-level object, the second value of another type or a second model. */
function duplicateKeys(base: fc.Arbitrary<object>): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(base, fc.constantFrom("model", "input", "history", "stream", "tools", "store"), fc.jsonValue({ maxDepth: 2 }))
    .map(([value, key, second]) => {
      const text = JSON.stringify(value);
      const body = `{${JSON.stringify(key)}:${JSON.stringify(second) ?? "null"},${text.slice(1, -1)},${JSON.stringify(key)}:${JSON.stringify(second) ?? "null"}}`;
      return whole("duplicate keys", bytes(body), { is: "duplicate-keys", key });
    });
}

/** Arrays or objects nested `depth` deep, at the top or inside a field. */
function deepNesting(): fc.Arbitrary<FuzzCase> {
  const depth = fc.oneof(
    fc.integer({ min: 2, max: 200 }),
    fc.integer({ min: 200, max: 20_000 }),
    fc.integer({ min: 20_000, max: 300_000 }),
  );
  return fc
    .tuple(depth, fc.constantFrom("array", "object"), fc.constantFrom("$", "input", "history", "tools.0.parameters"))
    .map(([levels, shape, where]) => {
      const open = shape === "array" ? "[" : '{"a":';
      const close = shape === "array" ? "]" : "}";
      const nested = open.repeat(levels) + "1" + close.repeat(levels);
      const body =
        where === "$"
          ? nested
          : where === "tools.0.parameters"
            ? `{"model":"gemini-3.5-flash","input":"hi","tools":[{"type":"function","name":"f","parameters":${nested}}]}`
            : `{"model":"gemini-3.5-flash",${JSON.stringify(where)}:${nested}${where === "input" ? "" : ',"input":"hi"'}}`;
      const depthAtTop = where === "$" ? levels : where === "tools.0.parameters" ? levels + 3 : levels + 1;
      return whole("deep nesting", bytes(body), { is: "nested", depth: depthAtTop });
    });
}

/** Legal JSON with values that break naive code. */
const HOSTILE_VALUES: readonly [string, () => string][] = [
  ["huge number", () => '{"model":"gemini-3.5-flash","input":"hi","generation_config":{"temperature":1e400,"max_output_tokens":-0}}'],
  ["__proto__ key", () => '{"model":"gemini-3.5-flash","input":"hi","__proto__":{"store":true}}'],
  ["constructor key", () => '{"model":"gemini-3.5-flash","input":"hi","constructor":{"prototype":{"store":true}}}'],
  ["lone surrogate", () => '{"model":"gemini-3.5-flash","input":"\\ud800 and \\udfff"}'],
  ["NUL in model", () => '{"model":"gemini\\u0000flash","input":"hi"}'],
  ["control chars", () => `{"model":"gemini-3.5-flash","input":"${"\\u0001\\u001f".repeat(1000)}"}`],
  ["1 MB model name", () => `{"model":"${"m".repeat(1 << 20)}","input":"hi"}`],
  ["24 MB model name", () => `{"model":"${"m".repeat(24 << 20)}","input":"hi"}`],
  ["30 MB body", () => `{"model":"gemini-3.5-flash","input":"${"x".repeat(30 << 20)}"}`],
  ["100k keys", () => `{"model":"gemini-3.5-flash","input":"hi",${Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(",")}}`],
  [
    "100k history steps",
    () =>
      `{"model":"gemini-3.5-flash","input":"hi","history":[${'{"type":"user_input","content":[{"type":"text","text":"a"}]},'.repeat(99_999)}{"type":"user_input","content":[{"type":"text","text":"a"}]}]}`,
  ],
  ["store true", () => '{"model":"gemini-3.5-flash","input":"hi","store":true}'],
  ["empty object", () => "{}"],
  ["empty body", () => ""],
  ["whitespace only", () => " \n\t "],
  ["BOM then JSON", () => '\ufeff{"model":"gemini-3.5-flash","input":"hi"}'],
  ["NaN literal", () => '{"model":"gemini-3.5-flash","input":NaN}'],
  ["trailing garbage", () => '{"model":"gemini-3.5-flash","input":"hi"} trailing'],
  ["two documents", () => '{"model":"gemini-3.5-flash","input":"hi"}{"model":"x"}'],
  ["model path traversal", () => '{"model":"../../v1beta/files?key=","input":"hi"}'],
];

/** Each hostile value once (some are tens of MB: repeating them would measure the same thing again). */
export function hostileValues(): FuzzCase[] {
  return HOSTILE_VALUES.map(([what, make]) => whole("hostile value", bytes(make()), { is: "hostile-value", what }));
}

/** Right body, wrong headers: content types, encodings that lie, broken compressed data. */
function wrongHeaders(base: fc.Arbitrary<string>): fc.Arbitrary<FuzzCase> {
  const variants: readonly [string, Record<string, string>, (text: string) => Uint8Array][] = [
    ["text/plain", { "content-type": "text/plain" }, bytes],
    ["form", { "content-type": "application/x-www-form-urlencoded" }, bytes],
    ["no content-type", {}, bytes],
    ["multipart", { "content-type": "multipart/form-data; boundary=x" }, bytes],
    ["br encoding", { ...JSON_HEADERS, "content-encoding": "br" }, bytes],
    ["gzip header, plain body", { ...JSON_HEADERS, "content-encoding": "gzip" }, bytes],
    ["deflate header, plain body", { ...JSON_HEADERS, "content-encoding": "deflate" }, bytes],
    ["gzip, truncated", { ...JSON_HEADERS, "content-encoding": "gzip" }, (text) => gzipHead(text)],
    ["double encoding", { ...JSON_HEADERS, "content-encoding": "gzip, gzip" }, bytes],
    ["charset latin1", { "content-type": "application/json; charset=iso-8859-1" }, bytes],
  ];
  return fc
    .tuple(base, fc.constantFrom(...variants))
    .map(([text, [what, headers, encode]]) => whole("wrong headers", encode(text), { is: "header", what }, headers));
}

/** A gzip stream cut after its first bytes (a valid header, then nothing). */
function gzipHead(text: string): Uint8Array {
  return Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, ...bytes(text).slice(0, 7)]);
}

/** A body that does not arrive whole: `sent` of its bytes go out, then FIN (short, half-closed) or silence (stalled). */
function incomplete(base: fc.Arbitrary<string>, transport: Exclude<Transport, "whole">): fc.Arbitrary<FuzzCase> {
  return fc
    .tuple(base, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 1 << 20 }))
    .map(([text, at, missing]) => {
      const full = bytes(text);
      const body = full.slice(0, Math.floor(at * full.length));
      return {
        kind: `${transport} body`,
        headers: JSON_HEADERS,
        body,
        transport,
        ...(transport === "half-closed" ? {} : { declaredLength: full.length + missing }),
        claim: { is: "incomplete", sent: body.length },
      };
    });
}

/**
 * A compression bomb: `prefix` + `fill` repeated to `decompressedBytes` in all + `suffix`, compressed
 * at level 9 from a stream (the decompressed bytes are never in memory at once).
 */
export async function bomb(encoding: "gzip" | "deflate", decompressedBytes: number, prefix = "", suffix = ""): Promise<FuzzCase> {
  const compressor =
    encoding === "gzip" ? createGzip({ level: constants.Z_BEST_COMPRESSION }) : createDeflate({ level: constants.Z_BEST_COMPRESSION });
  const out: Buffer[] = [];
  compressor.on("data", (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => compressor.on("end", resolve).on("error", reject));
  const head = Buffer.from(prefix);
  const tail = Buffer.from(suffix);
  const chunk = Buffer.alloc(1 << 20, "a");
  let left = decompressedBytes - head.length - tail.length;
  const write = (buffer: Buffer) =>
    compressor.write(buffer) ? Promise.resolve() : new Promise((resolve) => compressor.once("drain", resolve));
  await write(head);
  while (left > 0) {
    await write(left >= chunk.length ? chunk : chunk.subarray(0, left));
    left -= chunk.length;
  }
  compressor.end(tail);
  await done;
  return {
    kind: `${encoding} bomb`,
    headers: { ...JSON_HEADERS, "content-encoding": encoding },
    body: Buffer.concat(out),
    transport: "whole",
    claim: { is: "bomb", encoding, decompressedBytes },
  };
}

/** The bombs of a run: zeros-like fill alone, and inside a JSON string that would be a valid turn. */
export async function bombCases(maxBytes: number): Promise<FuzzCase[]> {
  const sizes = [1 << 20, 64 << 20, 256 << 20, 1 << 30].filter((size) => size <= maxBytes);
  const cases: FuzzCase[] = [];
  for (const size of sizes) {
    cases.push(await bomb("gzip", size, '{"model":"gemini-3.5-flash","input":"', '"}'));
    cases.push(await bomb(size === maxBytes ? "deflate" : "gzip", size));
  }
  return cases;
}
