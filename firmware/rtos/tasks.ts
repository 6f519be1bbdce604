// FreeRTOS tasks.c, as a model: the tasks, their lists, delays, the tick and the scheduler of
// a small FreeRTOS-like RTOS on one simulated core (docs/sources.md "Environment layer"). Queues and semaphores
// are in queue.ts, event groups in event-groups.ts, the rpmsg-lite environment over all of
// it in firmware/env/rpmsg-env-freertos.ts.
//
// How tasks share the core. The core has one thread-mode context; the RTOS runs there a
// dispatcher (`startScheduler`) that steps the running task's generator and hands each of
// its core operations to the core as its own. Task state lives here (its generator, the
// value to resume it with, the cycles of a compute block it has not run yet). Switching
// task is only a change of `current`: the dispatcher steps another generator from then on.
//
// How switches happen, as on a Cortex-M port of FreeRTOS:
// - The tick is a SysTick (sim/hw/systick.ts) wired to the SysTick exception (IRQn -1); its
//   handler advances the tick count, wakes the tasks whose delay or timeout is over, and
//   asks for a switch when one of them outranks the running task or when time slicing
//   must rotate tasks of equal priority.
// - Every switch is made by the PendSV exception's handler (IRQn -2), at the lowest
//   priority (as FreeRTOS sets PendSV): it costs `rtos.contextSwitch` cycles of the core's
//   cost table plus the core's own exception entry/tail-chain and exit, then selects the
//   highest-priority ready task.
// - A task that blocks (or yields, or readies a task of higher priority) pends that
//   handler and executes a `dsb` (portYIELD: a write to ICSR, dsb, isb); the core takes
//   the PendSV at the boundary after it.
// - An ISR that readies a task of higher priority than the running one (a FromISR call)
//   pends the PendSV; the core tail-chains into it when the ISR returns, so the new task's
//   first operation starts tailChain + contextSwitch + irqExit cycles after the ISR ends.
//   If the ISR had split a compute block of the old task, the core's `onThreadResume`
//   hook ends that block at the return to thread mode: its remaining cycles are kept with
//   the old task and run when it is scheduled again. So the switch happens at the next
//   operation boundary of the interrupted task, a compute block being cut there.
// - Thread-mode code that pends the PendSV without a barrier after it (env_tx_callback
//   outside an ISR) gets a zero-cycle boundary inserted before its next operation, so the
//   switch is not delayed by that operation.
//
// Idle: the idle task (priority 0) executes WFI, so idle time is skipped, never spun. When
// no task waits with a timeout, it also stops the SysTick (a tickless idle, as
// configUSE_TICKLESS_IDLE does) and the tick count is stepped when the tick resumes; so a
// system with nothing left to do lets the kernel's run end. FreeRTOS would step the count
// with a small drift; here it keeps the exact phase.
//
// Not modelled: priority inheritance (mutexes are binary semaphores; rpmsg-lite's env uses
// counting semaphores anyway), task notifications, software timers (the timer service task
// only runs the calls pended by xEventGroupSetBitsFromISR, as FreeRTOS does), masking of
// interrupts during API calls (the bookkeeping is atomic at the end of the call's cost),
// FPU context, 16-bit ticks, tick count wrap-around.

import type { Core, CoreOp, Firmware } from '../../sim/hw/core';
import { BusFault } from '../../sim/hw/bus';
import { SysTick } from '../../sim/hw/systick';
import { PENDSV_IRQN, SYSTICK_IRQN } from '../../sim/hw/nvic';
import { ConfigError, FirmwareError } from '../../sim/kernel';
import { type CoreCosts, plus } from '../costs/table';
import { FREERTOS_KERNEL_COSTS, IDLE_PRIORITY, type KernelCostPaths, RTOS_DEFAULTS, type RtosConfig, WAIT_FOREVER } from './config';
import { RtosEventGroup } from './event-groups';
import { ReadyRing, type WaitList } from './list';
import { RtosQueue, RtosSemaphore } from './queue';

export type TaskState = 'ready' | 'blocked' | 'deleted';

/** What a task waits for in an event group (event_groups.c keeps it in the event list item). */
export interface EventWait {
  mask: number;
  waitAll: boolean;
  clearOnExit: boolean;
}

