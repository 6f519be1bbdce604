// The step-by-step narrative of a run for a student (`rpmsg-sim explain`): the records in
// time order, grouped by the rpmsg-lite function (rl-call … rl-return) or interrupt handler
// doing the work, every shared-memory and mailbox access named (teach/fields.ts) with the
// value written or read and why; after each phase of a message (scenario-engine/phases.ts
// MESSAGE_PHASES) its cycles on both cores and the ring state of its vring.
//
// Pure: header, records, message breakdowns and the values burst writes left in the vring
// indices in, text out (the command runs the scenario).
// Deterministic: integer ticks, exact decimal times (sim/trace/tick-format.ts).

import type { TraceCore, TraceHeader } from '../sim/trace/header';
import { type TraceRecord, isrLabel } from '../sim/trace/trace';
import { TickFormatter, decimalsForTick, ticksToDecimal, trimZeros } from '../sim/trace/tick-format';
import { MESSAGE_PHASES, type MessageBreakdown } from '../scenario-engine/phases';
import { hex, hexAddress } from '../sim/text/hex';
import {
  type BurstValues,
  type FieldName,
  cFunctionOf,
  type RingState,
  type TeachLayout,
  describeRegisterValue,
  initialRingState,
  namerFor,
  placeWords,
  ringReducer,
  whyOf,
} from './fields';

/** A message as `--message` names it. */
export interface MessageId {
  dir: 'm2r' | 'r2m';
  msg: number;
}

export interface ExplainOptions {
  /** Only records at or after this tick, and at or before `to`. */
  from?: number;
  to?: number;
  /** Follow one message: its send call to its callback's return. */
  message?: MessageId;
  color?: boolean;
  /** Words for an rl-return code (firmware/rpmsg-lite/constants.ts describeRlReturn). */
  describeReturn?: (fn: string, code: number) => string;
}

export interface ExplainInput {
  header: TraceHeader;
  records: readonly TraceRecord[];
  layout: TeachLayout;
  /** Each delivered message's phases (PhaseCollector.onMessage), in delivery order. */
  messages: readonly MessageBreakdown[];
  /**
   * The vring fields each burst write left in memory, by the record's number in `records`
   * and the field's address (explain-run.ts reads them during the run). Without it (a trace
   * read without its memory) an index a burst covered shows `?` until it is next read or
   * written, and a descriptor keeps the buffer it had.
   */
  bursts?: BurstValues;
}

const ANSI = { dim: '\u001b[2m', bold: '\u001b[1m', red: '\u001b[31m', green: '\u001b[32m', yellow: '\u001b[33m', cyan: '\u001b[36m', magenta: '\u001b[35m', reset: '\u001b[0m' } as const;
type Colour = Exclude<keyof typeof ANSI, 'reset'>;

/** One open API call or handler of a core. */
interface Frame {
  label: string;
  at: number;
  /** Accesses not listed (code fetches, private memory), by target. */
  other: Map<string, number>;
  /** An rl-notify was seen in it and the mailbox not yet written. */
  notifying: boolean;
  /** The C function of the last access listed in it (a sub-heading), or null. */
  sub: string | null;
  /** Inside an endpoint callback: between an rl-deliver and its rl-callback-return. */
  inCallback: boolean;
}

/** The messages of a run in enqueue order ("m2r#0", …), from its records. */
export function messagesOf(records: readonly TraceRecord[]): MessageId[] {
  const out: MessageId[] = [];
  for (const r of records) if (r.kind === 'rl-enqueue') out.push({ dir: r.dir, msg: r.msg });
  return out;
}

/**
 * `--message` text: `m2r#0`, `r2m#2`, or a number (the n-th message of the run, from 0, in
 * enqueue order). Returns the message or the error text.
 */
