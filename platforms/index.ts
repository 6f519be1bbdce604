// The registry of platforms: explicit, so type checking and bundling see every one (no
// directory scanning). A new SoC is a new folder here plus one line in PLATFORMS.

import type { PlatformDescription } from '../sim/hw/platform';
import { createPlatformCatalog } from '../sim/hw/platform-load';
import { imx8mm } from './imx8mm/hardware';
import { imxrt1170 } from './imxrt1170/hardware';
import { lpc54114 } from './lpc54114/hardware';
import { lpc55s69 } from './lpc55s69/hardware';
import type { RlPlatformPort } from '../firmware/rpmsg-lite/platform';
import type { PortSetup } from './common/cortex-m-port';
import { createPort as imx8mmPort } from './imx8mm/port';
import { createPort as imxrt1170Port } from './imxrt1170/port';
import { createPort as lpc54114Port } from './lpc54114/port';
import { createPort as lpc55s69Port } from './lpc55s69/port';

export const PLATFORMS: Record<string, PlatformDescription> = {
  imxrt1170,
  lpc55s69,
  imx8mm,
  lpc54114,
};

export const DEFAULT_PLATFORM = 'imxrt1170';

/** `loadPlatform(name, overrides?)`, `listPlatforms()`, `describePlatform(name)` over PLATFORMS. */
export const { loadPlatform, listPlatforms, describePlatform } = createPlatformCatalog(PLATFORMS);

/** The rpmsg-lite platform port of each platform, for one core. */
export const PORTS: Record<string, (setup: PortSetup) => RlPlatformPort> = {
  imxrt1170: imxrt1170Port,
  lpc55s69: lpc55s69Port,
  imx8mm: imx8mmPort,
  lpc54114: lpc54114Port,
};
