/**
 * The SSE events of one interaction (§6 of the wire notes): lifecycle events around step.start → step.delta* →
 * step.stop per step. Deltas are chosen so that the §6.5 rebuild yields exactly the non-streamed steps: whatever
 * a delta cannot carry stays in step.start.
 */
import { isRecord, objectJson, objectJsonWithout, own, type JsonRecord } from "./json.js";

export interface SseEvent {
  /** The `event:` line; `data` repeats it as `event_type` (except the final `done`). */
  type: string;
  /** One line of JSON (or `[DONE]`). */
  data: string;
}

export interface InteractionSummary {
  id: string;
  model: string;
  status: string;
  created: string;
  updated: string;
  usage: unknown;
  continuationToken?: string;
}

const TEXT_CHUNK = 12;
const MEDIA_TYPES: ReadonlySet<string> = new Set(["image", "audio", "video", "document"]);
const SERVER_TOOL_FIELDS = ["arguments", "result", "is_error", "signature"] as const;

function event(type: string, fields: string): SseEvent {
  return { type, data: `{${fields}${fields === "" ? "" : ","}"event_type":${JSON.stringify(type)}}` };
}

export function createdEvent(summary: InteractionSummary): SseEvent {
  const interaction = objectJson([
    ["id", summary.id],
    ["status", "in_progress"],
    ["object", "interaction"],
    ["model", summary.model],
  ]);
  return event("interaction.created", `"interaction":${interaction}`);
}

export function statusUpdateEvent(id: string, status: string, continuationToken?: string): SseEvent {
  const fields = objectJson([
    ["interaction_id", id],
    ["status", status],
    ["continuation_token", continuationToken],
  ]);
  return event("interaction.status_update", fields.slice(1, -1));
}

export function completedEvent(summary: InteractionSummary): SseEvent {
  const interaction = objectJson([
    ["id", summary.id],
    ["status", summary.status],
    ["usage", summary.usage],
    ["created", summary.created],
    ["updated", summary.updated],
    ["service_tier", "standard"],
    ["object", "interaction"],
    ["model", summary.model],
    ["continuation_token", summary.continuationToken],
  ]);
  return event("interaction.completed", `"interaction":${interaction}`);
}

export function errorEvent(code: string, message: string): SseEvent {
  return event(
    "error",
    `"error":${objectJson([
      ["code", code],
      ["message", message],
    ])}`,
  );
}

export const DONE_EVENT: SseEvent = { type: "done", data: "[DONE]" };

/** All events of a successful stream, from interaction.created to done. */
export function interactionEvents(summary: InteractionSummary, steps: readonly unknown[], checkpointToken?: string): SseEvent[] {
  return [
    createdEvent(summary),
    statusUpdateEvent(summary.id, "in_progress", checkpointToken),
    ...steps.flatMap((step, index) => stepEvents(step, index)),
    completedEvent(summary),
    DONE_EVENT,
  ];
}

/** step.start, the deltas, step.stop for one step. */
export function stepEvents(step: unknown, index: number): SseEvent[] {
  const { start, deltas } = isRecord(step) ? splitStep(step) : { start: JSON.stringify(step), deltas: [] };
  return [
    event("step.start", `"index":${index},"step":${start}`),
    ...deltas.map((delta) => event("step.delta", `"index":${index},"delta":${delta}`)),
    event("step.stop", `"index":${index}`),
  ];
}

interface SplitStep {
  /** JSON of the step as step.start carries it. */
  start: string;
  /** JSON of each delta, in order. */
  deltas: string[];
}

function splitStep(step: JsonRecord): SplitStep {
  const type = own(step, "type");
  if (type === "model_output") return splitModelOutput(step);
  if (type === "thought") return splitThought(step);
  if (type === "function_call") return splitFunctionCall(step);
  if (typeof type === "string" && /_(call|result)$/.test(type) && type !== "function_result") return splitServerTool(step, type);
  return { start: JSON.stringify(step), deltas: [] };
}

function splitModelOutput(step: JsonRecord): SplitStep {
  const content = own(step, "content");
  if (!Array.isArray(content) || content.length === 0) return { start: JSON.stringify(step), deltas: [] };
  // Blocks up to the last one a delta cannot rebuild are seeded in step.start; the rest stream as deltas.
  let seeded = 0;
  content.forEach((block, index) => {
    if (!deltaCanRebuild(block, content[index - 1])) seeded = index + 1;
  });
  const start =
    seeded === 0
      ? objectJsonWithout(step, new Set(["content"]))
      : objectJsonWithout(step, new Set(), new Map([["content", content.slice(0, seeded)]]));
  return { start, deltas: content.slice(seeded).flatMap(blockDeltas) };
}

