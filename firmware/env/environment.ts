// What an entry of the environment registry (registry.ts) says about one environment: how
// it is made for a core, how a program is started on it (its main()), and what it reports
// when a run ends with nothing left to do. Each environment's file declares its entry with
// `defineEnvironment`; the registry lists them by name.

import { FirmwareError } from '../../sim/kernel';
import type { Core, Firmware } from '../../sim/hw/core';
import type { CoreCosts } from '../costs/table';
import type { Role } from '../program';
import type { RlEnv } from '../rpmsg-lite/rpmsg-env';
import type { RlPlatformPort } from '../rpmsg-lite/rpmsg-platform';

export interface Environment {
  /** Makes the environment of a core: `port` is its rpmsg-lite platform port, `costs` its cost table. */
  create(core: Core, port: RlPlatformPort, costs: CoreCosts): RlEnv;
  /** Whether it has message queues (env_create_queue), which rpmsg_queue needs. */
  readonly queues: boolean;
  /** The platform port variant it needs (a key of a platform entry's `ports`); none: the platform's own port. */
  readonly platformPort?: string;
  /** Starts the program of the core's `role` on `env` (what main() does before it). */
  start(env: RlEnv, role: Role, program: Firmware<unknown>): void;
  /** What it reports when the run ends idle, one line each (e.g. the RTOS's blocked tasks). */
  idleReport(env: RlEnv): string[];
  /** What it reports when the watchdog or the tick limit ends the run (e.g. every RTOS task's state); default idleReport. */
  waitReport(env: RlEnv): string[];
}

/** An environment's entry, written against its own env class `E`. */
export interface EnvironmentSpec<E extends RlEnv> {
  /** Whether an env is of this environment's class (a custom env factory may make any RlEnv). */
  is(env: RlEnv): env is E;
  create(core: Core, port: RlPlatformPort, costs: CoreCosts): E;
  queues: boolean;
  platformPort?: string;
  start(env: E, role: Role, program: Firmware<unknown>): void;
  idleReport(env: E): string[];
  waitReport?(env: E): string[];
}

/** The entry of `spec`, taking any RlEnv: one whose class is not the environment's is firmware misuse. */
export function defineEnvironment<E extends RlEnv>(spec: EnvironmentSpec<E>): Environment {
  const own = (env: RlEnv): E => {
    if (!spec.is(env)) throw new FirmwareError(`the environment of ${env.core.name} says it is "${env.kind}" but is not of that environment's class`);
    return env;
  };
  return {
    create: (core, port, costs) => spec.create(core, port, costs),
    queues: spec.queues,
    ...(spec.platformPort !== undefined && { platformPort: spec.platformPort }),
    start: (env, role, program) => spec.start(own(env), role, program),
    idleReport: (env) => spec.idleReport(own(env)),
    waitReport: (env) => (spec.waitReport ?? spec.idleReport)(own(env)),
  };
}
