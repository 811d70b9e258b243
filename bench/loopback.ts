/**
 * Phase 2, over real loopback HTTP: every worker runs in its own workerd process (Miniflare, with a
 * direct socket per worker, so no Miniflare entry proxy sits in the path), the client is this Node
 * process.
 *
 *   direct        @google/genai (Node build) → emulator
 *   floor         same SDK call → floor worker → emulator
 *   parse floor   same SDK call → parse-floor worker → emulator
 *   naive relay   fetch POST /v1/turns → Hono + SDK, parse, append, c.json → emulator
 *   relay         fetch POST /v1/turns → relay (the wrangler bundle) → emulator
 *   (stream)      the same with stream: true (SDK stream / SSE from the relay)
 *
 * Measured: latency per turn at concurrency 1, each worker process's CPU per turn (Linux schedstat),
 * its peak RSS, time to first streamed event, throughput at concurrency 1/16/64, worker startup.
 * A second relay points at an emulator served by this Node process, so the upstream's first SSE
 * write and the caller's first event are read on one clock (the streaming lag).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";
import { GoogleGenAI } from "@google/genai";
import { Miniflare } from "miniflare";
import { benchEmulator } from "./emulator-worker";
import { summarizeProfile, type CpuProfile, type ProfileSummary } from "./profile";
import { HISTORIES, RELAY_BINDINGS, RELAY_HEADERS, REPLIES, payload, type HistorySpec, type Payload } from "./payloads";
import { childProcesses, cpuTimes, peakRssMb, resetPeak, rssMb, type CpuTimes } from "./procfs";
import { progress, summarize, type Summary } from "./stats";

const buildDir = process.env.BENCH_BUILD!;
const relayBundle = process.env.BENCH_RELAY_BUNDLE!;
const outFile = process.env.BENCH_OUT!;
const quick = process.env.BENCH_QUICK === "1";
const KEY = "bench-key-0123456789";
const COMPATIBILITY_DATE = "2026-04-20";

// ---------------------------------------------------------------------------------------------
// Workers in workerd

interface Served {
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
async function serve(name: string, scriptPath: string, bindings: Record<string, string>, inspectorPort?: number): Promise<Served> {
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

async function stop(served: Served | undefined): Promise<void> {
  if (!served) return;
  running.delete(served);
  await served.mf.dispose();
}

async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((s) => stop(s)));
}

const workers = {
  micro: `${buildDir}/workers/micro.mjs`,
  emulator: `${buildDir}/workers/emulator.mjs`,
  floor: `${buildDir}/workers/floor.mjs`,
  parseFloor: `${buildDir}/workers/parse-floor.mjs`,
  naive: `${buildDir}/workers/naive-relay.mjs`,
};

interface Stack {
  emulator: Served;
  floor: Served;
  parseFloor: Served;
  naive: Served;
  relay: Served;
}

/** A fresh set of processes, started one by one so each pid is known. */
async function startStack(): Promise<Stack> {
  const emulator = await serve("emulator", workers.emulator, {});
  const floor = await serve("floor", workers.floor, { UPSTREAM_URL: emulator.url });
  const parseFloor = await serve("parse-floor", workers.parseFloor, { UPSTREAM_URL: emulator.url });
  const naive = await serve("naive-relay", workers.naive, naiveBindings(emulator.url));
  const relay = await serve("relay", relayBundle, { ...RELAY_BINDINGS, GEMINI_BASE_URL: emulator.url });
  return { emulator, floor, parseFloor, naive, relay };
}

const naiveBindings = (upstream: string) => ({ GEMINI_API_KEY: KEY, UPSTREAM_URL: upstream });

async function stopStack(stack: Stack): Promise<void> {
  await Promise.all([stop(stack.relay), stop(stack.naive), stop(stack.parseFloor), stop(stack.floor), stop(stack.emulator)]);
}

// ---------------------------------------------------------------------------------------------
// The callers

type PathName = "direct" | "floor" | "parse floor" | "naive relay" | "relay" | "direct stream" | "relay stream";
const LATENCY_PATHS: readonly PathName[] = ["direct", "floor", "parse floor", "naive relay", "relay", "direct stream", "relay stream"];

