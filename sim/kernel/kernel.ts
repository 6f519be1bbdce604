// The discrete-event kernel: the clock of the whole simulation, the queue, and the three
// kinds of scheduled work: processes (generators), tasks (callbacks owned by a model) and
// events (things processes wait for).
//
// Order: every entry runs in (time, priority, insertion sequence) order, so equal keys keep
// the order in which they were scheduled and every run is deterministic.
//
// What a process may yield:
//   Ticks (a number)        wait that many ticks (0: let everything else runnable now go first)
//   clock.delay(cycles(n))  the same, n cycles of a clock domain after its next edge
//   an Event                wait until it is notified; resumes with the notified value
//   event.orTimeout(t)      the same, or TIMEOUT after t ticks, whichever comes first
//   a Process               wait until it ends; resumes with its return value (or its error)
// Anything else is a SchedulingError thrown into the process at the yield.

import { ClockDomain, Timebase } from './clock';
import { ConfigError, Interrupt, ProcessError, SchedulingError, TickLimitError } from './errors';
import { NowRing, PRIORITY_LEVELS, Priority, SEQ_SPAN, type Schedulable, TimedHeap } from './queue';
import { MAX_TICKS, type Ticks } from './time';

/** What a process may yield (see the top of this file). */
export type Wait = Ticks | Event<any> | Process<any> | EventTimeout<any>;

/** A process body: a generator yielding `Wait`s and returning R. */
export type ProcessBody<R = unknown> = Generator<Wait, R, any>;

/** The value a process resumes with when `event.orTimeout(t)` timed out. */
export const TIMEOUT: unique symbol = Symbol('timeout');
export type Timeout = typeof TIMEOUT;

export interface KernelOptions {
  /** Clock domains by name, in Hz. The tick is chosen from them (see clock.ts). */
  clocks?: Record<string, number>;
  /** Force a tick rate (Hz) instead of choosing one from the clocks. */
  tickHz?: number;
  /** Least simulated time an exact tick must cover (default 3600 s). */
  minSimulatedSeconds?: number;
}

export interface RunOptions {
  /** Stop before the first entry at or after this time; `now` becomes this time. */
  until?: Ticks | Event<any> | Process<any>;
  /** Stop after this many queue entries have run (a guard against runaway models). */
  maxEvents?: number;
}

export type StopReason = 'empty' | 'time' | 'event' | 'process' | 'limit' | 'stopped' | 'stalled';

export interface RunResult {
  /**
   * Why `run` returned. 'empty': nothing left to do (see `blocked()` for who still waits);
   * 'stalled': a model saw no progress and called `stall()` (see `stallReport`).
   */
  reason: StopReason;
  /** Simulated time when it returned. */
  now: Ticks;
  /** Queue entries run by this call. */
  events: number;
}

/** A process that waits for something nobody has scheduled: what `blocked()` reports. */
export interface BlockedProcess {
  process: string;
  waitsFor: string;
}

const NO_THROW: unique symbol = Symbol('no-throw');

/** One past the last representable tick (2^53, exact as a double). */
const END_OF_TIME = MAX_TICKS + 1;

const enum State {
  Ready, // scheduled to run (spawned, woken, or in a timed wait)
  Blocked, // waiting on an event or another process, with no timer
  Done,
  Failed,
  Killed,
}

export class Kernel {
  readonly timebase: Timebase;
  private readonly clockDomains = new Map<string, ClockDomain>();

  private t = 0;
  /** Total queue entries run since the kernel was made. */
  eventsRun = 0;
  /**
   * Exact run-ahead (see `horizon()`) is on. Off, nothing runs ahead: every wait is queued,
   * as the reference that tests compare the run-ahead against (same ticks, same records).
   */
  runAhead = true;
  /** The process whose generator is running, if any. */
  active: Process<any> | null = null;

  // The queue (see queue.ts).
  private readonly heap = new TimedHeap();

  private readonly rings: NowRing[] = [];
  private ringMask = 0;
  private seq = 0;

