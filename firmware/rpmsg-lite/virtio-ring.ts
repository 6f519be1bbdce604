// The vring layout in shared memory (virtio_ring.h, rpmsg_lite.c partitioning), as pure
// arithmetic: where every field of both vrings and every buffer sits. docs/sources.md "Shared-memory layout".

import { RL_MAX_BUFFER_COUNT, RL_MAX_VRING_ALIGN, RPMSG_HDR } from './constants';

/** rpmsg-lite configuration (rpmsg_config.h, or a per-link custom shared-memory config). */
export interface RlConfig {
  /** RL_BUFFER_PAYLOAD_SIZE (default 496). */
  bufferPayloadSize: number;
  /** RL_BUFFER_COUNT: buffers per direction, a power of two (default 2). */
  bufferCount: number;
  /** VRING_ALIGN of the platform family. */
  vringAlign: number;
  /** VRING_SIZE: the stride between the two vrings. */
  vringSize: number;
  /** RL_MS_PER_INTERVAL (default 1). */
  msPerInterval: number;
  /** RL_ALLOW_CONSUMED_BUFFERS_NOTIFICATION (default off). */
  allowConsumedBuffersNotification: boolean;
  /** RL_CLEAR_USED_BUFFERS (default off). */
  clearUsedBuffers: boolean;
  /**
   * RL_USE_DCACHE (default off): rpmsg-lite cleans and invalidates the shared memory it
   * touches (env_cache_flush / env_cache_invalidate reach the platform's cache hooks).
   * Optional so configurations written before it stay valid.
   */
  useDcache?: boolean;
  /** RL_ALLOW_CUSTOM_SHMEM_CONFIG: the config came from platform_get_custom_shmem_config. */
  customShmemConfig: boolean;
}

export function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

export function alignDown(value: number, align: number): number {
  return Math.floor(value / align) * align;
}

/** RL_BUFFER_SIZE = RL_WORD_ALIGN_UP(payload + 16). */
export function bufferSize(payload: number): number {
  return alignUp(payload + RPMSG_HDR.size, 4);
}

/**
 * VRING_SIZE of the MCU-to-MCU ports (lpc55s69, imxrt1170, …): descriptor table, avail ring
 * and used ring, each rounded up to VRING_ALIGN. 0x50 for 2 buffers at 0x10.
 */
export function mcuVringSize(count: number, align: number): number {
  return alignUp(count * 16, align) + alignUp(6 + 2 * count + 2, align) + alignUp(12 + 8 * count + 2, align);
}

/** The Linux-facing i.MX ports: VRING_ALIGN 0x1000, VRING_SIZE 0x8000. */
export const LINUX_VRING = { align: 0x1000, size: 0x8000 } as const;

/** The default configuration of an MCU-to-MCU port (rpmsg_default_config.h + the platform header). */
export function mcuConfig(overrides: Partial<RlConfig> = {}): RlConfig {
  const bufferCount = overrides.bufferCount ?? 2;
  const vringAlign = overrides.vringAlign ?? 0x10;
  return {
    bufferPayloadSize: 496,
    bufferCount,
    vringAlign,
    vringSize: mcuVringSize(bufferCount, vringAlign),
    msPerInterval: 1,
    allowConsumedBuffersNotification: false,
    clearUsedBuffers: false,
    customShmemConfig: false,
    ...overrides,
  };
}

/**
 * vring_size(num, align): the bytes master_init zeroes per vring. Counts sizeof(vring_avail)
 * as 6 and sizeof(vring_used) as 12 (both structs declare ring[1]), as the C macro does.
 */
export function vringSizeBytes(num: number, align: number): number {
  let s = 16 * num + 6 + 2 * num + 2;
  s = alignUp(s, align);
  return s + 12 + 8 * num + 2;
}

/** Addresses of every field of one vring. */
export interface VringLayout {
  base: number;
  num: number;
  desc(i: number): { addr: number; len: number; flags: number; next: number };
  availFlags: number;
  availIdx: number;
  availRing(slot: number): number;
  usedEvent: number;
  used: number;
  usedFlags: number;
  usedIdx: number;
  usedRingId(slot: number): number;
  usedRingLen(slot: number): number;
  availEvent: number;
}

/**
 * The layout of vring_init: descriptors at p, avail after them, used at the absolute address
 * of avail.ring[num] rounded up to `align` (rpmsg-lite aligns &avail->ring[num], not +2 as Linux).
 */
export function vringLayout(p: number, num: number, align: number): VringLayout {
  const avail = p + 16 * num;
  const used = alignUp(avail + 4 + 2 * num, align);
  return {
    base: p,
    num,
    desc: (i) => ({ addr: p + 16 * i, len: p + 16 * i + 8, flags: p + 16 * i + 12, next: p + 16 * i + 14 }),
    availFlags: avail,
    availIdx: avail + 2,
    availRing: (slot) => avail + 4 + 2 * slot,
    usedEvent: avail + 4 + 2 * num,
    used,
    usedFlags: used,
    usedIdx: used + 2,
    usedRingId: (slot) => used + 4 + 8 * slot,
    usedRingLen: (slot) => used + 8 + 8 * slot,
    availEvent: used + 4 + 8 * num,
  };
}

/** Where master_init puts everything, and whether it fits. */
export interface ShmemLayout {
  /** RL_WORD_ALIGN_UP(shmem_addr). */
  base: number;
  vring0: VringLayout;
  vring1: VringLayout;
  /** First buffer: RL_WORD_ALIGN_UP(shmem_addr + 2 * VRING_SIZE). */
  bufferBase: number;
  bufferSize: number;
  /** Buffers that fit (sh_mem_total); only 2N are used. */
  capacity: number;
  /** Address of buffer k (0..N-1 for vring 0, N..2N-1 for vring 1). */
  buffer(k: number): number;
}

/** The checks master_init makes on the configuration; null if it is acceptable. */
export function configProblem(config: RlConfig): string | null {
  const n = config.bufferCount;
  if (!Number.isInteger(n) || n <= 0 || (n & (n - 1)) !== 0 || n > RL_MAX_BUFFER_COUNT) {
    return `buffer count ${n} is not a power of two from 1 to ${RL_MAX_BUFFER_COUNT}`;
  }
  if (!Number.isInteger(config.bufferPayloadSize) || config.bufferPayloadSize <= 0) {
    return `buffer payload size ${config.bufferPayloadSize} is not positive`;
  }
  if (config.vringAlign > RL_MAX_VRING_ALIGN && !config.customShmemConfig) {
    return `VRING_ALIGN ${config.vringAlign} exceeds ${RL_MAX_VRING_ALIGN}`;
  }
  return null;
}

export function shmemLayout(shmemAddr: number, config: RlConfig, length = Infinity): ShmemLayout {
  const base = alignUp(shmemAddr, 4);
  const vs = config.vringSize;
  // A custom config clamps the alignment (docs/sources.md "Shared-memory layout").
  const align = Math.min(config.vringAlign, RL_MAX_VRING_ALIGN);
  const size = bufferSize(config.bufferPayloadSize);
  const overhead = 2 * vs;
  const capacity = length < overhead ? 0 : Math.floor(alignDown(length - overhead, 4) / size);
  const bufferBase = alignUp(shmemAddr + 2 * vs, 4);
  return {
    base,
    vring0: vringLayout(base, config.bufferCount, align),
    vring1: vringLayout(base + vs, config.bufferCount, align),
    bufferBase,
    bufferSize: size,
    capacity,
    buffer: (k) => bufferBase + k * size,
  };
}