interface TurnTiming {
  /** Request start → last byte (or last event) received. */
  totalMs: number;
  /** Request start → first streamed event (stream paths only). */
  firstEventMs?: number;
  /** performance.now() when the first event arrived. */
  firstEventAt?: number;
}

const sdkFor = (baseUrl: string) => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl } });
const SDK_OPTIONS = { maxRetries: 0 } as never;

async function sdkTurn(ai: GoogleGenAI, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const interaction = await ai.interactions.create(p.create as never, SDK_OPTIONS);
  const totalMs = performance.now() - start;
  if (!(interaction as { steps?: unknown[] }).steps?.length) throw new Error("direct: no steps in the answer");
  return { totalMs };
}

async function sdkStreamTurn(ai: GoogleGenAI, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const stream = (await ai.interactions.create({ ...p.create, stream: true } as never, SDK_OPTIONS)) as unknown as AsyncIterable<{ event_type?: string }>;
  let firstEventAt: number | undefined;
  let last: string | undefined;
  for await (const event of stream) {
    firstEventAt ??= performance.now();
    last = event.event_type;
  }
  const totalMs = performance.now() - start;
  if (last !== "interaction.completed") throw new Error(`direct stream: ended with ${last}`);
  return { totalMs, firstEventMs: firstEventAt! - start, firstEventAt };
}

/** The relay caller serializes its body per turn, as the SDK does for the direct caller. The naive relay takes the same body. */
async function relayTurn(url: string, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const response = await fetch(`${url}/v1/turns`, {
    method: "POST",
    headers: RELAY_HEADERS,
    body: JSON.stringify(p.turn),
  });
  const body = await response.arrayBuffer();
  const totalMs = performance.now() - start;
  if (response.status !== 200) throw new Error(`relay: ${response.status} ${new TextDecoder().decode(body).slice(0, 400)}`);
  return { totalMs };
}

