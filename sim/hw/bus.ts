// Shared memory, memory ports with arbitration, address maps and the access path a core
// takes to reach a memory or a peripheral register.
//
// Timing of one access (all edges exact, see docs/hardware.md):
//   1. the core issues it on its own clock edge (the core model guarantees ops start there);
//   2. the request crosses into the target's clock domain: it reaches the port's arbiter at
//      the target clock's first edge at or after the issue, plus `syncCycles` target cycles;
//   3. the port grants one requester per beat; a beat holds the port for
//      (1 + wait states) target cycles. Requests that reach the arbiter at the same tick are
//      all seen before it decides (it runs at Priority.Sample); round-robin alternates
//      between masters, fixed priority prefers the one listed first;
//   4. the data is read or written when the last beat ends;
//   5. the response crosses back: the core sees it at its first edge at or after the end,
//      plus `responseSyncCycles` core cycles.
// A burst (a block copy) asks for several beats at once. With nobody else asking it is
// granted all of them in one step (one kernel event); when a competitor arrives the run is
// cut at the next beat boundary and arbitration goes beat by beat, exactly as if every
// beat had been arbitrated (a test checks the two agree).

import { type ClockDomain, ConfigError, type Event, type Kernel, Priority, type Task, type Ticks, type Wait, cycles } from '../kernel';
import type { AccessSize, Peripheral } from './peripheral';
import type { Tracer } from '../trace/trace';
import { hexAddress } from '../text/hex';

/** How simultaneous requests to one memory port are granted. */
export type Arbitration = 'round-robin' | 'fixed-priority';

/** A bus error: an unmapped or misaligned address, or a register that refused the access. */
export class BusFault extends Error {
  override name = 'BusFault';
  constructor(
    readonly master: string,
    readonly address: number,
    readonly size: number,
    readonly write: boolean,
    readonly reason: string,
  ) {
    super(
      `bus fault: ${master} ${write ? 'write' : 'read'} of ${size} byte${size === 1 ? '' : 's'} at ${hexAddress(address)}: ${reason}`,
    );
  }
}

/** Byte-accurate little-endian memory contents. */
export class Memory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(
    readonly name: string,
    readonly size: number,
  ) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  read(offset: number, size: AccessSize): number {
    if (size === 4) return this.view.getUint32(offset, true);
    if (size === 2) return this.view.getUint16(offset, true);
    return this.bytes[offset]!;
  }

  write(offset: number, value: number, size: AccessSize): void {
    if (size === 4) this.view.setUint32(offset, value >>> 0, true);
    else if (size === 2) this.view.setUint16(offset, value & 0xffff, true);
    else this.bytes[offset] = value & 0xff;
  }
}

/** One outstanding request of a master at a port (reused: a master has one at a time). */
export class PortRequest {
  beatsLeft = 0;
  /** Ticks one beat holds the port. */
  beatTicks = 0;
  /** When the request reached the arbiter. */
  arrival = 0;
  /** Runs the data operation when the last beat ends. */
  complete: () => void = () => undefined;
  readonly done: Event<void>;

  constructor(
    kernel: Kernel,
    /** Who asks: its name and its index for arbitration. */
    readonly master: string,
    readonly masterIndex: number,
  ) {
    this.done = kernel.event<void>(`${master}.bus-done`);
  }
}

