import { TickFormatter, decimalsForTick, fixedPoint, ticksToDecimal, ticksToUnits, trimZeros } from './tick-format';

test('ticks to decimal units, exact, rounded half up once', () => {
  expect(ticksToUnits(2_289_000, 996e9, 15)).toBe(2_298_192_771n); // fs
  expect(ticksToDecimal(2_289_000, 996e9, 6, 6)).toBe('2.298193'); // µs to the ps
  expect(ticksToDecimal(1, 3e9, 9, 3)).toBe('0.333'); // ns
  expect(ticksToDecimal(2, 3e9, 9, 3)).toBe('0.667');
  expect(ticksToDecimal(1, 2e9, 9, 0)).toBe('1'); // 0.5 ns rounds up
  expect(ticksToDecimal(2 ** 53 - 1, 1e9, 6, 3)).toBe('9007199254740.991');
});

test('fixed point text and trimming', () => {
  expect(fixedPoint(1234567n, 3)).toBe('1234.567');
  expect(fixedPoint(5n, 3)).toBe('0.005');
  expect(fixedPoint(-5n, 2)).toBe('-0.05');
  expect(fixedPoint(42n, 0)).toBe('42');
  expect(trimZeros('1.500')).toBe('1.5');
  expect(trimZeros('2.000')).toBe('2');
  expect(trimZeros('100')).toBe('100');
});

test('enough decimals that distinct ticks print differently', () => {
  expect(decimalsForTick(996e9, 6)).toBe(6); // µs -> 1 ps steps, ticks of 1.004 ps
  expect(decimalsForTick(1e9, 6)).toBe(3);
  expect(decimalsForTick(3e9, 6)).toBe(4);
  expect(decimalsForTick(1e9, 9)).toBe(0);
  const f = new TickFormatter(996e9, 6, 6, true);
  const seen = new Set<string>();
  for (let t = 1_000_000; t < 1_001_000; t++) seen.add(f.format(t));
  expect(seen.size).toBe(1000);
});
