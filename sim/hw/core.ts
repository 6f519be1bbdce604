// A processor core: a clock domain, an interrupt controller, a bus master, and firmware
// running on it as contexts — thread mode (the main program) and handler mode (ISRs,
// nested by priority).
//
// Firmware is a generator of core operations (`Firmware<T>`): compute N cycles, read or
// write the bus, mask interrupts, sleep until an interrupt. One kernel process per core
// (the "driver") runs the innermost context's generator and carries out its operations.
// Every operation ends at a core clock edge, and every operation boundary is a yield point:
// there a pending, enabled interrupt of higher priority than the running context is taken.
// A compute block is split by an interrupt at the cycle the request is sampled; its
// remainder runs after the handler. A bus access is not split: the interrupt is taken when
// it completes.
//
// Run-ahead. Most operations need no kernel event at all: a core operation method returns a
// reusable call object (`CoreCall`), and when firmware delegates to it the core tries to
// carry the operation out on the spot — a compute block, a barrier, an uncontended bus
// access — which it may whenever the operation ends before anything else can happen (the
// kernel's horizon: the next queued entry) and no interrupt is due. Nothing else runs in
// between, so nobody can contend, interrupt or observe the difference: the ticks, bytes,
// counters and records are those of the queued path, which the operation takes otherwise
// (yielded to the driver as before). Such an operation costs no queued entry and no
// generator (the kernel counts it as one entry in `eventsRun`).
//
// Exception timing comes from the core type (core-types.ts): entry (stacking), late
// arrival of a higher-priority request during entry, tail-chaining from one handler
// straight into the next, exit (unstacking). Not modelled: preemption during unstacking
// (the request waits for the exit to finish), lazy FP stacking.

import { type ClockDomain, type Cycles, type Event, FirmwareError, type Kernel, MAX_TICKS, type Process, TIMEOUT, type Ticks, type Wait, cycles } from '../kernel';
import { BusFault, type BusMaster, Inline } from './bus';
import { type InterruptController, THREAD_MODE_IRQN } from './nvic';
import type { AccessSize } from './peripheral';
import type { CoreTypeName } from './core-types';
import type { CodeFootprint, FetchUnit } from './fetch';
import type { DataCache, MaintenanceOp } from './data-cache';
import type { Tracer } from '../trace/trace';

/** A block of work as firmware charges it: compute cycles, the code it runs, waits on private data. */
export interface Work {
  readonly cycles: Cycles;
  readonly code: CodeFootprint | null;
  /** Cycles waiting on private data (stack, statics) beyond zero-wait memory. */
  readonly dataStall: Cycles;
}

/** An operation firmware asks its core to carry out. */
export type CoreOp =
  /**
   * Computes `cycles` (zero-wait-state cycles) after fetching `code` through the core's fetch
   * unit (none: the code is free to fetch), plus `dataStall` cycles of waiting on private
   * data. Resumes with undefined, or with the cycles left when `Core.onThreadResume` cut it short.
   */
  | { kind: 'exec'; cycles: number; code?: CodeFootprint | null; dataStall?: number }
  | { kind: 'access'; address: number; size: AccessSize; write: boolean; value: number }
  | { kind: 'block'; address: number; write: boolean; data: Uint8Array }
  /**
   * Data cache maintenance by address range (CMSIS SCB_CleanDCache_by_Addr and its siblings):
   * `cycles` of the routine's own instructions, a DSB, one maintenance operation per line
   * (dirty lines written back over the bus), a DSB. Resumes with the lines covered. A core
   * without a data cache does nothing (the CMSIS functions compile to nothing there).
   */
  | { kind: 'dcache'; op: MaintenanceOp; address: number; length: number; cycles: number }
  | { kind: 'wfi' }
  | { kind: 'cps'; disable: boolean }
  | { kind: 'dsb' }
  /**
   * The core's own: an access its fast path carried out up to the data operation, whose
   * response is still to come (the bus master holds it); or one carried out whole that left
   * an interrupt due ('resolved'). Hand them on like any operation.
   */
  | { kind: 'finish' }
  | { kind: 'resolved' };

/** Firmware code: a generator of core operations returning T. */
export type Firmware<T = void> = Generator<CoreOp, T, unknown>;

/**
 * What a core operation method returns (`core.read32(a)`, `core.run(work)`, …): delegate to
 * it at once with `yield*`, which gives T. It is not a generator: when the operation can be
 * carried out on the spot (see `Core` "run-ahead") it is, without a yield; otherwise it
 * yields the operation to the core like a generator would. One call, one `yield*`: a call
 * object is reused once it has finished.
 */
export type CoreCall<T> = Iterable<CoreOp, T, unknown>;

/**
 * What a firmware function that may or may not need a generator returns: a generator
 * (`Firmware<T>`), a core call, or `NOTHING`. Delegate with `yield*` at once. Functions that
 * only pass one step on (a lock that is just its cost) return it instead of wrapping it in
 * a generator of their own, which would cost a generator object per call.
 */
export type FirmwareStep<T = void> = Iterable<CoreOp, T, unknown>;

