// Where the view finds the fields it draws: both vrings' descriptors, avail and used rings,
// and the message buffers. The layout and the names are teach/fields.ts's (layoutFromHeader,
// namerFor: the names `rpmsg-sim explain` writes); this file keeps what the page draws as
// plain data (it is embedded in the page as JSON) and the small interface the reducer names
// addresses through (`FieldNamer`).

import { bufferSize } from '../../firmware/rpmsg-lite/virtio-ring';
import type { TraceHeader } from '../../sim/trace/header';
import { DEFAULT_PAYLOAD_SIZE, type TeachLayout, layoutFromHeader, namerFor } from '../fields';

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
  /** What the trace header did not say and was assumed (teach/fields.ts layoutFromHeader). */
  assumptions: string[];
}

/** What an address is, for the reducer: a vring field it draws, or nothing. */
export type FieldRef =
  | { vring: number; part: 'desc'; slot: number; field: 'addr' | 'len' | 'flags' | 'next' }
  | { vring: number; part: 'availFlags' | 'availIdx' | 'usedFlags' | 'usedIdx' }
  | { vring: number; part: 'availRing'; slot: number }
  | { vring: number; part: 'usedRing'; slot: number; field: 'id' | 'len' };

/** The teaching layout of a run from its header, with the scenario's payload size (the one figure the header lacks). */
export function teachLayoutOf(header: TraceHeader, bufferPayloadSize = DEFAULT_PAYLOAD_SIZE): TeachLayout {
  return layoutFromHeader(header, { bufferSize: bufferSize(bufferPayloadSize) });
}

/** What the page draws of a layout. Throws fields.ts's LayoutInferenceError if the header's vrings do not fit rpmsg-lite's layout. */
export function layoutOf(header: TraceHeader, bufferPayloadSize = DEFAULT_PAYLOAD_SIZE): ViewLayout {
  const t = teachLayoutOf(header, bufferPayloadSize);
  const n = t.bufferCount;
  const dirs = new Map(header.vrings.map((v) => [v.index, v.dir]));
  return {
    vrings: t.vrings.map((v, q) => ({
      index: q,
      dir: dirs.get(q) ?? (q === 1 ? 'm2r' : 'r2m'),
      num: n,
      base: v.base,
      desc: Array.from({ length: n }, (_, i) => v.desc(i)),
      availFlags: v.availFlags,
      availIdx: v.availIdx,
      availRing: Array.from({ length: n }, (_, s) => v.availRing(s)),
      usedFlags: v.usedFlags,
      usedIdx: v.usedIdx,
      usedRing: Array.from({ length: n }, (_, s) => ({ id: v.usedRingId(s), len: v.usedRingLen(s) })),
    })),
    bufferBase: t.bufferBase,
    bufferSize: t.bufferSize,
    buffers: Array.from({ length: t.buffers }, (_, k) => ({ index: k, addr: t.bufferBase + k * t.bufferSize, vring: k < n ? 0 : 1 })),
    assumptions: t.assumptions,
  };
}

/** Names and classifies addresses (the view's one source of field names). */
export interface FieldNamer {
  /** The vring field that starts at `address`, or null (also for an address inside a field). */
  fieldAt(address: number): FieldRef | null;
  /** The buffer that `address` falls in, or -1. */
  bufferAt(address: number): number;
  /** A field's name: `vring1.desc[2].len`, `vring0.avail.idx`. */
  nameOf(ref: FieldRef): string;
}

/**
 * The view's namer over teach/fields.ts's: names are fields.ts's texts; the vring fields the
 * view draws are looked up once per address (bus records repeat the same few addresses).
 */
export function teachNamer(layout: TeachLayout): FieldNamer {
  const name = namerFor(layout);
  const fields = new Map<number, FieldRef | null>();
  const names = new Map<FieldRef, string>();
  const end = layout.bufferBase + layout.buffers * layout.bufferSize;
  const refOf = (address: number): FieldRef | null => {
    const f = name(address, 1);
    if (f === null || f.vring === undefined || f.offset !== undefined) return null;
    const vring = f.vring;
    const slot = f.index ?? 0;
    let ref: FieldRef | null;
    switch (f.kind) {
      case 'desc.addr':
      case 'desc.len':
      case 'desc.flags':
      case 'desc.next':
        ref = { vring, part: 'desc', slot, field: f.kind.slice(5) as 'addr' | 'len' | 'flags' | 'next' };
        break;
      case 'avail.flags':
        ref = { vring, part: 'availFlags' };
        break;
      case 'avail.idx':
        ref = { vring, part: 'availIdx' };
        break;
      case 'used.flags':
        ref = { vring, part: 'usedFlags' };
        break;
      case 'used.idx':
        ref = { vring, part: 'usedIdx' };
        break;
      case 'avail.ring':
        ref = { vring, part: 'availRing', slot };
        break;
      case 'used.ring.id':
        ref = { vring, part: 'usedRing', slot, field: 'id' };
        break;
      case 'used.ring.len':
        ref = { vring, part: 'usedRing', slot, field: 'len' };
        break;
      default:
        ref = null;
    }
    if (ref !== null) names.set(ref, f.text);
    return ref;
  };
  return {
    fieldAt: (address) => {
      let ref = fields.get(address);
      if (ref === undefined) {
        ref = refOf(address);
        fields.set(address, ref);
      }
      return ref;
    },
    bufferAt: (address) => (address >= layout.bufferBase && address < end ? Math.floor((address - layout.bufferBase) / layout.bufferSize) : -1),
    nameOf: (ref) => names.get(ref) ?? name(addressOf(layout, ref), 1)!.text,
  };
}

function addressOf(layout: TeachLayout, ref: FieldRef): number {
  const v = layout.vrings[ref.vring]!;
  switch (ref.part) {
    case 'desc':
      return v.desc(ref.slot)[ref.field];
    case 'availRing':
      return v.availRing(ref.slot);
    case 'usedRing':
      return ref.field === 'id' ? v.usedRingId(ref.slot) : v.usedRingLen(ref.slot);
    default:
      return v[ref.part];
  }
}