  // Run control.
  private halt = false;
  private haltReason: StopReason = 'stopped';
  /**
   * The horizon's end (see `horizon()`): the end of the current `run({ until: ticks })`, or
   * 2^53 (one past the last tick) when it has none, so that nothing runs ahead past 2^53.
   */
  private untilTime = END_OF_TIME;
  /** `eventsRun` at which the current run stops for its maxEvents (run-ahead steps count as entries). */
  private eventLimit = Infinity;
  /** @internal */ untilEvent: Event<any> | null = null;
  /** @internal */ untilProcess: Process<any> | null = null;
  private failure: ProcessError | null = null;
  private running = false;

  /** What the last `stall()` said made no progress (null: none did). */
  stallReport: string | null = null;

  /** Live processes, in spawn order (for `blocked()` reports). */
  private readonly live = new Set<Process<any>>();

  constructor(options: KernelOptions = {}) {
    const clocks = options.clocks ?? {};
    this.timebase =
      options.tickHz !== undefined
        ? Timebase.fixed(options.tickHz)
        : Timebase.forFrequencies(Object.values(clocks), {
            ...(options.minSimulatedSeconds !== undefined && { minSimulatedSeconds: options.minSimulatedSeconds }),
          });
    for (let p = 0; p < PRIORITY_LEVELS; p++) this.rings.push(new NowRing());
    for (const [name, hz] of Object.entries(clocks)) this.addClock(name, hz);
  }

  /** Current simulated time in ticks. */
  get now(): Ticks {
    return this.t as Ticks;
  }

  // ---- clocks ----------------------------------------------------------------------------

  /** Adds a clock domain. Its period must be exact in this kernel's timebase unless the timebase is the 1 ps fallback. */
  addClock(name: string, hz: number): ClockDomain {
    if (this.clockDomains.has(name)) throw new ConfigError(`clock "${name}" is defined twice`);
    if (this.timebase.clocksExact && !this.timebase.isExact(hz)) {
      throw new ConfigError(
        `clock "${name}" (${hz} Hz) is not a whole number of ticks at ${this.timebase.tickHz} ticks/s; ` +
          `declare every clock when making the kernel so the tick fits them all`,
      );
    }
    const domain = new ClockDomain(name, hz, this.timebase, this);
    this.clockDomains.set(name, domain);
    return domain;
  }

  /** The clock domain called `name`. */
  clock(name: string): ClockDomain {
    const domain = this.clockDomains.get(name);
    if (domain === undefined) {
      throw new ConfigError(`no clock "${name}" (clocks: ${[...this.clockDomains.keys()].join(', ') || 'none'})`);
    }
    return domain;
  }

  get clocks(): ReadonlyMap<string, ClockDomain> {
    return this.clockDomains;
  }

  // ---- making things -----------------------------------------------------------------------

  /** A new event. `priority` orders its timed notifications among same-tick entries. */
  event<T = void>(name: string, priority: Priority = Priority.Default): Event<T> {
    return new Event<T>(this, name, priority);
  }

  /** Starts a process: its body first runs at the current time, after what is already queued. */
  spawn<R>(name: string, body: ProcessBody<R>, options: { priority?: Priority } = {}): Process<R> {
    const p = new Process<R>(this, name, body, checkPriority(options.priority ?? Priority.Default));
    this.live.add(p);
    this.pushNow(p.priority, p, p.gen);
    return p;
  }

  /** A reusable scheduled callback owned by a model (jsbeeb-style handle). */
  task(name: string, fn: () => void, options: { priority?: Priority } = {}): Task {
    return new Task(this, name, fn, checkPriority(options.priority ?? Priority.Default));
  }

  // ---- running ------------------------------------------------------------------------------

