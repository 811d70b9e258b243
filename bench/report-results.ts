/**
 * The bench's results file: the report with the run it came from (date, commit, machine, Node), so a
 * committed copy says what it measured. `npm run bench` writes it to .bench/results.md on every run
 * and, on a full run (not BENCH_QUICK, not BENCH_ONLY), to docs/results/bench.md (run.mjs names it),
 * which is committed and linked from the docs.
 */

export interface RunInfo {
  /** When the run's measurements ended. */
  date: Date;
  /** The commit measured (short hash), and whether the work tree differed from it. */
  commit: string;
  dirty: boolean;
  node: string;
  /** CPU model and count, memory, OS. */
  machine: string;
  seconds: number;
  /** A smoke run (BENCH_QUICK=1): too few iterations for the figures to mean anything. */
  quick: boolean;
  /** Histories phase 2 was limited to (BENCH_ONLY), if any. */
  only?: string[];
}

/** The results document: a header naming the run, then the report's sections (from "## Targets" on). */
export function resultsDocument(run: RunInfo, sections: string): string {
  const when = `${run.date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  const commit = run.dirty ? `${run.commit} with uncommitted changes` : run.commit;
  const caveats = [
    run.quick ? "**QUICK mode: too few iterations, figures are not meaningful.**" : undefined,
    run.only ? `**Phase 2 limited to ${run.only.join(", ")} (BENCH_ONLY): other histories' rows are missing.**` : undefined,
  ].filter((line) => line !== undefined);
  return [
    "# gemini-relay benchmark",
    "",
    "Written by `npm run bench` (bench/report.ts); every full run replaces this file. Upstream: the project's emulator, " +
      "zero latency, so what is measured is the relay's own cost. Definitions of every figure: [bench/README.md](../../bench/README.md).",
    "",
    "| run | |",
    "|---|---|",
    `| date | ${when} |`,
    `| commit | ${commit} |`,
    `| machine | ${run.machine} |`,
    `| Node | ${run.node} |`,
    `| duration | ${run.seconds.toFixed(0)} s |`,
    ...(caveats.length > 0 ? ["", ...caveats] : []),
    "",
    sections.trim(),
    "",
  ].join("\n");
}
