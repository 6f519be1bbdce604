// The e2e benchmark (`npm run bench -- e2e`): whole scenarios as a user runs them, each
// measurement in a fresh Node process (bench/e2e-child.ts), so that peak heap and peak RSS
// are that run's alone.
//
//   ping-pong  per platform (bench/args.ts PING_PONG_SCENARIOS), master.params.count raised
//              to --round-trips, without a trace and with each trace format
//   flood      bench/flood-1m.yaml with its count set to --flood, without a trace and with
//              a JSON Lines trace
//
// Start-up is measured separately and subtracted: every measured run has a start-up run
// beside it, the same scenario with the same trace format but STARTUP_COUNT round trips or
// messages. Its wall time (Node's start, loading the bundle, reading the scenario, building
// the platform, link-up, the first message with cold caches and a cold JIT, closing the
// trace) is subtracted from the measured run's, and so is its simulated time:
//
//   wall  = wall(run) - wall(start-up)          simulated = sim(run) - sim(start-up)
//   RTF   = simulated / wall                    per second = (count - STARTUP_COUNT) / wall
//
// Peak heap comes from a third run, the measured one again with the heap profiler on
// (e2e-child.ts): the profiler's record of every collection lives in the same process and
// would inflate the measured run's RSS (measured: the 10^6-message flood without a trace,
// 219 MB RSS with the profiler, 150 MB without it, 7000 collections), and it is not in the
// timed run either. --no-heap skips the heap runs.
//
// With --repeats R each run is made R times and the medians are used; peak heap and RSS are
// the highest of the R (MB here are 2^20 bytes). Trace files go into a temporary folder
// made for the benchmark, each deleted after its measurement, the folder removed at the
// end, on an error and on Ctrl-C. Wall-clock time is read only in the child (e2e-child.ts).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRACE_FORMATS, type TraceFormat } from '../sim/trace/writers';
import { type E2eOptions, PING_PONG_SCENARIOS, STARTUP_COUNT } from './args';
import type { ChildResult, ChildSpec } from './e2e-child';

export const FLOOD_SCENARIO = 'bench/flood-1m.yaml';

export type TraceChoice = 'none' | TraceFormat;

/** One measurement after the subtraction. */
export interface E2eRow {
  workload: 'ping-pong' | 'flood';
  platform: string;
  trace: TraceChoice;
  /** Round trips (ping-pong) or messages (flood) of the measured run. */
  count: number;
  /** Simulated seconds, start-up run's subtracted. */
  simulatedSeconds: number;
  /** Wall seconds, start-up run's subtracted. */
  wallSeconds: number;
  /** Wall seconds of the measured run as it was (the process's start to the end of the run). */
  totalWallSeconds: number;
  /** Wall seconds of the start-up run (what was subtracted). */
  startupSeconds: number;
  /** Real-time factor: simulated seconds per wall second. */
  rtf: number;
  /** Round trips (ping-pong) or messages (flood) per wall second. */
  perSecond: number;
  /** Bytes of the trace file (0 without a trace). */
  traceBytes: number;
  /** From the heap run; null with --no-heap. */
  peakHeapMB: number | null;
  peakRssMB: number;
  /** Garbage collections of the heap run; null with --no-heap. */
  gcCount: number | null;
}

export interface E2eReport {
  node: string;
  repeats: number;
  startupCount: number;
  method: string;
  pingPong: E2eRow[];
  flood: E2eRow[];
}

export const METHOD =
  `each run is a fresh Node process; start-up = the same scenario and trace with ${STARTUP_COUNT} round trip or message, ` +
  'its wall and simulated time subtracted; wall = process start to the end of the run (trace file closed); ' +
  'peak RSS = getrusage maxRSS of the measured run; peak heap = V8 used heap before each GC (v8.GCProfiler) and at the end, ' +
  'in a third run of the same (the profiler\'s own memory would count in the RSS)';

/** The median (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const MB = 1024 * 1024;

/**
 * A measured run, its start-up runs and its heap runs (R each; no heap runs with --no-heap)
 * as one row; `countOf` reads the count a run achieved.
 */
