// Chrome / Perfetto trace event JSON (the `traceEvents` array that ui.perfetto.dev and
// chrome://tracing load): a timeline view of the record stream. One process per core with
// three kinds of track (threads): "thread mode" (sleeps), "handlers" (exception entry, ISR,
// exit slices) and "rpmsg API" (one slice per API call); interrupt lines and the cores'
// measuring GPIO pins as counters;
// instants for pending IRQs, faults, lockup, link-up, enqueue and delivery; and a flow
// arrow from each message's enqueue (inside its send) to its delivery (inside the ISR).
//
// The format wants timestamps in microseconds; they are written as decimal fractions with
// enough digits that distinct ticks stay distinct (6 at 996 GHz: 1 ps), converted exactly
// from ticks. ui.perfetto.dev keeps nanoseconds, so events less than 1 ns apart may show at
// the same instant there; the file itself is exact and deterministic.
//
// The file is valid JSON only after close() (the array is closed then); abort() removes it.

import { type TraceCore, type TraceHeader, type TraceHeaderInput, canonicalHeader, coreOf } from './header';
import { FileOutput, type TraceOutput, type TraceWriter } from './output';
import { THREAD_MODE_IRQN, type TraceRecord, irqLabel, isrLabel } from './trace';
import { TickFormatter, decimalsForTick, trimZeros } from './tick-format';
import { hex } from '../text/hex';

/** Track (thread) ids inside a core's process. */
export const PERFETTO_TID = { thread: 1, handlers: 2, api: 3 } as const;

interface OpenCall {
  fn: string;
  lane: number;
  /** Called from a handler (returns before anything in thread mode runs again). */
  inHandler: boolean;
}

interface CoreState {
  pid: number;
  core: TraceCore;
  inHandler: boolean;
  /** Names of the open slices on the handlers track, innermost last. */
  handlerSlices: string[];
  /** Open slices on the thread-mode track. */
  threadSlices: string[];
  /** Open API calls in call order. */
  calls: OpenCall[];
  /** Per API lane: open slices, innermost last. */
  lanes: string[][];
}

export class PerfettoWriter implements TraceWriter {
  readonly header: TraceHeader;
  private readonly out: TraceOutput;
  private readonly cores = new Map<string, CoreState>();
  private readonly irqLineCore = new Map<string, CoreState>();
  /** Flow ids of messages enqueued and not yet delivered. */
  private readonly inFlight = new Set<number>();
  private readonly time: TickFormatter;
  private first = true;
  private lastT = 0;

  constructor(target: string | TraceOutput, headerInput: TraceHeaderInput) {
    this.header = canonicalHeader(headerInput);
    this.time = new TickFormatter(this.header.tickHz, 6, decimalsForTick(this.header.tickHz, 6), true);
    this.header.cores.forEach((core, i) => {
      this.cores.set(core.name, { pid: i + 1, core, inHandler: false, handlerSlices: [], threadSlices: [], calls: [], lanes: [] });
    });
    for (const line of this.header.irqLines) {
      const c = this.cores.get(line.core);
      if (c !== undefined) this.irqLineCore.set(line.name, c);
    }
    this.out = typeof target === 'string' ? new FileOutput(target) : target;
    this.out.write('{"traceEvents":[\n');
    for (const c of this.cores.values()) {
      const mhz = trimZeros((c.core.hz / 1e6).toFixed(6));
      this.meta(c.pid, 0, 'process_name', { name: `${c.core.name} (${c.core.role}, ${mhz} MHz)` });
      this.meta(c.pid, 0, 'process_sort_index', { sort_index: c.pid });
      this.meta(c.pid, PERFETTO_TID.thread, 'thread_name', { name: 'thread mode' });
      this.meta(c.pid, PERFETTO_TID.thread, 'thread_sort_index', { sort_index: PERFETTO_TID.thread });
      this.meta(c.pid, PERFETTO_TID.handlers, 'thread_name', { name: 'handlers' });
      this.meta(c.pid, PERFETTO_TID.handlers, 'thread_sort_index', { sort_index: PERFETTO_TID.handlers });
      this.lane(c, 0);
    }
  }

