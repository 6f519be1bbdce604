// Value Change Dump (IEEE 1364 §18) for waveform viewers (GTKWave, Surfer): a view of the
// record stream as signals. Scopes per core (state, active IRQ, its interrupt lines, its
// measuring GPIO pin as a 1-bit wire `pin_<name>`), per
// mailbox (last value written to each register, its interrupt outputs), the vrings'
// avail.idx/used.idx, and rpmsg message counters per direction. Every signal is declared
// from the header before the first value, so the file streams like the records do.
//
// Time: a VCD timescale is 1, 10 or 100 of s/ms/us/ns/ps/fs. The writer takes the coarsest
// one in which every tick is a whole number of units; when none is (996 GHz ticks are
// 1004.016… fs), it takes 1 fs and rounds each time to the nearest fs: less than 0.5 fs off,
// and distinct ticks stay distinct and in order because every tick the kernel chooses is
// longer than 1 fs (its fastest is about 2.5 THz, 400 fs).
// A `$comment` in the file says which case applies.
//
// The value of a signal is its value at the end of a tick: several changes of one signal
// at the same tick are written once (no zero-width glitches).
//
// Vring indices are the value last seen on the bus at their address. A burst (memset,
// memcpy, a cache line) does not carry its data in the record: with a `memory` reader
// (the runner's view of the shared memory) the writer reads what the burst left there, so
// after master init's memset the indices read 0 rather than unknown; without one, a burst
// write makes them `x` until the next access shows them.
//
// With `saveFile`, close() also writes a GTKWave save file (gtkw.ts) naming the signals
// declared here, grouped; the two files are published together or not at all.

import { basename } from 'node:path';
import { InternalError } from '../kernel';
import { type GtkwFormat, type GtkwGroup, gtkwPathOf, gtkwSaveFile } from './gtkw';
import { type TraceHeader, type TraceHeaderInput, canonicalHeader } from './header';
import { FileOutput, type TraceOutput, type TraceWriter, closeTogether } from './output';
import type { TraceRecord } from './trace';
import { pow10 } from './tick-format';

/** The VCD timescale chosen for a tick rate, and the tick -> time-unit conversion. */
export class VcdTimescale {
  /** "1 fs", "100 ps", … */
  readonly unit: string;
  /** Every tick is a whole number of units. */
  readonly exact: boolean;
  private readonly unitsPerTick: bigint;
  private readonly fsPerUnit: bigint;

  constructor(readonly tickHz: number) {
    const hz = BigInt(tickHz);
    const fsPerSecond = pow10(15);
    // coarsest first: 1 s, 100 ms, 10 ms, 1 ms, …, 1 fs
    for (let e = 15; e >= 0; e--) {
      const unitFs = pow10(e);
      if (fsPerSecond % (hz * unitFs) === 0n) {
        this.fsPerUnit = unitFs;
        this.unitsPerTick = fsPerSecond / (hz * unitFs);
        this.unit = unitName(e);
        this.exact = true;
        return;
      }
    }
    this.fsPerUnit = 1n;
    this.unitsPerTick = 0n;
    this.unit = '1 fs';
    this.exact = false;
  }

  /** Ticks to units of the timescale (exact, or rounded to the nearest fs). */
  toUnits(t: number): bigint {
    if (this.exact) return BigInt(t) * this.unitsPerTick;
    const hz = BigInt(this.tickHz);
    return (2n * BigInt(t) * pow10(15) + hz) / (2n * hz);
  }

  /** Why this timescale, for the file's comment. */
  describe(): string {
    if (this.exact) return `one tick is ${this.unitsPerTick} x ${this.unit} exactly`;
    const fsPerTick = Number((pow10(15) * 1000n) / BigInt(this.tickHz)) / 1000;
    return `one tick is ${fsPerTick} fs, not a whole number of any VCD unit: times are rounded to the nearest fs (under 0.5 fs off)`;
  }
}

function unitName(exponentFs: number): string {
  const units = ['fs', 'ps', 'ns', 'us', 'ms', 's'];
  const unit = units[Math.floor(exponentFs / 3)]!;
  return `${10 ** (exponentFs % 3)} ${unit}`;
}

type VarType = 'wire' | 'reg' | 'integer' | 'string';

/** One VCD variable; values are kept as VCD text ("1", "b101", "bz", "sthread"). */
class Signal {
  /** Value last written to the file (null: not yet). */
  written: string | null = null;
  dirty = false;

  constructor(
    readonly id: string,
    readonly type: VarType,
    readonly width: number,
    /** Value at the end of the current tick. */
    public value: string,
  ) {}

