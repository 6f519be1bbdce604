// A set-associative cache array: tags, valid and dirty bits, the replacement order and,
// when asked for, the bytes of each line. It decides hits, misses and victims; it moves no
// data over a bus and charges no cycles: its users do (the instruction fetch unit,
// fetch.ts, for instruction caches and flash accelerator buffers; the data cache in front
// of a core's bus master, data-cache.ts). One array serves all of them.
//
// Geometry follows the Arm naming: size = sets × ways × line bytes, every figure a power of
// two. A line is found by its address's set index (the bits above the line offset) and its
// tag (the bits above those). Replacement: least recently used, or round-robin per set.
// Invalid ways are filled first, lowest way first (as Arm L1 caches allocate, Cortex-R4 TRM
// DDI 0363 §7.2 and Cortex-M7 TRM DDI 0489 §5.9 describe read-allocation the same way).

import { ConfigError } from '../kernel';

export type Replacement = 'lru' | 'round-robin';

export interface CacheGeometry {
  readonly sizeBytes: number;
  readonly lineBytes: number;
  readonly ways: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Dirty lines written back (evicted or cleaned). */
  writeBacks: number;
}

/** A line pushed out to make room: its address, and whether it must be written back. */
export interface Victim {
  readonly address: number;
  readonly dirty: boolean;
}

