// A small FreeRTOS-like RTOS that runs on one simulated core, and the rpmsg-lite
// environment (RlEnv) on top of it, as rpmsg_env_freertos.c does (RPMSG-LITE.md §7, §5).
//
// How tasks share the core. The core has one thread-mode context; the RTOS runs there a
// dispatcher (`startScheduler`) that steps the running task's generator and hands each of
// its core operations to the core as its own. Task state lives here (its generator, the
// value to resume it with, the cycles of a compute block it has not run yet). Switching
// task is only a change of `current`: the dispatcher steps another generator from then on.
//
// How switches happen, as on a Cortex-M port of FreeRTOS:
// - The tick is a SysTick (sim/hw/systick.ts) wired to the NVIC line `tickLine`; its
//   handler advances the tick count, wakes the tasks whose delay or timeout is over, and
//   asks for a switch when one of them outranks the running task or when time slicing
//   must rotate tasks of equal priority.
// - Every switch is made by a PendSV-like handler on the line `pendSvLine`, at the lowest
//   priority (as FreeRTOS sets PendSV): it costs `contextSwitch` cycles plus the core's own
//   exception entry/tail-chain and exit, then selects the highest-priority ready task.
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
import type { CoreTypeName } from '../../sim/hw/core-types';
import type { Param } from '../../sim/hw/param';
import { SysTick } from '../../sim/hw/systick';
import type { RlPlatformPort } from '../rpmsg-lite/rpmsg-platform';
import { type EnvQueue, RL_BLOCK, type RlEnv } from '../rpmsg-lite/rpmsg-env';

/** portMAX_DELAY with 32-bit ticks: as a timeout, wait forever (INCLUDE_vTaskSuspend = 1). */
export const WAIT_FOREVER = 0xffffffff;

// ---- costs ------------------------------------------------------------------------------------

/** Cycles of the RTOS's own code, per core type. Exception entry/exit come from the core. */
export interface RtosCosts {
  /** PendSV handler body: save context, vTaskSwitchContext, restore (no exception entry/exit). */
  contextSwitch: Param;
  /** SysTick handler body when it unblocks nobody. */
  tickHandler: Param;
  /** Added to the tick handler per task it moves to the ready list. */
  tickPerUnblock: Param;
  /** A semaphore, queue, event-group or delay call from a task (the part before any block). */
  apiCall: Param;
  /** A FromISR call. */
  apiCallFromIsr: Param;
  /** Creating a semaphore, mutex, queue or event group. */
  objectCreate: Param;
  /** vTaskStartScheduler up to the first task (creating the idle task, starting the tick). */
  schedulerStart: Param;
}

export type RtosCostValues = { [K in keyof RtosCosts]: number };

const FAQ = 'FreeRTOS FAQ "Memory Usage, Boot Times & Context Switch Times" (freertos.org FAQMem)';

const CORTEX_M_COSTS: RtosCosts = {
  contextSwitch: {
    value: 84,
    source: `${FAQ}: 84 cycles, Cortex-M3 port, Keil, optimised for speed, configUSE_PORT_OPTIMISED_TASK_SELECTION 1, interrupt entry excluded [P]; the same Thumb-2 PendSV handler and C code run on the M4/M7/M33, no FPU context saved (Assumption)`,
  },
  tickHandler: {
    value: 40,
    source:
      'Assumption: about 40 instructions at ~1 CPI, counted on the FreeRTOS-Kernel ARM_CM4F port.c/tasks.c paths: xPortSysTickHandler (BASEPRI raise with dsb/isb, the call, PENDSVSET store, BASEPRI clear: ~10) and xTaskIncrementTick with nothing to unblock (~30: tick count, next-unblock-time compare, time-slice list length)',
  },
  tickPerUnblock: {
    value: 30,
    source: 'Assumption: per task the tick unblocks, two list removals (delayed list, event list) and one ready-list insertion, ~10 instructions each (FreeRTOS list.c)',
  },
  apiCall: {
    value: 60,
    source:
      'Assumption: about 60 instructions at ~1 CPI for a call that does not block (xQueueSemaphoreTake, xQueueGenericSend, xEventGroupWaitBits/SetBits, vTaskDelay): critical section enter/exit (BASEPRI with dsb/isb, nesting count), state checks, one-word copy (read from FreeRTOS-Kernel queue.c, event_groups.c)',
  },
  apiCallFromIsr: {
    value: 40,
    source: 'Assumption: the FromISR paths skip the critical nesting count and the timeout set-up: about 40 instructions (FreeRTOS-Kernel queue.c xQueueGenericSendFromISR, xQueueGiveFromISR)',
  },
  objectCreate: {
    value: 500,
    source: `${FAQ}: creating a queue, semaphore or mutex takes approximately 500 cycles on a Cortex-M3, ARM RVDS -O1 [P]`,
  },
  schedulerStart: {
    value: 1200,
    source: `${FAQ}: starting the scheduler (idle task, tick set-up, first task restored) takes approximately 1200 cycles on a Cortex-M3, ARM RVDS -O1 [P]`,
  },
};

