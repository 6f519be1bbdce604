// The event queue: one order for everything the kernel runs, (time, priority, sequence).
//
// Two structures hold it, because most activity in a hardware model happens "now":
//   - a binary heap for entries at a future time, in typed arrays (no object per entry);
//   - one FIFO ring per priority for entries at the current time (the same-time fast path:
//     O(1), no comparisons).
// An entry is (item, generation): the item is told `_fire(generation)` and ignores it if
// its generation has moved on. That is how waits are cancelled without searching the heap.
//
// The heap key packs priority and insertion sequence into one double: priority * 2^44 + seq.
// When the sequence reaches 2^44 the live entries are renumbered in order (once per 2^44
// insertions), so the packing never overflows.

/** Something the queue can run: a process, a task, an event with a timed notification. */
export interface Schedulable {
  readonly name: string;
  /** Is an entry of this generation still wanted (not cancelled)? */
  _current(generation: number): boolean;
  /** Run, unless `generation` is stale (the wait it belongs to was cancelled); true if it ran. */
  _fire(generation: number): boolean;
}

/**
 * Named priorities for entries at the same tick: lower runs first. Each says why it exists.
 * Values 0..7 are valid; keep to the named ones unless a model documents another.
 */
export const Priority = {
  /** Device state changes (a register write landing, a line changing level) settle first. */
  Hardware: 1,
  /** Processes (firmware) and ordinary tasks. */
  Default: 3,
  /** Clocked samplers (an interrupt controller reading its inputs) see the tick's settled state. */
  Sample: 5,
  /** Monitors and statistics observe last; they must not change anything. */
  Observe: 7,
} as const;
export type Priority = number;

export const PRIORITY_LEVELS = 8;
export const SEQ_SPAN = 2 ** 44;

/** A FIFO ring of (item, generation) pairs at the current time, for one priority. */
export class NowRing {
  items: (Schedulable | null)[];
  gens: Int32Array;
  head = 0;
  tail = 0;
  mask: number;

  constructor(capacity = 64) {
    this.items = new Array<Schedulable | null>(capacity).fill(null);
    this.gens = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get length(): number {
    return (this.tail - this.head) & this.mask;
  }

  push(item: Schedulable, gen: number): void {
    const t = this.tail;
    this.items[t] = item;
    this.gens[t] = gen;
    this.tail = (t + 1) & this.mask;
    if (this.tail === this.head) this.grow();
  }

  private grow(): void {
    // Full: head === tail. Unroll into a ring twice the size, oldest first.
    const cap = this.mask + 1;
    const items = new Array<Schedulable | null>(cap * 2).fill(null);
    const gens = new Int32Array(cap * 2);
    for (let i = 0; i < cap; i++) {
      const j = (this.head + i) & this.mask;
      items[i] = this.items[j]!;
      gens[i] = this.gens[j]!;
    }
    this.items = items;
    this.gens = gens;
    this.head = 0;
    this.tail = cap;
    this.mask = cap * 2 - 1;
  }
}

/**
 * Binary min-heap on (time, key). The heap itself holds only the time and a slot number, so
 * a sift moves two values per level; a slot holds the key, generation and item, and is
 * read on equal times only.
 */
export class TimedHeap {
  time = new Float64Array(64);
  slot = new Int32Array(64);
  slotKey = new Float64Array(64);
  slotGen = new Int32Array(64);
  slotItem: (Schedulable | null)[] = new Array<Schedulable | null>(64).fill(null);
  private free = new Int32Array(64);
  private freeCount = 64;
  size = 0;
  /**
   * The root has been handed out but not removed yet. The next push replaces it with one
   * sift-down instead of a pop and a push (a process that wakes from a timed wait usually
   * schedules its next timed wait right away).
   */
  rootTaken = false;

  constructor() {
    for (let i = 0; i < 64; i++) this.free[i] = 63 - i;
  }