export class RtosTask {
  state: TaskState = 'ready';
  /** While blocked: what it waits for, for the deadlock report. */
  waitsFor = '';
  /** While blocked with a timeout: the tick it times out at; null when it waits forever. */
  wakeTick: number | null = null;
  /** It last woke because its timeout expired (not because of the event). */
  timedOut = false;
  /** The event list it sits in while blocked. */
  waitList: WaitList | null = null;
  /** Event-group wait condition and the bits that satisfied it. */
  eventWait: EventWait | null = null;
  eventBits = 0;
  /** Execution state kept while another task runs. */
  execLeft = 0;
  resumeValue: unknown = undefined;
  pendingFault: BusFault | null = null;
  heldOp: CoreOp | null = null;
  /** Order of creation (FreeRTOS starts the last-created task of the highest priority). */
  readonly serial: number;

  constructor(
    readonly name: string,
    readonly priority: number,
    readonly body: Firmware<unknown>,
    serial: number,
  ) {
    this.serial = serial;
  }
}


/** A blocked task as the deadlock report shows it. */
export interface BlockedTask {
  task: string;
  waitsFor: string;
  /** Tick it times out at, or null for ever. */
  timeoutTick: number | null;
}

export interface RtosStats {
  /** Switches that changed the running task. */
  contextSwitches: number;
  /** PendSV handler runs (switches asked for, including those that kept the same task). */
  pendSvRuns: number;
  /** Tick interrupts handled. */
  tickInterrupts: number;
}

/** A zero-cycle operation: an operation boundary where a pended switch is taken. */
const BOUNDARY: CoreOp = { kind: 'exec', cycles: 0 };

export class Rtos {
  /** The core's cost table; the RTOS charges its `rtos.*` entries. */
  readonly costs: CoreCosts;
  readonly tickRateHz: number;
  readonly maxPriorities: number;
  readonly timeSlicing: boolean;
  readonly tickless: boolean;
  readonly systick: SysTick;
  readonly stats: RtosStats = { contextSwitches: 0, pendSvRuns: 0, tickInterrupts: 0 };
  private readonly kernelPriority: number;
  private readonly tickPriority: number;
  private readonly kernelCosts: KernelCostPaths;
  private readonly timerService: boolean;
  private readonly yieldBarrier: boolean;
  private readonly timerTaskPriority: number;
  private readonly timerQueueLength: number;
  private readonly tasks: RtosTask[] = [];
  private readonly ready: ReadyRing[];
  /** Tasks blocked with a timeout, by wake tick, FIFO among equals. */
  private readonly delayed: RtosTask[] = [];
  private current: RtosTask | null = null;
  /** The task whose operation the core is carrying out. */
  private opOwner: RtosTask | null = null;
  private ticksCounted = 0;
  private tickSuppressed = false;
  private switchPendedInThread = false;
  private started = false;
  private idleTask: RtosTask | null = null;
  private timerTask: RtosTask | null = null;
  private timerQueue: RtosQueue<() => Firmware<void>> | null = null;
  private objectCount = 0;

  constructor(
    readonly core: Core,
    config: RtosConfig,
  ) {
    this.costs = config.costs;
    this.tickRateHz = config.tickRateHz ?? RTOS_DEFAULTS.tickRateHz;
    this.maxPriorities = config.maxPriorities ?? RTOS_DEFAULTS.maxPriorities;
    this.timerTaskPriority = config.timerTaskPriority ?? this.maxPriorities - 1;
    this.timerQueueLength = config.timerQueueLength ?? RTOS_DEFAULTS.timerQueueLength;
    this.kernelPriority = config.kernelInterruptPriority ?? (1 << core.nvic.priorityBits) - 1;
    this.tickPriority = config.tickInterruptPriority ?? this.kernelPriority;
    this.kernelCosts = config.kernelCosts ?? FREERTOS_KERNEL_COSTS;
    this.timerService = config.timerService ?? true;
    this.yieldBarrier = config.yieldBarrier ?? true;
    this.timeSlicing = config.timeSlicing ?? true;
    this.tickless = config.tickless ?? true;
    if (!Number.isInteger(this.maxPriorities) || this.maxPriorities < 2) throw new ConfigError(`rtos on ${core.name}: maxPriorities must be 2 or more`);
    this.checkPriority(this.timerTaskPriority);
    // configSYSTICK_CLOCK_HZ / configTICK_RATE_HZ, integer division as in vPortSetupTimerInterrupt.
    const reload = Math.floor(core.clock.hz / this.tickRateHz);
    this.systick = new SysTick(core.kernel, `${core.name}.systick`, core.clock, reload);
    this.ready = Array.from({ length: this.maxPriorities }, () => new ReadyRing());
  }