async function relayStreamTurn(url: string, p: Payload): Promise<TurnTiming> {
  const start = performance.now();
  const response = await fetch(`${url}/v1/turns`, {
    method: "POST",
    headers: { ...RELAY_HEADERS, accept: "text/event-stream" },
    body: JSON.stringify({ ...p.turn, stream: true }),
  });
  if (response.status !== 200) throw new Error(`relay stream: ${response.status} ${(await response.text()).slice(0, 400)}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let firstEventAt: number | undefined;
  let head = "";
  // The name of the last `event:` line seen (SSE lines; JSON data never holds a raw newline).
  let lastEvent: string | undefined;
  let carry = Buffer.alloc(0);
  const scan = (bytes: Buffer) => {
    const at = bytes.lastIndexOf("\nevent: ");
    const end = at >= 0 ? bytes.indexOf("\n", at + 8) : -1;
    if (end >= 0) lastEvent = bytes.toString("utf8", at + 8, end);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstEventAt === undefined) {
      head += decoder.decode(value, { stream: true });
      if (head.includes("\n\n")) firstEventAt = performance.now();
    }
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    scan(Buffer.concat([carry, bytes.subarray(0, 64)]));
    scan(bytes);
    carry = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 64)));
  }
  const totalMs = performance.now() - start;
  if (lastEvent !== "turn.completed") throw new Error(`relay stream: ended with ${lastEvent}`);
  return { totalMs, firstEventMs: firstEventAt! - start, firstEventAt };
}

function caller(path: PathName, stack: Stack, p: Payload): () => Promise<TurnTiming> {
  switch (path) {
    case "direct":
    case "floor":
    case "parse floor": {
      const ai = sdkFor((workerOf(path, stack) ?? stack.emulator).url);
      return () => sdkTurn(ai, p);
    }
    case "direct stream": {
      const ai = sdkFor(stack.emulator.url);
      return () => sdkStreamTurn(ai, p);
    }
    case "naive relay":
      return () => relayTurn(stack.naive.url, p);
    case "relay":
      return () => relayTurn(stack.relay.url, p);
    case "relay stream":
      return () => relayStreamTurn(stack.relay.url, p);
  }
}

/** The worker process a path adds between the caller and the emulator (none for direct). */
function workerOf(path: PathName, stack: Stack): Served | undefined {
  if (path === "floor") return stack.floor;
  if (path === "parse floor") return stack.parseFloor;
  if (path === "naive relay") return stack.naive;
  if (path === "relay" || path === "relay stream") return stack.relay;
  return undefined;
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return `${String((err as Error)?.message ?? err).slice(0, 240)}${cause ? ` (${cause.code ?? ""} ${cause.message ?? ""})` : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Concurrency 1: latency, CPU per turn, peak memory, time to first event

export interface PathResult {
  latency: Summary;
  /** Turns that failed (not timed, not retried). */
  errors: number;
  firstEvent?: Summary;
  /** CPU of the path's worker process per turn (mean over the measured turns). */
  workerCpu?: CpuTimes;
  /** CPU of the emulator process per turn (the same upstream work on every path). */
  emulatorCpu: CpuTimes;
}

interface ScenarioResult {
  inputBytes: number;
  paths: Record<string, PathResult>;
  /** Peak RSS during the scenario, MB, per process. */
  peakRss: Record<string, number>;
}

function latencyPlan(id: string): { warmup: number; runs: number; rounds: number } {
  const big = id === "10m" || id === "img";
  if (quick) return { warmup: 1, runs: big ? 2 : 4, rounds: 2 };
  if (id === "8k") return { warmup: 10, runs: 100, rounds: 2 };
  if (id === "1m") return { warmup: 2, runs: 20, rounds: 2 };
  return { warmup: 1, runs: 4, rounds: 2 };
}

async function scenario(stack: Stack, p: Payload): Promise<ScenarioResult> {
  const { warmup, runs, rounds } = latencyPlan(p.spec.id);
  const callers = new Map(LATENCY_PATHS.map((path) => [path, caller(path, stack, p)]));
  for (let i = 0; i < warmup; i++) {
    for (const path of LATENCY_PATHS) {
      // A failed warm-up turn is reported, not fatal: the measured turns count their own failures.
      await callers.get(path)!().catch((err: unknown) => progress(`warm-up ${p.spec.id}/${p.reply} ${path} failed: ${describe(err)}`));
    }
  }

  const processes = [stack.emulator, stack.floor, stack.parseFloor, stack.naive, stack.relay];
  for (const proc of processes) resetPeak(proc.pid);
  const latency = new Map<PathName, number[]>();
  const firstEvent = new Map<PathName, number[]>();
  const workerCpu = new Map<PathName, CpuTimes>();
  const emulatorCpu = new Map<PathName, CpuTimes>();
  const errors = new Map<PathName, number>();
  let lastError: string | undefined;
  const add = (map: Map<PathName, CpuTimes>, path: PathName, before: CpuTimes, after: CpuTimes) => {
    const sum = map.get(path) ?? { mainMs: 0, allMs: 0 };
    map.set(path, { mainMs: sum.mainMs + after.mainMs - before.mainMs, allMs: sum.allMs + after.allMs - before.allMs });
  };
  // Paths run in blocks (so a block's CPU is its own), blocks alternate over rounds (so drift is shared).
  const perBlock = Math.ceil(runs / rounds);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? LATENCY_PATHS : [...LATENCY_PATHS].reverse();
    for (const path of order) {
      const worker = workerOf(path, stack);
      const call = callers.get(path)!;
      const workerBefore = worker ? cpuTimes(worker.pid) : undefined;
      const emulatorBefore = cpuTimes(stack.emulator.pid);
      for (let i = 0; i < perBlock; i++) {
        let timing: TurnTiming;
        try {
          timing = await call();
        } catch (err) {
          // Counted and reported, never timed; the turn is not retried.
          errors.set(path, (errors.get(path) ?? 0) + 1);
          lastError = describe(err);
          continue;
        }
        (latency.get(path) ?? latency.set(path, []).get(path)!).push(timing.totalMs);
        if (timing.firstEventMs !== undefined) (firstEvent.get(path) ?? firstEvent.set(path, []).get(path)!).push(timing.firstEventMs);
      }
      // Let the processes finish what the last turn left (GC, closing) before reading their clocks.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (worker) add(workerCpu, path, workerBefore!, cpuTimes(worker.pid));
      add(emulatorCpu, path, emulatorBefore, cpuTimes(stack.emulator.pid));
    }
  }
  const turns = perBlock * rounds;
  const perTurn = (c: CpuTimes | undefined) => (c ? { mainMs: c.mainMs / turns, allMs: c.allMs / turns } : undefined);
  const paths: Record<string, PathResult> = {};
  for (const path of LATENCY_PATHS) {
    const fe = firstEvent.get(path);
    paths[path] = {
      latency: summarize(latency.get(path) ?? []),
      errors: errors.get(path) ?? 0,
      ...(fe ? { firstEvent: summarize(fe) } : {}),
      ...(workerCpu.has(path) ? { workerCpu: perTurn(workerCpu.get(path)) } : {}),
      emulatorCpu: perTurn(emulatorCpu.get(path))!,
    };
  }
  const peakRss = Object.fromEntries(processes.map((proc) => [proc.name, peakRssMb(proc.pid)]));
  if (lastError) progress(`errors in ${p.spec.id}/${p.reply}: ${[...errors].map(([k, v]) => `${k} ${v}`).join(", ")}; last: ${lastError}`);
  return { inputBytes: p.inputBytes, paths, peakRss };
}

// ---------------------------------------------------------------------------------------------
// Streaming lag: the upstream's first SSE write and the caller's first event, on one clock

interface NodeEmulator {
  server: Server;
  url: string;
  /** performance.now() of the first body write of the latest SSE response. */
  lastFirstWrite: () => number;
}

async function nodeEmulator(): Promise<NodeEmulator> {
  const handler = benchEmulator();
  let firstWrite = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && !["host", "connection", "content-length", "transfer-encoding", "keep-alive"].includes(name)) {
        headers.set(name, value);
      }
    }
    const body = Buffer.concat(chunks);
    const response = await handler(
      new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: body.length > 0 ? body : undefined }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    const sse = response.headers.get("content-type")?.startsWith("text/event-stream");
    if (response.body) {
      const reader = response.body.getReader();
      let first = true;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (first && sse) firstWrite = performance.now();
        first = false;
        res.write(value);
      }
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, lastFirstWrite: () => firstWrite };
}

