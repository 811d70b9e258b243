/** The scripted-reply queues (per model, FIFO) and the checks a reply must pass before it is queued. */
import { isRecord, jsonCopy, own } from "./json.js";
import type { ScriptedError, ScriptedReply, ScriptedSteps, StreamOptions } from "./types.js";

const FAULT_KINDS: ReadonlySet<string> = new Set(["error", "cut", "close", "stall"]);

export class ScriptQueue {
  private readonly queues = new Map<string, ScriptedReply[]>();

  add(model: string, replies: readonly ScriptedReply[]): void {
    const queue = this.queues.get(model) ?? [];
    queue.push(...replies.map(snapshotReply));
    this.queues.set(model, queue);
  }

  take(model: string): ScriptedReply | undefined {
    return this.queues.get(model)?.shift();
  }

  clear(): void {
    this.queues.clear();
  }
}

export function isScriptedError(reply: ScriptedReply): reply is ScriptedError {
  return "error" in reply;
}

/**
 * A JSON copy taken when scripted, so later edits by the test cannot change what is served and odd keys
 * (`__proto__`, `constructor`) become plain data; the gate promise is kept as is.
 */
function snapshotReply(reply: ScriptedReply): ScriptedReply {
  const problem = replyProblem(reply);
  if (problem) throw new TypeError(`Invalid scripted reply: ${problem}`);
  if (isScriptedError(reply)) return jsonCopy(reply);
  const { stream, ...rest } = reply;
  const copy: ScriptedSteps = jsonCopy(rest);
  if (stream) {
    const { gate, ...streamRest } = stream;
    const streamCopy: StreamOptions = jsonCopy(streamRest);
    if (gate) streamCopy.gate = { ...jsonCopy({ afterEvents: gate.afterEvents }), until: gate.until };
    copy.stream = streamCopy;
  }
  return copy;
}

/** What is wrong with a reply (from a test or from JSON over the control route), or undefined. */
export function replyProblem(reply: unknown): string | undefined {
  if (!isRecord(reply)) return "a reply must be an object";
  const error = own(reply, "error");
  if (error !== undefined) {
    if (!isRecord(error)) return "`error` must be an object";
    const status = own(error, "status");
    if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
      return "`error.status` must be an HTTP error status (400-599)";
    }
    for (const key of ["code", "message"]) {
      if (own(error, key) !== undefined && typeof own(error, key) !== "string") return `\`error.${key}\` must be a string`;
    }
    for (const key of ["retryAfterSeconds", "retryAfterMs"]) {
      if (own(error, key) !== undefined && typeof own(error, key) !== "number") return `\`error.${key}\` must be a number`;
    }
    return delayProblem(reply);
  }
  if (!Array.isArray(own(reply, "steps"))) return "a reply needs `steps` (an array) or `error`";
  for (const key of ["status", "continuationToken"]) {
    if (own(reply, key) !== undefined && typeof own(reply, key) !== "string") return `\`${key}\` must be a string`;
  }
  const usage = own(reply, "usage");
  if (usage !== undefined && (typeof usage !== "object" || usage === null)) return "`usage` must be an object";
  return delayProblem(reply) ?? streamProblem(own(reply, "stream"));
}

function delayProblem(reply: Record<string, unknown>): string | undefined {
  const delay = own(reply, "delayMs");
  return delay !== undefined && (typeof delay !== "number" || delay < 0) ? "`delayMs` must be a number ≥ 0" : undefined;
}

function streamProblem(stream: unknown): string | undefined {
  if (stream === undefined) return undefined;
  if (!isRecord(stream)) return "`stream` must be an object";
  const pause = own(stream, "pauseMs");
  if (pause !== undefined && (typeof pause !== "number" || pause < 0)) return "`stream.pauseMs` must be a number ≥ 0";
  const fault = own(stream, "fault");
  if (fault !== undefined) {
    if (!isRecord(fault) || typeof own(fault, "afterEvents") !== "number" || !FAULT_KINDS.has(String(own(fault, "kind")))) {
      return "`stream.fault` needs `afterEvents` (a number) and `kind` (error, cut, close or stall)";
    }
  }
  const gate = own(stream, "gate");
  if (gate !== undefined) {
    const until = isRecord(gate) ? own(gate, "until") : undefined;
    // A gate only exists in-process: JSON over the control route cannot carry a promise.
    if (!isRecord(until) || typeof (until as { then?: unknown }).then !== "function") return "`stream.gate.until` must be a promise";
  }
  return undefined;
}
