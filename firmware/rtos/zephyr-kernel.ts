// The Zephyr kernel objects rpmsg_env_zephyr.c uses, on the scheduler of tasks.ts: threads
// (k_thread), k_sem, k_msgq, k_event, k_sleep, and the Cortex-M interrupt exit
// (_isr_wrapper → z_arm_int_exit). Sources: zephyrproject-rtos/zephyr kernel/sem.c,
// kernel/msg_q.c, kernel/events.c, kernel/sched.c, kernel/timeout.c,
// arch/arm/core/cortex_m/{isr_wrapper.c,exc_exit.c,swap.c,swap_helper.S}.
//
// What the scheduler of tasks.ts already does the Zephyr way, and is reused: one ready list
// per priority, a woken thread preempting only a thread of lower priority (should_preempt),
// priority-ordered wait queues (FIFO among equals), time slicing among equal priorities
// (CONFIG_TIMESLICE_SIZE = 1 ms in the rpmsg-lite Zephyr samples' prj.conf, one tick here),
// the switch in the PendSV handler at the lowest priority (z_arm_pendsv), the SysTick, and
// the idle thread sleeping in WFI with the tick stopped while nothing waits on time.
//
// What is Zephyr's own, here:
// - Priorities: Zephyr's, lower is more urgent; preemptible 0..14 (CONFIG_NUM_PREEMPT_PRIORITIES
//   15), the idle thread at 15; scheduler priority = 15 − Zephyr priority. No cooperative
//   (negative) priorities.
// - Hand-off: k_sem_give to a waiter gives it the semaphore (the count stays; z_sched_wake);
//   k_msgq_put to a waiting receiver copies the message into its buffer, k_msgq_get from a
//   full queue with a waiting sender takes the sender's message into the ring; k_event_post
//   wakes every waiter whose condition now holds. A woken thread owns what it was handed.
// - Timeouts: K_MSEC(ms) is ms ticks (CONFIG_SYS_CLOCK_TICKS_PER_SEC 1000 here) and a relative
//   timeout waits one tick more (z_add_timeout: dticks = ticks + 1); K_FOREVER waits forever;
//   K_NO_WAIT never blocks; k_sleep(K_NO_WAIT) yields (z_tick_sleep: k_yield).
// - Switching from a thread (z_reschedule → arch_swap): PENDSVSET, then BASEPRI is restored
//   (irq_unlock) — no dsb: the PendSV is taken at the next operation boundary; the unlock's
//   instructions are in the charged cost.
// - ISRs: a switch made due by an ISR is pended by z_arm_int_exit at the end of _isr_wrapper
//   (`isr`), not by the kernel call; an ISR run without the wrapper leaves it for the next
//   switch, as Zephyr's direct ISRs that skip z_arm_int_exit do.
// - SysTick at priority 1 (cortex_m_systick.c sets _IRQ_PRIO_OFFSET on Armv7-M/Armv8-M
//   mainline, 0 on Armv6-M), PendSV at the lowest.
//
// Not modelled (approximations): the tickless kernel (Zephyr programs SysTick for the next
// timeout instead of ticking; here the tick runs at 1 kHz while a timeout waits, and stops
// otherwise), CONFIG_SYS_CLOCK_TICKS_PER_SEC's default of 10000 (so timeouts round to 1 ms,
// not 0.1 ms), K_MSEC of a huge value as a finite timeout (rpmsg-lite's RL_BLOCK becomes
// K_MSEC(0xFFFFFFFF), about 49.7 days: taken as forever), k_sched_lock (env_init's), irq_lock
// masking during the calls (the bookkeeping is atomic at the end of each call's cost),
// cooperative threads, meta-IRQs, priority inheritance (k_mutex; rpmsg-lite uses k_sem).

import type { Core, Firmware } from '../../sim/hw/core';
import { FirmwareError } from '../../sim/kernel';
import type { CoreCosts, ZephyrCostName } from '../costs/table';
import { WAIT_FOREVER } from './config';
import { WaitList } from './list';
import { copyMessage } from './queue';
import { Rtos, type RtosTask } from './tasks';