const DONE_RESULT: IteratorResult<CoreOp, never> = Object.freeze({ done: true, value: undefined as never });
const NOTHING_ITERATOR: Iterator<CoreOp, never, unknown> & Iterable<CoreOp, never, unknown> = {
  next: () => DONE_RESULT,
  [Symbol.iterator]() {
    return this;
  },
};

/** The step that does nothing (e.g. cache maintenance compiled out): `yield* NOTHING` returns at once. */
export const NOTHING: FirmwareStep<never> = NOTHING_ITERATOR;

/** Makes the handler body for one interrupt entry. */
export type InterruptHandler = () => Firmware<void>;

/** Core timing in cycles (resolved from core-types.ts and any overrides). */
export interface CoreTimingValues {
  irqEntry: number;
  irqExit: number;
  tailChain: number;
  lateArrivalWindow: number;
  dsb: number;
  cps: number;
}

/** Per-core counters, in the core's cycles. */
export interface CoreStats {
  /** Computing or waiting for its own bus accesses. */
  busyCycles: number;
  /** In handler mode, entry and exit included. */
  handlerCycles: number;
  /** Asleep in WFI. */
  asleepCycles: number;
  /** Of the busy cycles: waiting for code to be fetched (refills not hidden by prefetch). */
  fetchStallCycles: number;
  /** Of the busy cycles: waiting on private data in memory slower than the core (stack, statics). */
  dataStallCycles: number;
  /** Of the busy cycles: data cache maintenance by address (the routine, its barriers, its write-backs). */
  cacheMaintenanceCycles: number;
  /** Of the handler cycles: exception entry and exit beyond zero-wait memory (vector fetch, stacking). */
  exceptionMemoryCycles: number;
  /** Interrupts taken; of those, by tail-chaining and by late arrival. */
  interrupts: number;
  tailChains: number;
  lateArrivals: number;
}

interface Context {
  body: Firmware<unknown>;
  /** IRQn of a handler (negative for a system exception); THREAD_MODE_IRQN (-16) for thread mode. */
  line: number;
  /** Execution priority (256 for thread mode: below every configurable priority). */
  priority: number;
  resumeValue: unknown;
  pendingFault: BusFault | null;
  /** Ticks of a compute block still to run (after a preemption). */
  execLeft: number;
}

const THREAD_PRIORITY = 256;

const NO_DATA = new Uint8Array(0);

/**
 * One core operation as firmware delegates to it (`yield* core.read32(a)`): an iterator that
 * tries the operation on the spot at its first step and otherwise yields itself (it is also
 * the CoreOp the driver carries out). Pooled per core: free again once finished.
 */
class Call implements Iterator<CoreOp, unknown, unknown> {
  kind: CoreOp['kind'] = 'exec';
  cycles = 0;
  code: CodeFootprint | null = null;
  dataStall = 0;
  /** Whole cycles of fetch stall already resolved (waited before `cycles`, not interruptible). */
  stall = 0;
  address = 0;
  size: AccessSize = 4;
  write = false;
  value = 0;
  data: Uint8Array = NO_DATA;
  op: MaintenanceOp = 'clean';
  length = 0;
  disable = false;
  /** The tick the operation was issued (for the busy count of a finished register access). */
  issued = 0;
  /** A block read: the call gives back `data`. */
  returnsData = false;
  /** In the core's pool of free calls. */
  pooled = false;
  private started = false;
  /** Reused as every IteratorResult this call returns (yield* reads it at once). */
  private readonly result: { done: boolean; value: unknown } = { done: false, value: undefined };

  constructor(private readonly core: Core) {}

