import { percentile } from '../../bench/measure';
import { p99RatioInterval } from '../../bench/ratio-interval';
import { createRng } from '../../scripts/proof/rng';

/** Latencies shaped like the scale bench's: about 1.3 ms, a tail to about 5 ms. */
function latencies(count: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const body = 1 + rng.next() * 0.6;
    const tail = rng.next() < 0.03 ? rng.next() * 4 : 0;
    return (body + tail) * scale;
  });
}

/** Fewer rounds than the bench's 1,000: enough for these bounds, quicker under Jest. */
const FEW = { rounds: 200 };

describe('the p99 ratio interval', () => {
  test('two draws of the same latencies: the interval holds their ratio and 1', () => {
    const [a, b] = [latencies(4_000, 1), latencies(4_000, 2)];
    const ratio = percentile(a, 99) / percentile(b, 99);
    const { low, high } = p99RatioInterval(a, b, FEW);
    expect(low).toBeLessThanOrEqual(Math.min(ratio, 1));
    expect(high).toBeGreaterThanOrEqual(Math.max(ratio, 1));
    expect(high - low).toBeLessThan(0.5);
  });

  test('a real growth of 80% lies wholly above 1.2', () => {
    const { low, high } = p99RatioInterval(latencies(4_000, 3, 1.8), latencies(4_000, 4), FEW);
    expect(low).toBeGreaterThan(1.2);
    expect(high).toBeGreaterThan(1.8);
  });

  test('more samples, a narrower interval', () => {
    const width = (n: number) => {
      const { low, high } = p99RatioInterval(latencies(n, 5), latencies(n, 6), FEW);
      return high - low;
    };
    expect(width(8_000)).toBeLessThan(width(500));
  });

  test('the same samples and seed give the same interval; equal samples give exactly 1', () => {
    const [a, b] = [latencies(2_000, 7), latencies(2_000, 8)];
    expect(p99RatioInterval(a, b, FEW)).toEqual(p99RatioInterval(a, b, FEW));
    expect(p99RatioInterval(a, b, { ...FEW, seed: 2 })).not.toEqual(p99RatioInterval(a, b, FEW));
    const flat = Array.from({ length: 1_000 }, () => 2);
    expect(p99RatioInterval(flat, flat, FEW)).toEqual({ low: 1, high: 1 });
  });

  test("each round's p99s are those of the resamples, by nearest rank as percentile()", () => {
    // The same draws, made the plain way: n indices into each sorted sample, sorted again.
    const reference = (a: number[], b: number[], seed: number) => {
      const rng = createRng(seed);
      const resample = (values: number[]) => {
        const sorted = [...values].sort((x, y) => x - y);
        return sorted.map(() => sorted[Math.floor(rng.next() * sorted.length)]!);
      };
      const top = percentile(resample(a), 99);
      return top / percentile(resample(b), 99);
    };
    for (const [n, seed] of [
      [100, 1],
      [101, 2],
      [250, 3],
      [2_000, 4],
    ] as const) {
      const [a, b] = [latencies(n, seed), latencies(n + 7, seed + 50)];
      const expected = reference(a, b, seed);
      expect(p99RatioInterval(a, b, { rounds: 1, seed })).toEqual({
        low: expected,
        high: expected,
      });
    }
  });
});