export function netRow(
  what: Pick<E2eRow, 'workload' | 'platform' | 'trace' | 'count'>,
  runs: readonly ChildResult[],
  startups: readonly ChildResult[],
  heapRuns: readonly ChildResult[],
  countOf: (r: ChildResult) => number,
): E2eRow {
  const heaps = heapRuns.map((r) => r.peakHeapBytes).filter((b) => b !== null);
  const gcs = heapRuns.map((r) => r.gcCount).filter((n) => n !== null);
  const totalWallSeconds = median(runs.map((r) => r.wallSeconds));
  const startupSeconds = median(startups.map((r) => r.wallSeconds));
  const wallSeconds = totalWallSeconds - startupSeconds;
  const simulatedSeconds = (median(runs.map((r) => r.simulatedNs)) - median(startups.map((r) => r.simulatedNs))) / 1e9;
  const counted = median(runs.map(countOf)) - median(startups.map(countOf));
  // A run no longer than its start-up has no rate to give: NaN, printed as such.
  const rate = (x: number) => (wallSeconds > 0 ? x / wallSeconds : Number.NaN);
  return {
    ...what,
    simulatedSeconds,
    wallSeconds,
    totalWallSeconds,
    startupSeconds,
    rtf: rate(simulatedSeconds),
    perSecond: rate(counted),
    traceBytes: Math.max(...runs.map((r) => r.traceBytes)),
    peakHeapMB: heaps.length === 0 ? null : Math.max(...heaps) / MB,
    peakRssMB: Math.max(...runs.map((r) => r.peakRssBytes)) / MB,
    gcCount: gcs.length === 0 ? null : Math.max(...gcs),
  };
}

/** The settings of a ping-pong run of n round trips: the count, and a stop time the run cannot reach. */
export function pingPongSettings(n: number): string[] {
  // The app ends the run after its last round trip; the stop time only guards against a run
  // that never finishes. Assumption: 100 us per round trip is out of reach (the slowest
  // platform today, the LPC55S69, takes about 15 us: 73.9 ms simulated for 5000 round trips,
  // measured with `rpmsg-sim run --json --set master.params.count=5000`), and 10 ms covers
  // link-up.
  return [`master.params.count=${n}`, `stop.time=${n * 100 + 10_000}us`];
}

/** The settings of a flood run of n messages; the file's stop time (1000 s) is kept for 10^6 and below. */
export function floodSettings(n: number): string[] {
  // Assumption: 1 ms per message is out of reach (today 125.5 us: 12.55 s simulated for
  // 10^5 messages, measured with `rpmsg-sim run --json`; four buffers paced by the 1 ms
  // polling of the blocking send, bench/flood-1m.yaml).
  const settings = [`master.params.count=${n}`, `expect.messages.master-to-remote=${n}`];
  if (n > 1_000_000) settings.push(`stop.time=${n + 1000}ms`);
  return settings;
}

/** The file extension that selects a trace format (sim/trace/writers.ts). */
export function extensionOf(format: TraceFormat): string {
  return TRACE_FORMATS.find((f) => f.format === format)!.extensions[0]!;
}

/** A measurement that failed: a child that crashed, or a run that did not do what was asked. */
export class BenchError extends Error {
  override name = 'BenchError';
}

