// Names for the addresses of a run: every field of both vrings, every rpmsg buffer's header
// and payload, the mailbox registers (with their bit fields where the models know them), and
// a one-line "why" for an access, decided from the field, the operation and the core's role.
// Also the ring state (avail/used indices, who holds each buffer) as a reducer over bus
// records. For teaching: `rpmsg-sim explain`, `layout`, `shmem` and the browser view use it.
//
// The layout comes from the rpmsg-lite configuration when the run is at hand
// (`layoutFromConfig`), or from a trace header alone (`layoutFromHeader`): the header has the
// shared memory and both vrings' index addresses, from which the buffer count, the vring
// stride and the used ring's place follow; it has no buffer payload size, which is taken
// from the records (master init writes desc.len = RL_BUFFER_SIZE) or else assumed to be the
// default 496 (rpmsg_default_config.h), and says so in `assumptions`.
// Facts of rpmsg-lite: docs/sources.md "rpmsg-lite" (layout, header, roles, kicks).

import type { TraceHeader, TraceMailbox } from '../sim/trace/header';
import type { TraceRecord } from '../sim/trace/trace';
import { type RlConfig, type VringLayout, alignUp, bufferSize, shmemLayout, vringLayout } from '../firmware/rpmsg-lite/virtio-ring';
import { RPMSG_HDR, VQ_RING_DESC_CHAIN_END, VRING_AVAIL_F_NO_INTERRUPT, VRING_DESC_F_NEXT, VRING_DESC_F_WRITE, VRING_USED_F_NO_NOTIFY } from '../firmware/rpmsg-lite/constants';
import { MU_CR, MU_SR } from '../sim/hw/nxp-mu';
import { hex } from '../sim/text/hex';

/** The rpmsg-lite default RL_BUFFER_PAYLOAD_SIZE (rpmsg_default_config.h). */
export const DEFAULT_PAYLOAD_SIZE = 496;

/** Where everything of one link sits in shared memory, and the mailbox windows. */
export interface TeachLayout {
  sharedMemory: { base: number; size: number };
  /** RL_BUFFER_COUNT: buffers (and descriptors) per vring. */
  bufferCount: number;
  /** RL_BUFFER_PAYLOAD_SIZE (from the header alone: bufferSize - 16, see `assumptions`). */
  payloadSize: number;
  /** RL_BUFFER_SIZE: header + payload, word aligned; the buffers' stride. */
  bufferSize: number;
  /** VRING_ALIGN; from a header alone the smallest power of two that puts the used ring where it is. */
  vringAlign: number;
  /** VRING_SIZE: the stride from vring 0 to vring 1. */
  vringSize: number;
  vrings: readonly [VringLayout, VringLayout];
  /** Address of buffer 0; buffer k at bufferBase + k * bufferSize (0..N-1 vring 0's, N..2N-1 vring 1's). */
  bufferBase: number;
  /** Buffers used: 2 * bufferCount. */
  buffers: number;
  mailboxes: readonly TraceMailbox[];
  /** What was not known and was assumed (empty when built from the configuration). */
  assumptions: string[];
}

/** The layout rpmsg_lite_master_init makes of `sharedMemory` with `config`. */
export function layoutFromConfig(sharedMemory: { base: number; size: number }, config: RlConfig, mailboxes: readonly TraceMailbox[] = []): TeachLayout {
  const l = shmemLayout(sharedMemory.base, config, sharedMemory.size);
  return {
    sharedMemory: { ...sharedMemory },
    bufferCount: config.bufferCount,
    payloadSize: config.bufferPayloadSize,
    bufferSize: bufferSize(config.bufferPayloadSize),
    vringAlign: config.vringAlign,
    vringSize: config.vringSize,
    vrings: [l.vring0, l.vring1],
    bufferBase: l.bufferBase,
    buffers: 2 * config.bufferCount,
    mailboxes,
    assumptions: [],
  };
}

/** A header whose vrings do not fit rpmsg-lite's layout. */
export class LayoutInferenceError extends Error {
  override name = 'LayoutInferenceError';
}

/**
 * The layout from a trace header alone. `bufferSize`: RL_BUFFER_SIZE if known (e.g. from
 * `bufferSizeFromRecords`); otherwise the default payload's is assumed.
 */
export function layoutFromHeader(header: TraceHeader, options: { bufferSize?: number } = {}): TeachLayout {
  const v0 = header.vrings.find((v) => v.index === 0);
  const v1 = header.vrings.find((v) => v.index === 1);
  if (v0 === undefined || v1 === undefined) throw new LayoutInferenceError('the trace header does not list vring 0 and vring 1');
  const base = alignUp(header.sharedMemory.base, 4);
  // avail.idx = base + 16 N + 2 (vring_init: descriptors first, then avail.flags)
  const n = (v0.availIdx - base - 2) / 16;
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
    throw new LayoutInferenceError(`vring 0's avail.idx at ${hex(v0.availIdx)} is not base + 16 N + 2 for a power of two N (shared memory at ${hex(header.sharedMemory.base)})`);
  }
  const vringSize = v1.availIdx - v0.availIdx;
  const used = v0.usedIdx - 2;
  const availEnd = base + 16 * n + 4 + 2 * n;
  let align = 2;
  while (align <= 0x10000 && alignUp(availEnd, align) !== used) align *= 2;
  if (align > 0x10000 || v1.usedIdx - v0.usedIdx !== vringSize) {
    throw new LayoutInferenceError(`vring 0's used.idx at ${hex(v0.usedIdx)} is not where vring_init puts it for ${n} buffers`);
  }
  const assumptions: string[] = [];
  let size = options.bufferSize;
  if (size === undefined) {
    size = bufferSize(DEFAULT_PAYLOAD_SIZE);
    assumptions.push(`buffer payload size: the trace header does not give it; assumed the default ${DEFAULT_PAYLOAD_SIZE} B (RL_BUFFER_SIZE ${size})`);
  }
  assumptions.push(`VRING_ALIGN: inferred as ${hex(align)}, the smallest alignment that puts the used ring at ${hex(used)}`);
  return {
    sharedMemory: { ...header.sharedMemory },
    bufferCount: n,
    payloadSize: size - RPMSG_HDR.size,
    bufferSize: size,
    vringAlign: align,
    vringSize,
    vrings: [vringLayout(base, n, align), vringLayout(base + vringSize, n, align)],
    bufferBase: alignUp(header.sharedMemory.base + 2 * vringSize, 4),
    buffers: 2 * n,
    mailboxes: header.mailboxes,
    assumptions,
  };
}

