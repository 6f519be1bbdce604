// Ticks and cycles: two kinds of integer count that must never be mixed.
//
// Global simulated time is an integer number of ticks held in a JS number, exact up to
// 2^53. A cycle count belongs to one clock domain and becomes ticks only through that
// domain (see clock.ts). The brands below make the type checker refuse `ticks + cycles`
// without a conversion; at run time both are plain numbers, so they cost nothing.

declare const ticksBrand: unique symbol;
declare const cyclesBrand: unique symbol;

/** A point in, or a span of, global simulated time, in ticks (the platform's tick). */
export type Ticks = number & { readonly [ticksBrand]: true };

/** A number of cycles of one clock domain. Convert with `ClockDomain.toTicks`. */
export type Cycles = number & { readonly [cyclesBrand]: true };

/** Largest tick value the kernel accepts: beyond it a JS number no longer holds every integer. */
export const MAX_TICKS = Number.MAX_SAFE_INTEGER as Ticks;

/** Marks an integer as a tick count (no conversion: the caller states the unit). */
export function ticks(n: number): Ticks {
  return n as Ticks;
}

/** Marks an integer as a cycle count (no conversion: the caller states the unit). */
export function cycles(n: number): Cycles {
  return n as Cycles;
}

/** Zero ticks: `yield ZERO_TICKS` lets every other runnable at this time go first. */
export const ZERO_TICKS = 0 as Ticks;
