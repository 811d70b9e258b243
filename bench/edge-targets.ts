/**
 * Issue 22's targets (fast at the edge): the bundle, startup, small turns, the first streamed event,
 * and no regression at 1 MB and 10 MB against the recorded baseline (bench/baseline.json). The
 * PASS/MISS rules on the figures alone, so they are tested without a bench run
 * (test/node/bench-edge.test.ts); report-targets.ts feeds them the run's figures.
 */
import type { Target } from "./device-targets";

export const BUNDLE_GZIP_KIB = 100;
export const STARTUP_CPU_MS = 10;
/** The first request after a cold start may take at most this many times a one-line worker's. */
export const FIRST_REQUEST_FACTOR = 2;
/** At 8 KB, relay CPU per turn over the parse floor's. */
export const SMALL_TURN_OVER_PARSE_FLOOR = 1.3;
/** The relay's first streamed event, after the upstream's: p50 lag over the direct caller's lag. */
export const FIRST_EVENT_LAG_MS = 0.5;
/**
 * What "no regression" allows over the baseline: the run-to-run spread of the figure on one machine.
 * CPU is compared as relay / parse floor of the same run (so a busier or faster machine moves both);
 * 10 MB ratios were seen to move by about ±10 % between idle runs of the same commit.
 */
export const REGRESSION_NOISE = { cpuRatio: 0.15, heap: 0.1 };

const fixed = (x: number | undefined, digits = 2) => (x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits));
const finite = (xs: (number | undefined)[]) => xs.length > 0 && xs.every((x) => x !== undefined && Number.isFinite(x));

export function bundleTarget(bundle: { rawKiB: number; gzipKiB: number } | undefined): Target {
  return {
    name: `bundle ≤ ${BUNDLE_GZIP_KIB} KiB gzip`,
    where: "wrangler deploy --dry-run, Total Upload",
    figure: bundle ? `${bundle.gzipKiB} KiB gzip (${bundle.rawKiB} KiB raw)` : "—",
    pass: bundle !== undefined && bundle.gzipKiB <= BUNDLE_GZIP_KIB,
  };
}

export interface StartupFigures {
  /** wrangler check startup: CPU sampled while workerd evaluates the bundle, idle excluded. */
  checkStartupMs?: number;
  relayFirstMs?: number;
  trivialFirstMs?: number;
}

export function startupTargets(st: StartupFigures): Target[] {
  const { checkStartupMs: cpu, relayFirstMs: relay, trivialFirstMs: trivial } = st;
  return [
    {
      name: `startup CPU ≤ ${STARTUP_CPU_MS} ms`,
      where: "wrangler check startup (sampled, non-idle)",
      figure: cpu === undefined ? "—" : `${fixed(cpu, 1)} ms`,
      pass: finite([cpu]) && cpu! <= STARTUP_CPU_MS,
    },
    {
      name: `first request after a cold start ≤ ${FIRST_REQUEST_FACTOR}× a one-line worker's`,
      where: "workerd, fresh process, GET /healthz, medians of 3",
      figure:
        relay === undefined || trivial === undefined
          ? "—"
          : `relay ${fixed(relay)} ms, one-line worker ${fixed(trivial)} ms (${fixed(relay / trivial)}×)`,
      pass: finite([relay, trivial]) && relay! <= FIRST_REQUEST_FACTOR * trivial!,
    },
  ];
}

/** One reply's CPU per turn at 8 KB, on one view (workerd or Node). */
export interface SmallTurnCpu {
  label: string;
  relay?: number;
  naive?: number;
  parseFloor?: number;
}

export function smallTurnTarget(where: string, rows: readonly SmallTurnCpu[]): Target {
  return {
    name: `relay CPU ≤ naive relay's and ≤ ${SMALL_TURN_OVER_PARSE_FLOOR}× parse floor's, 8 KB`,
    where,
    figure: rows
      .map(
        (r) =>
          `${r.label} ${fixed(r.relay)} ms: ${fixed(r.relay! / r.naive!)}× naive relay (${fixed(r.naive)} ms), ` +
          `${fixed(r.relay! / r.parseFloor!)}× parse floor (${fixed(r.parseFloor)} ms)`,
      )
      .join("; "),
    pass:
      rows.length > 0 &&
      rows.every(
        (r) => finite([r.relay, r.naive, r.parseFloor]) && r.relay! <= r.naive! && r.relay! <= SMALL_TURN_OVER_PARSE_FLOOR * r.parseFloor!,
      ),
  };
}

/** What the relay adds to the first event's trip, per history: its p50 lag minus the direct caller's (the worse reply). */
export function firstEventTarget(added: readonly { id: string; ms?: number }[]): Target {
  return {
    name: `first streamed event ≤ ${FIRST_EVENT_LAG_MS} ms after the upstream's`,
    where: "loopback HTTP, workerd relay, p50 lag − direct lag",
    figure: added
      .map((a) => `${a.id} ${a.ms === undefined || !Number.isFinite(a.ms) ? "—" : `${a.ms >= 0 ? "+" : ""}${fixed(a.ms)}`} ms`)
      .join(", "),
    pass: added.length > 0 && added.every((a) => finite([a.ms]) && a.ms! <= FIRST_EVENT_LAG_MS),
  };
}

/** The figures "no regression" is checked on; bench/baseline.json holds a recorded run's. */
export interface RegressionFigures {
  /** workerd main-thread CPU per turn, relay / parse floor, by scenario (`1m/text`, …). */
  cpuOverParseFloor: Record<string, number | undefined>;
  /** Peak of a fresh isolate's first 10 MB turn, V8 heap + ArrayBuffers (MiB). */
  heap10mMiB?: number;
  /** Peak of 3 concurrent 10 MB turns in one isolate (MiB). */
  concurrentMiB?: number;
}
export interface Baseline extends RegressionFigures {
  /** Which run, where: commit, date, machine. */
  source: string;
}

export function regressionTarget(now: RegressionFigures, baseline: Baseline): Target {
  const keys = Object.keys(baseline.cpuOverParseFloor);
  const cpu = keys.map((key) => ({ key, now: now.cpuOverParseFloor[key], was: baseline.cpuOverParseFloor[key]! }));
  const heaps = [
    { name: "10 MB heap", now: now.heap10mMiB, was: baseline.heap10mMiB },
    { name: "3 × 10 MB heap", now: now.concurrentMiB, was: baseline.concurrentMiB },
  ].filter((h) => h.was !== undefined);
  const cpuHolds = cpu.every((c) => finite([c.now]) && c.now! <= c.was * (1 + REGRESSION_NOISE.cpuRatio));
  const heapHolds = heaps.every((h) => finite([h.now]) && h.now! <= h.was! * (1 + REGRESSION_NOISE.heap));
  return {
    name: `no regression at 1 MB and 10 MB (CPU ≤ baseline + ${REGRESSION_NOISE.cpuRatio * 100} %, heap ≤ baseline + ${REGRESSION_NOISE.heap * 100} %)`,
    where: `workerd: relay CPU / parse floor (main thread), fresh-isolate heap peaks; baseline: ${baseline.source}`,
    figure: [
      ...cpu.map((c) => `${c.key.replace("/fc", "/thought+call")} ${fixed(c.now)}× (was ${fixed(c.was)}×)`),
      ...heaps.map((h) => `${h.name} ${fixed(h.now, 1)} MiB (was ${fixed(h.was, 1)})`),
    ].join(", "),
    pass: cpu.length > 0 && cpuHolds && heapHolds,
  };
}