/** A memory port (or the peripheral bus): one grant per beat, arbitrated between masters. */
export class Port {
  private readonly waiting: PortRequest[] = [];
  private owner: PortRequest | null = null;
  private runStart = 0;
  private runBeats = 0;
  private lastGranted = -1;
  private readonly boundary: Task;
  /** Beats granted per master index (statistics). */
  readonly beats: number[] = [];
  /** Ticks the port was busy. */
  busyTicks = 0;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly clock: ClockDomain,
    readonly arbitration: Arbitration,
    /** For fixed priority: master indices, highest priority first. */
    private readonly priorityOrder: number[],
    /** False: arbitrate every beat (the reference the fast path is tested against). */
    private readonly fastPath = true,
  ) {
    this.boundary = kernel.task(`${name}.arbiter`, () => this.onBoundary(), { priority: Priority.Sample });
  }

  /** Nobody holds the port, waits for it or is about to be granted it. */
  get idle(): boolean {
    return this.owner === null && this.waiting.length === 0 && !this.boundary.pending;
  }

  /**
   * Books `beats` beats for `masterIndex` as one uncontended run that the caller has timed
   * itself and that ends before anything else can happen (BusMaster.tryAccess): the
   * statistics and the round-robin state move as if the arbiter had granted it.
   */
  grantInline(masterIndex: number, beats: number, beatTicks: number): void {
    this.beats[masterIndex] = (this.beats[masterIndex] ?? 0) + beats;
    this.busyTicks += beats * beatTicks;
    this.lastGranted = masterIndex;
  }

  /**
   * Fault injection (`hold-bus`): another master (`who`, arbitration index `masterIndex`,
   * e.g. a DMA engine) asks for the port now and, once granted, holds it for `ticks` as one
   * beat that is not cut; the cores' requests wait behind it as behind any master's.
   */
  hold(who: string, masterIndex: number, ticks: Ticks): void {
    const req = new PortRequest(this.kernel, who, masterIndex);
    req.beatsLeft = 1;
    req.beatTicks = ticks;
    this.request(req);
  }

  /** A request reaches the arbiter now (a clock edge of the port). */
  request(req: PortRequest): void {
    req.arrival = this.kernel.now;
    this.waiting.push(req);
    const owner = this.owner;
    if (owner === null) {
      if (this.boundary.pending) return;
      // Alone at an idle port with nothing else due this tick (the kernel's horizon is
      // later): nobody else can ask before the arbiter decides, so it decides now instead of
      // in a task of its own at this tick.
      if (this.waiting.length === 1 && this.kernel.horizon() > this.kernel.now) this.onBoundary();
      else this.boundary.schedule(0 as Ticks);
      return;
    }
    // Busy with an uncontended run: cut it at the next beat boundary so arbitration sees
    // this request there, as beat-by-beat arbitration would.
    if (this.runBeats > 1) {
      const beatTicks = owner.beatTicks;
      const done = Math.max(1, Math.ceil((this.kernel.now - this.runStart) / beatTicks));
      if (done < this.runBeats) {
        this.runBeats = done;
        this.boundary.reschedule((this.runStart + done * beatTicks - this.kernel.now) as Ticks);
      }
    }
  }

  private onBoundary(): void {
    const owner = this.owner;
    if (owner !== null) {
      owner.beatsLeft -= this.runBeats;
      this.beats[owner.masterIndex] = (this.beats[owner.masterIndex] ?? 0) + this.runBeats;
      this.busyTicks += this.runBeats * owner.beatTicks;
      this.owner = null;
      if (owner.beatsLeft === 0) {
        owner.complete();
        owner.done.notify();
      } else {
        this.waiting.push(owner);
      }
    }
    if (this.waiting.length === 0) return;
    const pick = this.choose();
    const req = this.waiting[pick]!;
    this.waiting.splice(pick, 1);
    const beats = this.fastPath && this.waiting.length === 0 ? req.beatsLeft : 1;
    this.owner = req;
    this.runStart = this.kernel.now;
    this.runBeats = beats;
    this.lastGranted = req.masterIndex;
    this.boundary.schedule((beats * req.beatTicks) as Ticks);
  }

  private choose(): number {
    const w = this.waiting;
    if (w.length === 1) return 0;
    let best = 0;
    if (this.arbitration === 'fixed-priority') {
      let bestRank = Infinity;
      w.forEach((r, i) => {
        const rank = this.priorityOrder.indexOf(r.masterIndex);
        const key = rank < 0 ? Infinity : rank;
        if (key < bestRank) {
          bestRank = key;
          best = i;
        }
      });
      return best;
    }
    // Round robin: the next master index after the last one granted, cyclically; the
    // earliest arrival among a master's requests.
    let bestDistance = Infinity;
    w.forEach((r, i) => {
      const distance = (r.masterIndex - this.lastGranted - 1 + 1024) % 1024;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    });
    return best;
  }
}