/** CONFIG_NUM_PREEMPT_PRIORITIES (Zephyr's default): preemptible priorities 0..14, idle 15. */
export const ZEPHYR_PREEMPT_PRIORITIES = 15;
/** CONFIG_MAIN_THREAD_PRIORITY (Zephyr's default). */
export const ZEPHYR_MAIN_PRIORITY = 0;
/** CONFIG_SYS_CLOCK_TICKS_PER_SEC of this model (see the header). */
export const ZEPHYR_TICK_HZ = 1000;

/** A k_timeout_t: K_NO_WAIT, K_FOREVER or a number of ticks. */
export type ZTimeout = { kind: 'no-wait' } | { kind: 'forever' } | { kind: 'ticks'; ticks: number };
export const K_NO_WAIT: ZTimeout = { kind: 'no-wait' };
export const K_FOREVER: ZTimeout = { kind: 'forever' };
/** K_MSEC(ms) at ZEPHYR_TICK_HZ (ms ticks, rounded up as k_ms_to_ticks_ceil32); 0 is K_NO_WAIT. */
export function K_MSEC(ms: number): ZTimeout {
  if (!Number.isInteger(ms) || ms < 0) throw new FirmwareError(`K_MSEC(${ms}): not a whole number of milliseconds`);
  return ms === 0 ? K_NO_WAIT : { kind: 'ticks', ticks: Math.ceil((ms * ZEPHYR_TICK_HZ) / 1000) };
}

/** -EAGAIN: a wait timed out. */
export const EAGAIN = -11;
/** -EBUSY: k_sem_take with K_NO_WAIT on a taken semaphore. */
export const EBUSY = -16;
/** -ENOMSG: k_msgq_put/get with K_NO_WAIT on a full/empty queue. */
export const ENOMSG = -35;

/** The kernel of one core: its threads on the scheduler, and the objects below. */
export class ZephyrKernel {
  readonly rtos: Rtos;
  readonly core: Core;
  readonly costs: CoreCosts;
  /** Set by a kernel call in an ISR that readied a thread outranking the running one (ready_q.cache != current). */
  private switchDue = false;
  private objects = 0;

  constructor(core: Core, costs: CoreCosts) {
    this.core = core;
    this.costs = costs;
    const lowest = (1 << core.nvic.priorityBits) - 1;
    const mainline = core.type !== 'cortex-m0+';
    this.rtos = new Rtos(core, {
      costs,
      tickRateHz: ZEPHYR_TICK_HZ,
      maxPriorities: ZEPHYR_PREEMPT_PRIORITIES + 1,
      kernelInterruptPriority: lowest,
      tickInterruptPriority: mainline ? 1 : 0,
      timeSlicing: true,
      tickless: true,
      timerService: false,
      yieldBarrier: false,
      kernelCosts: {
        contextSwitch: 'zephyr.contextSwitch',
        tickHandler: 'zephyr.tick',
        tickPerUnblock: 'zephyr.tickPerUnblock',
        schedulerStart: 'zephyr.kernelStart',
      },
    });
  }

  /** k_thread_create (started at once, no delay) at Zephyr priority `priority` (0 = most urgent). */
  createThread(name: string, priority: number, body: Firmware<unknown>): RtosTask {
    if (!Number.isInteger(priority) || priority < 0 || priority >= ZEPHYR_PREEMPT_PRIORITIES) {
      throw new FirmwareError(`zephyr on ${this.core.name}: thread priority ${priority} outside the preemptible 0..${ZEPHYR_PREEMPT_PRIORITIES - 1}`);
    }
    return this.rtos.createTask(name, ZEPHYR_PREEMPT_PRIORITIES - priority, body);
  }

  /** z_cstart up to the first thread: delegate to it from the core's main firmware. */
  *start(): Firmware<never> {
    return yield* this.rtos.startScheduler();
  }

  /** k_is_in_isr. */
  inIsr(): boolean {
    return this.core.inHandler;
  }

  /** Charges a `zephyr.*` entry. */
  *charge(name: ZephyrCostName, times = 1): Firmware<void> {
    yield* this.core.run(this.costs.charge(`zephyr.${name}`, times));
  }