export function parseMessageId(text: string, known: readonly MessageId[]): MessageId | string {
  const list = known.length === 0 ? 'the run sent none' : `the run's messages: ${messageRanges(known)}`;
  const m = /^(m2r|r2m)#(\d+)$/.exec(text.trim());
  if (m !== null) {
    const id = { dir: m[1] as 'm2r' | 'r2m', msg: Number(m[2]) };
    return known.some((k) => k.dir === id.dir && k.msg === id.msg) ? id : `--message ${text}: no such message (${list})`;
  }
  if (/^\d+$/.test(text.trim())) {
    const n = Number(text.trim());
    return known[n] ?? `--message ${text}: the run has ${known.length} message${known.length === 1 ? '' : 's'} (${list})`;
  }
  return `--message ${JSON.stringify(text)}: expected a message like m2r#0 or r2m#1, or its number in the run (0, 1, …)`;
}

/** `m2r#0 to m2r#19, r2m#0 to r2m#20`: each direction's numbers (consecutive from 0, as rl-enqueue numbers them). */
function messageRanges(known: readonly MessageId[]): string {
  return (['m2r', 'r2m'] as const)
    .map((dir) => known.filter((k) => k.dir === dir).length)
    .map((n, i) => {
      const dir = i === 0 ? 'm2r' : 'r2m';
      return n === 0 ? '' : n === 1 ? `${dir}#0` : `${dir}#0 to ${dir}#${n - 1}`;
    })
    .filter((t) => t !== '')
    .join(', ');
}

export function idText(id: MessageId): string {
  return `${id.dir}#${id.msg}`;
}

export function explain(input: ExplainInput, options: ExplainOptions = {}): string {
  return new Explainer(input, options).run();
}

class Explainer {
  private readonly lines: string[] = [];
  private readonly h: TraceHeader;
  private readonly name: (address: number, size: number) => FieldName | null;
  private readonly reduce: (s: RingState, r: TraceRecord) => RingState;
  private ring: RingState;
  /** Number (in the records) of the record being reduced: where `bursts` is looked up. */
  private at = -1;
  private readonly frames = new Map<string, Frame[]>();
  private readonly time: TickFormatter;
  private readonly width: number;
  private readonly coreWidth: number;
  private readonly color: boolean;
  private readonly describeReturn: (fn: string, code: number) => string;
  private from: number;
  private to: number;
  /** Phase ends to print: after every record at or before `t`. */
  private readonly phaseEnds: { t: number; b: MessageBreakdown; phase: number }[] = [];
  /** The first record of the window has been reached. */
  private started = false;
  /** Each vring as last drawn (JSON), to say "unchanged". */
  private readonly drawn = new Map<number, string>();
  /** Callback ends (b6) by message, from the records. */
  private readonly callbackEnd = new Map<string, number>();

  constructor(
    private readonly input: ExplainInput,
    private readonly options: ExplainOptions,
  ) {
    this.h = input.header;
    this.name = namerFor(input.layout, input.header);
    const roleOf = (component: string) => this.coreOf(component)?.role ?? null;
    const bursts = input.bursts;
    this.reduce = ringReducer(input.layout, roleOf, bursts === undefined ? {} : { burstValue: (_r, address) => bursts[this.at]?.[address] });
    this.ring = initialRingState(input.layout);
    this.time = new TickFormatter(this.h.tickHz, 6, Math.min(6, decimalsForTick(this.h.tickHz, 6)), false);
    // the time column fits the latest time shown (12 characters up to 99,999.999999 µs)
    const last = input.records[input.records.length - 1];
    this.width = Math.max(12, last === undefined ? 0 : this.time.format(last.t).length);
    this.coreWidth = Math.max(4, ...this.h.cores.map((c) => c.name.length), ...this.h.irqLines.map((l) => l.name.length));
    this.color = options.color ?? false;
    this.describeReturn = options.describeReturn ?? ((_fn, code) => `returned ${code}`);
    this.from = options.from ?? 0;
    this.to = options.to ?? Number.MAX_SAFE_INTEGER;
    for (const r of input.records) if (r.kind === 'rl-callback-return') this.callbackEnd.set(`${r.dir}#${r.msg}`, r.t);
    const follow = options.message;
    for (const b of input.messages) {
      if (follow !== undefined && (b.dir !== follow.dir || b.msg !== follow.msg)) continue;
      for (let k = 1; k <= MESSAGE_PHASES.length; k++) this.phaseEnds.push({ t: b.boundaries[k]!, b, phase: k - 1 });
      if (follow !== undefined) {
        this.from = Math.max(this.from, b.boundaries[0]!);
        this.to = Math.min(this.to, this.callbackEnd.get(idText(b)) ?? b.boundaries[MESSAGE_PHASES.length]!);
      }
    }
    this.phaseEnds.sort((a, b) => a.t - b.t || a.b.boundaries[0]! - b.b.boundaries[0]! || a.phase - b.phase);
  }

