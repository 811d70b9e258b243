// The bench's edge targets (bench/edge-targets.ts, issue 22) and its results file's formatting
// (bench/report-results.ts): the PASS/MISS rules and the document, on figures alone. Not a bench run.
import { describe, expect, it } from "vitest";
import { bundleTarget, firstEventTarget, regressionTarget, smallTurnTarget, startupTargets, type Baseline } from "../../bench/edge-targets";
import { resultsDocument, type RunInfo } from "../../bench/report-results";

describe("edge targets", () => {
  it("hold the bundle to 100 KiB gzip and startup CPU to 10 ms; a missing figure is a MISS", () => {
    expect(bundleTarget({ rawKiB: 400, gzipKiB: 100 }).pass).toBe(true);
    expect(bundleTarget({ rawKiB: 400, gzipKiB: 100.1 }).pass).toBe(false);
    expect(bundleTarget(undefined).pass).toBe(false);
    expect(startupTargets({ checkStartupMs: 10, relayFirstMs: 2, trivialFirstMs: 1 }).map((t) => t.pass)).toEqual([true, true]);
    expect(startupTargets({ checkStartupMs: 10.5, relayFirstMs: 2.1, trivialFirstMs: 1 }).map((t) => t.pass)).toEqual([false, false]);
    expect(startupTargets({}).map((t) => t.pass)).toEqual([false, false]);
  });

  it("hold a small turn to the naive relay's CPU and 1.3× the parse floor's, every reply", () => {
    const row = (relay: number) => ({ label: "text", relay, naive: 1, parseFloor: 0.7 });
    expect(smallTurnTarget("w", [row(0.9), row(0.5)]).pass).toBe(true);
    expect(smallTurnTarget("w", [row(0.9), row(0.92)]).pass).toBe(false); // over 1.3 × 0.7
    expect(smallTurnTarget("w", [{ label: "text", relay: 0.5, naive: 0.4, parseFloor: 1 }]).pass).toBe(false); // over the naive relay
    expect(smallTurnTarget("w", [{ label: "text", relay: 0.5 }]).pass).toBe(false);
    expect(smallTurnTarget("w", []).pass).toBe(false);
  });

  it("hold the first streamed event to 0.5 ms over the direct caller's lag, every history", () => {
    expect(
      firstEventTarget([
        { id: "8k", ms: 0.5 },
        { id: "1m", ms: -0.1 },
      ]).pass,
    ).toBe(true);
    const missed = firstEventTarget([
      { id: "8k", ms: 0.2 },
      { id: "10m", ms: 0.51 },
    ]);
    expect(missed.pass).toBe(false);
    expect(missed.figure).toBe("8k +0.20 ms, 10m +0.51 ms");
    expect(firstEventTarget([{ id: "8k", ms: Number.NaN }]).pass).toBe(false);
  });

  it("allow 1 MB and 10 MB figures the baseline's noise, no more, and read a missing one as a regression", () => {
    const baseline: Baseline = { source: "x", cpuOverParseFloor: { "1m/text": 0.8, "10m/text": 0.6 }, heap10mMiB: 40, concurrentMiB: 80 };
    const now = { cpuOverParseFloor: { "1m/text": 0.8 * 1.15, "10m/text": 0.5 }, heap10mMiB: 44, concurrentMiB: 70 };
    expect(regressionTarget(now, baseline).pass).toBe(true);
    expect(regressionTarget({ ...now, cpuOverParseFloor: { ...now.cpuOverParseFloor, "10m/text": 0.7 } }, baseline).pass).toBe(false);
    expect(regressionTarget({ ...now, concurrentMiB: 88.1 }, baseline).pass).toBe(false);
    expect(regressionTarget({ ...now, cpuOverParseFloor: { "1m/text": 0.8 } }, baseline).pass).toBe(false);
    expect(regressionTarget({ ...now, heap10mMiB: undefined }, baseline).pass).toBe(false);
  });
});

describe("the results file", () => {
  const run: RunInfo = {
    date: new Date("2026-12-07T00:10:30Z"),
    commit: "abc1234",
    dirty: false,
    node: "v20.20.2",
    machine: "2 × CPU, 8 GiB, Linux 6",
    seconds: 301.4,
    quick: false,
  };
  const sections = "## Targets\n\n| target | result |\n|---|---|\n| x | **PASS** |\n";

  it("names the run (date, commit, machine, Node, duration) above the report's sections, unchanged", () => {
    const doc = resultsDocument(run, sections);
    expect(doc.startsWith("# gemini-relay benchmark\n")).toBe(true);
    for (const row of [
      "| date | 2026-12-07 00:10 UTC |",
      "| commit | abc1234 |",
      "| machine | 2 × CPU, 8 GiB, Linux 6 |",
      "| Node | v20.20.2 |",
      "| duration | 301 s |",
    ])
      expect(doc).toContain(`\n${row}\n`);
    expect(doc.endsWith(`\n${sections}`)).toBe(true);
    expect(doc).not.toContain("QUICK");
  });

  it("says when the tree was not the commit, and when the run was quick or partial", () => {
    const doc = resultsDocument({ ...run, dirty: true, quick: true, only: ["8k", "1m"] }, sections);
    expect(doc).toContain("| commit | abc1234 with uncommitted changes |");
    expect(doc).toContain("QUICK mode");
    expect(doc).toContain("Phase 2 limited to 8k, 1m (BENCH_ONLY)");
  });
});