  record(r: TraceRecord): void {
    this.lastT = r.t;
    if (r.kind === 'irq-line') {
      const c = this.irqLineCore.get(r.component);
      if (c !== undefined) this.event(`{"name":${JSON.stringify(r.component)},"ph":"C","ts":${this.ts(r.t)},"pid":${c.pid},"args":{"level":${r.level ? 1 : 0}}}`);
      return;
    }
    if (r.kind === 'gpio') {
      const pin = this.header.pins.find((p) => p.block === r.component && p.port === r.port && p.pin === r.pin);
      const c = pin === undefined ? undefined : this.cores.get(pin.core);
      if (pin !== undefined && c !== undefined) this.event(`{"name":${JSON.stringify(`pin ${pin.name}`)},"ph":"C","ts":${this.ts(r.t)},"pid":${c.pid},"args":{"level":${r.level ? 1 : 0}}}`);
      return;
    }
    if (r.kind === 'fault') {
      // On the core it acts on (process scope), else over the whole trace (global scope).
      const on = coreOf(this.header, r.component);
      const pid = on === null ? 1 : this.cores.get(on.name)!.pid;
      const args = JSON.stringify({ fault: r.fault, target: r.target, trigger: r.trigger, effect: r.effect });
      this.event(`{"name":${JSON.stringify(`FAULT ${r.fault}`)},"ph":"i","s":"${on === null ? 'g' : 'p'}","ts":${this.ts(r.t)},"pid":${pid},"tid":0,"args":${args}}`);
      return;
    }
    if (r.kind === 'watchdog') {
      // A global instant: the whole run ended here.
      this.event(`{"name":"WATCHDOG","ph":"i","s":"g","ts":${this.ts(r.t)},"pid":0,"tid":0,"args":${JSON.stringify({ reason: r.reason, report: r.report })}}`);
      return;
    }
    const core = coreOf(this.header, r.component);
    if (core === null) return;
    const c = this.cores.get(core.name)!;
    const H = PERFETTO_TID.handlers;
    switch (r.kind) {
      case 'irq-pending':
        this.instant(c, H, `${irqLabel(r.line)} pending`, r.t, { line: r.line });
        return;
      case 'irq-entry':
        if (top(c.handlerSlices) === 'exit') this.end(c, H, c.handlerSlices, r.t); // tail-chaining: no exit after all
        this.begin(c, H, c.handlerSlices, 'exception entry', r.t, { line: r.line, tailChained: r.tailChained });
        return;
      case 'irq-late-arrival':
        this.instant(c, H, `late arrival: ${irqLabel(r.line)} replaces ${irqLabel(r.replaced)}`, r.t, { line: r.line, replaced: r.replaced });
        return;
      case 'handler-start':
        if (top(c.handlerSlices) === 'exception entry') this.end(c, H, c.handlerSlices, r.t);
        c.inHandler = true;
        this.begin(c, H, c.handlerSlices, isrLabel(r.line), r.t, { line: r.line, priority: r.priority });
        return;
      case 'handler-end':
        if (top(c.handlerSlices) === isrLabel(r.line)) this.end(c, H, c.handlerSlices, r.t);
        this.begin(c, H, c.handlerSlices, 'exit', r.t, undefined);
        return;
      case 'exception-return':
        if (top(c.handlerSlices) === 'exit') this.end(c, H, c.handlerSlices, r.t);
        c.inHandler = r.resumes !== THREAD_MODE_IRQN;
        return;
      case 'sleep':
        this.begin(c, PERFETTO_TID.thread, c.threadSlices, 'asleep (WFI)', r.t, undefined);
        return;
      case 'wake':
        if (top(c.threadSlices) === 'asleep (WFI)') this.end(c, PERFETTO_TID.thread, c.threadSlices, r.t);
        return;
      case 'lockup':
        this.event(`{"name":"LOCKUP","ph":"i","s":"p","ts":${this.ts(r.t)},"pid":${c.pid},"tid":${this.contextTid(c)},"args":${JSON.stringify({ reason: r.reason })}}`);
        return;
      case 'bus-fault':
        this.instant(c, this.contextTid(c), 'bus fault', r.t, { op: r.op, address: hex(r.address), size: r.size, reason: r.reason });
        return;
      case 'rl-link-up':
        this.instant(c, this.contextTid(c), 'link up', r.t, undefined);
        return;
      case 'rl-call':
        this.call(c, r.fn, r.t);
        return;
      case 'rl-return':
        this.ret(c, r.fn, r.code, r.t);
        return;
      case 'rl-enqueue': {
        const id = flowId(r.dir, r.msg);
        const tid = this.apiTid(c) ?? this.contextTid(c);
        const name = `${r.dir}#${r.msg}`;
        this.instant(c, tid, `enqueue ${name}`, r.t, { src: r.src, dst: r.dst, len: r.len, buffer: hex(r.buffer) });
        this.event(`{"name":"${name}","cat":"rpmsg","ph":"s","id":${id},"ts":${this.ts(r.t)},"pid":${c.pid},"tid":${tid}}`);
        this.inFlight.add(id);
        return;
      }
      case 'rl-deliver': {
        const id = flowId(r.dir, r.msg);
        const tid = c.inHandler ? H : (this.apiTid(c) ?? PERFETTO_TID.thread);
        const name = `${r.dir}#${r.msg}`;
        const what = r.ept < 0 ? `drop ${name} (no endpoint ${r.dst})` : `deliver ${name} to ept ${r.ept}`;
        this.instant(c, tid, what, r.t, { src: r.src, dst: r.dst, len: r.len, buffer: hex(r.buffer), ept: r.ept });
        if (this.inFlight.delete(id)) {
          this.event(`{"name":"${name}","cat":"rpmsg","ph":"f","bp":"e","id":${id},"ts":${this.ts(r.t)},"pid":${c.pid},"tid":${tid}}`);
        }
        return;
      }
      default:
        return;
    }
  }

