import { formatDuration, parseDuration, parseFrequency, parseSize, parseTimeoutMs } from './units';

describe('durations', () => {
  test.each([
    ['10us', { ns: 10_000 }],
    ['2.5 ms', { ns: 2_500_000 }],
    ['100ns', { ns: 100 }],
    ['1s', { ns: 1_000_000_000 }],
    ['2.5us', { ns: 2500 }],
    ['0.001us', { ns: 1 }],
    ['7µs', { ns: 7000 }],
    ['0ns', { ns: 0 }],
    ['3000 cycles@cm7', { cycles: 3000, core: 'cm7' }],
    ['3000cycles@cm7', { cycles: 3000, core: 'cm7' }],
    ['1 cycle@core1', { cycles: 1, core: 'core1' }],
    ['5 cycles @ cm0plus', { cycles: 5, core: 'cm0plus' }],
  ])('%s', (text, value) => {
    expect(parseDuration(text)).toEqual({ ok: true, value });
  });

  test('decimal scaling is exact where floating point is not', () => {
    // 0.3 * 1e9 is 299999999.99999994 in floating point.
    expect(parseDuration('0.3s')).toEqual({ ok: true, value: { ns: 300_000_000 } });
    expect(parseDuration('1.000000001s')).toEqual({ ok: true, value: { ns: 1_000_000_001 } });
  });

  test('refuses what is not a whole number of ns', () => {
    expect(parseDuration('0.5ns')).toEqual({
      ok: false,
      message: 'durations are whole nanoseconds, got "0.5ns"',
      note: 'the simulator does not time anything shorter than 1ns here',
    });
    expect(parseDuration('1.0000000001s').ok).toBe(false);
    expect(parseDuration('2.5 cycles@cm7')).toEqual({ ok: false, message: 'cycles are whole, got "2.5 cycles@cm7"' });
  });

  test('says what was expected', () => {
    expect(parseDuration('10 parsecs')).toEqual({ ok: false, message: 'expected a duration like 10us, 2ms or 100 cycles@cm4, got "10 parsecs"' });
    expect(parseDuration(10, 'core1')).toEqual({
      ok: false,
      message: 'expected a duration like 10us, 2ms or 100 cycles@core1, got 10',
      note: 'a duration needs a unit: 10ns, 10us, 10ms, 10s or 10 cycles@core1',
    });
    expect(parseDuration('10')).toEqual({
      ok: false,
      message: 'expected a duration like 10us, 2ms or 100 cycles@cm4, got "10"',
      note: 'a duration needs a unit: ns, us, ms, s or cycles@cm4',
    });
    expect(parseDuration('3000 cycles')).toEqual({
      ok: false,
      message: 'expected a duration like 10us, 2ms or 100 cycles@cm4, got "3000 cycles"',
      note: 'say whose clock counts the cycles: 3000 cycles@cm4',
    });
    expect(parseDuration('-5us').ok).toBe(false);
    expect(parseDuration(null)).toEqual({ ok: false, message: 'expected a duration like 10us, 2ms or 100 cycles@cm4, got nothing' });
    expect(parseDuration({})).toEqual({ ok: false, message: 'expected a duration like 10us, 2ms or 100 cycles@cm4, got a map' });
  });

  test('refuses values past 2^53 - 1 in the base unit', () => {
    expect(parseDuration('9007199254740991ns')).toEqual({ ok: true, value: { ns: Number.MAX_SAFE_INTEGER } });
    expect(parseDuration('9007199254740992ns')).toEqual({
      ok: false,
      message: '"9007199254740992ns" is too large (at most 9007199254740991 in the base unit)',
    });
  });

  test('formatDuration writes the largest whole unit', () => {
    expect(formatDuration({ ns: 3000 })).toBe('3us');
    expect(formatDuration({ ns: 2500 })).toBe('2500ns');
    expect(formatDuration({ ns: 2_000_000_000 })).toBe('2s');
    expect(formatDuration({ ns: 0 })).toBe('0ns');
    expect(formatDuration({ cycles: 40, core: 'cm4' })).toBe('40 cycles@cm4');
  });
});

