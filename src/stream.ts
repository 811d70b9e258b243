/**
 * Rebuilds the steps of a streamed reply from its events (routed by `index`, seeded from
 * step.start), so a streamed turn ends with exactly the steps an unstreamed one would return.
 * Pure: events in, finished steps and the hop's outcome out.
 */
import { RelayError } from "./errors";
import type { JsonObject, StepValue } from "./schemas";
import { combineHops, continuesAfter, turnResponse, type Hop } from "./turn";
import type { UpstreamSession } from "./upstream/session";
import type { InteractionRequest, UpstreamEvent } from "./upstream/upstream";

/** Deltas that add a content block to a model_output (or user_input) step. */
const CONTENT_DELTAS = new Set(["image", "audio", "video", "document"]);

interface Building {
  step: StepValue;
  /** function-call arguments arrive as JSON string fragments; parsed at step.stop. */
  argumentsText?: string;
  stopped: boolean;
}

/** A step finished by step.stop: what the relay emits as `turn.step`. */
export interface FinishedStep {
  index: number;
  step: StepValue;
}

/** Rebuilds one hop. Throws a RelayError (502) on an event it cannot make sense of. */
export class HopAssembler {
  private readonly building = new Map<number, Building>();
  private completed?: JsonObject;
  private continuationToken?: string;

  /** Applies one event; returns the step it finished, if any. */
  accept(event: JsonObject): FinishedStep | undefined {
    switch (event.event_type) {
      case "step.start":
        return this.start(event);
      case "step.delta":
        return this.delta(event);
      case "step.stop":
        return this.stop(event);
      case "interaction.status_update":
        this.noteToken(event.continuation_token);
        return undefined;
      case "interaction.completed": {
        const interaction = event.interaction;
        if (typeof interaction !== "object" || interaction === null) throw malformed("interaction.completed without an interaction");
        this.completed = interaction as JsonObject;
        this.noteToken(this.completed.continuation_token);
        return undefined;
      }
      default:
        // interaction.created, and event types this relay does not know: forwarded, not interpreted.
        // (`error` events never get here: the adapter turns them into a thrown RelayError.)
        return undefined;
    }
  }

  /** The hop as the unary path would have seen it; throws if the upstream never completed it. */
  finish(): Hop {
    if (!this.completed) {
      throw new RelayError(502, "upstream_unavailable", {
        detail: "The Gemini API stream ended before interaction.completed; the turn is incomplete.",
      });
    }
    const steps = [...this.building.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, b]) => b.stopped)
      .map(([, b]) => b.step);
    return {
      steps,
      status: typeof this.completed.status === "string" ? this.completed.status : "completed",
      usage: this.completed.usage,
      continuationToken: this.continuationToken,
    };
  }

  private start(event: JsonObject): undefined {
    const index = indexOf(event);
    const step = event.step;
    if (typeof step !== "object" || step === null || typeof (step as JsonObject).type !== "string") {
      throw malformed(`step.start ${index} without a step`);
    }
    this.building.set(index, { step: step as StepValue, stopped: false });
    return undefined;
  }

  private delta(event: JsonObject): undefined {
    const index = indexOf(event);
    const building = this.building.get(index);
    const delta = event.delta as JsonObject | undefined;
    if (!building) throw malformed(`step.delta for step ${index}, which never started`);
    if (typeof delta !== "object" || delta === null || typeof delta.type !== "string") throw malformed(`step.delta ${index} without a typed delta`);
    const step = building.step;
    switch (delta.type) {
      case "text": {
        const content = contentOf(step);
        const last = content.at(-1) as JsonObject | undefined;
        if (last?.type === "text" && typeof last.text === "string") last.text += String(delta.text ?? "");
        else content.push(asBlock(delta));
        break;
      }
      case "text_annotation_delta": {
        const last = contentOf(step).at(-1) as JsonObject | undefined;
        if (last?.type === "text" && Array.isArray(delta.annotations)) {
          last.annotations = [...(Array.isArray(last.annotations) ? last.annotations : []), ...delta.annotations];
        }
        break;
      }
      case "thought_summary":
        (step.summary = Array.isArray(step.summary) ? step.summary : []).push(delta.content);
        break;
      case "thought_signature":
        step.signature = delta.signature;
        break;
      case "arguments_delta":
        if (typeof delta.arguments === "string") building.argumentsText = (building.argumentsText ?? "") + delta.arguments;
        else step.arguments = delta.arguments; // some streams send the whole object
        break;
      default:
        if (CONTENT_DELTAS.has(delta.type)) {
          contentOf(step).push(asBlock(delta));
        } else {
          // Built-in tool deltas (google_search_call, ..._result, function_result): fields merge into the step.
          const { type: _deltaType, ...fields } = delta;
          assignOwn(step, fields);
        }
    }
    return undefined;
  }

  private stop(event: JsonObject): FinishedStep {
    const index = indexOf(event);
    const building = this.building.get(index);
    if (!building) throw malformed(`step.stop for step ${index}, which never started`);
    if (building.argumentsText !== undefined && building.argumentsText !== "") {
      try {
        building.step.arguments = JSON.parse(building.argumentsText);
      } catch {
        throw malformed(`function-call arguments of step ${index} that are not valid JSON`);
      }
    }
    building.stopped = true;
    return { index, step: building.step };
  }

  private noteToken(token: unknown): void {
    if (typeof token === "string" && token !== "") this.continuationToken = token;
  }
}