  run(): string {
    this.intro();
    let next = 0;
    let initShown = false;
    for (const [i, r] of this.input.records.entries()) {
      if (r.t > this.to) break; // the rings drawn last are those at `to`
      while (next < this.phaseEnds.length && this.phaseEnds[next]!.t < r.t) this.phaseEnd(this.phaseEnds[next++]!);
      this.at = i;
      this.ring = this.reduce(this.ring, r);
      const shown = r.t >= this.from && r.t <= this.to;
      if (shown && !this.started) this.start();
      this.describe(r, shown);
      if (!initShown && r.kind === 'rl-return' && r.fn === 'rpmsg_lite_master_init' && shown) {
        initShown = true;
        this.note('the rings after master init:');
        this.drawRing([0, 1]);
      }
    }
    while (next < this.phaseEnds.length) this.phaseEnd(this.phaseEnds[next++]!);
    const end = this.options.message !== undefined ? `the rings after ${idText(this.options.message)}:` : this.options.to !== undefined ? `the rings at ${this.us(this.to)} µs:` : 'the rings at the end:';
    this.note(end);
    this.drawRing([0, 1]);
    return this.lines.join('\n') + '\n';
  }

  /** The window's first record: say what each core is inside of, when the window cuts into it. */
  private start(): void {
    this.started = true;
    for (const [core, frames] of this.frames) {
      frames.forEach((f, depth) => {
        this.line(null, core, depth, this.paint('dim', `(inside ${f.label} since ${this.us(f.at)} µs)`));
      });
    }
  }

  private intro(): void {
    const h = this.h;
    const l = this.input.layout;
    const cores = h.cores.map((c) => `${c.name} (${c.role}, ${trimZeros((c.hz / 1e6).toFixed(6))} MHz)`).join(' and ');
    this.lines.push(this.paint('bold', `rpmsg-sim explain: "${h.scenario}" on ${h.platform}: ${cores}`));
    this.lines.push(
      `shared memory ${hexAddress(l.sharedMemory.base)}, ${l.sharedMemory.size} B: vring0 (remote→master) at ${hexAddress(l.vrings[0].base)}, ` +
        `vring1 (master→remote) at ${hexAddress(l.vrings[1].base)}, ${l.buffers} buffers of ${l.bufferSize} B from ${hexAddress(l.bufferBase)} ` +
        `(buf[0..${l.bufferCount - 1}] vring0's, buf[${l.bufferCount}..${l.buffers - 1}] vring1's)`,
    );
    for (const a of l.assumptions) this.lines.push(`assumed: ${a}`);
    const window = this.options.message !== undefined ? `message ${idText(this.options.message)}, ` : '';
    if (this.options.message !== undefined || this.options.from !== undefined || this.options.to !== undefined) {
      this.lines.push(`showing ${window}${this.us(this.from)} µs to ${this.to === Number.MAX_SAFE_INTEGER ? 'the end' : `${this.us(this.to)} µs`}`);
    }
    this.lines.push('times in µs; ▶ an rpmsg-lite API call or a handler begins, ◀ it returns, · the C function inside it that makes the accesses below');
    this.lines.push('accesses: op and width, field, ← value written or → value read, why, cycles; code fetches and private memory are counted per call');
    if (this.input.bursts === undefined) this.lines.push('rings: an index shown ? has not been read or written since master init cleared the vring (a burst: its data is not traced)');
    else this.lines.push('rings: an index a burst wrote (a memset, a cache line written back) shows the value the run read from shared memory as the burst happened (the trace has no data for a burst)');
    this.lines.push('');
  }

