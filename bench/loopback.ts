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
 * its peak RSS, time to first streamed event, throughput at concurrency 1/16/64, worker startup, and
 * what TRANSCRIPT_KEYS (verifying and attesting transcripts) adds to the relay's CPU at 1 MB and 10 MB.
 * A second relay points at an emulator served by this Node process, so the upstream's first SSE
 * write and the caller's first event are read on one clock (the streaming lag).
 *
 * This file runs the phase and writes its JSON; the parts live beside it: workerd.ts (the worker
 * processes), callers.ts (one turn per path), scenario.ts (concurrency 1, throughput), lag.ts,
 * attestation-cost.ts (TRANSCRIPT_KEYS), inspector.ts (heap and CPU profile through workerd's inspector),
 * memory.ts, micro-costs.ts, startup.ts.
 */
import { writeFileSync } from "node:fs";
import { HISTORIES, RELAY_BINDINGS, REPLIES, payload } from "./payloads";
import { childProcesses, rssMb } from "./procfs";
import { progress } from "./stats";
import { attestationCost, type AttestationCost } from "./attestation-cost";
import { caller, LATENCY_PATHS } from "./callers";
import { inspectNaive, inspectRelay, type InspectResult } from "./inspector";
import { nodeEmulator, streamLag, type LagResult, type NodeEmulator } from "./lag";
import { CONCURRENT_TURNS, concurrentTurns, smallestHeap, type ConcurrentResult } from "./memory";
import { microCosts } from "./micro-costs";
import { concurrencies, scenario, throughput, THROUGHPUT_PATHS, type ScenarioResult } from "./scenario";
import { startup, type StartupResult } from "./startup";
import { quick, relayBundle, serve, startStack, stop, stopAll, stopStack } from "./workerd";

const outFile = process.env.BENCH_OUT!;

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
  attestation: Record<string, AttestationCost>;
  startup?: StartupResult;
  leftover?: number[];
} = { idleRss: {}, scenarios: {}, lag: {}, throughput: {}, heap: {}, inspect: {}, inspectNaive: {}, micro: {}, attestation: {} };

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
      for (const proc of [stack.emulator, stack.floor, stack.parseFloor, stack.naive, stack.relay])
        results.idleRss[proc.name] = rssMb(proc.pid);
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
      if (spec.id === "1m" || spec.id === "10m") {
        const started = performance.now();
        const a = (results.attestation[key] = await attestationCost(stack, p));
        progress(
          `attestation cost ${key}: relay CPU ${a.plainMs.toFixed(2)} ms, verify + attest ${a.workMs.toFixed(2)} ms, with TRANSCRIPT_KEYS end to end ${a.attestedMs.toFixed(2)} ms (${((performance.now() - started) / 1000).toFixed(1)} s)`,
        );
      }
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
      // At 8 KB also streamed turns: what the first-event target (issue 22) is about.
      results.inspect[spec.id] = await inspectRelay(stack.emulator.url, p, turns, spec.id === "8k" ? turns : 0);
      results.inspectNaive[spec.id] = await inspectNaive(stack.emulator.url, p);
      progress(`workerd heap${turns ? " and profile" : ""} ${spec.id} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    }
    if (spec.id === "10m") {
      const started = performance.now();
      results.concurrent = await concurrentTurns(stack.emulator.url, p, CONCURRENT_TURNS);
      const c = results.concurrent;
      progress(
        `${c.turns} concurrent 10 MB turns: ${c.completed} completed, peak heap ${((c.heap?.peakUsed ?? NaN) / 2 ** 20).toFixed(1)} MB (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
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
