// Instruction fetch: what it costs a core to bring in the code of a block of work, given
// where that code sits. Firmware charges a path as its instruction count × CPI (compute
// cycles, measured at zero wait states) *and* its code footprint: the address ranges of the
// functions the path runs (firmware/costs/footprint.ts lays them out as a linker would).
// The fetch unit walks the footprint's lines through the line store between the core and
// the code memory (an instruction cache, a flash accelerator's line buffers) and refills
// each missed line from the memory: over the core's bus (a burst read: the memory's clock,
// width, wait states and contention from the other core), or in a fixed number of core
// cycles (an accelerator beside the core with no bus of ours in between).
//
// What is exact and what is not (docs/timing-model.md says the same):
// - exact: which lines hit and miss, given the order paths run in; the refill traffic and
//   its timing on the bus; cache state carried from path to path (a second send hits).
// - approximation: a path fetches every line of every function on it once per run, in
//   layout order (a path may skip part of a function, and a loop re-fetches nothing once
//   its lines are in); the path's compute cycles spread evenly over its lines; with
//   prefetch, a missed line that follows the previous one is requested while the previous
//   one executes, so up to that line's share of compute is hidden under its refill.
// - zero-wait code memory (TCM) fetches for free: no line store, no stall.

import { type ClockDomain, type Kernel, type Wait, cycles } from '../kernel';
import type { BusMaster } from './bus';
import { CacheArray, type CacheGeometry, type LineGroup, type Replacement } from './cache';

/** One contiguous range of code. */
export interface CodeSpan {
  readonly address: number;
  readonly bytes: number;
}

/** The code a block of work runs: made once per path and reused (the fetch unit caches its lines). */
export interface CodeFootprint {
  readonly spans: readonly CodeSpan[];
}

/** How a missed line is refilled. */
export type Refill =
  /** A burst read of the line over the core's bus: the memory's timing and contention decide. */
  | { readonly kind: 'bus' }
  /** A fixed number of core cycles (flash behind an accelerator clocked with the core). */
  | { readonly kind: 'cycles'; readonly cycles: number };

export interface FetchSpec {
  /** The line store: an instruction cache or an accelerator's buffers. */
  readonly lines: CacheGeometry;
  readonly replacement: Replacement;
  readonly refill: Refill;
  /** The next sequential line is requested while the current one executes. */
  readonly prefetch: boolean;
}

export interface FetchStats {
  /** Lines looked up, and of those missed. */
  lookups: number;
  misses: number;
  /** Core cycles the core waited for code (refills not hidden by prefetch). */
  stallCycles: number;
}

/** A footprint's lines, and the store epoch at which they were last seen all present (-1: never). */
interface FootprintLines extends LineGroup {
  epoch: number;
}

