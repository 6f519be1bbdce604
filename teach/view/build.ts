// `rpmsg-sim view`'s work in Node: runs a scenario, keeps a window of its records (at most
// `maxRecords`, from the first record at or after `fromTicks`), runs the view's reducer
// over the records before the window so the page starts from the state there, keeps a
// summary of every message (its enqueue time and latency) and the phase boundaries of the
// messages inside the window (scenario-engine/phases.ts, through the runner's
// onMessagePhases), reads the vring fields each burst write covers from the shared memory
// as its record arrives (the runner's MemoryReader: a burst record has no data) for the
// reducer before the window and, for the window's records, into the page's data (`bursts`),
// and writes one self-contained HTML page: inline CSS and JS (the page script
// teach/view/page.ts bundled by esbuild, once per process), the data as JSON.

import { canonicalHeader, type TraceHeader } from '../../sim/trace/header';
export type { MessageColumns, PhaseMark, ViewData } from './data';
import { RECORD_FIELDS, type TraceRecord, type TraceSink } from '../../sim/trace/trace';
import { MESSAGE_PHASES, type MessageBreakdown } from '../../scenario-engine/phases';
import { runScenario } from '../../scenario-engine/run';
import type { Program } from '../../firmware/program';
import type { Role, Scenario } from '../../scenario-engine/types';
import type { MemoryReader } from '../../sim/trace/vcd';
import { type BurstValues, burstFieldReader, layoutFromHeader } from '../fields';
import { layoutOf, type ViewLayout } from './layout';
import { type ViewState, ViewReducer } from './state';
import type { MessageColumns, PhaseMark, ViewData } from './data';
import { PAGE_CSS } from './page-css';

/** Records embedded by default: enough for a few hundred messages, light for a browser. */
export const DEFAULT_MAX_RECORDS = 20_000;
/** The most records a page may embed (a page of about 26 MB; measured in docs/view.md). */
export const MAX_RECORDS = 200_000;
/** Messages per direction kept in the summary (beyond: counted only). */
export const MAX_SUMMARY_MESSAGES = 1_000_000;

export interface ViewOptions {
  maxRecords?: number;
  /** The window starts at the first record at or after this time (default 0). */
  fromNs?: number;
  /** Or at the rl-enqueue of this message (then fromTicks is not used). */
  message?: { dir: 'm2r' | 'r2m'; msg: number };
  modules?: Partial<Record<Role, Program>>;
}

/** Keeps the window, feeds the reducer before it, counts after it. */
class WindowSink implements TraceSink {
  header: TraceHeader | null = null;
  reducer: ViewReducer | null = null;
  state: ViewState | null = null;
  readonly records: TraceRecord[] = [];
  /** The vring fields burst writes left, by global record number: the window's records only, once the window opens. */
  readonly bursts: BurstValues = {};
  private memory: MemoryReader = () => undefined;
  private burstValues: ReturnType<typeof burstFieldReader> = () => null;
  first = -1;
  total = 0;
  readonly enqueued = { m2r: [] as number[], r2m: [] as number[] };
  readonly latency = { m2r: [] as number[], r2m: [] as number[] };
  readonly more = { m2r: 0, r2m: 0 };
  constructor(
    private readonly max: number,
    private readonly fromNs: number,
    private readonly message: { dir: 'm2r' | 'r2m'; msg: number } | undefined,
  ) {}

  private fromTicks = 0;

  start(header: TraceHeader, layout: ViewLayout, memory: MemoryReader): void {
    this.header = header;
    this.memory = memory;
    this.burstValues = burstFieldReader(layoutFromHeader(header, { bufferSize: layout.bufferSize }));
    // the first tick at or after fromNs, exactly
    const hz = BigInt(header.tickHz);
    this.fromTicks = Number((BigInt(this.fromNs) * hz + 999_999_999n) / 1_000_000_000n);
    this.reducer = new ViewReducer({ header, layout, bursts: this.bursts });
    this.state = this.reducer.initial();
  }

  record(r: TraceRecord): void {
    const n = this.total++;
    if (r.kind === 'rl-enqueue') {
      const list = this.enqueued[r.dir];
      if (list.length < MAX_SUMMARY_MESSAGES && r.msg === list.length) {
        list.push(r.t);
        this.latency[r.dir].push(-1);
      } else this.more[r.dir]++;
    } else if (r.kind === 'rl-deliver' && r.msg < this.enqueued[r.dir].length) {
      this.latency[r.dir][r.msg] = r.ept < 0 ? -2 : r.t - this.enqueued[r.dir][r.msg]!;
    }
    if (this.first < 0) {
      const opens = this.message === undefined ? r.t >= this.fromTicks : r.kind === 'rl-enqueue' && r.dir === this.message.dir && r.msg === this.message.msg;
      if (!opens) {
        const values = this.burstValues(r, this.memory);
        if (values !== null) this.bursts[n] = values;
        this.reducer!.apply(this.state!, r, n);
        delete this.bursts[n]; // before the window: in the start state, not in the page
        return;
      }
      this.first = n;
    }
    if (this.records.length < this.max) {
      const values = this.burstValues(r, this.memory);
      if (values !== null) this.bursts[n] = values;
      this.records.push(canonical(r));
    }
  }
}

