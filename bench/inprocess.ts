/**
 * Phase 1, in-process on Node (run with --expose-gc): the CPU each path spends per turn, with the
 * upstream's own time taken out, plus where the relay's time goes, stage by stage.
 *
 * The relay is the exact bundle `wrangler deploy --dry-run` produced (the same file workerd runs),
 * imported into Node with the global fetch pointed at an in-process emulator. Nothing here waits on
 * I/O, so a turn's wall time on the one JS thread is its CPU time; the emulator's share is timed
 * around each upstream call and subtracted.
 */
import { writeFileSync } from "node:fs";
import { GoogleGenAI } from "@google/genai";
import "./node-shims";
import { TurnRequest } from "../src/schemas";
import { benchEmulator } from "./emulator-worker";
import floorWorker from "./floor-worker";
import parseFloorWorker from "./parse-floor-worker";
import { HISTORIES, RELAY_BINDINGS, RELAY_HEADERS, REPLIES, payload, type Payload, type ReplyKind } from "./payloads";
import { progress, summarize, type Summary } from "./stats";

const relayBundle = process.env.BENCH_RELAY_BUNDLE!;
const outFile = process.env.BENCH_OUT!;
const quick = process.env.BENCH_QUICK === "1";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const KEY = "bench-key-0123456789";
const UPSTREAM = "http://emulator.local";

// ---------------------------------------------------------------------------------------------
// The upstream: the emulator in this process, reached through the global fetch, its time recorded.

const emulator = benchEmulator();
let upstreamMs = 0;
const inProcessFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  // Building the Request (encoding the body) is the caller's work: it happens before the clock starts.
  const request = new Request(input as RequestInfo, init ? ({ ...init, duplex: "half" } as RequestInit) : undefined);
  const start = performance.now();
  try {
    return await emulator(request);
  } finally {
    upstreamMs += performance.now() - start;
  }
};
globalThis.fetch = inProcessFetch as typeof fetch;

type Handler = { fetch(request: Request, env: Record<string, string>, ctx?: unknown): Response | Promise<Response> };
const relay = ((await import(relayBundle)) as { default: Handler }).default;
const relayEnv = { ...RELAY_BINDINGS, GEMINI_BASE_URL: UPSTREAM };
const floorEnv = { UPSTREAM_URL: UPSTREAM };
const sdk = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: UPSTREAM } });

export type PathName = "direct" | "floor" | "parse floor" | "relay" | "relay stream";
export const PATHS: readonly PathName[] = ["direct", "floor", "parse floor", "relay", "relay stream"];

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
  if (path === "relay" || path === "relay stream") {
    request = new Request("http://relay.local/v1/turns", {
      method: "POST",
      headers: RELAY_HEADERS,
      body: path === "relay" ? prepared.relayBytes : prepared.relayStreamBytes,
    });
  } else if (path !== "direct") {
    request = new Request("http://floor.local/v1beta/interactions", { method: "POST", headers: SDK_HEADERS, body: prepared.createBytes });
  }
  // A full GC first for the big payloads, so a turn does not pay for the previous turn's garbage
  // (its own garbage it still pays for). Small payloads skip it: a full GC costs more than their turn.
  if (p.inputBytes > 100_000) gc();
  upstreamMs = 0;
  const start = performance.now();
  let bytes: number;
  if (path === "direct") {
    const interaction = await sdk.interactions.create(p.create as never, { maxRetries: 0 } as never);
    bytes = JSON.stringify(interaction).length;
  } else {
    const handler = path === "floor" ? floorWorker : path === "parse floor" ? parseFloorWorker : relay;
    const env = path.startsWith("relay") ? relayEnv : floorEnv;
    const response = await (handler as Handler).fetch(request!, env as Record<string, string>, {});
    const body = await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
    bytes = body.byteLength;
  }
  const total = performance.now() - start;
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
// Where the relay's time goes: its stages, timed one by one on the relay's own modules.

interface Stage {
  name: string;
  ms: number;
}
const breakdown: Record<string, { stages: Stage[]; parseFloorMs: number } | { error: string }> = {};

/**
 * The relay's work on one turn, stage by stage, with generic stand-ins where a stage is plain JSON
 * work (so this keeps working while src/ changes): only the zod schema comes from src/, and the SDK
 * is called exactly as the relay's adapter calls it, with a fetch that records when the request is
 * ready to go and answers at once.
 */
async function stages(p: Payload): Promise<Stage[]> {
  const bytes = new TextEncoder().encode(JSON.stringify(p.turn));
  const canned = await (await emulator(
    new Request(`${UPSTREAM}/v1beta/interactions`, { method: "POST", headers: SDK_HEADERS, body: JSON.stringify(p.create) }),
  )).text();
  let sentAt = 0;
  const captureFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    new Request(input as RequestInfo, init ? ({ ...init, duplex: "half" } as RequestInit) : undefined);
    sentAt = performance.now();
    return new Response(canned, { headers: { "content-type": "application/json" } });
  };
  const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: UPSTREAM, fetch: captureFetch as typeof fetch } });
  const times: Record<string, number> = {};
  const t = performance.now.bind(performance);
  let t0 = t();
  const text = new TextDecoder().decode(bytes);
  times["read body: UTF-8 decode"] = t() - t0;
  t0 = t();
  const body = JSON.parse(text) as { model: string; history: Record<string, unknown>[]; input: string; tools: unknown[] };
  times["JSON.parse"] = t() - t0;
  t0 = t();
  const checked = TurnRequest.safeParse(body);
  times["zod: TurnRequest.safeParse"] = t() - t0;
  if (!checked.success) throw new Error("the bench payload does not pass TurnRequest");
  const input = [...body.history, { type: "user_input", content: [{ type: "text", text: body.input }] }];
  const params = { tools: body.tools, model: body.model, input, store: false, automatic_continuation: false };
  t0 = t();
  JSON.stringify(params);
  times["(JSON.stringify of the create body alone)"] = t() - t0;
  t0 = t();
  const interaction = (await ai.interactions.create(params as never, { maxRetries: 0 } as never)) as { steps?: unknown[]; status?: string; usage?: unknown };
  const done = t();
  times["SDK: build request, stringify, encode"] = sentAt - t0;
  times["SDK: read + parse the reply"] = done - sentAt;
  const steps = interaction.steps ?? [];
  t0 = t();
  new TextEncoder().encode(JSON.stringify({ history: [...input, ...steps], steps, status: interaction.status, usage: interaction.usage }));
  times["respond: JSON.stringify(history + steps), encode"] = t() - t0;
  return Object.entries(times).map(([name, ms]) => ({ name, ms }));
}

function parseFloorStages(p: Payload): number {
  const bytes = new TextEncoder().encode(JSON.stringify(p.create));
  const t0 = performance.now();
  const text = new TextDecoder().decode(bytes);
  new TextEncoder().encode(JSON.stringify(JSON.parse(text)));
  return performance.now() - t0;
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
