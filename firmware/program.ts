// The contract between firmware and the platform it runs on: what a program gets from the
// platform (its core, the rpmsg-lite platform port and environment of that core, the core's
// cost table, the rpmsg-lite configuration and where the shared memory sits), and what a
// program is.
// Apps, the steps interpreter and users' modules are written against this file alone;
// platforms/system.ts builds these contexts for a particular SoC.

import type { Kernel } from '../sim/kernel';
import type { CoreOp, Firmware } from '../sim/hw/core';
import { ROLES, type Role, isRole } from './rpmsg-lite/constants';
import type { CoreSystem } from './rpmsg-lite/rpmsg-lite';
import type { RlConfig } from './rpmsg-lite/virtio-ring';

export { ROLES, isRole };
export type { CoreSystem, Role };

/**
 * The GPIO pins a program raises and lowers around what it measures, as on the bench with a
 * logic analyser. Each core has its own measuring pin (the platform's `gpio.pins`), named
 * after the core; it may drive another core's pin too when it maps that pin's block.
 */
export interface Pins {
  /** The name of this core's own measuring pin. */
  readonly own: string;
  /** Every pin this core can drive, its own first. */
  readonly names: readonly string[];
  /**
   * Drives the pin high or low with the SDK's GPIO_PortSet / GPIO_PortClear for its block
   * (DR_SET/DR_CLEAR on the i.MX RT, SET/CLR on the LPC, a read-modify-write of DR on the
   * i.MX 8M): their instructions charged, then the register access(es) on the bus; the pin
   * changes when the write reaches the block.
   */
  set(name: string, high: boolean): Firmware<void>;
}

/**
 * What a firmware program gets: its core, environment, port and cost table, and the
 * rpmsg-lite setup. It is the RlInitOptions RpmsgLite.masterInit / remoteInit take, so a
 * program passes `ctx` itself.
 */
export interface ProgramContext extends CoreSystem {
  role: Role;
  config: RlConfig;
  sharedMemory: { base: number; length: number };
  linkId: number;
  kernel: Kernel;
  pins: Pins;
}

export type Program = (ctx: ProgramContext) => Generator<CoreOp, unknown, unknown>;

