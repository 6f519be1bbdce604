// An NVIC-like interrupt controller, one per core: per line enable, pending, active and
// priority; level or edge sources; inputs sampled on the core's clock. The core asks it
// what to take; firmware reaches it through the core (CMSIS NVIC_* calls are core-local
// accesses on the private peripheral bus, not shared-bus traffic).
//
// Sampling: a change on an input at tick t is seen at the core's first edge at or after t
// plus `sampleCycles` cycles (the input synchroniser). A level source is pending while it
// is high (and re-pends at exception return if still high); an edge source pends on each
// rising edge seen since the last sample.
//
// System exceptions. Besides the external lines 0..lineCount-1 the controller has the two
// system exceptions an RTOS uses, numbered as CMSIS numbers them (IRQn): PendSV_IRQn = -2
// (exception 14) and SysTick_IRQn = -1 (exception 15). They are not NVIC lines (Armv7-M ARM
// B1.5.2, B3.2.11-12): their priorities are set in SHPR3 (PRI_14, PRI_15; `setPriority(-2 /
// -1, p)` here, CMSIS NVIC_SetPriority does the same for negative IRQn), they are always
// enabled (SysTick's own enable is SYST_CSR.TICKINT, in the timer), PendSV is pended by
// software only (ICSR.PENDSVSET: `setPending(-2)`) and SysTick by its timer (`connect(-1, …)`
// with an edge source). So no external line can collide with them. Among requests of equal
// priority the lower exception number is taken first: PendSV, SysTick, then line 0 upwards
// (B1.5.4). The core fetches the vector of IRQn n at word 16 + n of the table.

import { type ClockDomain, FirmwareError, type Kernel, Priority, type Task, type Ticks, cycles } from '../kernel';
import { THREAD_MODE_IRQN, type Tracer } from '../trace/trace';
import type { IrqLine, LineListener } from './signal';

export type SourceKind = 'level' | 'edge';

/** CMSIS IRQn of the PendSV system exception (exception 14). */
export const PENDSV_IRQN = -2;
/** CMSIS IRQn of the SysTick system exception (exception 15). */
export const SYSTICK_IRQN = -1;
/** CMSIS IRQn of thread mode (exception number 0, IPSR = 0), as trace records give it. */
export { THREAD_MODE_IRQN };
/** The lowest IRQn this controller has (the slots below line 0 hold the system exceptions). */
const SYSTEM_SLOTS = 2;