  private coreOf(component: string): TraceCore | null {
    for (const c of this.h.cores) if (component === c.name || component.startsWith(`${c.name}.`)) return c;
    return null;
  }

  private stack(core: string): Frame[] {
    let s = this.frames.get(core);
    if (s === undefined) {
      s = [];
      this.frames.set(core, s);
    }
    return s;
  }

  private describe(r: TraceRecord, shown: boolean): void {
    const core = this.coreOf(r.component);
    const frames = core === null ? [] : this.stack(core.name);
    const top = frames[frames.length - 1];
    const say = (text: string, depth = frames.length) => {
      if (shown) this.line(r.t, r.component, depth, text);
    };
    switch (r.kind) {
      case 'bus':
      case 'burst': {
        const f = this.name(r.address, r.size);
        if (f === null) {
          if (top !== undefined) top.other.set(r.target, (top.other.get(r.target) ?? 0) + 1);
          return;
        }
        const role = core?.role ?? 'master';
        const inHandler = frames.some((x) => x.label.startsWith('ISR'));
        const fn = [...frames].reverse().find((x) => !x.label.startsWith('ISR'))?.label;
        const notifying = top?.notifying ?? false;
        if (top !== undefined && f.kind === 'register' && r.op === 'write') top.notifying = false;
        const stall = r.stall > 0 ? `, ${r.stall} stalled` : '';
        const sub = cFunctionOf(f, { op: r.op, role, value: r.kind === 'bus' ? r.value : 0, inHandler, notifying, previous: top?.sub ?? null, inCallback: top?.inCallback ?? false, ...(fn !== undefined && { fn }) });
        if (top !== undefined && sub !== top.sub) {
          top.sub = sub;
          if (sub !== null && shown) this.line(null, r.component, frames.length, this.paint('bold', `· ${sub}`));
        }
        const depth = frames.length + (top?.sub === null || top?.sub === undefined ? 0 : 1);
        if (r.kind === 'burst') {
          const cacheLine = r.size === 32 && r.address % 32 === 0;
          const why = whyOf(f, { op: r.op, role, value: 0, inHandler, notifying, cacheLine, ...(fn !== undefined && { fn }) }, this.h.mailboxes);
          say(`${this.paint('cyan', `burst ${r.op} ${r.size} B`)} ${f.text} (${hex(r.address)})  ${this.paint('dim', `${why}; ${r.cycles} ${r.cycles === 1 ? 'cycle' : 'cycles'}${stall}`)}`, depth);
          return;
        }
        const why = whyOf(f, { op: r.op, role, value: r.value, inHandler, notifying, ...(fn !== undefined && { fn }) }, this.h.mailboxes);
        const arrow = r.op === 'write' ? '←' : '→';
        let value = f.kind === 'register' || f.kind === 'desc.addr' || r.value > 0xffff ? hex(r.value) : String(r.value);
        if (f.kind === 'register') {
          const mb = this.h.mailboxes.find((m) => m.name === f.region);
          const bits = mb === undefined ? '' : describeRegisterValue(mb, f.field, r.value);
          if (bits !== '') value += ` (${bits})`;
        }
        say(`${this.paint('cyan', `${r.op}${8 * r.size}`)} ${f.text} ${arrow} ${value}  ${this.paint('dim', `${why}; ${r.cycles} ${r.cycles === 1 ? 'cycle' : 'cycles'}${stall}`)}`, depth);
        return;
      }
      case 'rl-call':
        say(this.paint('bold', `▶ ${r.fn}`));
        frames.push({ label: r.fn, at: r.t, other: new Map(), notifying: false, sub: null, inCallback: false });
        return;
      case 'rl-return': {
        const f = this.pop(frames, r.fn);
        const words = this.describeReturn(r.fn, r.code);
        say(`${this.paint('bold', `◀ ${r.fn}`)} → ${this.paint(r.code < 0 ? 'red' : 'green', words)}${this.frameSummary(f, core, r.t)}`, frames.length);
        return;
      }
      case 'handler-start': {
        const line = this.h.irqLines.find((l) => core !== null && l.core === core.name && l.line === r.line);
        const what = line === undefined ? '' : ` (${line.name}: the platform's mailbox handler → env_isr → the virtqueue's callback)`;
        say(this.paint('bold', `▶ ${isrLabel(r.line)}${what}`));
        frames.push({ label: isrLabel(r.line), at: r.t, other: new Map(), notifying: false, sub: null, inCallback: false });
        return;
      }
      case 'handler-end': {
        const f = this.pop(frames, isrLabel(r.line));
        say(`${this.paint('bold', `◀ ${isrLabel(r.line)}`)} returns${this.frameSummary(f, core, r.t)}`, frames.length);
        return;
      }
      case 'rl-enqueue':
        say(this.paint('magenta', `message ${r.dir}#${r.msg} enqueued: endpoint ${r.src} → ${r.dst}, ${r.len} B in ${this.bufferName(r.buffer)}`));
        return;
      case 'rl-notify':
        if (top !== undefined) {
          top.notifying = true;
          top.sub = null;
        }
        say(`virtqueue_kick → platform_notify(vq ${r.vq}): ring the other core's doorbell`);
        return;
      case 'rl-deliver':
        if (top !== undefined && r.ept >= 0) {
          top.inCallback = true;
          top.sub = null;
        }
        if (r.ept < 0) say(this.paint('red', `message ${r.dir}#${r.msg} dropped: no endpoint ${r.dst} (${r.len} B in ${this.bufferName(r.buffer)})`));
        else say(this.paint('magenta', `rpmsg_lite_rx_callback: message ${r.dir}#${r.msg} (${r.len} B in ${this.bufferName(r.buffer)}) → endpoint ${r.ept}'s callback`));
        return;
      case 'rl-callback-return':
        if (top !== undefined) {
          top.inCallback = false;
          top.sub = null;
        }
        say(`the endpoint callback of ${r.dir}#${r.msg} returns ${r.result === 1 ? 'RL_HOLD (the buffer stays with this core)' : 'RL_RELEASE (the buffer goes back to the ring)'}`);
        return;
      case 'rl-link-up':
        say(this.paint('green', 'link up (rpmsg_lite_tx_callback: link_state = 1)'));
        return;
      case 'irq-line': {
        const line = this.h.irqLines.find((l) => l.name === r.component);
        say(this.paint('yellow', `${r.component} ${r.level ? 'rises' : 'falls'}${line === undefined ? '' : ` (IRQ ${line.line} of ${line.core})`}`), 0);
        return;
      }
      case 'irq-pending':
        say(`IRQ ${r.line} pending in ${r.component}`, 0);
        return;
      case 'irq-entry':
        say(`exception entry for IRQ ${r.line}${r.tailChained ? ' (tail-chained)' : ''}: the core stacks its registers`);
        return;
      case 'sleep':
        say(this.paint('dim', 'sleeps (WFI)'));
        return;
      case 'wake':
        say(this.paint('dim', 'wakes up'));
        return;
      case 'bus-fault':
        say(this.paint('red', `BUS FAULT: ${r.op} of ${r.size} B at ${hex(r.address)}${this.named(r.address, r.size)}: ${r.reason}`));
        return;
      case 'lockup':
        say(this.paint('red', `LOCKUP: ${r.reason}`));
        return;
      case 'fault':
        say(this.paint('red', `injected fault ${r.fault} on ${r.target} (${r.trigger}): ${r.effect}`), 0);
        return;
      case 'gpio':
        say(`pin ${r.port}.${r.pin} ${r.level ? 'rises' : 'falls'}`, 0);
        return;
      default:
        return;
    }
  }

