/**
 * Closure for steps of the caller's types in a reply: the relay never returns on turn N what it
 * would refuse on turn N+1. A user_input or function_result the model's steps carry (an echo before
 * them is dropped: modelSteps) is read next turn as the caller's own, by the checks the caller's
 * steps get; where one would refuse it, the turn fails now, naming the step and the check, rather
 * than hand back a transcript the next turn refuses and the caller may not edit (TRANSCRIPT_KEYS).
 * Model-authored steps are never refused next turn, so they only get warnings (replyRetentionWarnings,
 * replyWarnings).
 */
import { MAX_LISTED, RelayError, boundedPointer, type ProblemItem } from "../errors";
import { repeatedKeyPath } from "../json/repeats";
import { isModelAuthored, type StepRef } from "../steps";
import { integrityFindings } from "./integrity";
import { findStoredReferences, type RetentionPolicy } from "./retention";

/**
 * Throws a 502 when a caller-authored step of `reply` would fail a caller-step check on the next
 * turn, which sends `sent` (this turn's history and new steps) ++ `reply` back as its history.
 */
export function refuseUnreturnableReply(sent: readonly StepRef[], reply: readonly StepRef[], policy: RetentionPolicy): void {
  const callerSteps = reply.flatMap((step, i) => (isModelAuthored(step.view.type) ? [] : [sent.length + i]));
  if (callerSteps.length === 0) return;
  const errors: ProblemItem[] = [];
  // One reading, as a caller's history step is held to (validate.ts historyStep): no key repeated anywhere.
  for (const i of callerSteps) {
    const step = reply[i - sent.length]!;
    const repeat = repeatedKeyPath(step.bytes, step.view);
    if (repeat) {
      errors.push({
        path: boundedPointer(["history", i, ...repeat]),
        message: "appears more than once in its object, which history refuses in a step of a caller's type",
      });
    }
  }
  // The retention guard, as it reads a caller's history step (validate.ts historyStep, then guardRetention).
  if (!policy.allowStoredResources) {
    for (const i of callerSteps) {
      for (const path of findStoredReferences(reply[i - sent.length]!.view, ["history", i])) {
        errors.push({
          path,
          message:
            "names a resource stored at Google in a step of a caller's type, which the retention guard refuses in history (ALLOW_STORED_RESOURCES is off)",
        });
      }
    }
  }
  // Integrity, over the history as next turn sends it: this turn's steps passed it, so whatever it finds is in the reply.
  errors.push(
    ...integrityFindings(
      [...sent, ...reply].map((step) => step.view),
      (i) => `/history/${i}`,
    ),
  );
  if (errors.length === 0) return;
  const [first] = errors;
  const step = reply[Number(first!.path.split("/")[2]) - sent.length];
  throw new RelayError(502, "upstream_unavailable", {
    detail: `The Gemini API replied with a ${JSON.stringify(step?.view.type)} step among the model's that the next turn would refuse: ${first!.path} (in the history the relay would return) ${first!.message}. The relay does not return a transcript it would refuse; nothing was added, send the turn again.`,
    errors: errors.slice(0, MAX_LISTED),
  });
}
