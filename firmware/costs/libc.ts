// libc as a dimension of a core's costs: the memcpy (and memset) a build links, per libc and
// instruction set. Each model gives the routine's executed instructions as a fit over the
// copy size (COSTS §7: a least-squares fit over 4/16/64/256/496 bytes, dst 16-aligned; one fit
// with the source aligned, one with the source at +1) and the shape of its memory accesses on
// the destination side (word stores, or bytes), which decides the bus traffic a copy into
// shared memory issues. Exact: the fits' coefficients as published; approximate: a size
// between the measured ones (largest residual 0 for the loops, 2–5 for the libraries) and the
// sub-word tail (one constant per model, see each source).
//
// `copyToShared` / `copyFromShared` are the routine as firmware: they charge the copy's own
// instructions (the fit minus the shared accesses, which the bus times) and issue those
// accesses in the libc's shape. rpmsg-lite's payload copy and the applications' own copies
// both go through them.

import type { Core, Firmware, Work } from '../../sim/hw/core';
import type { CostEntry } from './table';
import { LIBC_SIZES } from './measured-sizes';

/** The instruction sets the builds target (-mcpu cortex-m0plus; cortex-m4 and -m7; cortex-m33). */
export type Isa = 'armv6-m' | 'armv7e-m' | 'armv8-m.main';

/** The libcs (and hand-written loops) a build can link. */
export const LIBC_NAMES = ['newlib', 'newlib-nano', 'picolibc', 'picolibc-release', 'c-word-loop', 'c-byte-loop'] as const;
export type LibcName = (typeof LIBC_NAMES)[number];

export function isLibcName(name: string): name is LibcName {
  return (LIBC_NAMES as readonly string[]).includes(name);
}

/**
 * How a copy touches its destination (and, copying out of shared memory, its source):
 * - 'words': word accesses, then one 16-bit and/or one 8-bit access for a sub-word tail, whatever the
 *   other side's alignment (newlib's Thumb-2 assembly memcpy, which loads unaligned words; COSTS §3);
 * - 'words-when-aligned-16': words when both pointers are word-aligned and the size is 16 or more,
 *   else bytes; a byte tail (newlib's ARMv6-M C memcpy: TOO_SMALL / UNALIGNED; picolibc's release build, same source);
 * - 'words-when-aligned': words when both pointers are word-aligned, bytes otherwise; a byte tail (the C word loop);
 * - 'bytes': one byte at a time (a byte loop: picolibc's default build, the C byte loop).
 */
export type CopyShape = 'words' | 'words-when-aligned-16' | 'words-when-aligned' | 'bytes';

/** A fit: instructions = intercept + slope × bytes. */
export interface SizeFit {
  readonly intercept: number;
  readonly slope: number;
}

export interface LibcModel {
  readonly libc: LibcName;
  readonly isa: Isa;
  /** Both pointers word-aligned. */
  readonly memcpyAligned: SizeFit;
  /** The source at +1 (dst aligned). */
  readonly memcpySrcUnaligned: SizeFit;
  /** Instructions added for a size that is not a multiple of 4 (aligned copies only). */
  readonly subWordTail: number;
  readonly memset: SizeFit;
  readonly shape: CopyShape;
  /** Where the numbers come from. */
  readonly source: string;
  readonly tailSource: string;
  readonly memsetSource: string;
  /** Static sizes (bytes) of memcpy, memset and strncpy in this libc's multilib (measured-sizes.ts). */
  readonly sizes: { readonly memcpy: number; readonly memset: number; readonly strncpy?: number };
}

const MULTILIB: Record<Isa, string> = { 'armv6-m': 'v6-m', 'armv7e-m': 'v7e-m', 'armv8-m.main': 'v8-m.main' };
const S7 = 'COSTS §7 memcpy table (qemu-arm executed instructions, dst 16-aligned, least-squares fit over 4/16/64/256/496 B)';

// The §7 fits as [aligned slope, intercept, src+1 slope, intercept]; newlib-nano's memcpy is
// byte-identical to newlib's in all three multilibs (§7), picolibc's release build equals newlib
// on v7E-M/v8-M (§7).
type FitRow = readonly [number, number, number, number];
const FITS: Record<LibcName, Record<Isa, FitRow>> = {
  newlib: { 'armv6-m': [0.817, 33.1, 6.006, 12.9], 'armv7e-m': [0.537, 14.7, 0.54, 19.3], 'armv8-m.main': [0.575, 14.6, 0.579, 19.2] },
  'newlib-nano': { 'armv6-m': [0.817, 33.1, 6.006, 12.9], 'armv7e-m': [0.537, 14.7, 0.54, 19.3], 'armv8-m.main': [0.575, 14.6, 0.579, 19.2] },
  picolibc: { 'armv6-m': [6.0, 5.0, 6.0, 5.0], 'armv7e-m': [4.0, 6.0, 4.0, 6.0], 'armv8-m.main': [4.0, 6.0, 4.0, 6.0] },
  'picolibc-release': { 'armv6-m': [0.824, 40.7, 6.007, 20.2], 'armv7e-m': [0.537, 14.7, 0.54, 19.3], 'armv8-m.main': [0.575, 14.6, 0.579, 19.2] },
  'c-word-loop': { 'armv6-m': [1.25, 22.0, 5.0, 14.0], 'armv7e-m': [1.0, 15.0, 4.0, 7.0], 'armv8-m.main': [1.0, 15.0, 4.0, 7.0] },
  'c-byte-loop': { 'armv6-m': [5.0, 5.0, 5.0, 5.0], 'armv7e-m': [4.0, 4.0, 4.0, 4.0], 'armv8-m.main': [4.0, 4.0, 4.0, 4.0] },
};