  /**
   * Runs the simulation until the queue is empty, a time, an event's notification, a
   * process's end, an entry limit, or `stop()`. Throws the ProcessError of a process or
   * task that failed with nobody waiting for it (the kernel stays usable afterwards).
   */
  run(options: RunOptions | Ticks = {}): RunResult {
    const opts: RunOptions = typeof options === 'number' ? { until: options } : options;
    if (this.running) throw new SchedulingError('run() called from inside the simulation');
    let untilTime = Infinity;
    this.untilEvent = null;
    this.untilProcess = null;
    this.halt = false;
    this.haltReason = 'stopped';
    const until = opts.until;
    if (typeof until === 'number') {
      if (!Number.isInteger(until) || until < this.t || until > MAX_TICKS) {
        throw new SchedulingError(`cannot run until tick ${until}: now is tick ${this.t} (and the limit is 2^53)`);
      }
      untilTime = until;
    } else if (until instanceof Event) {
      this.untilEvent = until;
    } else if (until instanceof Process) {
      if (until.ended) return { reason: 'process', now: this.now, events: 0 };
      this.untilProcess = until;
    }
    this.untilTime = Math.min(untilTime, END_OF_TIME);
    const maxEvents = opts.maxEvents ?? Infinity;
    if (!(maxEvents >= 0)) throw new SchedulingError(`maxEvents must be a non-negative number, got ${maxEvents}`);

    const heap = this.heap;
    const rings = this.rings;
    const startCount = this.eventsRun;
    const eventLimit = startCount + maxEvents;
    this.eventLimit = eventLimit;
    let reason: StopReason = 'empty';
    let item: Schedulable | null = null;
    this.running = true;
    try {
      for (;;) {
        if (this.halt) {
          reason = this.haltReason;
          break;
        }
        if (this.eventsRun >= eventLimit) {
          reason = 'limit';
          break;
        }
        const mask = this.ringMask;
        if (mask !== 0) {
          // Entries at the current time. The lowest non-empty priority ring competes with
          // the heap's root if that is also due now: the heap entry was scheduled earlier,
          // so it wins at equal priority.
          const p = 31 - Math.clz32(mask & -mask);
          if (heap.size !== 0 && heap.time[0] === this.t && heap.rootKey < (p + 1) * SEQ_SPAN) {
            item = heap.rootItem;
            heap.rootTaken = true;
            const gen = heap.rootGen;
            // Counted before it runs, so run-ahead inside it sees the limit as the loop does.
            if (item._current(gen)) {
              this.eventsRun++;
              item._fire(gen);
            }
            if (heap.rootTaken) heap.removeRoot();
          } else {
            const ring = rings[p]!;
            const h = ring.head;
            item = ring.items[h]!;
            const gen = ring.gens[h]!;
            ring.items[h] = null;
            ring.head = (h + 1) & ring.mask;
            if (ring.head === ring.tail) this.ringMask = mask & ~(1 << p);
            if (item._current(gen)) {
              this.eventsRun++;
              item._fire(gen);
            }
          }
        } else if (heap.size !== 0) {
          const time = heap.time[0]!;
          if (time >= untilTime) {
            this.t = untilTime;
            reason = 'time';
            break;
          }
          item = heap.rootItem;
          const gen = heap.rootGen;
          heap.rootTaken = true;
          if (item._current(gen)) {
            this.t = time; // a cancelled entry must not move time forward
            this.eventsRun++;
            item._fire(gen);
          }
          if (heap.rootTaken) heap.removeRoot();
        } else {
          if (untilTime !== Infinity) {
            this.t = untilTime;
            reason = 'time';
          }
          break;
        }
      }
    } catch (error) {
      // Processes catch their own errors; what reaches here came from a task's callback.
      if (heap.rootTaken) heap.removeRoot();
      this.running = false;
      this.untilTime = END_OF_TIME;
      this.eventLimit = Infinity;
      if (item instanceof Task) {
        throw new ProcessError('task', item.name, this.t, this.timebase.format(this.t), error);
      }
      throw error;
    }
    this.running = false;
    this.untilTime = END_OF_TIME;
    this.eventLimit = Infinity;
    this.untilEvent = null;
    this.untilProcess = null;
    const failure = this.failure;
    if (failure !== null) {
      this.failure = null;
      throw failure;
    }
    return { reason, now: this.now, events: this.eventsRun - startCount };
  }

  /** Ends the current `run()` after the entry that is running (like SystemC's sc_stop). */
  stop(): void {
    this.stopFor('stopped');
  }

