/**
 * The response body of a turn, both paths': the caller's history bytes, this turn's new steps and
 * the model's step bytes spliced as received, plus what the relay adds (status, usage, output_text,
 * pending_calls, an incomplete turn's error, the attestation, warnings). Or, when the caller prefers
 * `return=minimal`, the same without the history it already holds: this turn's input steps and the
 * model's, and the base they append to. The append rule: the full body's `history` is the caller's
 * history array as sent (inner bytes, whitespace and all) with `input_steps` then `steps` appended as
 * its elements, joined by `,` (arrayPieces), so a caller that holds its history's bytes rebuilds the
 * full body's byte for byte.
 */
import { arrayPieces, hex, objectPieces, type Piece } from "../json/bytes";
import { outputText, type StepRef } from "../steps";
import type { TurnOutcome } from "./hops";
import { pendingCalls } from "./integrity";
import { capWarnings, type TurnWarning } from "../warnings";

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
  /** Present when the caller prefers `return=minimal`: the history the response appends to, as received. */
  base?: MinimalBase;
}

/** The history a minimal response appends to: how many steps the relay received, and the SHA-256 of their bytes. */
export interface MinimalBase {
  steps: number;
  /** Lowercase hex SHA-256 of the bytes between the history array's brackets, as sent (of "" without a history). */
  sha256: string;
}

/** The base of `input`'s history: its step count and the digest of its inner bytes. */
export async function minimalBase(historyInner: Uint8Array | undefined, historyLength: number): Promise<MinimalBase> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", historyInner ?? new Uint8Array()));
  return { steps: historyLength, sha256: hex(digest) };
}

/** The response body of a finished turn, with its attestation when the relay attests and its warnings (see turnResponse). */
export async function finishTurn(input: TurnInput, outcome: TurnOutcome): Promise<Piece[]> {
  const warnings = capWarnings(input.warnings ?? [], input.replyWarnings?.(outcome.steps) ?? []);
  return turnResponse(input, outcome, await input.attest?.(outcome.steps), warnings);
}

/**
 * The response body: history ++ new input ++ the model's steps, plus status, usage, output_text,
 * pending_calls, the error of an incomplete turn, (when the relay attests) the attestation of
 * that history, and the warnings when there are any. The caller's history bytes and the model's
 * step bytes are placed as received. With `input.base`, the minimal body instead: the same members without
 * `history`, with `input_steps` first and `base` last.
 */
export function turnResponse(input: TurnInput, outcome: TurnOutcome, attestation?: string, warnings: readonly TurnWarning[] = []): Piece[] {
  const steps = outcome.steps.map((step) => step.bytes);
  const newSteps = input.newSteps.map((step) => step.bytes);
  const text = outputText(outcome.steps.map((step) => step.view));
  const usage = outcome.usage ? [["usage", outcome.usage] as const] : [];
  const outputTextMember = text !== undefined ? [["output_text", [JSON.stringify(text)]] as const] : [];
  const pending = ["pending_calls", arrayPieces(pendingCalls(outcome.steps).map((step) => step.bytes))] as const;
  const error = outcome.error ? [["error", [JSON.stringify(outcome.error)]] as const] : [];
  const attestationMember = attestation !== undefined ? [["attestation", [JSON.stringify(attestation)]] as const] : [];
  const warningsMember = warnings.length > 0 ? [["warnings", [JSON.stringify(warnings)]] as const] : [];
  const status = ["status", [JSON.stringify(outcome.status)]] as const;
  if (input.base) {
    return objectPieces([
      ["input_steps", arrayPieces(newSteps)],
      ["steps", arrayPieces(steps)],
      status,
      ...usage,
      ...outputTextMember,
      pending,
      ...warningsMember,
      ...error,
      ...attestationMember,
      ["base", [JSON.stringify(input.base)]],
    ]);
  }
  const inner = input.historyInner ? { bytes: input.historyInner, empty: input.historyLength === 0 } : undefined;
  return objectPieces([
    ["history", arrayPieces([...newSteps, ...steps], inner)],
    ["steps", arrayPieces(steps)],
    status,
    ...usage,
    ...outputTextMember,
    pending,
    ...error,
    ...attestationMember,
    ...warningsMember,
  ]);
}