  close(): void {
    // slices still open at the end of the run end there, so every B has its E
    for (const c of this.cores.values()) {
      c.lanes.forEach((lane, i) => {
        while (lane.length > 0) this.end(c, PERFETTO_TID.api + i, lane, this.lastT, { unfinished: true });
      });
      c.calls.length = 0;
      while (c.handlerSlices.length > 0) this.end(c, PERFETTO_TID.handlers, c.handlerSlices, this.lastT, { unfinished: true });
      while (c.threadSlices.length > 0) this.end(c, PERFETTO_TID.thread, c.threadSlices, this.lastT, { unfinished: true });
    }
    const otherData = JSON.stringify({ header: JSON.stringify(this.header) });
    this.out.write(`\n],"displayTimeUnit":"ns","otherData":${otherData}}\n`);
    this.out.close();
  }

  abort(): void {
    this.out.abort();
  }

  // ---- API calls -------------------------------------------------------------------------------

  // Records carry no task identity. Calls made in a handler nest inside whatever thread-mode
  // call they interrupted (a handler cannot block), so they share lane 0. A thread-mode call
  // made while another is still open can only come from a second RTOS task (the first one
  // blocked inside its call); it gets the lowest lane without an open thread-mode call, so
  // the slices of each lane always nest.
  private call(c: CoreState, fn: string, t: number): void {
    let lane = 0;
    if (!c.inHandler) {
      const busy = new Set(c.calls.filter((x) => !x.inHandler).map((x) => x.lane));
      while (busy.has(lane)) lane++;
    }
    c.calls.push({ fn, lane, inHandler: c.inHandler });
    this.begin(c, this.lane(c, lane), c.lanes[lane]!, fn, t, undefined);
  }

  private ret(c: CoreState, fn: string, code: number, t: number): void {
    // the innermost open call of the same context and function (with two tasks in the same
    // function the records cannot tell which returned: the most recent one is taken)
    for (let i = c.calls.length - 1; i >= 0; i--) {
      const x = c.calls[i]!;
      if (x.fn !== fn || x.inHandler !== c.inHandler) continue;
      const lane = c.lanes[x.lane]!;
      if (lane[lane.length - 1] !== fn) return; // would break nesting: leave it open (closed at the end)
      c.calls.splice(i, 1);
      this.end(c, PERFETTO_TID.api + x.lane, lane, t, { code });
      return;
    }
  }

  /** The API lane of the innermost open call, or null. */
  private apiTid(c: CoreState): number | null {
    for (let i = c.calls.length - 1; i >= 0; i--) {
      const x = c.calls[i]!;
      if (x.inHandler === c.inHandler) return PERFETTO_TID.api + x.lane;
    }
    return null;
  }

  /** The tid of API lane `n`, named when first used. */
  private lane(c: CoreState, n: number): number {
    const tid = PERFETTO_TID.api + n;
    while (c.lanes.length <= n) {
      const k = c.lanes.length;
      c.lanes.push([]);
      this.meta(c.pid, PERFETTO_TID.api + k, 'thread_name', { name: k === 0 ? 'rpmsg API' : `rpmsg API (task ${k + 1})` });
      this.meta(c.pid, PERFETTO_TID.api + k, 'thread_sort_index', { sort_index: PERFETTO_TID.api + k });
    }
    return tid;
  }

  private contextTid(c: CoreState): number {
    return c.inHandler ? PERFETTO_TID.handlers : PERFETTO_TID.thread;
  }

  // ---- events ----------------------------------------------------------------------------------

  private begin(c: CoreState, tid: number, stack: string[], name: string, t: number, args: object | undefined): void {
    stack.push(name);
    this.event(`{"name":${JSON.stringify(name)},"ph":"B","ts":${this.ts(t)},"pid":${c.pid},"tid":${tid}${argsText(args)}}`);
  }

  private end(c: CoreState, tid: number, stack: string[], t: number, args?: object): void {
    const name = stack.pop()!;
    this.event(`{"name":${JSON.stringify(name)},"ph":"E","ts":${this.ts(t)},"pid":${c.pid},"tid":${tid}${argsText(args)}}`);
  }

  private instant(c: CoreState, tid: number, name: string, t: number, args: object | undefined): void {
    this.event(`{"name":${JSON.stringify(name)},"ph":"i","s":"t","ts":${this.ts(t)},"pid":${c.pid},"tid":${tid}${argsText(args)}}`);
  }

  private meta(pid: number, tid: number, name: string, args: object): void {
    this.event(`{"name":"${name}","ph":"M","pid":${pid},"tid":${tid},"args":${JSON.stringify(args)}}`);
  }

  private event(json: string): void {
    this.out.write(this.first ? json : `,\n${json}`);
    this.first = false;
  }

  private ts(t: number): string {
    return this.time.format(t);
  }
}

/** One id per message: the two directions interleaved. */
function flowId(dir: 'm2r' | 'r2m', msg: number): number {
  return 2 * msg + (dir === 'm2r' ? 0 : 1);
}

function top(stack: string[]): string | undefined {
  return stack[stack.length - 1];
}

function argsText(args: object | undefined): string {
  return args === undefined ? '' : `,"args":${JSON.stringify(args)}`;
}
