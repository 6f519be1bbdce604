// One SoC as the registry holds it: its hardware description (data, each number with its
// source) and the rpmsg-lite platform port its firmware uses on either core. Each
// platforms/<soc>/index.ts exports one of these.

import type { RlPlatformPort } from '../../firmware/rpmsg-lite/rpmsg-platform';
import type { PlatformDescription } from '../description/types';
import type { PortSetup } from './cortex-m-port';

export interface PlatformEntry {
  readonly hardware: PlatformDescription;
  /** The port of one core (rpmsg_platform.c built for that core). */
  createPort(setup: PortSetup): RlPlatformPort;
  /**
   * Other variants of the port, by the name an environment asks for (its `platformPort`):
   * `zephyr-ipm` is rpmsg_platform_zephyr_ipm.c. A platform without the variant has no such port.
   */
  readonly ports?: Readonly<Record<string, (setup: PortSetup) => RlPlatformPort>>;
}