/** Runs children one at a time in a temporary folder, and cleans up after them. */
class Runner {
  readonly dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-bench-'));
  private child: ChildProcess | null = null;
  private serial = 0;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.child?.kill('SIGKILL');
    this.cleanUp();
    process.stderr.write(`bench: stopped by ${signal}; the temporary traces are removed\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  constructor(
    private readonly bundle: string,
    private readonly root: string,
  ) {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, this.onSignal);
  }

  cleanUp(): void {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, this.onSignal);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** One run of `scenario` in a fresh process; its trace file is deleted afterwards. */
  async measure(scenario: string, settings: string[], trace: TraceChoice, heap: boolean): Promise<ChildResult> {
    const spec: ChildSpec = { scenario: join(this.root, scenario), settings, ...(heap && { heap: true }) };
    if (trace !== 'none') spec.trace = join(this.dir, `run-${++this.serial}${extensionOf(trace)}`);
    try {
      return await this.spawnChild(spec);
    } finally {
      if (spec.trace !== undefined) rmSync(spec.trace, { force: true });
    }
  }

  private spawnChild(spec: ChildSpec): Promise<ChildResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [this.bundle, 'e2e-child', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
      this.child = child;
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        this.child = null;
        const what = `${spec.scenario} ${spec.settings.join(' ')}${spec.trace === undefined ? '' : ` --trace ${spec.trace}`}`;
        if (code !== 0) {
          reject(new BenchError(`the run of ${what} failed (${signal ?? `exit ${code}`}):\n${stderr.trim()}`));
          return;
        }
        const last = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(last) as ChildResult);
        } catch {
          reject(new BenchError(`the run of ${what} printed no result:\n${stdout}${stderr}`));
        }
      });
    });
  }
}

/** Checks that a run did what was asked (the app finished after `count`), else throws. */
function expectFinished(r: ChildResult, count: number, what: string): void {
  if (r.stopReason !== 'finished' || r.masterToRemote !== count) {
    throw new BenchError(`${what}: the run stopped (${r.stopReason}) after ${r.masterToRemote} of ${count} messages from the master`);
  }
}

export async function runE2e(options: E2eOptions, bundle: string, root: string, progress: (line: string) => void): Promise<E2eReport> {
  const runner = new Runner(bundle, root);
  try {
    const measureRow = async (workload: E2eRow['workload'], platform: string, scenario: string, trace: TraceChoice, count: number, settingsOf: (n: number) => string[]) => {
      const runs: ChildResult[] = [];
      const startups: ChildResult[] = [];
      const heapRuns: ChildResult[] = [];
      const what = `${workload} ${platform} trace=${trace}`;
      for (let r = 0; r < options.repeats; r++) {
        progress(`${what}: start-up run${options.repeats > 1 ? ` ${r + 1}/${options.repeats}` : ''}`);
        const s = await runner.measure(scenario, settingsOf(STARTUP_COUNT), trace, false);
        expectFinished(s, STARTUP_COUNT, `${what} start-up`);
        startups.push(s);
        progress(`${what}: ${count} ${workload === 'flood' ? 'messages' : 'round trips'}${options.repeats > 1 ? ` ${r + 1}/${options.repeats}` : ''}`);
        const m = await runner.measure(scenario, settingsOf(count), trace, false);
        expectFinished(m, count, what);
        runs.push(m);
        if (options.heap) {
          progress(`${what}: the same with the heap profiler${options.repeats > 1 ? ` ${r + 1}/${options.repeats}` : ''}`);
          const h = await runner.measure(scenario, settingsOf(count), trace, true);
          expectFinished(h, count, `${what} heap run`);
          heapRuns.push(h);
        }
      }
      return netRow({ workload, platform, trace, count }, runs, startups, heapRuns, (x) => x.masterToRemote);
    };
    const pingPong: E2eRow[] = [];
    if (options.roundTrips > 0) {
      for (const platform of options.platforms) {
        for (const trace of ['none', ...options.formats] as TraceChoice[]) {
          pingPong.push(await measureRow('ping-pong', platform, PING_PONG_SCENARIOS[platform]!, trace, options.roundTrips, pingPongSettings));
        }
      }
    }
    const flood: E2eRow[] = [];
    if (options.flood > 0) {
      for (const trace of ['none', 'jsonl'] as const) {
        flood.push(await measureRow('flood', 'imxrt1170', FLOOD_SCENARIO, trace, options.flood, floodSettings));
      }
    }
    return { node: process.version, repeats: options.repeats, startupCount: STARTUP_COUNT, method: METHOD, pingPong, flood };
  } finally {
    runner.cleanUp();
  }
}

/** A number with `digits` significant digits, without exponent for the usual ranges. */
function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  return x.toFixed(Math.max(0, digits - 1 - magnitude));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The human form of the report. */
export function formatE2e(report: E2eReport): string {
  const cells = (r: E2eRow) => [
    r.platform,
    r.trace,
    sig(r.simulatedSeconds),
    sig(r.wallSeconds),
    sig(r.startupSeconds),
    sig(r.totalWallSeconds),
    sig(r.rtf),
    sig(r.perSecond),
    r.trace === 'none' ? '-' : sig(r.traceBytes / MB),
    r.peakHeapMB === null ? '-' : sig(r.peakHeapMB),
    sig(r.peakRssMB),
    r.gcCount === null ? '-' : String(r.gcCount),
  ];
  const columns = (rate: string) => ['platform', 'trace', 'sim s', 'wall s', 'start-up s', 'total s', 'RTF', rate, 'trace MB', 'heap MB', 'RSS MB', 'GCs'];
  const parts = [
    `e2e benchmark, Node ${report.node}, ${report.repeats === 1 ? 'one run of each' : `median of ${report.repeats} runs`}.`,
    `Method: ${report.method}.`,
    'sim s and wall s are net of start-up; total s is the measured run as it was; RTF = sim s / wall s; MB = 2^20 bytes.',
  ];
  if (report.pingPong.length > 0) {
    parts.push('', `ping-pong, ${report.pingPong[0]!.count} round trips per run`, table(columns('round trips/s'), report.pingPong.map(cells)));
  }
  if (report.flood.length > 0) {
    parts.push('', `flood (${FLOOD_SCENARIO}), ${report.flood[0]!.count} messages per run`, table(columns('messages/s'), report.flood.map(cells)));
  }
  const short = [...report.pingPong, ...report.flood].filter((r) => !(r.wallSeconds >= Math.max(0.5, r.startupSeconds)));
  if (short.length > 0) {
    parts.push('', `note: ${short.length} run(s) lasted less than their start-up or 0.5 s net: their rates are imprecise; raise --round-trips or --flood.`);
  }
  return `${parts.join('\n')}\n`;
}
