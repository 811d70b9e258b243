/**
 * The relay's memory over the soak: RSS of its process from /proc, sampled on a timer, and the V8
 * heap of its isolate through an inspector (wrangler's proxy or workerd's own; DevTools protocol,
 * Runtime.getHeapUsage) when that is reachable.
 */
import { rssMb } from "../procfs";
import type { Sample } from "./flatness";

interface HeapUsage {
  usedSize: number;
  totalSize: number;
}

/** A DevTools session on wrangler's inspector proxy, or the reason there is none. */
export interface HeapReader {
  read(): Promise<number | undefined>;
  unavailable?: string;
  close(): void;
}

/** `targetId` picks the relay's isolate when the inspector lists several (workerd's own inspector); else the first. */
export async function heapReader(inspectorPort: number | undefined, targetId?: string): Promise<HeapReader> {
  const none = (unavailable: string): HeapReader => ({ read: async () => undefined, unavailable, close() {} });
  const Socket = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (inspectorPort === undefined) return none("no inspector for this process");
  if (!Socket) return none("no WebSocket in this Node (run with --experimental-websocket)");
  try {
    const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
      id: string;
      webSocketDebuggerUrl: string;
    }[];
    const target = targetId === undefined ? targets[0] : targets.find((t) => t.id === targetId);
    if (!target) return none(`the inspector lists no worker${targetId === undefined ? "" : ` with the id ${targetId}`}`);
    // wrangler's inspector proxy wants an Origin (DNS-rebinding guard); Node's WebSocket takes headers as an extension.
    const ws = new (Socket as unknown as new (url: string, init: { headers: Record<string, string> }) => WebSocket)(
      target.webSocketDebuggerUrl,
      { headers: { origin: "http://127.0.0.1" } },
    );
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve);
      ws.addEventListener("error", reject);
    });
    let nextId = 0;
    const pending = new Map<number, (result: HeapUsage | undefined) => void>();
    ws.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: HeapUsage };
      if (message.id !== undefined) pending.get(message.id)?.(message.result);
      if (message.id !== undefined) pending.delete(message.id);
    });
    const read = () =>
      new Promise<number | undefined>((resolve) => {
        const id = ++nextId;
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(undefined);
        }, 2_000);
        pending.set(id, (result) => {
          clearTimeout(timer);
          resolve(result ? result.usedSize / 2 ** 20 : undefined);
        });
        ws.send(JSON.stringify({ id, method: "Runtime.getHeapUsage" }));
      });
    const first = await read();
    if (first === undefined) {
      ws.close();
      return none("the inspector did not answer Runtime.getHeapUsage");
    }
    return { read, close: () => ws.close() };
  } catch (err) {
    return none(`inspector not reachable: ${(err as Error).message}`);
  }
}

export interface MemoryTrace {
  rss: Sample[];
  heap: Sample[];
}

/**
 * Samples RSS (and the heap, when readable) every `intervalMs` until stopped; `atMs` is since the
 * soak started. The two are taken apart: a busy isolate answers the inspector late, /proc never.
 */
export function sampleMemory(pid: number, heap: HeapReader, intervalMs: number, origin: number): { trace: MemoryTrace; stop(): void } {
  const trace: MemoryTrace = { rss: [], heap: [] };
  let heapPending = false;
  const take = () => {
    const atMs = performance.now() - origin;
    try {
      trace.rss.push({ atMs, mb: rssMb(pid) });
    } catch {
      // the process is gone: the trace ends here
    }
    if (heapPending) return;
    heapPending = true;
    void heap.read().then((used) => {
      heapPending = false;
      if (used !== undefined) trace.heap.push({ atMs, mb: used });
    });
  };
  take();
  const timer = setInterval(take, intervalMs);
  return { trace, stop: () => clearInterval(timer) };
}

/** Samples between two moments (ms since the soak started). */
export function between(samples: readonly Sample[], fromMs: number, toMs: number): Sample[] {
  return samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
}
