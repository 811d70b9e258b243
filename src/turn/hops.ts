/**
 * What a turn's hops add up to: whether another hop follows (a decode that stops at
 * requires_continuation), and the steps, status and usage of all of them, or the failure of one.
 */
import { RelayError, toRelayError, type ProblemDetails } from "../errors";
import type { Piece } from "../json/bytes";
import type { InteractionResult, RawValue } from "../upstream/upstream";
import { modelSteps, type StepRef } from "../steps";

/** Upper bound on hops for one turn, so a misbehaving upstream cannot keep a request alive forever. */
export const MAX_HOPS = 8;

/** One upstream hop's reply. */
export type Hop = InteractionResult;

export interface TurnOutcome {
  steps: StepRef[];
  status: string;
  /** One hop's usage as received; several hops' summed (see sumUsage). */
  usage?: Piece[];
  /** Why an `incomplete` turn stopped: a continuation hop failed after earlier hops completed. */
  error?: ProblemDetails;
}

/** Whether the relay should send another hop after this one. */
export function continuesAfter(hop: Hop, hopCount: number): hop is Hop & { continuationToken: string } {
  return (
    hop.status === "requires_continuation" &&
    typeof hop.continuationToken === "string" &&
    hop.continuationToken !== "" &&
    hopCount < MAX_HOPS
  );
}

/**
 * The outcome of all hops: steps concatenated, the last hop's status, usage summed. A hop that
 * failed (status failed, or errors reported) fails the turn, with Gemini's reasons (502 turn_failed).
 */
export function combineHops(hops: readonly Hop[]): TurnOutcome {
  const last = hops.at(-1);
  const failed = hops.find((hop) => hop.status === "failed" || hop.errors !== undefined);
  if (failed) throw turnFailed(failed);
  return {
    steps: hops.flatMap((hop) => modelSteps(hop.steps)),
    status: last?.status ?? "failed",
    usage: usagePieces(hops.map((hop) => hop.usage)),
  };
}

/**
 * A continuation hop failed after earlier hops completed: what they generated is returned (status
 * incomplete, with the error), never discarded, so sending the turn again does not pay for it twice.
 */
export function incompleteAfter(hops: readonly Hop[], err: unknown): TurnOutcome {
  return { ...combineHops(hops), status: "incomplete", error: toRelayError(err).toProblem() };
}

function turnFailed(hop: Hop): RelayError {
  const errors = hop.errors ?? [];
  const reasons = errors
    .map((error) => (error as { message?: unknown } | null)?.message)
    .filter((message): message is string => typeof message === "string")
    .slice(0, 3);
  return new RelayError(502, "turn_failed", {
    detail: `Gemini could not complete the turn (status ${hop.status})${reasons.length > 0 ? `: ${reasons.join("; ")}` : ""}. Nothing was added to the transcript; send the turn again or change it.`,
    interaction: { status: hop.status, errors },
  });
}

function usagePieces(usages: ReadonlyArray<RawValue | undefined>): Piece[] | undefined {
  const present = usages.filter((usage): usage is RawValue => usage !== undefined);
  if (present.length === 0) return undefined;
  if (usages.length === 1) return [present[0]!.bytes];
  return [JSON.stringify(sumUsage(present.map((usage) => usage.value)))];
}

/**
 * Usage over several hops: integer counters summed, per-modality lists summed per key, anything
 * else from the last hop. (One hop's usage is returned exactly as received and never comes here.)
 */
export function sumUsage(usages: readonly unknown[]): unknown {
  const objects = usages.filter((u): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u));
  if (objects.length === 0) return undefined;
  const total: Record<string, unknown> = {};
  for (const usage of objects) {
    for (const [key, value] of Object.entries(usage)) {
      const current = total[key];
      if (Number.isInteger(value) && (current === undefined || Number.isInteger(current))) {
        total[key] = ((current as number | undefined) ?? 0) + (value as number);
      } else if (Array.isArray(value) && (current === undefined || Array.isArray(current))) {
        total[key] = sumCounts((current as unknown[] | undefined) ?? [], value);
      } else {
        total[key] = value;
      }
    }
  }
  return total;
}

/** [{modality:"text",tokens:3}] + [{modality:"text",tokens:4}] → [{modality:"text",tokens:7}]. */
function sumCounts(into: readonly unknown[], add: readonly unknown[]): unknown[] {
  const result = into.map((item) => ({ ...(item as object) })) as Record<string, unknown>[];
  for (const item of add as Record<string, unknown>[]) {
    const key = item?.modality ?? item?.type;
    const field = "tokens" in (item ?? {}) ? "tokens" : "count";
    const match = result.find((r) => (r.modality ?? r.type) === key && Number.isInteger(r[field]));
    if (match && Number.isInteger(item[field])) match[field] = (match[field] as number) + (item[field] as number);
    else result.push({ ...item });
  }
  return result;
}
