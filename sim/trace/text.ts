// A narrative of the record stream for people: one line per meaningful record, time first,
// then the component, then what happened in words. Bus accesses are summarised at the end
// of each API call and ISR ("12 bus accesses, 3 stall cycles"), or each one is shown with
// `verbose`, named when it touches a vring index or a mailbox register.
//
//      7.066620 µs  cm4       rpmsg_lite_send → RL_SUCCESS  (14 bus accesses, 1 burst)
//      7.382000 µs  cm7       message r2m#0 delivered to ept 53 (40 B), 1396.04 ns after its send
//
// Colours (ANSI escapes) only with `color: true`.

import { type TraceCore, type TraceHeader, type TraceHeaderInput, canonicalHeader, coreOf } from './header';
import { FileOutput, type TraceOutput, type TraceWriter } from './output';
import { THREAD_MODE_IRQN, type TraceRecord, irqLabel, isrLabel } from './trace';
import { TickFormatter, decimalsForTick, ticksToDecimal, trimZeros } from './tick-format';
import { hex } from '../text/hex';

export interface TextOptions {
  /** ANSI colours (default off). */
  color?: boolean;
  /** One line per bus access and burst (default: summarised per API call and ISR). */
  verbose?: boolean;
  /**
   * Words for a return code. The trace layer does not know rpmsg-lite's names (firmware sits
   * above it); the caller passes them, e.g. from firmware/rpmsg-lite/constants.ts. Default:
   * "returned <code>".
   */
  describeReturn?: (fn: string, code: number) => string;
}

const ANSI = {
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  red: '\u001b[31m',
  green: '\u001b[32m',
  yellow: '\u001b[33m',
  blue: '\u001b[34m',
  magenta: '\u001b[35m',
  cyan: '\u001b[36m',
  reset: '\u001b[0m',
} as const;
type Colour = Exclude<keyof typeof ANSI, 'reset'>;

/** Bus traffic counted since the start of a run, per core. */
interface BusCounts {
  accesses: number;
  bursts: number;
  stall: number;
}

interface CoreText {
  core: TraceCore;
  colour: Colour;
  counts: BusCounts;
  /** Open API calls and ISRs: what they were and the counts when they began. */
  frames: { fn: string; at: number; counts: BusCounts }[];
}

export class TextWriter implements TraceWriter {
  readonly header: TraceHeader;
  private readonly out: TraceOutput;
  private readonly color: boolean;
  private readonly verbose: boolean;
  private readonly describeReturn: (fn: string, code: number) => string;
  private readonly cores = new Map<string, CoreText>();
  /** Send-call tick of each message in flight, by "dir#msg". */
  private readonly sentAt = new Map<string, number>();
  /** Names of watched addresses (vring indices) and of mailbox registers. */
  private readonly addressNames = new Map<number, string>();
  private readonly time: TickFormatter;
  private readonly timeWidth: number;
  private readonly componentWidth: number;

  constructor(target: string | TraceOutput, headerInput: TraceHeaderInput, options: TextOptions = {}) {
    this.header = canonicalHeader(headerInput);
    this.color = options.color ?? false;
    this.verbose = options.verbose ?? false;
    this.describeReturn = options.describeReturn ?? ((_fn, code) => `returned ${code}`);
    const palette: Colour[] = ['cyan', 'magenta', 'blue', 'green'];
    this.header.cores.forEach((core, i) => {
      this.cores.set(core.name, { core, colour: palette[i % palette.length]!, counts: zeroCounts(), frames: [] });
    });
    for (const v of this.header.vrings) {
      this.addressNames.set(v.availIdx, `vring${v.index} avail.idx`);
      this.addressNames.set(v.usedIdx, `vring${v.index} used.idx`);
    }
    for (const mb of this.header.mailboxes) {
      for (const reg of mb.registers) this.addressNames.set(mb.base + reg.offset, reg.name);
    }
    const h = this.header;
    const decimals = Math.min(6, decimalsForTick(h.tickHz, 6));
    this.time = new TickFormatter(h.tickHz, 6, decimals, false);
    this.timeWidth = 5 + 1 + decimals + 3; // up to 99999 µs aligned
    const names = [...h.cores.map((c) => c.name), ...h.irqLines.map((l) => l.name), ...h.cores.map((c) => `${c.name}.nvic`)];
    this.componentWidth = Math.max(4, ...names.map((n) => n.length));
    this.out = typeof target === 'string' ? new FileOutput(target) : target;
    const cores = h.cores.map((c) => `${c.name} (${c.role}, ${trimZeros((c.hz / 1e6).toFixed(6))} MHz)`).join(' and ');
    this.out.write(this.paint('bold', `rpmsg-sim trace of "${h.scenario}" on ${h.platform}: ${cores}`) + '\n');
  }