  private named(address: number, size: number): string {
    const f = this.name(address, size);
    return f === null ? '' : ` (${f.text})`;
  }

  private bufferName(address: number): string {
    const f = this.name(address, 1);
    return f?.buffer !== undefined ? `buf[${f.buffer}] (${hex(address)})` : hex(address);
  }

  private pop(frames: Frame[], label: string): Frame | undefined {
    for (let i = frames.length - 1; i >= 0; i--) {
      if (frames[i]!.label === label) return frames.splice(i, 1)[0];
    }
    return undefined;
  }

  private frameSummary(f: Frame | undefined, core: TraceCore | null, t: number): string {
    if (f === undefined || core === null) return '';
    const cycles = Math.floor((t - f.at) / core.periodTicks);
    const other = [...f.other].map(([target, n]) => `${n} ${target}`).join(', ');
    return this.paint('dim', `  (${cycles} ${core.name} cycles${other === '' ? '' : `; not listed: ${other} accesses`})`);
  }

  private phaseEnd(e: { t: number; b: MessageBreakdown; phase: number }): void {
    const start = e.b.boundaries[e.phase]!;
    if (e.t < this.from || e.t > this.to) return;
    const p = MESSAGE_PHASES[e.phase]!;
    const span = e.t - start;
    const perCore = this.h.cores.map((c) => `${trimZeros((span / c.periodTicks).toFixed(1))} ${c.name} cycles`).join(', ');
    const on = p.on === 'sender' ? (e.b.dir === 'm2r' ? this.h.cores[0] : this.h.cores[1]) : e.b.dir === 'm2r' ? this.h.cores[1] : this.h.cores[0];
    const who = e.phase === 2 ? 'on no core (the mailbox)' : `on ${on?.name}`;
    this.lines.push(this.paint('yellow', `${''.padStart(this.timeWidth())}  ── ${idText(e.b)} phase ${e.phase + 1}/${MESSAGE_PHASES.length} ${p.label} ${who}: ${this.us(start)} → ${this.us(e.t)} µs = ${this.ns(span)} ns = ${perCore}`));
    if (e.phase === MESSAGE_PHASES.length - 1) {
      this.lines.push(this.paint('yellow', `${''.padStart(this.timeWidth())}     one-way latency of ${idText(e.b)}: ${this.ns(e.b.latency)} ns${e.b.complete ? '' : ' (a boundary was not seen: its phase is 0)'}`));
    }
    this.drawRing([e.b.dir === 'm2r' ? 1 : 0], true);
  }

