import { LatencyStats } from './metrics';

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
