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

/**
 * On-chip flash read through the LPC flash controller's accelerator: 128-bit lines in two
 * buffers with next-line prefetch (the LPC5411x FLASHCFG and LPC55S6x FMCCR fields FETCHCFG
 * and PREFEN; the number of buffers is not published: an assumption), refilled in the flash
 * access time the SDK's clock code sets (`accessClocks`, system clocks = core cycles).
 */
export function lpcFlashRegion(base: Param, size: Param, accessClocks: Param, lineSource: string): PlacementRegionDescription {
  return {
    kind: 'flash',
    base,
    size,
    fetch: { value: 'buffer', source: 'the flash controller (FMC) reads the array through its flash accelerator line buffers' },
    lineBytes: { value: 16, source: lineSource },
    lines: { value: 2, source: 'Assumption: two 128-bit line buffers (FETCHCFG "all buffers"; their number was not found)' },
    ways: { value: 2, source: 'Assumption: the buffers are searched by address (fully associative)' },
    prefetch: { value: 'on', source: 'Assumption: PREFEN on ("the next flash line following the current execution address is prefetched"); the SDK leaves it at reset' },
    refillCycles: accessClocks,
    loadStallCycles: { value: 0, source: 'Assumption: no private data in flash (read-only)' },
    storeStallCycles: { value: 0, source: 'Assumption: no private data in flash' },
  };
}

/**
 * A region whose code is fetched through the core's instruction cache (its `caches` entry of
 * kind icache), lines refilled over the bus from the window's memory.
 */
export function cachedRegion(
  kind: 'sram' | 'xip' | 'ddr',
  base: Param,
  size: Param,
  fetchSource: string,
  refill: { prefetch: Param<string>; source: string },
  stalls: { load: Param; store: Param },
): PlacementRegionDescription {
  return {
    kind,
    base,
    size,
    fetch: { value: 'cache', source: fetchSource },
    lineBytes: ICACHE_LINE_STORE,
    lines: ICACHE_LINE_STORE,
    ways: ICACHE_LINE_STORE,
    prefetch: refill.prefetch,
    refillCycles: { value: 0, source: refill.source },
    loadStallCycles: stalls.load,
    storeStallCycles: stalls.store,
  };
}
