/**
 * Integrity checks on a client-held transcript, run before the paid upstream call. Each catches a
 * mistake Gemini answers only quietly (an empty reply) or opaquely (a bare 400), and says exactly
 * which step is wrong. Pure: steps and declared tools in, findings out.
 *
 * Who wrote the step decides what a finding does. The caller's own steps (function results, user
 * turns) are refused with a 422. Model-authored steps (thoughts, function calls) only warn: the
 * relay returned them, and never refuses on the next turn what it returned on this one (the same
 * predicates run on a reply, replyWarnings).
 *
 * Bounded whatever the body holds: each check is one pass over the steps, at most MAX_LISTED
 * findings are written out (the rest are counted in one last item: errors.ts' Listing), and every
 * quoted id or name is cut to MAX_QUOTED characters, so a hostile transcript gets a small answer in linear time.
 */
import { Listing, MAX_QUOTED, RelayError, clip, moreProblems, type ProblemItem } from "../errors";
import type { StepValue } from "../schemas";
import { moreWarnings, type TurnWarning } from "../warnings";

/** Where step i of history ++ new steps lives in the request body, as a JSON pointer. */
export type Locate = (index: number) => string;

/** Ids or names listed in one message. */
const MAX_NAMES = 10;

/**
 * Throws a 422 listing the caller-authored findings, so a broken transcript never reaches a billed
 * call; returns the warnings on model-authored steps (the turn goes ahead).
 */
export function checkIntegrity(steps: readonly StepValue[], tools: readonly unknown[] | undefined, locate: Locate): TurnWarning[] {
  const findings = answerFindings(steps, locate);
  if (findings.count > 0) {
    const [first] = findings.listed;
    throw new RelayError(422, "integrity_failed", {
      detail: `The transcript would fail at Gemini (${findings.count} finding${findings.count > 1 ? "s" : ""}): ${first!.path} ${first!.message}.`,
      errors: findings.items(),
    });
  }
  return replyWarnings(steps, tools, locate);
}

/** What checkIntegrity refuses: the caller-authored findings, at most MAX_LISTED and a count of the rest. */
export function integrityFindings(steps: readonly StepValue[], locate: Locate): ProblemItem[] {
  return answerFindings(steps, locate).items();
}

/**
 * What the model-authored steps would make Gemini stumble on: function calls to undeclared tools,
 * thoughts without the signature Gemini 3 needs. checkIntegrity returns them for a request; run on a
 * reply's steps (locate pointing into the response's `history`), they say now what next turn will warn.
 */
export function replyWarnings(steps: readonly StepValue[], tools: readonly unknown[] | undefined, locate: Locate): TurnWarning[] {
  const warnings = new Listing<TurnWarning>(moreWarnings);
  toolWarnings(steps, tools, locate, warnings);
  signatureWarnings(steps, locate, warnings);
  return warnings.items();
}

/** An id or name as a map key: a string as is, any other JSON value as JSON (String() throws on `{"toString":1}`). */
function keyOf(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "undefined");
}

/** An id or name for a message: quoted, at most MAX_QUOTED characters of it. */
function quote(value: unknown): string {
  return JSON.stringify(clip(keyOf(value), MAX_QUOTED));
}

/** The first MAX_NAMES of `values`, quoted, then how many more there are. */
function quoteList(values: readonly unknown[]): string {
  const listed = values.slice(0, MAX_NAMES).map(quote).join(", ");
  return values.length > MAX_NAMES ? `${listed} and ${values.length - MAX_NAMES} more` : listed;
}

/**
 * Function calls by id, a queue per id: a function_result answers the earliest call with its id
 * that is still unanswered. So a model that reuses an id (on a later turn, or twice in one reply)
 * gets each call answered in turn, as Gemini pairs them. Each operation is O(1) but `drain`, which
 * only visits ids with calls waiting and empties them.
 */
class CallQueues<C> {
  private readonly byId = new Map<string, { calls: C[]; next: number; lastAnswer?: number }>();
  /** Ids with calls waiting, in the order they began waiting. */
  private readonly waitingIds = new Set<string>();

  get waiting(): boolean {
    return this.waitingIds.size > 0;
  }

  call(id: string, call: C): void {
    const queue = this.byId.get(id);
    if (queue) queue.calls.push(call);
    else this.byId.set(id, { calls: [call], next: 0 });
    this.waitingIds.add(id);
  }

  /**
   * Answers, at step `at`, the earliest unanswered call with `id`: that call; or, when every call
   * with the id is answered, where the last answer was; or undefined when no call had the id.
   */
  answer(id: string, at: number): { call: C } | { lastAnswer: number } | undefined {
    const queue = this.byId.get(id);
    if (!queue) return undefined;
    if (queue.next === queue.calls.length) return { lastAnswer: queue.lastAnswer ?? at };
    const call = queue.calls[queue.next++]!;
    queue.lastAnswer = at;
    if (queue.next === queue.calls.length) this.settle(id, queue);
    return { call };
  }

  /** Every call still waiting (each id's in order), now counted as answered at step `at`. */
  drain(at: number): C[] {
    const waiting: C[] = [];
    for (const id of this.waitingIds) {
      const queue = this.byId.get(id)!;
      waiting.push(...queue.calls.slice(queue.next));
      queue.lastAnswer = at;
      this.settle(id, queue);
    }
    return waiting;
  }

