/**
 * The loopback phase's workers, each in its own workerd process (Miniflare with a direct socket per
 * worker, so no Miniflare entry proxy sits in the path), and the settings every part of the phase shares.
 */
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { RELAY_BINDINGS } from "./payloads";
import { childProcesses } from "./procfs";

export const buildDir = process.env.BENCH_BUILD!;
export const relayBundle = process.env.BENCH_RELAY_BUNDLE!;
export const quick = process.env.BENCH_QUICK === "1";
export const KEY = "bench-key-0123456789";
const COMPATIBILITY_DATE = "2026-04-20";

export interface Served {
  name: string;
  mf: Miniflare;
  url: string;
  pid: number;
}
const running = new Set<Served>();

/**
 * Starts one worker in its own workerd. The script is handed over as module contents, so Miniflare
 * does not parse it on the Node side (a 1.3 MB bundle would cost it ~0.5 s per start).
 */
export async function serve(name: string, scriptPath: string, bindings: Record<string, string>, inspectorPort?: number): Promise<Served> {
  const before = new Set(childProcesses().keys());
  const mf = new Miniflare({
    name,
    modules: [{ type: "ESModule", path: "/bench/index.js", contents: readFileSync(scriptPath, "utf8") }],
    modulesRoot: "/bench",
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    cf: false,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    ...(inspectorPort ? { inspectorPort } : {}),
    // The relay logs a line per request: drained, so stdout stays the report's. Errors go to stderr.
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      if (process.env.BENCH_VERBOSE) stdout.on("data", (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
      else stdout.resume();
      stderr.on("data", (chunk: Buffer) => {
        if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
      });
    },
  });
  const served: Served = { name, mf, url: "", pid: 0 };
  running.add(served);
  await mf.ready;
  served.url = (await mf.unsafeGetDirectURL()).origin;
  const pids = [...childProcesses()].filter(([pid, comm]) => comm === "workerd" && !before.has(pid));
  if (pids.length !== 1) throw new Error(`expected one new workerd for ${name}, found ${pids.length}`);
  served.pid = pids[0]![0];
  return served;
}

export async function stop(served: Served | undefined): Promise<void> {
  if (!served) return;
  running.delete(served);
  await served.mf.dispose();
}

export async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((s) => stop(s)));
}

export const workers = {
  micro: `${buildDir}/workers/micro.mjs`,
  emulator: `${buildDir}/workers/emulator.mjs`,
  floor: `${buildDir}/workers/floor.mjs`,
  parseFloor: `${buildDir}/workers/parse-floor.mjs`,
  naive: `${buildDir}/workers/naive-relay.mjs`,
};

export interface Stack {
  emulator: Served;
  floor: Served;
  parseFloor: Served;
  naive: Served;
  relay: Served;
}

/** A fresh set of processes, started one by one so each pid is known. */
export async function startStack(): Promise<Stack> {
  const emulator = await serve("emulator", workers.emulator, {});
  const floor = await serve("floor", workers.floor, { UPSTREAM_URL: emulator.url });
  const parseFloor = await serve("parse-floor", workers.parseFloor, { UPSTREAM_URL: emulator.url });
  const naive = await serve("naive-relay", workers.naive, naiveBindings(emulator.url));
  const relay = await serve("relay", relayBundle, { ...RELAY_BINDINGS, GEMINI_BASE_URL: emulator.url });
  return { emulator, floor, parseFloor, naive, relay };
}

export const naiveBindings = (upstream: string) => ({ GEMINI_API_KEY: KEY, UPSTREAM_URL: upstream });

export async function stopStack(stack: Stack): Promise<void> {
  await Promise.all([stop(stack.relay), stop(stack.naive), stop(stack.parseFloor), stop(stack.floor), stop(stack.emulator)]);
}