function shapeOf(libc: LibcName, isa: Isa): CopyShape {
  switch (libc) {
    case 'newlib':
    case 'newlib-nano':
    case 'picolibc-release':
      return isa === 'armv6-m' ? 'words-when-aligned-16' : 'words';
    case 'picolibc':
    case 'c-byte-loop':
      return 'bytes';
    case 'c-word-loop':
      return 'words-when-aligned';
  }
}

function tailOf(libc: LibcName, isa: Isa, byteSlope: number): { value: number; source: string } {
  const shape = shapeOf(libc, isa);
  if (shape === 'bytes') return { value: 0, source: 'a byte loop: the fit counts every byte (largest residual 0, COSTS §7)' };
  if (shape === 'words') {
    return {
      value: 10,
      source:
        isa === 'armv7e-m'
          ? 'newlib memcpy-armv7m: a sub-word tail costs 5–15 more instructions, 10 taken (COSTS §3)'
          : 'Assumption: as newlib memcpy-armv7m on v7E-M (COSTS §3: 5–15, 10 taken); the v8-M fit differs from it by 0.04 instructions/byte only (COSTS §7)',
    };
  }
  const value = Math.round(1.5 * byteSlope);
  return { value, source: `Assumption: 1.5 tail bytes on average (sizes 4n+1..4n+3) copied by the byte loop at ${byteSlope} instructions/byte (the src+1 fit of COSTS §7): ${value}` };
}

function memsetOf(libc: LibcName, isa: Isa, fit: FitRow): { fit: SizeFit; source: string } {
  // No §7 data and no emulator at hand to measure: a memset is a memcpy without the loads.
  const shape = shapeOf(libc, isa);
  if (shape === 'bytes') {
    const slope = fit[0] - 1;
    return { fit: { intercept: fit[1], slope }, source: `Assumption: the byte copy loop (${fit[0]}/byte, COSTS §7) without its load: ${slope}/byte, same intercept` };
  }
  const slope = Math.round((fit[0] * 3) / 4 * 1000) / 1000;
  return { fit: { intercept: fit[1], slope }, source: `Assumption: the aligned memcpy fit (${fit[0]}/byte, COSTS §7) without its loads (a word copy is about 1 load in 4 of its instructions): ${slope}/byte, same intercept` };
}

function model(libc: LibcName, isa: Isa): LibcModel {
  const fit = FITS[libc][isa];
  const tail = tailOf(libc, isa, fit[2]);
  const memset = memsetOf(libc, isa, fit);
  const sizes = LIBC_SIZES[`${libc}/${MULTILIB[isa]}`]!;
  return {
    libc,
    isa,
    memcpyAligned: { slope: fit[0], intercept: fit[1] },
    memcpySrcUnaligned: { slope: fit[2], intercept: fit[3] },
    subWordTail: tail.value,
    memset: memset.fit,
    shape: shapeOf(libc, isa),
    source: `${libc} memcpy on ${isa}: ${S7}`,
    tailSource: tail.source,
    memsetSource: memset.source,
    sizes,
  };
}

/** Every libc's model on every ISA. */
export const LIBC_MODELS: Readonly<Record<LibcName, Readonly<Record<Isa, LibcModel>>>> = Object.fromEntries(
  LIBC_NAMES.map((libc) => [libc, { 'armv6-m': model(libc, 'armv6-m'), 'armv7e-m': model(libc, 'armv7e-m'), 'armv8-m.main': model(libc, 'armv8-m.main') }]),
) as Record<LibcName, Record<Isa, LibcModel>>;

