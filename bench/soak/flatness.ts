/**
 * "RSS flat after warm-up", made precise. Over the samples of the sustained streaming load:
 * the first `warmupFraction` of the phase is warm-up; the plateau is the median of the next
 * `window` samples; the end is the median of the last `window` samples. Flat when the end is at
 * most `tolerance` above the plateau (medians, so one GC pause or one burst does not decide).
 * The least-squares slope after warm-up is reported beside it, in MB per minute.
 */
import { percentile } from "../stats";

export interface Sample {
  /** Milliseconds since the phase started. */
  atMs: number;
  mb: number;
}

export interface FlatnessRule {
  warmupFraction: number;
  window: number;
  tolerance: number;
}

export const FLATNESS_RULE: FlatnessRule = { warmupFraction: 0.25, window: 10, tolerance: 0.1 };

export interface Flatness {
  /** Median RSS of the first window after warm-up (MB). */
  plateauMb: number;
  /** Median RSS of the last window (MB). */
  endMb: number;
  /** endMb / plateauMb - 1. */
  growth: number;
  slopeMbPerMin: number;
  flat: boolean;
  /** Why there is no verdict (too few samples), when there is none. */
  undecided?: string;
}

export function flatness(samples: readonly Sample[], rule: FlatnessRule = FLATNESS_RULE): Flatness {
  const duration = samples.length > 0 ? samples[samples.length - 1]!.atMs - samples[0]!.atMs : 0;
  const warm = samples.filter((s) => s.atMs - samples[0]!.atMs >= duration * rule.warmupFraction);
  if (warm.length < 2 * rule.window) {
    return {
      plateauMb: Number.NaN,
      endMb: Number.NaN,
      growth: Number.NaN,
      slopeMbPerMin: Number.NaN,
      flat: false,
      undecided: `${warm.length} samples after warm-up, ${2 * rule.window} needed`,
    };
  }
  const plateauMb = percentile(
    warm.slice(0, rule.window).map((s) => s.mb),
    50,
  );
  const endMb = percentile(
    warm.slice(-rule.window).map((s) => s.mb),
    50,
  );
  const growth = endMb / plateauMb - 1;
  return { plateauMb, endMb, growth, slopeMbPerMin: slope(warm) * 60_000, flat: growth <= rule.tolerance + 1e-9 };
}

/** Least-squares slope of mb over atMs. */
function slope(samples: readonly Sample[]): number {
  const n = samples.length;
  const meanT = samples.reduce((sum, s) => sum + s.atMs, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.mb, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const s of samples) {
    covariance += (s.atMs - meanT) * (s.mb - meanY);
    variance += (s.atMs - meanT) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}
