/**
 * The loopback phase's workers, each in its own workerd process (Miniflare with a direct socket per
 * worker, so no Miniflare entry proxy sits in the path), and the settings every part of the phase shares.
 */
import type { Miniflare } from "miniflare";
import { unstable_readConfig } from "wrangler";
import { startDirectWorker } from "./miniflare-direct";
import { RELAY_BINDINGS } from "./payloads";

export const buildDir = process.env.BENCH_BUILD!;
export const relayBundle = process.env.BENCH_RELAY_BUNDLE!;
export const quick = process.env.BENCH_QUICK === "1";
export const KEY = "bench-key-0123456789";

export interface Served {
  name: string;
  mf: Miniflare;
  url: string;
  pid: number;
}
const running = new Set<Served>();

/** The relay's own compatibility settings (wrangler.toml), for every worker of the phase. */
const { compatibility_date: compatibilityDate, compatibility_flags: compatibilityFlags } = unstable_readConfig({ config: "wrangler.toml" });

/** Starts one worker in its own workerd (see miniflare-direct.ts). */
export async function serve(name: string, scriptPath: string, bindings: Record<string, string>, inspectorPort?: number): Promise<Served> {
  const verbose = (chunk: Buffer) => {
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
  };
  // The relay logs a line per request: drained, so stdout stays the report's.
  const worker = await startDirectWorker({
    name,
    script: scriptPath,
    compatibilityDate,
    compatibilityFlags,
    bindings,
    inspectorPort,
    onStdout: verbose,
    onStderr: verbose,
  });
  const served: Served = { name, ...worker };
  running.add(served);
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
  attestation: `${buildDir}/workers/attestation.mjs`,
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
