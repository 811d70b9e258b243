/**
 * One turn against the upstream: the hop loop (a decode that stops at requires_continuation is
 * resumed with its continuation_token and the same input, as store=false requires), and the
 * response body both the unary and the streamed path return.
 */
import { modelSteps, outputText } from "./history";
import { pendingCalls } from "./integrity";
import type { StepValue, TurnResponse } from "./schemas";
import type { UpstreamSession } from "./upstream/session";
import type { InteractionRequest } from "./upstream/upstream";

/** Upper bound on hops for one turn, so a misbehaving upstream cannot keep a request alive forever. */
export const MAX_HOPS = 8;

export interface TurnOutcome {
  steps: StepValue[];
  status: string;
  usage?: unknown;
}

export interface Hop {
  steps: StepValue[];
  status: string;
  usage?: unknown;
  continuationToken?: string;
}

/** Whether the relay should send another hop after this one. */
export function continuesAfter(hop: Hop, hopCount: number): hop is Hop & { continuationToken: string } {
  return hop.status === "requires_continuation" && typeof hop.continuationToken === "string" && hop.continuationToken !== "" && hopCount < MAX_HOPS;
}

/** The outcome of all hops: steps concatenated, the last hop's status, usage summed. */
export function combineHops(hops: readonly Hop[]): TurnOutcome {
  const last = hops.at(-1);
  return {
    steps: hops.flatMap((hop) => modelSteps(hop.steps)),
    status: last?.status ?? "failed",
    usage: hops.length === 1 ? last?.usage : sumUsage(hops.map((hop) => hop.usage)),
  };
}

export async function runTurn(session: UpstreamSession, request: InteractionRequest): Promise<TurnOutcome> {
  const hops: Hop[] = [await session.create(request)];
  for (let hop = hops[0]!; continuesAfter(hop, hops.length); ) {
    hop = await session.create({ ...request, continuationToken: hop.continuationToken });
    hops.push(hop);
  }
  return combineHops(hops);
}

/** history ++ new input ++ the model's steps, plus status, usage and output_text. */
export function turnResponse(input: StepValue[], outcome: TurnOutcome): TurnResponse {
  return {
    history: [...input, ...outcome.steps],
    steps: outcome.steps,
    status: outcome.status,
    usage: outcome.usage,
    output_text: outputText(outcome.steps),
    pending_calls: pendingCalls(outcome.steps),
  };
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
