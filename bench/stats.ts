/** Small statistics helpers shared by the bench phases. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  return {
    n,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: n === 0 ? Number.NaN : samples.reduce((sum, x) => sum + x, 0) / n,
    min: n === 0 ? Number.NaN : Math.min(...samples),
  };
}

/** Progress on stderr, so stdout carries only the final table. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