  change(): string {
    if (this.type === 'string') return `s${this.value} ${this.id}`;
    if (this.width === 1 && this.type === 'wire') return `${this.value}${this.id}`;
    return `${this.value} ${this.id}`;
  }
}

/** The core states shown by `state` (a 2-bit code) and `state_name` (a string). */
export const CORE_STATES = ['thread', 'handler', 'asleep', 'lockup'] as const;
export type CoreState = (typeof CORE_STATES)[number];

interface CoreSignals {
  state: Signal;
  stateName: Signal;
  activeIrq: Signal;
}

interface WatchedField {
  address: number;
  signal: Signal;
}

interface MailboxSignals {
  base: number;
  size: number;
  /** By byte offset in the window. */
  registers: Map<number, Signal>;
}

/**
 * Reads `size` bytes (1 to 4) of memory at `address`, little-endian, as the trace header's
 * addresses see it (the master's view); undefined where it cannot. The writer reads only
 * the vring indices a burst covers, when the burst's record arrives.
 */
export type MemoryReader = (address: number, size: number) => number | undefined;

export interface VcdOptions {
  /** The memory the trace's bursts wrote: vring indices after a burst show its value (see the header). */
  memory?: MemoryReader;
  /** Where to write a GTKWave save file for this VCD (a path, or an output); none by default. */
  saveFile?: string | TraceOutput;
  /** The VCD's file name as the save file names it (default: the target's base name, or "trace.vcd"). */
  dumpfile?: string;
}

/** A signal as the save file lists it: the group it belongs to and how it shows. */
interface Shown {
  signal: Signal;
  name: string;
  format: GtkwFormat;
  /** Listed only if the run wrote it (mailbox registers: most are never touched). */
  ifWritten: boolean;
}

export class VcdWriter implements TraceWriter {
  readonly header: TraceHeader;
  readonly timescale: VcdTimescale;
  private readonly out: TraceOutput;
  private readonly signals: Signal[] = [];
  private readonly dirty: Signal[] = [];
  private readonly cores = new Map<string, CoreSignals>();
  private readonly irqLines = new Map<string, Signal>();
  /** Measuring pins by "block:port:pin". */
  private readonly pins = new Map<string, Signal>();
  private readonly mailboxes = new Map<string, MailboxSignals>();
  private readonly vringFields: WatchedField[] = [];
  private readonly counters = new Map<string, { signal: Signal; count: number }>();
  /** Injected faults of the tick being collected, written as `$comment fault: … $end` at its time stamp. */
  private readonly notes: string[] = [];
  /** Tick whose changes are being collected. */
  private now = 0;
  /** Last time stamp written, in timescale units (-1: none yet). */
  private lastStamp = -1n;
  private dumped = false;
  /** Records whose component has no signal here (kept for the closing comment). */
  private ignored = 0;
  private readonly memory: MemoryReader | undefined;
  private readonly save: TraceOutput | null = null;
  private readonly dumpfile: string;
  /** The save file's groups, in order: title and signals. */
  private readonly shown: { title: string; signals: Shown[] }[] = [];
  /** Scope names while declaring (for the signals' full names). */
  private readonly scopes: string[] = [];

  constructor(target: string | TraceOutput, headerInput: TraceHeaderInput, options: VcdOptions = {}) {
    this.header = canonicalHeader(headerInput);
    this.timescale = new VcdTimescale(this.header.tickHz);
    this.memory = options.memory;
    this.dumpfile = options.dumpfile ?? (typeof target === 'string' ? basename(target) : 'trace.vcd');
    const declarations = this.declare();
    this.out = typeof target === 'string' ? new FileOutput(target) : target;
    if (options.saveFile !== undefined) {
      try {
        this.save = typeof options.saveFile === 'string' ? new FileOutput(options.saveFile) : options.saveFile;
      } catch (error) {
        this.out.abort();
        throw error;
      }
    }
    this.out.write(declarations);
  }

