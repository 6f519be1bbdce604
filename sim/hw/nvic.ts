// An NVIC-like interrupt controller, one per core: per line enable, pending, active and
// priority; level or edge sources; inputs sampled on the core's clock. The core asks it
// what to take; firmware reaches it through the core (CMSIS NVIC_* calls are core-local
// accesses on the private peripheral bus, not shared-bus traffic).
//
// Sampling: a change on an input at tick t is seen at the core's first edge at or after t
// plus `sampleCycles` cycles (the input synchroniser). A level source is pending while it
// is high (and re-pends at exception return if still high); an edge source pends on each
// rising edge seen since the last sample.

import { type ClockDomain, FirmwareError, type Kernel, Priority, type Task, type Ticks, cycles } from '../kernel';
import type { Tracer } from '../trace/trace';
import type { IrqLine, LineListener } from './signal';

export type SourceKind = 'level' | 'edge';

export class InterruptController implements LineListener {
  private readonly enabledBits: Uint8Array;
  private readonly pendingBits: Uint8Array;
  private readonly activeBits: Uint8Array;
  private readonly priorities: Uint8Array;
  private readonly inputs: (IrqLine | null)[];
  private readonly kinds: SourceKind[];
  private readonly risesSeen: number[];
  private readonly sampleTask: Task;
  /** Called after anything that may change what the core should take. */
  onChange: () => void = () => undefined;
  /** Records line changes and latched requests when set. */
  tracer: Tracer | null = null;
  /** Requests taken, per line (statistics). */
  readonly taken: Uint32Array;

  constructor(
    kernel: Kernel,
    readonly name: string,
    private readonly clock: ClockDomain,
    /** Number of external interrupt lines. */
    readonly lineCount: number,
    /** Implemented priority bits: priorities are 0 (highest) .. 2^bits - 1. */
    readonly priorityBits: number,
    private readonly sampleCycles: number,
  ) {
    this.enabledBits = new Uint8Array(lineCount);
    this.pendingBits = new Uint8Array(lineCount);
    this.activeBits = new Uint8Array(lineCount);
    this.priorities = new Uint8Array(lineCount);
    this.inputs = new Array<IrqLine | null>(lineCount).fill(null);
    this.kinds = new Array<SourceKind>(lineCount).fill('level');
    this.risesSeen = new Array<number>(lineCount).fill(0);
    this.taken = new Uint32Array(lineCount);
    this.sampleTask = kernel.task(`${name}.sample`, () => this.sample(), { priority: Priority.Sample });
  }

  /** Wires a source to line `n`. */
  connect(n: number, source: IrqLine, kind: SourceKind = 'level'): void {
    this.check(n);
    this.inputs[n] = source;
    this.kinds[n] = kind;
    this.risesSeen[n] = source.rises;
    source.connect(this);
  }

  lineChanged(line: IrqLine): void {
    this.tracer?.emit(line.name, 'irq-line', { level: line.level });
    if (this.sampleTask.pending) return;
    const at = this.clock.nextEdge() + this.clock.toTicks(cycles(this.sampleCycles));
    this.sampleTask.scheduleAt(at as Ticks);
  }

  private sample(): void {
    let changed = false;
    for (let n = 0; n < this.lineCount; n++) {
      const src = this.inputs[n];
      if (src === null) continue;
      const pend = this.kinds[n] === 'level' ? src.level && this.activeBits[n] === 0 : src.rises !== this.risesSeen[n];
      this.risesSeen[n] = src.rises;
      if (pend && this.pendingBits[n] === 0) {
        this.pendingBits[n] = 1;
        changed = true;
        this.tracer?.emit(this.name, 'irq-pending', { line: n });
      }
    }
    if (changed) this.onChange();
  }

  // ---- CMSIS-like operations (firmware reaches them through the core) ------------------------

  enable(n: number): void {
    this.check(n);
    this.enabledBits[n] = 1;
    this.onChange();
  }

  disable(n: number): void {
    this.check(n);
    this.enabledBits[n] = 0;
  }

  isEnabled(n: number): boolean {
    this.check(n);
    return this.enabledBits[n] === 1;
  }

  /** Like NVIC_SetPriority: bits above the implemented ones are dropped. */
  setPriority(n: number, priority: number): void {
    this.check(n);
    this.priorities[n] = priority & ((1 << this.priorityBits) - 1);
    this.onChange();
  }

  priorityOf(n: number): number {
    this.check(n);
    return this.priorities[n]!;
  }

  setPending(n: number): void {
    this.check(n);
    this.pendingBits[n] = 1;
    this.onChange();
  }

  clearPending(n: number): void {
    this.check(n);
    this.pendingBits[n] = 0;
  }

  isPending(n: number): boolean {
    this.check(n);
    return this.pendingBits[n] === 1;
  }

  isActive(n: number): boolean {
    this.check(n);
    return this.activeBits[n] === 1;
  }

  // ---- what the core uses -------------------------------------------------------------------

  /** The enabled pending line with the highest priority (lowest value, then lowest number), or -1. */
  highestPending(): number {
    let best = -1;
    let bestPriority = 256;
    for (let n = 0; n < this.lineCount; n++) {
      if (this.pendingBits[n] === 1 && this.enabledBits[n] === 1 && this.priorities[n]! < bestPriority) {
        best = n;
        bestPriority = this.priorities[n]!;
      }
    }
    return best;
  }

  /** Exception entry: pending becomes active. */
  activate(n: number): void {
    this.pendingBits[n] = 0;
    this.activeBits[n] = 1;
    this.taken[n]!++;
  }

  /** Exception return: no longer active; a level source still high pends again. */
  complete(n: number): void {
    this.activeBits[n] = 0;
    const src = this.inputs[n];
    if (src !== null && src !== undefined && this.kinds[n] === 'level' && src.level) this.pendingBits[n] = 1;
  }

  private check(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n >= this.lineCount) {
      throw new FirmwareError(`${this.name}: no interrupt line ${n} (lines 0..${this.lineCount - 1})`);
    }
  }
}
