#!/usr/bin/env node
// `npm run soak`: bundles the soak (bench/soak/main.ts) with esbuild and runs it in its own Node
// process (WebSocket on, for the heap readings through wrangler's inspector). See docs/benchmarks.md; a full
// run writes docs/results/soak.md.
//
//   SOAK_QUICK=1 npm run soak     small counts and durations, for working on the harness
//   SOAK_SEED=<n> npm run soak    repeat a run's random choices (the seed is printed)
//   SOAK_VERBOSE=1 npm run soak   also show the processes' own output on stderr
//   SOAK_STACKS=direct,node       only these relays (direct: Miniflare, wrangler: wrangler dev, node: the Node entry)
//   SOAK_RSS_ROUNDS=<n>           after the phases, n more 30 s rounds of the streamed load, RSS after each and after 10 s idle
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outfile = `${root}.soak/soak.mjs`;
await build({
  entryPoints: [`${root}bench/soak/main.ts`],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
});

const child = spawn(process.execPath, ["--experimental-websocket", "--max-old-space-size=4096", outfile], {
  cwd: root,
  env: { ...process.env, SOAK_ROOT: root },
  stdio: "inherit",
});
const forward = (signal) => child.kill(signal);
process.on("SIGINT", forward);
process.on("SIGTERM", forward);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