/** A copy of `r` with its keys in the canonical order (JSON.stringify gives its JSON Lines line). */
export function canonical(r: TraceRecord): TraceRecord {
  const o: Record<string, unknown> = { t: r.t, component: r.component, kind: r.kind };
  for (const f of RECORD_FIELDS[r.kind]) o[f] = (r as unknown as Record<string, unknown>)[f];
  return o as TraceRecord;
}

/** Runs `scenario` and gathers the page's data. */
export function collectView(scenario: Scenario, options: ViewOptions = {}): ViewData {
  const max = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  const sink = new WindowSink(max, options.fromNs ?? 0, options.message);
  const breakdowns: MessageBreakdown[] = [];
  let layout: ViewLayout | null = null;
  const summary = runScenario(scenario, {
    ...(options.modules !== undefined && { modules: options.modules }),
    sinks: (input, memory) => {
      const header = canonicalHeader(input);
      layout = layoutOf(header, scenario.rpmsg.bufferPayloadSize);
      sink.start(header, layout, memory);
      return [sink];
    },
    onMessagePhases: (b) => {
      // (called at the delivery) only messages with a boundary in the window: delivered in it,
      // or sent before its last record
      const recs = sink.records;
      if (sink.first >= 0 && (recs.length < max || b.boundaries[0]! <= recs[recs.length - 1]!.t)) breakdowns.push({ ...b, boundaries: [...b.boundaries] });
    },
  });
  const records = sink.records;
  const columns = (dir: 'm2r' | 'r2m'): MessageColumns => {
    const t = sink.enqueued[dir];
    return { enqueueDelta: t.map((x, i) => (i === 0 ? x : x - t[i - 1]!)), latency: sink.latency[dir], more: sink.more[dir] };
  };
  return {
    header: sink.header!,
    layout: layout!,
    first: sink.first < 0 ? sink.total : sink.first,
    total: sink.total,
    start: sink.state!,
    records,
    bursts: sink.bursts,
    marks: phaseMarks(records, breakdowns),
    messages: { m2r: columns('m2r'), r2m: columns('r2m') },
    run: { stopReason: summary.stopReason, simulatedNs: summary.simulatedNs, ok: summary.ok },
  };
}

/** The record kinds each boundary b0..b5 is (phases.ts): b0 a send call or, with none open, the enqueue. */
const BOUNDARY_KINDS: readonly (readonly string[])[] = [['rl-call', 'rl-enqueue'], ['rl-notify'], ['bus'], ['irq-pending'], ['handler-start'], ['rl-deliver']];

/** Phase marks of the messages broken down, at the records of their boundaries inside the window. */
export function phaseMarks(records: readonly TraceRecord[], breakdowns: readonly MessageBreakdown[]): PhaseMark[] {
  const marks: PhaseMark[] = [];
  for (const b of breakdowns) {
    let previous = -1;
    b.boundaries.forEach((tick, i) => {
      if (i > 0 && tick === b.boundaries[i - 1]) return; // collapsed onto the boundary before
      const step = findRecord(records, tick, BOUNDARY_KINDS[i]!, i === 5 ? b : null);
      if (step < 0 || step <= previous) return;
      previous = step;
      const label = i < MESSAGE_PHASES.length ? `${b.dir}#${b.msg} ${MESSAGE_PHASES[i]!.label}` : `${b.dir}#${b.msg} delivered`;
      marks.push({ step: step + 1, label });
    });
  }
  marks.sort((a, b) => a.step - b.step || (a.label < b.label ? -1 : 1));
  return marks.filter((m, i) => i === 0 || m.step !== marks[i - 1]!.step || m.label !== marks[i - 1]!.label);
}

function findRecord(records: readonly TraceRecord[], tick: number, kinds: readonly string[], message: MessageBreakdown | null): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid]!.t < tick) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < records.length && records[i]!.t === tick; i++) {
    const r = records[i]!;
    if (!kinds.includes(r.kind)) continue;
    if (message !== null && (r.kind !== 'rl-deliver' || r.dir !== message.dir || r.msg !== message.msg)) continue;
    return i;
  }
  return -1;
}

let pageScriptCache: string | null = null;

declare const __RPMSG_VIEW_PAGE_JS__: string | undefined;

/**
 * The page script: bundled into the CLI by tools/build.mjs (as a string), or, when running
 * from the sources (tests), bundled here with esbuild from teach/view/page.ts. Either way
 * the same esbuild options (teach/view/page-bundle.cjs) give the same bytes.
 */
export function pageScript(): string {
  if (typeof __RPMSG_VIEW_PAGE_JS__ === 'string') return __RPMSG_VIEW_PAGE_JS__;
  if (pageScriptCache !== null) return pageScriptCache;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildPageScript } = require('./page-bundle.cjs') as { buildPageScript: (root: string) => string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const root = (require('node:path') as typeof import('node:path')).join(__dirname, '..', '..');
  pageScriptCache = buildPageScript(root);
  return pageScriptCache;
}

/** Text that may stand inside a <script> element: no "</script", no "<!--". */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** The whole page (deterministic: the same data gives the same bytes). */
export function renderHtml(data: ViewData, script = pageScript()): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const title = `rpmsg-sim view: ${data.header.scenario} on ${data.header.platform}`.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'));
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>${title}</title>\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<style>\n${PAGE_CSS}</style>\n</head>\n<body>\n<noscript>This replay needs JavaScript.</noscript>\n` +
    `<script type="application/json" id="view-data">${json}</script>\n` +
    `<script>\n${scriptSafe(script)}</script>\n</body>\n</html>\n`
  );
}