  /** Key of the root entry. */
  get rootKey(): number {
    return this.slotKey[this.slot[0]!]!;
  }
  /** Generation of the root entry. */
  get rootGen(): number {
    return this.slotGen[this.slot[0]!]!;
  }
  /** Item of the root entry. */
  get rootItem(): Schedulable {
    return this.slotItem[this.slot[0]!]!;
  }

  push(time: number, key: number, gen: number, item: Schedulable): void {
    if (this.rootTaken) {
      // Reuse the taken root's slot.
      this.rootTaken = false;
      const s = this.slot[0]!;
      this.slotKey[s] = key;
      this.slotGen[s] = gen;
      this.slotItem[s] = item;
      this.siftDown(time, key, s);
      return;
    }
    if (this.freeCount === 0) this.grow();
    const s = this.free[--this.freeCount]!;
    this.slotKey[s] = key;
    this.slotGen[s] = gen;
    this.slotItem[s] = item;
    let i = this.size++;
    const T = this.time;
    const S = this.slot;
    const K = this.slotKey;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = T[parent]!;
      if (pt < time || (pt === time && K[S[parent]!]! < key)) break;
      T[i] = pt;
      S[i] = S[parent]!;
      i = parent;
    }
    T[i] = time;
    S[i] = s;
  }

  /** Removes the root (after it was taken). */
  removeRoot(): void {
    this.rootTaken = false;
    const freed = this.slot[0]!;
    this.slotItem[freed] = null;
    this.free[this.freeCount++] = freed;
    const n = --this.size;
    if (n === 0) return;
    const s = this.slot[n]!;
    this.siftDown(this.time[n]!, this.slotKey[s]!, s);
  }

  /** Places an entry (time, key, slot) at the root and sifts it down. */
  private siftDown(time: number, key: number, s: number): void {
    const T = this.time;
    const S = this.slot;
    const K = this.slotKey;
    const n = this.size;
    const half = n >> 1;
    let i = 0;
    while (i < half) {
      let c = 2 * i + 1;
      let ct = T[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = T[r]!;
        if (rt < ct || (rt === ct && K[S[r]!]! < K[S[c]!]!)) {
          c = r;
          ct = rt;
        }
      }
      if (time < ct || (time === ct && key < K[S[c]!]!)) break;
      T[i] = ct;
      S[i] = S[c]!;
      i = c;
    }
    T[i] = time;
    S[i] = s;
  }

  private grow(): void {
    const old = this.time.length;
    const cap = old * 2;
    const grown = <A extends Float64Array | Int32Array>(a: A, make: (n: number) => A): A => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.slot = grown(this.slot, (n) => new Int32Array(n));
    this.slotKey = grown(this.slotKey, (n) => new Float64Array(n));
    this.slotGen = grown(this.slotGen, (n) => new Int32Array(n));
    this.slotItem = [...this.slotItem, ...new Array<Schedulable | null>(old).fill(null)];
    this.free = new Int32Array(cap);
    for (let i = 0; i < old; i++) this.free[i] = cap - 1 - i;
    this.freeCount = old;
  }

  /**
   * Renumbers the sequence part of every key, keeping the order; returns the next free
   * sequence number. Called when the sequence counter reaches SEQ_SPAN.
   */
  renumber(): number {
    if (this.rootTaken) this.removeRoot(); // the taken root is being run: it is gone
    const n = this.size;
    const order = Array.from({ length: n }, (_, i) => this.slot[i]!);
    const timeOf = new Map<number, number>();
    for (let i = 0; i < n; i++) timeOf.set(this.slot[i]!, this.time[i]!);
    order.sort((a, b) => timeOf.get(a)! - timeOf.get(b)! || this.slotKey[a]! - this.slotKey[b]!);
    // A sorted array is a valid heap: write it back in order with fresh sequence numbers.
    order.forEach((s, seq) => {
      this.time[seq] = timeOf.get(s)!;
      this.slot[seq] = s;
      this.slotKey[s] = Math.floor(this.slotKey[s]! / SEQ_SPAN) * SEQ_SPAN + seq;
    });
    return n;
  }
}
