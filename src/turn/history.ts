/**
 * Steps as the relay carries them: each one's JSON exactly as it arrived (from the caller or from
 * Gemini), beside the few fields the relay reads. Pure functions: the new turn's input as steps,
 * what the model answered, output_text. Nothing here rewrites a step's bytes.
 */
import type { StepValue } from "../schemas";

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
 * The model-generated steps of a reply. Google's create answers only with model steps, but an
 * older revision echoed the input first; a leading user_input is never the model's, so it is not
 * appended twice.
 */
export function modelSteps<T extends { view: StepValue }>(steps: readonly T[]): T[] {
  let start = 0;
  while (start < steps.length && steps[start]?.view.type === "user_input") start++;
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