/** The cost entries of a libc model (the `libc.*` section of a core's table). */
export function libcEntries(m: LibcModel): Record<string, CostEntry> {
  const count = (value: number, source: string): CostEntry => ({ value, unit: 'instructions', source });
  const rate = (value: number, source: string): CostEntry => ({ value, unit: 'instructions/byte', source });
  return {
    memcpyBase: count(m.memcpyAligned.intercept, `${m.source}: aligned ${m.memcpyAligned.intercept} + ${m.memcpyAligned.slope}·P`),
    memcpyPerByte: rate(m.memcpyAligned.slope, `${m.source}: aligned ${m.memcpyAligned.intercept} + ${m.memcpyAligned.slope}·P`),
    memcpySubWordTail: count(m.subWordTail, m.tailSource),
    memcpySrcUnalignedBase: count(m.memcpySrcUnaligned.intercept, `${m.source}: src+1 ${m.memcpySrcUnaligned.intercept} + ${m.memcpySrcUnaligned.slope}·P`),
    memcpySrcUnalignedPerByte: rate(m.memcpySrcUnaligned.slope, `${m.source}: src+1 ${m.memcpySrcUnaligned.intercept} + ${m.memcpySrcUnaligned.slope}·P`),
    memsetBase: count(m.memset.intercept, m.memsetSource),
    memsetPerByte: rate(m.memset.slope, m.memsetSource),
  };
}

/** The accesses a copy of `bytes` makes on its word-aligned shared side: a word burst, then single accesses. */
export interface CopyAccesses {
  /** Bytes moved by word accesses from the start (a multiple of 4). */
  readonly wordBytes: number;
  /** Then these accesses, in order: offset from the start and size (1 or 2). */
  readonly singles: readonly { readonly offset: number; readonly size: 1 | 2 }[];
}

/** The shared-side accesses of a copy of `bytes` in `shape`; `otherAligned`: the private side is word-aligned. */
export function copyAccesses(shape: CopyShape, bytes: number, otherAligned: boolean): CopyAccesses {
  const bytewise = shape === 'bytes' || (shape === 'words-when-aligned-16' && (!otherAligned || bytes < 16)) || (shape === 'words-when-aligned' && !otherAligned);
  if (bytewise) return { wordBytes: 0, singles: Array.from({ length: bytes }, (_, i) => ({ offset: i, size: 1 as const })) };
  const wordBytes = bytes - (bytes % 4);
  const singles: { offset: number; size: 1 | 2 }[] = [];
  let at = wordBytes;
  if (shape === 'words') {
    if (bytes - at >= 2) {
      singles.push({ offset: at, size: 2 });
      at += 2;
    }
    if (bytes - at === 1) singles.push({ offset: at, size: 1 });
  } else {
    for (; at < bytes; at++) singles.push({ offset: at, size: 1 });
  }
  return { wordBytes, singles };
}

/** The number of shared accesses of `copyAccesses`. */
export function accessCount(a: CopyAccesses): number {
  return a.wordBytes / 4 + a.singles.length;
}

/** What copyToShared / copyFromShared need of a core's costs (CoreCosts has it). */
export interface CopyCosts {
  readonly libcModel: LibcModel;
  chargeMemcpy(bytes: number, options?: { srcAligned?: boolean; sharedAccesses?: number }): Work;
}

/** memcpy(shared + 0, data, n): charged, and its stores issued in the libc's shape. */
export function* copyToShared(core: Core, costs: CopyCosts, address: number, data: Uint8Array, options: { srcAligned?: boolean } = {}): Firmware<void> {
  const aligned = options.srcAligned ?? true;
  const accesses = copyAccesses(costs.libcModel.shape, data.length, aligned);
  yield* core.run(costs.chargeMemcpy(data.length, { srcAligned: aligned, sharedAccesses: accessCount(accesses) }));
  if (accesses.wordBytes > 0) yield* core.writeBlock(address, data.subarray(0, accesses.wordBytes));
  for (const s of accesses.singles) {
    if (s.size === 2) yield* core.write16(address + s.offset, data[s.offset]! | (data[s.offset + 1]! << 8));
    else yield* core.write8(address + s.offset, data[s.offset]!);
  }
}

/** memcpy(private, shared + 0, n): charged, and its loads issued in the libc's shape; the bytes read. */
export function* copyFromShared(core: Core, costs: CopyCosts, address: number, length: number, options: { dstAligned?: boolean } = {}): Firmware<Uint8Array> {
  const aligned = options.dstAligned ?? true;
  const accesses = copyAccesses(costs.libcModel.shape, length, aligned);
  // The source (shared) is word-aligned: the aligned fit, whatever the private destination (§7 varies the source only).
  yield* core.run(costs.chargeMemcpy(length, { srcAligned: true, sharedAccesses: accessCount(accesses) }));
  const out = new Uint8Array(length);
  if (accesses.wordBytes > 0) out.set(yield* core.readBlock(address, accesses.wordBytes), 0);
  for (const s of accesses.singles) {
    if (s.size === 2) {
      const v = yield* core.read16(address + s.offset);
      out[s.offset] = v & 0xff;
      out[s.offset + 1] = (v >>> 8) & 0xff;
    } else {
      out[s.offset] = (yield* core.read8(address + s.offset)) & 0xff;
    }
  }
  return out;
}
