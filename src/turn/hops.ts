/**
 * One turn against the upstream: the hop loop (a decode that stops at requires_continuation is
 * resumed with its continuation_token and the same input, as store=false requires), and the
 * response body both the unary and the streamed path return, spliced from the bytes received.
 */
import { RelayError, toRelayError, type ProblemDetails } from "../errors";
import { modelSteps, outputText, type StepRef } from "./history";
import { pendingCalls } from "./integrity";
import { arrayPieces, objectPieces, type Piece } from "../json/bytes";
import type { UpstreamSession } from "../upstream/session";
import type { InteractionRequest, InteractionResult, RawValue } from "../upstream/upstream";

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

/** What the caller sent this turn, as the response splices it back. */
export interface TurnInput {
  /** The caller's history array between its brackets, exactly as sent. */
  historyInner?: Uint8Array;
  historyLength: number;
  newSteps: readonly StepRef[];
  /** The attestation of the response's history (TRANSCRIPT_KEYS), given this turn's model steps; absent: the response carries none. */
  attest?: (modelSteps: readonly StepRef[]) => Promise<string>;
}

/** Whether the relay should send another hop after this one. */
export function continuesAfter(hop: Hop, hopCount: number): hop is Hop & { continuationToken: string } {
  return hop.status === "requires_continuation" && typeof hop.continuationToken === "string" && hop.continuationToken !== "" && hopCount < MAX_HOPS;
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

export async function runTurn(session: UpstreamSession, request: InteractionRequest): Promise<TurnOutcome> {
  const hops: Hop[] = [await session.create(request)];
  for (let hop = hops[0]!; continuesAfter(hop, hops.length); ) {
    try {
      hop = await session.create({ ...request, continuationToken: hop.continuationToken });
    } catch (err) {
      return incompleteAfter(hops, err);
    }
    hops.push(hop);
  }
  return combineHops(hops);
}

/** The response body of a finished turn, with its attestation when the relay attests (see turnResponse). */
export async function finishTurn(input: TurnInput, outcome: TurnOutcome): Promise<Piece[]> {
  return turnResponse(input, outcome, await input.attest?.(outcome.steps));
}

/**
 * A continuation hop failed after earlier hops completed: what they generated is returned (status
 * incomplete, with the error), never discarded, so sending the turn again does not pay for it twice.
 */
export function incompleteAfter(hops: readonly Hop[], err: unknown): TurnOutcome {
  return { ...combineHops(hops), status: "incomplete", error: toRelayError(err).toProblem() };
}

/**
 * The response body: history ++ new input ++ the model's steps, plus status, usage, output_text,
 * pending_calls, the error of an incomplete turn and (when the relay attests) the attestation of
 * that history. The caller's history bytes and the model's step bytes are placed as received.
 */
export function turnResponse(input: TurnInput, outcome: TurnOutcome, attestation?: string): Piece[] {
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
  ]);
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