  /** portTICK_PERIOD_MS = 1000 / configTICK_RATE_HZ (integer division, as the macro does). */
  get tickPeriodMs(): number {
    const ms = Math.floor(1000 / this.tickRateHz);
    if (ms < 1) throw new ConfigError(`rtos on ${this.core.name}: a tick rate above 1000 Hz makes portTICK_PERIOD_MS 0`);
    return ms;
  }

  /** xTaskGetTickCount (stepped over a tickless stretch). */
  get tickCount(): number {
    return this.ticksCounted + (this.tickSuppressed ? this.systick.wrapsMissedSoFar() : 0);
  }

  /** The running task (null before the scheduler starts). */
  get runningTask(): RtosTask | null {
    return this.current;
  }

  /** Running in an ISR (platform_in_isr reads VECTACTIVE). */
  inIsr(): boolean {
    return this.core.inHandler;
  }

  /** xTaskCreate: the task starts ready. Creating one of higher priority than the running task switches to it. */
  createTask(name: string, priority: number, body: Firmware<unknown>): RtosTask {
    this.checkPriority(priority);
    const task = new RtosTask(name, priority, body, this.tasks.length);
    this.tasks.push(task);
    this.ready[priority]!.insertEnd(task);
    if (this.started && this.current !== null && priority > this.current.priority) this.pendContextSwitch();
    return task;
  }

  /**
   * vTaskStartScheduler: delegate to it from the core's main firmware (`yield*`); it never
   * returns. Creates the idle and timer service tasks, wires the tick and PendSV, starts
   * the tick and runs the tasks.
   */
  *startScheduler(): Firmware<never> {
    if (this.started) throw new FirmwareError(`rtos on ${this.core.name}: the scheduler is already running`);
    const nvic = this.core.nvic;
    // Created in vTaskStartScheduler's order: the idle task, then the timer service task.
    this.idleTask = this.createTask('idle', IDLE_PRIORITY, this.idleBody());
    if (this.timerService) {
      this.timerQueue = new RtosQueue(this, 'timer-queue', this.timerQueueLength);
      this.timerTask = this.createTask('timer-service', this.timerTaskPriority, this.timerServiceBody());
    }
    // System exceptions, not NVIC lines: always enabled, priorities in SHPR3 (vPortSetupTimerInterrupt, xPortStartScheduler).
    nvic.connect(SYSTICK_IRQN, this.systick.line, 'edge');
    nvic.setPriority(SYSTICK_IRQN, this.tickPriority);
    nvic.setPriority(PENDSV_IRQN, this.kernelPriority);
    this.core.setHandler(SYSTICK_IRQN, () => this.tickHandler());
    this.core.setHandler(PENDSV_IRQN, () => this.pendSvHandler());
    this.core.onThreadResume = () => this.current !== this.opOwner;
    yield* this.core.run(this.costs.charge(this.kernelCosts.schedulerStart));
    this.started = true;
    this.systick.start();
    this.current = this.firstTask();
    return yield* this.dispatch();
  }

  // ---- task-level calls --------------------------------------------------------------------

  /** vTaskDelay: 0 yields to the next ready task of the same priority. */
  *delay(ticks: number): Firmware<void> {
    this.runningOrThrow('vTaskDelay');
    yield* this.core.run(this.costs.charge('rtos.apiCall'));
    if (ticks <= 0) {
      yield* this.yieldWithinApi();
      return;
    }
    yield* this.block(null, `delay until tick ${this.tickCount + ticks}`, ticks);
  }

  /** taskYIELD. */
  *yieldTask(): Firmware<void> {
    this.runningOrThrow('taskYIELD');
    yield* this.yieldWithinApi();
  }

