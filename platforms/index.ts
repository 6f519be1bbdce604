// The registry of platforms: explicit, so type checking and bundling see every one (no
// directory scanning). A new SoC is a new folder here plus one line in PLATFORMS.

import type { PlatformDescription } from '../sim/hw/platform';
import { createPlatformCatalog } from '../sim/hw/platform-load';
import { imx8mm } from './imx8mm/hardware';
import { imxrt1170 } from './imxrt1170/hardware';
import { lpc54114 } from './lpc54114/hardware';
import { lpc55s69 } from './lpc55s69/hardware';

export const PLATFORMS: Record<string, PlatformDescription> = {
  imxrt1170,
  lpc55s69,
  imx8mm,
  lpc54114,
};

export const DEFAULT_PLATFORM = 'imxrt1170';

/** `loadPlatform(name, overrides?)`, `listPlatforms()`, `describePlatform(name)` over PLATFORMS. */
export const { loadPlatform, listPlatforms, describePlatform } = createPlatformCatalog(PLATFORMS);
