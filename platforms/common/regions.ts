// Shorthands for the code/data regions of platform descriptions (types.ts
// PlacementRegionDescription): a tightly-coupled memory, which has no line store and costs
// nothing beyond the zero-wait pipeline, and a zero-wait on-chip SRAM fetched directly. The
// line-store fields of such regions are unused; their sources say so.

import type { Param, PlacementRegionDescription } from '../description/types';

const unused = (what: string): Param => ({ value: 0, source: `not used: ${what} has no line store (code is fetched directly)` });

/** A region fetched directly at zero wait states, with no data stalls (a TCM, or single-cycle SRAM on the core's clock). */
export function zeroWaitRegion(kind: 'tcm' | 'sram', base: Param, size: Param, timing: string): PlacementRegionDescription {
  return {
    kind,
    base,
    size,
    fetch: { value: 'direct', source: timing },
    lineBytes: unused(kind),
    lines: unused(kind),
    ways: unused(kind),
    prefetch: { value: 'off', source: `not used: ${kind} has no line store` },
    refillCycles: unused(kind),
    loadStallCycles: { value: 0, source: timing },
    storeStallCycles: { value: 0, source: timing },
  };
}

/** The line-store fields of a region fetched through the core's instruction cache: its geometry is the cache's (`caches`, kind icache). */
export const ICACHE_LINE_STORE: Param = { value: 0, source: "not used: the region's code is fetched through the core's instruction cache (its caches entry of kind icache)" };