export const RTOS_COSTS: Record<CoreTypeName, RtosCosts> = {
  'cortex-m0+': {
    ...CORTEX_M_COSTS,
    contextSwitch: {
      value: 104,
      source: `Assumption: the ${FAQ} 84 cycles (M3) plus about 20: the ARMv6-M port (ARM_CM0) must move r8-r11 through low registers to save and restore them, and ARMv6-M has no CLZ for the optimised task selection`,
    },
  },
  'cortex-m4': CORTEX_M_COSTS,
  'cortex-m7': CORTEX_M_COSTS,
  'cortex-m33': CORTEX_M_COSTS,
  'cortex-a53': {
    ...CORTEX_M_COSTS,
    contextSwitch: {
      value: 150,
      source:
        'Assumption: FreeRTOS ARM_CA53_64_BIT portASM.S saves and restores x0-x30 (~16 STP/LDP each way), SPSR/ELR and the critical nesting count (~40 instructions each way), plus vTaskSwitchContext (~40): ~120 instructions, ~150 cycles on the in-order A53 with the stack in cache; no FPU context',
    },
    tickHandler: {
      value: 60,
      source: 'Assumption: the Cortex-M tick path (~40 instructions) plus reloading the generic timer compare value (~20); GIC acknowledge/EOI are in the core\'s irqEntry/irqExit',
    },
  },
};

// ---- configuration ----------------------------------------------------------------------------

export interface RtosConfig {
  /** NVIC line the SysTick is wired to (stands for exception 15). */
  tickLine: number;
  /** NVIC line used as PendSV (exception 14); pended by software only. */
  pendSvLine: number;
  /** configTICK_RATE_HZ; default 1000. */
  tickRateHz?: number;
  /** configMAX_PRIORITIES; default 5. */
  maxPriorities?: number;
  /** configTIMER_TASK_PRIORITY; default maxPriorities - 1. */
  timerTaskPriority?: number;
  /** configTIMER_QUEUE_LENGTH; default 10. */
  timerQueueLength?: number;
  /** NVIC priority of the tick and PendSV lines (configKERNEL_INTERRUPT_PRIORITY); default the lowest. */
  kernelInterruptPriority?: number;
  /** configUSE_TIME_SLICING; default true. */
  timeSlicing?: boolean;
  /** Stop the tick while idle with no timeout pending; default true. */
  tickless?: boolean;
  /** Overrides of the core type's costs, in cycles. */
  costs?: Partial<RtosCostValues>;
}

/**
 * Defaults as in the FreeRTOSConfig.h files of typical Cortex-M FreeRTOS demos (read in the
 * code corpus): configTICK_RATE_HZ 1000, configMAX_PRIORITIES 5, configTIMER_TASK_PRIORITY
 * (configMAX_PRIORITIES - 1), configTIMER_QUEUE_LENGTH 10, configUSE_TIME_SLICING 1,
 * configKERNEL_INTERRUPT_PRIORITY the lowest. A platform's own config may differ: pass it.
 */
export const RTOS_DEFAULTS = { tickRateHz: 1000, maxPriorities: 5, timerQueueLength: 10 } as const;

const IDLE_PRIORITY = 0;

// ---- tasks and lists --------------------------------------------------------------------------

export type TaskState = 'ready' | 'blocked' | 'deleted';

interface EventWait {
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
    readonly body: Firmware<void>,
    serial: number,
  ) {
    this.serial = serial;
  }
}

/** An event list: tasks waiting on one object, highest priority first, FIFO among equals (vListInsert). */
class WaitList {
  readonly tasks: RtosTask[] = [];

  insertByPriority(task: RtosTask): void {
    let at = this.tasks.length;
    while (at > 0 && this.tasks[at - 1]!.priority < task.priority) at--;
    this.tasks.splice(at, 0, task);
  }

