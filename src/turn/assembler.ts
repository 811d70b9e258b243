/**
 * Rebuilds the steps of a streamed reply from its events (routed by `index`, seeded from
 * step.start), so a streamed turn ends with the bytes an unstreamed one would return. Pure: events
 * in, finished steps and the hop's outcome out.
 *
 * Deltas are spliced into step.start's text, never re-serialized (json/draft.ts): a step no delta
 * changed is step.start's bytes; a text delta's string contents are appended inside the string it
 * extends, escapes as sent; values a delta sets (signatures, arguments, server-tool fields, blocks)
 * are the delta's bytes. The rule, and what "the same bytes as unary" means, is in docs/api.md
 * ("Streaming"). Generic rules cover shapes this relay does not know (see `applyDelta`).
 */
import { RelayError } from "../errors";
import { joinPieces } from "../json/bytes";
import { ArrayDraft, ObjectDraft, RepeatedKeyError, type StringDraft } from "../json/draft";
import { JsonScanner } from "../json/scan";
import type { JsonObject } from "../schemas";
import { malformedReply, readEventInteraction, stepRef } from "../upstream/reply";
import type { UpstreamEvent } from "../upstream/upstream";
import type { StepRef } from "../steps";
import type { Hop } from "./hops";

const encoder = new TextEncoder();

interface Building {
  /** The step as step.start carried it, byte for byte: what is emitted when no delta changed it. */
  startBytes: Uint8Array;
  type: string;
  /** The step being rebuilt once a delta arrived: step.start's text with the deltas spliced in. */
  draft?: ObjectDraft;
  /** The string of the text block text deltas extend, while it is the last block (saves finding it per delta). */
  openText?: StringDraft;
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

  /**
   * @param maxJsonDepth the relay's MAX_JSON_DEPTH, which each step is read to (see stepRef)
   * @param redact takes the relay's key out of a step joined from several events (see Upstream.redact)
   */
  constructor(
    private readonly maxJsonDepth: number,
    private readonly redact: (bytes: Uint8Array) => Uint8Array = (bytes) => bytes,
  ) {}

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

  /**
   * The hop as the unary path would have seen it; throws if the upstream never completed it. Steps
   * interaction.completed carries are Gemini's own bytes for their index and win over the rebuild;
   * the others are the rebuilt ones. A step that started but never stopped, and that
   * interaction.completed does not carry, fails the hop: a shorter transcript marked completed
   * would be a silent loss.
   */
  finish(): Hop {
    if (!this.completed) {
      throw new RelayError(502, "upstream_unavailable", {
        detail: "The Gemini API stream ended before interaction.completed; the turn is incomplete.",
      });
    }
    // Indexed as the step events are (an echoed input included): hops.ts drops an echo from both paths alike.
    const carried = this.completed.steps;
    // A failed interaction fails the turn with Gemini's reasons (hops.ts); its unfinished steps are not the story.
    const failed = this.completed.status === "failed" || this.completed.errors !== undefined;
    const indexes = new Set([...this.building.keys(), ...carried.keys()]);
    const steps = [...indexes]
      .sort((a, b) => a - b)
      .flatMap((index) => {
        const step = carried[index] ?? this.building.get(index)?.stopped;
        if (step) return [step];
        if (failed) return [];
        throw malformedReply(`step.start ${index} and no step.stop for it before interaction.completed`);
      });
    return { ...this.completed, steps, continuationToken: this.continuationToken };
  }

  private start(data: string, event: JsonObject): undefined {
    const index = indexOf(event);
    const step = event.step;
    if (typeof step !== "object" || step === null || typeof (step as JsonObject).type !== "string") {
      throw malformedReply(`step.start ${index} without a step`);
    }
    if (this.building.has(index)) throw malformedReply(`step.start ${index} twice`);
    this.building.set(index, { startBytes: memberBytes(data, "step"), type: (step as JsonObject).type as string });
    return undefined;
  }

  private delta(data: string, event: JsonObject): undefined {
    const index = indexOf(event);
    const building = this.building.get(index);
    const delta = event.delta as JsonObject | undefined;
    if (!building) throw malformedReply(`step.delta for step ${index}, which never started`);
    if (building.stopped) throw malformedReply(`step.delta for step ${index} after its step.stop`);
    if (typeof delta !== "object" || delta === null || typeof delta.type !== "string")
      throw malformedReply(`step.delta ${index} without a typed delta`);
    // The commonest event, text extending the open block: its contents found in the data text, nothing encoded.
    const text = delta.type === "text" && typeof delta.text === "string" ? building.openText && textContents(data) : undefined;
    if (text !== undefined) {
      building.openText!.appendText(text);
      return undefined;
    }
    spliced(index, () => {
      building.draft ??= ObjectDraft.of(building.startBytes);
      applyDelta(building, delta, ObjectDraft.of(memberBytes(data, "delta")));
    });
    return undefined;
  }