  /** _isr_wrapper around a driver ISR: the wrapper, the ISR, then z_arm_int_exit pends the switch an ISR made due. */
  *isr(body: () => Firmware<void>): Firmware<void> {
    yield* this.charge('isrWrapper');
    yield* body();
    if (this.switchDue) {
      this.switchDue = false;
      this.rtos.pendContextSwitch();
    }
  }

  /** k_sleep(timeout): the running thread sleeps; K_NO_WAIT yields. */
  *sleep(timeout: ZTimeout): Firmware<void> {
    this.rtos.runningOrThrow('k_sleep');
    yield* this.charge('sleep');
    if (timeout.kind === 'no-wait') {
      yield* this.rtos.yieldWithinApi();
      return;
    }
    yield* this.rtos.block(null, `k_sleep until tick ${this.rtos.tickCount + this.waitTicks(timeout)}`, this.waitTicks(timeout));
  }

  createSem(name: string, initialCount: number, limit: number): ZephyrSem {
    return new ZephyrSem(this, name, initialCount, limit);
  }

  createMsgq<T>(name: string, maxMsgs: number): ZephyrMsgq<T> {
    return new ZephyrMsgq<T>(this, name, maxMsgs);
  }

  createEvent(name: string): ZephyrEvent {
    return new ZephyrEvent(this, name);
  }

  /** @internal A name for an unnamed object. */
  nextName(kind: string): string {
    return `${kind}-${++this.objects}`;
  }

  /** @internal Ticks a pend waits: a relative timeout waits one tick more (z_add_timeout). */
  waitTicks(timeout: ZTimeout): number {
    switch (timeout.kind) {
      case 'forever':
        return WAIT_FOREVER;
      case 'ticks':
        return timeout.ticks + 1;
      case 'no-wait':
        return 0;
    }
  }

  /** @internal A thread was readied (`outranks`: it should preempt the running one): switch now, or at the ISR's exit. */
  readied(outranks: boolean): boolean {
    if (!outranks) return false;
    if (this.inIsr()) this.switchDue = true;
    return true;
  }

  /** @internal z_reschedule from a thread: the swap (arch_swap → PendSV) when a readied thread outranks it. */
  *reschedule(outranks: boolean): Firmware<void> {
    if (outranks && !this.inIsr()) yield* this.rtos.yieldWithinApi();
  }

  /** @internal z_pend_curr: the running thread waits on `list`; true when woken (not timed out). */
  *pend(list: WaitList, waitsFor: string, timeout: ZTimeout): Firmware<boolean> {
    return yield* this.rtos.block(list, waitsFor, this.waitTicks(timeout));
  }

  /** @internal A blocking call may not be made from an ISR with a timeout (Zephyr asserts it). */
  checkWait(what: string, timeout: ZTimeout): void {
    if (this.inIsr() && timeout.kind !== 'no-wait') throw new FirmwareError(`${what} from an ISR on ${this.core.name} with a timeout other than K_NO_WAIT`);
  }
}

/** k_sem: a counting semaphore with a limit; give hands the count to the first waiter. */
export class ZephyrSem {
  private available: number;
  private readonly waitQ = new WaitList();

