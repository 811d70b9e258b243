/**
 * What tamper-evident transcripts (TRANSCRIPT_KEYS) cost a turn, in workerd: the same turns sent to
 * two relays built from the same bundle, one without keys and one that verifies the history's
 * attestation and attests the reply, each in its own workerd process; CPU per turn is read from
 * the kernel (bench/procfs.ts) around blocks of turns that alternate between the two relays.
 * Payloads are the bench's (bench/payloads.ts): 1 MB and 10 MB histories, text and thought+call.
 * The attestation of each history is made by the relay's own signing code (src/attestation.ts).
 *
 *   node bench/attest-cpu.mjs          (builds, then runs this; prints a markdown table)
 */
import { readFileSync } from "node:fs";
import { Miniflare } from "miniflare";
import { checkTranscript } from "../src/turn/attestation";
import type { StepRef } from "../src/turn/history";
import { HISTORIES, RELAY_BINDINGS, RELAY_HEADERS, REPLIES, payload, type Payload } from "./payloads";
import { childProcesses, cpuTimes } from "./procfs";

const buildDir = process.env.ATTEST_BENCH_BUILD!;
const TRANSCRIPT_KEY = { id: "bench", secret: "bench-transcript-secret-0123456789abcdef" };
const ROUNDS = Number(process.env.ATTEST_BENCH_ROUNDS ?? 4);
const encoder = new TextEncoder();

interface Served {
  name: string;
  mf: Miniflare;
  url: string;
  pid: number;
}

/** One worker in its own workerd, reached on a direct socket; its pid found among this process's children. */
async function serve(name: string, script: string, bindings: Record<string, string>): Promise<Served> {
  const before = new Set(childProcesses().keys());
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: "/bench/index.js", contents: readFileSync(script, "utf8") }],
    modulesRoot: "/bench",
    compatibilityDate: "2026-04-20",
    bindings,
    cf: false,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    handleRuntimeStdio: (stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => (stdout.resume(), stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk))),
  });
  await mf.ready;
  const url = (await mf.unsafeGetDirectURL()).origin;
  const pid = [...childProcesses()].find(([p, comm]) => comm === "workerd" && !before.has(p))![0];
  return { name, mf, url, pid };
}

/** The payload's turn with the attestation the relay would have returned with its history. */
async function attestedBody(p: Payload): Promise<string> {
  const refs: StepRef[] = p.history.map((step) => ({ bytes: encoder.encode(JSON.stringify(step)), view: step }));
  const { attest } = await checkTranscript([], undefined, { mode: "verify", keys: [TRANSCRIPT_KEY], allowDropIn: false }, () => "");
  return JSON.stringify({ ...p.turn, attestation: await attest!(refs) });
}

async function turn(relay: Served, body: string): Promise<void> {
  const res = await fetch(`${relay.url}/v1/turns`, { method: "POST", headers: RELAY_HEADERS, body }).catch((err: unknown) => {
    throw new Error(`${relay.name}: ${String((err as Error).cause ?? err)}`);
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${relay.name} answered ${res.status}: ${text.slice(0, 300)}`);
}

/** Main-thread CPU ms per turn over `n` turns. */
async function cpuPerTurn(relay: Served, body: string, n: number): Promise<number> {
  const before = cpuTimes(relay.pid).mainMs;
  for (let i = 0; i < n; i++) await turn(relay, body);
  return (cpuTimes(relay.pid).mainMs - before) / n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const emulator = await serve("emulator", `${buildDir}/emulator.mjs`, {});
const plain = await serve("relay", `${buildDir}/relay/index.js`, { ...RELAY_BINDINGS, GEMINI_BASE_URL: emulator.url });
const attesting = await serve("attesting relay", `${buildDir}/relay/index.js`, { ...RELAY_BINDINGS, GEMINI_BASE_URL: emulator.url, TRANSCRIPT_KEYS: `${TRANSCRIPT_KEY.id}:${TRANSCRIPT_KEY.secret}` });

const rows: string[] = ["| history | reply | relay CPU/turn | with attestation | added | added % |", "|---|---|---|---|---|---|"];
try {
  for (const id of (process.env.ATTEST_BENCH_SIZES ?? "1m,10m").split(",")) {
    for (const reply of REPLIES) {
      const p = await payload(HISTORIES.find((h) => h.id === id)!, reply.kind);
      const [body, signedBody] = [JSON.stringify(p.turn), await attestedBody(p)];
      const n = id === "1m" ? 10 : 3;
      await turn(plain, body);
      await turn(attesting, signedBody); // warm-up, and a check that the attested turn is accepted
      const base: number[] = [];
      const with_: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternating order, so drift in machine load is shared.
        if (round % 2 === 0) base.push(await cpuPerTurn(plain, body, n)), with_.push(await cpuPerTurn(attesting, signedBody, n));
        else with_.push(await cpuPerTurn(attesting, signedBody, n)), base.push(await cpuPerTurn(plain, body, n));
      }
      const [b, w] = [median(base), median(with_)];
      rows.push(`| ${p.spec.label} | ${reply.label} | ${b.toFixed(1)} ms | ${w.toFixed(1)} ms | ${(w - b).toFixed(1)} ms | ${(((w - b) / b) * 100).toFixed(0)} % |`);
      process.stderr.write(`[attest-bench] ${rows.at(-1)}\n`);
    }
  }
} finally {
  await Promise.allSettled([plain, attesting, emulator].map((s) => s.mf.dispose()));
}
console.log(rows.join("\n"));
