// A core's L1 data cache, between the core's loads and stores and its bus master, for the
// addresses its memory attributes make cacheable (the MPU regions of a Cortex-M7, the page
// attributes of a Cortex-A53, the LMEM region modes of a Cortex-M4). Write-back: a store that
// hits only updates the line (now dirty); a dirty line reaches memory when it is evicted or
// cleaned. Read-allocate always; write-allocate per region (Armv7-M TEX/C/B: TEX 0 C 1 B 1
// is write-back, no write-allocate; TEX 1 C 1 B 1 write-back, read and write allocate).
// The bytes of each line live in the cache (CacheArray with data), so a line filled before
// the other core wrote memory really returns the old bytes until it is invalidated.
//
// What is exact: which accesses hit and which miss, the victim chosen (the array's
// replacement), the bus traffic of fills and write-backs (bursts of one line over the
// core's bus: the memory's clock, width, wait states, the synchronisers and contention),
// the bytes a stale line returns, what clean and invalidate do to each line.
// What is approximate: a hit costs `hitCycles` core cycles and a miss waits for the whole
// write-back and then the whole fill before the access completes as a hit (no critical
// word first, no write buffer hiding the write-back, no line-fill buffer serving a second
// miss); a burst (a block copy) is looked up line by line, each hit costing `hitCycles`;
// a block takes the attributes of its first byte.

import { type ClockDomain, type Ticks, type Wait, cycles } from '../kernel';
import type { BusMaster } from './bus';
import { CacheArray, type CacheGeometry, type Replacement } from './cache';
import type { AccessSize } from './peripheral';

/** A memory attribute as the data cache sees it. */
export type CachePolicy = 'write-back' | 'write-back-write-allocate' | 'non-cacheable';

export const CACHE_POLICIES: readonly CachePolicy[] = ['write-back', 'write-back-write-allocate', 'non-cacheable'];

/** An address range with one attribute; of overlapping ranges the last listed wins (as the highest-numbered MPU region does). */
export interface CacheRegion {
  readonly base: number;
  readonly size: number;
  readonly policy: CachePolicy;
}

export interface DataCacheSpec {
  readonly geometry: CacheGeometry;
  readonly replacement: Replacement;
  /** Core cycles of an access that hits. */
  readonly hitCycles: number;
  readonly regions: readonly CacheRegion[];
}

/** What cache maintenance by address does to each line of the range (CMSIS SCB_*DCache_by_Addr). */
export type MaintenanceOp = 'clean' | 'invalidate' | 'clean-invalidate';

export interface DataCacheStats {
  /** Loads and stores (and block lines) that went through the cache. */
  accesses: number;
  hits: number;
  misses: number;
  /** Line fills read over the bus. */
  fills: number;
  /** Dirty lines written over the bus (evicted or cleaned). */
  writeBacks: number;
  /** Stores that missed a region without write-allocate and went straight to memory. */
  writesAround: number;
  /** Lines a maintenance operation looked at. */
  maintainedLines: number;
}

export class DataCache {
  readonly array: CacheArray;
  readonly stats: DataCacheStats = { accesses: 0, hits: 0, misses: 0, fills: 0, writeBacks: 0, writesAround: 0, maintainedLines: 0 };
  readonly lineBytes: number;
  private readonly regions: CacheRegion[];
  /** The span of every cacheable region: an address outside it is uncached at one comparison. */
  private low = Infinity;
  private high = -Infinity;
  private readonly victimBuffer: Uint8Array;
  /**
   * Fault injection (`skip-cache-maintenance`): asked for each clean / invalidate by address;
   * 'skip' makes it do nothing, as firmware whose SCB_*DCache_by_Addr call was left out (or
   * given the wrong range). Null: every operation runs.
   */
  maintenanceHook: ((op: MaintenanceOp, address: number, length: number) => 'run' | 'skip') | null = null;
  private readonly hitTicks: Ticks;

  constructor(
    readonly name: string,
    readonly spec: DataCacheSpec,
    private readonly clock: ClockDomain,
    private readonly bus: BusMaster,
  ) {
    this.array = new CacheArray(name, spec.geometry, spec.replacement, true);
    this.lineBytes = spec.geometry.lineBytes;
    this.victimBuffer = new Uint8Array(this.lineBytes);
    this.hitTicks = clock.toTicks(cycles(spec.hitCycles));
    this.regions = [];
    for (const r of spec.regions) this.setPolicy(r);
  }

  /** Gives [base, base + size) an attribute, over whatever was there (a later MPU region). */
  setPolicy(region: CacheRegion): void {
    this.regions.push(region);
    this.low = Infinity;
    this.high = -Infinity;
    for (const r of this.regions) {
      if (r.policy === 'non-cacheable') continue;
      this.low = Math.min(this.low, r.base);
      this.high = Math.max(this.high, r.base + r.size);
    }
  }