const isPowerOfTwo = (n: number): boolean => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Lines that are always used together (a code footprint's), for `CacheArray.touchAll`. */
export interface LineGroup {
  /** Line addresses. */
  readonly lines: Float64Array;
  /** @internal The cache's use number of the group's last use. */
  lastUse: number;
  /** @internal The settle during which the group was listed as deferred. */
  listed: number;
}

export class CacheArray {
  readonly sets: number;
  readonly lineBytes: number;
  readonly ways: number;
  readonly stats: CacheStats = { hits: 0, misses: 0, writeBacks: 0 };
  private readonly lineShift: number;
  /** Line address (address >>> lineShift) per slot; -1 when invalid. Slot = set × ways + way. */
  private readonly tags: Float64Array;
  private readonly dirty: Uint8Array;
  /** LRU: a use stamp per slot; round-robin: the next way per set. */
  private readonly order: Float64Array;
  private readonly nextWay: Uint32Array;
  private clock = 0;
  private readonly data: Uint8Array | null;
  /**
   * Bumped whenever a line is installed or dropped: a set of lines seen all present at one
   * epoch is still all present while it stays the same.
   */
  epoch = 0;
  /**
   * Groups used by `touchAll` whose uses are not yet written into the LRU stamps. Stamps
   * decide victims only, so they are written out (`settle`) before anything that reads or
   * changes them, replaying each group's last use in the order of those last uses: that
   * leaves every line's stamp in the same order as stamping at every use, because a line's
   * last use is in the last use of some group holding it.
   */
  private deferred: LineGroup[] = [];
  /** Numbers the uses of groups (a group's `lastUse`), and the settles (its `listed`). */
  private uses = 0;
  private settles = 1;

  constructor(
    readonly name: string,
    geometry: CacheGeometry,
    readonly replacement: Replacement = 'lru',
    /** Keep each line's bytes (a data cache must; an instruction cache need not). */
    withData = false,
  ) {
    const { sizeBytes, lineBytes, ways } = geometry;
    if (!isPowerOfTwo(lineBytes) || lineBytes < 4) throw new ConfigError(`${name}: line size must be a power of two of at least 4 bytes, got ${lineBytes}`);
    if (!isPowerOfTwo(ways)) throw new ConfigError(`${name}: ways must be a power of two, got ${ways}`);
    if (!isPowerOfTwo(sizeBytes) || sizeBytes < lineBytes * ways) {
      throw new ConfigError(`${name}: size must be a power of two of at least ways × line (${lineBytes * ways} bytes), got ${sizeBytes}`);
    }
    this.lineBytes = lineBytes;
    this.ways = ways;
    this.sets = sizeBytes / (lineBytes * ways);
    this.lineShift = Math.log2(lineBytes);
    const slots = this.sets * ways;
    this.tags = new Float64Array(slots).fill(-1);
    this.dirty = new Uint8Array(slots);
    this.order = new Float64Array(slots);
    this.nextWay = new Uint32Array(this.sets);
    this.data = withData ? new Uint8Array(sizeBytes) : null;
  }

  /** The address of the first byte of the line holding `address`. */
  lineAddress(address: number): number {
    return Math.floor(address / this.lineBytes) * this.lineBytes;
  }

  /** The slot holding `address`'s line, or -1; changes nothing. */
  probe(address: number): number {
    const line = Math.floor(address / this.lineBytes);
    const base = (line % this.sets) * this.ways;
    for (let w = 0; w < this.ways; w++) if (this.tags[base + w] === line) return base + w;
    return -1;
  }

  /** A lookup that counts: the slot on a hit (now most recently used), -1 on a miss. */
  lookup(address: number): number {
    if (this.deferred.length !== 0) this.settle();
    const slot = this.probe(address);
    if (slot < 0) {
      this.stats.misses++;
      return -1;
    }
    this.stats.hits++;
    this.order[slot] = ++this.clock;
    return slot;
  }

  /**
   * Installs `address`'s line (clean) and returns its slot and the victim it replaced, if
   * any. The caller fetches the line's bytes (and writes the victim back when dirty).
   */
  allocate(address: number): { slot: number; victim: Victim | null } {
    if (this.deferred.length !== 0) this.settle();
    this.epoch++;
    const line = Math.floor(address / this.lineBytes);
    const set = line % this.sets;
    const base = set * this.ways;
    let way = -1;
    for (let w = 0; w < this.ways; w++) {
      if (this.tags[base + w] === -1) {
        way = w;
        break;
      }
    }
    let victim: Victim | null = null;
    if (way < 0) {
      if (this.replacement === 'round-robin') {
        way = this.nextWay[set]!;
        this.nextWay[set] = (way + 1) % this.ways;
      } else {
        way = 0;
        for (let w = 1; w < this.ways; w++) if (this.order[base + w]! < this.order[base + way]!) way = w;
      }
      const slot = base + way;
      victim = { address: this.tags[slot]! * this.lineBytes, dirty: this.dirty[slot] === 1 };
      if (victim.dirty) this.stats.writeBacks++;
    }
    const slot = base + way;
    this.tags[slot] = line;
    this.dirty[slot] = 0;
    this.order[slot] = ++this.clock;
    return { slot, victim };
  }

  isDirty(slot: number): boolean {
    return this.dirty[slot] === 1;
  }

  markDirty(slot: number): void {
    this.dirty[slot] = 1;
  }

  /** Marks a dirty line clean after its write-back (a clean by address), counting the write-back. */
  markClean(slot: number): void {
    if (this.dirty[slot] === 1) this.stats.writeBacks++;
    this.dirty[slot] = 0;
  }

  /**
   * Lookups of a group's lines, all known to be present: counted as hits now, their LRU
   * stamps written when next needed (see `deferred`).
   */
  touchAll(group: LineGroup): void {
    this.stats.hits += group.lines.length;
    if (this.replacement !== 'lru') return;
    group.lastUse = ++this.uses;
    if (group.listed !== this.settles) {
      group.listed = this.settles;
      this.deferred.push(group);
    }
  }

  /** Writes the deferred uses into the LRU stamps, in the order of each group's last use. */
  private settle(): void {
    const groups = this.deferred;
    this.deferred = [];
    this.settles++;
    if (groups.length > 1) groups.sort((a, b) => a.lastUse - b.lastUse);
    for (const g of groups) {
      const lines = g.lines;
      for (let i = 0; i < lines.length; i++) {
        const slot = this.probe(lines[i]!);
        if (slot >= 0) this.order[slot] = ++this.clock;
      }
    }
  }

  /** Drops the line holding `address` (dirty data is lost: clean first if it matters). */
  invalidate(address: number): void {
    if (this.deferred.length !== 0) this.settle();
    const slot = this.probe(address);
    if (slot >= 0) {
      this.epoch++;
      this.tags[slot] = -1;
      this.dirty[slot] = 0;
    }
  }

  /** Drops every line. */
  invalidateAll(): void {
    this.deferred = [];
    this.settles++;
    this.epoch++;
    this.tags.fill(-1);
    this.dirty.fill(0);
  }

  /** The bytes of the line in `slot` (a view; only for an array made with data). */
  lineData(slot: number): Uint8Array {
    if (this.data === null) throw new ConfigError(`${this.name}: this cache keeps no data`);
    const start = slot * this.lineBytes;
    return this.data.subarray(start, start + this.lineBytes);
  }

  /** How many valid lines the array holds. */
  get validLines(): number {
    let n = 0;
    for (const t of this.tags) if (t !== -1) n++;
    return n;
  }
}
