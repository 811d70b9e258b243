/**
 * Where JSON values sit in a UTF-8 buffer, found without building them. The relay parses to check
 * and splices byte ranges to forward, so what it received is what it sends on (see bytes.ts).
 *
 * The scanner reads only the structure it is asked for (an object's members, an array's elements)
 * and skips everything inside a value by its brackets and quotes; JSON.parse of each piece the
 * relay reads then checks the rest. Structural bytes are ASCII and never occur inside a UTF-8
 * multi-byte sequence, so scanning bytes is exact.
 */

/** Bytes [start, end) of one JSON value (or member) in a buffer. */
export interface Span {
  start: number;
  end: number;
}

/** One member of an object: its decoded key, the bytes from the key's quote to the value's end, and the value. */
export interface Member {
  key: string;
  /** `"key": value` as written, from the key's opening quote to the value's last byte. */
  whole: Span;
  value: Span;
  /** The value's elements, when the scan was asked to split this member and its value is an array. */
  elements?: Elements;
}

/** An array's elements, the bytes between its brackets, and its end. */
export interface Elements {
  items: Span[];
  inner: Span;
  end: number;
}

/**
 * Reads element `index` of an array the scan splits, which opens at `start` (the array is at
 * `depth`), and returns where it ends: a caller's reading of each element, in the scan's one pass.
 */
export type ReadElement = (start: number, depth: number, index: number) => number;

