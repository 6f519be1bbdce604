// libc as a dimension of a core's costs: the memcpy and memset a build links, per libc and
// instruction set. Each model gives the routine's executed instructions as a fit over the
// size (memcpy: COSTS §7, a least-squares fit over 4/16/64/256/496 bytes, dst 16-aligned, one
// fit with the source aligned, one with the source at +1; memset: measured the same way, see
// MEMSET) and the shape of its memory accesses on the shared side (word accesses, or bytes),
// which decides the bus traffic a copy into or out of shared memory issues. Exact: the fits'
// coefficients as measured; approximate: a size between the measured ones (largest residual
// 0 for the loops, 2–8 for the libraries) and the sub-word tail (one constant per model, see
// each source). The access shapes are read from the routines' code (newlib's memcpy-armv7m.S
// and ARMv6-M memcpy.c as COSTS §7 describes them; our own C loops).
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

// memset, MEASURED (no §7 data): our own driver calling memset(buf16, 0x5a, n) for n = 4, 16,
// 64, 256, 496, linked -nostdlib with the archive (newlib 3.3.0 libc_nano.a/libc.a, picolibc
// 1.8 default/release libc.a of the -mcpu's multilib; the C loops our own, -O2 -fno-builtin
// -fno-tree-loop-distribute-patterns), run under qemu-arm 7.2 -singlestep -d exec: executed
// instructions inside memset's `nm -S` range (a 2n+1 subs/bne loop self-test counts exactly),
// then a least-squares fit [slope, intercept, largest residual]. newlib-nano's memset equals
// newlib's in all three multilibs. tools/measure/libc.sh re-measures the counts.
type MemsetRow = readonly [number, number, number];
const MEMSET: Record<LibcName, Record<Isa, MemsetRow>> = {
  newlib: { 'armv6-m': [0.441, 37.7, 2.4], 'armv7e-m': [0.443, 28.0, 3.7], 'armv8-m.main': [0.443, 28.0, 3.7] },
  'newlib-nano': { 'armv6-m': [0.441, 37.7, 2.4], 'armv7e-m': [0.443, 28.0, 3.7], 'armv8-m.main': [0.443, 28.0, 3.7] },
  picolibc: { 'armv6-m': [5.0, 5.0, 0], 'armv7e-m': [4.0, 5.0, 0], 'armv8-m.main': [4.0, 5.0, 0] },
  'picolibc-release': { 'armv6-m': [0.64, 45.2, 7.7], 'armv7e-m': [0.503, 25.9, 1.9], 'armv8-m.main': [0.503, 25.9, 1.9] },
  'c-word-loop': { 'armv6-m': [0.75, 24.0, 0], 'armv7e-m': [0.75, 17.0, 0], 'armv8-m.main': [0.75, 17.0, 0] },
  'c-byte-loop': { 'armv6-m': [4.0, 6.0, 0], 'armv7e-m': [3.0, 5.0, 0], 'armv8-m.main': [3.0, 5.0, 0] },
};
const MEMSET_POINTS: Record<LibcName, Record<Isa, string>> = {
  newlib: { 'armv6-m': '37/46/67/151/256', 'armv7e-m': '26/37/58/142/247', 'armv8-m.main': '26/37/58/142/247' },
  'newlib-nano': { 'armv6-m': '37/46/67/151/256', 'armv7e-m': '26/37/58/142/247', 'armv8-m.main': '26/37/58/142/247' },
  picolibc: { 'armv6-m': '25/85/325/1285/2485', 'armv7e-m': '21/69/261/1029/1989', 'armv8-m.main': '21/69/261/1029/1989' },
  'picolibc-release': { 'armv6-m': '40/58/91/211/361', 'armv7e-m': '26/35/59/155/275', 'armv8-m.main': '26/35/59/155/275' },
  'c-word-loop': { 'armv6-m': '27/36/72/216/396', 'armv7e-m': '20/29/65/209/389', 'armv8-m.main': '20/29/65/209/389' },
  'c-byte-loop': { 'armv6-m': '22/70/262/1030/1990', 'armv7e-m': '17/53/197/773/1493', 'armv8-m.main': '17/53/197/773/1493' },
};

function memsetOf(libc: LibcName, isa: Isa): { fit: SizeFit; source: string } {
  const [slope, intercept, residual] = MEMSET[libc][isa];
  return {
    fit: { intercept, slope },
    source: `${libc} memset on ${isa}, measured: qemu-arm executed instructions ${MEMSET_POINTS[libc][isa]} for 4/16/64/256/496 B (dst 16-aligned), least-squares ${intercept} + ${slope}·n, largest residual ${residual} (firmware/costs/libc.ts)`,
  };
}

function model(libc: LibcName, isa: Isa): LibcModel {
  const fit = FITS[libc][isa];
  const tail = tailOf(libc, isa, fit[2]);
  const memset = memsetOf(libc, isa);
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
