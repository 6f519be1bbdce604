// The registry of platforms: explicit, so type checking and bundling see every one (no
// directory scanning). A new SoC is a new folder here (hardware.ts, port.ts, index.ts) plus
// one line in ENTRIES; its name is the one its hardware description gives.

import { ConfigError } from '../sim/kernel';
import type { PlatformEntry } from './common/entry';
import { createPlatformCatalog } from './description/load';
import { imx8mm } from './imx8mm';
import { imxrt1170 } from './imxrt1170';
import { lpc54114 } from './lpc54114';
import { lpc55s69 } from './lpc55s69';

const ENTRIES: readonly PlatformEntry[] = [imxrt1170, lpc55s69, imx8mm, lpc54114];

/** Every platform by name, in registry order. */
export const PLATFORMS: Readonly<Record<string, PlatformEntry>> = Object.fromEntries(ENTRIES.map((e) => [e.hardware.name, e]));

export const DEFAULT_PLATFORM = 'imxrt1170';

/** `loadPlatform(name, overrides?)`, `listPlatforms()`, `describePlatform(name)` over PLATFORMS. */
export const { loadPlatform, listPlatforms, describePlatform } = createPlatformCatalog(
  Object.fromEntries(ENTRIES.map((e) => [e.hardware.name, e.hardware])),
);

/** The registry entry of platform `name`; a `ConfigError` naming the known ones otherwise. */
export function platformEntry(name: string): PlatformEntry {
  const entry = Object.hasOwn(PLATFORMS, name) ? PLATFORMS[name] : undefined;
  if (entry === undefined) throw new ConfigError(`unknown platform "${name}"; known platforms: ${listPlatforms().join(', ')}`);
  return entry;
}
