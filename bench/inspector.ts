/**
 * A relay inside workerd seen through its inspector (DevTools protocol): the isolate's heap around a
 * turn, and a V8 CPU profile of relay turns.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { summarizeProfile, type CpuProfile, type ProfileSummary } from "./profile";
import { RELAY_BINDINGS, type Payload } from "./payloads";
import { describe, relayStreamTurn, relayTurn } from "./callers";
import { naiveBindings, relayBundle, serve, stop, workers } from "./workerd";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface HeapUsage {
  usedSize: number;
  totalSize: number;
  /** ArrayBuffer backing stores (outside the V8 heap; request and response bytes live there). */
  backingStorageSize?: number;
}

/** The isolate's heap around some work: before, right after, and the largest figures seen in between. */
export interface HeapAround {
  before: HeapUsage;
  after: HeapUsage;
  /** Largest `usedSize` polled during the work and right after it (a lower bound of the true peak). */
  peakUsed: number;
  /** Largest `usedSize + backingStorageSize` seen the same way (undefined if workerd does not report it). */
  peakWithBuffers?: number;
  /** How many heap readings the work yielded (the isolate answers only between its tasks). */
  samples: number;
}

export interface InspectResult {
  /** V8 heap of the relay's isolate (bytes) around its first turn, from a fresh isolate. */
  heap?: HeapAround;
  profile?: ProfileSummary;
  /** The same for streamed turns (SSE read to the end), when asked for. */
  streamProfile?: ProfileSummary;
  error?: string;
}

type InspectorCall = <T>(method: string, params?: object) => Promise<T>;

/** Starts `script` in its own workerd with the inspector on, and runs `use` against it over the DevTools protocol. */
export async function withInspector<T>(
  name: string,
  script: string,
  bindings: Record<string, string>,
  use: (call: InspectorCall, url: string) => Promise<T>,
): Promise<T> {
  const Socket = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (!Socket) throw new Error("no WebSocket in this Node (run with --experimental-websocket)");
  const port = await freePort();
  const served = await serve(name, script, bindings, port);
  try {
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { id: string; webSocketDebuggerUrl: string }[];
    const target = targets.find((t) => t.id === `core:user:${name}`);
    if (!target) throw new Error(`the inspector target of ${name} is missing`);
    const ws = new Socket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.addEventListener("open", resolve);
      ws.addEventListener("error", reject);
    });
    let nextId = 0;
    const pending = new Map<number, (result: unknown) => void>();
    ws.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) pending.get(message.id)?.(message.result);
    });
    const call: InspectorCall = <R>(method: string, params: object = {}) =>
      new Promise<R>((resolve) => {
        const id = ++nextId;
        pending.set(id, resolve as (result: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      });
    try {
      return await use(call, served.url);
    } finally {
      ws.close();
    }
  } finally {
    await stop(served);
  }
}

/**
 * The isolate's heap while `work` runs: polled through the inspector (every ~1 ms; workerd answers
 * between the isolate's tasks, never in the middle of one), and read once more right after. V8 may
 * collect garbage between two readings, so the largest reading is a lower bound of the true peak.
 * workerd does not answer HeapProfiler.collectGarbage, so a fresh isolate is the clean baseline.
 */
export async function heapAround(call: InspectorCall, work: () => Promise<unknown>): Promise<HeapAround> {
  const before = await call<HeapUsage>("Runtime.getHeapUsage");
  let peakUsed = before.usedSize;
  let peakWithBuffers: number | undefined;
  let samples = 0;
  const record = (usage: HeapUsage) => {
    samples += 1;
    peakUsed = Math.max(peakUsed, usage.usedSize);
    if (usage.backingStorageSize !== undefined) peakWithBuffers = Math.max(peakWithBuffers ?? 0, usage.usedSize + usage.backingStorageSize);
  };
  let running = true;
  const poller = (async () => {
    while (running) {
      record(await call<HeapUsage>("Runtime.getHeapUsage"));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await poller;
  }
  const after = await call<HeapUsage>("Runtime.getHeapUsage");
  record(after);
  return { before, after, peakUsed, ...(peakWithBuffers !== undefined ? { peakWithBuffers } : {}), samples };
}

/**
 * A relay in its own workerd with the inspector on: the isolate's heap around its first turn, a CPU
 * profile of `profileTurns` unary turns and, with `streamTurns`, one of that many streamed turns.
 */
export async function inspectRelay(emulatorUrl: string, p: Payload, profileTurns: number, streamTurns = 0): Promise<InspectResult> {
  try {
    return await withInspector("relay-inspect", relayBundle, { ...RELAY_BINDINGS, GEMINI_BASE_URL: emulatorUrl }, async (call, url) => {
      const result: InspectResult = { heap: await heapAround(call, () => relayTurn(url, p)) };
      /** `turns` turns of `turn` under the profiler, after two of warm-up (JIT), by module. */
      const profiled = async (turn: (url: string, p: Payload) => Promise<unknown>, turns: number): Promise<ProfileSummary> => {
        for (let i = 0; i < 2; i++) await turn(url, p);
        await call("Profiler.enable");
        await call("Profiler.setSamplingInterval", { interval: 100 });
        await call("Profiler.start");
        for (let i = 0; i < turns; i++) await turn(url, p);
        const { profile } = await call<{ profile: CpuProfile }>("Profiler.stop");
        return summarizeProfile(
          profile,
          relayBundle,
          (url) => url === "index.js" || url.endsWith("/index.js"),
          (url) =>
            url.startsWith("node-internal:") || url.startsWith("cloudflare-internal:")
              ? "workerd built-in JS"
              : url === ""
                ? "native (no JS frame)"
                : url,
          turns,
        );
      };
      if (profileTurns > 0) result.profile = await profiled(relayTurn, profileTurns);
      if (streamTurns > 0) result.streamProfile = await profiled(relayStreamTurn, streamTurns);
      return result;
    });
  } catch (err) {
    return { error: describe(err) };
  }
}

/** The naive relay's isolate heap around its first turn, the same way (for comparison). */
export async function inspectNaive(emulatorUrl: string, p: Payload): Promise<InspectResult> {
  try {
    return {
      heap: await withInspector("naive-inspect", workers.naive, naiveBindings(emulatorUrl), (call, url) =>
        heapAround(call, () => relayTurn(url, p)),
      ),
    };
  } catch (err) {
    return { error: describe(err) };
  }
}