  record(r: TraceRecord): void {
    const text = this.describe(r);
    if (text !== null) this.line(r.t, r.component, text);
  }

  close(): void {
    for (const c of this.cores.values()) {
      const n = c.counts;
      if (n.accesses + n.bursts > 0) {
        this.out.write(`${' '.repeat(this.timeWidth)}  ${this.paint(c.colour, c.core.name.padEnd(this.componentWidth))}  in all: ${busSummary(n)}\n`);
      }
    }
    this.out.close();
  }

  abort(): void {
    this.out.abort();
  }

  private describe(r: TraceRecord): string | null {
    const c = this.coreText(r.component);
    switch (r.kind) {
      case 'bus':
        if (c !== null) {
          c.counts.accesses++;
          c.counts.stall += r.stall;
        }
        if (!this.verbose) return null;
        return this.paint('dim', `${r.op}${8 * r.size} ${hex(r.address)} ${r.op === 'write' ? '←' : '→'} ${hex(r.value)}  ${r.target}${this.nameOf(r.address)}, ${r.cycles} cycles${r.stall > 0 ? `, ${r.stall} stalled` : ''}`);
      case 'burst':
        if (c !== null) {
          c.counts.bursts++;
          c.counts.stall += r.stall;
        }
        if (!this.verbose) return null;
        return this.paint('dim', `burst ${r.op} of ${r.size} B at ${hex(r.address)}  ${r.target}, ${r.beats} beats, ${r.cycles} cycles${r.stall > 0 ? `, ${r.stall} stalled` : ''}`);
      case 'bus-fault':
        return this.paint('red', `BUS FAULT: ${r.op} of ${r.size} B at ${hex(r.address)}: ${r.reason}`);
      case 'irq-line': {
        const line = this.header.irqLines.find((l) => l.name === r.component);
        const where = line === undefined ? '' : ` (IRQ ${line.line} of ${line.core})`;
        return this.paint('yellow', `${r.level ? 'rises' : 'falls'}${where}`);
      }
      case 'irq-pending':
        return `${irqLabel(r.line)} pending`;
      case 'irq-entry':
        return `exception entry for ${irqLabel(r.line)}${r.tailChained ? ' (tail-chained)' : ''}`;
      case 'irq-late-arrival':
        return `${irqLabel(r.line)} arrives late and takes the vector from ${irqLabel(r.replaced)}`;
      case 'handler-start':
        if (c !== null) c.frames.push({ fn: isrLabel(r.line), at: r.t, counts: { ...c.counts } });
        return this.paint('bold', `${isrLabel(r.line)} enters`) + ` (priority ${r.priority})`;
      case 'handler-end':
        return `${isrLabel(r.line)} returns${this.frameSummary(c, isrLabel(r.line))}`;
      case 'exception-return':
        return r.resumes === THREAD_MODE_IRQN ? 'back in thread mode' : `back in ${isrLabel(r.resumes)}`;
      case 'sleep':
        return this.paint('dim', 'sleeps (WFI)');
      case 'wake':
        return this.paint('dim', 'wakes up');
      case 'lockup':
        return this.paint('red', `LOCKUP: ${r.reason}`);
      case 'fault':
        return this.paint('red', `FAULT ${r.fault} on ${r.target} (${r.trigger}): ${r.effect}`);
      case 'rl-call':
        if (c !== null) c.frames.push({ fn: r.fn, at: r.t, counts: { ...c.counts } });
        return `${r.fn}(…)`;
      case 'rl-return': {
        const words = this.describeReturn(r.fn, r.code);
        return `${r.fn} → ${this.paint(r.code < 0 ? 'red' : 'green', words)}${this.frameSummary(c, r.fn)}`;
      }
      case 'rl-enqueue': {
        // "its send": the innermost open API call on this core (the send that enqueued it)
        let sendAt = r.t;
        for (const f of c?.frames ?? []) if (!f.fn.startsWith('ISR ')) sendAt = f.at;
        this.sentAt.set(`${r.dir}#${r.msg}`, sendAt);
        return `message ${r.dir}#${r.msg} enqueued: ${r.src} → ${r.dst}, ${r.len} B in buffer ${hex(r.buffer)}`;
      }
      case 'rl-deliver': {
        const key = `${r.dir}#${r.msg}`;
        const sent = this.sentAt.get(key);
        this.sentAt.delete(key);
        if (r.ept < 0) return this.paint('red', `message ${key} dropped: no endpoint ${r.dst} (${r.len} B)`);
        let after = '';
        if (sent !== undefined) {
          const span = r.t - sent;
          const cycles = c === null ? '' : `, ${Math.floor(span / c.core.periodTicks)} ${c.core.name} cycles`;
          after = `, ${this.ns(span)} ns after its send${cycles}`;
        }
        return this.paint('bold', `message ${key} delivered to ept ${r.ept}`) + ` (${r.len} B)${after}`;
      }
      case 'rl-notify':
        return this.paint('dim', `notifies the other core (vq ${r.vq})`);
      case 'rl-callback-return':
        return `callback of message ${r.dir}#${r.msg} returns ${r.result === 1 ? 'RL_HOLD' : 'RL_RELEASE'}`;
      case 'rl-link-up':
        return this.paint('green', 'link up');
      case 'gpio': {
        const pin = this.header.pins.find((p) => p.block === r.component && p.port === r.port && p.pin === r.pin);
        return this.paint('yellow', `pin ${pin === undefined ? '' : `${pin.name} `}(${r.port}.${r.pin}) ${r.level ? 'rises' : 'falls'}`);
      }
      case 'watchdog': {
        // The report's lines under the text, indented to it.
        const indent = ' '.repeat(this.timeWidth + this.componentWidth + 4);
        const report = r.report === '' ? [] : r.report.split('\n');
        return this.paint('red', `WATCHDOG: ${r.reason}`) + report.map((line) => `\n${indent}${line}`).join('');
      }
      default:
        return null;
    }
  }