  createBinarySemaphore(name: string): RtosSemaphore {
    return new RtosSemaphore(this, name, 'binary semaphore', 1, 0);
  }

  createCountingSemaphore(name: string, maxCount: number, initialCount: number): RtosSemaphore {
    return new RtosSemaphore(this, name, 'counting semaphore', maxCount, initialCount);
  }

  /** A mutex without priority inheritance: a binary semaphore given once at creation. */
  createMutex(name: string): RtosSemaphore {
    return new RtosSemaphore(this, name, 'mutex', 1, 1);
  }

  createQueue<T>(name: string, length: number): RtosQueue<T> {
    return new RtosQueue<T>(this, name, length);
  }

  createEventGroup(name: string): RtosEventGroup {
    return new RtosEventGroup(this, name);
  }

  /** Every task blocked now, what it waits for and until when (the timer service's idle wait left out). */
  blockedTasks(): BlockedTask[] {
    return this.tasks
      .filter((t) => t.state === 'blocked' && !(t === this.timerTask && t.waitList !== null && this.timerQueue?.isReceiveList(t.waitList) === true))
      .map((t) => ({ task: t.name, waitsFor: t.waitsFor, timeoutTick: t.wakeTick }));
  }

  /**
   * Every task's state for a watchdog's report: the running task, the other ready ones (the
   * idle task left out), then describeBlocked's lines.
   */
  describeTasks(): string[] {
    const out: string[] = [];
    const running = this.started ? this.current : null;
    if (running !== null) out.push(`task "${running.name}" is running`);
    const ready = this.tasks.filter((t) => t.state === 'ready' && t !== running && t !== this.idleTask).map((t) => `"${t.name}"`);
    if (ready.length > 0) out.push(`task${ready.length === 1 ? '' : 's'} ${ready.join(', ')} ready to run`);
    return [...out, ...this.describeBlocked()];
  }

  /** The same, one line per task: `task "consumer" waits for semaphore "rx" forever`. */
  describeBlocked(): string[] {
    return this.blockedTasks().map(
      (b) => `task "${b.task}" waits for ${b.waitsFor} ${b.timeoutTick === null ? 'forever' : `until tick ${b.timeoutTick}`}`,
    );
  }

  // ---- for the kernel objects (package-internal) ------------------------------------------

  /** @internal A name for an object without one. */
  nextObjectName(kind: string): string {
    return `${kind}-${++this.objectCount}`;
  }

  /** @internal Throws when called from an ISR (task-level calls; before the scheduler starts they may not block). */
  requireTask(what: string): void {
    if (this.inIsr()) throw new FirmwareError(`${what} called from an ISR on ${this.core.name}: use the FromISR variant`);
  }

  /** @internal The running task; throws before the scheduler starts (nothing can block then). */
  runningOrThrow(what: string): RtosTask {
    this.requireTask(what);
    if (this.current === null || !this.started) throw new FirmwareError(`${what} on ${this.core.name} before the scheduler started: it cannot block`);
    return this.current;
  }

  /** @internal Throws unless an ISR is calling. */
  requireIsr(what: string): void {
    if (!this.inIsr()) throw new FirmwareError(`${what} called outside an ISR on ${this.core.name}`);
  }

  /** @internal The tick a wait that starts now times out at (null: never). */
  deadline(timeoutTicks: number): number | null {
    return timeoutTicks === WAIT_FOREVER ? null : this.tickCount + timeoutTicks;
  }

  /** @internal Ticks left to a deadline (WAIT_FOREVER for none), or 0 when it has passed. */
  ticksLeft(deadline: number | null): number {
    return deadline === null ? WAIT_FOREVER : Math.max(0, deadline - this.tickCount);
  }