  /** Unordered event lists (event groups) keep arrival order. */
  insertLast(task: RtosTask): void {
    this.tasks.push(task);
  }

  remove(task: RtosTask): void {
    const at = this.tasks.indexOf(task);
    if (at >= 0) this.tasks.splice(at, 1);
  }

  get length(): number {
    return this.tasks.length;
  }
}

/**
 * The ready tasks of one priority as FreeRTOS keeps them: a ring with an end marker and a
 * cursor on the task last selected. Selection moves the cursor one step; a task made
 * ready goes just before the cursor, so it is the last one the rotation reaches.
 */
class ReadyRing {
  private readonly items: RtosTask[] = [];
  /** Index of the task last selected; -1 is the end marker. */
  private cursor = -1;

  get length(): number {
    return this.items.length;
  }

  includes(task: RtosTask): boolean {
    return this.items.includes(task);
  }

  insertEnd(task: RtosTask): void {
    if (this.cursor < 0) {
      this.items.push(task);
    } else {
      this.items.splice(this.cursor, 0, task);
      this.cursor++;
    }
  }

  remove(task: RtosTask): void {
    const at = this.items.indexOf(task);
    if (at < 0) return;
    if (at <= this.cursor) this.cursor--; // the cursor moves back onto the previous item (or the end marker)
    this.items.splice(at, 1);
  }