export class InterruptController implements LineListener {
  private readonly enabledBits: Uint8Array;
  private readonly pendingBits: Uint8Array;
  private readonly activeBits: Uint8Array;
  private readonly priorities: Uint8Array;
  private readonly inputs: (IrqLine | null)[];
  private readonly kinds: SourceKind[];
  private readonly risesSeen: number[];
  /** The slots with a source wired, in slot order (sampling visits only these). */
  private connected: number[] = [];
  private readonly sampleTask: Task;
  /** Slots both pending and enabled: with none, `highestPending` answers at once. */
  private pendingEnabled = 0;
  /** The answer of `highestPending` while nothing changed since (-1: not known). */
  private highestSlot = -1;
  private highestKnown = false;
  /** Called after anything that may change what the core should take. */
  onChange: () => void = () => undefined;
  /** Records line changes and latched requests when set. */
  tracer: Tracer | null = null;
  /**
   * Fault injection (scenario-engine/faults.ts): asked when an input line rises, with its
   * IRQn; a delay in ticks keeps the controller from seeing the line for that long (the
   * request reaches it late), null lets it through. Null: no hook.
   */
  riseHook: ((line: number) => Ticks | null) | null = null;
  /** Per slot, the tick before which a delayed line is not sampled (made when the first is delayed). */
  private heldUntil: number[] | null = null;
  private heldTask: Task | null = null;
  private readonly kernelRef: Kernel;
  /** Requests taken, per external line (statistics); system exceptions in `systemTaken`. */
  readonly taken: Uint32Array;
  /** Requests taken of PendSV and SysTick. */
  readonly systemTaken = { pendSv: 0, sysTick: 0 };

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
    const slots = lineCount + SYSTEM_SLOTS;
    this.enabledBits = new Uint8Array(slots);
    this.enabledBits[PENDSV_IRQN + SYSTEM_SLOTS] = 1; // system exceptions are always enabled
    this.enabledBits[SYSTICK_IRQN + SYSTEM_SLOTS] = 1;
    // (nothing is pending yet, so pendingEnabled starts at 0)
    this.pendingBits = new Uint8Array(slots);
    this.activeBits = new Uint8Array(slots);
    this.priorities = new Uint8Array(slots);
    this.inputs = new Array<IrqLine | null>(slots).fill(null);
    this.kinds = new Array<SourceKind>(slots).fill('level');
    this.risesSeen = new Array<number>(slots).fill(0);
    this.taken = new Uint32Array(lineCount);
    this.sampleTask = kernel.task(`${name}.sample`, () => this.sample(), { priority: Priority.Sample });
    this.kernelRef = kernel;
  }

  /** Wires a source to line `n` (or SysTick's timer to SYSTICK_IRQN; PendSV has no source). */
  connect(n: number, source: IrqLine, kind: SourceKind = 'level'): void {
    const i = this.slot(n);
    if (n === PENDSV_IRQN) throw new FirmwareError(`${this.name}: PendSV is pended by software only; it has no input`);
    this.inputs[i] = source;
    if (!this.connected.includes(i)) this.connected = [...this.connected, i].sort((a, b) => a - b);
    this.kinds[i] = kind;
    this.risesSeen[i] = source.rises;
    source.connect(this);
  }

  lineChanged(line: IrqLine): void {
    if (this.tracer?.on['irq-line']) this.tracer.put({ t: this.tracer.now, component: line.name, kind: 'irq-line', level: line.level });
    if (this.riseHook !== null && line.level) this.maybeHold(line);
    this.scheduleSample();
  }

  /** A delay the fault hook gives a rising line: it is not sampled until then. */
  private maybeHold(line: IrqLine): void {
    const i = this.inputs.indexOf(line);
    if (i < 0) return;
    const delay = this.riseHook!(i - SYSTEM_SLOTS);
    if (delay === null || delay <= 0) return;
    const k = this.kernelRef;
    this.heldUntil ??= new Array<number>(this.inputs.length).fill(0);
    this.heldUntil[i] = k.now + delay;
    this.heldTask ??= k.task(`${this.name}.held`, () => this.releaseHeld(), { priority: Priority.Sample });
    const next = Math.min(...this.heldUntil.filter((t) => t > k.now));
    this.heldTask.cancel();
    this.heldTask.scheduleAt(next as Ticks);
  }

  private releaseHeld(): void {
    const now = this.kernelRef.now;
    const later = this.heldUntil!.filter((t) => t > now);
    if (later.length > 0) this.heldTask!.scheduleAt(Math.min(...later) as Ticks);
    this.scheduleSample();
  }

  private held(i: number): boolean {
    return this.heldUntil !== null && this.heldUntil[i]! > this.kernelRef.now;
  }

  private scheduleSample(): void {
    if (this.sampleTask.pending) return;
    const at = this.clock.nextEdge() + this.clock.toTicks(cycles(this.sampleCycles));
    this.sampleTask.scheduleAt(at as Ticks);
  }

  private sample(): void {
    let changed = false;
    for (const i of this.connected) {
      if (this.heldUntil !== null && this.held(i)) continue;
      const src = this.inputs[i]!;
      const pend = this.kinds[i] === 'level' ? src.level && this.activeBits[i] === 0 : src.rises !== this.risesSeen[i];
      this.risesSeen[i] = src.rises;
      if (pend && this.pendingBits[i] === 0) {
        this.setPendingBit(i, 1);
        changed = true;
        if (this.tracer?.on['irq-pending']) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'irq-pending', line: i - SYSTEM_SLOTS });
      }
    }
    if (changed) this.onChange();
  }

  /**
   * The controller's reset state (a core reset, fault injection): every external line
   * disabled, nothing pending or active, priorities 0; the inputs stay wired, and a level
   * still high is pending again at the next sample.
   */
  reset(): void {
    this.enabledBits.fill(0);
    this.enabledBits[PENDSV_IRQN + SYSTEM_SLOTS] = 1;
    this.enabledBits[SYSTICK_IRQN + SYSTEM_SLOTS] = 1;
    this.pendingBits.fill(0);
    this.activeBits.fill(0);
    this.priorities.fill(0);
    this.pendingEnabled = 0;
    this.highestKnown = false;
    for (const i of this.connected) this.risesSeen[i] = this.inputs[i]!.rises;
    this.heldUntil?.fill(0);
    // a level input still high is latched again (pending does not depend on enable)
    this.scheduleSample();
    this.onChange();
  }

  // ---- CMSIS-like operations (firmware reaches them through the core) ------------------------

  /** NVIC_EnableIRQ (external lines; system exceptions are always enabled). */
  enable(n: number): void {
    this.setEnabledBit(this.external(n, 'NVIC_EnableIRQ'), 1);
    this.onChange();
  }

  disable(n: number): void {
    this.setEnabledBit(this.external(n, 'NVIC_DisableIRQ'), 0);
  }

  isEnabled(n: number): boolean {
    return this.enabledBits[this.slot(n)] === 1;
  }

  /** Like NVIC_SetPriority (SHPR3 for the system exceptions): bits above the implemented ones are dropped. */
  setPriority(n: number, priority: number): void {
    this.priorities[this.slot(n)] = priority & ((1 << this.priorityBits) - 1);
    this.highestKnown = false;
    this.onChange();
  }

  priorityOf(n: number): number {
    return this.priorities[this.slot(n)]!;
  }

  /** NVIC_SetPendingIRQ, or ICSR.PENDSVSET / PENDSTSET for the system exceptions. */
  setPending(n: number): void {
    this.setPendingBit(this.slot(n), 1);
    this.onChange();
  }

  clearPending(n: number): void {
    this.setPendingBit(this.slot(n), 0);
  }

  isPending(n: number): boolean {
    return this.pendingBits[this.slot(n)] === 1;
  }

  isActive(n: number): boolean {
    return this.activeBits[this.slot(n)] === 1;
  }

  // ---- what the core uses -------------------------------------------------------------------

  /**
   * The enabled pending exception with the highest priority (lowest value, then lowest
   * exception number: PendSV, SysTick, line 0 upwards), as its IRQn; null when none.
   */
  highestPending(): number | null {
    if (this.pendingEnabled === 0) return null;
    if (!this.highestKnown) {
      let best = -1;
      let bestPriority = 256;
      for (let i = 0; i < this.pendingBits.length; i++) {
        if (this.pendingBits[i] === 1 && this.enabledBits[i] === 1 && this.priorities[i]! < bestPriority) {
          best = i;
          bestPriority = this.priorities[i]!;
        }
      }
      this.highestSlot = best;
      this.highestKnown = true;
    }
    return this.highestSlot < 0 ? null : this.highestSlot - SYSTEM_SLOTS;
  }

  /** Some enabled exception is pending (whatever its priority): O(1). */
  get anyPending(): boolean {
    return this.pendingEnabled !== 0;
  }

  private setPendingBit(i: number, bit: 0 | 1): void {
    if (this.pendingBits[i] === bit) return;
    this.pendingBits[i] = bit;
    if (this.enabledBits[i] === 1) this.pendingEnabled += bit === 1 ? 1 : -1;
    this.highestKnown = false;
  }

  private setEnabledBit(i: number, bit: 0 | 1): void {
    if (this.enabledBits[i] === bit) return;
    this.enabledBits[i] = bit;
    if (this.pendingBits[i] === 1) this.pendingEnabled += bit === 1 ? 1 : -1;
    this.highestKnown = false;
  }

  /** Exception entry: pending becomes active. */
  activate(n: number): void {
    const i = this.slot(n);
    this.setPendingBit(i, 0);
    this.activeBits[i] = 1;
    if (n >= 0) this.taken[n]!++;
    else if (n === PENDSV_IRQN) this.systemTaken.pendSv++;
    else this.systemTaken.sysTick++;
  }

  /** Exception return: no longer active; a level source still high pends again. */
  complete(n: number): void {
    const i = this.slot(n);
    this.activeBits[i] = 0;
    const src = this.inputs[i];
    if (src !== null && src !== undefined && this.kinds[i] === 'level' && src.level && !this.held(i)) this.setPendingBit(i, 1);
  }

  /** The array slot of IRQn `n` (an external line or one of the two system exceptions). */
  private slot(n: number): number {
    if (!Number.isInteger(n) || n < -SYSTEM_SLOTS || n >= this.lineCount) {
      throw new FirmwareError(`${this.name}: no interrupt line ${n} (lines 0..${this.lineCount - 1}, PendSV ${PENDSV_IRQN}, SysTick ${SYSTICK_IRQN})`);
    }
    return n + SYSTEM_SLOTS;
  }

  /** The slot of an external line: `what` (an NVIC register) has no bit for a system exception. */
  private external(n: number, what: string): number {
    if (n < 0 && Number.isInteger(n)) throw new FirmwareError(`${this.name}: ${what}(${n}): system exceptions are not NVIC lines`);
    return this.slot(n);
  }
}
