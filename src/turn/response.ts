/**
 * The response body of a turn, both paths': the caller's history bytes, this turn's new steps and
 * the model's step bytes spliced as received, plus what the relay adds (status, usage, output_text,
 * pending_calls, an incomplete turn's error, the attestation, warnings).
 */
import { arrayPieces, objectPieces, type Piece } from "../json/bytes";
import { outputText, type StepRef } from "./history";
import type { TurnOutcome } from "./hops";
import { pendingCalls } from "./integrity";
import type { TurnWarning } from "./warnings";

/** What the caller sent this turn, as the response splices it back. */
export interface TurnInput {
  /** The caller's history array between its brackets, exactly as sent. */
  historyInner?: Uint8Array;
  historyLength: number;
  newSteps: readonly StepRef[];
  /** The attestation of the response's history (TRANSCRIPT_KEYS), given this turn's model steps; absent: the response carries none. */
  attest?: (modelSteps: readonly StepRef[]) => Promise<string>;
  /** What the relay found about the request itself that the caller should know. */
  warnings?: readonly TurnWarning[];
  /** What the relay finds about this turn's model steps once they are known (closure: see retention.ts). */
  replyWarnings?: (modelSteps: readonly StepRef[]) => TurnWarning[];
}

/** The response body of a finished turn, with its attestation when the relay attests and its warnings (see turnResponse). */
export async function finishTurn(input: TurnInput, outcome: TurnOutcome): Promise<Piece[]> {
  const warnings = [...(input.warnings ?? []), ...(input.replyWarnings?.(outcome.steps) ?? [])];
  return turnResponse(input, outcome, await input.attest?.(outcome.steps), warnings);
}

/**
 * The response body: history ++ new input ++ the model's steps, plus status, usage, output_text,
 * pending_calls, the error of an incomplete turn, (when the relay attests) the attestation of
 * that history, and the warnings when there are any. The caller's history bytes and the model's
 * step bytes are placed as received.
 */
export function turnResponse(input: TurnInput, outcome: TurnOutcome, attestation?: string, warnings: readonly TurnWarning[] = []): Piece[] {
  const steps = outcome.steps.map((step) => step.bytes);
  const inner = input.historyInner ? { bytes: input.historyInner, empty: input.historyLength === 0 } : undefined;
  const text = outputText(outcome.steps.map((step) => step.view));
  return objectPieces([
    ["history", arrayPieces([...input.newSteps.map((step) => step.bytes), ...steps], inner)],
    ["steps", arrayPieces(steps)],
    ["status", [JSON.stringify(outcome.status)]],
    ...(outcome.usage ? [["usage", outcome.usage] as const] : []),
    ...(text !== undefined ? [["output_text", [JSON.stringify(text)]] as const] : []),
    ["pending_calls", arrayPieces(pendingCalls(outcome.steps).map((step) => step.bytes))],
    ...(outcome.error ? [["error", [JSON.stringify(outcome.error)]] as const] : []),
    ...(attestation !== undefined ? [["attestation", [JSON.stringify(attestation)]] as const] : []),
    ...(warnings.length > 0 ? [["warnings", [JSON.stringify(warnings)]] as const] : []),
  ]);
}
