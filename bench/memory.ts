/**
 * Memory limits: the smallest V8 heap a relay turn fits in (a Node worker thread with a capped
 * heap), and concurrent 10 MB turns in one isolate (workerd, and a Node heap capped at 128 MB).
 */
import { Worker } from "node:worker_threads";
import { RELAY_BINDINGS, RELAY_HEADERS, type Payload } from "./payloads";
import { progress } from "./stats";
import { describe, relayTurn } from "./callers";
import { heapAround, withInspector, type HeapAround } from "./inspector";
import { buildDir, relayBundle } from "./workerd";

const YOUNG_MB = 16;
/** Concurrent 10 MB turns in one isolate (the target: they all complete within a Worker's 128 MB). */
export const CONCURRENT_TURNS = 3;

/** Whether `turns` concurrent relay turns all complete with the V8 old generation capped at `oldMb` (young: YOUNG_MB). */
function fitsIn(oldMb: number, upstream: string, p: Payload, turns = 1): Promise<boolean> {
  const body = new TextEncoder().encode(JSON.stringify(p.turn));
  return new Promise((resolve) => {
    const worker = new Worker(`${buildDir}/heap-cap.mjs`, {
      workerData: { relayBundle, upstream, bindings: RELAY_BINDINGS, headers: RELAY_HEADERS, body, turns },
      transferList: [body.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: oldMb, maxYoungGenerationSizeMb: YOUNG_MB },
      stdout: true,
      stderr: true,
    });
    const timer = setTimeout(() => void worker.terminate(), 30_000);
    let ok = false;
    worker.on("message", (m: { status: number }) => (ok = m.status === 200));
    worker.on("error", () => (ok = false));
    worker.on("exit", () => {
      clearTimeout(timer);
      resolve(ok);
    });
  });
}

/** Bisects the cap in 8 MB steps; returns the total heap (old + young) of the smallest cap that fits. */
export async function smallestHeap(upstream: string, p: Payload): Promise<{ fitsMb: number | null; fitsAt128: boolean }> {
  const step = 8;
  const target = 128 - YOUNG_MB;
  const fitsAt128 = await fitsIn(target, upstream, p);
  let lo = fitsAt128 ? 0 : target; // largest known failure
  let hi = fitsAt128 ? target : 1024 - YOUNG_MB; // smallest known success
  if (!fitsAt128 && !(await fitsIn(hi, upstream, p))) return { fitsMb: null, fitsAt128 };
  while (hi - lo > step) {
    const mid = Math.max(step, Math.round((lo + hi) / 2 / step) * step);
    if (mid >= hi || mid <= lo) break;
    if (await fitsIn(mid, upstream, p)) hi = mid;
    else lo = mid;
  }
  return { fitsMb: hi + YOUNG_MB, fitsAt128 };
}

export interface ConcurrentResult {
  turns: number;
  /** Turns answered 200 with the whole body read. */
  completed: number;
  /** The isolate's heap around the concurrent turns (workerd, fresh isolate). */
  heap?: HeapAround;
  /** The same turns in a Node worker thread whose V8 heap is capped at 128 MB (old + young): all completed? */
  nodeCapped128: boolean;
  error?: string;
}

/** `turns` relay turns sent at once to one fresh relay isolate (workerd), and to a 128 MB-capped Node heap. */
export async function concurrentTurns(emulatorUrl: string, p: Payload, turns: number): Promise<ConcurrentResult> {
  const nodeCapped128 = await fitsIn(128 - YOUNG_MB, emulatorUrl, p, turns);
  try {
    let completed = 0;
    const heap = await withInspector("relay-concurrent", relayBundle, { ...RELAY_BINDINGS, GEMINI_BASE_URL: emulatorUrl }, (call, url) =>
      heapAround(call, async () => {
        const settled = await Promise.allSettled(Array.from({ length: turns }, () => relayTurn(url, p)));
        completed = settled.filter((s) => s.status === "fulfilled").length;
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
        if (failed) progress(`concurrent turns: ${turns - completed} failed; last: ${describe(failed.reason)}`);
      }),
    );
    return { turns, completed, heap, nodeCapped128 };
  } catch (err) {
    return { turns, completed: 0, nodeCapped128, error: describe(err) };
  }
}
