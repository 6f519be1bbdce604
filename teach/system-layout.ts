// The layout and trace header of a platform with an rpmsg-lite configuration, built in
// process (the platform's SoC is built, no firmware runs): what `layout`, `shmem` and
// `explain` name addresses with when they have a scenario or platform options at hand.

import { buildRpmsgSystem, type RpmsgSystem, type RpmsgSystemOptions } from '../platforms/system';
import { traceHeaderOf } from '../scenario-engine/trace-header';
import type { Scenario } from '../scenario-engine/types';
import { type TraceHeader, canonicalHeader } from '../sim/trace/header';
import { type TeachLayout, layoutFromConfig } from './fields';

export interface SystemLayout {
  layout: TeachLayout;
  header: TraceHeader;
}

/** The layout of a built system (its configuration as master init uses it) and its trace header. */
export function layoutOfSystem(sys: RpmsgSystem, scenarioName: string): SystemLayout {
  const header = canonicalHeader(traceHeaderOf(sys, scenarioName));
  const shm = { base: sys.sharedMemory.base, size: sys.sharedMemory.length };
  return { layout: layoutFromConfig(shm, sys.config, header.mailboxes), header };
}

/** A platform by name with platform overrides and rpmsg-lite settings (ConfigError when they do not fit). */
export function layoutOfPlatform(platform: string, options: Pick<RpmsgSystemOptions, 'overrides' | 'config'> = {}): SystemLayout {
  return layoutOfSystem(buildRpmsgSystem(platform, options), platform);
}

/** The platform, overrides and rpmsg settings of a loaded scenario. */
export function layoutOfScenario(scenario: Scenario): SystemLayout {
  const sys = buildRpmsgSystem(scenario.platform, { overrides: scenario.overrides, config: scenario.rpmsg });
  return layoutOfSystem(sys, scenario.name);
}