/**
 * RL_BUFFER_SIZE as the records show it: the first 32-bit write to vring 0's desc[0].len
 * (master init writes the buffer size there). Null if the records have none.
 */
export function bufferSizeFromRecords(header: TraceHeader, records: Iterable<TraceRecord>): number | null {
  const v0 = header.vrings.find((v) => v.index === 0);
  if (v0 === undefined) return null;
  const base = alignUp(header.sharedMemory.base, 4);
  for (const r of records) {
    if (r.kind === 'bus' && r.op === 'write' && r.size === 4 && r.address === base + 8) return r.value;
  }
  return null;
}

/**
 * The layout of a trace file alone: the header, with RL_BUFFER_SIZE from the records when
 * master init is among them (else the default payload is assumed, and `assumptions` says so).
 */
export function layoutOfTrace(header: TraceHeader, records: Iterable<TraceRecord>): TeachLayout {
  const size = bufferSizeFromRecords(header, records);
  return layoutFromHeader(header, size === null ? {} : { bufferSize: size });
}

// ---- names ----------------------------------------------------------------------------------

/** What a named address is, for the "why" and the ring state. */
export type FieldKind =
  | 'desc.addr'
  | 'desc.len'
  | 'desc.flags'
  | 'desc.next'
  | 'avail.flags'
  | 'avail.idx'
  | 'avail.ring'
  | 'used_event'
  | 'used.flags'
  | 'used.idx'
  | 'used.ring.id'
  | 'used.ring.len'
  | 'avail_event'
  | 'vring.padding'
  | 'hdr.src'
  | 'hdr.dst'
  | 'hdr.reserved'
  | 'hdr.len'
  | 'hdr.flags'
  | 'payload'
  | 'buffer'
  | 'shmem.gap'
  | 'shmem.unused'
  | 'range'
  | 'register';

export interface FieldName {
  /** `vring1`, `buf[5]`, `shmem`, `mu.a`, `mailbox`. */
  region: string;
  /** `desc[2].addr`, `avail.ring[1]`, `hdr.len`, `payload[+3]`, `CR`. */
  field: string;
  /** `vring1.desc[2].addr`, `buf[5].hdr.len`, `mu.a.CR`. */
  text: string;
  kind: FieldKind;
  /** The vring (0 or 1) of a vring field. */
  vring?: number;
  /** Descriptor number (desc fields) or ring slot (avail.ring, used.ring). */
  index?: number;
  /** Buffer number of a buffer field. */
  buffer?: number;
  /** Byte offset of the access inside the field (0: at its start). */
  offset?: number;
  /** The mailbox register's name. */
  register?: string;
  /** The access covers only part of the field (a byte of a word: the ARMv6-M builds store the header byte by byte). */
  partial?: boolean;
}

interface Span {
  start: number;
  end: number;
  region: string;
  field: string;
  kind: FieldKind;
  vring?: number;
  index?: number;
  buffer?: number;
}

/** Every field of the layout in address order, padding and gaps included (for names, `layout` and `shmem`). */
export function layoutSpans(layout: TeachLayout): Span[] {
  const spans: Span[] = [];
  const shm = layout.sharedMemory;
  const push = (s: Span) => {
    if (s.end > s.start) spans.push(s);
  };
  let at = shm.base;
  const gap = (to: number, region: string, field: string, kind: FieldKind) => {
    if (to > at) push({ start: at, end: to, region, field, kind });
    at = Math.max(at, to);
  };
  layout.vrings.forEach((v, q) => {
    const region = `vring${q}`;
    gap(v.base, 'shmem', q === 0 ? 'gap-before-vring0' : 'gap-after-vring0', 'shmem.gap');
    const n = v.num;
    for (let i = 0; i < n; i++) {
      const d = v.desc(i);
      push({ start: d.addr, end: d.addr + 8, region, field: `desc[${i}].addr`, kind: 'desc.addr', vring: q, index: i });
      push({ start: d.len, end: d.len + 4, region, field: `desc[${i}].len`, kind: 'desc.len', vring: q, index: i });
      push({ start: d.flags, end: d.flags + 2, region, field: `desc[${i}].flags`, kind: 'desc.flags', vring: q, index: i });
      push({ start: d.next, end: d.next + 2, region, field: `desc[${i}].next`, kind: 'desc.next', vring: q, index: i });
    }
    push({ start: v.availFlags, end: v.availFlags + 2, region, field: 'avail.flags', kind: 'avail.flags', vring: q });
    push({ start: v.availIdx, end: v.availIdx + 2, region, field: 'avail.idx', kind: 'avail.idx', vring: q });
    for (let k = 0; k < n; k++) push({ start: v.availRing(k), end: v.availRing(k) + 2, region, field: `avail.ring[${k}]`, kind: 'avail.ring', vring: q, index: k });
    push({ start: v.usedEvent, end: v.usedEvent + 2, region, field: 'avail.used_event', kind: 'used_event', vring: q });
    if (v.used > v.usedEvent + 2) push({ start: v.usedEvent + 2, end: v.used, region, field: 'padding', kind: 'vring.padding', vring: q });
    push({ start: v.usedFlags, end: v.usedFlags + 2, region, field: 'used.flags', kind: 'used.flags', vring: q });
    push({ start: v.usedIdx, end: v.usedIdx + 2, region, field: 'used.idx', kind: 'used.idx', vring: q });
    for (let k = 0; k < n; k++) {
      push({ start: v.usedRingId(k), end: v.usedRingId(k) + 4, region, field: `used.ring[${k}].id`, kind: 'used.ring.id', vring: q, index: k });
      push({ start: v.usedRingLen(k), end: v.usedRingLen(k) + 4, region, field: `used.ring[${k}].len`, kind: 'used.ring.len', vring: q, index: k });
    }
    push({ start: v.availEvent, end: v.availEvent + 2, region, field: 'used.avail_event', kind: 'avail_event', vring: q });
    at = v.availEvent + 2;
  });
  gap(layout.bufferBase, 'shmem', 'gap-after-vring1', 'shmem.gap');
  for (let k = 0; k < layout.buffers; k++) {
    const b = layout.bufferBase + k * layout.bufferSize;
    const region = `buf[${k}]`;
    push({ start: b + RPMSG_HDR.src, end: b + RPMSG_HDR.src + 4, region, field: 'hdr.src', kind: 'hdr.src', buffer: k });
    push({ start: b + RPMSG_HDR.dst, end: b + RPMSG_HDR.dst + 4, region, field: 'hdr.dst', kind: 'hdr.dst', buffer: k });
    push({ start: b + RPMSG_HDR.reservedRfu, end: b + RPMSG_HDR.len, region, field: 'hdr.reserved', kind: 'hdr.reserved', buffer: k });
    push({ start: b + RPMSG_HDR.len, end: b + RPMSG_HDR.len + 2, region, field: 'hdr.len', kind: 'hdr.len', buffer: k });
    push({ start: b + RPMSG_HDR.flags, end: b + RPMSG_HDR.flags + 2, region, field: 'hdr.flags', kind: 'hdr.flags', buffer: k });
    push({ start: b + RPMSG_HDR.size, end: b + layout.bufferSize, region, field: 'payload', kind: 'payload', buffer: k });
    at = b + layout.bufferSize;
  }
  if (shm.base + shm.size > at) push({ start: at, end: shm.base + shm.size, region: 'shmem', field: 'unused', kind: 'shmem.unused' });
  return spans;
}

