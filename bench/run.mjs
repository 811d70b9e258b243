#!/usr/bin/env node
// `npm run bench`: builds what is measured, runs the two measuring phases in their own Node
// processes, prints the markdown report to stdout (progress goes to stderr) and writes it to
// .bench/results.md and, on a full run (not BENCH_QUICK, not BENCH_ONLY), to docs/results/bench.md,
// which is committed (bench/report-results.ts). See bench/README.md for what every figure means.
//
//   BENCH_QUICK=1 npm run bench   a smoke run with a handful of iterations (figures are not meaningful)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}.bench`;
const buildDir = `${out}/build`;
const started = performance.now();
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

// Offline and quiet: no telemetry, no Request.cf lookup.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1" };

rmSync(buildDir, { recursive: true, force: true });
mkdirSync(buildDir, { recursive: true });

// 1. The relay exactly as it deploys: wrangler's own bundle, and its reported size.
log("building the relay with wrangler deploy --dry-run");
const wrangler = spawnSync(
  process.execPath,
  [
    `${root}node_modules/wrangler/bin/wrangler.js`,
    ...["deploy", "--dry-run", "--outdir", `${buildDir}/relay`, "--metafile", `${buildDir}/relay-meta.json`],
  ],
  { cwd: root, env, encoding: "utf8" },
);
const wranglerOutput = `${wrangler.stdout}\n${wrangler.stderr}`;
const size = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(wranglerOutput);
if (wrangler.status !== 0 || !size) {
  process.stderr.write(wranglerOutput);
  throw new Error("wrangler deploy --dry-run failed");
}
const bundle = { rawKiB: Number(size[1]), gzipKiB: Number(size[2]), parts: bundleParts(`${buildDir}/relay-meta.json`) };

/** What the bundle holds, from esbuild's metafile: bytes in the output per npm package, and the relay's own `src/`. */
function bundleParts(metafile) {
  const { outputs } = JSON.parse(readFileSync(metafile, "utf8"));
  const parts = {};
  for (const output of Object.values(outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs ?? {})) {
      const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      const part = inPackage ? inPackage[1] : input.startsWith("src/") ? "src/ (the relay)" : "other";
      parts[part] = (parts[part] ?? 0) + bytesInOutput / 1024;
    }
  }
  return parts;
}

// 2. The bench's own workers (emulator entry, floors) for workerd, and the Node-side phases.
log("bundling the bench workers and phases with esbuild");
const workerish = {
  bundle: true,
  format: "esm",
  target: "es2022",
  // The conditions wrangler uses, so @google/genai resolves to the same (web) build as in workerd.
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  logLevel: "warning",
};
await build({
  ...workerish,
  platform: "neutral",
  entryPoints: {
    emulator: `${root}bench/emulator-worker.ts`,
    floor: `${root}bench/floor-worker.ts`,
    "parse-floor": `${root}bench/parse-floor-worker.ts`,
    "naive-relay": `${root}bench/naive-relay-worker.ts`,
    micro: `${root}bench/micro-worker.ts`,
    attestation: `${root}bench/attestation-worker.ts`,
  },
  outdir: `${buildDir}/workers`,
  outExtension: { ".js": ".mjs" },
});
// In-process phase: the relay's modules with the same SDK build as the deployed bundle.
await build({ ...workerish, platform: "node", entryPoints: [`${root}bench/inprocess.ts`], outfile: `${buildDir}/inprocess.mjs` });
// The device's bytes and client CPU (issue 21): the same relay bundle, and the client as it publishes
// (packages/client/dist, built here from the current source).
const client = spawnSync("npm", ["run", "build", "-w", "@gemini-relay/client", "--silent"], { cwd: root, env, encoding: "utf8" });
if (client.status !== 0) {
  process.stderr.write(`${client.stdout}\n${client.stderr}`);
  throw new Error("building @gemini-relay/client failed");
}
await build({ ...workerish, platform: "node", entryPoints: [`${root}bench/device.ts`], outfile: `${buildDir}/device.mjs` });
// Loopback phase: Node-side client (the SDK's Node build, as a Node caller would use) and Miniflare.
await build({
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "node",
  packages: "external",
  entryPoints: [`${root}bench/loopback.ts`, `${root}bench/heap-cap.ts`, `${root}bench/report.ts`],
  outdir: buildDir,
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
});

/** Runs a phase; its stdout (the relay's request log lines) is discarded, its stderr is progress. */
function run(script, args, extraEnv, stdout = "ignore") {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, `${buildDir}/${script}`], {
      cwd: root,
      env: { ...env, ...extraEnv },
      stdio: ["ignore", stdout, "inherit"],
    });
    const stop = () => child.kill("SIGTERM");
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      if (code === 0) resolve();
      else reject(new Error(`${script} failed (${signal ?? code})`));
    });
  });
}

const common = { BENCH_RELAY_BUNDLE: `${buildDir}/relay/index.js`, BENCH_BUILD: buildDir };

// 3. CPU per turn and the relay's profile, in-process on Node.
log("phase 1/2: in-process CPU (Node)");
await run("inprocess.mjs", ["--expose-gc"], { ...common, BENCH_OUT: `${out}/inprocess.json` });
log("phase 1/2: a device that keeps its transcript: bytes per turn, client CPU (Node)");
await run("device.mjs", ["--expose-gc"], { ...common, BENCH_OUT: `${out}/device.json` });

// 4. Latency, workerd CPU and memory, streaming, throughput and startup over loopback HTTP.
log("phase 2/2: loopback HTTP (workerd via Miniflare)");
// (The workerd CPU profile talks to workerd's inspector over a WebSocket: a flag on Node 20.)
const websocket = typeof WebSocket === "undefined" ? ["--experimental-websocket"] : [];
await run("loopback.mjs", websocket, { ...common, BENCH_OUT: `${out}/loopback.json` });

// 5. The report.
const git = (...args) => spawnSync("git", args, { cwd: root, encoding: "utf8" });
const commit = git("rev-parse", "--short", "HEAD").stdout.trim() || undefined;
const dirty = git("status", "--porcelain", "--untracked-files=no").stdout.trim() !== "";
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : undefined;
writeFileSync(
  `${out}/meta.json`,
  JSON.stringify({
    bundle,
    seconds: (performance.now() - started) / 1000,
    node: process.version,
    finished: new Date().toISOString(),
    commit,
    dirty,
    only,
  }),
);
// The committed results (bench/report-results.ts): replaced by a full run only.
const resultsFile = `${root}docs/results/bench.md`;
await run("report.mjs", [], { BENCH_DIR: out, BENCH_RESULTS_FILE: resultsFile }, "inherit");
const full = process.env.BENCH_QUICK !== "1" && !only;
log(
  `done in ${((performance.now() - started) / 1000).toFixed(0)} s; report in .bench/results.md${full ? " and docs/results/bench.md" : ""}`,
);