  reset(kind: CoreOp['kind']): this {
    this.kind = kind;
    this.started = false;
    this.returnsData = false;
    return this;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(value?: unknown): IteratorResult<CoreOp, unknown> {
    const r = this.result;
    if (!this.started) {
      this.started = true;
      const v = this.core.attempt(this);
      if (v !== NOT_NOW) {
        this.core.release(this);
        r.done = true;
        r.value = v;
      } else {
        r.done = false;
        r.value = this;
      }
    } else {
      r.done = true;
      r.value = this.returnsData ? this.data : value;
      this.core.release(this);
    }
    return r as IteratorResult<CoreOp, unknown>;
  }

  throw(error: unknown): IteratorResult<CoreOp, unknown> {
    this.core.release(this);
    throw error;
  }

  return(value?: unknown): IteratorResult<CoreOp, unknown> {
    this.core.release(this);
    return { done: true, value };
  }
}

/** `Core.attempt`: the operation could not be carried out on the spot. */
const NOT_NOW: unique symbol = Symbol('not-now');

/**
 * Turns of the driver's loop at one instant after which the core reports a stall to the
 * kernel (`Kernel.stall`): firmware that loops on operations that take no time (a WFI that
 * PRIMASK keeps from taking a pending interrupt, `exec(0)`) would otherwise spin there for
 * ever. The shipped scenarios and bench/flood-1m.yaml take at most 1 turn at one instant
 * (measured with a counter in this loop, 2026-12-02): 10^6 is far above any honest burst
 * and costs about 0.1 s of wall time before it fires.
 */
export const SPIN_LIMIT = 1_000_000;


export class Core {
  readonly stats: CoreStats = {
    busyCycles: 0,
    handlerCycles: 0,
    asleepCycles: 0,
    fetchStallCycles: 0,
    dataStallCycles: 0,
    cacheMaintenanceCycles: 0,
    exceptionMemoryCycles: 0,
    interrupts: 0,
    tailChains: 0,
    lateArrivals: 0,
  };
  /**
   * Asked when the core returns from handler mode to thread mode in the middle of a thread
   * compute block. Returning true ends the block there: the `exec` operation resumes with
   * the cycles it did not run (a number) instead of running them. This lets thread-mode
   * firmware that multiplexes several activities (an RTOS's tasks) switch away from a
   * computation a handler preempted, as a PendSV context switch does on Cortex-M. Unset,
   * or returning false: the block runs to its end and `exec` resumes with undefined.
   */
  onThreadResume: (() => boolean) | null = null;
  /** A bus fault the firmware did not handle: the core locked up (as after a HardFault with no handler). */
  lockup: { time: Ticks; fault: BusFault } | null = null;
  /** Records exceptions, sleeps and lockup when set. */
  tracer: Tracer | null = null;
  /** Brings in the code of charged work; null: code sits in zero-wait memory (TCM). */
  fetch: FetchUnit | null = null;
  /** The L1 data cache in front of the bus master for cacheable addresses; null: every access goes to the bus. */
  dcache: DataCache | null = null;
  /**
   * Where exceptions find their vector and stack frame. `vectorTable` is the address of the
   * vector table (VTOR), fetched through the fetch unit at entry; `stackingCycles` and
   * `unstackingCycles` are what pushing and popping the 8-word frame costs beyond zero-wait
   * memory. With separate code and data buses (`parallel`: Armv7-M and Armv8-M.main cores,
   * "in parallel with the stacking operation, the processor performs a vector fetch", Arm
   * DUI0553 §2.3.7) entry takes the longer of the two extras; a single-bus core (the
   * Cortex-M0+'s one AHB-Lite port, DDI 0484C) takes both, one after the other.
   */
  exceptionMemory: { vectorTable: number; stackingCycles: number; unstackingCycles: number; parallel: boolean } | null = null;
  private readonly vectorFootprints = new Map<number, CodeFootprint>();
  private readonly handlers = new Map<number, InterruptHandler>();
  private readonly stack: Context[] = [];
  private primask = false;
  private readonly wake: Event<void>;
  private handlerSince = -1;
  private sleepSince = -1;
  private driverProcess: Process<void> | null = null;
  private threadEnded = false;
  /**
   * Fault injection (scenario-engine/faults.ts, `halt`): 'all', the core stops at its next
   * operation boundary (an access in flight completes) and executes nothing more, handlers
   * included, as a core whose clock is gated or that sits in a debug halt; 'thread', thread
   * mode stops there (a main loop that hangs) while interrupts are still taken. null: runs.
   */
  private haltMode: 'all' | 'thread' | null = null;
  /** Never notified: what a core halted with `all` waits on (the watchdog's report names it). */
  private halted: Event<void> | null = null;
  /** The driver waits on `halted`: nothing of the core is under way (a reset may take it). */
  private parkedNow = false;
  /** The instant of the last work of no cycles, and how many there were then (see `nothing`). */
  private zeroAt = -1;
  private zeroOps = 0;
  /** The driver is running firmware (inside its generator's step): operations may run ahead. */
  private inFirmware = false;
  private readonly pool: Call[] = [];

  constructor(
    readonly kernel: Kernel,
    readonly name: string,
    readonly type: CoreTypeName,
    readonly clock: ClockDomain,
    readonly timing: CoreTimingValues,
    readonly nvic: InterruptController,
    readonly bus: BusMaster,
  ) {
    this.wake = kernel.event<void>(`${name}.irq-request`);
    nvic.onChange = () => this.wake.notify();
  }

  /** Registers the handler of interrupt line `line`. */
  setHandler(line: number, handler: InterruptHandler): void {
    this.handlers.set(line, handler);
  }

  /** Starts the core running `main` in thread mode at the current time. */
  start(main: Firmware<unknown>): Process<void> {
    if (this.driverProcess !== null) throw new FirmwareError(`core ${this.name} is already running`);
    this.stack.push({ body: main, line: THREAD_MODE_IRQN, priority: THREAD_PRIORITY, resumeValue: undefined, pendingFault: null, execLeft: 0 });
    this.driverProcess = this.kernel.spawn(this.name, this.driver());
    return this.driverProcess;
  }

  /**
   * The counters as of now: a sleep or a stay in handler mode still under way is counted up
   * to the current time (the `stats` fields count only finished ones), and bus stalls are
   * included.
   */
  statsNow(): CoreStats & { stallCycles: number } {
    const now = this.kernel.now;
    const period = this.clock.period;
    return {
      ...this.stats,
      asleepCycles: this.stats.asleepCycles + (this.sleepSince >= 0 ? (now - this.sleepSince) / period : 0),
      handlerCycles: this.stats.handlerCycles + (this.handlerSince >= 0 ? (now - this.handlerSince) / period : 0),
      stallCycles: this.bus.stats.stallCycles,
    };
  }

