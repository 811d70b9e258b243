/** Serves prepared SSE events as a streaming body, with pauses, a test gate and injected faults (error, cut, close, stall). */
import { errorEvent, frame, type SseEvent } from "./stream-events.js";
import type { StreamOptions } from "./types.js";

export interface SseLifecycle {
  /** The caller's request signal: an abort errors the body, as a real connection drop would. */
  signal: AbortSignal;
  /** Called once if the caller aborts or cancels the body before the emulator finished. */
  onAbort(): void;
}

const DEFAULT_FAULT_ERROR = { code: "deadline_exceeded", message: "Deadline expired before operation could complete." };
const CUT = Symbol("cut");

export function sseResponse(events: readonly SseEvent[], options: StreamOptions, lifecycle: SseLifecycle): Response {
  const encoder = new TextEncoder();
  let finished = false;
  let stopped = false;
  let wake: (() => void) | undefined;

  const stop = (): void => {
    if (finished || stopped) return;
    stopped = true;
    lifecycle.onAbort();
    wake?.();
  };
  /** Resolves once `promise` settles or the caller goes away, whichever comes first. */
  const until = (promise: PromiseLike<unknown>): Promise<void> =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      wake = resolve;
      promise.then(
        () => resolve(),
        () => resolve(),
      );
    }).finally(() => {
      wake = undefined;
    });

  let onAbort: (() => void) | undefined;
  const finish = (): void => {
    finished = true;
    if (onAbort) lifecycle.signal.removeEventListener("abort", onAbort);
  };

  /** What to send, one item per pull: the caller only gets event N+1 after reading event N. */
  async function* produce(): AsyncGenerator<Uint8Array | typeof CUT> {
    const { fault, gate, pauseMs } = options;
    for (let sent = 0; ; sent += 1) {
      if (gate && sent === (gate.afterEvents ?? 1)) await until(gate.until);
      if (stopped) return;
      if (fault && sent === fault.afterEvents) {
        if (fault.kind === "stall") await until(new Promise(() => undefined));
        else if (fault.kind === "error") {
          const error = { ...DEFAULT_FAULT_ERROR, ...fault.error };
          finish();
          yield encoder.encode(frame(errorEvent(error.code, error.message)));
        } else if (fault.kind === "cut") yield CUT;
        return;
      }
      const next = events[sent];
      if (next === undefined) return;
      if (sent > 0 && pauseMs) await until(new Promise((resolve) => setTimeout(resolve, pauseMs)));
      if (stopped) return;
      // Once the last event is handed over the answer is complete: a reader that cancels after [DONE] did not abort.
      if (sent === events.length - 1 && fault?.afterEvents !== events.length) finish();
      yield encoder.encode(frame(next));
    }
  }
  const items = produce();

  // highWaterMark 0: nothing is produced ahead of the reader, so a cut or error lands after what was already read,
  // as on a real connection (erroring a stream drops the chunks still queued in it).
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => {
          if (finished || stopped) return;
          stop();
          controller.error(lifecycle.signal.reason ?? new DOMException("The operation was aborted.", "AbortError"));
        };
        lifecycle.signal.addEventListener("abort", onAbort, { once: true });
      },
      async pull(controller) {
        const item = await items.next();
        if (stopped) return;
        if (item.done) {
          finish();
          controller.close();
        } else if (item.value === CUT) {
          finish();
          controller.error(new TypeError("terminated"));
        } else controller.enqueue(item.value);
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: 0 },
  );

  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}
