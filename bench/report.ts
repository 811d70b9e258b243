/**
 * The report: reads the phases' JSON from .bench/, prints markdown tables and the PASS/MISS of each
 * target to stdout, and writes the same to .bench/results.md, and on a full run to the committed
 * results file (report-results.ts). What each figure means: bench/README.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname } from "node:path";
import { dir, lb, meta } from "./report-data";
import { out, say } from "./report-format";
import { sayDevice } from "./report-device";
import { sayProfile } from "./report-profile";
import { resultsDocument } from "./report-results";
import { sayAttestation, sayBundle, sayCpu, sayLatency, sayMemory, sayPayloads, sayStreaming, sayThroughput } from "./report-tables";
import { sayTargets } from "./report-targets";

sayTargets();
sayPayloads();
sayLatency();
sayCpu();
sayAttestation();
sayDevice();
sayStreaming();
sayMemory();
sayThroughput();
sayBundle();
sayProfile();

if (lb.leftover && lb.leftover.length > 0) {
  say();
  say(`Warning: ${lb.leftover.length} workerd process(es) outlived their Miniflare and were killed: ${lb.leftover.join(", ")}.`);
}

const cpus = os.cpus();
const markdown = resultsDocument(
  {
    date: meta.finished ? new Date(meta.finished) : new Date(),
    commit: meta.commit ?? "unknown",
    dirty: meta.dirty ?? false,
    node: meta.node,
    machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
    seconds: meta.seconds,
    quick: process.env.BENCH_QUICK === "1",
    only: meta.only,
  },
  out.join("\n"),
);
writeFileSync(`${dir}/results.md`, markdown);
// A full run replaces the committed results; a quick or partial one never does.
if (process.env.BENCH_QUICK !== "1" && !meta.only && process.env.BENCH_RESULTS_FILE) {
  mkdirSync(dirname(process.env.BENCH_RESULTS_FILE), { recursive: true });
  writeFileSync(process.env.BENCH_RESULTS_FILE, markdown);
}
process.stdout.write(markdown);
