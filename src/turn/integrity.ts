/**
 * Integrity checks on a client-held transcript, run before the paid upstream call. Each catches a
 * mistake Gemini answers only quietly (an empty reply) or opaquely (a bare 400), and says exactly
 * which step is wrong. Pure: steps and declared tools in, findings out.
 */
import { RelayError, type ProblemItem } from "../errors";
import type { StepValue } from "../schemas";

/** Where step i of history ++ new steps lives in the request body, as a JSON pointer. */
export type Locate = (index: number) => string;

/** Throws a 422 listing every finding, so a broken transcript never reaches a billed call. */
export function checkIntegrity(steps: readonly StepValue[], tools: readonly unknown[] | undefined, locate: Locate): void {
  const errors = integrityFindings(steps, tools, locate);
  if (errors.length === 0) return;
  throw new RelayError(422, "integrity_failed", {
    detail: `The transcript would fail at Gemini (${errors.length} finding${errors.length > 1 ? "s" : ""}): ${errors[0]!.path} ${errors[0]!.message}.`,
    errors,
  });
}

export function integrityFindings(steps: readonly StepValue[], tools: readonly unknown[] | undefined, locate: Locate): ProblemItem[] {
  return [...answerFindings(steps, locate), ...toolFindings(steps, tools, locate), ...signatureFindings(steps, locate)];
}

/** Function results must answer an earlier call, by id and name, once; a new user turn needs every call answered. */
function answerFindings(steps: readonly StepValue[], locate: Locate): ProblemItem[] {
  const findings: ProblemItem[] = [];
  const calls = new Map<string, { name: unknown; at: number }>();
  const answered = new Map<string, number>();
  steps.forEach((step, i) => {
    if (step.type === "function_call") {
      calls.set(String(step.id), { name: step.name, at: i });
    } else if (step.type === "function_result") {
      const id = String(step.call_id);
      const call = calls.get(id);
      if (!call) {
        findings.push({
          path: `${locate(i)}/call_id`,
          message: `answers call_id "${id}", but no earlier function_call has that id; Gemini would return an empty reply`,
        });
        return;
      }
      if (step.name !== undefined && step.name !== call.name) {
        findings.push({
          path: `${locate(i)}/name`,
          message: `is "${String(step.name)}", but call "${id}" (${locate(call.at)}) called "${String(call.name)}"; Gemini would return an empty reply`,
        });
      }
      const earlier = answered.get(id);
      if (earlier !== undefined) {
        findings.push({ path: locate(i), message: `answers call "${id}" a second time (first answered at ${locate(earlier)})` });
      } else {
        answered.set(id, i);
      }
    } else if (step.type === "user_input") {
      const pending = [...calls.keys()].filter((id) => !answered.has(id));
      if (pending.length > 0) {
        findings.push({
          path: locate(i),
          message: `is a new user turn while function calls are unanswered: ${pending.map((id) => `"${id}"`).join(", ")}; send a function_result for each first`,
        });
        for (const id of pending) answered.set(id, i); // reported once
      }
    }
  });
  return findings;
}

/**
 * Tools whose calls come back as function_call steps with names the request does not declare:
 * computer_use's predefined actions (click_at, type_text_at, ...), a set Google may grow.
 */
const PREDEFINED_CALL_TOOLS = new Set(["computer_use"]);

/** Tools are interaction-scoped: a transcript with function calls needs their declarations re-sent every turn. */
function toolFindings(steps: readonly StepValue[], tools: readonly unknown[] | undefined, locate: Locate): ProblemItem[] {
  if ((tools ?? []).some((tool) => PREDEFINED_CALL_TOOLS.has((tool as { type?: unknown })?.type as string))) return [];
  const declared = new Set(
    (tools ?? [])
      .filter(
        (tool): tool is { type: string; name: string } =>
          (tool as { type?: unknown })?.type === "function" && typeof (tool as { name?: unknown }).name === "string",
      )
      .map((tool) => tool.name),
  );
  const findings: ProblemItem[] = [];
  const reported = new Set<string>();
  steps.forEach((step, i) => {
    if (step.type !== "function_call") return;
    const name = String(step.name);
    if (declared.has(name) || reported.has(name)) return;
    reported.add(name);
    findings.push({
      path: `${locate(i)}/name`,
      message:
        declared.size === 0
          ? `calls "${name}", but this request declares no tools: Gemini does not remember tools between turns, so send the same \`tools\` with every turn`
          : `calls "${name}", which is not among the tools this request declares (${[...declared].join(", ")}): send every tool the conversation uses with every turn`,
    });
  });
  return findings;
}

/** Gemini 3 needs the signature of the thought that led to a function call; the relay never invents one. */
function signatureFindings(steps: readonly StepValue[], locate: Locate): ProblemItem[] {
  const findings: ProblemItem[] = [];
  steps.forEach((step, i) => {
    if (step.type !== "thought" || steps[i + 1]?.type !== "function_call") return;
    if (typeof step.signature !== "string" || step.signature === "") {
      findings.push({
        path: `${locate(i)}/signature`,
        message: "is missing or empty on the thought before a function call; send thought steps back exactly as you received them",
      });
    }
  });
  return findings;
}

/** The function_call steps of this turn that nothing in it answers: the caller must run them. */
export function pendingCalls<T extends { view: StepValue }>(steps: readonly T[]): T[] {
  const answered = new Set(steps.filter((s) => s.view.type === "function_result").map((s) => String(s.view.call_id)));
  return steps.filter((s) => s.view.type === "function_call" && !answered.has(String(s.view.id)));
}