interface LagResult {
  /** Caller's first event − upstream's first write (ms). */
  relayLag: Summary;
  directLag: Summary;
  /** Rounds in which a turn failed (neither path's lag of that round is kept). */
  errors: number;
}

async function streamLag(emu: NodeEmulator, relay: Served, p: Payload): Promise<LagResult> {
  const ai = sdkFor(emu.url);
  const runs = quick ? 2 : p.spec.id === "8k" ? 30 : p.spec.id === "1m" ? 10 : 5;
  const relayLag: number[] = [];
  const directLag: number[] = [];
  let errors = 0;
  for (let i = 0; i < runs + 2; i++) {
    try {
      const r = await relayStreamTurn(relay.url, p);
      const rUp = emu.lastFirstWrite();
      const d = await sdkStreamTurn(ai, p);
      const dUp = emu.lastFirstWrite();
      if (i < 2) continue;
      relayLag.push(r.firstEventAt! - rUp);
      directLag.push(d.firstEventAt! - dUp);
    } catch (err) {
      // Counted and reported, never timed or retried (as in the latency rows).
      errors += 1;
      progress(`streaming lag ${p.spec.id}/${p.reply}: a turn failed: ${describe(err)}`);
    }
  }
  return { relayLag: summarize(relayLag), directLag: summarize(directLag), errors };
}

// ---------------------------------------------------------------------------------------------
// Throughput: closed loop, c callers each starting a turn as soon as their last one ended

const THROUGHPUT_PATHS: readonly PathName[] = ["direct", "floor", "parse floor", "naive relay", "relay"];

function concurrencies(spec: HistorySpec): number[] {
  // 16 or 64 turns of 6-10 MB in flight are 100 MB-1 GB of history in one isolate, past the 128 MB a
  // Worker isolate may use, and they would take ~30 s of the bench's budget: concurrency 1 only.
  return spec.id === "10m" || spec.id === "img" ? [1] : [1, 16, 64];
}

