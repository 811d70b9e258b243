/**
 * One server-sent-events answer around an upstream stream, for both streaming routes. The upstream
 * call is given `waitMs` to answer: a refusal within it keeps its HTTP status (429, 400, ...);
 * past it the response starts anyway (headers and a first comment, then keep-alives), so a slow
 * first byte upstream never meets a proxy's idle timeout, and a later refusal arrives as the
 * route's failure event. The caller's disconnect aborts the upstream call.
 */
import type { Context } from "hono";
import { joinPieces, type Piece } from "../json/bytes";
import { decodeUtf8 } from "../json/scan";
import { keepAlive } from "./keep-alive";

export interface SseMessage {
  event: string;
  /** Text, or JSON the relay spliced, as bytes or as pieces (written as they are when they hold no line break). */
  data: string | Uint8Array | readonly Piece[];
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
  // Built while the upstream call is under way, not after it answered: the first event waits for nothing it could have had ready.
  const body = new SseBody(() => options.session.abort());
  const early = await settledWithin(options.open, options.waitMs);
  if (early && "error" in early) throw early.error;
  void (async () => {
    const alive = keepAlive(body, options.keepAliveMs);
    try {
      if (!early) await body.write(": waiting for the Gemini API\n\n");
      const opened = early ? early.value : await options.open;
      for await (const message of options.messages(opened)) {
        alive.wrote();
        await writeMessage(body, message);
      }
    } catch (err) {
      if (!body.aborted) await writeMessage(body, options.failure(err));
    } finally {
      alive.stop();
      body.close();
    }
  })();
  c.header("Transfer-Encoding", "chunked");
  c.header("Content-Type", "text/event-stream");
  c.header("Cache-Control", "no-cache");
  c.header("Connection", "keep-alive");
  return c.newResponse(body.stream);
}

const encoder = new TextEncoder();

/** How an answer's body ended: the bytes written to it, and whether the caller took them all or left. */
export type BodyEnd = (bytes: number, outcome: "sent" | "aborted") => void;

/** Each SseBody by the stream it answers with, so observe() can hear its end without a stream of its own in between. */
const bodies = new WeakMap<ReadableStream<Uint8Array>, SseBody>();

/** The SseBody behind a response body, if it is one. */
export function sseBodyOf(stream: ReadableStream<Uint8Array> | null): SseBody | undefined {
  return stream ? bodies.get(stream) : undefined;
}

/**
 * The answer's body, written to as events arrive. An event is queued on the stream the runtime is
 * reading at once, without waiting for it to be taken (a pass-through stream's writer waits for
 * each chunk to be read, a round trip per write before the next event is even looked at); a write
 * waits only when what was queued has not been taken yet, until the runtime asks for more
 * (backpressure: a caller that reads slower than the upstream sends holds the upstream back).
 *
 * It counts the bytes written and says once how the body ended (`onEnd`): sent, when the runtime has
 * taken everything up to the close; aborted, when the caller left first (the bytes so far include
 * the chunk, if any, still queued for it: a stream does not say what of its queue was read).
 */
export class SseBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Nothing more is written: the caller went away (the body was cancelled), or the body was closed. */
  aborted = false;
  /** Bytes queued on the stream so far. */
  written = 0;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  /** Resolved when the caller takes a chunk: every write waiting for room (the events, keep-alives) goes on. */
  private room?: { promise: Promise<void>; resolve: () => void };
  /** Closed while chunks were still queued: the stream ends when the runtime has taken them. */
  private closing = false;
  private ended?: "sent" | "aborted";
  private endListener?: BodyEnd;

  constructor(onAbort: () => void) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      pull: () => {
        if (this.closing) this.end();
        this.release();
      },
      cancel: () => {
        this.aborted = true;
        this.release();
        this.report("aborted");
        onAbort();
      },
    });
    bodies.set(this.stream, this);
  }

  /** Calls `listener` once, when the body has ended (at once if it already has). */
  onEnd(listener: BodyEnd): void {
    this.endListener = listener;
    if (this.ended) listener(this.written, this.ended);
  }

  /** Queues text or bytes; resolves once there is room for more. Nothing is written after an abort. */
  async write(chunk: string | Uint8Array): Promise<void> {
    this.queue(chunk);
    if (this.aborted || (this.controller.desiredSize ?? 1) > 0) return;
    if (!this.room) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.room = { promise, resolve };
    }
    await this.room.promise;
  }

  /** Queues a chunk without waiting (the next write waits for room). */
  queue(chunk: string | Uint8Array): void {
    if (this.aborted) return;
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    this.written += bytes.byteLength;
    this.controller.enqueue(bytes);
  }

  /** Ends the body once the runtime has taken what is queued (at once when nothing is). */
  close(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.release();
    if ((this.controller.desiredSize ?? 1) > 0) this.end();
    else this.closing = true;
  }

  private end(): void {
    this.closing = false;
    this.controller.close();
    this.report("sent");
  }

  private report(outcome: "sent" | "aborted"): void {
    if (this.ended) return;
    this.ended = outcome;
    this.endListener?.(this.written, outcome);
  }

  private release(): void {
    this.room?.resolve();
    this.room = undefined;
  }
}

/**
 * One event. Spliced bytes go out as they are, without a decode and re-encode of a whole transcript
 * and without first joining its pieces into one buffer (a 10 MB history is not copied again), unless
 * they hold a line break (whitespace a caller's history may have between tokens), which SSE must
 * split over several `data:` lines.
 */
async function writeMessage(body: SseBody, { event, data }: SseMessage): Promise<void> {
  // A name with a line break would end the field early and forge another: never written.
  if (/[\r\n]/.test(event)) throw new Error("An SSE event name must not contain a line break.");
  if (typeof data !== "string") {
    const pieces = data instanceof Uint8Array ? [data] : data.map((piece) => (typeof piece === "string" ? encoder.encode(piece) : piece));
    if (pieces.every((piece) => piece.indexOf(0x0a) < 0 && piece.indexOf(0x0d) < 0)) {
      const out = chunks([encoder.encode(`event: ${event}\ndata: `), ...pieces, encoder.encode("\n\n")]);
      for (const chunk of out.slice(0, -1)) body.queue(chunk);
      return body.write(out.at(-1)!);
    }
    data = decodeUtf8(joinPieces(pieces));
  }
  const lines = /[\r\n]/.test(data) ? data.split(/\r\n|\r|\n/).join("\ndata: ") : data;
  return body.write(`event: ${event}\ndata: ${lines}\n\n`);
}

/** Pieces at least this large are queued as they are; smaller ones are joined with their neighbours. */
const LARGE_PIECE = 16 * 1024;

/** The pieces as stream chunks: each run of small pieces joined into one chunk (not one write each), large ones as they are (no copy). */
function chunks(pieces: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let run: Uint8Array[] = [];
  for (const piece of pieces) {
    if (piece.byteLength < LARGE_PIECE) {
      run.push(piece);
      continue;
    }
    if (run.length > 0) out.push(joinPieces(run));
    run = [];
    out.push(piece);
  }
  if (run.length > 0) out.push(joinPieces(run));
  return out;
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
