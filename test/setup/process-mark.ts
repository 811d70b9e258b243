// Global setup of the node project: every process its tests start carries this run's mark in its
// environment (mark-children.ts), and when the run ends, any process still carrying it was left
// behind by a test. Those fail the run, by pid and command line, and are stopped.
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { TestProject } from "vitest/node";

export const MARK_VARIABLE = "GEMINI_RELAY_TEST_RUN";

declare module "vitest" {
  export interface ProvidedContext {
    processMark: string;
  }
}

export default function setup(project: TestProject) {
  const mark = randomUUID();
  project.provide("processMark", mark);
  return async () => {
    // A process stopped a moment ago may still be exiting: give the stragglers a few seconds.
    let left = await marked(mark);
    for (let waited = 0; left.length > 0 && waited < 5_000; waited += 250) {
      await new Promise((done) => setTimeout(done, 250));
      left = await marked(mark);
    }
    if (left.length === 0) return;
    for (const { pid } of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    // vitest reports an error thrown here but still exits 0, so the run's exit code says it too.
    process.exitCode = 1;
    throw new Error(
      `Tests left ${left.length} process(es) running (now killed):\n${left.map((p) => `  ${p.pid} ${p.command}`).join("\n")}`,
    );
  };
}

/** The live processes whose environment carries the mark (Linux's /proc; elsewhere the check cannot look and finds none). */
async function marked(mark: string): Promise<Array<{ pid: number; command: string }>> {
  const entry = `${MARK_VARIABLE}=${mark}`;
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: Array<{ pid: number; command: string }> = [];
  for (const pid of pids) {
    try {
      const environ = await readFile(`/proc/${pid}/environ`, "latin1");
      if (!environ.split("\0").includes(entry)) continue;
      const status = await readFile(`/proc/${pid}/stat`, "latin1");
      if (/^\d+ \(.*\) Z /s.test(status)) continue; // a zombie holds nothing; its parent reaps it
      const command = (await readFile(`/proc/${pid}/cmdline`, "latin1")).split("\0").join(" ").trim();
      found.push({ pid: Number(pid), command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