  constructor(
    private readonly kernel: ZephyrKernel,
    readonly name: string,
    initialCount: number,
    readonly limit: number,
  ) {
    // k_sem_init: limit 0 or count > limit is -EINVAL.
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(initialCount) || initialCount < 0 || initialCount > limit) {
      throw new FirmwareError(`k_sem_init "${name}": count ${initialCount} with limit ${limit} is -EINVAL`);
    }
    this.available = initialCount;
  }

  /** k_sem_count_get. */
  get count(): number {
    return this.available;
  }

  /** Threads waiting. */
  get waiting(): number {
    return this.waitQ.length;
  }

  /** k_sem_take: 0 once taken, -EBUSY (K_NO_WAIT) or -EAGAIN (timeout). */
  *take(timeout: ZTimeout): Firmware<number> {
    const k = this.kernel;
    k.checkWait('k_sem_take', timeout);
    if (this.available > 0) {
      yield* k.charge('semTake');
      this.available--;
      return 0;
    }
    if (timeout.kind === 'no-wait') {
      yield* k.charge('semTake');
      return EBUSY;
    }
    k.rtos.runningOrThrow('k_sem_take');
    yield* k.charge('semTakeBlock');
    // Woken by a give: the semaphore was handed over (the count never went up).
    return (yield* k.pend(this.waitQ, `k_sem "${this.name}"`, timeout)) ? 0 : EAGAIN;
  }

  /** k_sem_give: wakes the first waiter (and reschedules), or counts up to the limit. */
  *give(): Firmware<void> {
    const k = this.kernel;
    if (this.waitQ.length > 0) {
      yield* k.charge('semGiveWake');
      yield* k.reschedule(k.readied(k.rtos.wakeFirst(this.waitQ)));
      return;
    }
    yield* k.charge('semGive');
    if (this.available < this.limit) this.available++;
  }

  /** k_sem_reset: the count to 0, waiters woken with -EAGAIN. */
  *reset(): Firmware<void> {
    const k = this.kernel;
    yield* k.charge('semGive');
    let outranks = false;
    while (this.waitQ.length > 0) outranks = k.rtos.wake(this.waitQ.tasks[0]!, true) || outranks;
    this.available = 0;
    yield* k.reschedule(k.readied(outranks));
  }
}

/**
 * k_msgq: a ring of `maxMsgs` messages (copies, as k_msgq_put copies msg_size bytes; plain
 * objects one level deep). One wait queue, as Zephyr has: receivers wait on an empty queue,
 * senders on a full one.
 */
export class ZephyrMsgq<T> {
  private readonly ring: T[] = [];
  private readonly waitQ = new WaitList();
  /** What a woken receiver was handed, or what a waiting sender offers. */
  private readonly swapData = new Map<RtosTask, T>();
  purged = false;

  constructor(
    private readonly kernel: ZephyrKernel,
    readonly name: string,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new FirmwareError(`k_msgq_init "${name}": max_msgs ${capacity} must be 1 or more`);
  }

  /** k_msgq_num_used_get. */
  get size(): number {
    return this.ring.length;
  }

  /** Threads waiting (to send or to receive). */
  get waiting(): number {
    return this.waitQ.length;
  }

  /** k_msgq_put: 0, or -ENOMSG (full, K_NO_WAIT), or -EAGAIN (timed out full). */
  *put(message: T, timeout: ZTimeout): Firmware<number> {
    const k = this.kernel;
    k.checkWait('k_msgq_put', timeout);
    if (this.ring.length < this.capacity) {
      const receiver = this.ring.length === 0 ? this.waitQ.tasks[0] : undefined;
      if (receiver !== undefined) {
        // Straight into the receiver's buffer.
        yield* k.charge('msgqPutWake');
        yield* k.core.run(k.costs.chargeMemcpy(MSG_BYTES, PRIVATE_COPY));
        this.swapData.set(receiver, copyMessage(message));
        yield* k.reschedule(k.readied(k.rtos.wake(receiver, false)));
        return 0;
      }
      yield* k.charge('msgqPut');
      yield* k.core.run(k.costs.chargeMemcpy(MSG_BYTES, PRIVATE_COPY));
      this.ring.push(copyMessage(message));
      return 0;
    }
    if (timeout.kind === 'no-wait') {
      yield* k.charge('msgqPut');
      return ENOMSG;
    }
    const self = k.rtos.runningOrThrow('k_msgq_put');
    yield* k.charge('msgqGetBlock'); // the same pend path (z_pend_curr) as a blocking get
    this.swapData.set(self, copyMessage(message));
    const woken = yield* k.pend(this.waitQ, `k_msgq "${this.name}" to have space`, timeout);
    if (!woken) this.swapData.delete(self);
    return woken ? 0 : EAGAIN;
  }

