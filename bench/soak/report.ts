/** The soak's table, in markdown: what was measured per relay, and PASS/MISS against issue 11's targets. */
import { FLATNESS_RULE, type Flatness, type Sample } from "./flatness";
import { RECOVERY_MS, type AbortTally, type FuzzTally, type TurnTally } from "./phases";

export interface MemoryFigures {
  startMb: number;
  peakMb: number;
  endMb: number;
}

export interface RelayResult {
  relay: string;
  load: TurnTally;
  big: TurnTally;
  bigMb: number;
  aborts: AbortTally;
  fuzz: FuzzTally;
  rss: MemoryFigures;
  rssFlatness: Flatness;
  /** Undefined with the reason when the heap could not be read. */
  heap: MemoryFigures | string;
  emulatorPeakRssMb?: number;
  /** Times wrangler reloaded the relay's worker during the soak. */
  reloads?: number;
  /** The tap's own failures to reach the emulator (harness side, answered 502 to the relay). */
  tapFailures: Record<string, number>;
  /** Request log lines the relay printed during the aborted-turn phase (one per request is the rule). */
  abortLogLines: number;
  /** SOAK_RSS_ROUNDS: per extra round of streamed load, its turns and errors, RSS at its end and after the idle pause, the heap then. */
  rounds?: LoadRound[];
  /** Before each phase after the first: seconds until the relay served a normal turn again (undefined: not within the limit). */
  ready: Record<string, number | undefined>;
}

export interface LoadRound {
  turns: number;
  errors: number;
  rssAfterLoadMb: number;
  rssAfterIdleMb: number;
  heapAfterIdleMb?: number;
}

export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

export function memoryFigures(samples: readonly Sample[], startMs: number, endMs: number): MemoryFigures {
  const at = (ms: number, pick: "first" | "last") => {
    const near = pick === "first" ? samples.find((s) => s.atMs >= ms) : [...samples].reverse().find((s) => s.atMs <= ms);
    return near?.mb ?? Number.NaN;
  };
  return { startMb: at(startMs, "first"), peakMb: Math.max(...samples.map((s) => s.mb)), endMb: at(endMs, "last") };
}

export function verdicts(r: RelayResult): Verdict[] {
  const loadErrors = sum(r.load.errors) + sum(r.big.errors);
  const f = r.rssFlatness;
  return [
    {
      target: "0 relay errors under load",
      measured: `${loadErrors} (${describeErrors({ ...r.load.errors, ...prefixed("5 MB: ", r.big.errors) })})`,
      pass: loadErrors === 0,
    },
    { target: "0 x 5xx in the fuzz", measured: String(r.fuzz.fiveXx), pass: r.fuzz.fiveXx === 0 },
    {
      target: `0 hangs in the fuzz (no answer within ${r.fuzz.hangMs / 1000} s; a stalled body: ${r.fuzz.stalledHangMs / 1000} s, past the relay's body timeout)`,
      measured: String(r.fuzz.hangs),
      pass: r.fuzz.hangs === 0,
    },
    {
      target: `0 upstream calls left running after an abort (still running ${r.aborts.graceMs / 1000} s after the caller left)`,
      measured: `${r.aborts.leftRunning} of ${sum(r.aborts.callsPerTurn.histogram, (k, v) => Number(k) * v)} calls, over ${r.aborts.aborted} aborted turns`,
      pass: r.aborts.leftRunning === 0 && r.aborts.aborted > 0,
    },
    {
      target: `RSS flat after warm-up (median of the last ${FLATNESS_RULE.window} samples of the streamed load ≤ ${100 * FLATNESS_RULE.tolerance}% above the median of the first ${FLATNESS_RULE.window} after its first ${100 * FLATNESS_RULE.warmupFraction}%)`,
      measured: f.undecided ?? `${mb(f.plateauMb)} → ${mb(f.endMb)} MB (${pct(f.growth)}; slope ${f.slopeMbPerMin.toFixed(1)} MB/min)`,
      pass: f.flat,
    },
  ];
}

/** The relay behind wrangler's dev proxy, and the same workerd relay with nothing in front (main.ts's stack names). */
const BEHIND_PROXY = "workerd (wrangler dev)";
const DIRECT = "workerd (Miniflare direct)";

/**
 * One line per missed target. A miss behind wrangler's dev proxy whose target the same relay meets
 * in workerd with nothing in front is marked as the proxy's, apart from the relay's own misses.
 */
