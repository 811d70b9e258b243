/** Serves prepared SSE events as a streaming body, with pauses, a test gate and injected faults (error, cut, close, stall). */
import { errorEvent, frame, type SseEvent } from "./stream-events";
import type { StreamOptions } from "./types";

export interface SseLifecycle {
  /** The caller's request signal: an abort errors the body, as a real connection drop would. */
  signal: AbortSignal;
  /** Called once if the caller aborts or cancels the body before the emulator finished. */
  onAbort(): void;
}

const DEFAULT_FAULT_ERROR = { code: "deadline_exceeded", message: "Deadline expired before operation could complete." };

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
  /** Resolves after `promise` settles or when the caller goes away, whichever is first. */
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
  const pause = (ms: number): Promise<void> => until(new Promise((resolve) => setTimeout(resolve, ms)));

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const onAbort = (): void => {
        if (finished || stopped) return;
        stop();
        controller.error(lifecycle.signal.reason ?? new DOMException("The operation was aborted.", "AbortError"));
      };
      lifecycle.signal.addEventListener("abort", onAbort, { once: true });
      const finish = (): void => {
        finished = true;
        lifecycle.signal.removeEventListener("abort", onAbort);
      };
      void (async () => {
        const { fault, gate } = options;
        for (let sent = 0; ; sent += 1) {
          if (gate && sent === (gate.afterEvents ?? 1)) await until(gate.until);
          if (stopped) return;
          if (fault && sent === fault.afterEvents) {
            if (fault.kind === "stall") {
              // Holds the connection open until the caller gives up; stop() ends the wait.
              await until(new Promise(() => undefined));
              return;
            }
            finish();
            if (fault.kind === "error") {
              const error = { ...DEFAULT_FAULT_ERROR, ...fault.error };
              controller.enqueue(encoder.encode(frame(errorEvent(error.code, error.message))));
              controller.close();
            } else if (fault.kind === "cut") controller.error(new TypeError("terminated"));
            else controller.close();
            return;
          }
          const next = events[sent];
          if (next === undefined) break;
          if (sent > 0 && options.pauseMs) await pause(options.pauseMs);
          if (stopped) return;
          controller.enqueue(encoder.encode(frame(next)));
        }
        finish();
        controller.close();
      })().catch(() => {
        // Only reachable when the caller tore the stream down between two checks; there is nobody left to tell.
      });
    },
    cancel() {
      stop();
    },
  });

  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}
