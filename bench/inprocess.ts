/**
 * Phase 1, in-process on Node (run with --expose-gc): the CPU each path spends per turn, with the
 * upstream's own time taken out, plus where the relay's time goes, stage by stage.
 *
 * The relay is the exact bundle `wrangler deploy --dry-run` produced (the same file workerd runs),
 * imported into Node with the global fetch pointed at an in-process emulator. Nothing here waits on
 * I/O; a turn is timed on the process's CPU clock (not the wall clock, so other load on the machine
 * does not inflate it), and the emulator's share is timed the same way around each upstream call
 * and subtracted.
 */
import { writeFileSync } from "node:fs";
import { GoogleGenAI } from "@google/genai";
import { readConfig } from "../src/config";
import { checkIntegrity } from "../src/turn/integrity";
import { joinPieces } from "../src/json/bytes";
import { combineHops } from "../src/turn/hops";
import { turnResponse } from "../src/turn/response";
import { readInteraction } from "../src/upstream/reply";
import { parseTurn } from "../src/turn/validate";
import { benchEmulator } from "./emulator-worker";
import floorWorker from "./floor-worker";
import naiveRelay from "./naive-relay-worker";
import parseFloorWorker from "./parse-floor-worker";
import { HISTORIES, RELAY_BINDINGS, RELAY_HEADERS, REPLIES, payload, type Payload, type ReplyKind } from "./payloads";
import { progress, summarize, type Summary } from "./stats";

const relayBundle = process.env.BENCH_RELAY_BUNDLE!;
const outFile = process.env.BENCH_OUT!;
const quick = process.env.BENCH_QUICK === "1";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** This process's CPU time in ms (user + system, all threads; µs resolution). */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
const KEY = "bench-key-0123456789";
const UPSTREAM = "http://emulator.local";

// ---------------------------------------------------------------------------------------------
// The upstream: the emulator in this process, reached through the global fetch, its time recorded.

const emulator = benchEmulator();
let upstreamMs = 0;
const inProcessFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  // Building the Request (encoding the body) is the caller's work: it happens before the clock starts.
  const request = new Request(input as RequestInfo, init ? ({ ...init, duplex: "half" } as RequestInit) : undefined);
  const start = cpuNow();
  try {
    return await emulator(request);
  } finally {
    upstreamMs += cpuNow() - start;
  }
};
globalThis.fetch = inProcessFetch as typeof fetch;

type Handler = { fetch(request: Request, env: Record<string, string>, ctx?: unknown): Response | Promise<Response> };
const relay = ((await import(relayBundle)) as { default: Handler }).default;
const relayEnv = { ...RELAY_BINDINGS, GEMINI_BASE_URL: UPSTREAM };
const floorEnv = { UPSTREAM_URL: UPSTREAM };
const naiveEnv = { UPSTREAM_URL: UPSTREAM, GEMINI_API_KEY: KEY };
const sdk = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: UPSTREAM } });

export type PathName = "direct" | "floor" | "parse floor" | "naive relay" | "relay" | "relay stream";
export const PATHS: readonly PathName[] = ["direct", "floor", "parse floor", "naive relay", "relay", "relay stream"];

/** The worker a path calls in this process, with its bindings (direct calls the SDK instead). */
function handlerOf(path: Exclude<PathName, "direct">): (request: Request) => Response | Promise<Response> {
  if (path === "floor") return (request) => floorWorker.fetch(request, floorEnv);
  if (path === "parse floor") return (request) => parseFloorWorker.fetch(request, floorEnv);
  if (path === "naive relay") return (request) => naiveRelay.fetch(request, naiveEnv);
  return (request) => relay.fetch(request, relayEnv, {});
}

interface Prepared {
  relayBytes: Uint8Array;
  relayStreamBytes: Uint8Array;
  createBytes: Uint8Array;
}

function prepare(p: Payload): Prepared {
  const encoder = new TextEncoder();
  return {
    relayBytes: encoder.encode(JSON.stringify(p.turn)),
    relayStreamBytes: encoder.encode(JSON.stringify({ ...p.turn, stream: true })),
    createBytes: encoder.encode(JSON.stringify(p.create)),
  };
}

const SDK_HEADERS = { "content-type": "application/json", "x-goog-api-key": KEY };

/** One turn on one path; returns its CPU (ms, upstream excluded) and the response size. */
async function turn(path: PathName, p: Payload, prepared: Prepared): Promise<{ cpu: number; bytes: number }> {
  let request: Request | undefined;
  if (path === "relay" || path === "relay stream" || path === "naive relay") {
    request = new Request("http://relay.local/v1/turns", {
      method: "POST",
      headers: RELAY_HEADERS,
      body: path === "relay stream" ? prepared.relayStreamBytes : prepared.relayBytes,
    });
  } else if (path !== "direct") {
    request = new Request("http://floor.local/v1beta/interactions", { method: "POST", headers: SDK_HEADERS, body: prepared.createBytes });
  }
  // A full GC first for the big payloads, so a turn does not pay for the previous turn's garbage
  // (its own garbage it still pays for). Small payloads skip it: a full GC costs more than their turn.
  if (p.inputBytes > 100_000) gc();
  upstreamMs = 0;
  const start = cpuNow();
  let bytes: number;
  if (path === "direct") {
    const interaction = await sdk.interactions.create(p.create as never, { maxRetries: 0 } as never);
    bytes = JSON.stringify(interaction).length;
  } else {
    const response = await handlerOf(path)(request!);
    const body = await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
    bytes = body.byteLength;
  }
  const total = cpuNow() - start;
  return { cpu: total - upstreamMs, bytes };
}