  record(r: TraceRecord): void {
    if (r.t !== this.now) {
      if (r.t < this.now) throw new InternalError(`trace records out of time order: ${r.t} after ${this.now}`);
      this.flush();
      this.now = r.t;
    }
    switch (r.kind) {
      case 'irq-line': {
        const s = this.irqLines.get(r.component);
        if (s === undefined) this.ignored++;
        else this.set(s, r.level ? '1' : '0');
        return;
      }
      case 'handler-start':
        this.setCore(r.component, 'handler', r.line);
        return;
      case 'exception-return':
        if (r.resumes < 0) this.setCore(r.component, 'thread', null);
        else this.setCore(r.component, 'handler', r.resumes);
        return;
      case 'sleep':
        this.setCore(r.component, 'asleep', undefined);
        return;
      case 'wake':
        this.setCore(r.component, 'thread', undefined);
        return;
      case 'lockup':
        this.setCore(r.component, 'lockup', undefined);
        return;
      case 'fault':
        // No signal carries it (a signal would change every VCD, with faults or not): a
        // comment at its time, which GTKWave skips and a reader of the text finds.
        this.notes.push(`fault ${r.fault} on ${r.target} (${r.trigger}): ${r.effect}`);
        return;
      case 'bus':
        this.busAccess(r.op, r.address, r.size, r.value, r.target);
        return;
      case 'burst':
        this.burst(r.op, r.address, r.size);
        return;
      case 'rl-enqueue':
        this.count(`${r.dir}_enqueued`);
        return;
      case 'rl-deliver':
        this.count(r.ept < 0 ? `${r.dir}_dropped` : `${r.dir}_delivered`);
        return;
      case 'gpio': {
        const s = this.pins.get(`${r.component}:${r.port}:${r.pin}`);
        if (s === undefined) this.ignored++;
        else this.set(s, r.level ? '1' : '0');
        return;
      }
      case 'watchdog': {
        // A comment where the run ended (VCD has no markers): the values up to now first.
        this.flush();
        const stamp = this.timescale.toUnits(r.t);
        if (stamp > this.lastStamp) {
          this.out.write(`#${stamp}\n`);
          this.lastStamp = stamp;
        }
        const report = r.report === '' ? '' : `; ${r.report.split('\n').join('; ')}`;
        this.out.write(`$comment watchdog at tick ${r.t}: ${commentText(r.reason)}${commentText(report)} $end\n`);
        return;
      }
      default:
        return;
    }
  }

  close(): void {
    try {
      this.flush();
      // let the waveform run to the last record even when it changed nothing
      const end = this.timescale.toUnits(this.now);
      if (end > this.lastStamp) this.out.write(`#${end}\n`);
      if (this.ignored > 0) {
        this.out.write(`$comment ${this.ignored} records of components without a signal here were not shown $end\n`);
      }
      if (this.save === null) {
        this.out.close();
        return;
      }
      this.save.write(gtkwSaveFile(this.saveGroups(), { dumpfile: this.dumpfile, end, title: this.title() }));
    } catch (error) {
      this.abort();
      throw error;
    }
    closeTogether([this.out, this.save]);
  }

  abort(): void {
    this.out.abort();
    this.save?.abort();
  }

  /** The save file's groups: every signal declared for it, less mailbox registers the run never wrote. */
  saveGroups(): GtkwGroup[] {
    return this.shown.map((g) => ({
      title: g.title,
      signals: g.signals.filter((s) => !s.ifWritten || s.signal.written !== 'bx').map((s) => ({ name: s.name, format: s.format })),
    }));
  }

  private title(): string {
    return `rpmsg-sim signals of scenario "${commentText(this.header.scenario)}" on ${this.header.platform} (open with: gtkwave ${gtkwPathOf(this.dumpfile)})`;
  }

  // ---- declarations ----------------------------------------------------------------------------

