/**
 * `npm run soak` (bundled and started by run.mjs): the relay under sustained and hostile load on
 * loopback, against the project's emulator, with a tap between them that sees every upstream call.
 * Runs for the workerd relay served directly (Miniflare, no proxy in front), the same relay behind
 * `wrangler dev` (what `npm start` gives), and the Node entry when the project has one.
 * Progress on stderr, the table on stdout and in .soak/results.md (raw figures in results.json); a full
 * run also replaces the committed docs/results/soak.md (results-file.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { rssMb } from "../procfs";
import { progress } from "../stats";
import { soakConfig, type SoakConfig, type StackName } from "./config";
import { flatness } from "./flatness";
import { bombCases, fuzzCases, hostileValues, type FuzzCase } from "./fuzz";
import { between, heapReader, sampleMemory } from "./memory";
import { abortedTurns, bigUnaryTurns, fuzz, seedTranscripts, servesAgainAfter, streamedLoad, MODEL } from "./phases";
import {
  findEmulatorConfig,
  nodeEntry,
  soakRelayConfig,
  soakRelayVars,
  startNodeEntry,
  startWranglerDev,
  stopLaunched,
  type Launched,
} from "./processes";
import { buildWorkerBundle, startMiniflareDirect } from "./miniflare-stack";
import { memoryFigures, missLines, renderResult, type LoadRound, type RelayResult } from "./report";
import { notReplacingBecause, runFacts, soakResultsFile, SOAK_RESULTS_FILE } from "./results-file";
import { startTap, type Tap } from "./tap";

const root = process.env.SOAK_ROOT!;
const out = join(root, ".soak");
const config = soakConfig(process.env);
const log = (message: string) => progress(`soak: ${message}`);
const origin = performance.now();
const launched = new Set<Launched>();
const leftovers: string[] = [];
// The machine's 1-minute load average over the run: anything else running shows in the figures.
const loads: number[] = [];
const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 5_000);
loadTimer.unref();
loads.push(loadavg()[0]!);

async function stop(process: Launched): Promise<void> {
  launched.delete(process);
  leftovers.push(...(await stopLaunched(process)));
}

/** One relay through every phase, its memory sampled throughout. */
async function soakRelay(relay: Launched, tap: Tap, emulator: Launched, cases: readonly FuzzCase[]): Promise<RelayResult> {
  const heap = await heapReader(relay.inspectorPort, relay.inspectorTarget);
  if (relay.memoryPid === undefined) throw new Error(`${relay.name}: its process was not found in /proc`);
  const memory = sampleMemory(relay.memoryPid, heap, config.sampleMs, origin);
  let emulatorPeak = 0;
  const housekeeping = setInterval(() => {
    // The emulator keeps every request body in its log (issue 11, finding 7): emptied on a timer.
    void fetch(`${emulator.url}/__emulator/reset`, { method: "POST" }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
    if (emulator.memoryPid !== undefined) emulatorPeak = Math.max(emulatorPeak, rssMb(emulator.memoryPid) || 0);
  }, config.emulatorResetMs);
  const say = (message: string) => log(`${relay.name}: ${message}`);
  try {
    say("seeding transcripts");
    const seeds = await seedTranscripts(relay.url, config.big.historyBytes);
    await new Promise((resolve) => setTimeout(resolve, 2 * config.sampleMs));
    const startMs = performance.now() - origin;

    say(`${config.load.concurrency} concurrent streamed turns for ${config.load.seconds} s`);
    const loadFrom = performance.now() - origin;
    const load = await streamedLoad(relay.url, seeds, config.load, say);
    const loadTo = performance.now() - origin;
    say(`streamed load: ${load.turns} turns, ${Object.values(load.errors).reduce((a, b) => a + b, 0)} errors`);

    const ready: Record<string, number | undefined> = {};
    const readyFor = async (phase: string) => {
      ready[phase] = await servesAgainAfter(relay.url, seeds);
      say(`serves again after ${ready[phase]?.toFixed(1) ?? "(not within the limit)"} s`);
    };
    await readyFor("large unary turns");
    say(
      `${config.big.concurrency} concurrent unary turns of ${(Buffer.byteLength(JSON.stringify(seeds.bigHistory)) / 2 ** 20).toFixed(1)} MB`,
    );
    const big = await bigUnaryTurns(relay.url, seeds, config.big, say);

    await readyFor("aborted turns");
    say(`${config.aborts.turns} streamed turns aborted at random moments`);
    tap.clear();
    const linesBefore = relay.requestLogLines();
    const aborts = await abortedTurns(relay.url, tap, config.seed, config.aborts, say);
    // Wait out wrangler's stdout pipeline before counting.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const abortLogLines = relay.requestLogLines() - linesBefore;

    await readyFor("fuzz");
    say(`fuzz: ${cases.length} hostile bodies`);
    const fuzzed = await fuzz(relay.url, cases, seeds, config.fuzz, say);

    const rounds: LoadRound[] = [];
    for (let round = 1; round <= config.rssRounds.count; round++) {
      say(`extra load round ${round}/${config.rssRounds.count}`);
      const tally = await streamedLoad(relay.url, seeds, { ...config.load, seconds: config.rssRounds.seconds }, say);
      const rssAfterLoadMb = rssMb(relay.memoryPid);
      await new Promise((resolve) => setTimeout(resolve, config.rssRounds.idleMs));
      const heapAfterIdleMb = await heap.read();
      rounds.push({
        turns: tally.turns,
        errors: Object.values(tally.errors).reduce((a, b) => a + b, 0),
        rssAfterLoadMb,
        rssAfterIdleMb: rssMb(relay.memoryPid),
        ...(heapAfterIdleMb === undefined ? {} : { heapAfterIdleMb }),
      });
      say(
        `round ${round}: RSS ${rssAfterLoadMb.toFixed(1)} MB after the load, ${rounds.at(-1)!.rssAfterIdleMb.toFixed(1)} MB after ${config.rssRounds.idleMs / 1000} s idle`,
      );
    }

    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const endMs = performance.now() - origin;
    memory.stop();
    const loadSamples = between(memory.trace.rss, loadFrom, loadTo).map((s) => ({ ...s, atMs: s.atMs - loadFrom }));
    return {
      relay: relay.name,
      load,
      big,
      bigMb: Buffer.byteLength(JSON.stringify(seeds.bigHistory)) / 2 ** 20,
      aborts,
      fuzz: fuzzed,
      rss: memoryFigures(memory.trace.rss, startMs, endMs),
      rssFlatness: flatness(loadSamples),
      heap: heap.unavailable ?? (memory.trace.heap.length ? memoryFigures(memory.trace.heap, startMs, endMs) : "no heap reading arrived"),
      ...(emulator.memoryPid === undefined ? {} : { emulatorPeakRssMb: emulatorPeak }),
      ...(relay.reloads ? { reloads: relay.reloads() } : {}),
      tapFailures: tap.failures(),
      abortLogLines,
      ready,
      ...(rounds.length ? { rounds } : {}),
    };
  } finally {
    memory.stop();
    heap.close();
    clearInterval(housekeeping);
  }
}

async function startRelay(kind: StackName, relayConfig: string, vars: Record<string, string>): Promise<Launched | string> {
  switch (kind) {
    case "workerd (Miniflare direct)":
      return {
        ...(await startMiniflareDirect("relay", await buildWorkerBundle(root, relayConfig, join(out, "relay")), relayConfig, vars)),
        name: kind,
      };
    case "workerd (wrangler dev)":
      return startWranglerDev(kind, root, relayConfig, vars);
    case "Node entry":
      return nodeRelay(vars);
  }
}

async function nodeRelay(vars: Record<string, string>): Promise<Launched | string> {
  const entry = nodeEntry(root);
  if (!entry) return "skipped: the project has no Node entry (no `serve` script in package.json, no src/node.ts or src/node/main.ts)";
  if ("bundle" in entry) {
    const outfile = join(out, "node-entry.mjs");
    await build({
      entryPoints: [entry.bundle],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "warning",
    });
    return startNodeEntry(root, { command: process.execPath, args: [outfile] }, vars);
  }
  return startNodeEntry(root, entry, vars);
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  log(`${config.quick ? "QUICK run (figures not meaningful)" : "full run"}, seed ${config.seed} (SOAK_SEED=${config.seed} repeats it)`);
  const started = performance.now();
  const bases = [
    { model: MODEL, input: "Hello!" },
    { model: MODEL, input: "Please summarize our chat.", stream: true },
    {
      model: MODEL,
      input: [{ type: "user_input", content: [{ type: "text", text: "What is the weather in Paris?" }] }],
      tools: [{ type: "function", name: "get_weather", parameters: { type: "object" } }],
    },
  ];
  const fuzzCorpus = fuzzCases(config.seed, config.fuzz.counts, bases, [
    ...(await bombCases(config.fuzz.maxBombBytes)),
    ...hostileValues(),
  ]);
  log(`fuzz corpus: ${fuzzCorpus.length} bodies (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  const emulatorConfig = findEmulatorConfig(root);
  log(`starting the emulator (${emulatorConfig.slice(root.length)})`);
  // Served directly too: wrangler's dev proxy in front of the emulator would be one more thing between the relay and its upstream.
  const emulator = await startMiniflareDirect(
    "emulator",
    await buildWorkerBundle(root, emulatorConfig, join(out, "emulator")),
    emulatorConfig,
    {},
  );
  launched.add(emulator);
  const results: (RelayResult | { relay: string; skipped: string })[] = [];
  try {
    const relayConfig = soakRelayConfig(root, out);
    for (const kind of config.stacks) {
      const tap = await startTap(emulator.url);
      try {
        log(`starting the relay: ${kind}`);
        const relay = await startRelay(kind, relayConfig, soakRelayVars(tap.url));
        if (typeof relay === "string") {
          log(`${kind}: ${relay}`);
          results.push({ relay: kind, skipped: relay });
          continue;
        }
        launched.add(relay);
        try {
          results.push(await soakRelay(relay, tap, emulator, fuzzCorpus));
        } finally {
          await stop(relay);
        }
      } finally {
        await tap.close();
      }
    }
  } finally {
    await Promise.all([...launched].map(stop));
  }
  report(results, performance.now() - started);
}

function report(results: (RelayResult | { relay: string; skipped: string })[], elapsedMs: number): void {
  const sections = results.map((r) => ("skipped" in r ? `### ${r.relay}\n\n${r.skipped}` : renderResult(r)));
  const misses = missLines(results.filter((r): r is RelayResult => !("skipped" in r)));
  const text = [
    `## Soak (${config.quick ? "SOAK_QUICK=1, figures not meaningful" : "full"}; seed ${config.seed}; ${(elapsedMs / 1000).toFixed(0)} s; ${describeConfig(config)})`,
    "",
    `Machine: ${availableParallelism()} cores, 1-minute load average ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)} during the run.`,
    "",
    ...sections.flatMap((s) => [s, ""]),
    misses.length ? [`MISS: ${misses.length} target(s)`, ...misses.map((m) => `- ${m}`)].join("\n") : "All targets PASS.",
    ...(leftovers.length ? [`Still running 5 s after SIGTERM, killed by pid: ${leftovers.join(", ")}`] : []),
  ].join("\n");
  process.stdout.write(`${text}\n`);
  writeFileSync(join(out, "results.md"), `${text}\n`);
  writeFileSync(join(out, "results.json"), JSON.stringify({ config, results, leftovers }, null, 1));
  const notReplacing = notReplacingBecause(config);
  if (notReplacing) log(`${SOAK_RESULTS_FILE} left as it was: ${notReplacing}`);
  else {
    writeFileSync(join(root, SOAK_RESULTS_FILE), soakResultsFile(runFacts(root), results, text));
    log(`wrote ${SOAK_RESULTS_FILE}: commit it with the change it measured`);
  }
}

function describeConfig(c: SoakConfig): string {
  return `${c.stacks.join(", ")}; load ${c.load.concurrency} x ${c.load.seconds} s,${c.rssRounds.count ? ` then ${c.rssRounds.count} rounds of ${c.rssRounds.seconds} s + ${c.rssRounds.idleMs / 1000} s idle,` : ""} unary ${c.big.concurrency} x ${c.big.rounds}, aborts ${c.aborts.turns}, fuzz per-request timeout ${c.fuzz.hangMs / 1000} s (stalled bodies ${c.fuzz.stalledHangMs / 1000} s)`;
}

const onSignal = () => {
  void Promise.all([...launched].map(stop)).finally(() => process.exit(130));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

main().catch(async (err: unknown) => {
  process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`);
  await Promise.all([...launched].map(stop));
  process.exit(1);
});
