// FreeRTOS event_groups.c: 24 event bits tasks wait on (any or all), set from tasks or, through
// the timer service task, from ISRs.

import type { Firmware } from '../../sim/hw/core';
import { FirmwareError } from '../../sim/kernel';
import { WaitList } from './list';
import type { EventWait, Rtos } from './tasks';

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
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCall'));
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
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCall'));
    if (this.setBitsNow(mask)) yield* rtos.yieldWithinApi();
    return this.bits;
  }

  /** xEventGroupClearBits: the bits before clearing. */
  *clearBits(mask: number): Firmware<number> {
    const rtos = this.rtos;
    rtos.requireTask('xEventGroupClearBits');
    this.checkMask(mask);
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCall'));
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
    yield* this.rtos.core.run(this.rtos.costs.charge('rtos.apiCallFromIsr'));
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
      throw new FirmwareError(`event group "${this.name}": bits 0x${mask.toString(16)} outside the 24 usable bits`);
    }
  }
}

function satisfies(bits: number, wait: EventWait): boolean {
  return wait.waitAll ? (bits & wait.mask) === wait.mask : (bits & wait.mask) !== 0;
}