  /** Stops the core (see `haltMode`): at once if it waits, else at its next operation boundary. */
  halt(mode: 'all' | 'thread'): void {
    if (this.haltMode === 'all') return;
    this.haltMode = mode;
    this.wake.notify();
  }

  /** How the core is halted by a fault, or null. */
  get haltedBy(): 'all' | 'thread' | null {
    return this.haltMode;
  }

  /**
   * Nothing of the core is under way: halted with 'all' and stopped, locked up (its driver
   * ended), or never started.
   */
  get parked(): boolean {
    return this.parkedNow || this.driverProcess === null || this.driverProcess.ended;
  }

  /** Its firmware was started (and the core not reset since). */
  get started(): boolean {
    return this.driverProcess !== null;
  }

  /**
   * Fault injection's reset of a parked core: its firmware, exception stack, PRIMASK, handler
   * table and interrupt controller return to their reset state, so `start` may run new
   * firmware from the beginning (caches, counters and the bus keep theirs).
   */
  resetToStart(): void {
    if (!this.parked) throw new FirmwareError(`core ${this.name}: a reset takes a halted core (halt it and wait until it has stopped)`);
    this.closeHandlerTime();
    if (this.handlerSince >= 0) {
      this.stats.handlerCycles += (this.kernel.now - this.handlerSince) / this.clock.period;
      this.handlerSince = -1;
    }
    if (this.sleepSince >= 0) {
      this.stats.asleepCycles += (this.kernel.now - this.sleepSince) / this.clock.period;
      this.sleepSince = -1;
    }
    this.driverProcess?.kill();
    this.driverProcess = null;
    this.stack.length = 0;
    this.handlers.clear();
    this.primask = false;
    this.threadEnded = false;
    this.haltMode = null;
    this.parkedNow = false;
    this.lockup = null;
    this.onThreadResume = null;
    this.nvic.reset();
  }

  /** Thread mode (false) or handler mode (true). */
  get inHandler(): boolean {
    return this.stack.length > 1;
  }

  /** IRQn of the handler running now (negative for a system exception), or THREAD_MODE_IRQN (-16) in thread mode. */
  get activeLine(): number {
    return this.stack[this.stack.length - 1]?.line ?? THREAD_MODE_IRQN;
  }

  /** Asleep in WFI now. */
  get asleep(): boolean {
    return this.sleepSince >= 0;
  }

  /** main() has returned (the core idles in WFI between interrupts). */
  get mainReturned(): boolean {
    return this.threadEnded;
  }

  /** PRIMASK: interrupts masked by `cpsid i`. */
  get interruptsMasked(): boolean {
    return this.primask;
  }

  // ---- operations for firmware -------------------------------------------------------------

  /** Computes for `n` cycles of this core's clock (split by interrupts); its code costs nothing to fetch. */
  exec(n: Cycles): CoreCall<void> {
    if (!(n > 0)) return this.nothing();
    // A whole number of cycles the kernel can represent (a module may pass anything).
    if (!Number.isInteger(n) || n * this.clock.period > MAX_TICKS) throw badCycles(this.name, n);
    const c = this.call('exec');
    c.cycles = n;
    c.code = null;
    c.dataStall = 0;
    c.stall = 0;
    return c as CoreCall<void>;
  }

  /**
   * Work of no cycles: nothing to do, unless the firmware loops on it at one instant (a
   * `for (;;) yield* exec(0)` never returns to the driver): after SPIN_LIMIT of them, each
   * is an operation of 0 cycles, which reaches the driver, whose count of turns at one
   * instant then ends the run.
   */
  private nothing(): CoreCall<void> {
    const now = this.kernel.now;
    if (now !== this.zeroAt) {
      this.zeroAt = now;
      this.zeroOps = 0;
      return NOTHING;
    }
    if (++this.zeroOps < SPIN_LIMIT) return NOTHING;
    const c = this.call('exec');
    c.cycles = 0;
    c.code = null;
    c.dataStall = 0;
    c.stall = 0;
    return c as CoreCall<void>;
  }

  /** Runs charged work: fetches its code, waits on its private data, computes (split by interrupts). */
  run(work: Work): CoreCall<void> {
    if (!(work.cycles > 0 || work.code !== null || work.dataStall > 0)) return this.nothing();
    const c = this.call('exec');
    c.cycles = work.cycles;
    c.code = work.code;
    c.dataStall = work.dataStall;
    c.stall = 0;
    return c as CoreCall<void>;
  }