  /** The attribute of `address` (non-cacheable outside every region). */
  policyAt(address: number): CachePolicy {
    if (address < this.low || address >= this.high) return 'non-cacheable';
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (address >= r.base && address < r.base + r.size) return r.policy;
    }
    return 'non-cacheable';
  }

  /** Is `address` cacheable? The core asks this on every access: one range check for most. */
  covers(address: number): boolean {
    return address >= this.low && address < this.high && this.policyAt(address) !== 'non-cacheable';
  }

  /** A load or store of 1, 2 or 4 bytes (aligned, so inside one line) through the cache. */
  *access(address: number, size: AccessSize, write: boolean, value: number): Generator<Wait, number, unknown> {
    this.stats.accesses++;
    let slot = this.array.lookup(address);
    if (slot >= 0) this.stats.hits++;
    else {
      this.stats.misses++;
      if (write && this.policyAt(address) !== 'write-back-write-allocate') {
        this.stats.writesAround++;
        return yield* this.bus.access(address, size, write, value);
      }
      slot = yield* this.fill(address);
    }
    if (this.hitTicks > 0) yield this.hitTicks;
    const line = this.array.lineData(slot);
    const at = address - this.array.lineAddress(address);
    const view = new DataView(line.buffer, line.byteOffset, line.byteLength);
    if (write) {
      if (size === 4) view.setUint32(at, value >>> 0, true);
      else if (size === 2) view.setUint16(at, value & 0xffff, true);
      else view.setUint8(at, value & 0xff);
      this.array.markDirty(slot);
      return value;
    }
    return size === 4 ? view.getUint32(at, true) : size === 2 ? view.getUint16(at, true) : view.getUint8(at);
  }

  /** A block copy through the cache, line by line: reads into `data` or writes it. */
  *block(address: number, write: boolean, data: Uint8Array): Generator<Wait, void, unknown> {
    const allocateOnWrite = this.policyAt(address) === 'write-back-write-allocate';
    const end = address + data.length;
    for (let a = address; a < end; ) {
      const lineStart = this.array.lineAddress(a);
      const next = Math.min(end, lineStart + this.lineBytes);
      const part = data.subarray(a - address, next - address);
      this.stats.accesses++;
      let slot = this.array.lookup(a);
      if (slot >= 0) this.stats.hits++;
      else {
        this.stats.misses++;
        if (write && !allocateOnWrite) {
          this.stats.writesAround++;
          yield* this.bus.accessBlock(a, true, part);
          a = next;
          continue;
        }
        slot = yield* this.fill(a);
      }
      if (this.hitTicks > 0) yield this.hitTicks;
      const line = this.array.lineData(slot);
      const at = a - lineStart;
      if (write) {
        line.set(part, at);
        this.array.markDirty(slot);
      } else part.set(line.subarray(at, at + part.length));
      a = next;
    }
  }

  /**
   * Maintenance by address on every line [address, address + length) touches, as the CMSIS
   * loop does one line per DCCMVAC / DCIMVAC / DCCIMVAC write: a clean writes a dirty line
   * back (a burst over the bus) and keeps it; an invalidate drops it, dirty data lost. Returns
   * the number of lines the range covers (the loop's iterations).
   */
  *maintain(op: MaintenanceOp, address: number, length: number): Generator<Wait, number, unknown> {
    if (length <= 0) return 0;
    // A skipped operation (fault injection) touches no line: the caller still spends its cycles.
    if (this.maintenanceHook?.(op, address, length) === 'skip') return 0;
    const first = this.array.lineAddress(address);
    const lines = Math.ceil((address + length - first) / this.lineBytes);
    for (let i = 0; i < lines; i++) {
      const line = first + i * this.lineBytes;
      this.stats.maintainedLines++;
      const slot = this.array.probe(line);
      if (slot < 0) continue;
      if (op !== 'invalidate' && this.array.isDirty(slot)) {
        this.victimBuffer.set(this.array.lineData(slot));
        this.array.markClean(slot);
        this.stats.writeBacks++;
        yield* this.bus.accessBlock(line, true, this.victimBuffer);
      }
      if (op !== 'clean') this.array.invalidate(line);
    }
    return lines;
  }

  /** Installs `address`'s line: writes the victim back if dirty, then reads the line over the bus. */
  private *fill(address: number): Generator<Wait, number, unknown> {
    const { slot, victim } = this.array.allocate(address);
    const line = this.array.lineData(slot);
    if (victim !== null && victim.dirty) {
      // The victim's bytes are still in the slot: copy them out before the fill overwrites them.
      this.victimBuffer.set(line);
      this.stats.writeBacks++;
      yield* this.bus.accessBlock(victim.address, true, this.victimBuffer);
    }
    this.stats.fills++;
    yield* this.bus.accessBlock(this.array.lineAddress(address), false, line, true);
    return slot;
  }
}