/** Finds the span holding an address (binary search over the sorted spans). */
function spanAt(spans: readonly Span[], address: number): Span | null {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (address < s.start) hi = mid - 1;
    else if (address >= s.end) lo = mid + 1;
    else return s;
  }
  return null;
}

function fieldOf(s: Span, address: number, size: number): FieldName {
  const off = address - s.start;
  let field = s.field;
  if (s.kind === 'payload') field = size > 1 ? `payload[+${off}..+${off + size - 1}]` : `payload[+${off}]`;
  else if (s.kind === 'hdr.reserved') field = off === RPMSG_HDR.reservedIdx - RPMSG_HDR.reservedRfu && size <= 2 ? 'hdr.reserved.idx' : off === 0 && size <= 2 ? 'hdr.reserved.rfu' : off === 0 ? 'hdr.reserved' : `hdr.reserved[+${off}]`;
  else if (off !== 0) field = `${field}[+${off}]`;
  const name: FieldName = { region: s.region, field, text: `${s.region}.${field}`, kind: s.kind };
  if (s.vring !== undefined) name.vring = s.vring;
  if (s.index !== undefined) name.index = s.index;
  if (s.buffer !== undefined) name.buffer = s.buffer;
  if (off !== 0 || s.kind === 'payload') name.offset = off;
  if (s.kind !== 'payload' && s.kind !== 'hdr.reserved' && (off !== 0 || size < s.end - s.start)) name.partial = true;
  return name;
}

/** A mailbox register's name at `address`: the one the header gives, else `reg_<offset>`. */
function registerOf(mb: TraceMailbox, address: number): string {
  const off = address - mb.base;
  const reg = mb.registers.find((r) => r.offset === off);
  return reg?.name ?? `reg_${hex(off)}`;
}

/**
 * Every register of a mailbox window with its full name (`mu.a.CR`): the header's registers,
 * or, for a window the header names none of, one `reg_<offset>` per 32-bit word.
 */
export function mailboxRegisters(mb: TraceMailbox): { address: number; name: string }[] {
  const offsets = mb.registers.length > 0 ? mb.registers.map((r) => r.offset) : Array.from({ length: Math.ceil(mb.size / 4) }, (_, i) => 4 * i);
  return offsets.map((off) => ({ address: mb.base + off, name: `${mb.name}.${registerOf(mb, mb.base + off)}` }));
}

/**
 * The namer of a run: the name of an access (address, size in bytes), or null for an address
 * outside the shared memory and the mailbox windows. An access over several fields (a burst)
 * is named by its first and last field (`vring0.desc[0].addr..used.avail_event`); one that
 * covers a whole buffer is `buf[2]`.
 */
export function namerFor(layout: TeachLayout, header?: TraceHeader): (address: number, size: number) => FieldName | null {
  const spans = layoutSpans(layout);
  const mailboxes = header?.mailboxes ?? layout.mailboxes;
  return (address, size) => {
    for (const mb of mailboxes) {
      if (address >= mb.base && address < mb.base + mb.size) {
        const register = registerOf(mb, address);
        return { region: mb.name, field: register, text: `${mb.name}.${register}`, kind: 'register', register };
      }
    }
    const first = spanAt(spans, address);
    if (first === null) return null;
    const lastAddress = address + Math.max(1, size) - 1;
    if (lastAddress < first.end) return fieldOf(first, address, size);
    const last = spanAt(spans, lastAddress);
    if (first.buffer !== undefined && address === layout.bufferBase + first.buffer * layout.bufferSize && size === layout.bufferSize) {
      return { region: first.region, field: '', text: first.region, kind: 'buffer', buffer: first.buffer };
    }
    const a = fieldOf(first, address, 1);
    const endName = last === null ? `+${size - 1}` : last.region === first.region ? fieldOf(last, lastAddress, 1).field : fieldOf(last, lastAddress, 1).text;
    const field = `${a.field}..${endName}`;
    return { region: first.region, field, text: `${first.region}.${field}`, kind: 'range' };
  };
}

