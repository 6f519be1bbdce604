// The benchmark's command line (bench/args.ts): defaults, each option, and the errors.

import { parseBenchArgs, UsageError } from './args';

const bad = (argv: string[]) => {
  try {
    parseBenchArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
};

test('kernel is the default suite, with the sizes docs/kernel.md gives', () => {
  const a = parseBenchArgs([]);
  expect(a.suite).toBe('kernel');
  expect(a.kernel).toEqual({ pingpong: 1_000_000, timers: 2_000_000, repeats: 3 });
  expect(a.json).toBe(false);
});

test('e2e defaults: four platforms, every trace format, 20000 round trips, 10^5 flood messages, one run, heap on', () => {
  const a = parseBenchArgs(['e2e', '--json']);
  expect(a.suite).toBe('e2e');
  expect(a.json).toBe(true);
  expect(a.e2e).toEqual({
    platforms: ['imxrt1170', 'lpc55s69', 'lpc54114', 'imx8mm'],
    roundTrips: 20_000,
    flood: 100_000,
    formats: ['jsonl', 'vcd', 'perfetto', 'text'],
    repeats: 1,
    heap: true,
  });
});

test('e2e options', () => {
  const a = parseBenchArgs(['e2e', '--platforms', 'imx8mm,lpc55s69,imx8mm', '--round-trips', '0', '--flood', '1000000', '--formats', 'vcd', '--repeats', '3', '--no-heap']);
  expect(a.e2e).toEqual({ platforms: ['imx8mm', 'lpc55s69'], roundTrips: 0, flood: 1_000_000, formats: ['vcd'], repeats: 3, heap: false });
  expect(parseBenchArgs(['e2e', '--formats', 'none']).e2e.formats).toEqual([]);
});

test('--repeats applies to both suites under all; --anchors is kept as given', () => {
  const a = parseBenchArgs(['all', '--repeats', '5', '--anchors', 'peers']);
  expect([a.kernel.repeats, a.e2e.repeats, a.kernel.anchors]).toEqual([5, 5, 'peers']);
});

test('errors name the option and what it expects', () => {
  expect(bad(['e2e', '--round-trips', '-3'])).toBe('--round-trips needs a whole number (0 or more), got "-3"');
  expect(bad(['e2e', '--round-trips', '2.5'])).toBe('--round-trips needs a whole number (0 or more), got "2.5"');
  expect(bad(['--pingpong'])).toBe('--pingpong needs a positive whole number, got nothing');
  expect(bad(['e2e', '--round-trips', '1'])).toBe("--round-trips 1: needs more than 1 (the start-up run's count, subtracted), or 0");
  expect(bad(['e2e', '--round-trips', '0', '--flood', '0'])).toBe('--round-trips 0 and --flood 0 leave nothing to measure');
  expect(bad(['e2e', '--platforms', 'imxrt1170,stm32'])).toBe('--platforms: unknown platform "stm32" (platforms: imxrt1170, lpc55s69, lpc54114, imx8mm)');
  expect(bad(['e2e', '--formats', 'csv'])).toBe('--formats: unknown format "csv" (formats: jsonl, vcd, perfetto, text, or none)');
  expect(bad(['e2e', '--formats', '--json'])).toBe('--formats needs a comma-separated list');
  expect(bad(['e2e', '--timers', '10'])).toBe('--timers is an option of the kernel suite (use: kernel or all)');
  expect(bad(['--flood', '10'])).toBe('--flood is an option of the e2e suite (use: e2e or all)');
  expect(bad(['e2e', '--flood', '10', '--flood', '20'])).toBe('--flood is given twice');
  expect(bad(['speed'])).toBe('unknown suite "speed" (suites: kernel, e2e, all, fuzz)');
  expect(bad(['kernel', 'e2e'])).toBe('one suite at a time');
  expect(bad(['--fast'])).toBe('unknown option --fast');
});

test('fuzz: 10000 cases by default, the fixed seed, two threads, 10 s deadline, reproducers in dist/fuzz', () => {
  expect(parseBenchArgs(['fuzz']).fuzz).toEqual({ cases: 10_000, seed: 12, threads: 2, deadline: 10, out: 'dist/fuzz', child: false });
  expect(parseBenchArgs(['fuzz', '--cases', '300', '--seed', '0', '--threads', '1', '--deadline', '5', '--out', 'x', '--child']).fuzz).toEqual({ cases: 300, seed: 0, threads: 1, deadline: 5, out: 'x', child: true });
  expect(parseBenchArgs(['fuzz', '--replay', 'dist/fuzz/hang.json']).fuzz.replay).toBe('dist/fuzz/hang.json');
});

test('fuzz options belong to the fuzz mode, and the fuzz mode takes no other', () => {
  expect(bad(['--cases', '10'])).toBe('--cases is an option of the fuzz mode (use: fuzz)');
  expect(bad(['e2e', '--seed', '1'])).toBe('--seed is an option of the fuzz mode (use: fuzz)');
  expect(bad(['fuzz', '--flood', '10'])).toBe('--flood is not an option of the fuzz mode');
  expect(bad(['fuzz', '--repeats', '2'])).toBe('--repeats is not an option of the fuzz mode');
  expect(bad(['fuzz', '--cases', '0'])).toBe('--cases needs a positive whole number, got "0"');
  expect(bad(['fuzz', '--replay'])).toBe('--replay needs a file');
  expect(bad(['fuzz', '--out', '--child'])).toBe('--out needs a folder');
});