  /**
   * @internal Blocks the running task on `list` (or on time alone) for at most `timeoutTicks`
   * and switches away; resumes when it is woken. True if the event woke it, false on timeout.
   */
  *block(list: WaitList | null, waitsFor: string, timeoutTicks: number, order: 'priority' | 'fifo' = 'priority'): Firmware<boolean> {
    const task = this.runningOrThrow('a blocking call');
    this.ready[task.priority]!.remove(task);
    task.state = 'blocked';
    task.waitsFor = waitsFor;
    task.timedOut = false;
    task.waitList = list;
    if (list !== null) {
      if (order === 'priority') list.insertByPriority(task);
      else list.insertLast(task);
    }
    if (timeoutTicks !== WAIT_FOREVER) {
      task.wakeTick = this.tickCount + timeoutTicks;
      let at = this.delayed.length;
      while (at > 0 && this.delayed[at - 1]!.wakeTick! > task.wakeTick) at--;
      this.delayed.splice(at, 0, task);
    }
    yield* this.yieldWithinApi();
    return !task.timedOut;
  }

  /**
   * @internal Wakes the first task of an event list (xTaskRemoveFromEventList). True when it
   * outranks the running task, i.e. a switch is due.
   */
  wakeFirst(list: WaitList): boolean {
    const task = list.tasks[0];
    return task === undefined ? false : this.wake(task, false);
  }

  /** @internal Makes a blocked task ready; true when it outranks the running task. */
  wake(task: RtosTask, timedOut: boolean): boolean {
    task.waitList?.remove(task);
    task.waitList = null;
    if (task.wakeTick !== null) {
      const at = this.delayed.indexOf(task);
      if (at >= 0) this.delayed.splice(at, 1);
      task.wakeTick = null;
    }
    task.timedOut = timedOut;
    task.state = 'ready';
    task.waitsFor = '';
    this.ready[task.priority]!.insertEnd(task);
    return this.current !== null && task.priority > this.current.priority;
  }

  /** @internal Pends the PendSV (portYIELD / portYIELD_FROM_ISR). */
  pendContextSwitch(): void {
    this.core.nvic.setPending(PENDSV_IRQN);
    if (!this.inIsr()) this.switchPendedInThread = true;
  }

  /**
   * @internal portYIELD_WITHIN_API: pend the PendSV and execute the barrier after which it is
   * taken (with `yieldBarrier` false: a zero-cycle operation boundary instead).
   */
  *yieldWithinApi(): Firmware<void> {
    this.pendContextSwitch();
    if (this.yieldBarrier) yield* this.core.dataBarrier();
    else {
      this.switchPendedInThread = false;
      yield BOUNDARY;
    }
  }

  /** @internal xTimerPendFunctionCallFromISR, without the call's cost: post `fn` to the timer service task. */
  pendFunctionCallFromIsrNow(fn: () => Firmware<void>): boolean {
    if (this.timerQueue === null) throw new FirmwareError(`rtos on ${this.core.name}: the scheduler has not started (no timer service task)`);
    return this.timerQueue.sendFromIsrNow(fn);
  }

  // ---- scheduler internals ------------------------------------------------------------------

  private checkPriority(priority: number): void {
    if (!Number.isInteger(priority) || priority < 0 || priority >= this.maxPriorities) {
      throw new FirmwareError(`rtos on ${this.core.name}: task priority ${priority} outside 0..${this.maxPriorities - 1}`);
    }
  }

  /** The last-created task of the highest priority (where task creation leaves pxCurrentTCB). */
  private firstTask(): RtosTask {
    let best: RtosTask | null = null;
    for (const t of this.tasks) if (t.state === 'ready' && (best === null || t.priority >= best.priority)) best = t;
    return best!;
  }

  /** Runs the current task's operations on the core, forever. */
  private *dispatch(): Firmware<never> {
    for (;;) {
      const task = this.current!;
      if (task.state !== 'ready') {
        // Only reachable when the PendSV could not be taken at the boundary after the block.
        throw new FirmwareError(`task "${task.name}" on ${this.core.name} blocked or ended with interrupts masked: the context switch cannot happen`);
      }
      let op: CoreOp;
      if (task.heldOp !== null) {
        op = task.heldOp;
        task.heldOp = null;
      } else if (task.execLeft > 0) {
        op = { kind: 'exec', cycles: task.execLeft };
        task.execLeft = 0;
      } else {
        const step = this.step(task);
        if (step === null) {
          this.endTask(task);
          this.opOwner = task;
          yield BOUNDARY;
          continue;
        }
        op = step;
        if (this.switchPendedInThread) {
          this.switchPendedInThread = false;
          // A barrier is where portYIELD lets the PendSV in; otherwise take it before the operation.
          if (op.kind !== 'dsb' && !(op.kind === 'exec' && op.cycles === 0)) {
            task.heldOp = op;
            this.opOwner = task;
            yield BOUNDARY;
            continue;
          }
        }
      }
      this.opOwner = task;
      try {
        const result: unknown = yield op;
        if (op.kind === 'exec') task.execLeft = typeof result === 'number' ? result : 0;
        else task.resumeValue = result;
      } catch (error) {
        if (!(error instanceof BusFault)) throw error;
        task.pendingFault = error;
      }
    }
  }