  /** An id whose calls are all answered keeps only where its last answer was. */
  private settle(id: string, queue: { calls: C[]; next: number }): void {
    queue.calls = [];
    queue.next = 0;
    this.waitingIds.delete(id);
  }
}

/**
 * Function results must answer an earlier call (the earliest unanswered one with their id: see
 * CallQueues), with its name; a result whose id's calls are all answered is a duplicate; a new user
 * turn needs every call answered. One pass.
 */
function answerFindings(steps: readonly StepValue[], locate: Locate): Listing<ProblemItem> {
  const findings = new Listing<ProblemItem>(moreProblems("finding"));
  const calls = new CallQueues<{ id: unknown; name: unknown; at: number }>();
  steps.forEach((step, i) => {
    if (step.type === "function_call") {
      calls.call(keyOf(step.id), { id: step.id, name: step.name, at: i });
    } else if (step.type === "function_result") {
      const answered = calls.answer(keyOf(step.call_id), i);
      if (!answered) {
        findings.add(() => ({
          path: `${locate(i)}/call_id`,
          message: `answers call_id ${quote(step.call_id)}, but no earlier function_call has that id; Gemini would return an empty reply`,
        }));
      } else if ("lastAnswer" in answered) {
        findings.add(() => ({
          path: locate(i),
          message: `answers call ${quote(step.call_id)} a second time: every earlier call with that id is answered (the last at ${locate(answered.lastAnswer)})`,
        }));
      } else if (step.name !== undefined && step.name !== answered.call.name) {
        const { call } = answered;
        findings.add(() => ({
          path: `${locate(i)}/name`,
          message: `is ${quote(step.name)}, but call ${quote(step.call_id)} (${locate(call.at)}) called ${quote(call.name)}; Gemini would return an empty reply`,
        }));
      }
    } else if (step.type === "user_input" && calls.waiting) {
      const pending = calls.drain(i).map((call) => call.id); // reported once
      findings.add(() => ({
        path: locate(i),
        message: `is a new user turn while function calls are unanswered: ${quoteList(pending)}; send a function_result for each first`,
      }));
    }
  });
  return findings;
}

/**
 * Tools whose calls come back as function_call steps with names the request does not declare:
 * computer_use's predefined actions (click_at, type_text_at, ...), a set Google may grow.
 */
const PREDEFINED_CALL_TOOLS = new Set(["computer_use"]);

/**
 * Tools are interaction-scoped: a transcript with function calls needs their declarations re-sent
 * every turn. One warning per undeclared name; the declared names are listed once, in the first.
 */
function toolWarnings(
  steps: readonly StepValue[],
  tools: readonly unknown[] | undefined,
  locate: Locate,
  warnings: Listing<TurnWarning>,
): void {
  if ((tools ?? []).some((tool) => PREDEFINED_CALL_TOOLS.has((tool as { type?: unknown })?.type as string))) return;
  const declared = new Set(
    (tools ?? [])
      .filter(
        (tool): tool is { type: string; name: string } =>
          (tool as { type?: unknown })?.type === "function" && typeof (tool as { name?: unknown }).name === "string",
      )
      .map((tool) => tool.name),
  );
  const reported = new Set<string>();
  steps.forEach((step, i) => {
    if (step.type !== "function_call") return;
    const name = keyOf(step.name);
    if (declared.has(name) || reported.has(name)) return;
    const first = reported.size === 0;
    reported.add(name);
    warnings.add(() => ({
      code: "undeclared_tool",
      path: `${locate(i)}/name`,
      message:
        declared.size === 0
          ? `calls ${quote(step.name)}, but this request declares no tools: Gemini does not remember tools between turns, so send the same \`tools\` with every turn`
          : `calls ${quote(step.name)}, which is not among the tools this request declares${first ? ` (${quoteList([...declared])})` : ""}: send every tool the conversation uses with every turn`,
    }));
  });
}

/** Gemini 3 needs the signature of the thought that led to a function call; the relay never invents one. */
function signatureWarnings(steps: readonly StepValue[], locate: Locate, warnings: Listing<TurnWarning>): void {
  steps.forEach((step, i) => {
    if (step.type !== "thought" || steps[i + 1]?.type !== "function_call") return;
    if (typeof step.signature !== "string" || step.signature === "") {
      warnings.add(() => ({
        code: "unsigned_thought",
        path: `${locate(i)}/signature`,
        message:
          "is missing or empty on the thought before a function call, so Gemini 3 may refuse the turn: send thought steps back exactly as you received them",
      }));
    }
  });
}

/**
 * The function_call steps of this turn that nothing in it answers, by the rule the next turn's
 * integrity check reads them (CallQueues): the caller must run them.
 */
export function pendingCalls<T extends { view: StepValue }>(steps: readonly T[]): T[] {
  const calls = new CallQueues<number>();
  steps.forEach(({ view }, i) => {
    if (view.type === "function_call") calls.call(keyOf(view.id), i);
    else if (view.type === "function_result") calls.answer(keyOf(view.call_id), i);
  });
  return calls
    .drain(steps.length)
    .sort((a, b) => a - b)
    .map((i) => steps[i]!);
}
