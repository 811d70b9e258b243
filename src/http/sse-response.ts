/**
 * One server-sent-events answer around an upstream stream, for both streaming routes. The upstream
 * call is given `waitMs` to answer: a refusal within it keeps its HTTP status (429, 400, ...);
 * past it the response starts anyway (headers and a first comment, then keep-alives), so a slow
 * first byte upstream never meets a proxy's idle timeout, and a later refusal arrives as the
 * route's failure event. The caller's disconnect aborts the upstream call.
 */
import type { Context } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import { decodeUtf8 } from "../json/scan";
import { keepAlive } from "./keep-alive";

export interface SseMessage {
  event: string;
  /** Text, or JSON bytes the relay spliced (written as they are when they hold no line break). */
  data: string | Uint8Array;
}

export interface StreamResponseOptions<T> {
  /** The upstream session (upstream/session.ts), aborted when the caller goes away. */
  session: { abort(): void };
  /** The upstream call that opens the stream. */
  open: Promise<T>;
  waitMs: number;
  keepAliveMs: number;
  /** Every message of the answer, once the upstream stream is open. */
  messages(opened: T): AsyncIterable<SseMessage>;
  /** The last message when the answer fails after it began. */
  failure(err: unknown): SseMessage;
}

export async function streamResponse<T>(c: Context, options: StreamResponseOptions<T>): Promise<Response> {
  const early = await settledWithin(options.open, options.waitMs);
  if (early && "error" in early) throw early.error;
  return streamSSE(c, async (sse) => {
    sse.onAbort(() => options.session.abort());
    const alive = keepAlive(sse, options.keepAliveMs);
    try {
      if (!early) await sse.write(": waiting for the Gemini API\n\n");
      const opened = early ? early.value : await options.open;
      for await (const message of options.messages(opened)) {
        alive.wrote();
        await writeMessage(sse, message);
      }
    } catch (err) {
      if (!sse.aborted) await writeMessage(sse, options.failure(err));
    } finally {
      alive.stop();
    }
  });
}

/**
 * One event. Spliced bytes go out as they are, without a decode and re-encode of a whole transcript,
 * unless they hold a line break (whitespace a caller's history may have between tokens), which SSE
 * must split over several `data:` lines.
 */
async function writeMessage(sse: SSEStreamingApi, { event, data }: SseMessage): Promise<void> {
  if (typeof data === "string") return sse.writeSSE({ event, data });
  if (data.indexOf(0x0a) >= 0 || data.indexOf(0x0d) >= 0) return sse.writeSSE({ event, data: decodeUtf8(data) });
  await sse.write(`event: ${event}\ndata: `);
  await sse.write(data);
  await sse.write("\n\n");
}

/** The promise's outcome if it settles within `ms`, else undefined (it is still awaited later). */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<{ value: T } | { error: unknown } | undefined> {
  promise.catch(() => {}); // a refusal after the wait is awaited (and reported) inside the stream
  let timer: number | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms) as unknown as number));
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