// ---- register values ------------------------------------------------------------------------

/** The kind of a mailbox window, from its register names. */
export function mailboxKindOf(mb: TraceMailbox): 'nxp-mu' | 'lpc-mailbox' | 'unknown' {
  const names = new Set(mb.registers.map((r) => r.name));
  if (names.has('CR') && names.has('SR') && names.has('TR0')) return 'nxp-mu';
  if (names.has('IRQ0SET') && names.has('IRQ1SET')) return 'lpc-mailbox';
  return 'unknown';
}

/** Names of the set bits of an MU SR or CR value (sim/hw/nxp-mu.ts), highest bit first; null for other registers. */
export function muBits(register: string, value: number): string[] | null {
  const names: string[] = [];
  const test = (mask: number, name: string) => {
    if ((value & mask) >>> 0 !== 0) names.push(name);
  };
  if (register === 'SR') {
    for (let n = 0; n < 4; n++) test(MU_SR.GIP(n), `GIP${n}`);
    for (let n = 0; n < 4; n++) test(MU_SR.RF(n), `RF${n}`);
    for (let n = 0; n < 4; n++) test(MU_SR.TE(n), `TE${n}`);
    test(MU_SR.FUP, 'FUP');
    test(MU_SR.RS, 'RS');
    test(MU_SR.EP, 'EP');
    for (let n = 2; n >= 0; n--) test(1 << n, `F${n}`);
    return names;
  }
  if (register === 'CR') {
    for (let n = 0; n < 4; n++) test(MU_CR.GIE(n), `GIE${n}`);
    for (let n = 0; n < 4; n++) test(MU_CR.RIE(n), `RIE${n}`);
    for (let n = 0; n < 4; n++) test(MU_CR.TIE(n), `TIE${n}`);
    for (let n = 0; n < 4; n++) test(MU_CR.GIR(n), `GIR${n}`);
    test(MU_CR.MUR, 'MUR');
    for (let n = 2; n >= 0; n--) test(1 << n, `F${n}`);
    return names;
  }
  return null;
}

/** The bits of a register value in words: `GIE0 GIE1 GIR1`, `bit 1`, `vq 1 << 16`; '' when there is nothing to say. */
export function describeRegisterValue(mb: TraceMailbox, register: string, value: number): string {
  const kind = mailboxKindOf(mb);
  if (kind === 'nxp-mu') {
    const bits = muBits(register, value);
    if (bits !== null) return bits.length === 0 ? 'no bits set' : bits.join(' ');
    if (/^(TR|RR)\d$/.test(register)) return value !== 0 && (value & 0xffff) === 0 ? `vq id ${value >>> 16} << 16` : '';
    return '';
  }
  if (kind === 'lpc-mailbox' && /^IRQ\d/.test(register)) {
    const bits: string[] = [];
    for (let b = 0; b < 32; b++) if (((value >>> b) & 1) !== 0) bits.push(`bit ${b}`);
    return bits.length === 0 ? 'no bits set' : bits.join(' ');
  }
  if (kind === 'lpc-mailbox' && register === 'MUTEX') return (value & 1) !== 0 ? 'EX' : 'no bits set';
  return '';
}

// ---- why ------------------------------------------------------------------------------------

/** What the explainer knows of the access beyond its field. */
export interface AccessContext {
  op: 'read' | 'write';
  /** The role of the core making it. */
  role: 'master' | 'remote';
  value: number;
  /** The core is in an interrupt handler. */
  inHandler?: boolean;
  /** The innermost rpmsg-lite API call open on the core. */
  fn?: string;
  /** platform_notify has begun on the core (an rl-notify record) and not yet written the mailbox. */
  notifying?: boolean;
  /**
   * A block write of one aligned 32-byte line: how a core's D-cache
   * writes a line back (the Cortex-M7's D-cache lines are 32 bytes, Arm Cortex-M7 TRM); the
   * caller decides from the record's address and size.
   */
  cacheLine?: boolean;
}

/** The traffic direction of vring q (docs/sources.md "Virtqueue roles"): vring 1 master→remote, vring 0 remote→master. */
function isM2r(q: number | undefined): boolean {
  return q === 1;
}

/**
 * One line on why the firmware makes this access (docs/sources.md "Virtqueue roles", "Notifications and the rx ISR" for the flows,
 * platforms/common/mailbox-ports.ts for the doorbells).
 */
