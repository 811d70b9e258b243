/**
 * The report: reads the phases' JSON from .bench/, prints markdown tables and the PASS/MISS of each
 * target to stdout, and writes the same to .bench/results.md. What each figure means: bench/README.md.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { dir, lb, meta } from "./report-data";
import { out, say } from "./report-format";
import { sayDevice } from "./report-device";
import { sayProfile } from "./report-profile";
import { sayAttestation, sayBundle, sayCpu, sayLatency, sayMemory, sayPayloads, sayStreaming, sayThroughput } from "./report-tables";
import { sayTargets } from "./report-targets";

say("# gemini-relay benchmark");
say();
say(
  `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · Node ${meta.node} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "cpu"} · ` +
    `bench run ${meta.seconds.toFixed(0)} s${process.env.BENCH_QUICK === "1" ? " · **QUICK mode: too few iterations, figures are not meaningful**" : ""}. ` +
    "Upstream: the project's emulator, zero latency. Definitions: bench/README.md.",
);

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

const markdown = `${out.join("\n")}\n`;
writeFileSync(`${dir}/results.md`, markdown);
process.stdout.write(markdown);
