/**
 * How far chance alone may move a ratio of two p99s: a percentile bootstrap. Both sample sets
 * are drawn again with replacement, the ratio of their p99s taken, `rounds` times; the interval
 * holds the middle 95% of those ratios. A p99 of 2,000 requests stands on its 20 slowest, and
 * on a shared machine two p99s of one portfolio differ by a quarter: the interval says whether
 * a ratio above (or below) the target is more than that.
 */
import { createRng } from '../scripts/proof/rng';

export interface Interval {
  low: number;
  high: number;
}

export interface IntervalOptions {
  /** Bootstrap rounds (default 1,000). */
  rounds?: number;
  /** Seeds the draws, so the same samples always give the same interval (default 1). */
  seed?: number;
}

/** The 95% bootstrap interval of `p99(samples) / p99(base)`. */
export function p99RatioInterval(
  samples: readonly number[],
  base: readonly number[],
  { rounds = 1_000, seed = 1 }: IntervalOptions = {},
): Interval {
  const rng = createRng(seed);
  const random = () => rng.next();
  const [top, bottom] = [sorted(samples), sorted(base)];
  const counts = new Uint32Array(Math.max(top.length, bottom.length));
  const ratios = Array.from(
    { length: rounds },
    () => resampledP99(top, counts, random) / resampledP99(bottom, counts, random),
  ).sort((a, b) => a - b);
  return {
    low: ratios[Math.floor(0.025 * (rounds - 1))]!,
    high: ratios[Math.ceil(0.975 * (rounds - 1))]!,
  };
}

const sorted = (samples: readonly number[]) => Float64Array.from(samples).sort();

/**
 * The nearest-rank p99 of one resample of `values` (sorted): n indices drawn, counted per
 * index, and walked from the largest down to the rank, as `percentile` would find it after
 * sorting the resample.
 */
function resampledP99(values: Float64Array, counts: Uint32Array, random: () => number): number {
  const n = values.length;
  counts.fill(0, 0, n);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
  // Nearest rank ceil(0.99 n) from the bottom is the (n - rank + 1)-th from the top.
  const fromTop = n - Math.max(1, Math.ceil(0.99 * n)) + 1;
  let seen = 0;
  for (let i = n - 1; i >= 0; i--) {
    seen += counts[i]!;
    if (seen >= fromTop) return values[i]!;
  }
  return values[0]!;
}