function indexOf(event: JsonObject): number {
  const index = event.index;
  if (!Number.isInteger(index) || (index as number) < 0) throw malformed(`${String(event.event_type)} without a valid index`);
  return index as number;
}

function contentOf(step: StepValue): unknown[] {
  if (!Array.isArray(step.content)) step.content = [];
  return step.content as unknown[];
}

/** A content delta is the content block itself (copied, since later text deltas extend it). */
function asBlock(delta: JsonObject): JsonObject {
  return { ...delta };
}

/** Object.assign without its setter semantics, so a key named `__proto__` stays a plain field. */
function assignOwn(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  }
}

function malformed(what: string): RelayError {
  return new RelayError(502, "upstream_unavailable", { detail: `The Gemini API sent ${what}.` });
}

// ---------------------------------------------------------------------------------------------
// The streamed turn: upstream events forwarded as they arrive, plus turn.step and turn.completed

export interface SseMessage {
  event: string;
  data: string;
}

/**
 * Every SSE message of a streamed turn, in order. `firstHop` is already open (so errors before the
 * first byte kept their HTTP status); continuation hops are opened here, never retried. Throws a
 * RelayError when the turn cannot complete; the caller turns that into `turn.error`.
 */
export async function* streamTurnEvents(
  session: UpstreamSession,
  request: InteractionRequest,
  firstHop: AsyncIterable<UpstreamEvent>,
): AsyncGenerator<SseMessage> {
  const hops: Hop[] = [];
  const calls: string[] = [];
  let events = firstHop;
  let offset = 0;
  try {
    for (;;) {
      const assembler = new HopAssembler();
      let highestIndex = -1;
      for await (const event of events) {
        if (typeof event !== "object" || event === null || Array.isArray(event)) throw malformed("an event whose data is not a JSON object");
        yield { event: typeof event.event_type === "string" ? event.event_type : "message", data: JSON.stringify(event) };
        const finished = assembler.accept(event);
        if (finished) {
          highestIndex = Math.max(highestIndex, finished.index);
          if (finished.step.type === "function_call") calls.push(String(finished.step.id));
          yield { event: "turn.step", data: JSON.stringify({ index: offset + finished.index, step: finished.step }) };
        }
      }
      const hop = assembler.finish();
      hops.push(hop);
      if (!continuesAfter(hop, hops.length)) break;
      offset += highestIndex + 1;
      events = await session.stream({ ...request, continuationToken: hop.continuationToken }, { retry: false });
    }
  } catch (err) {
    throw notRetried(err, calls);
  }
  yield { event: "turn.completed", data: JSON.stringify(turnResponse(request.input, combineHops(hops))) };
}

/** A failure after the reply began is reported, not retried; it says so, and names any calls already made. */
function notRetried(err: unknown, calls: readonly string[]): unknown {
  if (!(err instanceof RelayError)) return err;
  const sideEffects = calls.length > 0 ? ` The model had already asked for function calls (${calls.map((id) => `"${id}"`).join(", ")}); the relay did not run the turn again, so nothing is repeated. Keep the turn.step events you received and send the turn again when ready.` : "";
  return new RelayError(err.status, err.code, {
    detail: `${err.detail} The reply had already begun, so the relay did not retry.${sideEffects}`,
    errors: err.errors,
    headers: err.headers,
    upstream: err.upstream,
  });
}
