// The benchmark's command line: `npm run bench -- [kernel|e2e|all] [options]`. Parsing only
// (no I/O), so bench/args.test.ts checks it; bench/main.ts prints the usage on a UsageError.

import { TRACE_FORMATS, type TraceFormat } from '../sim/trace/writers';

/** The ping-pong scenario of each platform the e2e suite measures, from the project root. */
export const PING_PONG_SCENARIOS: Readonly<Record<string, string>> = {
  imxrt1170: 'scenarios/ping-pong.yaml',
  lpc55s69: 'scenarios/ping-pong-lpc55s69.yaml',
  lpc54114: 'scenarios/ping-pong-lpc54114.yaml',
  imx8mm: 'scenarios/ping-pong-imx8mm.yaml',
};

/**
 * Round trips (ping-pong) or messages (flood) of the start-up run, whose wall time and
 * simulated time are subtracted from the measured run's (bench/e2e.ts).
 */
export const STARTUP_COUNT = 1;

export const SUITES = ['kernel', 'e2e', 'all', 'fuzz'] as const;
export type Suite = (typeof SUITES)[number];

export interface KernelOptions {
  /** Loops of the pingpong workload (4 events each). */
  pingpong: number;
  /** Wake-ups of the timers workload. */
  timers: number;
  repeats: number;
  /** The folder of the SystemC/SimPy anchors (its `run` script), to run side by side. */
  anchors?: string;
}

export interface E2eOptions {
  platforms: string[];
  /** Round trips of each ping-pong run (0: no ping-pong). */
  roundTrips: number;
  /** Messages of each flood run (0: no flood). */
  flood: number;
  /** Trace formats measured besides the run without a trace. */
  formats: TraceFormat[];
  repeats: number;
  /** Peak heap, in a run of its own with v8.GCProfiler (false: --no-heap, no heap runs). */
  heap: boolean;
}

export interface FuzzOptions {
  /** Generated cases (fuzz/generate.ts). */
  cases: number;
  /** fast-check's seed: the same seed, the same cases. */
  seed: number;
  /** Worker threads (and child processes) at once. */
  threads: number;
  /** Seconds a case may take before it counts as a hang. */
  deadline: number;
  /** Where the first reproducer of each failure class is written. */
  out: string;
  /** Run one reproducer again instead of generating cases. */
  replay?: string;
  /** Every case as a child process (to compare with in-process). */
  child: boolean;
}

/** The fuzz mode's seed when none is given (any fixed number: the long run is reproducible). */
export const FUZZ_SEED = 12;

export interface BenchArgs {
  suite: Suite;
  json: boolean;
  help: boolean;
  kernel: KernelOptions;
  e2e: E2eOptions;
  fuzz: FuzzOptions;
}

