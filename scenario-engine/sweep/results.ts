// The results of a sweep (docs/sweep.md "Outputs"): the document results.json holds (the
// grid, one row per point in point order, the histograms of one point), its CSV table, its
// SVG charts, and the merge of shards' documents into the document of the whole grid. Every
// output is a function of the document alone, so a merge of shards writes the very bytes a
// run of the whole grid writes.

import { type Axis, SweepInputError, pointCount, shardPoints } from './grid';
import { LATENCIES, type LatencyName, type PointHistograms, type Row, STAT_KEYS } from './point';
import { type HistogramSeries, type Series, cdfSvg, histogramSvg, lineChartSvg, ratePrefix, timeUnit } from './svg';

export const RESULTS_FORMAT = 'rpmsg-sim-sweep';
export const RESULTS_VERSION = 1;

export interface SweepResults {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  /** The scenario file, as the command line gave it. */
  scenario: string;
  axes: Axis[];
  /** Points of the whole grid. */
  points: number;
  /** The point whose latency histograms are kept (and drawn). */
  histogramPoint: number;
  /** The shard these rows are (`--shard i/n`), or null: the whole grid. */
  shard: { index: number; count: number } | null;
  /** One per point run, by point index. */
  rows: Row[];
  /** The histograms of `histogramPoint` (edges in ns); null when it is not in this shard or did not run. */
  histogram: { point: number; latency: PointHistograms } | null;
}

/** results.json: the document, 2-space indented, one newline at the end. */
export function resultsJson(results: SweepResults): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

const LATENCY_COLUMNS: Record<LatencyName, string> = { oneWayMasterToRemote: 'one_way_m2r', oneWayRemoteToMaster: 'one_way_r2m', roundTrip: 'round_trip' };

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The bus ports of the rows, in the order they first appear (rows by point index). */
function portsOf(rows: readonly Row[]): string[] {
  const ports: string[] = [];
  for (const row of rows) for (const port of Object.keys(row.bus ?? {})) if (!ports.includes(port)) ports.push(port);
  return ports;
}

