// Decodes a shared-memory image (`rpmsg-sim run --dump-shmem FILE`: the bytes of the shared
// memory from its base, little-endian as the cores store them) into named fields with their
// values (`rpmsg-sim shmem`): both vrings' descriptors, indices and ring entries, every
// buffer's rpmsg header and its payload bytes in hex. Pure: layout and bytes in, text out.

import { RPMSG_HDR, VRING_AVAIL_F_NO_INTERRUPT, VRING_DESC_F_NEXT, VRING_DESC_F_WRITE, VRING_USED_F_NO_NOTIFY, VQ_RING_DESC_CHAIN_END } from '../firmware/rpmsg-lite/constants';
import { hex, hexAddress } from '../sim/text/hex';
import type { TeachLayout } from './fields';

/** Payload bytes shown per buffer unless asked for more (hdr.len bytes, at most this many). */
export const DEFAULT_PAYLOAD_BYTES = 64;

export interface ShmemOptions {
  /** Payload bytes shown per buffer at most (default DEFAULT_PAYLOAD_BYTES). */
  payloadBytes?: number;
}

/** A dump whose size does not fit the layout. */
export class ShmemSizeError extends Error {
  override name = 'ShmemSizeError';
}

export function decodeShmem(layout: TeachLayout, bytes: Uint8Array, title: string, options: ShmemOptions = {}): string {
  const shm = layout.sharedMemory;
  if (bytes.length !== shm.size) {
    throw new ShmemSizeError(`the image has ${bytes.length} B; the shared memory of this layout is ${shm.size} B (give the scenario or platform that made it)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = (a: number) => a - shm.base;
  const u8 = (a: number) => view.getUint8(at(a));
  const u16 = (a: number) => view.getUint16(at(a), true);
  const u32 = (a: number) => view.getUint32(at(a), true);
  const limit = options.payloadBytes ?? DEFAULT_PAYLOAD_BYTES;
  const out: string[] = [];
  const fieldWidth = 26;
  const row = (address: number, field: string, value: string, meaning = '') => {
    out.push(`${hexAddress(address)}  ${field.padEnd(fieldWidth)}  ${meaning === '' ? value : `${value.padEnd(10)}  ${meaning}`}`);
  };
  const bufferOf = (addr: number): string => {
    const k = (addr - layout.bufferBase) / layout.bufferSize;
    return Number.isInteger(k) && k >= 0 && k < layout.buffers ? `buf[${k}]` : addr === 0 ? '(not set)' : '(not a buffer of this layout)';
  };

  out.push(`${title}: shared memory image of ${shm.size} B at ${hexAddress(shm.base)}`);
  for (const a of layout.assumptions) out.push(`assumed: ${a}`);
  layout.vrings.forEach((v, q) => {
    out.push('');
    out.push(`vring${q} (${q === 0 ? 'remote→master' : 'master→remote'})`);
    for (let i = 0; i < v.num; i++) {
      const d = v.desc(i);
      const addr = u32(d.addr);
      const high = u32(d.addr + 4);
      row(d.addr, `vring${q}.desc[${i}].addr`, hex(high === 0 ? addr : high * 2 ** 32 + addr), bufferOf(addr));
      row(d.len, `vring${q}.desc[${i}].len`, String(u32(d.len)));
      const flags = u16(d.flags);
      row(d.flags, `vring${q}.desc[${i}].flags`, hex(flags), bits(flags, [[VRING_DESC_F_NEXT, 'VRING_DESC_F_NEXT'], [VRING_DESC_F_WRITE, 'VRING_DESC_F_WRITE']]));
      const next = u16(d.next);
      row(d.next, `vring${q}.desc[${i}].next`, String(next), next === VQ_RING_DESC_CHAIN_END ? 'VQ_RING_DESC_CHAIN_END' : '');
    }
    const availFlags = u16(v.availFlags);
    row(v.availFlags, `vring${q}.avail.flags`, hex(availFlags), bits(availFlags, [[VRING_AVAIL_F_NO_INTERRUPT, 'VRING_AVAIL_F_NO_INTERRUPT']]));
    const availIdx = u16(v.availIdx);
    row(v.availIdx, `vring${q}.avail.idx`, String(availIdx), `${entries(availIdx)} written so far (free-running; next slot ${availIdx & (v.num - 1)})`);
    for (let k = 0; k < v.num; k++) row(v.availRing(k), `vring${q}.avail.ring[${k}]`, String(u16(v.availRing(k))), 'descriptor');
    row(v.usedEvent, `vring${q}.avail.used_event`, String(u16(v.usedEvent)), 'unused');
    const usedFlags = u16(v.usedFlags);
    row(v.usedFlags, `vring${q}.used.flags`, hex(usedFlags), bits(usedFlags, [[VRING_USED_F_NO_NOTIFY, 'VRING_USED_F_NO_NOTIFY']]));
    const usedIdx = u16(v.usedIdx);
    row(v.usedIdx, `vring${q}.used.idx`, String(usedIdx), `${entries(usedIdx)} written so far (free-running; next slot ${usedIdx & (v.num - 1)})`);
    for (let k = 0; k < v.num; k++) {
      row(v.usedRingId(k), `vring${q}.used.ring[${k}].id`, String(u32(v.usedRingId(k))), 'descriptor');
      row(v.usedRingLen(k), `vring${q}.used.ring[${k}].len`, String(u32(v.usedRingLen(k))));
    }
    row(v.availEvent, `vring${q}.used.avail_event`, String(u16(v.availEvent)), 'unused');
  });
  out.push('');
  out.push(`buffers (${layout.buffers} × ${layout.bufferSize} B from ${hexAddress(layout.bufferBase)})`);
  const payloadSize = layout.bufferSize - RPMSG_HDR.size;
  for (let k = 0; k < layout.buffers; k++) {
    const b = layout.bufferBase + k * layout.bufferSize;
    const name = `buf[${k}]`;
    row(b + RPMSG_HDR.src, `${name}.hdr.src`, String(u32(b + RPMSG_HDR.src)), 'source endpoint');
    row(b + RPMSG_HDR.dst, `${name}.hdr.dst`, String(u32(b + RPMSG_HDR.dst)), 'destination endpoint');
    row(b + RPMSG_HDR.reservedRfu, `${name}.hdr.reserved.rfu`, String(u16(b + RPMSG_HDR.reservedRfu)));
    row(b + RPMSG_HDR.reservedIdx, `${name}.hdr.reserved.idx`, String(u16(b + RPMSG_HDR.reservedIdx)), 'descriptor index (zero copy)');
    const len = u16(b + RPMSG_HDR.len);
    row(b + RPMSG_HDR.len, `${name}.hdr.len`, String(len), 'payload bytes');
    row(b + RPMSG_HDR.flags, `${name}.hdr.flags`, String(u16(b + RPMSG_HDR.flags)));
    const p = b + RPMSG_HDR.size;
    const shown = Math.min(len, payloadSize, limit);
    let nonZero = 0;
    for (let i = 0; i < payloadSize; i++) if (u8(p + i) !== 0) nonZero++;
    if (shown === 0) {
      row(p, `${name}.payload`, nonZero === 0 ? '(all zero)' : `(hdr.len 0; ${nonZero} non-zero bytes)`);
      continue;
    }
    for (let off = 0; off < shown; off += 16) {
      const n = Math.min(16, shown - off);
      const chunk = Array.from({ length: n }, (_, i) => u8(p + off + i));
      const hexText = chunk.map((c) => c.toString(16).padStart(2, '0')).join(' ');
      const ascii = chunk.map((c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
      row(p + off, `${name}.payload[+${off}..+${off + n - 1}]`, hexText.padEnd(47), `|${ascii}|`);
    }
    if (shown < Math.min(len, payloadSize)) out.push(`${''.padEnd(10)}  ${''.padEnd(fieldWidth)}  … ${Math.min(len, payloadSize) - shown} more bytes of hdr.len ${len} (--payload-bytes to show them)`);
    if (len > payloadSize) out.push(`${''.padEnd(10)}  ${''.padEnd(fieldWidth)}  hdr.len ${len} is larger than the payload size ${payloadSize}`);
  }
  return out.join('\n') + '\n';
}

function bits(value: number, names: [number, string][]): string {
  const set = names.filter(([b]) => (value & b) !== 0).map(([, n]) => n);
  const rest = value & ~names.reduce((m, [b]) => m | b, 0);
  if (rest !== 0) set.push(`unknown bits ${hex(rest)}`);
  return set.join(' ');
}

/** "1 entry", "3 entries". */
function entries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}
