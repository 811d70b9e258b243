/**
 * Running a turn against the upstream, unary and streamed: the continuation loop (a decode that
 * stops at requires_continuation is resumed with its continuation_token and the same input, as
 * store=false requires) in both its forms, side by side so they keep the same rules: at most
 * MAX_HOPS hops, continuation hops never retried, completed hops never discarded.
 */
import { RelayError } from "../errors";
import { decodeUtf8 } from "../json/scan";
import type { SseMessage } from "../http/sse-response";
import type { UpstreamSession } from "../upstream/session";
import type { InteractionRequest, UpstreamEvent } from "../upstream/upstream";
import { HopAssembler } from "./assembler";
import { combineHops, continuesAfter, incompleteAfter, type Hop, type TurnOutcome } from "./hops";
import { finishTurn, type TurnInput } from "./response";

/** The unary turn: every hop, then their outcome (an incomplete one if a continuation hop failed). */
export async function runTurn(session: UpstreamSession, request: InteractionRequest): Promise<TurnOutcome> {
  const hops: Hop[] = [await session.create(request)];
  for (let hop = hops[0]!; continuesAfter(hop, hops.length);) {
    try {
      hop = await session.create({ ...request, continuationToken: hop.continuationToken });
    } catch (err) {
      return incompleteAfter(hops, err);
    }
    hops.push(hop);
  }
  return combineHops(hops);
}

/**
 * Every SSE message of a streamed turn, in order. `firstHop` is already open (so errors before the
 * first byte kept their HTTP status); continuation hops are opened here, never retried. Throws a
 * RelayError when the turn cannot complete; the caller turns that into `turn.error`.
 */
export async function* streamTurnEvents(
  session: UpstreamSession,
  request: InteractionRequest,
  input: TurnInput,
  firstHop: AsyncIterable<UpstreamEvent>,
  maxJsonDepth: number,
): AsyncGenerator<SseMessage> {
  const hops: Hop[] = [];
  const calls: string[] = [];
  let events = firstHop;
  let offset = 0;
  try {
    for (;;) {
      const assembler = new HopAssembler(maxJsonDepth, (bytes) => session.redact(bytes));
      let highestIndex = -1;
      for await (const event of events) {
        yield { event: event.type, data: event.data };
        const finished = assembler.accept(event);
        if (finished) {
          highestIndex = Math.max(highestIndex, finished.index);
          if (finished.step.view.type === "function_call") calls.push(String(finished.step.view.id));
          yield { event: "turn.step", data: `{"index":${offset + finished.index},"step":${decodeUtf8(finished.step.bytes)}}` };
        }
      }
      const hop = assembler.finish();
      hops.push(hop);
      if (!continuesAfter(hop, hops.length)) break;
      offset += highestIndex + 1;
      events = await session.stream({ ...request, continuationToken: hop.continuationToken }, { retry: false });
    }
  } catch (err) {
    if (hops.length === 0) throw notRetried(err, calls);
    // Completed hops are kept, as on the unary path (steps of the hop that failed are not).
    yield await completed(input, incompleteAfter(hops, err));
    return;
  }
  yield await completed(input, combineHops(hops));
}

async function completed(input: TurnInput, outcome: TurnOutcome): Promise<SseMessage> {
  // As pieces: the SSE writer queues the history's bytes as they are, without joining them into one copy first.
  return { event: "turn.completed", data: await finishTurn(input, outcome) };
}

/** A failure after the reply began is reported, not retried; it says so, and names any calls already made. */
function notRetried(err: unknown, calls: readonly string[]): unknown {
  if (!(err instanceof RelayError)) return err;
  const sideEffects =
    calls.length > 0
      ? ` The model had already asked for function calls (${calls.map((id) => `"${id}"`).join(", ")}); the relay did not run the turn again, so nothing is repeated. Keep the turn.step events you received and send the turn again when ready.`
      : "";
  return new RelayError(err.status, err.code, {
    detail: `${err.detail} The reply had already begun, so the relay did not retry.${sideEffects}`,
    errors: err.errors,
    headers: err.headers,
    upstream: err.upstream,
  });
}