  /**
   * A watchdog's stop: a model that sees it makes no progress (a core that spins at one
   * instant) ends the current `run()` after the running entry, with reason 'stalled' and
   * `what` kept in `stallReport`; the first report of a run is kept.
   */
  stall(what: string): void {
    this.stallReport ??= what;
    this.stopFor('stalled');
  }

  /** Time of the next queued entry, or undefined when nothing is queued. */
  nextTime(): Ticks | undefined {
    if (this.ringMask !== 0) return this.now;
    if (this.heap.size > (this.heap.rootTaken ? 1 : 0)) {
      return (this.heap.rootTaken ? this.t : this.heap.time[0]!) as Ticks;
    }
    return undefined;
  }

  /**
   * The run-ahead horizon: the earliest time at which anything else can happen — the next
   * queued entry, or the end of the current run. Whoever runs now (a process, a task) may
   * move time forward to any tick strictly before it with `advanceTo` instead of queueing a
   * wake-up: nothing else runs in between, so nothing can observe the difference, and
   * every entry keeps its order (the "exact run-ahead": traces stay byte-identical). It is
   * `now` when entries are due now, the run is stopping or its entry limit is spent, so
   * nothing may run ahead then. Each step run ahead counts as one entry (`eventsRun`, the
   * run's `maxEvents`): for a process's timed wait that is the one queued wake-up it
   * replaces; a core operation carried out on the spot (which the queued path does in
   * several entries) counts one too, so with run-ahead a run counts fewer entries.
   */
  horizon(): number {
    if (this.ringMask !== 0 || this.halt || this.eventsRun >= this.eventLimit || !this.runAhead) return this.t;
    const heap = this.heap;
    let h = this.untilTime;
    if (heap.rootTaken) {
      // The root is the entry being run (removed after it returns): the next is a child.
      if (heap.size > 1 && heap.time[1]! < h) h = heap.time[1]!;
      if (heap.size > 2 && heap.time[2]! < h) h = heap.time[2]!;
    } else if (heap.size !== 0 && heap.time[0]! < h) {
      h = heap.time[0]!;
    }
    return h;
  }

  /**
   * @internal `time` is before the horizon (and within 2^53): the run-ahead test.
   */
  before(time: number): boolean {
    return time <= MAX_TICKS && time < this.horizon();
  }

  /**
   * @internal Moves time forward to `time` for the entry running now. Only before the
   * horizon (see `horizon()`); callers check, so this does not.
   */
  advanceTo(time: number): void {
    this.t = time;
    this.eventsRun++;
  }

  /** Live processes waiting on an event or a process with no timer: the deadlock report. */
  blocked(): BlockedProcess[] {
    const out: BlockedProcess[] = [];
    for (const p of this.live) {
      if (p.state === State.Blocked) out.push({ process: p.name, waitsFor: p.describeWait() });
    }
    return out;
  }

  /** Processes that have started and not ended, in spawn order. */
  processes(): Process<any>[] {
    return [...this.live];
  }

  // ---- internals used by Event, Process and Task --------------------------------------------

  /** @internal Queue `item` at the current time. */
  pushNow(priority: number, item: Schedulable, gen: number): void {
    this.rings[priority]!.push(item, gen);
    this.ringMask |= 1 << priority;
  }

  /** @internal Queue `item` at absolute time `time` (> now). */
  pushAt(time: number, priority: number, item: Schedulable, gen: number): void {
    if (++this.seq >= SEQ_SPAN) this.seq = this.heap.renumber() + 1;
    this.heap.push(time, priority * SEQ_SPAN + this.seq, gen, item);
  }

  /** @internal Queue `item` after `delay` ticks, checking the delay. */
  schedule(delay: number, priority: number, item: Schedulable, gen: number, what: string): void {
    if (delay > 0 && delay <= MAX_TICKS - this.t && Math.floor(delay) === delay) this.pushAt(this.t + delay, priority, item, gen);
    else if (delay === 0) this.pushNow(priority, item, gen);
    else throw badDelay(delay, this.t, what);
  }

  /** @internal A process failed with nobody waiting for it: stop the run and report it. */
  fail(error: ProcessError): void {
    if (this.failure === null) this.failure = error;
    this.halt = true;
  }