  private declare(): string {
    const h = this.header;
    const lines: string[] = [];
    lines.push(`$comment rpmsg-sim trace format ${h.version}: scenario "${commentText(h.scenario)}" on ${commentText(h.platform)} $end`);
    lines.push(`$comment tick rate ${h.tickHz} Hz; ${this.timescale.describe()} $end`);
    lines.push(`$comment core state codes: ${CORE_STATES.map((s, i) => `${i} ${s}`).join(', ')}; active_irq is z in thread mode $end`);
    lines.push('$version rpmsg-sim $end'); // no tool version: the file must not change with it
    lines.push(`$timescale ${this.timescale.unit} $end`);
    lines.push(this.scope('rpmsg_sim'));
    for (const core of h.cores) {
      lines.push(this.scope(vcdName(core.name)));
      const group = this.group(`${core.name} (${core.role}, ${mhz(core.hz)})`);
      const state = this.signal('reg', 2, 'b0');
      const stateName = this.signal('string', 1, 'thread');
      const activeIrq = this.signal('integer', 32, 'bz');
      lines.push(this.var(state, 'state'), this.var(stateName, 'state_name', group, 'text'), this.var(activeIrq, 'active_irq', group, 'signed'));
      this.cores.set(core.name, { state, stateName, activeIrq });
      for (const line of h.irqLines.filter((l) => l.core === core.name)) {
        const s = this.signal('wire', 1, '0');
        this.irqLines.set(line.name, s);
        lines.push(this.var(s, `irq${line.line}_${vcdName(line.name)}`, group, 'binary'));
      }
      for (const pin of h.pins.filter((p) => p.core === core.name)) {
        // the builder makes every measuring pin an output, low, before the run
        const s = this.signal('wire', 1, '0');
        this.pins.set(`${pin.block}:${pin.port}:${pin.pin}`, s);
        lines.push(this.var(s, `pin_${vcdName(pin.name)}`, group, 'binary'));
      }
      lines.push(this.upscope());
    }
    for (const mb of h.mailboxes) {
      lines.push(this.scope(vcdName(mb.name)));
      const group = this.group(`${mb.name} registers (last value written)`);
      const registers = new Map<number, Signal>();
      const list = mb.registers.length > 0 ? mb.registers : wordsOf(mb.size);
      for (const reg of list) {
        const s = this.signal('reg', 32, 'bx'); // no write seen yet
        registers.set(reg.offset, s);
        lines.push(this.var(s, vcdName(reg.name), group, 'hex', true));
      }
      // the mailbox's interrupt outputs, aliases of the wires in the cores' scopes
      for (const line of h.irqLines) {
        const s = this.irqLines.get(line.name);
        if (s !== undefined && line.name.startsWith(`${mb.name}.`)) lines.push(this.var(s, vcdName(line.name.slice(mb.name.length + 1))));
      }
      this.mailboxes.set(mb.name, { base: mb.base, size: mb.size, registers });
      lines.push(this.upscope());
    }
    if (h.vrings.length > 0) {
      lines.push(this.scope('vrings'));
      const group = this.group('vring indices');
      for (const v of h.vrings) {
        // shared memory starts zeroed in the simulator
        const avail = this.signal('reg', 16, 'b0');
        const used = this.signal('reg', 16, 'b0');
        this.vringFields.push({ address: v.availIdx, signal: avail }, { address: v.usedIdx, signal: used });
        lines.push(this.var(avail, `vring${v.index}_${v.dir}_avail_idx`, group, 'decimal'), this.var(used, `vring${v.index}_${v.dir}_used_idx`, group, 'decimal'));
      }
      lines.push(this.upscope());
    }
    lines.push(this.scope('rpmsg'));
    const messages = this.group('rpmsg messages');
    for (const dir of ['m2r', 'r2m']) {
      for (const what of ['enqueued', 'delivered', 'dropped']) {
        const s = this.signal('reg', 32, 'b0');
        this.counters.set(`${dir}_${what}`, { signal: s, count: 0 });
        lines.push(this.var(s, `${dir}_${what}`, messages, 'decimal'));
      }
    }
    lines.push(this.upscope());
    lines.push(this.upscope());
    lines.push('$enddefinitions $end');
    return `${lines.join('\n')}\n`;
  }

  private scope(name: string): string {
    this.scopes.push(name);
    return `$scope module ${name} $end`;
  }

  private upscope(): string {
    this.scopes.pop();
    return '$upscope $end';
  }

  private group(title: string): Shown[] {
    const signals: Shown[] = [];
    this.shown.push({ title, signals });
    return signals;
  }

  private signal(type: VarType, width: number, initial: string): Signal {
    const s = new Signal(identifier(this.signals.length), type, width, initial);
    this.signals.push(s);
    return s;
  }

  /** A `$var` line; with a group, the signal is also listed in the save file, named as GTKWave names it. */
  private var(s: Signal, name: string, group?: Shown[], format: GtkwFormat = 'binary', ifWritten = false): string {
    if (group !== undefined) {
      const range = s.type === 'reg' && s.width > 1 ? `[${s.width - 1}:0]` : ''; // GTKWave adds it to a vector declared without one
      group.push({ signal: s, name: `${[...this.scopes, name].join('.')}${range}`, format, ifWritten });
    }
    return `$var ${s.type} ${s.width} ${s.id} ${name} $end`;
  }

  // ---- changes ---------------------------------------------------------------------------------

  private set(s: Signal, value: string): void {
    s.value = value;
    if (!s.dirty) {
      s.dirty = true;
      this.dirty.push(s);
    }
  }

  private setCore(component: string, state: CoreState, activeIrq: number | null | undefined): void {
    const c = this.cores.get(component);
    if (c === undefined) {
      this.ignored++;
      return;
    }
    const code = CORE_STATES.indexOf(state);
    this.set(c.state, `b${code.toString(2)}`);
    this.set(c.stateName, state);
    if (activeIrq === null) this.set(c.activeIrq, 'bz');
    else if (activeIrq !== undefined) this.set(c.activeIrq, binary(activeIrq, 32));
  }

