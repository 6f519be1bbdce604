// One point of a sweep: the scenario file read with the point's `--set` values, run, and its
// summary reduced to one row of the results (docs/sweep.md "Columns"). A point the scenario
// cannot be run at (a value the loader refuses, a payload larger than the buffer, a
// configuration the platform cannot take, firmware that fails) is a row with its error, not
// a failure of the sweep; only a bug of rpmsg-sim is thrown. The same point gives the same
// row in any thread or process: nothing here reads the wall clock.

import { ConfigError, FirmwareError, ProcessError } from '../../sim/kernel/errors';
import { mcuConfig } from '../../firmware/rpmsg-lite/virtio-ring';
import { loadPlatform } from '../../platforms/registry';
import { compileModules, readScenarioFile } from '../files';
import { type RunSummary, type StatSummary, runScenarioAsync } from '../run';
import type { Scenario, ScenarioError } from '../types';
import { type Axis, type Point, settingsOf } from './grid';

/** min, p50, p90, p99, max, mean of one latency (null: no message measured). */
export interface Stats6 {
  min: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

export const STAT_KEYS = ['min', 'p50', 'p90', 'p99', 'max', 'mean'] as const;

export interface LatencyRow {
  count: number;
  ns: Stats6;
  /** In cycles of the master's core clock. */
  masterCycles: Stats6;
  /** In cycles of the remote's core clock. */
  remoteCycles: Stats6;
}

/** The latencies of a row, in column order. */
export const LATENCIES = ['oneWayMasterToRemote', 'oneWayRemoteToMaster', 'roundTrip'] as const;
export type LatencyName = (typeof LATENCIES)[number];

export interface Row {
  point: number;
  /** The value of each axis, by axis name, in axis order. */
  values: Record<string, string | number>;
  /** ok: ran, expectations met; expectations-failed: ran, some expectation failed (see `error`); error: could not run (see `error`). */
  status: 'ok' | 'expectations-failed' | 'error';
  error: string | null;
  stopReason: string | null;
  simulatedNs: number | null;
  cores: { master: { name: string; clockHz: number }; remote: { name: string; clockHz: number } } | null;
  latency: Record<LatencyName, LatencyRow> | null;
  throughput: { messagesPerSecond: number; bytesPerSecond: number } | null;
  /** Utilisation (0 to 1: the fraction of the run's time the port was busy) by bus port. */
  bus: Record<string, number> | null;
}

/** The latency histograms of one point (run --json's, edges in ns). */
export type PointHistograms = Record<LatencyName, StatSummary['histogram']>;

export interface PointResult {
  row: Row;
  /** Only when asked for, and when the point ran. */
  histograms?: PointHistograms;
}

/** What a worker is given to run one point. */
export interface PointTask {
  file: string;
  axes: Axis[];
  point: Point;
  histogram: boolean;
}

function emptyRow(point: Point, status: Row['status'], error: string): Row {
  return { point: point.index, values: point.values, status, error, stopReason: null, simulatedNs: null, cores: null, latency: null, throughput: null, bus: null };
}

function errorText(errors: readonly ScenarioError[]): string {
  return errors.map((e) => `${e.setting !== undefined ? `--set ${e.setting.argument}` : `${e.file}:${e.line}:${e.column}`}: ${e.message}`).join('; ');
}

/** The error of a run that is the input's or the firmware's (a row), or undefined for a bug of rpmsg-sim. */
function runErrorText(error: unknown): string | undefined {
  const cause = error instanceof ProcessError ? error.cause : error;
  if (cause instanceof ConfigError) return cause.message;
  if (cause instanceof FirmwareError || (cause instanceof Error && cause.name === 'FirmwareError')) return `firmware error: ${cause.message}`;
  return undefined;
}

/** The payload-size axis against the buffer: a message larger than the buffer's payload cannot be sent whole. */
function sizeProblem(scenario: Scenario, point: Point): string | undefined {
  const size = point.values['size'];
  if (typeof size !== 'number') return undefined;
  const payload = scenario.rpmsg.bufferPayloadSize ?? mcuConfig().bufferPayloadSize;
  if (size <= payload) return undefined;
  return `payload size ${size} B is larger than the buffer payload of ${payload} B (rpmsg.buffer-payload-size)`;
}

/** Runs one point of a sweep. */
export async function runPoint(task: PointTask): Promise<PointResult> {
  const { point } = task;
  const loaded = readScenarioFile(task.file, settingsOf(task.axes, point));
  if (loaded.scenario === undefined) return { row: emptyRow(point, 'error', errorText(loaded.errors)) };
  const scenario = loaded.scenario;
  const tooBig = sizeProblem(scenario, point);
  if (tooBig !== undefined) return { row: emptyRow(point, 'error', tooBig) };
  let summary: RunSummary;
  try {
    summary = await runScenarioAsync(scenario, { modules: await compileModules(scenario) });
  } catch (error) {
    const text = runErrorText(error);
    if (text === undefined) throw error;
    return { row: emptyRow(point, 'error', text) };
  }
  const row = rowOf(point, scenario, summary);
  if (!task.histogram) return { row };
  const l = summary.latency;
  return { row, histograms: { oneWayMasterToRemote: l.oneWay.masterToRemote.histogram, oneWayRemoteToMaster: l.oneWay.remoteToMaster.histogram, roundTrip: l.roundTrip.histogram } };
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function stats6(s: { min: number; p50: number; p90: number; p99: number; max: number; mean: number } | undefined): Stats6 {
  return { min: finite(s?.min ?? NaN), p50: finite(s?.p50 ?? NaN), p90: finite(s?.p90 ?? NaN), p99: finite(s?.p99 ?? NaN), max: finite(s?.max ?? NaN), mean: finite(s?.mean ?? NaN) };
}

function rowOf(point: Point, scenario: Scenario, summary: RunSummary): Row {
  // the resolved platform lists its cores master first
  const [master, remote] = loadPlatform(scenario.platform).cores;
  const clockOf = (name: string) => summary.cores.find((c) => c.name === name)!.clockHz;
  const latency = (s: StatSummary): LatencyRow => ({ count: s.count, ns: stats6(s.ns), masterCycles: stats6(s.cycles[master.name]), remoteCycles: stats6(s.cycles[remote.name]) });
  const failed = summary.expectations.filter((e) => !e.ok);
  const problems = [...(summary.watchdog !== undefined ? [`the watchdog ended the run: ${summary.watchdog}`] : []), ...failed.map((e) => `${e.what}: expected ${e.expected}, got ${e.actual}`)];
  return {
    point: point.index,
    values: point.values,
    status: summary.watchdog !== undefined ? 'error' : summary.ok ? 'ok' : 'expectations-failed',
    error: problems.length === 0 ? null : problems.join('; '),
    stopReason: summary.stopReason,
    simulatedNs: summary.simulatedNs,
    cores: { master: { name: master.name, clockHz: clockOf(master.name) }, remote: { name: remote.name, clockHz: clockOf(remote.name) } },
    latency: {
      oneWayMasterToRemote: latency(summary.latency.oneWay.masterToRemote),
      oneWayRemoteToMaster: latency(summary.latency.oneWay.remoteToMaster),
      roundTrip: latency(summary.latency.roundTrip),
    },
    throughput: { ...summary.throughput },
    bus: Object.fromEntries(summary.bus.map((b) => [b.port, b.utilisation])),
  };
}
