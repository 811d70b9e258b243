/**
 * What the relay answered, read: a unary body or a turn.completed event as a TurnResult appended
 * to the transcript sent, and an event stream as typed TurnEvents, piece by piece as it arrives.
 */
import type { Attempt } from "./attempt.js";
import { RelayProtocolError, problemError } from "./errors.js";
import { objectMembers } from "./json-scan.js";
import { SseParser, type SseMessage } from "./sse.js";
import { pendingCalls } from "./tools.js";
import { adoptStep, type Sha256, type Transcript } from "./transcript.js";
import type { TurnEvent, TurnResult } from "./types.js";
import type { ContentBlock, FunctionCallStep, JsonObject, Step } from "./wire.js";
import type { TextChunks } from "./xhr.js";

/** The SSE messages of a response as they arrive (or all at once where nothing streams, as React Native's fetch). */
export async function* sseMessages(res: Response, attempt: Attempt, url: string): AsyncGenerator<SseMessage> {
  const parser = new SseParser();
  const body = bodyPieces(res);
  if (!body) {
    let text: string;
    try {
      text = await attempt.guard(res.text());
    } catch (err) {
      throw attempt.failure(err, url);
    }
    yield* parser.push(text);
    return;
  }
  try {
    for (;;) {
      const piece = await attempt.guard(body.next()).catch((err: unknown) => {
        throw attempt.failure(err, url);
      });
      if (piece === undefined) break;
      attempt.touch();
      yield* parser.push(piece);
    }
    parser.end();
  } finally {
    body.stop();
  }
}

/**
 * A response body's text, piece by piece as it arrives: from its ReadableStream, or from a transport
 * that streams text without one (xhrFetch, for React Native); undefined when it has neither.
 * `next` resolves undefined at the end; `stop` lets go of the body (read or not).
 */
function bodyPieces(res: Response): { next(): Promise<string | undefined>; stop(): void } | undefined {
  if (res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let ended = false;
    return {
      async next() {
        if (ended) return undefined;
        const chunk = await reader.read();
        if (!chunk.done) return decoder.decode(chunk.value, { stream: true });
        ended = true;
        return decoder.decode();
      },
      stop: () => void reader.cancel().catch(() => {}),
    };
  }
  const chunks = (res as Partial<TextChunks>).textChunks?.call(res)[Symbol.asyncIterator]();
  if (!chunks) return undefined;
  return {
    next: async () => {
      const piece = await chunks.next();
      return piece.done ? undefined : piece.value;
    },
    stop: () => void chunks.return?.(),
  };
}

/** One SSE message as a typed event; `turn.error` is thrown. */
export function turnEvent(message: SseMessage, url: string): TurnEvent {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    if (message.event.startsWith("turn.")) throw new RelayProtocolError(`${url} sent a ${message.event} event whose data is not JSON.`);
    return { type: "upstream", event: message.event, data: message.data };
  }
  const record = (typeof data === "object" && data !== null ? data : {}) as JsonObject;
  switch (message.event) {
    case "turn.step": {
      // The step from its own bytes, so a history built from these events sends them as they came.
      const at = objectMembers(message.data).get("step");
      const step = at ? adoptStep(record.step, message.data.slice(at.start, at.end)) : (record.step as Step);
      return { type: "turn.step", index: Number(record.index), step };
    }
    case "turn.error":
      throw problemError(data, { status: 502, streamed: true });
    case "step.delta": {
      const delta = (typeof record.delta === "object" && record.delta !== null ? record.delta : {}) as JsonObject;
      const index = Number(record.index);
      if (delta.type === "text" && typeof delta.text === "string") return { type: "text.delta", index, text: delta.text };
      if (delta.type === "thought_summary" && typeof delta.content === "object" && delta.content !== null) {
        const content = delta.content as ContentBlock;
        return { type: "thought_summary.delta", index, content, text: typeof content.text === "string" ? content.text : "" };
      }
      return { type: "upstream", event: message.event, data };
    }
    default:
      return { type: "upstream", event: message.event, data };
  }
}

/**
 * A response body (unary, or turn.completed's data) as a TurnResult: full or minimal (the relay says
 * which with Preference-Applied; the body's shape tells), appended to the transcript sent in its
 * exact bytes. The body is parsed once for its fields, and each new step once from its own bytes.
 */
export async function turnResult(text: string, sent: Transcript, url: string, sha256: Sha256, notJson: string): Promise<TurnResult> {
  let appended: Awaited<ReturnType<Transcript["append"]>>;
  try {
    appended = await sent.append(text, sha256);
  } catch (err) {
    if (err instanceof SyntaxError && !isJson(text)) throw new RelayProtocolError(notJson);
    throw new RelayProtocolError(`${url} answered with JSON that is not a turn result the transcript can take: ${(err as Error).message}.`);
  }
  const { transcript, steps, record } = appended;
  if (typeof record.status !== "string") throw new RelayProtocolError(`${url} answered with JSON that is not a turn result (no status).`);
  const { input_steps: _input, base: _base, ...fields } = record;
  const pending = Array.isArray(record.pending_calls)
    ? (record.pending_calls as FunctionCallStep[])
    : (pendingCalls(steps) as FunctionCallStep[]);
  return { ...(fields as unknown as TurnResult), history: transcript.steps, steps, pending_calls: pending, transcript };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