  private busAccess(op: 'read' | 'write', address: number, size: number, value: number, target: string): void {
    // vring indices: the value last seen on the bus (a read shows what memory holds too)
    for (const f of this.vringFields) {
      if (f.address + 2 <= address || f.address >= address + size) continue;
      if (f.address >= address && f.address + 2 <= address + size) {
        const shift = (f.address - address) * 8; // little-endian
        this.set(f.signal, binary(Math.floor(value / 2 ** shift) % 65536, 16));
      } else if (op === 'write') {
        this.set(f.signal, 'bx'); // half of the field written
      }
    }
    if (op !== 'write') return;
    const mb = this.mailboxes.get(target);
    if (mb === undefined) return;
    const s = mb.registers.get(address - mb.base);
    if (s !== undefined) this.set(s, binary(value, 32));
  }

  private burst(op: 'read' | 'write', address: number, size: number): void {
    for (const f of this.vringFields) {
      if (f.address + 2 <= address || f.address >= address + size) continue;
      // the data is not in the record: what memory holds now is what the burst wrote (or read)
      const value = this.memory?.(f.address, 2);
      if (value !== undefined) this.set(f.signal, binary(value, 16));
      else if (op === 'write') this.set(f.signal, 'bx'); // unknown until the next access shows it
    }
  }

  private count(name: string): void {
    const c = this.counters.get(name)!;
    c.count++;
    this.set(c.signal, binary(c.count, 32));
  }

  /** Writes the changes of the tick `this.now` (the initial values first, once). */
  private flush(): void {
    if (!this.dumped) {
      this.dumped = true;
      const lines = ['#0', '$dumpvars'];
      for (const s of this.signals) {
        lines.push(s.change());
        s.written = s.value;
        s.dirty = false;
      }
      this.dirty.length = 0;
      lines.push('$end');
      for (const note of this.notes) lines.push(`$comment ${commentText(note)} $end`);
      this.notes.length = 0;
      this.out.write(`${lines.join('\n')}\n`);
      this.lastStamp = 0n;
      return;
    }
    if (this.dirty.length === 0 && this.notes.length === 0) return;
    let text = '';
    for (const s of this.dirty) {
      s.dirty = false;
      if (s.value === s.written) continue;
      s.written = s.value;
      text += `${s.change()}\n`;
    }
    this.dirty.length = 0;
    for (const note of this.notes) text += `$comment ${commentText(note)} $end\n`;
    this.notes.length = 0;
    if (text === '') return;
    const stamp = this.timescale.toUnits(this.now);
    if (stamp < this.lastStamp) throw new InternalError(`VCD time ${stamp} does not follow ${this.lastStamp}`);
    // equal only for a fixed tick shorter than 1 fs (never a tick the kernel chooses): same VCD time
    if (stamp === this.lastStamp) {
      this.out.write(text);
      return;
    }
    this.lastStamp = stamp;
    this.out.write(`#${stamp}\n${text}`);
  }
}

/** A core clock in MHz ("996 MHz", "150 MHz"), for the save file's group titles. */
function mhz(hz: number): string {
  return `${hz / 1e6} MHz`;
}

/** Text safe inside $comment … $end. */
function commentText(text: string): string {
  return text.replace(/\$/g, '');
}

/** Identifier codes: printable ASCII 33..126, base 94. */
function identifier(n: number): string {
  let id = '';
  do {
    id += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return id;
}

/** A name viewers accept in one piece: letters, digits and underscores ("mu.a.irq" -> "mu_a_irq"). */
function vcdName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

/** The vectors of 0 .. 65535 (vring indices, counters, small register values), made when first used. */
const SMALL_VECTORS: (string | undefined)[] = new Array<string | undefined>(65536).fill(undefined);

/** An unsigned value as a VCD binary vector ("b101"); negative values as two's complement of `width` bits. */
function binary(value: number, width: number): string {
  const v = value < 0 ? 2 ** width + value : value;
  if (v < 65536) return (SMALL_VECTORS[v] ??= `b${v.toString(2)}`);
  return `b${v.toString(2)}`;
}

function wordsOf(size: number): { name: string; offset: number }[] {
  const words: { name: string; offset: number }[] = [];
  for (let offset = 0; offset + 4 <= size; offset += 4) words.push({ name: `reg_0x${offset.toString(16)}`, offset });
  return words;
}