  read8(address: number): CoreCall<number> {
    return this.access(address, 1, false, 0);
  }
  read16(address: number): CoreCall<number> {
    return this.access(address, 2, false, 0);
  }
  read32(address: number): CoreCall<number> {
    return this.access(address, 4, false, 0);
  }
  write8(address: number, value: number): CoreCall<void> {
    return this.access(address, 1, true, value) as CoreCall<unknown> as CoreCall<void>;
  }
  write16(address: number, value: number): CoreCall<void> {
    return this.access(address, 2, true, value) as CoreCall<unknown> as CoreCall<void>;
  }
  write32(address: number, value: number): CoreCall<void> {
    return this.access(address, 4, true, value) as CoreCall<unknown> as CoreCall<void>;
  }
  /** Copies `data` to memory at `address` in one burst. */
  writeBlock(address: number, data: Uint8Array): CoreCall<void> {
    const c = this.call('block');
    c.address = address;
    c.write = true;
    c.data = data;
    return c as CoreCall<void>;
  }
  /** Reads `length` bytes at `address` in one burst. */
  readBlock(address: number, length: number): CoreCall<Uint8Array> {
    const c = this.call('block');
    c.address = address;
    c.write = false;
    c.data = new Uint8Array(length);
    c.returnsData = true;
    return c as CoreCall<Uint8Array>;
  }
  /** `cpsid i`: masks interrupts. */
  disableInterrupts(): CoreCall<void> {
    const c = this.call('cps');
    c.disable = true;
    return c as CoreCall<void>;
  }
  /** `cpsie i`: unmasks interrupts. */
  enableInterrupts(): CoreCall<void> {
    const c = this.call('cps');
    c.disable = false;
    return c as CoreCall<void>;
  }
  /** `wfi`: sleeps until an interrupt would preempt (PRIMASK ignored, as on Arm). */
  waitForInterrupt(): CoreCall<void> {
    return this.call('wfi') as CoreCall<void>;
  }
  /** `dsb`. */
  dataBarrier(): CoreCall<void> {
    return this.call('dsb') as CoreCall<void>;
  }
  /**
   * Data cache maintenance of [address, address + length): SCB_CleanDCache_by_Addr ('clean'),
   * SCB_InvalidateDCache_by_Addr ('invalidate'), SCB_CleanInvalidateDCache_by_Addr; `work`
   * is the routine's own instructions. Returns the lines the range covers (0 without a cache).
   */
  maintainDCache(op: MaintenanceOp, address: number, length: number, work: Cycles = cycles(0)): CoreCall<number> {
    const c = this.call('dcache');
    c.op = op;
    c.address = address;
    c.length = length;
    c.cycles = work;
    return c as CoreCall<number>;
  }

  private access(address: number, size: AccessSize, write: boolean, value: number): CoreCall<number> {
    const c = this.call('access');
    c.address = address;
    c.size = size;
    c.write = write;
    c.value = value;
    return c as CoreCall<number>;
  }

  private call(kind: CoreOp['kind']): Call {
    const c = this.pool.pop() ?? new Call(this);
    c.pooled = false;
    return c.reset(kind);
  }

  /** @internal A call has finished: its object may serve the next one. */
  release(c: Call): void {
    if (c.pooled) {
      throw new FirmwareError(`core ${this.name}: one core operation was delegated to twice (yield* each core call once, as it is made)`);
    }
    c.pooled = true;
    c.data = NO_DATA;
    c.code = null;
    this.pool.push(c);
  }

  /**
   * @internal Carries `c` out on the spot if it can (see "Run-ahead" at the top): returns
   * its result, or NOT_NOW having changed nothing the queued path would not (a compute
   * block may keep its code fetched: `code` is cleared and `stall` holds the wait).
   */
  attempt(c: Call): unknown {
    if (!this.inFirmware || (this.nvic.anyPending && this.exceptionDue())) return NOT_NOW;
    const k = this.kernel;
    switch (c.kind) {
      case 'exec': {
        if (c.code !== null && this.fetch !== null) {
          if (!this.fetch.resolve(c.code, c.cycles)) return NOT_NOW;
          c.code = null;
          c.stall = this.fetch.resolvedStall;
        }
        const total = c.stall + c.cycles + c.dataStall;
        const end = k.now + total * this.clock.period;
        // (A fraction of a cycle is the queued path's to refuse, as clock.toTicks does.)
        if (!(end < k.horizon()) || !Number.isInteger(total)) return NOT_NOW;
        k.advanceTo(end);
        const s = this.stats;
        s.busyCycles += total;
        s.fetchStallCycles += c.stall;
        s.dataStallCycles += c.dataStall;
        return undefined;
      }
      case 'access': {
        if (this.dcache !== null && this.dcache.covers(c.address)) return NOT_NOW;
        const issued = k.now;
        if (!this.settled(c, issued, this.bus.tryAccess(c.address, c.size, c.write, c.value))) return NOT_NOW;
        if (this.nvic.anyPending && this.exceptionDue()) {
          // A register's side effect made an interrupt due at once: it is taken at this
          // operation boundary, before the firmware goes on (the driver's loop does that).
          c.value = this.bus.inlineValue;
          c.kind = 'resolved';
          return NOT_NOW;
        }
        return this.bus.inlineValue;
      }
      case 'block': {
        if (this.dcache !== null && this.dcache.covers(c.address)) return NOT_NOW;
        const issued = k.now;
        return this.settled(c, issued, this.bus.tryBlock(c.address, c.write, c.data)) ? (c.write ? undefined : c.data) : NOT_NOW;
      }
      case 'dsb': {
        const n = this.timing.dsb;
        const end = k.now + n * this.clock.period;
        if (!(end < k.horizon())) return NOT_NOW;
        k.advanceTo(end);
        this.stats.busyCycles += n;
        return undefined;
      }
      default:
        return NOT_NOW;
    }
  }

