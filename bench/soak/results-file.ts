/**
 * The soak's committed results file, docs/results/soak.md: what a full run found, headed by where and
 * when it ran, so the docs link figures the tool wrote rather than figures pasted by hand. Each full
 * run replaces it; a quick or partial run leaves it alone (its figures would not stand for the relay).
 */
import { execFileSync } from "node:child_process";
import { cpus, release, totalmem, type as osType } from "node:os";
import { STACKS, type SoakConfig } from "./config";
import { verdicts, type RelayResult } from "./report";

/** Where the file lives, from the repository's root. */
export const SOAK_RESULTS_FILE = "docs/results/soak.md";

/** Where and when a run happened: the file's head. */
export interface RunFacts {
  /** When the run ended. */
  date: Date;
  /** The commit measured, short, with "+ uncommitted changes" when the work tree differed from it. */
  commit: string;
  node: string;
  machine: string;
}

/** A stack the run covered: measured, or skipped with the reason. */
export type StackOutcome = RelayResult | { relay: string; skipped: string };

/** The facts of this process's run, read from the machine and from git in `root`. */
export function runFacts(root: string, date = new Date()): RunFacts {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  let commit: string;
  try {
    commit = git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--untracked-files=no") ? " + uncommitted changes" : "");
  } catch {
    commit = "unknown (not a git checkout)";
  }
  const cores = cpus();
  const machine = `${cores.length} × ${cores[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}`;
  return { date, commit, node: process.version, machine };
}

/** Why this run does not replace the committed file, or undefined when it does. */
export function notReplacingBecause(config: Pick<SoakConfig, "quick" | "stacks">): string | undefined {
  if (config.quick) return "a SOAK_QUICK run's figures mean nothing";
  const missing = STACKS.filter((stack) => !config.stacks.includes(stack));
  if (missing.length) return `the run left out ${missing.join(", ")} (SOAK_STACKS)`;
  return undefined;
}

/**
 * The file's text: the run's facts, every target's PASS/MISS on every stack in one table, then the
 * report the soak printed (`report`, its figures and per-stack verdicts), as printed.
 */
export function soakResultsFile(facts: RunFacts, outcomes: readonly StackOutcome[], report: string): string {
  const measured = outcomes.filter((o): o is RelayResult => !("skipped" in o));
  const targets = [...new Set(measured.flatMap((r) => verdicts(r).map((v) => v.target)))];
  const cell = (o: StackOutcome, target: string) => {
    if ("skipped" in o) return "skipped";
    const verdict = verdicts(o).find((v) => v.target === target);
    return verdict === undefined ? "—" : verdict.pass ? "PASS" : "MISS";
  };
  return [
    "# Soak results",
    "",
    "Written by `npm run soak` (a full run), replaced by the next one: do not edit by hand. What each figure",
    "means and how it is measured: [docs/benchmarks.md](../benchmarks.md#the-soak-npm-run-soak).",
    "",
    "| run | |",
    "|---|---|",
    `| date | ${facts.date.toISOString().slice(0, 16).replace("T", " ")} UTC |`,
    `| commit | ${facts.commit} |`,
    `| Node | ${facts.node} |`,
    `| machine | ${facts.machine} |`,
    "",
    "## Verdicts",
    "",
    `| target | ${outcomes.map((o) => o.relay).join(" | ")} |`,
    `|---|${outcomes.map(() => "---|").join("")}`,
    ...targets.map((target) => `| ${target} | ${outcomes.map((o) => cell(o, target)).join(" | ")} |`),
    "",
    report.trimEnd(),
    "",
  ].join("\n");
}