  /** Steps a task's generator to its next operation; null when it returned. */
  private step(task: RtosTask): CoreOp | null {
    let r: IteratorResult<CoreOp, unknown>;
    if (task.pendingFault !== null) {
      const fault = task.pendingFault;
      task.pendingFault = null;
      r = task.body.throw(fault); // an unhandled fault leaves the dispatcher too: the core locks up
    } else {
      const value = task.resumeValue;
      task.resumeValue = undefined;
      r = task.body.next(value);
    }
    return r.done === true ? null : r.value;
  }

  /** A task function returned: FreeRTOS forbids it (prvTaskExitError); we delete the task instead. */
  private endTask(task: RtosTask): void {
    this.ready[task.priority]!.remove(task);
    task.state = 'deleted';
    this.pendContextSwitch();
    this.switchPendedInThread = false;
  }

  /** SysTick handler: xPortSysTickHandler + xTaskIncrementTick. */
  private *tickHandler(): Firmware<void> {
    this.stats.tickInterrupts++;
    this.ticksCounted++;
    const now = this.ticksCounted;
    let switchRequired = false;
    let unblocked = 0;
    while (this.delayed.length > 0 && this.delayed[0]!.wakeTick! <= now) {
      if (this.wake(this.delayed[0]!, true)) switchRequired = true;
      unblocked++;
    }
    const running = this.current;
    if (this.timeSlicing && running !== null && this.ready[running.priority]!.length > 1) switchRequired = true;
    yield* this.core.run(this.costs.charge(this.kernelCosts.tickHandler));
    if (unblocked > 0) yield* this.core.run(this.costs.charge(this.kernelCosts.tickPerUnblock, unblocked));
    if (switchRequired) this.pendContextSwitch();
  }

  /** PendSV handler: save, select the next task, restore. */
  private *pendSvHandler(): Firmware<void> {
    yield* this.core.run(this.costs.charge(this.kernelCosts.contextSwitch));
    this.switchContext();
  }

  /** vTaskSwitchContext: the highest priority with a ready task; rotate within it. */
  private switchContext(): void {
    this.stats.pendSvRuns++;
    let top = this.maxPriorities - 1;
    while (this.ready[top]!.length === 0) top--; // the idle task is always ready
    const next = this.ready[top]!.next();
    if (next !== this.current) this.stats.contextSwitches++;
    this.current = next;
    if (next !== this.idleTask) this.resumeTick();
  }

  private *idleBody(): Firmware<void> {
    for (;;) {
      // configIDLE_SHOULD_YIELD: give way to an application task of the idle priority.
      if (this.ready[IDLE_PRIORITY]!.length > 1) {
        yield* this.yieldWithinApi();
        continue;
      }
      this.suppressTick();
      yield* this.core.waitForInterrupt();
    }
  }

  /** prvTimerTask, reduced to running the calls pended from ISRs. */
  private *timerServiceBody(): Firmware<void> {
    for (;;) {
      const call = yield* this.timerQueue!.receive(WAIT_FOREVER);
      if (call !== null) yield* call();
    }
  }

  /** Tickless idle: nothing waits on time, so the tick has nothing to do. */
  private suppressTick(): void {
    if (!this.tickless || this.tickSuppressed || this.delayed.length > 0) return;
    this.systick.stop();
    this.tickSuppressed = true;
  }

  private resumeTick(): void {
    if (!this.tickSuppressed) return;
    this.ticksCounted += this.systick.resume();
    this.tickSuppressed = false;
  }
}

