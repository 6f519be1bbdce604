// rpmsg_env_freertos.c: the rpmsg-lite environment (RlEnv) over the RTOS model of
// firmware/rtos (docs/sources.md "Link-up", "Environment layer"): the instance lock a counting semaphore, the link wait
// an event group, queues for rpmsg_queue.

import type { Core, Firmware } from '../../sim/hw/core';
import { FirmwareError } from '../../sim/kernel';
import type { RlPlatformPort } from '../rpmsg-lite/rpmsg-platform';
import { type EnvQueue, RL_BLOCK, type RlEnv } from '../rpmsg-lite/rpmsg-env';
import { IDLE_PRIORITY, Rtos, type RtosEventGroup, RtosQueue, type RtosSemaphore, WAIT_FOREVER } from '../rtos';
import { type Environment, defineEnvironment } from './environment';

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
      yield* this.core.run(rtos.costs.charge('rtos.objectCreate', 3));
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
    if (this.initCount === 0) throw new FirmwareError(`env_deinit on ${this.core.name} without env_init`);
    this.initCount--;
    if (this.initCount > 0) return;
    if (this.platform !== null) yield* this.platform.deinit();
    // vEventGroupDelete, vSemaphoreDelete (and the instance lock's env_delete_mutex).
    yield* this.core.run(rtos.costs.charge('rtos.apiCall', 3));
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
    if (q.waiting > 0) throw new FirmwareError(`env_delete_queue: queue "${q.name}" still has waiting tasks`);
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
    if (this.linkEvents === null) throw new FirmwareError(`${what} on ${this.core.name} before env_init`);
    return this.linkEvents;
  }

  private lock(what: string): RtosSemaphore {
    if (this.instanceLock === null) throw new FirmwareError(`${what} on ${this.core.name} before env_init`);
    return this.instanceLock;
  }
}

function linkBit(linkId: number): number {
  if (!Number.isInteger(linkId) || linkId < 0 || linkId > 23) throw new FirmwareError(`link id ${linkId}: the event group has bits 0..23`);
  return 1 << linkId;
}

function asRtosQueue<T>(queue: EnvQueue<T>): RtosQueue<T> {
  if (!(queue instanceof RtosQueue)) throw new FirmwareError('not a queue of the RTOS environment');
  return queue as RtosQueue<T>;
}

/** The SDK RTOS demos' application task priority (tskIDLE_PRIORITY + 1). */
const APP_TASK_PRIORITY = IDLE_PRIORITY + 1;

/**
 * The registry entry (registry.ts). The RTOS of a core has its tick and context switch on
 * the SysTick and PendSV system exceptions (no NVIC line taken). main() creates the application task `<role>-app` and starts the
 * scheduler, as the SDK's RTOS demos do. A run that ends idle reports the blocked tasks.
 */
export const freertosEnvironment: Environment = defineEnvironment({
  is: (env: RlEnv): env is RtosEnv => env instanceof RtosEnv,
  create: (core, port, costs) => new RtosEnv(new Rtos(core, { costs }), port),
  queues: true,
  start: (env, role, program) => {
    env.rtos.createTask(`${role}-app`, APP_TASK_PRIORITY, program);
    env.core.start(env.rtos.startScheduler());
  },
  idleReport: (env) => env.rtos.describeBlocked(),
  waitReport: (env) => env.rtos.describeTasks(),
});