/** results.csv: a header line and one line per row (docs/sweep.md "Columns"), CRLF-free. */
export function resultsCsv(results: SweepResults): string {
  const ports = portsOf(results.rows);
  const header = ['point', ...results.axes.map((a) => a.name), 'status', 'error', 'stop_reason', 'simulated_ns', 'master_core', 'master_hz', 'remote_core', 'remote_hz'];
  for (const l of LATENCIES) {
    const c = LATENCY_COLUMNS[l];
    header.push(`${c}_count`, ...STAT_KEYS.map((k) => `${c}_${k}_ns`), ...STAT_KEYS.map((k) => `${c}_${k}_master_cycles`), ...STAT_KEYS.map((k) => `${c}_${k}_remote_cycles`));
  }
  header.push('throughput_messages_per_s', 'throughput_bytes_per_s', ...ports.map((p) => `bus_${p}_utilisation`));
  const lines = [header.map(field).join(',')];
  for (const r of results.rows) {
    const cells: (string | number | null | undefined)[] = [r.point, ...results.axes.map((a) => r.values[a.name]), r.status, r.error, r.stopReason, r.simulatedNs];
    cells.push(r.cores?.master.name, r.cores?.master.clockHz, r.cores?.remote.name, r.cores?.remote.clockHz);
    for (const l of LATENCIES) {
      const s = r.latency?.[l];
      cells.push(s?.count, ...STAT_KEYS.map((k) => s?.ns[k]), ...STAT_KEYS.map((k) => s?.masterCycles[k]), ...STAT_KEYS.map((k) => s?.remoteCycles[k]));
    }
    cells.push(r.throughput?.messagesPerSecond, r.throughput?.bytesPerSecond, ...ports.map((p) => r.bus?.[p]));
    lines.push(cells.map(field).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The charts of a document, by file name, in the order they are written (docs/sweep.md "Charts"). */
export function resultsCharts(results: SweepResults): { file: string; svg: string }[] {
  const out: { file: string; svg: string }[] = [];
  const axis = (name: string) => results.axes.find((a) => a.name === name);
  const size = axis('size');
  const buffers = axis('buffers');
  if (size !== undefined) out.push({ file: 'latency-vs-size.svg', svg: byAxisChart(results, size, 'latency') });
  if (buffers !== undefined) out.push({ file: 'throughput-vs-buffers.svg', svg: byAxisChart(results, buffers, 'throughput') });
  const h = results.histogram;
  const row = results.rows.find((r) => r.point === results.histogramPoint);
  const where = `${results.scenario}, point ${results.histogramPoint}${row === undefined ? '' : `: ${describeValues(results.axes, row.values)}`}`;
  const series: HistogramSeries[] = LATENCIES.filter((l) => l !== 'roundTrip' || (h?.latency.roundTrip.counts.length ?? 0) > 0).map((l) => {
    const hist = h?.latency[l];
    const n = hist === undefined ? 0 : hist.counts.reduce((a, b) => a + b, 0);
    return { name: `${LATENCY_NAMES[l]} (${n})`, edges: hist?.edgesNs ?? [], counts: hist?.counts ?? [] };
  });
  out.push({ file: 'latency-histogram.svg', svg: histogramSvg('Latency histogram: one-way and round trip', where, series) });
  out.push({ file: 'latency-cdf.svg', svg: cdfSvg('Latency distribution (CDF): one-way and round trip', where, series) });
  return out;
}

const LATENCY_NAMES: Record<LatencyName, string> = { oneWayMasterToRemote: 'master→remote', oneWayRemoteToMaster: 'remote→master', roundTrip: 'round trip' };

function describeValues(axes: readonly Axis[], values: Record<string, string | number>): string {
  return axes.map((a) => `${a.name}=${a.name === 'size' ? `${values[a.name]} B` : String(values[a.name])}`).join(', ');
}

/**
 * Latency (one-way master→remote p50) or throughput (messages/s) against one axis, one line
 * per platform (per the platform axis's value; one line when there is none); every other
 * axis is held at its first value (the subtitle says which).
 */
function byAxisChart(results: SweepResults, along: Axis, what: 'latency' | 'throughput'): string {
  const platform = results.axes.find((a) => a.name === 'platform');
  const others = results.axes.filter((a) => a !== along && a !== platform);
  const held = others.map((a) => `${a.name}=${a.name === 'size' ? `${a.values[0]} B` : String(a.values[0])}`);
  const rows = results.rows.filter((r) => others.every((a) => r.values[a.name] === a.values[0]));
  const lines = platform === undefined ? [undefined] : platform.values;
  const value = (r: Row) => (what === 'latency' ? (r.latency?.oneWayMasterToRemote.ns.p50 ?? null) : (r.throughput?.messagesPerSecond ?? null));
  const all = rows.map(value).filter((v): v is number => v !== null);
  const scale = what === 'latency' ? timeUnit(Math.max(0, ...all)) : { unit: `${ratePrefix(Math.max(0, ...all)).prefix}messages/s`, scale: ratePrefix(Math.max(0, ...all)).scale };
  const series: Series[] = lines.map((p) => ({
    name: p === undefined ? results.scenario : String(p),
    points: rows
      .filter((r) => p === undefined || r.values['platform'] === p)
      .map((r): [number, number | null] => {
        const v = r.status === 'error' ? null : value(r);
        return [Number(r.values[along.name]), v === null ? null : v / scale.scale];
      }),
  }));
  const numeric = along.values.every((v) => typeof v === 'number' && v > 0);
  const subtitle = `${results.scenario}${held.length === 0 ? '' : `; ${held.join(', ')}`}`;
  return lineChartSvg({
    title: what === 'latency' ? 'Latency vs payload size' : 'Throughput vs buffer count',
    subtitle,
    xLabel: along.name === 'size' ? 'payload size (bytes, log scale)' : 'buffers per direction (log scale)',
    yLabel: what === 'latency' ? `one-way latency master→remote, p50 (${scale.unit})` : `throughput (${scale.unit})`,
    xScale: numeric ? 'log2' : 'linear',
    series,
  });
}

/** A document read back (results.json), checked enough to merge; throws SweepInputError naming the file. */
export function parseResults(file: string, text: string): SweepResults {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SweepInputError(`${file}: not valid JSON (${(error as Error).message}); expected the results.json of rpmsg-sim sweep`);
  }
  const d = doc as Partial<SweepResults>;
  if (typeof d !== 'object' || d === null || d.format !== RESULTS_FORMAT) throw new SweepInputError(`${file}: not the results of rpmsg-sim sweep (no "format": "${RESULTS_FORMAT}")`);
  if (d.version !== RESULTS_VERSION) throw new SweepInputError(`${file}: results of version ${String(d.version)}; this rpmsg-sim reads version ${RESULTS_VERSION}`);
  if (!Array.isArray(d.rows) || !Array.isArray(d.axes) || typeof d.points !== 'number' || typeof d.scenario !== 'string') throw new SweepInputError(`${file}: the results lack "rows", "axes", "points" or "scenario"`);
  return d as SweepResults;
}

/**
 * The document of the whole grid from its shards' documents: the same scenario and grid in
 * each, each shard of the same count once, all of them. Throws SweepInputError otherwise.
 */
export function mergeResults(parts: readonly { file: string; results: SweepResults }[]): SweepResults {
  if (parts.length === 0) throw new SweepInputError('merge: no results to merge');
  const first = parts[0]!;
  const gridOf = (r: SweepResults) => JSON.stringify({ scenario: r.scenario, axes: r.axes, points: r.points, histogramPoint: r.histogramPoint });
  for (const p of parts.slice(1)) {
    if (gridOf(p.results) !== gridOf(first.results)) {
      const what = p.results.scenario !== first.results.scenario ? 'scenario' : JSON.stringify(p.results.axes) !== JSON.stringify(first.results.axes) ? 'axes' : 'histogram point';
      throw new SweepInputError(`merge: ${p.file} and ${first.file} are results of different grids (their ${what} differ)`);
    }
  }
  const whole = parts.find((p) => p.results.shard === null);
  if (whole !== undefined && parts.length > 1) throw new SweepInputError(`merge: ${whole.file} holds the whole grid already; it overlaps every shard`);
  const count = first.results.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const shard = p.results.shard;
    if (shard !== null && shard.count !== count) throw new SweepInputError(`merge: ${p.file} is shard ${shard.index}/${shard.count}, ${first.file} one of ${count}; merge shards of one split`);
    const index = shard?.index ?? 1;
    const other = seen.get(index);
    if (other !== undefined) throw new SweepInputError(`merge: ${p.file} and ${other} are both shard ${index}/${count}; they overlap`);
    seen.set(index, p.file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new SweepInputError(`merge: shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
  const rows: Row[] = [];
  let histogram: SweepResults['histogram'] = null;
  for (const p of parts) {
    const expected = shardPoints(p.results.points, p.results.shard);
    const got = p.results.rows.map((r) => r.point);
    if (JSON.stringify(expected) !== JSON.stringify(got)) throw new SweepInputError(`merge: ${p.file} does not hold the rows of its shard (expected points ${expected.join(', ')})`);
    rows.push(...p.results.rows);
    if (p.results.histogram !== null) histogram = p.results.histogram;
  }
  rows.sort((a, b) => a.point - b.point);
  if (rows.length !== pointCount(first.results.axes)) throw new SweepInputError(`merge: ${rows.length} rows for a grid of ${pointCount(first.results.axes)} points`);
  return { ...first.results, shard: null, rows, histogram };
}