export function whyOf(name: FieldName, a: AccessContext, mailboxes: readonly TraceMailbox[] = []): string {
  const w = a.op === 'write';
  const master = a.role === 'master';
  const m2r = isM2r(name.vring);
  const init = a.fn === 'rpmsg_lite_master_init';
  const hdrWords = HDR_WORDS[name.kind];
  if (name.partial && hdrWords !== undefined) return `byte ${name.offset ?? 0} of ${hdrWords}: ${w ? 'a byte-by-byte store' : 'a byte-by-byte load'}`;
  switch (name.kind) {
    case 'desc.addr':
      if (name.offset === 4) return w ? 'upper half of the 64-bit buffer address (0 on a 32-bit core)' : 'upper half of the buffer address';
      return w ? `point the descriptor at its buffer (${hex(a.value)})` : 'find the buffer the descriptor points at';
    case 'desc.len':
      return w ? 'the buffer\'s size (RL_BUFFER_SIZE)' : 'the buffer\'s size';
    case 'desc.flags':
      return w ? `descriptor flags: ${flagWords(a.value, [[VRING_DESC_F_NEXT, 'NEXT'], [VRING_DESC_F_WRITE, 'WRITE']])}` : 'descriptor flags';
    case 'desc.next':
      return w ? (a.value === VQ_RING_DESC_CHAIN_END ? 'end of the free descriptor chain (VQ_RING_DESC_CHAIN_END)' : `chain the free descriptors: next is ${a.value}`) : 'the next descriptor';
    case 'avail.flags':
      return w ? `avail.flags = ${flagWords(a.value, [[VRING_AVAIL_F_NO_INTERRUPT, 'VRING_AVAIL_F_NO_INTERRUPT']])} (virtqueue_disable_cb; the remote never reads it)` : 'read avail.flags to set a bit in it';
    case 'avail.idx':
      if (w) {
        if (m2r) return 'publish the buffer to the remote: avail.idx counts the messages offered';
        return init ? 'offer the empty buffer to the remote, for its messages' : 'give the empty buffer back to the remote, for its next message';
      }
      if (!master) return m2r ? 'anything new from the master? (avail.idx against its own count)' : 'is there an empty buffer to send with? (avail.idx against its own count)';
      return 'read avail.idx to step it';
    case 'avail.ring':
      if (w) return m2r ? `put the message's descriptor (${a.value}) in the avail ring` : `put the empty buffer's descriptor (${a.value}) in the avail ring`;
      return m2r ? `take the next message: descriptor ${a.value}` : `take an empty buffer: descriptor ${a.value}`;
    case 'used.idx':
      if (w) {
        if (master) return 'the pre-loaded buffers are free for sending';
        return m2r ? 'give the used buffer back to the master' : 'publish the message to the master: used.idx counts the messages';
      }
      if (master && !init) return m2r ? 'is there a free buffer to send with? (used.idx against its own count)' : 'anything new from the remote? (used.idx against its own count)';
      return 'read used.idx to step it';
    case 'used.ring.id':
      if (w) {
        if (master) return `pre-load free buffer ${a.value} for sending`;
        return m2r ? `return the consumed buffer (descriptor ${a.value}) to the master` : `hand the message's descriptor (${a.value}) to the master`;
      }
      return m2r ? `take the used buffer back: descriptor ${a.value}` : `take the message: descriptor ${a.value}`;
    case 'used.ring.len':
      return `its length (${a.value} B)`;
    case 'used.flags':
      if (w) return 'used.flags';
      return (a.value & VRING_USED_F_NO_NOTIFY) !== 0 ? 'may it notify? no: VRING_USED_F_NO_NOTIFY is set' : 'may it notify? yes: VRING_USED_F_NO_NOTIFY is clear';
    case 'used_event':
    case 'avail_event':
      return 'event index (unused: rpmsg-lite does not use VIRTIO_RING_F_EVENT_IDX)';
    case 'vring.padding':
    case 'shmem.gap':
    case 'shmem.unused':
      return 'alignment padding: rpmsg-lite does not use these bytes';
    case 'hdr.src':
      return w ? `rpmsg header: the source endpoint (${a.value})` : `who sent it: endpoint ${a.value}`;
    case 'hdr.dst':
      return w ? `rpmsg header: the destination endpoint (${a.value})` : `which endpoint gets it: ${a.value}`;
    case 'hdr.len':
      return w ? `rpmsg header: the payload length (${a.value} B)` : `the payload length (${a.value} B)`;
    case 'hdr.flags':
      return w ? 'rpmsg header: flags (0)' : 'rpmsg header flags';
    case 'hdr.reserved':
      if (name.field === 'hdr.reserved.rfu') return 'reserved for future use';
      if (a.fn === 'rpmsg_lite_alloc_tx_buffer') return `remember the buffer's descriptor (${a.value}) for rpmsg_lite_send_nocopy`;
      if (a.fn === 'rpmsg_lite_send_nocopy') return `which descriptor this buffer is (${a.value}, kept by rpmsg_lite_alloc_tx_buffer)`;
      if (a.fn === 'rpmsg_lite_release_rx_buffer') return `which descriptor this buffer came in (${a.value}, kept when the callback held it)`;
      return w ? `the callback holds the buffer (RL_HOLD): keep its descriptor (${a.value}) for rpmsg_lite_release_rx_buffer` : `the buffer's descriptor (${a.value})`;
    case 'payload': {
      const ch = a.value >= 0x20 && a.value < 0x7f && name.field.indexOf('..') < 0 ? ` ('${String.fromCharCode(a.value)}')` : '';
      return w ? `copy the payload into the buffer${ch}` : `read the payload${ch}`;
    }
    case 'buffer':
    case 'range':
      if (w && a.cacheLine === true) return 'a D-cache line written back: what the core stored in its cache reaches the shared memory';
      return w ? 'clear the memory (memset)' : 'read a block';
    case 'register':
      return registerWhy(name, a, mailboxes);
  }
}

/**
 * The rpmsg-lite C function inside the API call or handler that makes this access, when the
 * field and the core's role tell (docs/sources.md "Virtqueue roles" and firmware/rpmsg-lite/virtqueue.ts:
 * the master consumes used rings and produces avail rings, the remote the other way round);
 * null when the access is the enclosing function's own (header stores of a send, mailbox
 * accesses of the platform layer). `previous`: the function of the core's previous access in
 * the same call, for the descriptor reads that follow a ring read. `inCallback`: between the
 * delivery of a message and its endpoint callback's return.
 */
