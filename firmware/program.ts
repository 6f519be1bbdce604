// The contract between firmware and the platform it runs on: what a program gets from the
// platform (its core, the rpmsg-lite platform port and environment of that core, the core's
// cost table, the rpmsg-lite configuration and where the shared memory sits), and what a
// program is.
// Apps, the steps interpreter and users' modules are written against this file alone;
// platforms/system.ts builds these contexts for a particular SoC.

import type { Kernel } from '../sim/kernel';
import type { Core, CoreOp } from '../sim/hw/core';
import type { CoreCosts } from './costs/table';
import type { RlEnv } from './rpmsg-lite/rpmsg-env';
import type { RlPlatformPort } from './rpmsg-lite/rpmsg-platform';
import type { RlConfig } from './rpmsg-lite/virtio-ring';

/** The rpmsg-lite roles, the master first (the order in which cores, reports and lists name them). */
export const ROLES = ['master', 'remote'] as const;

/** The rpmsg-lite role of a core's firmware. */
export type Role = (typeof ROLES)[number];

export function isRole(name: string): name is Role {
  return ROLES.some((role) => role === name);
}

/** What the platform provides on one core: the core, its rpmsg-lite platform port and environment, and the one cost table all of them charge. */
export interface CoreSystem {
  core: Core;
  port: RlPlatformPort;
  env: RlEnv;
  costs: CoreCosts;
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
}

export type Program = (ctx: ProgramContext) => Generator<CoreOp, unknown, unknown>;

