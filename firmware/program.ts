// The contract between firmware and the platform it runs on: what a program gets from the
// platform (its core, the rpmsg-lite platform port and environment of that core, the core's
// cost table, the rpmsg-lite configuration and where the shared memory sits), and what a
// program is.
// Apps, the steps interpreter and users' modules are written against this file alone;
// platforms/system.ts builds these contexts for a particular SoC.

import type { Kernel } from '../sim/kernel';
import type { CoreOp } from '../sim/hw/core';
import { ROLES, type Role, isRole } from './rpmsg-lite/constants';
import type { CoreSystem } from './rpmsg-lite/rpmsg-lite';
import type { RlConfig } from './rpmsg-lite/virtio-ring';

export { ROLES, isRole };
export type { CoreSystem, Role };

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
}

export type Program = (ctx: ProgramContext) => Generator<CoreOp, unknown, unknown>;