  /**
   * After a bus access or burst tried on the spot: true when it is over (counted busy);
   * false when it was not carried out, or was carried out up to its data operation, its
   * response being the driver's to wait for (the call becomes a 'finish' operation).
   */
  private settled(c: Call, issued: number, done: Inline): boolean {
    if (done === Inline.No) return false;
    if (done === Inline.Pending) {
      c.issued = issued;
      c.kind = 'finish';
      return false;
    }
    this.stats.busyCycles += (this.kernel.now - issued) / this.clock.period;
    return true;
  }

  // ---- the driver ----------------------------------------------------------------------------

  private *driver(): Generator<Wait, void, unknown> {
    // The instant of the last turns and how many there were (see SPIN_LIMIT).
    let spinAt = -1;
    let spins = 0;
    for (;;) {
      if (this.haltMode === 'all') {
        this.closeHandlerTime();
        this.halted ??= this.kernel.event<void>(`${this.name}.halted`);
        this.parkedNow = true;
        yield this.halted;
        continue;
      }
      if (this.kernel.now !== spinAt) {
        spinAt = this.kernel.now;
        spins = 0;
      } else if (++spins >= SPIN_LIMIT) {
        this.kernel.stall(`core ${this.name} ran ${spins} firmware operations at tick ${spinAt} without simulated time advancing`);
        spins = 0;
        yield 0 as Ticks; // the kernel ends the run at this yield
        continue;
      }
      if (this.exceptionDue()) {
        yield* this.enterException(false);
        continue;
      }
      const ctx = this.stack[this.stack.length - 1]!;
      if (this.haltMode === 'thread' && ctx.line === THREAD_MODE_IRQN) {
        // the thread is stuck where it stopped; only an interrupt runs code
        yield this.wake;
        continue;
      }
      if (ctx.execLeft > 0) {
        yield* this.runCompute(ctx);
        continue;
      }
      if (ctx.line === THREAD_MODE_IRQN && this.threadEnded) {
        yield* this.sleep();
        // WFI falls through on a request PRIMASK keeps out; main has returned, so nothing on
        // this core will unmask it: wait for the controller to change instead of spinning
        // at one tick.
        if (!this.exceptionDue()) yield this.wake;
        continue;
      }
      let r: IteratorResult<CoreOp, unknown>;
      this.inFirmware = true;
      try {
        if (ctx.pendingFault !== null) {
          const fault = ctx.pendingFault;
          ctx.pendingFault = null;
          r = ctx.body.throw(fault);
        } else {
          const v = ctx.resumeValue;
          ctx.resumeValue = undefined;
          r = ctx.body.next(v);
        }
        this.inFirmware = false;
      } catch (error) {
        this.inFirmware = false;
        if (error instanceof BusFault) {
          // Unhandled bus fault: HardFault with the default handler, an endless loop.
          this.lockup = { time: this.kernel.now, fault: error };
          if (this.tracer?.on.lockup) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'lockup', reason: error.message });
          this.closeHandlerTime();
          return;
        }
        throw error;
      }
      if (r.done === true) {
        if (ctx.line === THREAD_MODE_IRQN) this.threadEnded = true; // main returned: the core idles, still taking interrupts
        else {
          if (this.tracer?.on['handler-end']) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'handler-end', line: ctx.line });
          yield* this.exitException();
        }
        continue;
      }
      const op = r.value as CoreOp | null | undefined;
      if (typeof op !== 'object' || op === null) throw notAnOperation(this.name, op);
      yield* this.perform(ctx, op);
    }
  }

  private *perform(ctx: Context, op: CoreOp): Generator<Wait, void, unknown> {
    const period = this.clock.period;
    switch (op.kind) {
      case 'exec': {
        let compute = op.cycles;
        const stall = op instanceof Call ? op.stall : 0;
        if (stall > 0) {
          // Fetch already resolved on the spot (Core.attempt): only its wait is left.
          yield this.clock.toTicks(cycles(stall));
          this.stats.busyCycles += stall;
          this.stats.fetchStallCycles += stall;
        }
        if (op.code != null && this.fetch !== null) {
          const start = this.kernel.now;
          const stallBefore = this.fetch.stats.stallCycles;
          compute = Math.max(0, compute - (yield* this.fetch.fetch(op.code, compute)));
          this.stats.busyCycles += (this.kernel.now - start) / period;
          this.stats.fetchStallCycles += this.fetch.stats.stallCycles - stallBefore;
        }
        const dataStall = op.dataStall ?? 0;
        this.stats.dataStallCycles += dataStall;
        ctx.execLeft = this.clock.toTicks(cycles(compute + dataStall));
        yield* this.runCompute(ctx);
        return;
      }
      case 'access':
      case 'block': {
        const start = this.kernel.now;
        const dcache = this.dcache;
        try {
          if (dcache !== null && dcache.covers(op.address)) {
            ctx.resumeValue =
              op.kind === 'access'
                ? yield* dcache.access(op.address, op.size, op.write, op.value)
                : yield* dcache.block(op.address, op.write, op.data);
          } else {
            ctx.resumeValue =
              op.kind === 'access'
                ? yield* this.bus.access(op.address, op.size, op.write, op.value)
                : yield* this.bus.accessBlock(op.address, op.write, op.data);
          }
        } catch (error) {
          if (!(error instanceof BusFault)) throw error;
          ctx.pendingFault = error;
        }
        this.stats.busyCycles += (this.kernel.now - start) / period;
        return;
      }
      case 'dcache': {
        const dcache = this.dcache;
        if (dcache === null) {
          ctx.resumeValue = 0;
          return;
        }
        const start = this.kernel.now;
        if (op.cycles + this.timing.dsb > 0) yield this.clock.toTicks(cycles(op.cycles + this.timing.dsb));
        ctx.resumeValue = yield* dcache.maintain(op.op, op.address, op.length);
        // The closing DSB waits for the write-backs, which the bus already timed.
        if (this.timing.dsb > 0) yield this.clock.toTicks(cycles(this.timing.dsb));
        const took = (this.kernel.now - start) / period;
        this.stats.busyCycles += took;
        this.stats.cacheMaintenanceCycles += took;
        return;
      }
      case 'resolved':
        // An access carried out on the spot that left an interrupt due: its value, after the driver took the interrupt.
        ctx.resumeValue = (op as unknown as Call).value;
        return;
      case 'finish': {
        // An access or burst carried out on the spot up to its data operation (Core.attempt): its response is left.
        const c = op as unknown as Call;
        // A register's side effects may have made entries due now; the queued path's
        // wake-up after the data operation would come after them, so this does.
        if (this.kernel.horizon() === this.kernel.now) yield 0 as Ticks;
        const response = this.bus.pendingResponse;
        if (response > this.kernel.now) yield (response - this.kernel.now) as Ticks;
        try {
          ctx.resumeValue = this.bus.completeInline();
        } catch (error) {
          if (!(error instanceof BusFault)) throw error;
          ctx.pendingFault = error;
        }
        this.stats.busyCycles += (this.kernel.now - c.issued) / period;
        return;
      }
      case 'cps':
        yield* this.fixed(this.timing.cps);
        this.primask = op.disable;
        return;
      case 'dsb':
        yield* this.fixed(this.timing.dsb);
        return;
      case 'wfi':
        yield* this.sleep();
        return;
      default:
        throw notAnOperation(this.name, op);
    }
  }

  /** Cycles of uninterruptible work. */
  private *fixed(n: number): Generator<Wait, void, unknown> {
    if (n <= 0) return;
    yield this.clock.toTicks(cycles(n));
    this.stats.busyCycles += n;
  }

  /** Runs what is left of a compute block until it ends or an interrupt must be taken. */
  private *runCompute(ctx: Context): Generator<Wait, void, unknown> {
    const period = this.clock.period;
    while (ctx.execLeft > 0) {
      const start = this.kernel.now;
      const woke = yield this.wake.orTimeout(ctx.execLeft as Ticks);
      const elapsed = this.kernel.now - start;
      ctx.execLeft -= elapsed;
      this.stats.busyCycles += elapsed / period;
      if (woke === TIMEOUT) return;
      if (this.exceptionDue() || this.haltMode !== null) return; // the driver takes it; the remainder runs afterwards
    }
  }

  private *sleep(): Generator<Wait, void, unknown> {
    if (this.wakeFromSleep()) return;
    this.sleepSince = this.kernel.now;
    if (this.tracer?.on.sleep) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'sleep' });
    while (!this.wakeFromSleep()) {
      // halted asleep: the driver parks, the core stays asleep (its time counts on)
      if (this.haltMode === 'all') return;
      yield this.wake;
    }
    this.stats.asleepCycles += (this.kernel.now - this.sleepSince) / this.clock.period;
    this.sleepSince = -1;
    if (this.tracer?.on.wake) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'wake' });
  }

  private currentPriority(): number {
    return this.stack[this.stack.length - 1]!.priority;
  }

  /** Is there an interrupt to take at this yield point? */
  private exceptionDue(): boolean {
    if (this.primask) return false;
    const line = this.nvic.highestPending();
    return line !== null && this.nvic.priorityOf(line) < this.currentPriority();
  }

  /** WFI wakes on a request that would preempt were PRIMASK clear. */
  private wakeFromSleep(): boolean {
    if (this.haltMode === 'all') return false;
    const line = this.nvic.highestPending();
    return line !== null && this.nvic.priorityOf(line) < this.currentPriority();
  }

  /** Exception entry (or tail-chain entry): latency, late arrival, then the handler context. */
  private *enterException(tailChained: boolean): Generator<Wait, void, unknown> {
    const k = this.kernel;
    // Only called when exceptionDue() said a request is there.
    let line = this.nvic.highestPending()!;
    // Handler mode starts here unless this is a tail-chain (the time in handlers runs on).
    if (this.stack.length === 1 && this.handlerSince < 0) this.handlerSince = k.now;
    if (this.tracer?.on['irq-entry']) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'irq-entry', line, tailChained });
    const entryStart = k.now;
    // The vector comes through the fetch unit while the frame is pushed (a tail-chain pushes none).
    // A request that arrives late takes over this entry without a vector fetch of its own
    // (an approximation: its vector is most likely in the same line or buffer).
    let memoryExtra = 0;
    const mem = this.exceptionMemory;
    if (mem !== null) {
      let vectorCycles = 0;
      if (this.fetch !== null) {
        const start = k.now;
        const stallBefore = this.fetch.stats.stallCycles;
        yield* this.fetch.fetch(this.vectorFootprint(mem.vectorTable, line), 0);
        vectorCycles = (k.now - start) / this.clock.period;
        this.stats.fetchStallCycles += this.fetch.stats.stallCycles - stallBefore;
      }
      const stacking = tailChained ? 0 : mem.stackingCycles;
      memoryExtra = mem.parallel ? Math.max(vectorCycles, stacking) : vectorCycles + stacking;
      this.stats.exceptionMemoryCycles += memoryExtra;
      memoryExtra -= vectorCycles; // already waited
    }
    const latency = this.clock.toTicks(cycles((tailChained ? this.timing.tailChain : this.timing.irqEntry) + memoryExtra));
    // The late-arrival window counts from the entry's start, the vector fetch included.
    const windowEnd = entryStart + this.clock.toTicks(cycles(Math.min(this.timing.lateArrivalWindow, tailChained ? 0 : this.timing.irqEntry)));
    const end = k.now + latency;
    // Wait out the latency, watching for a higher-priority request inside the late-arrival window.
    while (k.now < end) {
      yield this.wake.orTimeout((end - k.now) as Ticks);
      if (k.now <= windowEnd && k.now < end) {
        const better = this.nvic.highestPending();
        if (better !== null && better !== line && this.nvic.priorityOf(better) < this.nvic.priorityOf(line)) {
          if (this.tracer?.on['irq-late-arrival']) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'irq-late-arrival', line: better, replaced: line });
          line = better;
          this.stats.lateArrivals++;
        }
      }
    }
    const handler = this.handlers.get(line);
    this.nvic.activate(line);
    this.stats.interrupts++;
    if (tailChained) this.stats.tailChains++;
    const body: Firmware<unknown> = handler !== undefined ? handler() : this.unhandled(line);
    this.stack.push({ body, line, priority: this.nvic.priorityOf(line), resumeValue: undefined, pendingFault: null, execLeft: 0 });
    if (this.tracer?.on['handler-start']) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'handler-start', line, priority: this.nvic.priorityOf(line) });
  }

  /** Exception return: tail-chain into the next pending handler, or unstack. */
  private *exitException(): Generator<Wait, void, unknown> {
    const done = this.stack.pop()!;
    this.nvic.complete(done.line);
    if (this.exceptionDue()) {
      yield* this.enterException(true);
      return;
    }
    const unstacking = this.exceptionMemory?.unstackingCycles ?? 0;
    this.stats.exceptionMemoryCycles += unstacking;
    yield this.clock.toTicks(cycles(this.timing.irqExit + unstacking));
    if (this.stack.length === 1) this.closeHandlerTime();
    if (this.tracer?.on['exception-return']) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'exception-return', resumes: this.activeLine });
    const thread = this.stack[0]!;
    if (this.stack.length === 1 && thread.execLeft > 0 && this.onThreadResume?.() === true) {
      const cyclesLeft = Math.ceil(thread.execLeft / this.clock.period);
      thread.execLeft = 0;
      thread.resumeValue = cyclesLeft;
    }
  }

  private closeHandlerTime(): void {
    if (this.stack.length <= 1 && this.handlerSince >= 0) {
      this.stats.handlerCycles += (this.kernel.now - this.handlerSince) / this.clock.period;
      this.handlerSince = -1;
    }
  }

  /** The vector of IRQn `line`: word 16 + line of the table (Armv7-M ARM B1.5.3; SysTick -1 → word 15, PendSV -2 → 14). */
  private vectorFootprint(table: number, line: number): CodeFootprint {
    let f = this.vectorFootprints.get(line);
    if (f === undefined) {
      f = { spans: [{ address: table + 4 * (16 + line), bytes: 4 }] };
      this.vectorFootprints.set(line, f);
    }
    return f;
  }

  /** No handler registered: the default handler spins (as the CMSIS default handlers do). */
  private *unhandled(line: number): Firmware<void> {
    throw new FirmwareError(`core ${this.name}: interrupt ${line} taken with no handler registered`);
  }
}

/**
 * Firmware yielded something that is not one of the core's operations (a module's
 * `yield undefined`, `yield 5`, a plain object): the firmware's mistake, named as such.
 */
function notAnOperation(core: string, value: unknown): FirmwareError {
  const what = value === null || value === undefined ? String(value) : typeof value === 'object' ? `an object${'kind' in value ? ` of kind ${JSON.stringify(String((value as { kind: unknown }).kind))}` : ''}` : `${typeof value} ${String(value)}`;
  return new FirmwareError(
    `the firmware on ${core} yielded ${what}, which is not a core operation: firmware yields only what the core's methods make (yield* ctx.core.exec(n), yield* ctx.core.read32(address), yield* ctx.core.waitForInterrupt(), …)`,
  );
}

/** Firmware asked for a number of cycles no core can spend: a fraction, or past the kernel's 2^53 ticks. */
function badCycles(core: string, n: number): FirmwareError {
  return new FirmwareError(`the firmware on ${core} asked to compute for ${n} cycles: exec takes a whole number of cycles that fits the simulation's 2^53 ticks`);
}
