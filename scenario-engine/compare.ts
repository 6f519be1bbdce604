// Comparing two canonical traces: equal or not, the first divergence in words, and how the
// summary metrics moved. Used by `rpmsg-sim diff` and `rpmsg-sim check`.

import { type TraceReadError, readJsonl, recordToJsonl } from '../sim/trace/jsonl';
import { readInputText } from './files';
import type { TraceHeader } from '../sim/trace/header';
import type { TraceRecord } from '../sim/trace/trace';
import { MetricsCollector } from './metrics';
import { MESSAGE_PHASES, PhaseCollector } from './phases';

export interface TraceComparison {
  equal: boolean;
  /** The first difference, in words (null when equal). */
  firstDivergence: string | null;
  /** Metrics that differ: name, a, b. */
  metricChanges: { metric: string; a: string; b: string }[];
}

function ns(ticks: number, header: TraceHeader): string {
  return `${((ticks * 1e9) / header.tickHz).toFixed(3)} ns`;
}

function describeRecord(r: TraceRecord, header: TraceHeader): string {
  return `${ns(r.t, header)} (tick ${r.t}), ${r.component}, ${r.kind}`;
}

/** Field-by-field difference of two records, in words. */
function fieldDifferences(a: TraceRecord, b: TraceRecord, header: TraceHeader): string {
  if (a.t !== b.t) return `time ${ns(a.t, header)} vs ${ns(b.t, header)} (${a.t - b.t > 0 ? '+' : ''}${a.t - b.t} ticks)`;
  if (a.component !== b.component) return `component ${a.component} vs ${b.component}`;
  if (a.kind !== b.kind) return `kind ${a.kind} vs ${b.kind}`;
  const fa = a as unknown as Record<string, unknown>;
  const fb = b as unknown as Record<string, unknown>;
  const diffs = Object.keys(fa)
    .filter((k) => fa[k] !== fb[k])
    .map((k) => `${k} ${JSON.stringify(fa[k])} vs ${JSON.stringify(fb[k])}`);
  return diffs.join(', ');
}

/** Summary metrics computed from a record list (the same collector the runner uses). */
export function metricsOf(records: readonly TraceRecord[], header: TraceHeader): Map<string, string> {
  const m = new MetricsCollector();
  for (const r of records) m.record(r);
  const out = new Map<string, string>();
  for (const dir of ['m2r', 'r2m'] as const) {
    const label = dir === 'm2r' ? 'master→remote' : 'remote→master';
    out.set(`messages ${label}`, String(m.delivered[dir]));
    const s = m.oneWay[dir].summary();
    for (const stat of ['min', 'p50', 'p99', 'max'] as const) {
      const v = s[stat];
      out.set(`one-way latency ${stat} ${label}`, Number.isFinite(v) ? ns(v, header) : '-');
    }
  }
  // The phases' means from the records alone (a trace holds no counters: no parts here).
  const phases = phasesOf(records, header);
  for (const dir of ['m2r', 'r2m'] as const) {
    const label = dir === 'm2r' ? 'master→remote' : 'remote→master';
    const s = phases.oneWay[dir];
    MESSAGE_PHASES.forEach((p, i) => {
      const v = s.meanTicks(i);
      out.set(`${p.label} mean ${label}`, Number.isFinite(v) ? ns(v, header) : '-');
    });
  }
  for (const [code, n] of Object.entries(m.codesByName())) out.set(`${code} returned`, String(n));
  const last = records[records.length - 1];
  out.set('end time', last === undefined ? '-' : ns(last.t, header));
  return out;
}

/** A phase collector over a trace: cores and mailbox lines from the header, controllers named as sim/hw/soc.ts names them. */
function phasesOf(records: readonly TraceRecord[], header: TraceHeader): PhaseCollector {
  const still = { stats: { busyCycles: 0, handlerCycles: 0, asleepCycles: 0, fetchStallCycles: 0, dataStallCycles: 0, exceptionMemoryCycles: 0, cacheMaintenanceCycles: 0, interrupts: 0, tailChains: 0, lateArrivals: 0 }, bus: { stallCycles: 0 } };
  const core = (c: TraceHeader['cores'][number]) => ({
    name: c.name,
    periodTicks: c.periodTicks,
    controller: `${c.name}.nvic`,
    mailboxLines: (header.irqLines ?? []).filter((l) => l.core === c.name).map((l) => l.line),
    ...still,
  });
  const [master, remote] = header.cores;
  const p = new PhaseCollector({ cores: [core(master!), core(remote!)], mailboxTargets: new Set(header.mailboxes.map((w) => w.name)) });
  for (const r of records) p.record(r);
  return p;
}

/**
 * A trace file larger than this is not read: V8's longest string is just under 512 MiB
 * (2^29 - 24 UTF-16 units in Node 20), and a trace is read as one string.
 */
export const MAX_TRACE_BYTES = 500 * 1024 * 1024;

export type ParsedTrace = ReturnType<typeof readJsonl>;

/** A trace file's read error as `file:line:column: problem` (the column where JSON.parse says). */
export function traceErrorText(file: string, error: TraceReadError): string {
  return `${file}:${error.line}${error.column === undefined ? '' : `:${error.column}`}: ${error.problem}`;
}

/** Reads and parses a canonical trace file; throws InputFileError or TraceReadError. */
export function readTraceFile(file: string, what: string): ParsedTrace {
  return readJsonl(readInputText(file, what, MAX_TRACE_BYTES));
}

export function compareTraces(aText: string, bText: string): TraceComparison {
  return compareParsed(readJsonl(aText), readJsonl(bText));
}

/** compareTraces of two traces already read. */
export function compareParsed(a: ParsedTrace, b: ParsedTrace): TraceComparison {
  let first: string | null = null;
  const ha = JSON.stringify(a.header);
  const hb = JSON.stringify(b.header);
  if (ha !== hb) {
    const keys = Object.keys(a.header) as (keyof TraceHeader)[];
    const key = keys.find((k) => JSON.stringify(a.header[k]) !== JSON.stringify(b.header[k]));
    first = `the headers differ in "${String(key)}": ${JSON.stringify(a.header[key!])} vs ${JSON.stringify(b.header[key!])}`;
  }
  if (first === null) {
    const n = Math.min(a.records.length, b.records.length);
    for (let i = 0; i < n; i++) {
      if (recordToJsonl(a.records[i]!) !== recordToJsonl(b.records[i]!)) {
        first = `record ${i + 1} at ${describeRecord(a.records[i]!, a.header)}: ${fieldDifferences(a.records[i]!, b.records[i]!, a.header)}`;
        break;
      }
    }
    if (first === null && a.records.length !== b.records.length) {
      const longer = a.records.length > b.records.length ? a : b;
      const r = longer.records[n]!;
      first = `the ${longer === a ? 'first' : 'second'} trace goes on after record ${n}: ${describeRecord(r, longer.header)}`;
    }
  }
  const ma = metricsOf(a.records, a.header);
  const mb = metricsOf(b.records, b.header);
  const metricChanges: TraceComparison['metricChanges'] = [];
  for (const key of new Set([...ma.keys(), ...mb.keys()])) {
    const va = ma.get(key) ?? '-';
    const vb = mb.get(key) ?? '-';
    if (va !== vb) metricChanges.push({ metric: key, a: va, b: vb });
  }
  return { equal: first === null, firstDivergence: first, metricChanges };
}
