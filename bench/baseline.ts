/**
 * The figures "no regression at 1 MB and 10 MB" is checked against (edge-targets.ts): one full
 * `npm run bench` on an otherwise idle machine, before issue 22's work. Replace them (and `source`)
 * only with a run whose changes were meant to move them, and say so in the commit.
 */
import type { Baseline } from "./edge-targets";

export const BASELINE: Baseline = {
  source: "npm run bench at 87b1705, 2026-12-06 22:38 UTC, 2 × Intel Xeon, Node v20.20.2, idle",
  cpuOverParseFloor: { "1m/text": 0.78, "1m/fc": 0.78, "10m/text": 0.65, "10m/fc": 0.66 },
  heap10mMiB: 36.9,
  concurrentMiB: 77.1,
};