/** What an address-map window leads to. */
export type Target =
  | { kind: 'memory'; memory: Memory; port: Port; readWaitStates: number; burstReadWaitStates: number; writeWaitStates: number; widthBytes: number }
  | { kind: 'peripheral'; peripheral: Peripheral; port: Port; accessCycles: number };

export interface Window {
  base: number;
  size: number;
  target: Target;
  targetOffset: number;
  /** @internal Whether the tracer wants its bus records, as of tracer version `tracedVersion` (-1: not asked). */
  traced: boolean;
  tracedVersion: number;
}

/** Timing of the crossings between a master's clock and the targets'. */
export interface Crossing {
  /** Target cycles for a request to cross into the target's domain. */
  syncCycles: number;
  /** Master cycles for the response to cross back. */
  responseSyncCycles: number;
}

/** Per-master statistics, in the master's cycles. */
export interface BusStats {
  accesses: number;
  /** Core cycles spent waiting for accesses in total. */
  accessCycles: number;
  /** Of those, cycles lost to other masters (contention). */
  stallCycles: number;
  faults: number;
}

/**
 * What BusMaster.tryAccess / tryBlock did: nothing (the caller takes the queued path);
 * the whole access (time is at its response); or the access up to the data operation, with
 * the response still to wait for (`pendingResponse`, then `completeInline`).
 */
export const enum Inline {
  No = 0,
  Done = 1,
  Pending = 2,
}

/** A bus master (a core's data port): its address map and the access path. */
export class BusMaster {
  readonly windows: Window[] = [];
  readonly stats: BusStats = { accesses: 0, accessCycles: 0, stallCycles: 0, faults: 0 };
  /** Records every access and fault when set. */
  tracer: Tracer | null = null;
  private readonly req: PortRequest;
  private lastCycles = 0;
  private lastStall = 0;
  private readValue = 0;
  private block: Uint8Array | null = null;
  /** The window found last (accesses tend to stay in one). */
  private lastWindow: Window | null = null;
  /** The value of the access `tryAccess` carried out (read, or written). */
  inlineValue = 0;
  /** Tick the response of an `Inline.Pending` access reaches the master. */
  pendingResponse = 0;
  private pendingIssued = 0;
  private pendingWrite = false;
  private pendingAddress = 0;
  private pendingSize = 0;
  private pendingTarget = '';
  private pendingFault: string | undefined = undefined;
  /** Beats of a pending burst (0: a single access). */
  private pendingBeats = 0;

  constructor(
    private readonly kernel: Kernel,
    readonly name: string,
    readonly index: number,
    readonly clock: ClockDomain,
    private readonly crossing: Crossing,
  ) {
    this.req = new PortRequest(kernel, name, index);
  }

  /** Maps [base, base + size) to a target (windows must not overlap). */
  map(base: number, size: number, target: Target, targetOffset = 0): void {
    for (const w of this.windows) {
      if (base < w.base + w.size && w.base < base + size) {
        throw new ConfigError(`${this.name}: window ${hexAddress(base)}+${size} overlaps ${hexAddress(w.base)}+${w.size}`);
      }
    }
    this.windows.push({ base, size, target, targetOffset, traced: false, tracedVersion: -1 });
  }

  /** The window holding [address, address + size), or a BusFault. */
  find(address: number, size: number, write: boolean): Window {
    for (const w of this.windows) {
      if (address >= w.base && address + size <= w.base + w.size) return w;
    }
    throw this.fault(address, size, write, 'no memory or peripheral is mapped there');
  }

  /** Whether the tracer reads the bus records of window `w`'s target (asked once per tracer change). */
  private traces(w: Window): boolean {
    const tracer = this.tracer!;
    if (w.tracedVersion !== tracer.version) {
      w.traced = tracer.wantsBus(w.target.kind === 'memory' ? w.target.memory.name : w.target.peripheral.name);
      w.tracedVersion = tracer.version;
    }
    return w.traced;
  }