  /** @internal Ends the current run for `reason` after the running entry. */
  stopFor(reason: StopReason): void {
    this.halt = true;
    this.haltReason = reason;
  }

  /** @internal */
  ended(p: Process<any>): void {
    this.live.delete(p);
    if (this.untilProcess === p) this.stopFor('process');
  }
}

function badDelay(delay: number, now: number, what: string): SchedulingError {
  if (typeof delay !== 'number' || Number.isNaN(delay)) {
    return new SchedulingError(`${what}: a delay must be a number of ticks, got ${String(delay)}`);
  }
  if (delay < 0) {
    return new SchedulingError(`${what}: cannot schedule in the past (a delay of ${delay} ticks)`);
  }
  if (delay % 1 !== 0) {
    return new SchedulingError(`${what}: a delay must be a whole number of ticks, got ${delay}`);
  }
  return new TickLimitError(`${what}: tick ${now} + ${delay} is beyond 2^53 ticks`);
}

function checkPriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < 0 || priority >= PRIORITY_LEVELS) {
    throw new SchedulingError(`priority must be an integer 0..${PRIORITY_LEVELS - 1}, got ${priority}`);
  }
  return priority;
}

// ---- Event -----------------------------------------------------------------------------------

/**
 * Something processes wait for. Reusable (SystemC-style): a notification wakes the processes
 * waiting at that moment, each resuming with the notified value; a notification with nobody
 * waiting is lost. A timed notification is pending until it fires or is cancelled; a new
 * one replaces it only if it is earlier (as in SystemC).
 */
export class Event<T = void> implements Schedulable {
  // Waiters as parallel arrays of (process, generation); `count` used. No allocation once grown.
  private waiterProcs: (Process<any> | null)[] = [];
  private waiterGens: number[] = [];
  private count = 0;
  private compactAt = 16;
  private gen = 0;
  private pendingAt = -1;
  private pendingValue: T | undefined = undefined;
  /** Times notified (immediately or by a timed notification). */
  notifications = 0;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly priority: number,
  ) {
    checkPriority(priority);
  }

  /** Wakes every process waiting now; they resume at the current time, in the order they began waiting. */
  notify(value?: T): void {
    const k = this.kernel;
    this.notifications++;
    if (k.untilEvent === this) k.stopFor('event');
    const n = this.count;
    if (n === 0) return;
    const procs = this.waiterProcs;
    const gens = this.waiterGens;
    for (let i = 0; i < n; i++) {
      const p = procs[i]!;
      procs[i] = null;
      if (p.gen === gens[i]) p.wake(value);
    }
    this.count = 0;
  }

  /** Notifies after `delay` ticks (0: at the current time, after what is queued). Returns false if an earlier one is pending. */
  notifyAfter(delay: Ticks, value?: T): boolean {
    return this.notifyAt((this.kernel.now + delay) as Ticks, value, delay);
  }

  /** Notifies at absolute time `time`. Returns false if an earlier or equal one is pending. */
  notifyAt(time: Ticks, value?: T, delay: number = time - this.kernel.now): boolean {
    if (this.pendingAt >= 0 && this.pendingAt <= time) return false;
    const k = this.kernel;
    this.gen = (this.gen + 1) | 0;
    k.schedule(delay, this.priority, this, this.gen, `event "${this.name}"`);
    this.pendingAt = time;
    this.pendingValue = value;
    return true;
  }

  /** Cancels a pending timed notification. */
  cancel(): void {
    if (this.pendingAt < 0) return;
    this.gen = (this.gen + 1) | 0;
    this.pendingAt = -1;
    this.pendingValue = undefined;
  }

  /** Time of the pending timed notification, if any. */
  get pendingTime(): Ticks | undefined {
    return this.pendingAt >= 0 ? (this.pendingAt as Ticks) : undefined;
  }

  /** Processes waiting now (stale registrations excluded). */
  get waiting(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.waiterProcs[i]!.gen === this.waiterGens[i]) n++;
    return n;
  }

  /** Yield this to wait for the event at most `delay` ticks; resumes with the value or TIMEOUT. */
  orTimeout(delay: Ticks): EventTimeout<T> {
    return new EventTimeout(this, delay);
  }

  /** @internal */
  _current(gen: number): boolean {
    return gen === this.gen;
  }

  /** @internal */
  _fire(gen: number): boolean {
    if (gen !== this.gen) return false;
    const value = this.pendingValue;
    this.pendingAt = -1;
    this.pendingValue = undefined;
    this.notify(value);
    return true;
  }

  /** @internal */
  addWaiter(p: Process<any>, gen: number): void {
    let n = this.count;
    if (n >= this.compactAt) {
      // Waits that timed out or were interrupted leave stale entries; drop them so an
      // event that is rarely notified does not grow without bound.
      n = this.compact();
      this.compactAt = Math.max(16, 2 * n);
    }
    this.waiterProcs[n] = p;
    this.waiterGens[n] = gen;
    this.count = n + 1;
  }

  private compact(): number {
    let j = 0;
    for (let i = 0; i < this.count; i++) {
      const p = this.waiterProcs[i]!;
      const g = this.waiterGens[i]!;
      this.waiterProcs[i] = null;
      if (p.gen === g) {
        this.waiterProcs[j] = p;
        this.waiterGens[j] = g;
        j++;
      }
    }
    this.count = j;
    return j;
  }
}