export function missLines(results: readonly RelayResult[]): string[] {
  const direct = results.find((r) => r.relay === DIRECT);
  const passedDirect = new Set(
    direct
      ? verdicts(direct)
          .filter((v) => v.pass)
          .map((v) => v.target)
      : [],
  );
  return results.flatMap((r) =>
    verdicts(r)
      .filter((v) => !v.pass)
      .map(
        (v) =>
          `${r.relay}: ${v.target}${r.relay === BEHIND_PROXY && passedDirect.has(v.target) ? ` (wrangler dev's proxy: met by the same relay in ${DIRECT})` : ""}`,
      ),
  );
}

export function renderResult(r: RelayResult): string {
  const rows: [string, string][] = [
    ["streamed turns (load)", `${r.load.turns} in ${r.load.seconds.toFixed(1)} s (${(r.load.turns / r.load.seconds).toFixed(0)}/s)`],
    ["errors by kind (load)", describeErrors(r.load.errors)],
    ...Object.entries({ ...r.load.firstAnswer, ...prefixed("5 MB: ", r.big.firstAnswer) }).map(([kind, answer]): [string, string] => [
      `first "${kind}" answer`,
      quoted(answer),
    ]),
    ["latency p50 / p99 (load, ok turns)", `${ms(r.load.latency.p50)} / ${ms(r.load.latency.p99)} ms`],
    [
      `${r.bigMb.toFixed(1)} MB unary turns`,
      `${r.big.turns}, errors: ${describeErrors(r.big.errors)}, p50 / p99 ${ms(r.big.latency.p50)} / ${ms(r.big.latency.p99)} ms`,
    ],
    [
      "aborted streamed turns",
      `${r.aborts.aborted} aborted (${r.aborts.completedFirst} of ${r.aborts.planned} ended before their abort time; ${r.aborts.stillOpenAtEnd} upstream calls still open when the phase stopped waiting)`,
    ],
    [
      "upstream calls per aborted turn",
      `mean ${r.aborts.callsPerTurn.mean.toFixed(2)}, max ${r.aborts.callsPerTurn.max} (${histogram(r.aborts.callsPerTurn.histogram)})`,
    ],
    [
      `upstream calls running > ${r.aborts.graceMs / 1000} s after the abort`,
      `${r.aborts.leftRunning} (${r.aborts.startedAfterAbort} started after the abort; ${r.aborts.completedAfterAbort} answered in full after it); by scenario: ${abortRows(r.aborts.byScenario)}; by how and when the caller left: ${abortRows(r.aborts.byLeaving)}`,
    ],
    ["relay request log lines during the aborted-turn phase", `${r.abortLogLines} for ${r.aborts.planned} requests`],
    [
      "fuzz cases",
      `${r.fuzz.cases} (${Object.entries(r.fuzz.byKind)
        .map(([k, v]) => `${k} ${v.cases}`)
        .join(", ")})`,
    ],
    ["fuzz answers", histogram(r.fuzz.statuses)],
    ["fuzz 5xx / hangs / closed without answer", `${r.fuzz.fiveXx} / ${r.fuzz.hangs} / ${r.fuzz.noAnswer}${kindsWith(r.fuzz)}`],
    ...Object.entries(r.fuzz.first5xx).map(([kind, answer]): [string, string] => [`first 5xx answer to "${kind}"`, quoted(answer)]),
    [
      "relay serves a normal turn after the fuzz",
      r.fuzz.servesAgainAfterS === undefined
        ? `NO (not within ${RECOVERY_MS / 1000} s)`
        : `yes, after ${r.fuzz.servesAgainAfterS.toFixed(1)} s`,
    ],
    [
      "before each phase: relay serves a normal turn after",
      Object.entries(r.ready)
        .map(([phase, s]) => `${phase} ${s === undefined ? `NOT within ${RECOVERY_MS / 1000} s` : `${s.toFixed(1)} s`}`)
        .join(", "),
    ],
    ["relay RSS after seeding / peak / end", `${mb(r.rss.startMb)} / ${mb(r.rss.peakMb)} / ${mb(r.rss.endMb)} MB`],
    [
      "relay JS heap (used) after seeding / peak / end",
      typeof r.heap === "string" ? `not measured: ${r.heap}` : `${mb(r.heap.startMb)} / ${mb(r.heap.peakMb)} / ${mb(r.heap.endMb)} MB`,
    ],
    ...(r.rounds?.length
      ? ([
          [
            "RSS after each extra load round / after its idle pause (heap)",
            r.rounds
              .map(
                (x, i) =>
                  `${i + 1}: ${x.turns} turns, ${x.errors} errors, ${mb(x.rssAfterLoadMb)} / ${mb(x.rssAfterIdleMb)} MB (${x.heapAfterIdleMb === undefined ? "heap n/a" : `${mb(x.heapAfterIdleMb)} MB`})`,
              )
              .join("; "),
          ],
        ] as [string, string][])
      : []),
    ["tap: failures reaching the emulator (each a 502 to the relay)", describeErrors(r.tapFailures)],
    ...(r.reloads === undefined ? [] : ([["wrangler reloads of the relay during the soak", String(r.reloads)]] as [string, string][])),
    ...(r.emulatorPeakRssMb === undefined ? [] : ([["emulator RSS peak", `${mb(r.emulatorPeakRssMb)} MB`]] as [string, string][])),
  ];
  const table = ["| figure | measured |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  const targets = [
    "| target | measured | verdict |",
    "|---|---|---|",
    ...verdicts(r).map((v) => `| ${v.target} | ${v.measured} | ${v.pass ? "PASS" : "MISS"} |`),
  ];
  return [`### ${r.relay}`, "", ...table, "", ...targets].join("\n");
}

function abortRows(rows: Partial<Record<string, { aborted: number; leftRunning: number; startedAfterAbort: number }>>): string {
  return Object.entries(rows)
    .map(([k, v]) => `${k}: ${v!.leftRunning} calls left running (${v!.startedAfterAbort} started after the abort) in ${v!.aborted} turns`)
    .join(", ");
}

/** An answer's start, safe inside a markdown table cell. */
const quoted = (answer: string) => `\`${answer.replace(/[\r\n|`]+/g, " ").slice(0, 160)}\``;

function kindsWith(f: FuzzTally): string {
  const bad = Object.entries(f.byKind).filter(([, v]) => v.fiveXx || v.hangs || v.noAnswer);
  return bad.length ? `; in: ${bad.map(([k, v]) => `${k} (${v.fiveXx}/${v.hangs}/${v.noAnswer})`).join(", ")}` : "";
}

function sum(record: Record<string, number>, weight: (key: string, value: number) => number = (_, v) => v): number {
  return Object.entries(record).reduce((total, [k, v]) => total + weight(k, v), 0);
}

function prefixed<T>(prefix: string, record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [prefix + k, v]));
}

function describeErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k}: ${v}`).join(", ");
}

function histogram(record: Record<string, number>): string {
  return Object.entries(record)
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const mb = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}%`;