  /** The window holding [address, address + size), or null. */
  private lookup(address: number, size: number): Window | null {
    const last = this.lastWindow;
    if (last !== null && address >= last.base && address + size <= last.base + last.size) return last;
    for (const w of this.windows) {
      if (address >= w.base && address + size <= w.base + w.size) {
        this.lastWindow = w;
        return w;
      }
    }
    return null;
  }

  /**
   * The access in one step, when it can be: aligned, mapped, the port idle, and the access
   * up to the end of its beat over before anything else can happen (the kernel's horizon).
   * Then nobody can contend for the port or observe the memory before the data operation,
   * so computing the edges up front gives what the queued path (`access`) would: the same
   * ticks, data, statistics and record. The data operation happens at the tick the beat
   * ends (a register's side effects too). If the response is also before the horizon the
   * access is over (`Inline.Done`, time at the response); otherwise the caller waits until
   * `pendingResponse` and calls `completeInline` (`Inline.Pending`): one wait where the
   * queued path has an arrival, two arbiter runs and a wake-up. Returns `Inline.No`
   * having changed nothing otherwise (faults included: the queued path reports them).
   */
  tryAccess(address: number, size: AccessSize, write: boolean, value: number): Inline {
    if ((address & (size - 1)) !== 0) return Inline.No;
    const w = this.lookup(address, size);
    if (w === null) return Inline.No;
    const t = w.target;
    const port = t.port;
    if (!port.idle) return Inline.No;
    const k = this.kernel;
    const issued = k.now;
    const pc = port.clock;
    const beatTicks = t.kind === 'memory' ? (1 + (write ? t.writeWaitStates : t.readWaitStates)) * pc.period : t.accessCycles * pc.period;
    const end = pc.nextEdge(issued as Ticks) + this.crossing.syncCycles * pc.period + beatTicks;
    const horizon = k.horizon();
    if (!(end < horizon)) return Inline.No;
    const response = this.clock.nextEdge(end as Ticks) + this.crossing.responseSyncCycles * this.clock.period;
    port.grantInline(this.index, 1, beatTicks);
    const offset = address - w.base + w.targetOffset;
    let fault: string | undefined;
    let target: string;
    if (t.kind === 'memory') {
      if (write) t.memory.write(offset, value, size);
      else value = t.memory.read(offset, size);
      target = t.memory.name;
      if (response < horizon) {
        k.advanceTo(response);
        this.account(issued);
        this.inlineValue = value;
        if (this.tracer !== null && this.traces(w)) this.traceAccess(write, address, size, value, target);
        return Inline.Done;
      }
      k.advanceTo(end);
    } else {
      const peripheral = t.peripheral;
      target = peripheral.name;
      k.advanceTo(end);
      if (write) {
        fault = peripheral.write(offset, value, size)?.fault;
      } else {
        const r = peripheral.read(offset, size);
        if (typeof r === 'number') value = r;
        else fault = r.fault;
      }
    }
    this.inlineValue = value;
    this.pendingResponse = response;
    this.pendingIssued = issued;
    this.pendingWrite = write;
    this.pendingAddress = address;
    this.pendingSize = size;
    this.pendingTarget = target;
    this.pendingFault = fault;
    this.pendingBeats = 0;
    // The side effects may have scheduled something before the response.
    if (fault === undefined && response < k.horizon()) {
      k.advanceTo(response);
      this.completeInline();
      return Inline.Done;
    }
    return Inline.Pending;
  }

  /**
   * Ends an `Inline.Pending` access or burst at its response (now): its statistics, its
   * record, or the bus fault the register answered (thrown, as `access` throws it).
   */
  completeInline(): number {
    this.account(this.pendingIssued);
    const fault = this.pendingFault;
    if (fault !== undefined) {
      this.pendingFault = undefined;
      throw this.fault(this.pendingAddress, this.pendingSize, this.pendingWrite, fault);
    }
    if (this.pendingBeats > 0) this.traceBurst(this.pendingWrite, this.pendingAddress, this.pendingSize, this.pendingTarget, this.pendingBeats, 0);
    else if (this.tracer !== null) this.traceAccess(this.pendingWrite, this.pendingAddress, this.pendingSize, this.inlineValue, this.pendingTarget);
    return this.inlineValue;
  }

