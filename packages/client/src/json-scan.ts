/**
 * Where the values of a JSON text are, as byte ranges of the text itself: the top-level members of
 * an object and the elements of an array. The transcript keeps these slices as they are, so a step
 * travels in the bytes the model produced (a 20-digit integer, `1e400`, `-0`, `1.10`, escapes and
 * repeated keys all survive), never as what `JSON.stringify(JSON.parse(...))` would make of it.
 *
 * The scanner only finds where values end (strings with their escapes, nesting, literals); callers
 * check that the text is JSON first (JSON.parse), so a malformed text never gets this far.
 */

/** A value's range in a text: `text.slice(start, end)` is the value. */
export interface Range {
  start: number;
  end: number;
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);

function skipSpace(text: string, i: number): number {
  while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  return i;
}

/** The index just past the string starting at `i` (a `"`). */
function stringEnd(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === '"') return i + 1;
  }
  throw new SyntaxError("unterminated string");
}

/** The index just past the value starting at `i` (whitespace already skipped). */
export function valueEnd(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return stringEnd(text, i);
  if (first !== "{" && first !== "[") {
    // A number or a literal: runs to the next delimiter.
    let j = i;
    while (j < text.length && !WHITESPACE.has(text[j]!) && text[j] !== "," && text[j] !== "]" && text[j] !== "}") j++;
    if (j === i) throw new SyntaxError(`no value at ${i}`);
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') j = stringEnd(text, j) - 1;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  throw new SyntaxError("unterminated container");
}

/**
 * The top-level members of the object `text`, by key, with their value ranges. A key given twice
 * is refused: the caller must not pick one of two readings.
 */
export function objectMembers(text: string): Map<string, Range> {
  const members = new Map<string, Range>();
  let i = skipSpace(text, 0);
  if (text[i] !== "{") throw new SyntaxError("not a JSON object");
  i = skipSpace(text, i + 1);
  if (text[i] === "}") return members;
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ":") throw new SyntaxError(`expected ":" at ${i}`);
    const start = skipSpace(text, i + 1);
    const end = valueEnd(text, start);
    if (members.has(key)) throw new SyntaxError(`the key "${key}" is repeated`);
    members.set(key, { start, end });
    i = skipSpace(text, end);
    if (text[i] === "}") return members;
    if (text[i] !== ",") throw new SyntaxError(`expected "," or "}" at ${i}`);
    i = skipSpace(text, i + 1);
  }
}

/** The elements of the array at `range` of `text`, each as its exact text. */
export function arrayElements(text: string, range: Range): string[] {
  const elements: string[] = [];
  let i = skipSpace(text, range.start);
  if (text[i] !== "[") throw new SyntaxError("not a JSON array");
  i = skipSpace(text, i + 1);
  if (text[i] === "]") return elements;
  for (;;) {
    const end = valueEnd(text, i);
    elements.push(text.slice(i, end));
    i = skipSpace(text, end);
    if (text[i] === "]") return elements;
    if (text[i] !== ",") throw new SyntaxError(`expected "," or "]" at ${i}`);
    i = skipSpace(text, i + 1);
  }
}