function plan(id: string): { warmup: number; runs: number } {
  const big = id === "10m" || id === "img";
  if (quick) return big ? { warmup: 1, runs: 2 } : { warmup: 2, runs: 5 };
  if (id === "8k") return { warmup: 30, runs: 200 };
  if (id === "1m") return { warmup: 2, runs: 20 };
  return { warmup: 1, runs: 5 };
}

// ---------------------------------------------------------------------------------------------
// CPU per turn, every payload × reply × path, paths interleaved turn by turn.

const cpu: Record<string, Record<string, Summary>> = {};
const responseBytes: Record<string, Record<string, number>> = {};
const inputBytes: Record<string, number> = {};
const requestBytes: Record<string, number> = {};
for (const spec of process.env.BENCH_SKIP_CPU ? [] : HISTORIES) {
  for (const { kind } of REPLIES) {
    const key = `${spec.id}/${kind}`;
    const p = await payload(spec, kind as ReplyKind);
    inputBytes[spec.id] = p.inputBytes;
    const prepared = prepare(p);
    requestBytes[key] = prepared.relayBytes.byteLength;
    const { warmup, runs } = plan(spec.id);
    const samples: Record<string, number[]> = {};
    responseBytes[key] = {};
    const started = performance.now();
    for (let i = 0; i < warmup + runs; i++) {
      for (const path of PATHS) {
        const { cpu: ms, bytes } = await turn(path, p, prepared);
        if (i >= warmup) (samples[path] ??= []).push(ms);
        responseBytes[key]![path] = bytes;
      }
    }
    cpu[key] = Object.fromEntries(Object.entries(samples).map(([path, s]) => [path, summarize(s)]));
    progress(
      `in-process ${key}: ` +
        PATHS.map((path) => `${path} ${cpu[key]![path]!.p50.toFixed(2)}`).join(", ") +
        ` ms (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Where the relay's time goes: its own stages, timed one by one with the relay's modules.

interface Stage {
  name: string;
  ms: number;
}
const breakdown: Record<string, { stages: Stage[]; parseFloorMs: number } | { error: string }> = {};
const relayConfig = readConfig({ ...RELAY_BINDINGS, GEMINI_BASE_URL: UPSTREAM });

/**
 * The relay's pure stages of one turn, called as its route calls them (src/routes/turns.ts), on
 * the request body and the emulator's reply for it. What is not here (receiving the body, auth,
 * the request log, assembling the upstream body, the SDK call, the Response) is the rest of the
 * turn's CPU (the report shows it as whole turn − these).
 */
async function stages(p: Payload): Promise<Stage[]> {
  const bytes = new TextEncoder().encode(JSON.stringify(p.turn));
  const reply = new Uint8Array(
    await (
      await emulator(
        new Request(`${UPSTREAM}/v1beta/interactions`, { method: "POST", headers: SDK_HEADERS, body: JSON.stringify(p.create) }),
      )
    ).arrayBuffer(),
  );
  const times: Record<string, number> = {};
  const t = cpuNow;
  let t0 = t();
  const turn = parseTurn(bytes, relayConfig);
  times["validate: parseTurn (scan the body, JSON.parse each step, retention, new input)"] = t() - t0;
  t0 = t();
  checkIntegrity(
    [...turn.history, ...turn.newSteps].map((step) => step.view),
    turn.tools,
    turn.locate,
  );
  times["integrity: checkIntegrity"] = t() - t0;
  t0 = t();
  const hop = readInteraction(reply, relayConfig.maxJsonDepth);
  times["reply: readInteraction (scan, JSON.parse each step)"] = t() - t0;
  t0 = t();
  joinPieces(
    turnResponse({ historyInner: turn.historyInner, historyLength: turn.history.length, newSteps: turn.newSteps }, combineHops([hop])),
  );
  times["respond: turnResponse + joinPieces (splice the bytes)"] = t() - t0;
  return Object.entries(times).map(([name, ms]) => ({ name, ms }));
}

function parseFloorStages(p: Payload): number {
  const bytes = new TextEncoder().encode(JSON.stringify(p.create));
  const t0 = cpuNow();
  const text = new TextDecoder().decode(bytes);
  new TextEncoder().encode(JSON.stringify(JSON.parse(text)));
  return cpuNow() - t0;
}

for (const spec of HISTORIES) {
  if (spec.id === "8k") continue;
  try {
    const p = await payload(spec, "text");
    const runs = quick ? 1 : spec.id === "1m" ? 7 : 3;
    const all: Stage[][] = [];
    const floors: number[] = [];
    await stages(p); // warm-up
    for (let i = 0; i < runs; i++) {
      gc();
      all.push(await stages(p));
      gc();
      floors.push(parseFloorStages(p));
    }
    const median = (xs: number[]) => summarize(xs).p50;
    breakdown[spec.id] = {
      stages: all[0]!.map((stage, index) => ({ name: stage.name, ms: median(all.map((run) => run[index]!.ms)) })),
      parseFloorMs: median(floors),
    };
  } catch (err) {
    breakdown[spec.id] = { error: String((err as Error)?.message ?? err) };
  }
}
progress("in-process stage breakdown done");

writeFileSync(outFile, JSON.stringify({ cpu, responseBytes, requestBytes, inputBytes, breakdown }, null, 1));
