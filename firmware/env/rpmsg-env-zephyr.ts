// rpmsg_env_zephyr.c (nxp-mcuxpresso/rpmsg-lite lib/rpmsg_lite/porting/environment): the
// rpmsg-lite environment over the Zephyr kernel objects of firmware/rtos/zephyr-kernel.ts,
// function by function:
//   env_init / env_deinit   reference counted; the first k_sem_init(env_sema, 0, 1), k_event_init,
//                           platform_init, then k_sem_give(env_sema); later callers take and give
//                           env_sema (k_sched_lock around the counter: not modelled)
//   env_lock/unlock_mutex   k_sem_take(K_FOREVER) / k_sem_give of a k_sem made with count 1,
//                           limit 10 (env_create_mutex); skipped in an ISR (env_in_isr = k_is_in_isr)
//   env_sleep_msec          k_sleep(K_MSEC(ms))
//   env_wait_for_link_up    true at once if link_state is 1; else k_event_wait_all(env_event,
//                           1 << link_id, reset false, K_MSEC(timeout)), timeout 0 in an ISR. No
//                           clearing of the bit first (unlike the FreeRTOS env), and another
//                           link's bit does not matter
//   env_tx_callback         k_event_post(env_event, 1 << link_id)
//   env_create/put/get_queue  k_msgq of rpmsg_queue_rx_cb_data_t (12 bytes); put and get use
//                           K_MSEC(timeout), forced to 0 in an ISR; env_get_current_queue_size is
//                           k_msgq_num_used_get; env_delete_queue k_msgq_purge
// The instance lock rpmsg_lite_*_init makes with env_create_mutex(&lock, 1) is made here at the
// first env_init (the model's RlEnv has that one lock). RL_BLOCK (0xFFFFFFFF ms) as a timeout
// is K_MSEC(0xFFFFFFFF) in the C, a finite ~49.7 days; here it waits forever.
//
// main() runs as Zephyr's main thread (priority 0); the platform port is the Zephyr IPM one
// (platforms/common/zephyr-ipm-port.ts), which gets this env's kernel.

import type { Core, Firmware } from '../../sim/hw/core';
import { ConfigError, FirmwareError } from '../../sim/kernel';
import type { CoreCosts } from '../costs/table';
import type { RlPlatformPort } from '../rpmsg-lite/rpmsg-platform';
import { type EnvQueue, RL_BLOCK, type RlEnv } from '../rpmsg-lite/rpmsg-env';
import { K_FOREVER, K_MSEC, K_NO_WAIT, ZEPHYR_MAIN_PRIORITY, type ZTimeout, type ZephyrEvent, ZephyrKernel, ZephyrMsgq, type ZephyrSem } from '../rtos';
import { type Environment, defineEnvironment } from './environment';

/** RL_ENV_MAX_MUTEX_COUNT: the limit of env_create_mutex's k_sem. */
export const RL_ENV_MAX_MUTEX_COUNT = 10;

/** A platform port written for Zephyr (rpmsg_platform_zephyr_ipm.c): it runs on the env's kernel. */
export interface ZephyrPlatformPort extends RlPlatformPort {
  readonly zephyr: true;
  attachKernel(kernel: ZephyrKernel): void;
}

function isZephyrPort(port: RlPlatformPort): port is ZephyrPlatformPort {
  return (port as Partial<ZephyrPlatformPort>).zephyr === true;
}

export class ZephyrEnv implements RlEnv {
  readonly kind = 'zephyr';
  readonly core: Core;
  private initCount = 0;
  private envSema: ZephyrSem | null = null;
  private envEvent: ZephyrEvent | null = null;
  private instanceLock: ZephyrSem | null = null;
  private queueCount = 0;

  constructor(
    readonly kernel: ZephyrKernel,
    private readonly platform: Pick<RlPlatformPort, 'init' | 'deinit'> | null = null,
  ) {
    this.core = kernel.core;
  }

  /** The bits of env_event (for tests and reports). */
  get linkBits(): number {
    return this.envEvent?.events ?? 0;
  }

  *init(): Firmware<void> {
    const k = this.kernel;
    this.initCount++;
    if (this.initCount === 1) {
      // k_sem_init(&env_sema, 0, 1), k_event_init(&env_event), the instance lock.
      yield* k.charge('objectInit', 3);
      this.envSema = k.createSem('env_sema', 0, 1);
      this.envEvent = k.createEvent('env_event');
      this.instanceLock = k.createSem('rpmsg_lite_lock', 1, RL_ENV_MAX_MUTEX_COUNT);
      if (this.platform !== null) yield* this.platform.init();
      yield* this.envSema.give();
      return;
    }
    yield* this.envSema!.take(K_FOREVER);
    yield* this.envSema!.give();
  }

  *deinit(): Firmware<void> {
    if (this.initCount === 0) throw new FirmwareError(`env_deinit on ${this.core.name} without env_init`);
    this.initCount--;
    if (this.initCount > 0) return;
    if (this.platform !== null) yield* this.platform.deinit();
    yield* this.envSema!.reset();
    this.envSema = null;
    this.envEvent = null;
    this.instanceLock = null;
  }

