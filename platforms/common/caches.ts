// The LMEM caches of NXP's Cortex-M4 cores (i.MX RT1170 CM4, i.MX 8M Mini M4): a code-bus
// cache (modelled as the instruction cache) and a system-bus cache (the data cache), of one
// size, line and organisation each; the platform gives the figures with their sources, when
// the SDK turns each on, and the data cache's memory attributes.

import type { CacheDescription, CacheRegionDescription, Param } from '../description/types';

export interface LmemFigures {
  readonly sizeBytes: Param;
  readonly lineBytes: Param;
  readonly ways: Param;
  /** Where the organisation comes from (replacement is an assumption on top of it). */
  readonly organisation: string;
  readonly icacheEnabled: Param<boolean>;
  readonly dcacheEnabled: Param<boolean>;
  readonly dcacheRegions: CacheRegionDescription[];
}

export function lmemCaches(f: LmemFigures): CacheDescription[] {
  const replacement = { value: 'lru' as const, source: `${f.organisation}; Assumption: least recently used between the two ways` };
  const shape = { sizeBytes: f.sizeBytes, lineBytes: f.lineBytes, ways: f.ways, replacement };
  return [
    { kind: 'icache', ...shape, hitCycles: { value: 0, source: "Assumption: a fetch that hits costs nothing beyond the path's CPI" }, enabled: f.icacheEnabled },
    {
      kind: 'dcache',
      ...shape,
      hitCycles: { value: 1, source: 'Assumption: one cycle, a zero-wait-state access on the system bus' },
      enabled: f.dcacheEnabled,
      regions: f.dcacheRegions,
    },
  ];
}