/**
 * A text block is rebuilt from `text` deltas appended to the last block (so it must not follow another text
 * block) plus an optional text_annotation_delta; a media block is rebuilt from one delta holding the whole block.
 */
function deltaCanRebuild(block: unknown, previous: unknown): boolean {
  if (!isRecord(block)) return false;
  const type = own(block, "type");
  if (typeof type === "string" && MEDIA_TYPES.has(type)) return true;
  if (type !== "text" || typeof own(block, "text") !== "string") return false;
  if (isRecord(previous) && own(previous, "type") === "text") return false;
  const annotations = own(block, "annotations");
  if (annotations !== undefined && !Array.isArray(annotations)) return false;
  return Object.keys(block).every((key) => key === "type" || key === "text" || key === "annotations");
}

function blockDeltas(block: unknown): string[] {
  if (!isRecord(block) || own(block, "type") !== "text") return [JSON.stringify(block)];
  const deltas = chunkText(String(own(block, "text"))).map((text) =>
    objectJson([
      ["text", text],
      ["type", "text"],
    ]),
  );
  const annotations = own(block, "annotations");
  if (annotations !== undefined)
    deltas.push(
      objectJson([
        ["annotations", annotations],
        ["type", "text_annotation_delta"],
      ]),
    );
  return deltas;
}

function splitThought(step: JsonRecord): SplitStep {
  const summary = own(step, "summary");
  const signature = own(step, "signature");
  const streamSummary = Array.isArray(summary) && summary.length > 0 && summary.every(isRecord);
  const omit = new Set<string>();
  const deltas: string[] = [];
  if (streamSummary) {
    omit.add("summary");
    for (const content of summary)
      deltas.push(
        objectJson([
          ["content", content],
          ["type", "thought_summary"],
        ]),
      );
  }
  // The signature is always the last delta of a thought: clients that read it only from step.start lose it.
  if (typeof signature === "string") {
    omit.add("signature");
    deltas.push(
      objectJson([
        ["signature", signature],
        ["type", "thought_signature"],
      ]),
    );
  }
  return { start: objectJsonWithout(step, omit), deltas };
}

function splitFunctionCall(step: JsonRecord): SplitStep {
  if (!Object.prototype.hasOwnProperty.call(step, "arguments")) return { start: JSON.stringify(step), deltas: [] };
  const fragments = chunkFixed(JSON.stringify(own(step, "arguments")));
  return {
    start: objectJsonWithout(step, new Set(), new Map([["arguments", {}]])),
    deltas: fragments.map((fragment) =>
      objectJson([
        ["arguments", fragment],
        ["type", "arguments_delta"],
      ]),
    ),
  };
}

/** Server-side tool steps: the typed delta carries arguments/result/is_error/signature, merged into the step. */
function splitServerTool(step: JsonRecord, type: string): SplitStep {
  const carried = Object.keys(step).filter((key) => (SERVER_TOOL_FIELDS as readonly string[]).includes(key));
  if (carried.length === 0) return { start: JSON.stringify(step), deltas: [] };
  const delta = objectJson([["type", type], ...carried.map((key) => [key, own(step, key)] as const)]);
  return { start: objectJsonWithout(step, new Set(carried)), deltas: [delta] };
}

/** Text split after whitespace once a piece reaches ~12 characters (hard cut at 24); never inside a code point. */
export function chunkText(text: string, size = TEXT_CHUNK): string[] {
  const points = Array.from(text);
  const chunks: string[] = [];
  let current = "";
  let count = 0;
  points.forEach((point, index) => {
    current += point;
    count += 1;
    const next = points[index + 1];
    const wordEnds = /\s/.test(point) && next !== undefined && !/\s/.test(next);
    if ((count >= size && wordEnds) || count >= size * 2) {
      chunks.push(current);
      current = "";
      count = 0;
    }
  });
  if (current !== "" || chunks.length === 0) chunks.push(current);
  return chunks;
}

function chunkFixed(text: string, size = TEXT_CHUNK): string[] {
  const points = Array.from(text);
  const chunks: string[] = [];
  for (let index = 0; index < points.length; index += size) chunks.push(points.slice(index, index + size).join(""));
  return chunks.length > 0 ? chunks : [""];
}

export function frame(sse: SseEvent): string {
  return `event: ${sse.type}\ndata: ${sse.data}\n\n`;
}
