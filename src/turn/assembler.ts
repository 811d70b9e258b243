/**
 * Rebuilds the steps of a streamed reply from its events (routed by `index`, seeded from
 * step.start), so a streamed turn ends with the steps an unstreamed one would return. Pure:
 * events in, finished steps and the hop's outcome out.
 *
 * Bytes are kept wherever the stream carried them whole: a step no delta changed is emitted as
 * step.start sent it; fields a delta sets (arguments, results, signatures, unknown blocks) keep
 * the delta's bytes. Generic rules cover shapes this relay does not know (see `applyDelta`).
 */
import { RelayError } from "../errors";
import { RawJson, joinPieces, toPieces } from "../json/bytes";
import { decodeUtf8 } from "../json/scan";
import type { JsonObject } from "../schemas";
import { malformedReply, rawMembers, readEventInteraction, stepRef } from "../upstream/reply";
import type { UpstreamEvent } from "../upstream/upstream";
import type { StepRef } from "./history";
import type { Hop } from "./hops";

const encoder = new TextEncoder();

interface Building {
  /** The step as step.start carried it, byte for byte: what is emitted when no delta changed it. */
  startBytes: Uint8Array;
  /** The step being rebuilt once a delta arrived: its fields, parsed or kept as RawJson. */
  fields?: Record<string, unknown>;
  /** function-call arguments arrive as JSON text fragments; placed, as one text, at step.stop. */
  argumentsText?: string;
  stopped?: StepRef;
}

/** A step finished by step.stop: what the relay emits as `turn.step`. */
export interface FinishedStep {
  index: number;
  step: StepRef;
}

/** Rebuilds one hop. Throws a RelayError (502) on an event it cannot make sense of. */
export class HopAssembler {
  private readonly building = new Map<number, Building>();
  private completed?: Hop;
  private continuationToken?: string;

  /** @param maxJsonDepth the relay's MAX_JSON_DEPTH, which each step is read to (see stepRef) */
  constructor(private readonly maxJsonDepth: number) {}

