// Where the view finds the fields it draws: both vrings' descriptors, avail and used rings,
// and the message buffers, as plain data (it is embedded in the page as JSON). Derived
// from the trace header alone, plus the buffer payload size (the one thing the header
// does not say): vring 0 starts at the word-aligned shared-memory base, avail.idx sits
// 16·num + 2 bytes after a vring's start (so num follows from it), used.idx is named by the
// header, the stride between the vrings is VRING_SIZE, and the buffers start at
// RL_WORD_ALIGN_UP(shmem + 2·VRING_SIZE) (firmware/rpmsg-lite/virtio-ring.ts, RPMSG-LITE.md §1).
//
// This is the small interface the view names addresses through (`FieldNamer`); a fuller
// namer (every field of shared memory, mailbox bit fields) can replace it without touching
// the reducer.

import { alignUp, bufferSize } from '../../firmware/rpmsg-lite/virtio-ring';
import type { TraceHeader } from '../../sim/trace/header';

/** One vring's field addresses. */
export interface ViewVring {
  index: number;
  dir: 'm2r' | 'r2m';
  num: number;
  base: number;
  /** Per descriptor: addresses of addr (low word), len, flags, next. */
  desc: { addr: number; len: number; flags: number; next: number }[];
  availFlags: number;
  availIdx: number;
  availRing: number[];
  usedFlags: number;
  usedIdx: number;
  usedRing: { id: number; len: number }[];
}

export interface ViewLayout {
  vrings: ViewVring[];
  bufferBase: number;
  bufferSize: number;
  /** 2·num buffers: 0..num-1 carry vring 0's messages (r2m), num..2num-1 vring 1's (m2r). */
  buffers: { index: number; addr: number; vring: number }[];
}

/** What an address is, for the reducer: a vring field or nothing it draws. */
export type FieldRef =
  | { vring: number; part: 'desc'; slot: number; field: 'addr' | 'len' | 'flags' | 'next' }
  | { vring: number; part: 'availFlags' | 'availIdx' | 'usedFlags' | 'usedIdx' }
  | { vring: number; part: 'availRing'; slot: number }
  | { vring: number; part: 'usedRing'; slot: number; field: 'id' | 'len' };

/** A header whose vrings do not follow rpmsg-lite's layout (a hand-made trace). */
export class LayoutError extends Error {
  override name = 'LayoutError';
}

/** The layout of a run's shared memory (see the file comment); throws LayoutError if the header's vrings do not fit it. */
export function layoutOf(header: Pick<TraceHeader, 'sharedMemory' | 'vrings'>, bufferPayloadSize = 496): ViewLayout {
  const v0 = header.vrings.find((v) => v.index === 0);
  const v1 = header.vrings.find((v) => v.index === 1);
  if (v0 === undefined || v1 === undefined) throw new LayoutError('the trace header does not name vring 0 and vring 1');
  const base0 = alignUp(header.sharedMemory.base, 4);
  const num = (v0.availIdx - 2 - base0) / 16;
  if (!Number.isInteger(num) || num < 1) throw new LayoutError(`vring 0's avail.idx at 0x${v0.availIdx.toString(16)} is not 16·num + 2 bytes after the shared memory's start`);
  const base1 = v1.availIdx - 2 - 16 * num;
  const stride = base1 - base0;
  const vring = (v: typeof v0, base: number): ViewVring => {
    const avail = base + 16 * num;
    const used = v.usedIdx - 2;
    return {
      index: v.index,
      dir: v.dir,
      num,
      base,
      desc: Array.from({ length: num }, (_, i) => ({ addr: base + 16 * i, len: base + 16 * i + 8, flags: base + 16 * i + 12, next: base + 16 * i + 14 })),
      availFlags: avail,
      availIdx: avail + 2,
      availRing: Array.from({ length: num }, (_, s) => avail + 4 + 2 * s),
      usedFlags: used,
      usedIdx: used + 2,
      usedRing: Array.from({ length: num }, (_, s) => ({ id: used + 4 + 8 * s, len: used + 8 + 8 * s })),
    };
  };
  const bufferBase = alignUp(header.sharedMemory.base + 2 * stride, 4);
  const size = bufferSize(bufferPayloadSize);
  return {
    vrings: [vring(v0, base0), vring(v1, base1)],
    bufferBase,
    bufferSize: size,
    buffers: Array.from({ length: 2 * num }, (_, k) => ({ index: k, addr: bufferBase + k * size, vring: k < num ? 0 : 1 })),
  };
}

/** Names and classifies addresses (the view's one source of field names). */
export interface FieldNamer {
  /** The vring field at `address` (its first byte), or null. */
  fieldAt(address: number): FieldRef | null;
  /** The buffer that `address` falls in, or -1. */
  bufferAt(address: number): number;
  /** A field's name as the view writes it: `vring1.desc[2].len`, `vring0.avail.idx`. */
  nameOf(ref: FieldRef): string;
}

export function layoutNamer(layout: ViewLayout): FieldNamer {
  const fields = new Map<number, FieldRef>();
  for (const v of layout.vrings) {
    const vring = v.index;
    v.desc.forEach((d, slot) => {
      for (const field of ['addr', 'len', 'flags', 'next'] as const) fields.set(d[field], { vring, part: 'desc', slot, field });
    });
    fields.set(v.availFlags, { vring, part: 'availFlags' });
    fields.set(v.availIdx, { vring, part: 'availIdx' });
    v.availRing.forEach((a, slot) => fields.set(a, { vring, part: 'availRing', slot }));
    fields.set(v.usedFlags, { vring, part: 'usedFlags' });
    fields.set(v.usedIdx, { vring, part: 'usedIdx' });
    v.usedRing.forEach((u, slot) => {
      fields.set(u.id, { vring, part: 'usedRing', slot, field: 'id' });
      fields.set(u.len, { vring, part: 'usedRing', slot, field: 'len' });
    });
  }
  const end = layout.bufferBase + layout.buffers.length * layout.bufferSize;
  return {
    fieldAt: (address) => fields.get(address) ?? null,
    bufferAt: (address) => (address >= layout.bufferBase && address < end ? Math.floor((address - layout.bufferBase) / layout.bufferSize) : -1),
    nameOf: (ref) => {
      const v = `vring${ref.vring}`;
      switch (ref.part) {
        case 'desc':
          return `${v}.desc[${ref.slot}].${ref.field}`;
        case 'availFlags':
          return `${v}.avail.flags`;
        case 'availIdx':
          return `${v}.avail.idx`;
        case 'availRing':
          return `${v}.avail.ring[${ref.slot}]`;
        case 'usedFlags':
          return `${v}.used.flags`;
        case 'usedIdx':
          return `${v}.used.idx`;
        case 'usedRing':
          return `${v}.used.ring[${ref.slot}].${ref.field}`;
      }
    },
  };
}