  /** k_msgq_get: the oldest message, or null on -ENOMSG (empty, K_NO_WAIT) / -EAGAIN (timed out). */
  *get(timeout: ZTimeout): Firmware<T | null> {
    const k = this.kernel;
    k.checkWait('k_msgq_get', timeout);
    if (this.ring.length > 0) {
      const message = this.ring.shift()!;
      const sender = this.waitQ.tasks[0];
      yield* k.charge(sender === undefined ? 'msgqGet' : 'msgqGetWake');
      yield* k.core.run(k.costs.chargeMemcpy(MSG_BYTES, PRIVATE_COPY));
      if (sender !== undefined) {
        // The waiting sender's message takes the freed slot.
        yield* k.core.run(k.costs.chargeMemcpy(MSG_BYTES, PRIVATE_COPY));
        this.ring.push(this.swapData.get(sender)!);
        this.swapData.delete(sender);
        yield* k.reschedule(k.readied(k.rtos.wake(sender, false)));
      }
      return message;
    }
    if (timeout.kind === 'no-wait') {
      yield* k.charge('msgqGet');
      return null;
    }
    const self = k.rtos.runningOrThrow('k_msgq_get');
    yield* k.charge('msgqGetBlock');
    if (!(yield* k.pend(this.waitQ, `k_msgq "${this.name}" to receive`, timeout))) return null;
    const handed = this.swapData.get(self)!;
    this.swapData.delete(self);
    return handed;
  }

  /** k_msgq_purge: drops the messages; waiting senders get -ENOMSG. */
  purge(): void {
    this.ring.length = 0;
    for (const t of [...this.waitQ.tasks]) {
      this.swapData.delete(t);
      this.kernel.rtos.wake(t, true);
    }
    this.purged = true;
  }
}

/** k_event: 32 event bits; waiters wake when their bits (all or any) are set. */
export class ZephyrEvent {
  private bits = 0;
  private readonly waitQ = new WaitList();
  private readonly wants = new Map<RtosTask, number>();

  constructor(
    private readonly kernel: ZephyrKernel,
    readonly name: string,
  ) {}

  get events(): number {
    return this.bits;
  }

  /**
   * k_event_post without its cost (RlEnv's tx callback is synchronous): sets `bits`, wakes
   * every waiter whose bits are now all set. True when a woken thread outranks the running one.
   */
  postNow(bits: number): boolean {
    const k = this.kernel;
    this.bits = (this.bits | bits) >>> 0;
    let outranks = false;
    for (const t of [...this.waitQ.tasks]) {
      const want = this.wants.get(t)!;
      if ((this.bits & want) === want) {
        this.wants.delete(t);
        outranks = k.rtos.wake(t, false) || outranks;
      }
    }
    return k.readied(outranks);
  }

  /** k_event_post, charged; reschedules from a thread. */
  *post(bits: number): Firmware<void> {
    const k = this.kernel;
    yield* k.charge(this.waitQ.length > 0 ? 'eventPostWake' : 'eventPost');
    yield* k.reschedule(this.postNow(bits));
  }

  /** k_event_wait_all (reset false): the bits once all of `bits` are set, 0 on timeout / K_NO_WAIT. */
  *waitAll(bits: number, timeout: ZTimeout): Firmware<number> {
    const k = this.kernel;
    k.checkWait('k_event_wait_all', timeout);
    if ((this.bits & bits) === bits) {
      yield* k.charge('eventWait');
      return bits;
    }
    if (timeout.kind === 'no-wait') {
      yield* k.charge('eventWait');
      return 0;
    }
    const self = k.rtos.runningOrThrow('k_event_wait_all');
    yield* k.charge('eventWaitBlock');
    this.wants.set(self, bits);
    const woken = yield* k.pend(this.waitQ, `k_event "${this.name}" bits 0x${bits.toString(16)}`, timeout);
    if (!woken) this.wants.delete(self);
    return woken ? bits : 0;
  }
}

/** sizeof(rpmsg_queue_rx_cb_data_t) on a 32-bit target (src, data pointer, len): what k_msgq copies per message. */
export const MSG_BYTES = 12;
/** k_msgq copies from private RAM to private RAM: no store of theirs is a bus access of the model's, so none is taken off. */
const PRIVATE_COPY = { sharedAccesses: 0 } as const;