/** Successful turns per second, and how many turns failed (those are not counted as done). */
async function throughput(label: string, call: () => Promise<TurnTiming>, c: number, minMs: number): Promise<{ perSecond: number; errors: number }> {
  const start = performance.now();
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: c }, async () => {
      do {
        try {
          await call();
          done += 1;
        } catch (err) {
          errors += 1;
          progress(`throughput error (${label}, c=${c}): ${describe(err)}`);
        }
      } while (performance.now() - start < minMs);
    }),
  );
  return { perSecond: done / ((performance.now() - start) / 1000), errors };
}

// ---------------------------------------------------------------------------------------------
// Micro-costs inside workerd (micro-worker.ts): CPU per operation on a turn-sized body

const MICRO_OPS = ["drain", "text", "chunks", "parse", "scan", "validate", "stringify", "respond", "respond-piped"] as const;

async function microCosts(p: Payload, asciiOnly = false): Promise<Record<string, number>> {
  const micro = await serve("micro", workers.micro, {});
  try {
    // ASCII-only: the same body with every non-ASCII character replaced, so V8 keeps one-byte strings.
    const body = asciiOnly ? JSON.stringify(p.turn).replace(/[^\x00-\x7f]/g, "?") : JSON.stringify(p.turn);
    const runs = quick ? 2 : p.spec.id === "1m" ? 24 : 6;
    const totals: Record<string, number> = {};
    /** One request; a failed one is reported and makes its operation's figure unknown (NaN), never fatal. */
    const call = async (op: string): Promise<boolean> => {
      try {
        const response = await fetch(`${micro.url}/?op=${op}`, { method: "POST", headers: { "content-type": "application/json" }, body });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        return true;
      } catch (err) {
        progress(`micro ${p.spec.id} ${op} failed: ${describe(err)}`);
        return false;
      }
    };
    for (const op of MICRO_OPS) await call(op); // warm-up
    for (let round = 0; round < 2; round++) {
      for (const op of round === 0 ? MICRO_OPS : [...MICRO_OPS].reverse()) {
        const before = cpuTimes(micro.pid).mainMs;
        let failed = false;
        for (let i = 0; i < runs / 2; i++) if (!(await call(op))) failed = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        totals[op] = failed ? Number.NaN : (totals[op] ?? 0) + cpuTimes(micro.pid).mainMs - before;
      }
    }
    return Object.fromEntries(Object.entries(totals).map(([op, ms]) => [op, ms / runs]));
  } finally {
    await stop(micro);
  }
}

// ---------------------------------------------------------------------------------------------
// Memory: the smallest V8 heap a relay turn fits in (Node worker thread with a capped heap)