  /**
   * A block transfer in one step (see `tryAccess`): Inline.Done, Inline.Pending (the
   * response to wait for), or Inline.No having changed nothing. A block reaches memories
   * only, which have no side effects.
   */
  tryBlock(address: number, write: boolean, data: Uint8Array, lineFill = false): Inline {
    const length = data.length;
    if (length === 0) return Inline.Done;
    const w = this.lookup(address, length);
    if (w === null) return Inline.No;
    const t = w.target;
    if (t.kind !== 'memory') return Inline.No;
    const port = t.port;
    if (!port.idle) return Inline.No;
    const k = this.kernel;
    const issued = k.now;
    const pc = port.clock;
    const offset = address - w.base + w.targetOffset;
    const width = t.widthBytes;
    const beats = Math.floor((offset + length - 1) / width) - Math.floor(offset / width) + 1;
    const burst = lineFill && !write;
    const waitStates = write ? t.writeWaitStates : burst ? t.burstReadWaitStates : t.readWaitStates;
    const leadTicks = burst ? Math.max(0, t.readWaitStates - t.burstReadWaitStates) * pc.period : 0;
    const beatTicks = (1 + waitStates) * pc.period;
    const end = pc.nextEdge(issued as Ticks) + this.crossing.syncCycles * pc.period + leadTicks + beats * beatTicks;
    const horizon = k.horizon();
    if (!(end < horizon)) return Inline.No;
    const response = this.clock.nextEdge(end as Ticks) + this.crossing.responseSyncCycles * this.clock.period;
    port.grantInline(this.index, beats, beatTicks);
    const bytes = t.memory.bytes;
    if (write) bytes.set(data, offset);
    else data.set(bytes.subarray(offset, offset + length));
    if (response < horizon) {
      k.advanceTo(response);
      this.account(issued);
      this.traceBurst(write, address, length, t.memory.name, beats, 0);
      return Inline.Done;
    }
    k.advanceTo(end);
    this.pendingResponse = response;
    this.pendingIssued = issued;
    this.pendingWrite = write;
    this.pendingAddress = address;
    this.pendingSize = length;
    this.pendingTarget = t.memory.name;
    this.pendingFault = undefined;
    this.pendingBeats = beats;
    return Inline.Pending;
  }

