#!/usr/bin/env node
// `npm run test:lts`: the Node entry's tests (`npm run serve`) and the packed packages (installed and run
// in a fresh project) on the current Node LTS, whatever Node runs npm. The binary comes from the
// registry's `node` package through npx, which puts it first on PATH: the `npm`, tsx and relay
// processes the tests start run on it too (serve.test.ts checks, with TEST_NODE_VERSION).
//
// vitest's JSON report: CI asks for one per run (.ci/run). This run writes VITEST_LTS_JSON_REPORT when
// set and no report otherwise, never the main run's VITEST_JSON_REPORT, which it would overwrite.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Node 26: Active LTS since October 2026 (Node 24 is in maintenance; Node 20 reached end of life in April 2026). */
const NODE_LTS = "26.10.0";
const FILES = ["test/node/serve.test.ts", "test/node/packages.test.ts"];

const { VITEST_JSON_REPORT: _mainReport, VITEST_LTS_JSON_REPORT: ltsReport, ...env } = process.env;
const run = spawnSync("npx", ["-y", `node@${NODE_LTS}`, "node_modules/vitest/vitest.mjs", "run", "--project", "node", ...FILES], {
  cwd: fileURLToPath(new URL("..", import.meta.url)),
  stdio: "inherit",
  env: { ...env, TEST_NODE_VERSION: NODE_LTS, ...(ltsReport ? { VITEST_JSON_REPORT: ltsReport } : {}) },
});
if (run.error) console.error(`npm run test:lts: could not run npx: ${run.error.message}`);
process.exit(run.status ?? 1);
