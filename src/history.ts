/**
 * Pure functions on steps: the new turn's input as steps, what the model answered, output_text,
 * and the appended transcript. No I/O; nothing here copies or rewrites a step.
 */
import type { StepValue } from "./schemas";

/** The SDK's Content[] becomes one user_input step; a string becomes one text block. */
export function userInputStep(content: readonly unknown[]): StepValue {
  return { type: "user_input", content: [...content] };
}

export function textInputStep(text: string): StepValue {
  return userInputStep([{ type: "text", text }]);
}

/**
 * The model-generated steps of a reply. Google's create answers only with model steps, but an
 * older revision echoed the input first; a leading user_input is never the model's, so it is not
 * appended twice.
 */
export function modelSteps(steps: readonly StepValue[]): StepValue[] {
  let start = 0;
  while (start < steps.length && steps[start]?.type === "user_input") start++;
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
