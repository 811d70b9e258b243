// The bench's device targets (bench/device-targets.ts, issue 21): the PASS/MISS rule on the figures
// alone. Not a bench run (`npm run bench` is that).
import { describe, expect, it } from "vitest";
import { deviceTargets, GZIP_UP_SHARE, MINIMAL_DOWN_LIMIT, type DeviceFigures, type DeviceResult } from "../../bench/device-targets";
import { summarize } from "../../bench/stats";

const figures = (over: { minimal?: number; minimalStream?: number; identity?: number; gzip?: number } = {}): DeviceFigures => ({
  label: "x",
  up: { identity: over.identity ?? 1_000_000, gzip: over.gzip ?? 250_000 },
  down: {
    full: 1_000_900,
    minimal: over.minimal ?? 900,
    fullStream: 1_001_500,
    minimalStream: over.minimalStream ?? 1_500,
    fullGzip: 250_000,
    minimalGzip: 600,
  },
  cpu: { parseFull: summarize([5]), appendFull: summarize([7]), appendMinimal: summarize([1]), baseSha256: summarize([0.5]) },
});
const all = (f: DeviceFigures, at: Partial<DeviceResult> = {}): DeviceResult => ({ "8k": f, "1m": f, "10m": f, ...at });
const verdicts = (result: DeviceResult | undefined) => deviceTargets(result).map((t) => t.pass);

describe("device targets", () => {
  it("pass when every minimal answer is under the limit and the 1 MB upload gzips to a third or less", () => {
    expect(verdicts(all(figures()))).toEqual([true, true]);
  });

  it("miss the down target when one history's minimal answer, unary or streamed, reaches the limit", () => {
    expect(verdicts(all(figures(), { "10m": figures({ minimal: MINIMAL_DOWN_LIMIT }) }))[0]).toBe(false);
    expect(verdicts(all(figures(), { "8k": figures({ minimalStream: MINIMAL_DOWN_LIMIT + 1 }) }))[0]).toBe(false);
    expect(verdicts(all(figures({ minimal: MINIMAL_DOWN_LIMIT - 1, minimalStream: MINIMAL_DOWN_LIMIT - 1 })))[0]).toBe(true);
  });

  it("holds the upload to a third of identity at 1 MB only", () => {
    const third = figures({ identity: 900_000, gzip: 900_000 * GZIP_UP_SHARE });
    expect(verdicts(all(figures(), { "1m": third }))[1]).toBe(true);
    expect(verdicts(all(figures(), { "1m": figures({ gzip: 340_000 }) }))[1]).toBe(false);
    expect(verdicts(all(figures(), { "8k": figures({ gzip: 900_000 }) }))[1]).toBe(true);
  });

  it("reads a history that failed or did not run as a MISS, saying so", () => {
    const failed = all(figures(), { "1m": { error: "relay 500" } });
    expect(verdicts(failed)).toEqual([false, false]);
    expect(deviceTargets(failed)[1]!.figure).toContain("relay 500");
    expect(verdicts(undefined)).toEqual([false, false]);
    expect(deviceTargets(undefined)[0]!.figure).toContain("not measured");
  });
});
