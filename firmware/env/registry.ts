// The environments a core's firmware can run on, by the name a scenario gives them
// (`environment: rtos`), as rpmsg-lite has one rpmsg_env_*.c per environment. Each entry
// (environment.ts) says how the environment is made for a core, how a program is started
// on it and what it reports when a run ends idle. Adding an environment is its file(s),
// whose env class has `kind` = its name here, plus one line below.

import { FirmwareError } from '../../sim/kernel';
import type { RlEnv } from '../rpmsg-lite/rpmsg-env';
import type { Environment } from './environment';
import { bareMetalEnvironment } from './rpmsg-env-bm';
import { freertosEnvironment } from './rpmsg-env-freertos';
import { zephyrEnvironment } from './rpmsg-env-zephyr';

/** In the order scenarios/schema.json and error messages list them. */
export const ENVIRONMENTS = {
  'bare-metal': bareMetalEnvironment,
  rtos: freertosEnvironment,
  zephyr: zephyrEnvironment,
} satisfies Record<string, Environment>;

export type EnvironmentName = keyof typeof ENVIRONMENTS;

export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = namesOf(ENVIRONMENTS);

/** What a core runs on when nothing says otherwise. */
export const DEFAULT_ENVIRONMENT: EnvironmentName = 'bare-metal';

export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.hasOwn(ENVIRONMENTS, name);
}

export function environmentNamed(name: EnvironmentName): Environment {
  return ENVIRONMENTS[name];
}

/** The entry of an environment, found by its `kind` (it may come from a custom env factory). */
export function environmentOf(env: RlEnv): Environment {
  // RlEnv.kind is typed, but an env written in JavaScript can say anything.
  if (!isEnvironmentName(env.kind)) {
    throw new FirmwareError(`the environment of ${env.core.name} has kind "${String(env.kind)}"; the environments are ${ENVIRONMENT_NAMES.join(', ')}`);
  }
  return ENVIRONMENTS[env.kind];
}

function namesOf<K extends string>(record: Record<K, unknown>): K[] {
  const names: K[] = [];
  for (const name in record) names.push(name);
  return names;
}
