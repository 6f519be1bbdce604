// The environment layer rpmsg-lite calls (rpmsg_env.h), as the firmware model sees it.
// Three implementations, as rpmsg-lite has: bare metal (firmware/env/rpmsg-env-bm.ts: no-op
// locks, busy-wait sleep, polled link wait, no queues), FreeRTOS
// (firmware/env/rpmsg-env-freertos.ts, over the RTOS model of firmware/rtos) and Zephyr
// (firmware/env/rpmsg-env-zephyr.ts, over firmware/rtos/zephyr-kernel.ts). Everything that
// takes time is a generator of core operations.

import type { Core, Firmware, FirmwareStep } from '../../sim/hw/core';

/** A message queue of the environment (env_create_queue). */
export interface EnvQueue<T> {
  readonly capacity: number;
  /** Messages waiting. */
  readonly size: number;
}

/** RL_BLOCK: wait forever (0xFFFFFFFF ms on a 32-bit target). */
export const RL_BLOCK = 0xffffffff;

export interface RlEnv {
  /** Its name in the environment registry (firmware/env/registry.ts), whose entry starts programs on it. */
  readonly kind: string;
  /** The core the firmware runs on. */
  readonly core: Core;

  /** env_init / env_deinit (reference counted). */
  init(): Firmware<void>;
  deinit(): Firmware<void>;

  /** env_lock_mutex / env_unlock_mutex of the instance lock (skipped in an ISR by the RTOS env). */
  lockMutex(): FirmwareStep<void>;
  unlockMutex(): FirmwareStep<void>;

  /** env_sleep_msec: bare metal burns the cycles; the RTOS delays the task. */
  sleepMsec(ms: number): Firmware<void>;

  /** platform_in_isr / the env's ISR detection. */
  inIsr(): boolean;

  /**
   * env_wait_for_link_up: true once `isUp()` holds, false on timeout (ms; RL_BLOCK waits
   * forever). Bare metal polls with sleepMsec; the RTOS waits on an event-group bit.
   */
  waitForLinkUp(isUp: () => boolean, linkId: number, timeoutMs: number): Firmware<boolean>;

  /** env_tx_callback: called (in the ISR) when the link comes up. */
  txCallback(linkId: number): void;

  /** env_create_queue: null where the environment has none (bare metal). */
  createQueue<T>(length: number): EnvQueue<T> | null;
  /** env_delete_queue. */
  deleteQueue<T>(queue: EnvQueue<T>): void;
  /** env_put_queue: true if the message went in (timeout in ms; 0 = do not wait; FromISR in an ISR). */
  putQueue<T>(queue: EnvQueue<T>, message: T, timeoutMs: number): Firmware<boolean>;
  /** env_get_queue: the message, or null on timeout / empty with timeout 0. */
  getQueue<T>(queue: EnvQueue<T>, timeoutMs: number): Firmware<T | null>;
  /** env_get_current_queue_size. */
  queueSize<T>(queue: EnvQueue<T>): number;
}