  /** Applies one event; returns the step it finished, if any. */
  accept(event: UpstreamEvent): FinishedStep | undefined {
    const value = event.value;
    if (!value) throw malformedReply("an event whose data is not a JSON object");
    switch (value.event_type) {
      case "step.start":
        return this.start(event.data, value);
      case "step.delta":
        return this.delta(event.data, value);
      case "step.stop":
        return this.stop(value);
      case "interaction.status_update":
        this.noteToken(value.continuation_token);
        return undefined;
      case "interaction.completed": {
        const interaction = readEventInteraction(event.data, this.maxJsonDepth);
        if (!interaction) throw malformedReply("interaction.completed without an interaction");
        this.completed = interaction;
        this.noteToken(interaction.continuationToken);
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
    const built = [...this.building.entries()].sort(([a], [b]) => a - b).flatMap(([, b]) => (b.stopped ? [b.stopped] : []));
    // Steps that only interaction.completed carried (no step events built them) are used as sent.
    const steps = built.length === 0 ? this.completed.steps : built;
    return { ...this.completed, steps, continuationToken: this.continuationToken };
  }

  private start(data: string, event: JsonObject): undefined {
    const index = indexOf(event);
    const step = event.step;
    if (typeof step !== "object" || step === null || typeof (step as JsonObject).type !== "string") {
      throw malformedReply(`step.start ${index} without a step`);
    }
    this.building.set(index, { startBytes: memberBytes(data, "step") });
    return undefined;
  }

  private delta(data: string, event: JsonObject): undefined {
    const index = indexOf(event);
    const building = this.building.get(index);
    const delta = event.delta as JsonObject | undefined;
    if (!building) throw malformedReply(`step.delta for step ${index}, which never started`);
    if (typeof delta !== "object" || delta === null || typeof delta.type !== "string")
      throw malformedReply(`step.delta ${index} without a typed delta`);
    building.fields ??= asFields(building.startBytes);
    applyDelta(building, delta, () => memberBytes(data, "delta"));
    return undefined;
  }

  private stop(event: JsonObject): FinishedStep {
    const index = indexOf(event);
    const building = this.building.get(index);
    if (!building) throw malformedReply(`step.stop for step ${index}, which never started`);
    if (building.argumentsText !== undefined && building.argumentsText !== "") {
      try {
        JSON.parse(building.argumentsText);
      } catch {
        throw malformedReply(`function-call arguments of step ${index} that are not valid JSON`);
      }
      building.fields!.arguments = new RawJson(encoder.encode(building.argumentsText));
    }
    building.stopped = stepRef(building.fields ? joinPieces(toPieces(building.fields)) : building.startBytes, this.maxJsonDepth);
    return { index, step: building.stopped };
  }

  private noteToken(token: unknown): void {
    if (typeof token === "string" && token !== "") this.continuationToken = token;
  }
}

/**
 * One delta applied to a step:
 * - text extends the last text block (or starts one); text_annotation_delta extends its annotations;
 * - thought_summary adds its content to `summary` (nothing, when it has none);
 * - thought_signature sets `signature` (keeping step.start's when it carries none);
 * - arguments_delta appends to the arguments text (or, given an object, sets the arguments);
 * - a delta of the step's own type (server tool calls and results) sets its fields on the step;
 * - anything else is a content block: media now, and whatever types Gemini adds later.
 */
function applyDelta(building: Building, delta: JsonObject, deltaBytes: () => Uint8Array): void {
  const fields = building.fields!;
  switch (delta.type) {
    case "text": {
      const content = listField(fields, "content");
      const last = plain(content, content.length - 1);
      if (last?.type === "text" && typeof last.text === "string") last.text += typeof delta.text === "string" ? delta.text : "";
      else content.push({ ...delta });
      return;
    }
    case "text_annotation_delta": {
      const content = listField(fields, "content");
      const last = plain(content, content.length - 1);
      if (last?.type === "text" && Array.isArray(delta.annotations)) {
        last.annotations = [...(Array.isArray(last.annotations) ? last.annotations : []), ...delta.annotations];
      }
      return;
    }
    case "thought_summary":
      if (delta.content !== undefined) listField(fields, "summary").push(new RawJson(rawMembers(deltaBytes()).get("content")!));
      return;
    case "thought_signature":
      if (typeof delta.signature === "string") fields.signature = delta.signature;
      return;
    case "arguments_delta":
      if (typeof delta.arguments === "string") building.argumentsText = (building.argumentsText ?? "") + delta.arguments;
      else if (delta.arguments !== undefined) fields.arguments = new RawJson(rawMembers(deltaBytes()).get("arguments")!);
      return;
  }
  if (delta.type === fields.type) {
    for (const [key, bytes] of rawMembers(deltaBytes())) if (key !== "type") setOwn(fields, key, new RawJson(bytes));
    return;
  }
  listField(fields, "content").push(new RawJson(deltaBytes()));
}

/** The step's fields, each kept as the bytes step.start sent (parsed only when a delta extends it). */
function asFields(stepBytes: Uint8Array): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, bytes] of rawMembers(stepBytes))
    setOwn(fields, key, key === "type" ? JSON.parse(decodeUtf8(bytes)) : new RawJson(bytes));
  return fields;
}

/** A list field of the step, parsed (so deltas can extend it); created when missing. */
function listField(fields: Record<string, unknown>, key: string): unknown[] {
  let value = fields[key];
  if (value instanceof RawJson) value = JSON.parse(decodeUtf8(value.bytes));
  const list = Array.isArray(value) ? value : [];
  setOwn(fields, key, list);
  return list;
}

/** Item i of a list as a plain object (parsed from its bytes if need be), or undefined. */
function plain(list: unknown[], i: number): JsonObject | undefined {
  let item = list[i];
  if (item instanceof RawJson) list[i] = item = JSON.parse(decodeUtf8(item.bytes));
  return typeof item === "object" && item !== null && !Array.isArray(item) ? (item as JsonObject) : undefined;
}

/** The bytes of a top-level member of an event's data. */
function memberBytes(data: string, key: string): Uint8Array {
  return rawMembers(encoder.encode(data)).get(key)!;
}

function indexOf(event: JsonObject): number {
  const index = event.index;
  if (!Number.isInteger(index) || (index as number) < 0) throw malformedReply(`${String(event.event_type)} without a valid index`);
  return index as number;
}

/** An assignment without setter semantics, so a key named `__proto__` stays a plain field. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
