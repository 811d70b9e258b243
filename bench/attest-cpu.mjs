#!/usr/bin/env node
// Builds what bench/attest-cpu.ts measures (the relay as wrangler bundles it, the bench's emulator
// worker) into .bench/attest/, then runs it. See attest-cpu.ts.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const buildDir = `${root}.bench/attest`;
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", NO_COLOR: "1", ATTEST_BENCH_BUILD: buildDir };

const wrangler = spawnSync(process.execPath, [`${root}node_modules/wrangler/bin/wrangler.js`, "deploy", "--dry-run", "--outdir", `${buildDir}/relay`], { cwd: root, env, encoding: "utf8" });
if (wrangler.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${wrangler.stdout}\n${wrangler.stderr}`);
const workerish = { bundle: true, format: "esm", target: "es2022", conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"], logLevel: "warning" };
await build({ ...workerish, platform: "neutral", entryPoints: [`${root}bench/emulator-worker.ts`], outfile: `${buildDir}/emulator.mjs` });
await build({ ...workerish, platform: "node", packages: "external", entryPoints: [`${root}bench/attest-cpu.ts`], outfile: `${buildDir}/attest-cpu.mjs` });
const run = spawnSync(process.execPath, [`${buildDir}/attest-cpu.mjs`], { cwd: root, env, stdio: "inherit" });
process.exitCode = run.status ?? 1;
