/**
 * Steps as the relay carries them: each one's JSON exactly as it arrived (from the caller or from
 * Gemini), beside the few fields the relay reads. Pure functions: whose step it is, the one reading
 * of the keys it is read by, what the model answered, whether a turn can be answered, output_text.
 * Nothing here rewrites a step's bytes.
 */
import type { StepValue } from "./schemas";
import type { JsonScanner, Member, ReadElement } from "./json/scan";

/** A step: its JSON as received (forwarded and returned as is), and what the relay reads of it. */
export interface StepRef {
  bytes: Uint8Array;
  /** The fields the relay reads: `type` always; for history, only ids, names and signatures (see readView). */
  view: StepValue;
}

/**
 * Whether a step type is the model's to write (model_output, thought, function_call, server-tool
 * calls and results, and any type this relay does not know) rather than the caller's.
 */
export function isModelAuthored(type: string): boolean {
  return type !== "user_input" && type !== "function_result";
}

/** The fields of a history step the relay reads (integrity); the rest of the step stays opaque. */
const READ_FIELDS = ["id", "name", "call_id", "signature"] as const;

/** What the relay keeps of a parsed history step: its type, and the fields integrity checks read. */
export function readView(step: StepValue): StepValue {
  const view: StepValue = { type: step.type };
  for (const field of READ_FIELDS) if (Object.hasOwn(step, field)) view[field] = step[field];
  return view;
}

/**
 * How deep a step sits in a request: inside the body object and the `history` (or `input`) array.
 * A step may nest MAX_JSON_DEPTH minus this, counting itself as 1, wherever it is read: in a
 * request, and in a reply (which becomes next turn's history), so what the relay returns reads back.
 */
export const STEP_DEPTH = 3;

/** Keys of a step that the relay or Gemini takes meaning from (classification, integrity). */
const STEP_KEYS = new Set(["type", "id", "name", "call_id", "signature", "content", "summary", "result"]);
/** Members of a step that hold content blocks, and the keys of a block that Gemini (and the retention guard) read. */
const BLOCK_LISTS = new Set(["content", "summary", "result"]);
const BLOCK_KEYS = new Set(["type", "text", "uri", "data", "mime_type"]);

/** A key path inside a step. */
export type StepPath = (string | number)[];

/**
 * One reading of a step that opens at `start` at nesting `depth`: where it ends, and where a key it
 * is read by appears twice in one object (`repeat`, a path inside the step). Those keys are the
 * step's own STEP_KEYS and the BLOCK_KEYS of its content blocks; repeats elsewhere (function
 * arguments, unknown fields) are the step's bytes, carried as they came. One pass over the step's
 * bytes, which also bounds its depth (JsonDepthError). The same reading runs on history and on
 * replies, so a reply the relay returns reads back. A value that is not an object is only skipped
 * (the caller says what is wrong with it).
 */
export function readStep(scanner: JsonScanner, start: number, depth: number): { end: number; repeat?: StepPath } {
  if (scanner.bytes[start] !== OPEN_BRACE) return { end: scanner.valueEnd(start, depth - 1) };
  let repeat: StepPath | undefined;
  const readBlock =
    (list: string): ReadElement =>
    (at, listDepth, index) => {
      if (scanner.bytes[at] !== OPEN_BRACE) return scanner.valueEnd(at, listDepth);
      const block = scanner.object(at, listDepth + 1);
      const key = repeatedAmong(block.members, BLOCK_KEYS);
      if (key !== undefined) repeat ??= [list, index, key];
      return block.end;
    };
  const step = scanner.object(start, depth, (key) => BLOCK_LISTS.has(key) && readBlock(key));
  const key = repeatedAmong(step.members, STEP_KEYS);
  return { end: step.end, repeat: key !== undefined ? [key] : repeat };
}

const OPEN_BRACE = 0x7b;

/** The first of `keys` that two members share. */
function repeatedAmong(members: readonly Member[], keys: ReadonlySet<string>): string | undefined {
  const seen = new Set<string>();
  for (const { key } of members) {
    if (!keys.has(key)) continue;
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

/**
 * The model-generated steps of a reply. Google's create answers only with model steps, but an
 * older revision echoed the input first: the leading run of caller-authored steps (user_input,
 * function_result; see isModelAuthored) is never the model's, so it is not appended twice (a
 * result appended twice would answer its call twice next turn). Both paths take a hop's steps
 * through here (hops.ts), so streamed and unary replies agree.
 */
export function modelSteps<T extends { view: StepValue }>(steps: readonly T[]): T[] {
  let start = 0;
  while (start < steps.length && !isModelAuthored(steps[start]!.view.type)) start++;
  return steps.slice(start);
}

/** A turn is answerable when its last step asks the model for something. */
export function isAnswerable(steps: readonly StepValue[]): boolean {
  const last = steps.at(-1);
  return last?.type === "user_input" || last?.type === "function_result";
}

/**
 * The last contiguous run of text, computed like the SDK's `output_text`: walk back from the end,
 * stop at a user_input, skip thoughts, and stop at the first non-text block once text was found.
 * Undefined (not "") when there is none.
 */
export function outputText(steps: readonly StepValue[]): string | undefined {
  const texts: string[] = [];
  let collecting = false;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.type === "user_input") break;
    if (step.type === "thought") continue;
    if (step.type !== "model_output") {
      if (collecting) break;
      continue;
    }
    const content = Array.isArray(step.content) ? step.content : [];
    for (let j = content.length - 1; j >= 0; j--) {
      const block = content[j] as { type?: unknown; text?: unknown } | null;
      if (block?.type === "text" && typeof block.text === "string") {
        texts.push(block.text);
        collecting = true;
      } else if (collecting) {
        return joinReversed(texts);
      }
    }
  }
  return joinReversed(texts);
}

function joinReversed(texts: string[]): string | undefined {
  const text = texts.reverse().join("");
  return text === "" ? undefined : text;
}