  *lockMutex(): Firmware<void> {
    yield* this.kernel.charge('envWrapper');
    if (this.inIsr()) return;
    yield* this.lock('env_lock_mutex').take(K_FOREVER);
  }

  *unlockMutex(): Firmware<void> {
    yield* this.kernel.charge('envWrapper');
    if (this.inIsr()) return;
    yield* this.lock('env_unlock_mutex').give();
  }

  *sleepMsec(ms: number): Firmware<void> {
    yield* this.kernel.sleep(K_MSEC(ms));
  }

  inIsr(): boolean {
    return this.kernel.inIsr();
  }

  *waitForLinkUp(isUp: () => boolean, linkId: number, timeoutMs: number): Firmware<boolean> {
    if (isUp()) return true;
    const timeout = this.inIsr() ? K_NO_WAIT : this.timeout(timeoutMs);
    return (yield* this.events('env_wait_for_link_up').waitAll(linkBit(linkId), timeout)) !== 0;
  }

  txCallback(linkId: number): void {
    // Synchronous in RlEnv, so k_event_post's cycles are not charged (as the RTOS env's
    // tx callback); a switch it makes due happens at z_arm_int_exit (in an ISR) or at the
    // caller's next operation boundary (in a thread).
    const due = this.events('env_tx_callback').postNow(linkBit(linkId));
    if (due && !this.inIsr()) this.kernel.rtos.pendContextSwitch();
  }

  createQueue<T>(length: number): EnvQueue<T> | null {
    // k_malloc of the k_msgq and its buffer, k_msgq_init (not charged, as in the RTOS env).
    return this.kernel.createMsgq<T>(`env-queue-${++this.queueCount}`, length);
  }

  deleteQueue<T>(queue: EnvQueue<T>): void {
    asMsgq(queue).purge();
  }

  *putQueue<T>(queue: EnvQueue<T>, message: T, timeoutMs: number): Firmware<boolean> {
    const timeout = this.inIsr() ? K_NO_WAIT : this.timeout(timeoutMs);
    return (yield* asMsgq(queue).put(message, timeout)) === 0;
  }

  *getQueue<T>(queue: EnvQueue<T>, timeoutMs: number): Firmware<T | null> {
    const timeout = this.inIsr() ? K_NO_WAIT : this.timeout(timeoutMs);
    return yield* asMsgq<T>(queue).get(timeout);
  }

  queueSize<T>(queue: EnvQueue<T>): number {
    return asMsgq(queue).size;
  }

  /** K_MSEC(timeout_ms); RL_BLOCK waits forever (see the header). */
  timeout(timeoutMs: number): ZTimeout {
    return timeoutMs === RL_BLOCK ? K_FOREVER : K_MSEC(timeoutMs);
  }

  private events(what: string): ZephyrEvent {
    if (this.envEvent === null) throw new FirmwareError(`${what} on ${this.core.name} before env_init`);
    return this.envEvent;
  }

  private lock(what: string): ZephyrSem {
    if (this.instanceLock === null) throw new FirmwareError(`${what} on ${this.core.name} before env_init`);
    return this.instanceLock;
  }
}

function linkBit(linkId: number): number {
  if (!Number.isInteger(linkId) || linkId < 0 || linkId > 31) throw new FirmwareError(`link id ${linkId}: k_event has bits 0..31`);
  return (1 << linkId) >>> 0;
}

function asMsgq<T>(queue: EnvQueue<T>): ZephyrMsgq<T> {
  if (!(queue instanceof ZephyrMsgq)) throw new FirmwareError('not a queue of the Zephyr environment');
  return queue as ZephyrMsgq<T>;
}

/** Makes the env of a core on its own kernel; the port must be a Zephyr one. */
export function createZephyrEnv(core: Core, port: RlPlatformPort, costs: CoreCosts): ZephyrEnv {
  if (!isZephyrPort(port)) {
    throw new ConfigError(`environment zephyr on ${core.name}: the platform port "${port.name}" is not a Zephyr IPM port (rpmsg_platform_zephyr_ipm.c)`);
  }
  const kernel = new ZephyrKernel(core, costs);
  port.attachKernel(kernel);
  return new ZephyrEnv(kernel, port);
}

/**
 * The registry entry (registry.ts). The platform's Zephyr IPM port (`zephyr-ipm`), the core's
 * kernel (ZephyrKernel); main() runs as the main thread `<role>-main` at priority 0 after the
 * kernel starts; a run that ends idle reports the blocked threads.
 */
export const zephyrEnvironment: Environment = defineEnvironment({
  is: (env: RlEnv): env is ZephyrEnv => env instanceof ZephyrEnv,
  create: createZephyrEnv,
  queues: true,
  platformPort: 'zephyr-ipm',
  start: (env, role, program) => {
    env.kernel.createThread(`${role}-main`, ZEPHYR_MAIN_PRIORITY, program);
    env.core.start(env.kernel.start());
  },
  idleReport: (env) => env.kernel.rtos.describeBlocked(),
  waitReport: (env) => env.kernel.rtos.describeTasks(),
});