  private stop(event: JsonObject): FinishedStep {
    const index = indexOf(event);
    const building = this.building.get(index);
    if (!building) throw malformedReply(`step.stop for step ${index}, which never started`);
    if (building.stopped) throw malformedReply(`step.stop ${index} twice`);
    if (building.argumentsText !== undefined && building.argumentsText !== "") {
      try {
        JSON.parse(building.argumentsText);
      } catch {
        throw malformedReply(`function-call arguments of step ${index} that are not valid JSON`);
      }
      const text = encoder.encode(building.argumentsText);
      spliced(index, () => building.draft!.set({ key: "arguments", head: '"arguments":', value: text }));
    }
    building.stopped = stepRef(this.redact(building.draft ? joinPieces(building.draft.pieces()) : building.startBytes), this.maxJsonDepth);
    return { index, step: building.stopped };
  }

  private noteToken(token: unknown): void {
    if (typeof token === "string" && token !== "") this.continuationToken = token;
  }
}

/**
 * One delta spliced into a step (`delta` parsed, `raw` its members as received):
 * - text extends the string of the last text block (or opens a block);
 * - text_annotation_delta extends that block's annotations;
 * - thought_summary adds its content to `summary` (nothing, when it has none);
 * - thought_signature sets `signature` (keeping step.start's when it carries none);
 * - arguments_delta appends to the arguments text (or, given an object, sets the arguments);
 * - a delta of the step's own type (server tool calls and results) sets its fields on the step;
 * - anything else is a content block: media now, and whatever types Gemini adds later.
 * A value set on the step replaces its value in place, or is added after its last member. A block
 * a delta opens is the delta, `type` moved first as replies write it (text deltas put it last).
 */
function applyDelta(building: Building, delta: JsonObject, raw: ObjectDraft): void {
  const step = building.draft!;
  raw.member("type"); // a delta whose type is ambiguous is refused, whatever it would do
  if (delta.type !== "text" && delta.type !== "text_annotation_delta") building.openText = undefined;
  switch (delta.type) {
    case "text": {
      const text = raw.member("text");
      building.openText ??= textBlock(step.arrayAt("content"))?.stringAt("text");
      if (!building.openText) {
        const block = opened(raw);
        listOf(step, "content").add(block);
        building.openText = block.stringAt("text");
      } else if (text && typeof delta.text === "string") building.openText.append(text.value as Uint8Array);
      return;
    }
    case "text_annotation_delta": {
      const block = textBlock(step.arrayAt("content"));
      const annotations = raw.member("annotations");
      if (!block || !annotations || !Array.isArray(delta.annotations)) return;
      const list = block.arrayAt("annotations");
      if (!list) return block.set(annotations);
      for (const item of elements(annotations.value as Uint8Array)) list.add(item);
      return;
    }
    case "thought_summary": {
      const content = raw.member("content");
      if (content) listOf(step, "summary").add(content.value);
      return;
    }
    case "thought_signature": {
      const signature = raw.member("signature");
      if (signature && typeof delta.signature === "string") step.set(signature);
      return;
    }
    case "arguments_delta":
      if (typeof delta.arguments === "string") building.argumentsText = (building.argumentsText ?? "") + delta.arguments;
      else if (delta.arguments !== undefined) step.set(raw.member("arguments")!);
      return;
  }
  if (delta.type === building.type) {
    for (const member of raw.all()) if (member.key !== "type") step.set(raw.member(member.key)!);
    return;
  }
  listOf(step, "content").add(opened(raw));
}

/** A step's list (`content`, `summary`), added after its last member when missing. */
function listOf(step: ObjectDraft, key: string): ArrayDraft {
  const existing = step.arrayAt(key);
  if (existing) return existing;
  if (step.member(key)) throw new WrongShape(`a "${key}" that is not an array`);
  const list = ArrayDraft.empty();
  step.add({ key, head: `${JSON.stringify(key)}:`, value: list });
  return list;
}

/** A step whose field a delta extends holds a value of another kind. */
class WrongShape extends Error {}