  /** The rings `which`; `brief`: one line for a vring unchanged since it was last drawn. */
  private drawRing(which: number[], brief = false): void {
    const pad = ''.padStart(this.timeWidth());
    for (const q of which) {
      const v = this.ring.vrings[q]!;
      const text = JSON.stringify(v);
      const unchanged = this.drawn.get(q) === text;
      this.drawn.set(q, text);
      if (brief && unchanged) {
        this.lines.push(`${pad}     vring${q}: unchanged`);
        continue;
      }
      const idx = (n: number | null) => (n === null ? '?' : String(n));
      this.lines.push(`${pad}     vring${q} (${v.dir === 'm2r' ? 'master→remote' : 'remote→master'}): avail.idx ${idx(v.availIdx)}, used.idx ${idx(v.usedIdx)}`);
      v.descs.forEach((d, i) => {
        const buf = d.buffer === null ? 'no buffer' : `buf[${d.buffer}]`;
        this.lines.push(`${pad}       desc ${i} → ${buf}: ${placeWords(q, d.place)}`);
      });
    }
  }

  private note(text: string): void {
    this.lines.push(`${''.padStart(this.timeWidth())}  ${this.paint('bold', text)}`);
  }

  /** Characters of the time column: up to 99999.999999 µs aligned. */
  private timeWidth(): number {
    return this.width;
  }

  /** One line: time (blank for null), component, indentation by depth, text. */
  private line(t: number | null, component: string, depth: number, text: string): void {
    const time = (t === null ? '' : this.time.format(t)).padStart(this.timeWidth());
    this.lines.push(`${this.paint('dim', time)}  ${component.padEnd(this.coreWidth)}  ${'  '.repeat(depth)}${text}`);
  }

  private us(t: number): string {
    return ticksToDecimal(t, this.h.tickHz, 6, Math.min(6, decimalsForTick(this.h.tickHz, 6)));
  }

  private ns(t: number): string {
    return trimZeros(ticksToDecimal(t, this.h.tickHz, 9, 3));
  }

  private paint(c: Colour, text: string): string {
    return this.color ? `${ANSI[c]}${text}${ANSI.reset}` : text;
  }
}
