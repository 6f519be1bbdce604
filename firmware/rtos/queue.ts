// FreeRTOS queue.c, and the semaphores and mutexes semphr.h builds on it: objects tasks block
// on, with their FromISR variants. Each call charges the core's `rtos.apiCall` (or
// `rtos.apiCallFromIsr`) cycles before its bookkeeping.

import type { Firmware } from '../../sim/hw/core';
import { FirmwareError } from '../../sim/kernel';
import { WaitList } from './list';
import type { Rtos } from './tasks';

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
      throw new FirmwareError(`${kind} "${name}": count ${initialCount} of at most ${maxCount} is not valid`);
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
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCall'));
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
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCall'));
    if (this.available >= this.maxCount) return false;
    this.available++;
    if (rtos.wakeFirst(this.takers)) yield* rtos.yieldWithinApi();
    return true;
  }

  /** xSemaphoreGiveFromISR, then portYIELD_FROM_ISR when a task of higher priority woke. */
  *giveFromIsr(): Firmware<boolean> {
    const rtos = this.rtos;
    rtos.requireIsr('xSemaphoreGiveFromISR');
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCallFromIsr'));
    if (this.available >= this.maxCount) return false;
    this.available++;
    if (rtos.wakeFirst(this.takers)) rtos.pendContextSwitch();
    return true;
  }

  /** xSemaphoreTakeFromISR: never waits. */
  *takeFromIsr(): Firmware<boolean> {
    const rtos = this.rtos;
    rtos.requireIsr('xSemaphoreTakeFromISR');
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCallFromIsr'));
    if (this.available === 0) return false;
    this.available--;
    return true;
  }
}

/**
 * A queue of fixed capacity holding copies of its messages (xQueueSend copies the item's
 * bytes; here plain objects and arrays are copied one level deep, so a reference inside a
 * message stays a reference, as a pointer would; other values are stored as they are). A
 * woken receiver takes its message when it runs, as in FreeRTOS, so another task may take
 * it first and the receiver then waits again for what is left of its timeout. It has the
 * shape of rpmsg-lite's env queue (capacity, size) without knowing rpmsg-lite.
 */
export class RtosQueue<T> {
  private readonly items: T[] = [];
  private readonly senders = new WaitList();
  private readonly receivers = new WaitList();
  deleted = false;

  constructor(
    private readonly rtos: Rtos,
    readonly name: string,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new FirmwareError(`queue "${name}": capacity ${capacity} must be a whole number of 1 or more`);
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
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCall'));
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
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCall'));
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
    yield* this.rtos.core.run(this.rtos.costs.charge('rtos.apiCallFromIsr'));
    return this.sendFromIsrNow(message);
  }

  /** xQueueReceiveFromISR (+ portYIELD_FROM_ISR): never waits. */
  *receiveFromIsr(): Firmware<T | null> {
    const rtos = this.rtos;
    rtos.requireIsr('xQueueReceiveFromISR');
    this.checkLive();
    yield* rtos.core.run(rtos.costs.charge('rtos.apiCallFromIsr'));
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
    if (this.deleted) throw new FirmwareError(`queue "${this.name}" used after vQueueDelete`);
  }
}

/** A queue's copy of a message: arrays and plain objects one level deep (pointers inside stay pointers). */
export function copyMessage<T>(message: T): T {
  if (Array.isArray(message)) return [...message] as T;
  if (message !== null && typeof message === 'object' && Object.getPrototypeOf(message) === Object.prototype) return { ...message };
  return message;
}