/** A command line that cannot be used: main prints the message and the usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = [
  'usage: npm run bench -- [kernel|e2e|all|fuzz] [--json] [options]',
  '  kernel (the default): pingpong (4 events per loop) and timers (64 processes); events/s,',
  '          the median of R runs after a warm-up.',
  '    --pingpong LOOPS     default 1000000',
  '    --timers WAKEUPS     default 2000000',
  '    --repeats R          default 3',
  '    --anchors DIR        also run DIR/run (the SystemC and SimPy anchors) and print the ratios',
  '  e2e: whole scenarios, each run in a fresh Node process: ping-pong per platform without a',
  '          trace and with each trace format (real-time factor, round trips/s, trace bytes),',
  '          the flood (messages/s, without a trace and with JSON Lines); peak heap and RSS.',
  '          Start-up (the same scenario with 1 round trip or 1 message) is subtracted.',
  `    --platforms A,B      default ${Object.keys(PING_PONG_SCENARIOS).join(',')}`,
  '    --round-trips N      ping-pong round trips per run, default 20000 (0: none)',
  '    --flood N            flood messages per run, default 100000 (1000000: bench/flood-1m.yaml as written; 0: none)',
  `    --formats F,G        trace formats, default ${TRACE_FORMATS.map((f) => f.format).join(',')} (none: only without a trace)`,
  '    --repeats R          runs of each measurement (the median is reported), default 1',
  '    --no-heap            skip the heap runs (a third run of each, with the heap profiler): no peak heap',
  '  all: kernel, then e2e (--repeats applies to both).',
  '  fuzz: generated scenario files and command lines run through the CLI (fuzz/): no internal',
  '          error, no stack trace, no hang, no debris, every exit-2 message located. Prints',
  '          the cases by outcome class; the first reproducer of each class goes to --out.',
  '    --cases N            default 10000',
  `    --seed S             default ${FUZZ_SEED}`,
  '    --threads T          worker threads at once, default 2',
  '    --deadline SECONDS   a case running longer is a hang, default 10',
  '    --out DIR            reproducers, default dist/fuzz',
  '    --replay FILE        run one reproducer (a JSON file from --out) again and print what it does',
  '    --child              every case in a child process (slower), to compare with in-process',
].join('\n');

function positiveInteger(option: string, text: string | undefined, allowZero: boolean): number {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isSafeInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new UsageError(`${option} needs ${allowZero ? 'a whole number (0 or more)' : 'a positive whole number'}, got ${text === undefined ? 'nothing' : `"${text}"`}`);
  }
  return v;
}

function list(option: string, text: string | undefined): string[] {
  if (text === undefined || text.startsWith('--')) throw new UsageError(`${option} needs a comma-separated list`);
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    suite: 'kernel',
    json: false,
    help: false,
    kernel: { pingpong: 1_000_000, timers: 2_000_000, repeats: 3 },
    e2e: { platforms: Object.keys(PING_PONG_SCENARIOS), roundTrips: 20_000, flood: 100_000, formats: TRACE_FORMATS.map((f) => f.format), repeats: 1, heap: true },
    fuzz: { cases: 10_000, seed: FUZZ_SEED, threads: 2, deadline: 10, out: 'dist/fuzz', child: false },
  };
  const positional: string[] = [];
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i];
    if (a.startsWith('-') && a !== '--json' && a !== '--help' && a !== '-h') {
      if (given.has(a)) throw new UsageError(`${a} is given twice`);
      given.add(a);
    }
    switch (a) {
      case '--json':
        args.json = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--pingpong':
        args.kernel.pingpong = positiveInteger(a, value(), false);
        break;
      case '--timers':
        args.kernel.timers = positiveInteger(a, value(), false);
        break;
      case '--repeats':
        args.kernel.repeats = args.e2e.repeats = positiveInteger(a, value(), false);
        break;
      case '--anchors': {
        const dir = value();
        if (dir === undefined || dir === '') throw new UsageError('--anchors needs the folder of the anchors (the one with their run script)');
        args.kernel.anchors = dir;
        break;
      }
      case '--platforms': {
        const names = list(a, value());
        const unknown = names.filter((n) => !(n in PING_PONG_SCENARIOS));
        if (unknown.length > 0 || names.length === 0) {
          throw new UsageError(`--platforms: ${unknown.length > 0 ? `unknown platform "${unknown[0]}"` : 'no platform given'} (platforms: ${Object.keys(PING_PONG_SCENARIOS).join(', ')})`);
        }
        args.e2e.platforms = [...new Set(names)];
        break;
      }
      case '--no-heap':
        args.e2e.heap = false;
        break;
      case '--round-trips':
        args.e2e.roundTrips = positiveInteger(a, value(), true);
        break;
      case '--flood':
        args.e2e.flood = positiveInteger(a, value(), true);
        break;
      case '--formats': {
        const names = list(a, value());
        if (names.length === 1 && names[0] === 'none') {
          args.e2e.formats = [];
          break;
        }
        const known = TRACE_FORMATS.map((f) => f.format);
        const unknown = names.filter((n) => !known.includes(n as TraceFormat));
        if (unknown.length > 0 || names.length === 0) {
          throw new UsageError(`--formats: ${unknown.length > 0 ? `unknown format "${unknown[0]}"` : 'no format given'} (formats: ${known.join(', ')}, or none)`);
        }
        args.e2e.formats = [...new Set(names)] as TraceFormat[];
        break;
      }
      case '--cases':
        args.fuzz.cases = positiveInteger(a, value(), false);
        break;
      case '--seed':
        args.fuzz.seed = positiveInteger(a, value(), true);
        break;
      case '--threads':
        args.fuzz.threads = positiveInteger(a, value(), false);
        break;
      case '--deadline':
        args.fuzz.deadline = positiveInteger(a, value(), false);
        break;
      case '--out':
      case '--replay': {
        const file = value();
        if (file === undefined || file === '' || file.startsWith('--')) throw new UsageError(`${a} needs a ${a === '--out' ? 'folder' : 'file'}`);
        if (a === '--out') args.fuzz.out = file;
        else args.fuzz.replay = file;
        break;
      }
      case '--child':
        args.fuzz.child = true;
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (positional.length > 1) throw new UsageError('one suite at a time');
  if (positional[0] !== undefined) {
    if (!(SUITES as readonly string[]).includes(positional[0])) throw new UsageError(`unknown suite "${positional[0]}" (suites: ${SUITES.join(', ')})`);
    args.suite = positional[0] as Suite;
  }
  const kernelOnly = ['--pingpong', '--timers', '--anchors'].filter((o) => given.has(o));
  const e2eOnly = ['--platforms', '--round-trips', '--flood', '--formats', '--no-heap'].filter((o) => given.has(o));
  if (args.suite === 'e2e' && kernelOnly.length > 0) throw new UsageError(`${kernelOnly[0]} is an option of the kernel suite (use: kernel or all)`);
  if (args.suite === 'kernel' && e2eOnly.length > 0) throw new UsageError(`${e2eOnly[0]} is an option of the e2e suite (use: e2e or all)`);
  const fuzzOnly = ['--cases', '--seed', '--threads', '--deadline', '--out', '--replay', '--child'].filter((o) => given.has(o));
  if (args.suite !== 'fuzz' && fuzzOnly.length > 0) throw new UsageError(`${fuzzOnly[0]} is an option of the fuzz mode (use: fuzz)`);
  const notFuzz = [...kernelOnly, ...e2eOnly, ...(given.has('--repeats') ? ['--repeats'] : [])];
  if (args.suite === 'fuzz' && notFuzz.length > 0) throw new UsageError(`${notFuzz[0]} is not an option of the fuzz mode`);
  if (args.suite === 'fuzz') return args;
  for (const [option, n] of [['--round-trips', args.e2e.roundTrips], ['--flood', args.e2e.flood]] as const) {
    if (n !== 0 && n <= STARTUP_COUNT) throw new UsageError(`${option} ${n}: needs more than ${STARTUP_COUNT} (the start-up run's count, subtracted), or 0`);
  }
  if (args.e2e.roundTrips === 0 && args.e2e.flood === 0 && args.suite !== 'kernel') throw new UsageError('--round-trips 0 and --flood 0 leave nothing to measure');
  return args;
}
