// The registry of platforms: explicit, so type checking and bundling see every one (no
// directory scanning). A new SoC is a new folder here (hardware.ts, port.ts, index.ts) plus
// one line in ENTRIES; its name is the one its hardware description gives. Every look-up
// of a platform by name goes through `platformEntry`, the one place an unknown name is refused.

import { ConfigError } from '../sim/kernel';
import type { PlatformEntry } from './common/entry';
import { type PlatformOverrides, type ResolvedPlatform, describeResolvedPlatform, resolvePlatform } from './description/load';
import { imx8mm } from './imx8mm';
import { imxrt1170 } from './imxrt1170';
import { lpc54114 } from './lpc54114';
import { lpc55s69 } from './lpc55s69';

const ENTRIES: readonly PlatformEntry[] = [imxrt1170, lpc55s69, imx8mm, lpc54114];

/** Every platform by name, in registry order. */
export const PLATFORMS: Readonly<Record<string, PlatformEntry>> = Object.fromEntries(ENTRIES.map((e) => [e.hardware.name, e]));

export const DEFAULT_PLATFORM = 'imxrt1170';

/** Platform names, in registry order. */
export function listPlatforms(): string[] {
  return Object.keys(PLATFORMS);
}

/** The registry entry of platform `name`; a `ConfigError` naming the known ones otherwise. */
export function platformEntry(name: string): PlatformEntry {
  const entry = Object.hasOwn(PLATFORMS, name) ? PLATFORMS[name] : undefined;
  if (entry === undefined) throw new ConfigError(`unknown platform "${name}"; known platforms: ${listPlatforms().join(', ')}`);
  return entry;
}

/** The platform `name` with `overrides` applied, validated; throws a `ConfigError` otherwise. */
export function loadPlatform(name: string, overrides: PlatformOverrides = {}): ResolvedPlatform {
  return resolvePlatform(platformEntry(name).hardware, overrides);
}

/** A multi-line description of platform `name`: every value with its source and override path. */
export function describePlatform(name: string, overrides: PlatformOverrides = {}): string {
  return describeResolvedPlatform(loadPlatform(name, overrides));
}