/** `event.orTimeout(delay)`: wait for the event, at most `delay` ticks. */
export class EventTimeout<T> {
  constructor(
    readonly event: Event<T>,
    readonly delay: Ticks,
  ) {}
}

// ---- Process ---------------------------------------------------------------------------------

/** A running generator. Yield it from another process to wait for its end and its result. */
export class Process<R = unknown> implements Schedulable {
  /** @internal Generation: bumped whenever the process stops waiting; stale wake-ups are ignored. */
  gen = 0;
  /** @internal */
  state: State = State.Ready;
  private value: unknown = undefined;
  private pendingThrow: unknown = NO_THROW;
  private moreInterrupts: Interrupt[] | null = null;
  private waitingOn: Event<any> | Process<any> | null = null;
  private joinProcs: Process<any>[] = [];
  private joinGens: number[] = [];
  private resultValue: R | undefined = undefined;
  private errorValue: ProcessError | null = null;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    private readonly body: ProcessBody<R>,
    readonly priority: number,
  ) {}

  /** The process has returned, failed or been killed. */
  get ended(): boolean {
    return this.state >= State.Done;
  }

  /** 'ready' (queued or in a timed wait), 'blocked', 'done', 'failed' or 'killed'. */
  get status(): 'ready' | 'blocked' | 'done' | 'failed' | 'killed' {
    return (['ready', 'blocked', 'done', 'failed', 'killed'] as const)[this.state];
  }

  /** The return value, once done. */
  get result(): R | undefined {
    return this.resultValue;
  }

  /** The failure, once failed. */
  get error(): ProcessError | null {
    return this.errorValue;
  }

  /**
   * Throws an Interrupt (with `cause`) into the process at the current time, cancelling what
   * it waits for. Several interrupts are delivered one at a time, in order.
   */
  interrupt(cause?: unknown): void {
    const k = this.kernel;
    if (this.ended) throw new SchedulingError(`cannot interrupt process "${this.name}": it has ended`);
    if (k.active === this) throw new SchedulingError(`process "${this.name}" cannot interrupt itself`);
    const irq = new Interrupt(cause, this.name);
    if (this.pendingThrow !== NO_THROW) {
      (this.moreInterrupts ??= []).push(irq);
      return;
    }
    this.throwIn(irq);
  }

  /**
   * Ends the process now: its `finally` blocks run, whoever waits for it resumes with
   * undefined. Killing an ended process does nothing.
   */
  kill(): void {
    const k = this.kernel;
    if (this.ended) return;
    if (k.active === this) throw new SchedulingError(`process "${this.name}" cannot kill itself; return instead`);
    this.gen = (this.gen + 1) | 0;
    this.pendingThrow = NO_THROW;
    this.moreInterrupts = null;
    const previous = k.active;
    k.active = this;
    let r: IteratorResult<Wait, R>;
    try {
      r = this.body.return(undefined as R);
    } catch (error) {
      k.active = previous;
      this.failWith(error);
      return;
    }
    k.active = previous;
    if (!r.done) {
      this.failWith(new SchedulingError(`process "${this.name}" yielded while being killed`));
      return;
    }
    this.end(State.Killed, undefined);
  }

  /** @internal */
  _current(gen: number): boolean {
    return gen === this.gen;
  }

  /** @internal */
  _fire(gen: number): boolean {
    if (gen !== this.gen) return false;
    this.resume();
    return true;
  }

  /** @internal Stop waiting and run at the current time with `value`. */
  wake(value: unknown): void {
    this.gen = (this.gen + 1) | 0;
    this.value = value;
    this.state = State.Ready;
    this.waitingOn = null;
    this.kernel.pushNow(this.priority, this, this.gen);
  }

  /** @internal Stop waiting and have `error` thrown in at the current time. */
  throwIn(error: unknown): void {
    this.gen = (this.gen + 1) | 0;
    this.pendingThrow = error;
    this.state = State.Ready;
    this.waitingOn = null;
    this.kernel.pushNow(this.priority, this, this.gen);
  }

  /** @internal */
  describeWait(): string {
    const on = this.waitingOn;
    if (on instanceof Event) return `event "${on.name}"`;
    if (on instanceof Process) return `process "${on.name}"`;
    return 'nothing';
  }

  private resume(): void {
    const k = this.kernel;
    this.gen = (this.gen + 1) | 0;
    const value = this.value;
    this.value = undefined;
    const thrown = this.pendingThrow;
    k.active = this;
    let r: IteratorResult<Wait, R>;
    try {
      if (thrown === NO_THROW) {
        r = this.body.next(value);
      } else {
        this.pendingThrow = NO_THROW;
        r = this.body.throw(thrown);
      }
      // Exact run-ahead: a timed wait that ends before anything else can happen (the
      // horizon) is not queued; time moves forward and the body goes on at once. A wait on
      // an event with a timeout that ends before the horizon times out the same way: nobody
      // can notify the event in between.
      // (Not while another interrupt waits to be thrown in: it is delivered at the next
      // queued wake-up, as `throwIn` below does.)
      while (r.done !== true && this.moreInterrupts === null) {
        const w = r.value;
        if (typeof w === 'number') {
          if (!(w > 0 && k.before(k.now + w) && Math.floor(w) === w)) break;
          k.advanceTo(k.now + w);
          r = this.body.next(undefined);
        } else if (w instanceof EventTimeout) {
          const d = w.delay;
          if (!(d > 0 && k.before(k.now + d) && Math.floor(d) === d)) break;
          k.advanceTo(k.now + d);
          r = this.body.next(TIMEOUT);
        } else break;
      }
    } catch (error) {
      k.active = null;
      this.failWith(error);
      return;
    }
    k.active = null;
    if (r.done === true) {
      this.end(State.Done, r.value);
      return;
    }
    const w = r.value;
    if (typeof w === 'number') {
      // A timed wait: the hot path.
      if (w > 0 && w <= MAX_TICKS - k.now && Math.floor(w) === w) k.pushAt(k.now + w, this.priority, this, this.gen);
      else if (w === 0) k.pushNow(this.priority, this, this.gen);
      else this.throwIn(badDelay(w, k.now, `process "${this.name}"`));
    } else if (w instanceof Event) {
      this.state = State.Blocked;
      this.waitingOn = w;
      w.addWaiter(this, this.gen);
    } else if (w instanceof Process) {
      this.join(w);
    } else if (w instanceof EventTimeout) {
      const delay: number = w.delay;
      if (delay >= 0 && delay <= MAX_TICKS - k.now && Math.floor(delay) === delay) {
        this.waitingOn = w.event;
        w.event.addWaiter(this, this.gen);
        this.value = TIMEOUT; // what a timer wake-up resumes with; a notification overwrites it
        k.schedule(delay, this.priority, this, this.gen, `process "${this.name}"`);
      } else {
        this.throwIn(badDelay(delay, k.now, `process "${this.name}"`));
      }
    } else {
      this.throwIn(
        new SchedulingError(
          `process "${this.name}" yielded ${describeValue(w)}; ` +
            'a process yields Ticks, an Event, event.orTimeout(ticks) or a Process',
        ),
      );
    }
    if (this.moreInterrupts !== null && this.pendingThrow === NO_THROW) {
      const next = this.moreInterrupts.shift()!;
      if (this.moreInterrupts.length === 0) this.moreInterrupts = null;
      this.throwIn(next);
    }
  }

  private join(other: Process<any>): void {
    if (other === this) {
      this.throwIn(new SchedulingError(`process "${this.name}" cannot wait for itself`));
    } else if (other.state === State.Done) {
      this.wake(other.resultValue);
    } else if (other.state === State.Failed) {
      this.throwIn(other.errorValue);
    } else if (other.state === State.Killed) {
      this.wake(undefined);
    } else {
      this.state = State.Blocked;
      this.waitingOn = other;
      other.joinProcs.push(this);
      other.joinGens.push(this.gen);
    }
  }

  private failWith(error: unknown): void {
    const k = this.kernel;
    const failure = new ProcessError('process', this.name, k.now, k.timebase.format(k.now), error);
    this.errorValue = failure;
    // Whoever waits for this process receives the error (and may handle it); with nobody
    // waiting, the run stops and throws it. Nothing is swallowed.
    if (this.end(State.Failed, undefined) === 0) k.fail(failure);
  }

  /** Ends the process; returns how many waiting processes were told. */
  private end(state: State, result: R | undefined): number {
    this.state = state;
    this.resultValue = result;
    this.waitingOn = null;
    this.gen = (this.gen + 1) | 0;
    let told = 0;
    const procs = this.joinProcs;
    const gens = this.joinGens;
    this.joinProcs = [];
    this.joinGens = [];
    for (let i = 0; i < procs.length; i++) {
      const p = procs[i]!;
      if (p.gen !== gens[i]) continue;
      told++;
      if (state === State.Failed) p.throwIn(this.errorValue);
      else p.wake(result);
    }
    this.kernel.ended(this);
    return told;
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'Object'})`;
  if (typeof v === 'string') return `the string "${v}"`;
  return `${typeof v} ${String(v)}`;
}

// ---- Task ------------------------------------------------------------------------------------

/**
 * A scheduled callback owned by the model that made it (a device's state machine step).
 * At most one occurrence is pending; `reschedule` moves it, `cancel` drops it.
 */
export class Task implements Schedulable {
  private gen = 0;
  private at = -1;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    private readonly fn: () => void,
    readonly priority: number,
  ) {}

  /** A pending occurrence exists. */
  get pending(): boolean {
    return this.at >= 0;
  }

  /** Time of the pending occurrence, if any. */
  get time(): Ticks | undefined {
    return this.at >= 0 ? (this.at as Ticks) : undefined;
  }

  /** Runs the callback after `delay` ticks. A SchedulingError if already pending (use reschedule). */
  schedule(delay: Ticks): void {
    if (this.at >= 0) {
      throw new SchedulingError(
        `task "${this.name}" is already scheduled at tick ${this.at}; use reschedule() to move it`,
      );
    }
    const k = this.kernel;
    this.gen = (this.gen + 1) | 0;
    k.schedule(delay, this.priority, this, this.gen, `task "${this.name}"`);
    this.at = k.now + delay;
  }

  /** Runs the callback at absolute time `time` (not in the past). */
  scheduleAt(time: Ticks): void {
    this.schedule((time - this.kernel.now) as Ticks);
  }

  /** Moves the pending occurrence (or schedules one). */
  reschedule(delay: Ticks): void {
    this.cancel();
    this.schedule(delay);
  }

  /** Drops the pending occurrence, if any. */
  cancel(): void {
    if (this.at < 0) return;
    this.gen = (this.gen + 1) | 0;
    this.at = -1;
  }

  /** @internal */
  _current(gen: number): boolean {
    return gen === this.gen;
  }

  /** @internal */
  _fire(gen: number): boolean {
    if (gen !== this.gen) return false;
    this.at = -1;
    this.fn();
    return true;
  }
}
