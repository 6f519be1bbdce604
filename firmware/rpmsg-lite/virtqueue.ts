// virtqueue.c: the ring primitives, each making the shared-memory accesses of the real
// library in its order (the shared COSTS notes §5), through the core's bus. Private
// cursors (vq_used_cons_idx, vq_available_idx) live here; everything shared lives in SRAM.
// With RL_USE_DCACHE the VQUEUE_FLUSH / VQUEUE_INVALIDATE of virtqueue.c run at the same
// points with the same ranges (docs/sources.md "Cache maintenance"); without it they compile to nothing and
// cost nothing here.

import { type Core, type Firmware, type FirmwareStep, NOTHING } from '../../sim/hw/core';
import { VRING_USED_F_NO_NOTIFY } from './constants';
import type { VringLayout } from './virtio-ring';

/** env_cache_flush / env_cache_invalidate as virtqueue.c reaches them (RL_USE_DCACHE only). */
export interface RlCacheHooks {
  flush(address: number, length: number): Firmware<void>;
  invalidate(address: number, length: number): Firmware<void>;
}

/** A buffer taken from a ring: its address (as the core sees it), length and descriptor index. */
export interface RingBuffer {
  address: number;
  length: number;
  index: number;
}

export class Virtqueue {
  /** vq_used_cons_idx: the master's read position in the used ring (u16, free-running). */
  usedConsIdx = 0;
  /** vq_available_idx: the remote's read position in the avail ring. */
  availableIdx = 0;
  /** vq_queued_cnt (reset by kick). */
  queuedCount = 0;

  constructor(
    private readonly core: Core,
    /** vq_name, as the C library names them ("rx_vq" / "tx_vq"). */
    readonly name: string,
    /** vq_queue_index: the vq id (link << 1 | vring). */
    readonly vqId: number,
    readonly ring: VringLayout,
    private readonly patova: (pa: number) => number,
    /** Called by kick: platform_notify. */
    private readonly notifyPeer: (vqId: number) => Firmware<void>,
    /** The callback virtqueue_notification runs (rx or tx callback of rpmsg-lite). */
    readonly callback: () => Firmware<void>,
    /** VQUEUE_FLUSH / VQUEUE_INVALIDATE; null without RL_USE_DCACHE (the macros are empty). */
    private readonly cache: RlCacheHooks | null = null,
  ) {}

  private flush(address: number, length: number): FirmwareStep<void> {
    return this.cache === null ? NOTHING : this.cache.flush(address, length);
  }

  private invalidate(address: number, length: number): FirmwareStep<void> {
    return this.cache === null ? NOTHING : this.cache.invalidate(address, length);
  }

  private slot(idx: number): number {
    return idx & (this.ring.num - 1);
  }

  /** virtqueue_get_buffer: used-ring consumer (master). L16 used.idx; DSB; L32 id; L32 len; L32 desc.addr. */
  *getBuffer(): Firmware<RingBuffer | null> {
    const c = this.core;
    yield* this.invalidate(this.ring.usedIdx, 2);
    const usedIdx = yield* c.read16(this.ring.usedIdx);
    if (this.usedConsIdx === usedIdx) return null;
    const slot = this.slot(this.usedConsIdx);
    yield* c.dataBarrier(); // env_rmb
    yield* this.invalidate(this.ring.usedRingId(slot), 8); // used->ring[slot]
    const index = yield* c.read32(this.ring.usedRingId(slot));
    const length = yield* c.read32(this.ring.usedRingLen(slot));
    this.usedConsIdx = (this.usedConsIdx + 1) & 0xffff;
    const pa = yield* c.read32(this.ring.desc(index).addr); // the low word of the u64 addr
    return { address: this.patova(pa), length, index };
  }

  /** virtqueue_get_available_buffer: avail-ring consumer (remote). L16 avail.idx; L16 ring; DSB; L32 addr; L32 len. */
  *getAvailableBuffer(): Firmware<RingBuffer | null> {
    const c = this.core;
    yield* this.invalidate(this.ring.availIdx, 2);
    const availIdx = yield* c.read16(this.ring.availIdx);
    if (this.availableIdx === availIdx) return null;
    const slot = this.slot(this.availableIdx);
    this.availableIdx = (this.availableIdx + 1) & 0xffff;
    yield* this.invalidate(this.ring.availRing(slot), 2);
    const index = yield* c.read16(this.ring.availRing(slot));
    yield* c.dataBarrier(); // env_rmb
    const d = this.ring.desc(index);
    const pa = yield* c.read32(d.addr);
    const length = yield* c.read32(d.len);
    return { address: this.patova(pa), length, index };
  }

  /** virtqueue_add_buffer: avail producer (master). L16 idx; S16 ring; DSB; L16 idx; S16 idx+1. */
  *addBuffer(index: number): Firmware<void> {
    const c = this.core;
    yield* this.invalidate(this.ring.availIdx, 2);
    const idx = yield* c.read16(this.ring.availIdx);
    yield* c.write16(this.ring.availRing(this.slot(idx)), index);
    yield* this.flush(this.ring.availRing(this.slot(idx)), 2);
    yield* c.dataBarrier(); // env_wmb
    const again = yield* c.read16(this.ring.availIdx);
    yield* c.write16(this.ring.availIdx, (again + 1) & 0xffff);
    yield* this.flush(this.ring.availIdx, 2);
    this.queuedCount++;
  }

  /**
   * virtqueue_add_consumed_buffer: used producer (remote). L16 idx; S32 id; S32 len; DSB;
   * L16 idx; S16 idx+1. Returns false for an index past the ring (the C check is `idx > N`,
   * an off-by-one kept as is).
   */
  *addConsumedBuffer(index: number, length: number): Firmware<boolean> {
    if (index > this.ring.num) return false;
    const c = this.core;
    yield* this.invalidate(this.ring.usedIdx, 2);
    const idx = yield* c.read16(this.ring.usedIdx);
    const slot = this.slot(idx);
    yield* c.write32(this.ring.usedRingId(slot), index);
    yield* c.write32(this.ring.usedRingLen(slot), length);
    yield* this.flush(this.ring.usedRingId(slot), 8);
    yield* c.dataBarrier(); // env_wmb
    const again = yield* c.read16(this.ring.usedIdx);
    yield* c.write16(this.ring.usedIdx, (again + 1) & 0xffff);
    yield* this.flush(this.ring.usedIdx, 2);
    return true;
  }

  /** virtqueue_get_buffer_length: L32 desc[idx].len. */
  *getBufferLength(index: number): Firmware<number> {
    yield* this.invalidate(this.ring.desc(index).len, 4);
    return yield* this.core.read32(this.ring.desc(index).len);
  }

  /** virtqueue_kick: DSB; L16 used.flags; notify unless VRING_USED_F_NO_NOTIFY; reset the queued count. */
  *kick(): Firmware<void> {
    const c = this.core;
    yield* c.dataBarrier(); // env_mb
    yield* this.invalidate(this.ring.usedFlags, 2); // vq_ring_must_notify_host
    const flags = yield* c.read16(this.ring.usedFlags);
    if ((flags & VRING_USED_F_NO_NOTIFY) === 0) yield* this.notifyPeer(this.vqId);
    this.queuedCount = 0;
  }

  /** virtqueue_notification: runs the callback (called from env_isr). */
  notification(): FirmwareStep<void> {
    return this.callback();
  }
}