  /** Steps the cursor (skipping the end marker) and returns that task. */
  next(): RtosTask {
    this.cursor = (this.cursor + 1) % this.items.length;
    return this.items[this.cursor]!;
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

// ---- the RTOS ---------------------------------------------------------------------------------

export class Rtos {
  readonly costs: RtosCostValues;
  readonly tickRateHz: number;
  readonly maxPriorities: number;
  readonly timeSlicing: boolean;
  readonly tickless: boolean;
  readonly systick: SysTick;
  readonly stats: RtosStats = { contextSwitches: 0, pendSvRuns: 0, tickInterrupts: 0 };
  private readonly tickLine: number;
  private readonly pendSvLine: number;
  private readonly kernelPriority: number;
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
    const table = RTOS_COSTS[core.type];
    this.costs = {
      contextSwitch: config.costs?.contextSwitch ?? table.contextSwitch.value,
      tickHandler: config.costs?.tickHandler ?? table.tickHandler.value,
      tickPerUnblock: config.costs?.tickPerUnblock ?? table.tickPerUnblock.value,
      apiCall: config.costs?.apiCall ?? table.apiCall.value,
      apiCallFromIsr: config.costs?.apiCallFromIsr ?? table.apiCallFromIsr.value,
      objectCreate: config.costs?.objectCreate ?? table.objectCreate.value,
      schedulerStart: config.costs?.schedulerStart ?? table.schedulerStart.value,
    };
    this.tickRateHz = config.tickRateHz ?? RTOS_DEFAULTS.tickRateHz;
    this.maxPriorities = config.maxPriorities ?? RTOS_DEFAULTS.maxPriorities;
    this.timerTaskPriority = config.timerTaskPriority ?? this.maxPriorities - 1;
    this.timerQueueLength = config.timerQueueLength ?? RTOS_DEFAULTS.timerQueueLength;
    this.kernelPriority = config.kernelInterruptPriority ?? (1 << core.nvic.priorityBits) - 1;
    this.timeSlicing = config.timeSlicing ?? true;
    this.tickless = config.tickless ?? true;
    this.tickLine = config.tickLine;
    this.pendSvLine = config.pendSvLine;
    if (config.tickLine === config.pendSvLine) throw new RangeError(`rtos on ${core.name}: the tick and PendSV need two different lines`);
    if (!Number.isInteger(this.maxPriorities) || this.maxPriorities < 2) throw new RangeError(`rtos on ${core.name}: maxPriorities must be 2 or more`);
    this.checkPriority(this.timerTaskPriority);
    // configSYSTICK_CLOCK_HZ / configTICK_RATE_HZ, integer division as in vPortSetupTimerInterrupt.
    const reload = Math.floor(core.clock.hz / this.tickRateHz);
    this.systick = new SysTick(core.kernel, `${core.name}.systick`, core.clock, reload);
    this.ready = Array.from({ length: this.maxPriorities }, () => new ReadyRing());
  }

  /** portTICK_PERIOD_MS = 1000 / configTICK_RATE_HZ (integer division, as the macro does). */
  get tickPeriodMs(): number {
    const ms = Math.floor(1000 / this.tickRateHz);
    if (ms < 1) throw new RangeError(`rtos on ${this.core.name}: a tick rate above 1000 Hz makes portTICK_PERIOD_MS 0`);
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
  createTask(name: string, priority: number, body: Firmware<void>): RtosTask {
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
    if (this.started) throw new Error(`rtos on ${this.core.name}: the scheduler is already running`);
    const nvic = this.core.nvic;
    // Created in vTaskStartScheduler's order: the idle task, then the timer service task.
    this.idleTask = this.createTask('idle', IDLE_PRIORITY, this.idleBody());
    this.timerQueue = new RtosQueue(this, 'timer-queue', this.timerQueueLength);
    this.timerTask = this.createTask('timer-service', this.timerTaskPriority, this.timerServiceBody());
    nvic.connect(this.tickLine, this.systick.line, 'edge');
    for (const line of [this.tickLine, this.pendSvLine]) {
      nvic.setPriority(line, this.kernelPriority);
      nvic.enable(line);
    }
    this.core.setHandler(this.tickLine, () => this.tickHandler());
    this.core.setHandler(this.pendSvLine, () => this.pendSvHandler());
    this.core.onThreadResume = () => this.current !== this.opOwner;
    yield* this.core.exec(this.costs.schedulerStart);
    this.started = true;
    this.systick.start();
    this.current = this.firstTask();
    return yield* this.dispatch();
  }

  // ---- task-level calls --------------------------------------------------------------------

  /** vTaskDelay: 0 yields to the next ready task of the same priority. */
  *delay(ticks: number): Firmware<void> {
    this.runningOrThrow('vTaskDelay');
    yield* this.core.exec(this.costs.apiCall);
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
    if (this.inIsr()) throw new Error(`${what} called from an ISR on ${this.core.name}: use the FromISR variant`);
  }

  /** @internal The running task; throws before the scheduler starts (nothing can block then). */
  runningOrThrow(what: string): RtosTask {
    this.requireTask(what);
    if (this.current === null || !this.started) throw new Error(`${what} on ${this.core.name} before the scheduler started: it cannot block`);
    return this.current;
  }

  /** @internal Throws unless an ISR is calling. */
  requireIsr(what: string): void {
    if (!this.inIsr()) throw new Error(`${what} called outside an ISR on ${this.core.name}`);
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
    this.core.nvic.setPending(this.pendSvLine);
    if (!this.inIsr()) this.switchPendedInThread = true;
  }

  /** @internal portYIELD_WITHIN_API: pend the PendSV and execute the barrier after which it is taken. */
  *yieldWithinApi(): Firmware<void> {
    this.pendContextSwitch();
    yield* this.core.dataBarrier();
  }

  /** @internal xTimerPendFunctionCallFromISR, without the call's cost: post `fn` to the timer service task. */
  pendFunctionCallFromIsrNow(fn: () => Firmware<void>): boolean {
    if (this.timerQueue === null) throw new Error(`rtos on ${this.core.name}: the scheduler has not started (no timer service task)`);
    return this.timerQueue.sendFromIsrNow(fn);
  }

  // ---- scheduler internals ------------------------------------------------------------------

  private checkPriority(priority: number): void {
    if (!Number.isInteger(priority) || priority < 0 || priority >= this.maxPriorities) {
      throw new RangeError(`rtos on ${this.core.name}: task priority ${priority} outside 0..${this.maxPriorities - 1}`);
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
        throw new Error(`task "${task.name}" on ${this.core.name} blocked or ended with interrupts masked: the context switch cannot happen`);
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
    let r: IteratorResult<CoreOp, void>;
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
    yield* this.core.exec(this.costs.tickHandler + unblocked * this.costs.tickPerUnblock);
    if (switchRequired) this.pendContextSwitch();
  }

  /** PendSV handler: save, select the next task, restore. */
  private *pendSvHandler(): Firmware<void> {
    yield* this.core.exec(this.costs.contextSwitch);
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

// ---- kernel objects -----------------------------------------------------------------------------

/** A binary or counting semaphore, or a mutex without priority inheritance. */
export class RtosSemaphore {
  private available: number;
  private readonly takers = new WaitList();

  constructor(
    private readonly rtos: Rtos,
    readonly name: string,
    readonly kind: 'binary semaphore' | 'counting semaphore' | 'mutex',
    readonly maxCount: number,
    initialCount: number,
  ) {
    if (!Number.isInteger(maxCount) || maxCount < 1 || !Number.isInteger(initialCount) || initialCount < 0 || initialCount > maxCount) {
      throw new RangeError(`${kind} "${name}": count ${initialCount} of at most ${maxCount} is not valid`);
    }
    this.available = initialCount;
  }

  /** uxSemaphoreGetCount. */
  get count(): number {
    return this.available;
  }

  /** xSemaphoreTake: true once taken, false when `timeoutTicks` expire (0: do not wait). */
  *take(timeoutTicks: number): Firmware<boolean> {
    const rtos = this.rtos;
    rtos.requireTask('xSemaphoreTake');
    yield* rtos.core.exec(rtos.costs.apiCall);
    const deadline = rtos.deadline(timeoutTicks);
    for (;;) {
      if (this.available > 0) {
        this.available--;
        return true;
      }
      const left = rtos.ticksLeft(deadline);
      if (timeoutTicks === 0 || left === 0) return false;
      yield* rtos.block(this.takers, `${this.kind} "${this.name}"`, left);
    }
  }

  /** xSemaphoreGive: false when already at its maximum count. */
  *give(): Firmware<boolean> {
    const rtos = this.rtos;
    rtos.requireTask('xSemaphoreGive');
    yield* rtos.core.exec(rtos.costs.apiCall);
    if (this.available >= this.maxCount) return false;
    this.available++;
    if (rtos.wakeFirst(this.takers)) yield* rtos.yieldWithinApi();
    return true;
  }

  /** xSemaphoreGiveFromISR, then portYIELD_FROM_ISR when a task of higher priority woke. */
  *giveFromIsr(): Firmware<boolean> {
    const rtos = this.rtos;
    rtos.requireIsr('xSemaphoreGiveFromISR');
    yield* rtos.core.exec(rtos.costs.apiCallFromIsr);
    if (this.available >= this.maxCount) return false;
    this.available++;
    if (rtos.wakeFirst(this.takers)) rtos.pendContextSwitch();
    return true;
  }

  /** xSemaphoreTakeFromISR: never waits. */
  *takeFromIsr(): Firmware<boolean> {
    const rtos = this.rtos;
    rtos.requireIsr('xSemaphoreTakeFromISR');
    yield* rtos.core.exec(rtos.costs.apiCallFromIsr);
    if (this.available === 0) return false;
    this.available--;
    return true;
  }
}

/**
 * A queue of fixed capacity holding copies of its messages (xQueueSend copies the item's
 * bytes; here plain objects and arrays are copied one level deep, so a reference inside a
 * message stays a reference, as a pointer would; other values are stored as they are). A woken receiver takes its message when it runs, as in FreeRTOS, so another task
 * may take it first and the receiver then waits again for what is left of its timeout.
 */
export class RtosQueue<T> implements EnvQueue<T> {
  private readonly items: T[] = [];
  private readonly senders = new WaitList();
  private readonly receivers = new WaitList();
  deleted = false;

  constructor(
    private readonly rtos: Rtos,
    readonly name: string,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue "${name}": capacity ${capacity} must be a whole number of 1 or more`);
  }

  /** uxQueueMessagesWaiting. */
  get size(): number {
    return this.items.length;
  }

  /** @internal */
  isReceiveList(list: WaitList): boolean {
    return list === this.receivers;
  }

  /** Tasks waiting to send and to receive (vQueueDelete with waiters is an error). */
  get waiting(): number {
    return this.senders.length + this.receivers.length;
  }

  /** xQueueSendToBack: true once queued, false when `timeoutTicks` expire with the queue still full. */
  *send(message: T, timeoutTicks: number): Firmware<boolean> {
    const rtos = this.rtos;
    rtos.requireTask('xQueueSend');
    this.checkLive();
    yield* rtos.core.exec(rtos.costs.apiCall);
    const deadline = rtos.deadline(timeoutTicks);
    for (;;) {
      if (this.items.length < this.capacity) {
        this.items.push(copyMessage(message));
        if (rtos.wakeFirst(this.receivers)) yield* rtos.yieldWithinApi();
        return true;
      }
      const left = rtos.ticksLeft(deadline);
      if (timeoutTicks === 0 || left === 0) return false;
      yield* rtos.block(this.senders, `queue "${this.name}" to have space`, left);
    }
  }

  /** xQueueReceive: the oldest message, or null when `timeoutTicks` expire with the queue still empty. */
  *receive(timeoutTicks: number): Firmware<T | null> {
    const rtos = this.rtos;
    rtos.requireTask('xQueueReceive');
    this.checkLive();
    yield* rtos.core.exec(rtos.costs.apiCall);
    const deadline = rtos.deadline(timeoutTicks);
    for (;;) {
      if (this.items.length > 0) {
        const message = this.items.shift()!;
        if (rtos.wakeFirst(this.senders)) yield* rtos.yieldWithinApi();
        return message;
      }
      const left = rtos.ticksLeft(deadline);
      if (timeoutTicks === 0 || left === 0) return null;
      yield* rtos.block(this.receivers, `queue "${this.name}" to receive`, left);
    }
  }

  /** xQueueSendFromISR (+ portYIELD_FROM_ISR): never waits. */
  *sendFromIsr(message: T): Firmware<boolean> {
    this.rtos.requireIsr('xQueueSendFromISR');
    yield* this.rtos.core.exec(this.rtos.costs.apiCallFromIsr);
    return this.sendFromIsrNow(message);
  }

  /** xQueueReceiveFromISR (+ portYIELD_FROM_ISR): never waits. */
  *receiveFromIsr(): Firmware<T | null> {
    const rtos = this.rtos;
    rtos.requireIsr('xQueueReceiveFromISR');
    this.checkLive();
    yield* rtos.core.exec(rtos.costs.apiCallFromIsr);
    if (this.items.length === 0) return null;
    const message = this.items.shift()!;
    if (rtos.wakeFirst(this.senders)) rtos.pendContextSwitch();
    return message;
  }

  /** @internal The bookkeeping of sendFromIsr, without its cost. */
  sendFromIsrNow(message: T): boolean {
    this.checkLive();
    if (this.items.length >= this.capacity) return false;
    this.items.push(copyMessage(message));
    if (this.rtos.wakeFirst(this.receivers)) this.rtos.pendContextSwitch();
    return true;
  }

  private checkLive(): void {
    if (this.deleted) throw new Error(`queue "${this.name}" used after vQueueDelete`);
  }
}

function copyMessage<T>(message: T): T {
  if (Array.isArray(message)) return [...message] as T;
  if (message !== null && typeof message === 'object' && Object.getPrototypeOf(message) === Object.prototype) return { ...message };
  return message;
}

/** An event group of 24 bits (32-bit ticks: configUSE_16_BIT_TICKS 0). */
export class RtosEventGroup {
  static readonly BITS_MASK = 0x00ffffff;
  private bits = 0;
  private readonly waiters = new WaitList();

  constructor(
    private readonly rtos: Rtos,
    readonly name: string,
  ) {}

  /** xEventGroupGetBits. */
  get value(): number {
    return this.bits;
  }

  /**
   * xEventGroupWaitBits: the bits when the condition held (before clearing on exit), or
   * the bits when `timeoutTicks` expired.
   */
  *waitBits(mask: number, clearOnExit: boolean, waitAll: boolean, timeoutTicks: number): Firmware<number> {
    const rtos = this.rtos;
    rtos.requireTask('xEventGroupWaitBits');
    this.checkMask(mask);
    yield* rtos.core.exec(rtos.costs.apiCall);
    const wait: EventWait = { mask, waitAll, clearOnExit };
    if (satisfies(this.bits, wait)) {
      const seen = this.bits;
      if (clearOnExit) this.bits &= ~mask;
      return seen;
    }
    if (timeoutTicks === 0) return this.bits;
    const task = rtos.runningOrThrow('xEventGroupWaitBits');
    task.eventWait = wait;
    const bitsText = `0x${mask.toString(16)} (${waitAll ? 'all' : 'any'})`;
    const woken = yield* rtos.block(this.waiters, `event group "${this.name}" bits ${bitsText}`, timeoutTicks, 'fifo');
    task.eventWait = null;
    if (woken) return task.eventBits;
    // Timed out: FreeRTOS returns the bits as they are now (and clears them if they happen to satisfy the wait).
    const seen = this.bits;
    if (satisfies(seen, wait) && clearOnExit) this.bits &= ~mask;
    return seen;
  }

  /** xEventGroupSetBits from a task: the bits after waking whoever they satisfy. */
  *setBits(mask: number): Firmware<number> {
    const rtos = this.rtos;
    rtos.requireTask('xEventGroupSetBits');
    yield* rtos.core.exec(rtos.costs.apiCall);
    if (this.setBitsNow(mask)) yield* rtos.yieldWithinApi();
    return this.bits;
  }

  /** xEventGroupClearBits: the bits before clearing. */
  *clearBits(mask: number): Firmware<number> {
    const rtos = this.rtos;
    rtos.requireTask('xEventGroupClearBits');
    this.checkMask(mask);
    yield* rtos.core.exec(rtos.costs.apiCall);
    const before = this.bits;
    this.bits &= ~mask;
    return before;
  }

  /**
   * xEventGroupSetBitsFromISR: FreeRTOS defers the set to the timer service task (through
   * xTimerPendFunctionCallFromISR), which wakes the waiters. False when the timer queue is full.
   */
  *setBitsFromIsr(mask: number): Firmware<boolean> {
    this.rtos.requireIsr('xEventGroupSetBitsFromISR');
    yield* this.rtos.core.exec(this.rtos.costs.apiCallFromIsr);
    return this.setBitsFromIsrNow(mask);
  }

  /** @internal setBitsFromIsr without its cost. */
  setBitsFromIsrNow(mask: number): boolean {
    this.checkMask(mask);
    return this.rtos.pendFunctionCallFromIsrNow(() => this.setBitsDeferred(mask));
  }

  /** vEventGroupSetBitsCallback: what the timer service task runs for setBitsFromIsr. */
  private *setBitsDeferred(mask: number): Firmware<void> {
    yield* this.setBits(mask);
  }

  /** @internal Sets bits and wakes the waiters they satisfy; true when one outranks the running task. */
  setBitsNow(mask: number): boolean {
    this.checkMask(mask);
    this.bits |= mask;
    let toClear = 0;
    let switchDue = false;
    for (const task of [...this.waiters.tasks]) {
      const wait = task.eventWait!;
      if (!satisfies(this.bits, wait)) continue;
      task.eventBits = this.bits;
      if (wait.clearOnExit) toClear |= wait.mask;
      if (this.rtos.wake(task, false)) switchDue = true;
    }
    this.bits &= ~toClear;
    return switchDue;
  }

  private checkMask(mask: number): void {
    if (!Number.isInteger(mask) || mask <= 0 || (mask & ~RtosEventGroup.BITS_MASK) !== 0) {
      throw new RangeError(`event group "${this.name}": bits 0x${mask.toString(16)} outside the 24 usable bits`);
    }
  }
}

function satisfies(bits: number, wait: EventWait): boolean {
  return wait.waitAll ? (bits & wait.mask) === wait.mask : (bits & wait.mask) !== 0;
}

// ---- the rpmsg-lite environment -----------------------------------------------------------------

/**
 * rpmsg_env_freertos.c on the RTOS above. Timeouts in ms become ticks as the C code does:
 * RL_BLOCK is portMAX_DELAY, anything else ms / portTICK_PERIOD_MS (so with a tick longer
 * than 1 ms, 1 ms is 0 ticks: env_sleep_msec(1) is vTaskDelay(0), a yield).
 */
export class RtosEnv implements RlEnv {
  readonly kind = 'rtos';
  readonly core: Core;
  private initCount = 0;
  /** env_sema: makes later env_init callers wait for the first to finish. */
  private initSemaphore: RtosSemaphore | null = null;
  /** The event group of the link-up bits. */
  private linkEvents: RtosEventGroup | null = null;
  /** The instance lock (env_create_mutex(&lock, 1): a counting semaphore of at most 10). */
  private instanceLock: RtosSemaphore | null = null;
  private queueCount = 0;

  /** `platform` is the rpmsg-lite port whose platform_init/deinit the first env_init and last env_deinit call. */
  constructor(
    readonly rtos: Rtos,
    private readonly platform: Pick<RlPlatformPort, 'init' | 'deinit'> | null = null,
  ) {
    this.core = rtos.core;
  }

  /** Bits of the link event group (for tests and reports). */
  get linkBits(): number {
    return this.linkEvents?.value ?? 0;
  }

  *init(): Firmware<void> {
    const rtos = this.rtos;
    rtos.requireTask('env_init');
    this.initCount++;
    if (this.initCount === 1) {
      // Creates env_sema, the event group (bits cleared) and, for the instance, its lock.
      yield* this.core.exec(3 * rtos.costs.objectCreate);
      this.initSemaphore = rtos.createBinarySemaphore('env_sema');
      this.linkEvents = rtos.createEventGroup('env_link_events');
      this.instanceLock = rtos.createCountingSemaphore('rpmsg_lite_lock', 10, 1);
      if (this.platform !== null) yield* this.platform.init();
      yield* this.initSemaphore.give();
      return;
    }
    yield* this.initSemaphore!.take(WAIT_FOREVER);
    yield* this.initSemaphore!.give();
  }

  *deinit(): Firmware<void> {
    const rtos = this.rtos;
    rtos.requireTask('env_deinit');
    if (this.initCount === 0) throw new Error(`env_deinit on ${this.core.name} without env_init`);
    this.initCount--;
    if (this.initCount > 0) return;
    if (this.platform !== null) yield* this.platform.deinit();
    // vEventGroupDelete, vSemaphoreDelete (and the instance lock's env_delete_mutex).
    yield* this.core.exec(3 * rtos.costs.apiCall);
    this.initSemaphore = null;
    this.linkEvents = null;
    this.instanceLock = null;
  }

  *lockMutex(): Firmware<void> {
    if (this.inIsr()) return;
    yield* this.lock('env_lock_mutex').take(WAIT_FOREVER);
  }

  *unlockMutex(): Firmware<void> {
    if (this.inIsr()) return;
    yield* this.lock('env_unlock_mutex').give();
  }

  *sleepMsec(ms: number): Firmware<void> {
    yield* this.rtos.delay(Math.floor(ms / this.rtos.tickPeriodMs));
  }

  inIsr(): boolean {
    return this.rtos.inIsr();
  }

  *waitForLinkUp(isUp: () => boolean, linkId: number, timeoutMs: number): Firmware<boolean> {
    const events = this.events('env_wait_for_link_up');
    const bit = linkBit(linkId);
    yield* events.clearBits(bit);
    if (isUp()) return true;
    const bits = yield* events.waitBits(bit, false, true, this.toTicks(timeoutMs));
    // Only exactly this link's bit counts: another link's bit also set reads as a timeout (§5).
    return bits === bit;
  }

  txCallback(linkId: number): void {
    const events = this.events('env_tx_callback');
    const bit = linkBit(linkId);
    // RlEnv.txCallback is synchronous, so its cycles are not charged; a switch it causes
    // happens at the caller's next operation boundary.
    if (this.inIsr()) events.setBitsFromIsrNow(bit);
    else if (events.setBitsNow(bit)) this.rtos.pendContextSwitch();
  }

  createQueue<T>(length: number): EnvQueue<T> | null {
    return this.rtos.createQueue<T>(`env-queue-${++this.queueCount}`, length);
  }

  deleteQueue<T>(queue: EnvQueue<T>): void {
    const q = asRtosQueue(queue);
    if (q.waiting > 0) throw new Error(`env_delete_queue: queue "${q.name}" still has waiting tasks`);
    q.deleted = true;
  }

  *putQueue<T>(queue: EnvQueue<T>, message: T, timeoutMs: number): Firmware<boolean> {
    const q = asRtosQueue(queue);
    if (this.inIsr()) return yield* q.sendFromIsr(message);
    return yield* q.send(message, this.toTicks(timeoutMs));
  }

  *getQueue<T>(queue: EnvQueue<T>, timeoutMs: number): Firmware<T | null> {
    const q = asRtosQueue(queue);
    if (this.inIsr()) return yield* q.receiveFromIsr();
    return yield* q.receive(this.toTicks(timeoutMs));
  }

  queueSize<T>(queue: EnvQueue<T>): number {
    return asRtosQueue(queue).size;
  }

  /** ms to ticks as rpmsg_env_freertos.c converts timeouts. */
  toTicks(timeoutMs: number): number {
    return timeoutMs === RL_BLOCK ? WAIT_FOREVER : Math.floor(timeoutMs / this.rtos.tickPeriodMs);
  }

  private events(what: string): RtosEventGroup {
    if (this.linkEvents === null) throw new Error(`${what} on ${this.core.name} before env_init`);
    return this.linkEvents;
  }

  private lock(what: string): RtosSemaphore {
    if (this.instanceLock === null) throw new Error(`${what} on ${this.core.name} before env_init`);
    return this.instanceLock;
  }
}

function linkBit(linkId: number): number {
  if (!Number.isInteger(linkId) || linkId < 0 || linkId > 23) throw new RangeError(`link id ${linkId}: the event group has bits 0..23`);
  return 1 << linkId;
}

function asRtosQueue<T>(queue: EnvQueue<T>): RtosQueue<T> {
  if (!(queue instanceof RtosQueue)) throw new TypeError('not a queue of the RTOS environment');
  return queue as RtosQueue<T>;
}