/** Malformed JSON at a byte offset (mapped to a 400 by the caller, which knows where the buffer came from). */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Nesting deeper than allowed, found while skipping a value (before anything recursive parses it). */
export class JsonDepthError extends Error {
  constructor(readonly offset: number) {
    super(`nesting deeper than allowed at byte ${offset}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, refusing invalid sequences (a lossy decode would forward bytes the caller never sent). */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new JsonSyntaxError("invalid UTF-8", 0);
  }
}

export class JsonScanner {
  /**
   * Object members the scan has passed so far, at any depth (each writes exactly one colon outside
   * a string). The difference across a value's scan is its text's member count, which a repeated
   * key makes larger than its parsed value's (see repeats.ts): the count costs the one pass nothing.
   */
  members = 0;

  /**
   * @param bytes the buffer
   * @param maxDepth the deepest nesting any value may reach, counting the root object as 1
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly maxDepth: number,
  ) {}

  /**
   * The object that opens at `start` (no whitespace before it): its members in order, duplicates
   * included (the caller decides what a repeated key means), and where it ends. Members named by
   * `split` whose value is an array also get their elements, in the same pass (each read by the
   * ReadElement `split` gives, if it gives one).
   */
  object(start: number, depth: number, split?: (key: string) => boolean | ReadElement): { members: Member[]; end: number } {
    const { bytes } = this;
    if (bytes[start] !== OPEN_BRACE) throw new JsonSyntaxError("expected an object", start);
    if (depth > this.maxDepth) throw new JsonDepthError(start);
    const members: Member[] = [];
    let pos = this.skipSpace(start + 1);
    if (bytes[pos] === CLOSE_BRACE) return { members, end: pos + 1 };
    for (;;) {
      if (bytes[pos] !== QUOTE) throw new JsonSyntaxError("expected a quoted key", pos);
      const keyStart = pos;
      const keyEnd = this.stringEnd(pos);
      const key = this.keyText(keyStart, keyEnd);
      pos = this.skipSpace(keyEnd);
      if (bytes[pos] !== COLON) throw new JsonSyntaxError("expected ':' after a key", pos);
      this.members++;
      const valueStart = this.skipSpace(pos + 1);
      const member: Member = { key, whole: { start: keyStart, end: 0 }, value: { start: valueStart, end: 0 } };
      const splitAs = split?.(key);
      if (splitAs && bytes[valueStart] === OPEN_BRACKET) {
        const array = this.array(valueStart, depth + 1, splitAs === true ? undefined : splitAs);
        member.elements = array;
        member.value.end = array.end;
      } else {
        member.value.end = this.valueEnd(valueStart, depth);
      }
      member.whole.end = member.value.end;
      members.push(member);
      pos = this.skipSpace(member.value.end);
      if (bytes[pos] === COMMA) {
        pos = this.skipSpace(pos + 1);
        continue;
      }
      if (bytes[pos] === CLOSE_BRACE) return { members, end: pos + 1 };
      throw new JsonSyntaxError("expected ',' or '}' after a member", pos);
    }
  }

  /**
   * The array that opens at `start` at nesting `depth`: its elements, its `inner` bytes (between
   * the brackets, whitespace and all) and where it ends. `read` reads each element (else it is skipped).
   */
  array(start: number, depth: number, read?: ReadElement): Elements {
    const { bytes } = this;
    if (bytes[start] !== OPEN_BRACKET) throw new JsonSyntaxError("expected an array", start);
    if (depth > this.maxDepth) throw new JsonDepthError(start);
    const items: Span[] = [];
    let pos = this.skipSpace(start + 1);
    if (bytes[pos] !== CLOSE_BRACKET) {
      for (;;) {
        const end = read ? read(pos, depth, items.length) : this.valueEnd(pos, depth);
        items.push({ start: pos, end });
        pos = this.skipSpace(end);
        if (bytes[pos] === COMMA) {
          pos = this.skipSpace(pos + 1);
          continue;
        }
        if (bytes[pos] === CLOSE_BRACKET) break;
        throw new JsonSyntaxError("expected ',' or ']' after an element", pos);
      }
    }
    return { items, inner: { start: start + 1, end: pos }, end: pos + 1 };
  }

  /** The members of the object that makes up the whole buffer (whitespace around it allowed). */
  rootObject(split?: (key: string) => boolean | ReadElement): Member[] {
    const start = this.skipSpace(0);
    const { members, end } = this.object(start, 1, split);
    if (this.skipSpace(end) !== this.bytes.length) throw new JsonSyntaxError("unexpected data after the JSON object", end);
    return members;
  }

  /** The span of the whole buffer as one value (leading and trailing whitespace excluded). */
  root(): Span {
    const start = this.skipSpace(0);
    if (start >= this.bytes.length) throw new JsonSyntaxError("the body is empty", 0);
    const end = this.valueEnd(start, 0);
    if (this.skipSpace(end) !== this.bytes.length) throw new JsonSyntaxError("unexpected data after the JSON value", end);
    return { start, end };
  }

  /**
   * The end of the value starting at `pos` (which holds no whitespace). Inside a container only
   * quotes and brackets are read: strings are skipped with indexOf, so long texts and base64 cost
   * little. `depth` is the nesting of the value's parent.
   */
  valueEnd(pos: number, depth: number): number {
    const { bytes } = this;
    const first = bytes[pos];
    if (first === QUOTE) return this.stringEnd(pos);
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return this.primitiveEnd(pos);
    let level = 0;
    let colons = 0;
    for (let i = pos; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === QUOTE) {
        i = this.stringEnd(i) - 1;
      } else if (c === COLON) {
        colons++;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth + ++level > this.maxDepth) throw new JsonDepthError(i);
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--level === 0) {
          this.members += colons;
          return i + 1;
        }
      }
    }
    throw new JsonSyntaxError("unterminated object or array", pos);
  }

  /**
   * The path to the first key that appears twice in one object, anywhere in the (valid) value that
   * opens at `pos`, or undefined. One pass over its bytes; the caller has already bounded its depth.
   */
  repeatedKey(pos: number): (string | number)[] | undefined {
    const path: (string | number)[] = [];
    return this.walkForRepeat(pos, path) < 0 ? path : undefined;
  }

  /** The end of the value at `pos`, or -1 with `path` naming a repeated key found inside it. */
  private walkForRepeat(pos: number, path: (string | number)[]): number {
    const { bytes } = this;
    const first = bytes[pos];
    if (first === QUOTE) return this.stringEnd(pos);
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return this.primitiveEnd(pos);
    const isObject = first === OPEN_BRACE;
    const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
    const keys = new Set<string>();
    let at = this.skipSpace(pos + 1);
    for (let index = 0; bytes[at] !== close; index++) {
      let step: string | number = index;
      if (isObject) {
        const keyEnd = this.stringEnd(at);
        step = this.keyText(at, keyEnd);
        if (keys.has(step)) {
          path.push(step);
          return -1;
        }
        keys.add(step);
        at = this.skipSpace(this.skipSpace(keyEnd) + 1);
      }
      path.push(step);
      const end = this.walkForRepeat(at, path);
      if (end < 0) return -1;
      path.pop();
      at = this.skipSpace(end);
      if (bytes[at] === COMMA) at = this.skipSpace(at + 1);
    }
    return at + 1;
  }

  /** The offset just past the closing quote of the string that opens at `pos`. */
  stringEnd(pos: number): number {
    const { bytes } = this;
    let quote = pos;
    for (;;) {
      quote = bytes.indexOf(QUOTE, quote + 1);
      if (quote < 0) throw new JsonSyntaxError("unterminated string", pos);
      let slashes = 0;
      while (bytes[quote - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) return quote + 1;
    }
  }

  skipSpace(pos: number): number {
    const { bytes } = this;
    let c = bytes[pos];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = bytes[++pos];
    return pos;
  }

  private primitiveEnd(pos: number): number {
    const { bytes } = this;
    let i = pos;
    for (; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    }
    if (i === pos) throw new JsonSyntaxError("expected a value", pos);
    return i;
  }

  private keyText(start: number, end: number): string {
    const raw = decodeUtf8(this.bytes.subarray(start, end));
    return raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  }
}
