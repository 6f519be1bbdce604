import { BUCKET_RATIO, EXACT_LIMIT, HISTOGRAM_MAX_BINS, LatencyStats, histogramOf } from './latency-stats';

/** Five values 1000, 2000, …, 5000 in turn, `n` of them. */
function fiveValues(n: number): LatencyStats {
  const s = new LatencyStats();
  for (let i = 0; i < n; i++) s.add(1000 * (1 + (i % 5)));
  return s;
}

test('latency statistics: exact while small, within 0.1 % (and bounded memory) beyond 100,000 values', () => {
  const small = new LatencyStats();
  for (const v of [5, 1, 4, 2, 3]) small.add(v);
  expect(small.summary()).toEqual({ count: 5, min: 1, mean: 3, p50: 3, p99: 5, max: 5, exact: true });

  const big = new LatencyStats();
  for (let i = 1; i <= 200_000; i++) big.add(1000 + (i % 1000)); // 1000..1999, uniform
  const s = big.summary();
  expect(s.exact).toBe(false);
  expect([s.count, s.min, s.max]).toEqual([200_000, 1000, 1999]);
  expect(s.mean).toBeCloseTo(1499.5, 6);
  expect(Math.abs(s.p50 - 1499) / 1499).toBeLessThan(0.001);
  expect(Math.abs(s.p99 - 1989) / 1989).toBeLessThan(0.001);
});

test('the bound: 100,000 values are kept and exact; the 100,001st turns them into a histogram of one bucket per distinct value', () => {
  expect(EXACT_LIMIT).toBe(100_000);
  // Exactly at the bound: 20,000 of each value. Nearest rank of p50 is ceil(0.5 × 100,000) =
  // 50,000, within the 3000s (ranks 40,001..60,000); p99's is 99,000, within the 5000s
  // (80,001..100,000). Mean (1000 + … + 5000) / 5 = 3000.
  const at = fiveValues(EXACT_LIMIT);
  expect(at.summary()).toEqual({ count: 100_000, min: 1000, mean: 3000, p50: 3000, p99: 5000, max: 5000, exact: true });
  expect(at.held).toBe(100_000);

  // One past: 20,001 of 1000 (the one more), 20,000 of each other. Ranks: p50 ceil(50,000.5) =
  // 50,001, in the 3000s (40,002..60,001): the upper edge of 3000's bucket, 1.001^8011
  // (ln 3000 / ln 1.001 = 8010.37, rounded up) = 3001.889; p99 ceil(99,000.99) = 99,001, in
  // the 5000s, whose edge 1.001^8522 = 5002.74 is clamped to the max, 5000. Mean stays exact:
  // (20,001 × 1000 + 20,000 × 14,000) / 100,001 = 300,001,000 / 100,001 = 2999.980000199998.
  // Memory: five buckets, one per value (they are more than 0.1 % apart).
  const past = fiveValues(EXACT_LIMIT + 1);
  const s = past.summary();
  expect([s.count, s.min, s.max, s.p99, s.exact]).toEqual([100_001, 1000, 5000, 5000, false]);
  expect(s.p50).toBeCloseTo(3001.889, 3);
  expect(s.mean).toBeCloseTo(2999.980000199998, 9);
  expect(past.held).toBe(5);
  // More values of the same five add no bucket.
  for (let i = 0; i < 100_000; i++) past.add(1000 * (1 + (i % 5)));
  expect([past.count, past.held]).toEqual([200_001, 5]);
});

test('beyond the bound, every percentile is the exact nearest-rank value or above it by less than 0.1 %', () => {
  // 150,000 values spread over five decades (10 to 10^6) by a seeded linear congruential
  // generator (Numerical Recipes' constants): the same values every run.
  let x = 12345;
  const next = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
  const values = Array.from({ length: 150_000 }, () => Math.round(10 * 10 ** (5 * next())));
  const s = new LatencyStats();
  for (const v of values) s.add(v);
  const sorted = [...values].sort((a, b) => a - b);
  expect(s.summary().exact).toBe(false);
  expect([s.min, s.max]).toEqual([sorted[0], sorted.at(-1)]);
  for (const p of [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999]) {
    const exact = sorted[Math.ceil(p * sorted.length) - 1]!;
    const error = (s.percentile(p) - exact) / exact;
    expect(error).toBeGreaterThanOrEqual(-1e-12); // floating-point rounding of the bucket edge
    expect(error).toBeLessThan(BUCKET_RATIO - 1);
  }
  // Memory: at most the buckets from 10's to 10^6's: ceil(ln 10 / ln 1.001) = 2304 to
  // ceil(ln 10^6 / ln 1.001) = 13,823, that is 11,520 (ln 10^5 / ln 1.001 = 11,518.7 steps).
  expect(s.held).toBeLessThanOrEqual(11_520);
});

test('the histogram: the smallest 1-2-5 width that fits [min, max] in at most 40 bins, edges from min rounded down, a value on an edge counts above it', () => {
  expect(HISTOGRAM_MAX_BINS).toBe(40);
  const s = new LatencyStats();
  for (const v of [1252, 1256, 1300, 2000, 15444]) s.add(v);
  // range 1252..15444: width 200 needs 77 - 6 + 1 = 72 bins, 500 needs 30 - 2 + 1 = 29
  const h = histogramOf(s, (t) => t);
  expect(h.width).toBe(500);
  expect(h.edges[0]).toBe(1000);
  expect(h.edges[h.edges.length - 1]).toBe(15500);
  expect(h.counts.length).toBe(29);
  expect(h.edges.length).toBe(30);
  expect(h.counts[0]).toBe(3); // 1252, 1256, 1300 in [1000, 1500)
  expect(h.counts[2]).toBe(1); // 2000 on the edge of [2000, 2500)
  expect(h.counts[28]).toBe(1); // 15444 in [15000, 15500]
  expect(h.counts.reduce((a, b) => a + b, 0)).toBe(5);
  // the unit conversion is applied before binning: ticks of 0.5 ns
  const half = histogramOf(s, (t) => t / 2);
  expect([half.width, half.edges[0], half.counts.length]).toEqual([200, 600, 36]);
  // one value: one bin 0.001 wide; none: no bins
  const one = new LatencyStats();
  one.add(7);
  expect(histogramOf(one, (t) => t)).toEqual({ width: 0.001, edges: [7, 7.001], counts: [1] });
  expect(histogramOf(new LatencyStats(), (t) => t)).toEqual({ width: 0, edges: [], counts: [] });
});

test('the histogram beyond 100,000 values counts each bucket at its upper edge, clamped to [min, max]', () => {
  const big = fiveValues(EXACT_LIMIT + 1);
  const h = histogramOf(big, (t) => t);
  // 1000..5000: width 100 (41 bins) is too many, 200 gives 21
  expect([h.width, h.edges[0], h.counts.length]).toEqual([200, 1000, 21]);
  expect(h.counts[0]).toBe(20_001); // 1000's bucket edge 1000.x stays in [1000, 1200)
  expect(h.counts[20]).toBe(20_000); // 5000 (its edge clamped to the max)
  expect(h.counts.reduce((a, b) => a + b, 0)).toBe(EXACT_LIMIT + 1);
});

test('p90 by nearest rank', () => {
  const s = new LatencyStats();
  for (let v = 1; v <= 20; v++) s.add(v);
  expect(s.percentile(0.9)).toBe(18);
});