export function cFunctionOf(name: FieldName, a: AccessContext & { previous?: string | null; inCallback?: boolean }): string | null {
  const w = a.op === 'write';
  const master = a.role === 'master';
  const init = a.fn === 'rpmsg_lite_master_init' && !a.inHandler;
  const vq = name.vring === undefined ? '' : `(vring${name.vring})`;
  switch (name.kind) {
    case 'range':
      return init ? (w ? 'memset of the vring (vring_size bytes)' : null) : null;
    case 'buffer':
      return init && w ? 'env_memset of the buffer' : null;
    case 'desc.next':
      return init && w ? `vq_ring_init${vq}: chain the free descriptors` : null;
    case 'avail.flags':
      return init ? `virtqueue_disable_cb${vq}` : null;
    case 'desc.addr':
    case 'desc.len':
    case 'desc.flags':
      if (w) return init ? `descriptor ${name.index} of vring${name.vring}` : null;
      if (a.previous?.startsWith('virtqueue_get_') === true && name.kind !== 'desc.flags') return a.previous;
      return name.kind === 'desc.len' ? `virtqueue_get_buffer_length${vq}` : null;
    case 'avail.idx':
    case 'avail.ring':
      if (init) return `virtqueue_fill_avail_buffers${vq}`;
      return master ? `virtqueue_add_buffer${vq}` : `virtqueue_get_available_buffer${vq}`;
    case 'used.idx':
    case 'used.ring.id':
    case 'used.ring.len':
      if (init) return `virtqueue_fill_used_buffers${vq}`;
      return master ? `virtqueue_get_buffer${vq}` : `virtqueue_add_consumed_buffer${vq}`;
    case 'used.flags':
      return w ? null : `virtqueue_kick${vq}`;
    case 'hdr.src':
    case 'hdr.dst':
    case 'hdr.len':
    case 'hdr.flags':
    case 'hdr.reserved':
      return a.inHandler && !(a.inCallback ?? false) ? 'rpmsg_lite_rx_callback' : null;
    case 'payload':
      if (a.inCallback ?? false) return 'the endpoint callback (the application)';
      return w ? 'env_memcpy of the payload' : null;
    case 'register':
      if (a.notifying) return 'platform_notify';
      if (a.inHandler) return "the platform's mailbox ISR";
      if (a.fn === 'rpmsg_lite_master_init' || a.fn === 'rpmsg_lite_remote_init') return w && (a.value & MU_CR.MUR) !== 0 && name.register === 'CR' ? 'platform_init' : 'platform_init_interrupt';
      if (a.fn === 'rpmsg_lite_deinit') return 'platform_deinit_interrupt';
      return null;
    default:
      return null;
  }
}

/** Header fields in words, for the accesses that touch part of one. */
const HDR_WORDS: Partial<Record<FieldKind, string>> = {
  'hdr.src': 'the source endpoint',
  'hdr.dst': 'the destination endpoint',
  'hdr.len': 'the payload length',
  'hdr.flags': 'the header flags (0)',
};

function flagWords(value: number, bits: [number, string][]): string {
  const set = bits.filter(([b]) => (value & b) !== 0).map(([, n]) => n);
  const rest = value & ~bits.reduce((m, [b]) => m | b, 0);
  if (rest !== 0) set.push(hex(rest));
  return set.length === 0 ? '0' : set.join('|');
}

function registerWhy(name: FieldName, a: AccessContext, mailboxes: readonly TraceMailbox[]): string {
  const mb = mailboxes.find((m) => m.name === name.region);
  const kind = mb === undefined ? 'unknown' : mailboxKindOf(mb);
  const reg = name.register ?? name.field;
  const w = a.op === 'write';
  if (kind === 'nxp-mu') {
    if (reg === 'CR') {
      if (!w) {
        if (a.notifying) return 'is the doorbell still pending? (GIRn set: do not ring again)';
        return a.inHandler ? 'read CR' : 'read CR to change some of its bits (read-modify-write)';
      }
      if ((a.value & MU_CR.MUR) !== 0) return 'reset the MU (MUR)';
      const gir = muBits('CR', a.value & MU_CR.GIR_MASK)!;
      if (gir.length > 0) return `ring the doorbell: ${gir.join(' ')} interrupts the other core (vring ${gir.map((g) => g.slice(3)).join(', ')})`;
      const gie = muBits('CR', a.value & MU_CR.GIE_MASK)!;
      const rie = muBits('CR', a.value & MU_CR.RIE_MASK)!;
      const on = [...gie, ...rie];
      return on.length === 0 ? 'disable the doorbell interrupts' : `enable the doorbell interrupts: ${on.join(' ')}`;
    }
    if (reg === 'SR') {
      if (w) {
        const gip = muBits('SR', a.value & MU_SR.GIP_MASK)!;
        return gip.length > 0 ? `acknowledge the doorbell: write 1 to clear ${gip.join(' ')}` : 'write SR';
      }
      if (a.inHandler) {
        const gip = muBits('SR', a.value & (MU_SR.GIP_MASK | MU_SR.RF_MASK))!;
        return gip.length > 0 ? `which doorbell rang? ${gip.join(' ')}` : 'which doorbell rang? none';
      }
      return 'is the transmit register empty? (TEn set: the other side has read the last word)';
    }
    if (/^TR\d$/.test(reg)) {
      const n = reg.slice(2);
      return w ? `send the word to the other side: its RR${n}, setting its RF${n} (its receive interrupt when RIE${n} is set)` : `read ${reg}`;
    }
    if (/^RR\d$/.test(reg)) return w ? `${reg} is read-only` : `take the word the other side wrote to its TR${reg.slice(2)} (clears RF${reg.slice(2)})`;
  }
  if (kind === 'lpc-mailbox') {
    const bits = [];
    for (let b = 0; b < 32; b++) if (((a.value >>> b) & 1) !== 0) bits.push(b);
    if (/^IRQ\dSET$/.test(reg)) return w ? `ring the doorbell: bit ${bits.join(', ')} (vring ${bits.join(', ')}) in the other CPU's word` : `${reg} is write-only`;
    if (/^IRQ\dCLR$/.test(reg)) return w ? (bits.length === 32 ? 'clear every request of its own word' : `acknowledge the doorbell: clear bit ${bits.join(', ')}`) : `${reg} is write-only`;
    if (/^IRQ\d$/.test(reg)) return w ? `set the whole request word of CPU slot ${reg.slice(3)}` : a.inHandler ? `which doorbell rang? ${bits.length === 0 ? 'none' : bits.map((b) => `bit ${b}`).join(' ')}` : 'is a request still pending?';
    if (reg === 'MUTEX') return w ? 'release the mailbox mutex' : 'take the mailbox mutex';
  }
  return w ? `write ${reg}` : `read ${reg}`;
}

// ---- ring state -----------------------------------------------------------------------------