const YOUNG_MB = 16;
/** Concurrent 10 MB turns in one isolate (the target: they all complete within a Worker's 128 MB). */
const CONCURRENT_TURNS = 3;

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
async function smallestHeap(upstream: string, p: Payload): Promise<{ fitsMb: number | null; fitsAt128: boolean }> {
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

// ---------------------------------------------------------------------------------------------
// Startup

function median(xs: number[]): number {
  return summarize(xs).p50;
}

const TRIVIAL_WORKER = "export default { fetch() { return new Response('ok'); } };";

async function startup(): Promise<Record<string, number | string>> {
  // workerd cold start (spawn, config, compile and evaluate the bundle) and the first request
  // (anything built lazily), the relay against a one-line worker; medians of 3.
  const trivialFile = `${buildDir}/trivial.mjs`;
  writeFileSync(trivialFile, TRIVIAL_WORKER);
  const times: Record<string, { ready: number[]; first: number[] }> = { trivial: { ready: [], first: [] }, relay: { ready: [], first: [] } };
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    for (const [name, file] of [["trivial", trivialFile], ["relay", relayBundle]] as const) {
      let t = performance.now();
      const served = await serve(`startup-${name}`, file, { ...RELAY_BINDINGS, GEMINI_BASE_URL: "http://127.0.0.1:9" });
      times[name]!.ready.push(performance.now() - t);
      t = performance.now();
      await (await fetch(`${served.url}/healthz`)).text();
      times[name]!.first.push(performance.now() - t);
      await stop(served);
    }
  }
  const result: Record<string, number | string> = {
    trivialReadyMs: median(times.trivial!.ready),
    relayReadyMs: median(times.relay!.ready),
    trivialFirstMs: median(times.trivial!.first),
    relayFirstMs: median(times.relay!.first),
  };

  // Wrangler's own startup profile (the CPU sampled while workerd evaluates the bundle).
  const profileFile = `${buildDir}/startup.cpuprofile`;
  const check = spawnSync(process.execPath, ["node_modules/wrangler/bin/wrangler.js", "check", "startup", "--outfile", profileFile], {
    encoding: "utf8",
    env: process.env,
    timeout: 60_000,
  });
  try {
    if (check.status !== 0) throw new Error(`exit ${check.status}`);
    const profile = JSON.parse(readFileSync(profileFile, "utf8")) as CpuProfile;
    const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    let busy = 0;
    profile.samples.forEach((id, i) => {
      if (!idle.has(id)) busy += profile.timeDeltas[i] ?? 0;
    });
    result.checkStartupMs = busy / 1000;
  } catch (err) {
    result.checkStartupError = `wrangler check startup failed: ${String((err as Error).message)} ${check.stderr?.slice(-300) ?? ""}`;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// A V8 CPU profile of the relay inside workerd (DevTools protocol over its inspector)

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
  error?: string;
}

type InspectorCall = <T>(method: string, params?: object) => Promise<T>;

/** Starts `script` in its own workerd with the inspector on, and runs `use` against it over the DevTools protocol. */
async function withInspector<T>(name: string, script: string, bindings: Record<string, string>, use: (call: InspectorCall, url: string) => Promise<T>): Promise<T> {
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
async function heapAround(call: InspectorCall, work: () => Promise<unknown>): Promise<HeapAround> {
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

/** A relay in its own workerd with the inspector on: the isolate's heap around its first turn, and a CPU profile. */
async function inspectRelay(emulatorUrl: string, p: Payload, profileTurns: number): Promise<InspectResult> {
  try {
    return await withInspector("relay-inspect", relayBundle, { ...RELAY_BINDINGS, GEMINI_BASE_URL: emulatorUrl }, async (call, url) => {
      const result: InspectResult = { heap: await heapAround(call, () => relayTurn(url, p)) };
      if (profileTurns > 0) {
        for (let i = 0; i < 2; i++) await relayTurn(url, p); // warm-up, JIT
        await call("Profiler.enable");
        await call("Profiler.setSamplingInterval", { interval: 100 });
        await call("Profiler.start");
        for (let i = 0; i < profileTurns; i++) await relayTurn(url, p);
        const { profile } = await call<{ profile: CpuProfile }>("Profiler.stop");
        result.profile = summarizeProfile(
          profile,
          relayBundle,
          (url) => url === "index.js" || url.endsWith("/index.js"),
          (url) => (url.startsWith("node-internal:") || url.startsWith("cloudflare-internal:") ? "workerd built-in JS" : url === "" ? "native (no JS frame)" : url),
          profileTurns,
        );
      }
      return result;
    });
  } catch (err) {
    return { error: describe(err) };
  }
}

/** The naive relay's isolate heap around its first turn, the same way (for comparison). */
async function inspectNaive(emulatorUrl: string, p: Payload): Promise<InspectResult> {
  try {
    return { heap: await withInspector("naive-inspect", workers.naive, naiveBindings(emulatorUrl), (call, url) => heapAround(call, () => relayTurn(url, p))) };
  } catch (err) {
    return { error: describe(err) };
  }
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
async function concurrentTurns(emulatorUrl: string, p: Payload, turns: number): Promise<ConcurrentResult> {
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

// ---------------------------------------------------------------------------------------------

const results: {
  idleRss: Record<string, number>;
  scenarios: Record<string, ScenarioResult>;
  lag: Record<string, LagResult>;
  throughput: Record<string, Record<string, Record<string, { perSecond: number; errors: number }>>>;
  heap: Record<string, { fitsMb: number | null; fitsAt128: boolean }>;
  inspect: Record<string, InspectResult>;
  inspectNaive: Record<string, InspectResult>;
  concurrent?: ConcurrentResult;
  micro: Record<string, Record<string, number>>;
  startup?: Record<string, number | string>;
  leftover?: number[];
} = { idleRss: {}, scenarios: {}, lag: {}, throughput: {}, heap: {}, inspect: {}, inspectNaive: {}, micro: {} };

let nodeEmu: NodeEmulator | undefined;
const onSignal = () => {
  void stopAll().finally(() => process.exit(130));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// BENCH_ONLY=10m,img limits the run to those histories (for working on the bench itself).
const only = process.env.BENCH_ONLY?.split(",");
const specs = HISTORIES.filter((h) => !only || only.includes(h.id));

try {
  for (const spec of specs) {
    const stack = await startStack();
    if (spec === specs[0]) {
      for (const proc of [stack.emulator, stack.floor, stack.parseFloor, stack.naive, stack.relay]) results.idleRss[proc.name] = rssMb(proc.pid);
    }
    for (const { kind } of REPLIES) {
      const p = await payload(spec, kind);
      const key = `${spec.id}/${kind}`;
      const started = performance.now();
      results.scenarios[key] = await scenario(stack, p);
      const s = results.scenarios[key]!;
      progress(
        `loopback ${key}: p50 ` +
          LATENCY_PATHS.map((path) => `${path} ${s.paths[path]!.latency.p50.toFixed(2)}`).join(", ") +
          ` ms; relay CPU ${s.paths.relay!.workerCpu!.mainMs.toFixed(2)} ms (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
    const p = await payload(spec, "text");
    if (!quick || spec.id === "10m") {
      const started = performance.now();
      results.heap[spec.id] = await smallestHeap(stack.emulator.url, p);
      progress(`heap cap ${spec.id}: fits in ${results.heap[spec.id]!.fitsMb} MB (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    {
      const started = performance.now();
      const turns = spec.id === "img" ? 0 : quick ? 1 : spec.id === "8k" ? 200 : spec.id === "1m" ? 20 : 3;
      results.inspect[spec.id] = await inspectRelay(stack.emulator.url, p, turns);
      results.inspectNaive[spec.id] = await inspectNaive(stack.emulator.url, p);
      progress(`workerd heap${turns ? " and profile" : ""} ${spec.id} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    if (spec.id === "10m") {
      const started = performance.now();
      results.concurrent = await concurrentTurns(stack.emulator.url, p, CONCURRENT_TURNS);
      const c = results.concurrent;
      progress(`${c.turns} concurrent 10 MB turns: ${c.completed} completed, peak heap ${((c.heap?.peakUsed ?? NaN) / 2 ** 20).toFixed(1)} MB (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    if (spec.id === "1m" || spec.id === "10m") {
      const started = performance.now();
      results.micro[spec.id] = await microCosts(p);
      if (spec.id === "1m") results.micro["1m-ascii"] = await microCosts(p, true);
      progress(`workerd micro-costs ${spec.id} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    // Throughput on the same processes, after the memory readings.
    const minMs = quick ? 200 : spec.id === "8k" ? 500 : 600;
    const started = performance.now();
    results.throughput[spec.id] = {};
    for (const path of THROUGHPUT_PATHS) {
      const call = caller(path, stack, p);
      const row: Record<string, { perSecond: number; errors: number }> = {};
      for (const c of concurrencies(spec)) row[String(c)] = await throughput(`${spec.id} ${path}`, call, c, minMs);
      results.throughput[spec.id]![path] = row;
    }
    progress(`loopback throughput ${spec.id} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    await stopStack(stack);
  }

  // The streaming lag, against an emulator in this process.
  let started = performance.now();
  nodeEmu = await nodeEmulator();
  const relay = await serve("relay-lag", relayBundle, { ...RELAY_BINDINGS, GEMINI_BASE_URL: nodeEmu.url });
  for (const spec of specs) {
    for (const { kind } of REPLIES) {
      results.lag[`${spec.id}/${kind}`] = await streamLag(nodeEmu, relay, await payload(spec, kind));
    }
  }
  await stop(relay);
  progress(`loopback streaming lag (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  started = performance.now();
  results.startup = await startup();
  progress(`startup (${((performance.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  await stopAll();
  nodeEmu?.server.closeAllConnections();
  nodeEmu?.server.close();
  // Nothing of ours may outlive the bench.
  const leftover = [...childProcesses()].filter(([, comm]) => comm === "workerd").map(([pid]) => pid);
  for (const pid of leftover) process.kill(pid, "SIGKILL");
  results.leftover = leftover;
  writeFileSync(outFile, JSON.stringify(results, null, 1));
}