describe('sizes', () => {
  test.each([
    ['64B', 64],
    ['1KiB', 1024],
    ['4 KiB', 4096],
    ['512', 512],
    [512, 512],
    ['1.5KiB', 1536],
    ['2MiB', 2 * 1024 * 1024],
    ['1GiB', 1024 ** 3],
    ['0B', 0],
  ])('%s', (text, value) => {
    expect(parseSize(text)).toEqual({ ok: true, value });
  });

  test('refuses fractions of a byte, negative sizes and ambiguous units', () => {
    expect(parseSize('1.5B')).toEqual({ ok: false, message: 'a size is a whole number of bytes, got "1.5B"' });
    expect(parseSize(1.5)).toEqual({ ok: false, message: 'expected a size like 64B, 4KiB or 512 (bytes), got 1.5', note: 'a size is a whole number of bytes' });
    expect(parseSize(-1)).toEqual({ ok: false, message: 'expected a size like 64B, 4KiB or 512 (bytes), got -1' });
    expect(parseSize('4KB')).toEqual({
      ok: false,
      message: 'expected a size like 64B, 4KiB or 512 (bytes), got "4KB"',
      note: 'write KiB for multiples of 1024 bytes ("KB" is ambiguous)',
    });
    expect(parseSize('4 bytes')).toEqual({ ok: false, message: 'expected a size like 64B, 4KiB or 512 (bytes), got "4 bytes"', note: 'units: B, KiB, MiB, GiB' });
  });
});

describe('frequencies', () => {
  test.each([
    ['400MHz', 400_000_000],
    ['1.8GHz', 1_800_000_000],
    ['32.768kHz', 32_768],
    ['150000000Hz', 150_000_000],
    ['996 MHz', 996_000_000],
  ])('%s', (text, value) => {
    expect(parseFrequency(text)).toEqual({ ok: true, value });
  });

  test('refuses bare numbers, wrong case, zero and fractions of a Hz', () => {
    expect(parseFrequency(400)).toEqual({
      ok: false,
      message: 'expected a frequency like 400MHz, 1.8GHz or 32.768kHz, got 400',
      note: 'a frequency needs a unit: 400Hz, 400kHz, 400MHz or 400GHz',
    });
    expect(parseFrequency('400mhz')).toEqual({
      ok: false,
      message: 'expected a frequency like 400MHz, 1.8GHz or 32.768kHz, got "400mhz"',
      note: 'units: Hz, kHz, MHz, GHz (case matters)',
    });
    expect(parseFrequency('0Hz')).toEqual({ ok: false, message: 'a frequency must be more than 0Hz, got "0Hz"' });
    expect(parseFrequency('0.5Hz')).toEqual({ ok: false, message: 'a frequency is a whole number of Hz, got "0.5Hz"' });
  });
});

describe('rpmsg-lite timeouts', () => {
  test.each([
    ['block', 'block'],
    [0, 0],
    ['10ms', 10],
    ['1s', 1000],
    ['0ms', 0],
  ] as const)('%s', (text, value) => {
    expect(parseTimeoutMs(text)).toEqual({ ok: true, value });
  });

  test('are whole milliseconds, not cycles', () => {
    expect(parseTimeoutMs('500us')).toEqual({ ok: false, message: 'rpmsg-lite timeouts are whole milliseconds, got "500us"' });
    expect(parseTimeoutMs('10 cycles@cm4')).toEqual({ ok: false, message: 'rpmsg-lite timeouts are in milliseconds, not cycles, got "10 cycles@cm4"' });
    expect(parseTimeoutMs(5)).toEqual({
      ok: false,
      message: 'expected a timeout like 10ms, 0 (do not wait) or block, got 5',
      note: 'a timeout other than 0 needs a unit: 5ms',
    });
    expect(parseTimeoutMs('forever')).toEqual({ ok: false, message: 'expected a timeout like 10ms, 0 (do not wait) or block, got "forever"' });
  });
});