/** The last block of a content list when it is a text block with a string `text`. */
function textBlock(content: ArrayDraft | undefined): ObjectDraft | undefined {
  const block = content?.lastObject();
  return block?.read("type") === "text" && block.stringAt("text") ? block : undefined;
}

/** A block opened by a delta: its members as received, `type` first. */
function opened(raw: ObjectDraft): ObjectDraft {
  raw.moveToFront("type");
  return raw;
}

/** The elements of an array received as bytes. */
function elements(bytes: Uint8Array): Uint8Array[] {
  return new JsonScanner(bytes, Number.POSITIVE_INFINITY).array(0, 1).items.map((span) => bytes.subarray(span.start, span.end));
}

/** Runs a splice; a key it must read that appears twice, or a value of the wrong kind, fails the hop (502). */
function spliced(index: number, splice: () => void): void {
  try {
    splice();
  } catch (err) {
    if (err instanceof RelayError) throw err;
    const what = err instanceof RepeatedKeyError || err instanceof WrongShape ? err.message : "JSON it could not read";
    throw malformedReply(`step ${index} with ${what} where a delta applies`);
  }
}

/**
 * The contents (between the quotes, as sent) of a text delta's `text`, read from the event's data
 * text; undefined when anything is unusual (an escaped or repeated key, another shape), and the
 * byte path then reads it, or refuses it.
 */
function textContents(data: string): string | undefined {
  const delta = memberRanges(data, data.indexOf("{"), ["delta"])?.get("delta");
  if (delta === undefined || data[delta.start] !== "{") return undefined;
  const members = memberRanges(data, delta.start, ["text", "type"]);
  const text = members?.get("text");
  if (!text || !members?.has("type") || data[text.start] !== '"') return undefined;
  return data.slice(text.start + 1, text.end - 1);
}

/** The value ranges of `keys` in the object opening at `open`; undefined when one is repeated or the object is not plain. */
function memberRanges(s: string, open: number, keys: readonly string[]): Map<string, { start: number; end: number }> | undefined {
  const found = new Map<string, { start: number; end: number }>();
  let i = skipSpace(s, open + 1);
  if (s[i] === "}") return found;
  for (;;) {
    if (s[i] !== '"') return undefined;
    const keyEnd = stringEnd(s, i);
    const key = s.slice(i + 1, keyEnd - 1);
    if (key.includes("\\")) return undefined;
    i = skipSpace(s, keyEnd);
    if (s[i] !== ":") return undefined;
    const start = skipSpace(s, i + 1);
    const end = valueEnd(s, start);
    if (keys.includes(key)) {
      if (found.has(key)) return undefined;
      found.set(key, { start, end });
    }
    i = skipSpace(s, end);
    if (s[i] === ",") i = skipSpace(s, i + 1);
    else return s[i] === "}" ? found : undefined;
  }
}

function skipSpace(s: string, i: number): number {
  while (s[i] === " " || s[i] === "\n" || s[i] === "\r" || s[i] === "\t") i++;
  return i;
}

function stringEnd(s: string, open: number): number {
  for (let quote = s.indexOf('"', open + 1); quote >= 0; quote = s.indexOf('"', quote + 1)) {
    let slashes = 0;
    while (s[quote - 1 - slashes] === "\\") slashes++;
    if (slashes % 2 === 0) return quote + 1;
  }
  return s.length;
}

function valueEnd(s: string, start: number): number {
  if (s[start] === '"') return stringEnd(s, start);
  let depth = 0;
  let i = start;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = stringEnd(s, i) - 1;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (depth === 0) return i;
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (c === "," || c === " " || c === "\n" || c === "\r" || c === "\t")) return i;
  }
  return i;
}

/** The bytes of a top-level member of an event's data (one copy of the event, views into it). */
function memberBytes(data: string, key: string): Uint8Array {
  const bytes = encoder.encode(data);
  const members = new JsonScanner(bytes, Number.POSITIVE_INFINITY).rootObject().filter((m) => m.key === key);
  // The parsed event read the last one; the bytes would be the first: two readings, so neither.
  if (members.length !== 1) throw malformedReply(`an event with a repeated "${key}"`);
  return bytes.subarray(members[0]!.value.start, members[0]!.value.end);
}

function indexOf(event: JsonObject): number {
  const index = event.index;
  if (!Number.isInteger(index) || (index as number) < 0) throw malformedReply(`${String(event.event_type)} without a valid index`);
  return index as number;
}