/**
 * Where a descriptor's buffer is: not laid out yet; held by a core (the master while it fills
 * a tx buffer or reads a message, the remote likewise); or waiting in a ring for the other
 * side (avail: published by the master, for the remote; used: published for the master).
 */
export type BufferPlace = 'unset' | 'master' | 'remote' | 'avail' | 'used';

export interface DescriptorState {
  /** The buffer (number) its addr points at; null before it is set. */
  buffer: number | null;
  place: BufferPlace;
}

export interface VringState {
  index: number;
  dir: 'm2r' | 'r2m';
  /** Last value seen at avail.idx / used.idx (a write, or a read of it); null: unknown (before any access, after a burst over it). */
  availIdx: number | null;
  usedIdx: number | null;
  /** Last values written to avail.ring[k] and used.ring[k].id. */
  availRing: (number | null)[];
  usedRing: (number | null)[];
  descs: DescriptorState[];
}

export interface RingState {
  vrings: VringState[];
}

/** A burst record (its data is not in it). */
export type BurstRecord = TraceRecord & { kind: 'burst' };

export interface RingReducerOptions {
  /**
   * The value of the vring field starting at `address` (one the burst write `r` covers, read
   * with the field's own size: desc.addr's low word) after the burst, or undefined where it
   * is not known. A lookup in a table made while the run went on (`BurstValues`), so that
   * the reducer stays a function of its state and record.
   */
  burstValue?: (r: BurstRecord, address: number) => number | undefined;
}

/**
 * The vring fields burst writes left in shared memory, by record number and then the field's
 * address: read from the simulated memory while the record was delivered (scenario-engine/run.ts
 * hands trace sinks a MemoryReader), since a burst record carries no data. Plain data (JSON keys).
 */
export type BurstValues = Record<number, Record<number, number>>;

/** Bytes read for a vring field's value: its size, but desc.addr's low word (the address on 32-bit cores, as a bus write of it has). */
const VRING_FIELD_BYTES: Partial<Record<FieldKind, number>> = {
  'desc.addr': 4,
  'desc.len': 4,
  'desc.flags': 2,
  'desc.next': 2,
  'avail.flags': 2,
  'avail.idx': 2,
  'avail.ring': 2,
  used_event: 2,
  'used.flags': 2,
  'used.idx': 2,
  'used.ring.id': 4,
  'used.ring.len': 4,
  avail_event: 2,
};

/**
 * The reader of burst writes' values for a layout: for a burst write `r`, every vring field
 * whose first byte it covers (as the ring reducer and the view count them; the padding
 * excluded) with the value `memory` holds there now, each read at the field's address with
 * its own size (`VRING_FIELD_BYTES`); null for any other record, a burst outside the vrings,
 * or one whose values memory cannot give.
 */
export function burstFieldReader(
  layout: TeachLayout,
): (r: TraceRecord, memory: (address: number, size: number) => number | undefined) => Record<number, number> | null {
  const name = namerFor(layout);
  const from = Math.min(...layout.vrings.map((v) => v.base));
  const to = Math.max(...layout.vrings.map((v) => v.availEvent + 2));
  return (r, memory) => {
    if (r.kind !== 'burst' || r.op !== 'write') return null;
    let out: Record<number, number> | null = null;
    for (let at = Math.max(r.address, from), end = Math.min(r.address + r.size, to); at < end; at++) {
      const f = name(at, 1);
      const bytes = f === null || f.vring === undefined || f.offset !== undefined ? undefined : VRING_FIELD_BYTES[f.kind];
      if (bytes === undefined) continue;
      const value = memory(at, bytes);
      if (value !== undefined) (out ??= {})[at] = value;
    }
    return out;
  };
}

/** Before any access: nothing laid out. */
export function initialRingState(layout: TeachLayout): RingState {
  return {
    vrings: layout.vrings.map((v, q) => ({
      index: q,
      dir: q === 1 ? ('m2r' as const) : ('r2m' as const),
      availIdx: null,
      usedIdx: null,
      availRing: new Array<number | null>(v.num).fill(null),
      usedRing: new Array<number | null>(v.num).fill(null),
      descs: Array.from({ length: v.num }, () => ({ buffer: null, place: 'unset' as BufferPlace })),
    })),
  };
}

/**
 * The ring reducer of a run: (state, record) → state, a new object when the record changes
 * it (the old one is left as it was), the same one otherwise. Only `bus` and `burst` records
 * of the shared memory matter; `roleOf` gives a component's role (master/remote), or null.
 *
 * Transitions (docs/sources.md "Virtqueue roles"): a write of desc.addr gives the descriptor to the writer;
 * a write of avail.idx (used.idx) puts the descriptors of the slots it passes into the avail
 * (used) ring; a read of avail.ring[k] (used.ring[k].id) hands the descriptor read to the
 * reader. A burst write over the vrings (master init's memset, a D-cache line written back)
 * carries no data: each field it covers takes what `options.burstValue` says the burst left
 * there, as a write of it would, descriptors and ring slots before the indices, but only
 * where the value differs from the one known (a desc.addr naming the buffer it already has
 * moves nothing), so a change of a known index moves the slots it passes as a write of it
 * does; with no value (no option, or it gives undefined) an index becomes unknown (null), any
 * other field stays as it was.
 */