  private traceBurst(write: boolean, address: number, size: number, target: string, beats: number, stall: number): void {
    if (this.tracer?.on.burst) {
      this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'burst', op: write ? 'write' : 'read', address, size, target, beats, cycles: this.lastCycles, stall });
    }
  }

  /** Statistics of an access issued at `issued` that completes now, uncontended. */
  private account(issued: number): void {
    this.lastCycles = (this.kernel.now - issued) / this.clock.period;
    this.lastStall = 0;
    this.stats.accesses++;
    this.stats.accessCycles += this.lastCycles;
  }

  /** A BusFault of this master, counted. */
  private fault(address: number, size: number, write: boolean, reason: string): BusFault {
    this.stats.faults++;
    if (this.tracer?.on['bus-fault']) this.tracer.put({ t: this.tracer.now, component: this.name, kind: 'bus-fault', op: write ? 'write' : 'read', address, size, reason });
    return new BusFault(this.name, address, size, write, reason);
  }

  /** One read or write of 1, 2 or 4 bytes; resolves to the value read (or written). */
  *access(address: number, size: AccessSize, write: boolean, value: number): Generator<Wait, number, unknown> {
    if (address % size !== 0) throw this.fault(address, size, write, `not aligned to ${size} bytes`);
    const w = this.find(address, size, write);
    const t = w.target;
    const offset = address - w.base + w.targetOffset;
    const req = this.req;
    if (t.kind === 'memory') {
      const memory = t.memory;
      req.complete = write
        ? () => memory.write(offset, value, size)
        : () => {
            this.readValue = memory.read(offset, size);
          };
      yield* this.transfer(t.port, 1, (1 + (write ? t.writeWaitStates : t.readWaitStates)) * t.port.clock.period);
      const v = write ? value : this.readValue;
      this.traceAccess(write, address, size, v, memory.name);
      return v;
    }
    const peripheral = t.peripheral;
    let fault: string | undefined;
    req.complete = write
      ? () => {
          fault = peripheral.write(offset, value, size)?.fault;
        }
      : () => {
          const r = peripheral.read(offset, size);
          if (typeof r === 'number') this.readValue = r;
          else fault = r.fault;
        };
    yield* this.transfer(t.port, 1, t.accessCycles * t.port.clock.period);
    if (fault !== undefined) throw this.fault(address, size, write, fault);
    const v = write ? value : this.readValue;
    this.traceAccess(write, address, size, v, peripheral.name);
    return v;
  }

  /**
   * A block transfer (memcpy-like burst) of `data.length` bytes at `address`: reads into
   * `data` or writes it. The beats are the target's data-width words the range touches.
   * A line fill (`lineFill`: a cache's or fetch unit's read of a whole line) pays the
   * memory's read latency once: its first beat takes `readWaitStates`, the others
   * `burstReadWaitStates`; the first word's extra latency passes before the request reaches
   * the port, so it does not hold the port against the other master (a DRAM controller
   * overlaps it). Any other block pays `readWaitStates` on every beat, as that many separate
   * accesses would (uncached Device memory).
   */
  *accessBlock(address: number, write: boolean, data: Uint8Array, lineFill = false): Generator<Wait, void, unknown> {
    const length = data.length;
    if (length === 0) return;
    const w = this.find(address, length, write);
    const t = w.target;
    if (t.kind !== 'memory') throw this.fault(address, length, write, 'block transfers reach memories only');
    const offset = address - w.base + w.targetOffset;
    const width = t.widthBytes;
    const beats = Math.floor((offset + length - 1) / width) - Math.floor(offset / width) + 1;
    const bytes = t.memory.bytes;
    this.block = data;
    this.req.complete = write
      ? () => bytes.set(this.block!, offset)
      : () => this.block!.set(bytes.subarray(offset, offset + length));
    const burst = lineFill && !write;
    const waitStates = write ? t.writeWaitStates : burst ? t.burstReadWaitStates : t.readWaitStates;
    const leadTicks = burst ? Math.max(0, t.readWaitStates - t.burstReadWaitStates) * t.port.clock.period : 0;
    yield* this.transfer(t.port, beats, (1 + waitStates) * t.port.clock.period, leadTicks);
    this.block = null;
    this.traceBurst(write, address, length, t.memory.name, beats, this.lastStall);
  }

  private traceAccess(write: boolean, address: number, size: number, value: number, target: string): void {
    if (this.tracer === null || !this.tracer.wantsBus(target)) return;
    this.tracer.put({
      t: this.tracer.now,
      component: this.name,
      kind: 'bus',
      op: write ? 'write' : 'read',
      address,
      size,
      value,
      target,
      cycles: this.lastCycles,
      stall: this.lastStall,
    });
  }

  private *transfer(port: Port, beats: number, beatTicks: number, leadTicks = 0): Generator<Wait, void, unknown> {
    const k = this.kernel;
    const issued = k.now;
    const arrival = port.clock.nextEdge(issued) + port.clock.toTicks(cycles(this.crossing.syncCycles)) + leadTicks;
    if (arrival > issued) yield (arrival - issued) as Ticks;
    const req = this.req;
    req.beatsLeft = beats;
    req.beatTicks = beatTicks;
    port.request(req);
    yield req.done;
    const back = this.clock.toTicks(cycles(this.crossing.responseSyncCycles));
    const response = this.clock.nextEdge() + back;
    if (response > k.now) yield (response - k.now) as Ticks;
    // What the access would have cost with the port to itself: the difference is contention.
    const alone = this.clock.nextEdge((arrival + beats * beatTicks) as Ticks) + back;
    const period = this.clock.period;
    this.lastCycles = (k.now - issued) / period;
    this.lastStall = (k.now - alone) / period;
    this.stats.accesses++;
    this.stats.accessCycles += this.lastCycles;
    this.stats.stallCycles += this.lastStall;
  }
}