export class FetchUnit {
  readonly store: CacheArray;
  readonly stats: FetchStats = { lookups: 0, misses: 0, stallCycles: 0 };
  private readonly lineCache = new WeakMap<CodeFootprint, FootprintLines>();
  /** Whole stall cycles of the last successful `resolve` (waited before the compute). */
  resolvedStall = 0;
  private readonly refillBuffer: Uint8Array;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly spec: FetchSpec,
    private readonly clock: ClockDomain,
    private readonly bus: BusMaster,
  ) {
    this.store = new CacheArray(name, spec.lines, spec.replacement);
    this.refillBuffer = new Uint8Array(spec.lines.lineBytes);
  }

  /** The line addresses of a footprint, in order, each once. */
  linesOf(code: CodeFootprint): Float64Array {
    return this.entryOf(code).lines;
  }

  private entryOf(code: CodeFootprint): FootprintLines {
    const known = this.lineCache.get(code);
    if (known !== undefined) return known;
    const size = this.spec.lines.lineBytes;
    const out: number[] = [];
    const seen = new Set<number>();
    for (const span of code.spans) {
      if (span.bytes <= 0) continue;
      const first = Math.floor(span.address / size) * size;
      for (let a = first; a < span.address + span.bytes; a += size) {
        if (!seen.has(a)) {
          seen.add(a);
          out.push(a);
        }
      }
    }
    const entry: FootprintLines = { lines: Float64Array.from(out), epoch: -1, lastUse: 0, listed: 0 };
    this.lineCache.set(code, entry);
    return entry;
  }

  /**
   * `fetch` at once, when it needs no bus: every line is in the store, or refills take a
   * fixed number of cycles. Then the lookups, misses and refills are those `fetch` would
   * make, `resolvedStall` holds the whole cycles to wait before the compute (nothing of the
   * compute is hidden: prefetch credit only offsets the fixed refills) and it returns true.
   * A line to refill over the bus: false, having changed nothing (`fetch` does it then). A
   * footprint seen all present is not looked up line by line again while no line has come
   * or gone since (the store's epoch): its lookups are counted and its LRU stamps deferred.
   */
  resolve(code: CodeFootprint, computeCycles: number): boolean {
    const entry = this.entryOf(code);
    const lines = entry.lines;
    const n = lines.length;
    this.resolvedStall = 0;
    if (n === 0) return true;
    const store = this.store;
    if (entry.epoch !== store.epoch) {
      if (this.spec.refill.kind === 'bus') {
        for (let i = 0; i < n; i++) if (store.probe(lines[i]!) < 0) return false;
      } else {
        if (this.walkFixedRefills(lines, computeCycles) === 0) entry.epoch = store.epoch;
        return true;
      }
      entry.epoch = store.epoch;
    }
    store.touchAll(entry);
    this.stats.lookups += n;
    return true;
  }

  /** Looks `line` up (counted); on a miss installs it (the caller refills it). True on a hit. */
  private lookupOrInstall(line: number): boolean {
    this.stats.lookups++;
    if (this.store.lookup(line) >= 0) return true;
    this.stats.misses++;
    this.store.allocate(line);
    return false;
  }

  /** The lookups and fixed-cycle refills of `fetch`, at once (no bus); returns the misses. */
  private walkFixedRefills(lines: Float64Array, computeCycles: number): number {
    const refill = this.spec.refill as { kind: 'cycles'; cycles: number };
    const share = computeCycles / lines.length;
    const lineBytes = this.spec.lines.lineBytes;
    let previous = -1;
    let stall = 0;
    let misses = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const sequential = this.spec.prefetch && previous >= 0 && line === previous + lineBytes;
      previous = line;
      if (this.lookupOrInstall(line)) continue;
      misses++;
      stall += Math.max(0, refill.cycles - (sequential ? share : 0));
    }
    if (stall > 0) {
      this.resolvedStall = Math.ceil(stall);
      this.stats.stallCycles += this.resolvedStall;
    }
    return misses;
  }

  /**
   * Fetches `code` ahead of `computeCycles` of execution. Waits out the stalls (refills over
   * the bus take their real time) and returns the compute cycles that prefetch hid under
   * refills, for the caller to take off the compute that follows.
   */
  *fetch(code: CodeFootprint, computeCycles: number): Generator<Wait, number, unknown> {
    const lines = this.linesOf(code);
    if (lines.length === 0) return 0;
    if (this.spec.refill.kind === 'cycles') {
      // Fixed refills: the walk needs no bus; one wait for the whole stall, nothing hidden.
      this.resolvedStall = 0;
      this.walkFixedRefills(lines, computeCycles);
      if (this.resolvedStall > 0) yield this.clock.toTicks(cycles(this.resolvedStall));
      return 0;
    }
    const share = computeCycles / lines.length;
    const lineBytes = this.spec.lines.lineBytes;
    const period = this.clock.period;
    let previous = -1;
    let hidden = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const sequential = this.spec.prefetch && previous >= 0 && line === previous + lineBytes;
      previous = line;
      if (this.lookupOrInstall(line)) continue;
      const credit = sequential ? share : 0;
      const start = this.kernel.now;
      yield* this.bus.accessBlock(line, false, this.refillBuffer, true);
      // The bus answers on a core edge, so this is a whole number of core cycles.
      const took = (this.kernel.now - start) / period;
      // Whole cycles: what prefetch hides comes off the compute that follows, cycle for cycle.
      const overlap = Math.floor(Math.min(took, credit));
      hidden += overlap;
      this.stats.stallCycles += took - overlap;
    }
    return hidden;
  }

  /** Drops every line (a cache invalidate-all, e.g. at reset). */
  invalidateAll(): void {
    this.store.invalidateAll();
  }
}
