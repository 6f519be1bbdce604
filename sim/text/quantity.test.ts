import { formatBytes, formatNs, wroteLine } from './quantity';

describe('formatBytes', () => {
  it('keeps bytes under 1 KiB as they are and scales the rest with binary prefixes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.0 KiB');
    expect(formatBytes(3277)).toBe('3.2 KiB');
    expect(formatBytes(15_414_067)).toBe('14.7 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
  });
});

describe('formatNs', () => {
  it('picks the largest unit in which the value is at least 1', () => {
    expect(formatNs(125_507_822.325)).toBe('125.508 ms');
    expect(formatNs(1256.918)).toBe('1.257 µs');
    expect(formatNs(999)).toBe('999 ns');
    expect(formatNs(2_500_000_000)).toBe('2.5 s');
    expect(formatNs(1000)).toBe('1 µs');
    expect(formatNs(0)).toBe('0 ns');
    expect(formatNs(-1500)).toBe('-1.5 µs');
  });
});

describe('wroteLine', () => {
  it('names the file and its size', () => {
    expect(wroteLine('out/t.vcd', 2048)).toBe('wrote out/t.vcd (2.0 KiB)');
  });
});
