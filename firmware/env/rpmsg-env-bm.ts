// The bare-metal environment (rpmsg_env_bm.c): no-op locks, a busy-wait sleep that burns
// core cycles, a polled link wait, no queues (so rpmsg_queue cannot be used, issue #45).

import type { Core, Firmware, FirmwareStep } from '../../sim/hw/core';
import type { RlPlatformPort } from '../rpmsg-lite/rpmsg-platform';
import type { CoreCosts } from '../costs/table';
import { type EnvQueue, RL_BLOCK, type RlEnv } from '../rpmsg-lite/rpmsg-env';
import { type Environment, defineEnvironment } from './environment';

export class BareMetalEnv implements RlEnv {
  readonly kind = 'bare-metal';
  private initCount = 0;

  constructor(
    readonly core: Core,
    private readonly port: RlPlatformPort,
    /** The core's cost table (its `env.*` entries). */
    readonly costs: CoreCosts,
  ) {}

  /** env_init: reference counted; the first calls platform_init. */
  *init(): Firmware<void> {
    if (this.initCount++ === 0) yield* this.port.init();
  }

  /** env_deinit: the last calls platform_deinit. */
  *deinit(): Firmware<void> {
    if (this.initCount > 0 && --this.initCount === 0) yield* this.port.deinit();
  }

  /** Lock and unlock are no-ops: the call alone. */
  lockMutex(): FirmwareStep<void> {
    return this.core.run(this.costs.charge('env.lockMutex'));
  }

  unlockMutex(): FirmwareStep<void> {
    return this.core.run(this.costs.charge('env.unlockMutex'));
  }

  /**
   * platform_time_delay: a NOP loop of SystemCoreClock/3/1000 × ms iterations of
   * `env.delayLoopIteration` cycles each (the rpmsg-lite Cortex-M ports), i.e. ms milliseconds.
   */
  *sleepMsec(ms: number): Firmware<void> {
    yield* this.core.run(this.costs.charge('env.delayLoopIteration', Math.floor(this.core.clock.hz / 3 / 1000) * ms));
  }

  inIsr(): boolean {
    return this.core.inHandler;
  }

  /**
   * env_wait_for_link_up (BM): sleep RL_MS_PER_INTERVAL (1 ms) until up; unless the timeout is
   * RL_BLOCK, count the turns and give up once the count reaches the timeout — so 0 and 1
   * still sleep once and 5 sleeps five times (docs/sources.md "Link-up"). A link that came up during
   * the last sleep still reports the timeout, as the C loop does.
   */
  *waitForLinkUp(isUp: () => boolean, _linkId: number, timeoutMs: number): Firmware<boolean> {
    let tick = 0;
    while (!isUp()) {
      yield* this.sleepMsec(1);
      if (timeoutMs !== RL_BLOCK) {
        tick = (tick + 1) >>> 0;
        if (tick === 0 || tick >= timeoutMs) return false;
      }
    }
    return true;
  }

  /** env_tx_callback is empty on bare metal. */
  txCallback(): void {}

  createQueue<T>(): EnvQueue<T> | null {
    return null;
  }
  deleteQueue(): void {}
  *putQueue(): Firmware<boolean> {
    return false;
  }
  *getQueue<T>(): Firmware<T | null> {
    return null;
  }
  queueSize(): number {
    return 0;
  }
}

/**
 * The registry entry (registry.ts): main() calls the program on the core, which then idles
 * in WFI when it returns; nothing to report when the run ends idle. Any RlEnv can run so.
 */
export const bareMetalEnvironment: Environment = defineEnvironment({
  is: (_env: RlEnv): _env is RlEnv => true,
  create: (core, port, costs) => new BareMetalEnv(core, port, costs),
  queues: false,
  start: (env, _role, program) => {
    env.core.start(program);
  },
  idleReport: () => [],
});