export function ringReducer(
  layout: TeachLayout,
  roleOf: (component: string) => 'master' | 'remote' | null,
  options: RingReducerOptions = {},
): (state: RingState, r: TraceRecord) => RingState {
  const name = namerFor(layout);
  const shm = layout.sharedMemory;
  const inShm = (a: number) => a >= shm.base && a < shm.base + shm.size;
  const n = layout.bufferCount;
  /** avail.idx (used.idx) of `v` becomes `value` by a write: the descriptors of the slots it passes go into that ring. */
  const publish = (v: VringState, avail: boolean, old: number | null, value: number) => {
    const from = old === null ? (value - 1) & 0xffff : old;
    const ring = avail ? v.availRing : v.usedRing;
    for (let i = from; i !== value && ((value - i) & 0xffff) <= n; i = (i + 1) & 0xffff) {
      const d = ring[i & (n - 1)];
      if (d !== null && d !== undefined && d < n) v.descs[d]!.place = avail ? 'avail' : 'used';
    }
  };
  /** The buffer a desc.addr value points at, or null. */
  const bufferOf = (addr: number) => {
    const k = (addr - layout.bufferBase) / layout.bufferSize;
    return Number.isInteger(k) && k >= 0 && k < layout.buffers ? k : null;
  };
  const vringsFrom = Math.min(...layout.vrings.map((v) => v.base));
  const vringsTo = Math.max(...layout.vrings.map((v) => v.availEvent + 2));
  return (state, r) => {
    if (r.kind === 'burst') {
      if (r.op !== 'write' || !inShm(r.address)) return state;
      const end = r.address + r.size;
      if (r.address >= vringsTo || end <= vringsFrom) return state;
      /** The value the burst left in the field at `at` (one it covers), or undefined. */
      const valueAt = (at: number) => (at >= r.address && at < end ? options.burstValue?.(r, at) : undefined);
      const role = roleOf(r.component);
      const s = copy(state);
      layout.vrings.forEach((v, q) => {
        const vs = s.vrings[q]!;
        // descriptors and ring slots before the indices: an index moving past a slot sees its
        // descriptor; a value equal to the one known changes nothing (a line written back
        // unchanged does not move a buffer)
        for (let i = 0; i < n; i++) {
          const addr = valueAt(v.desc(i).addr);
          const d = vs.descs[i]!;
          if (addr !== undefined && bufferOf(addr) !== d.buffer) {
            d.buffer = bufferOf(addr);
            if (role !== null) d.place = role;
          }
          const avail = valueAt(v.availRing(i));
          if (avail !== undefined) vs.availRing[i] = avail;
          const used = valueAt(v.usedRingId(i));
          if (used !== undefined) vs.usedRing[i] = used;
        }
        for (const avail of [true, false]) {
          const at = avail ? v.availIdx : v.usedIdx;
          if (at < r.address || at >= end) continue;
          const old = avail ? vs.availIdx : vs.usedIdx;
          const value = valueAt(at);
          const known = value === undefined ? null : value;
          if (avail) vs.availIdx = known;
          else vs.usedIdx = known;
          // the first value seen after unknown (master init's memset) passes no slot
          if (known !== null && old !== null && known !== old) publish(vs, avail, old, known);
        }
      });
      return s.vrings.every((v, q) => sameVring(v, state.vrings[q]!)) ? state : s;
    }
    if (r.kind !== 'bus' || !inShm(r.address)) return state;
    const f = name(r.address, r.size);
    // a byte of an index is not its value; desc.addr's low word is the address (32-bit cores)
    if (f === null || f.vring === undefined || f.offset !== undefined || (f.partial === true && f.kind !== 'desc.addr')) return state;
    const role = roleOf(r.component);
    const q = f.vring;
    const w = r.op === 'write';
    const s = copy(state);
    const v = s.vrings[q]!;
    const changed = () => (sameVring(v, state.vrings[q]!) ? state : s);
    switch (f.kind) {
      case 'desc.addr': {
        if (!w) return state;
        const d = v.descs[f.index!]!;
        d.buffer = bufferOf(r.value);
        if (role !== null) d.place = role;
        return changed();
      }
      case 'avail.idx':
      case 'used.idx': {
        const avail = f.kind === 'avail.idx';
        const old = avail ? v.availIdx : v.usedIdx;
        if (avail) v.availIdx = r.value;
        else v.usedIdx = r.value;
        if (w) publish(v, avail, old, r.value);
        return changed();
      }
      case 'avail.ring':
      case 'used.ring.id': {
        const ring = f.kind === 'avail.ring' ? v.availRing : v.usedRing;
        if (w) ring[f.index!] = r.value;
        else if (r.value < n && role !== null) v.descs[r.value]!.place = role;
        return changed();
      }
      default:
        return state;
    }
  };
}

function sameVring(a: VringState, b: VringState): boolean {
  if (a.availIdx !== b.availIdx || a.usedIdx !== b.usedIdx) return false;
  for (let i = 0; i < a.descs.length; i++) {
    if (a.availRing[i] !== b.availRing[i] || a.usedRing[i] !== b.usedRing[i]) return false;
    if (a.descs[i]!.buffer !== b.descs[i]!.buffer || a.descs[i]!.place !== b.descs[i]!.place) return false;
  }
  return true;
}

function copy(s: RingState): RingState {
  return {
    vrings: s.vrings.map((v) => ({ ...v, availRing: [...v.availRing], usedRing: [...v.usedRing], descs: v.descs.map((d) => ({ ...d })) })),
  };
}

/** The buffers (numbers, ascending) in each place, over both vrings: who owns what now. */
export function buffersByPlace(state: RingState): Record<BufferPlace, number[]> {
  const out: Record<BufferPlace, number[]> = { unset: [], master: [], remote: [], avail: [], used: [] };
  for (const v of state.vrings) for (const d of v.descs) if (d.buffer !== null) out[d.place].push(d.buffer);
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return out;
}

/** What a place means for a buffer of vring q, in words. */
export function placeWords(q: number, place: BufferPlace): string {
  const m2r = q === 1;
  switch (place) {
    case 'unset':
      return 'not laid out yet';
    case 'master':
      return m2r ? 'held by the master (filling a message)' : 'held by the master (reading a message)';
    case 'remote':
      return m2r ? 'held by the remote (reading a message)' : 'held by the remote (filling a message)';
    case 'avail':
      return m2r ? 'in the avail ring: a message for the remote' : 'in the avail ring: empty, for the remote to fill';
    case 'used':
      return m2r ? 'in the used ring: free, for the master to send with' : 'in the used ring: a message for the master';
  }
}