  /** " (12 bus accesses, …)" for the innermost frame named `fn`, which ends here. */
  private frameSummary(c: CoreText | null, fn: string): string {
    if (c === null) return '';
    for (let i = c.frames.length - 1; i >= 0; i--) {
      const f = c.frames[i]!;
      if (f.fn !== fn) continue;
      c.frames.splice(i, 1);
      if (this.verbose) return '';
      const d = { accesses: c.counts.accesses - f.counts.accesses, bursts: c.counts.bursts - f.counts.bursts, stall: c.counts.stall - f.counts.stall };
      return d.accesses + d.bursts === 0 ? '' : this.paint('dim', `  (${busSummary(d)})`);
    }
    return '';
  }

  private coreText(component: string): CoreText | null {
    const core = coreOf(this.header, component);
    return core === null ? null : this.cores.get(core.name)!;
  }

  private nameOf(address: number): string {
    const name = this.addressNames.get(address);
    return name === undefined ? '' : ` (${name})`;
  }

  private line(t: number, component: string, text: string): void {
    const time = `${this.time.format(t)} µs`.padStart(this.timeWidth);
    const c = this.coreText(component);
    const who = component.padEnd(this.componentWidth);
    this.out.write(`${this.paint('dim', time)}  ${c === null ? this.paint('yellow', who) : this.paint(c.colour, who)}  ${text}\n`);
  }

  private ns(span: number): string {
    return trimZeros(ticksToDecimal(span, this.header.tickHz, 9, 3));
  }

  private paint(colour: Colour, text: string): string {
    return this.color ? `${ANSI[colour]}${text}${ANSI.reset}` : text;
  }
}

function zeroCounts(): BusCounts {
  return { accesses: 0, bursts: 0, stall: 0 };
}

function busSummary(n: BusCounts): string {
  const parts = [`${n.accesses} bus access${n.accesses === 1 ? '' : 'es'}`];
  if (n.bursts > 0) parts.push(`${n.bursts} burst${n.bursts === 1 ? '' : 's'}`);
  if (n.stall > 0) parts.push(`${n.stall} stall cycle${n.stall === 1 ? '' : 's'}`);
  return parts.join(', ');
}
