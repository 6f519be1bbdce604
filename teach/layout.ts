// The shared-memory map of a link (`rpmsg-sim layout`): both vrings part by part (descriptor
// table, avail ring, used ring, with the alignment padding and the gaps between them), every
// buffer, with addresses and sizes; as text and as a self-contained SVG. Pure: layout in,
// rows and text out. docs/sources.md "Shared-memory layout" for the parts of a vring.

import { RPMSG_HDR } from '../firmware/rpmsg-lite/constants';
import { hex, hexAddress } from '../sim/text/hex';
import { xmlAttribute } from '../sim/text/xml';
import type { TeachLayout } from './fields';

/** What a row is, for colours and tests. */
export type RowKind = 'vring' | 'desc' | 'avail' | 'used' | 'event' | 'padding' | 'gap' | 'buffer' | 'header' | 'payload' | 'unused';

/** One row of the map: a byte range, its depth (0 region, 1 part, 2 field) and words. */
export interface LayoutRow {
  start: number;
  size: number;
  depth: number;
  kind: RowKind;
  name: string;
  note: string;
}

/** Descriptors, ring entries and buffers listed one by one up to this many per vring (more: one row for all). */
const LIST_EACH = 8;

export function layoutRows(layout: TeachLayout): LayoutRow[] {
  const rows: LayoutRow[] = [];
  const add = (start: number, end: number, depth: number, kind: RowKind, name: string, note = '') => {
    if (end > start) rows.push({ start, size: end - start, depth, kind, name, note });
  };
  const shm = layout.sharedMemory;
  let at = shm.base;
  layout.vrings.forEach((v, q) => {
    const n = v.num;
    const region = `vring${q}`;
    add(at, v.base, 0, 'gap', q === 0 ? 'gap (word alignment of the shared memory)' : 'gap', q === 0 ? '' : `up to VRING_SIZE ${hex(layout.vringSize)} from vring0`);
    const end = v.availEvent + 2;
    add(v.base, end, 0, 'vring', region, q === 0 ? 'remote→master messages (the master\'s rx, the remote\'s tx)' : 'master→remote messages (the master\'s tx, the remote\'s rx)');
    add(v.base, v.base + 16 * n, 1, 'desc', `${region}.desc[0..${n - 1}]`, `descriptor table: ${n} × 16 B (addr u64, len u32, flags u16, next u16)`);
    if (n <= LIST_EACH) for (let i = 0; i < n; i++) add(v.desc(i).addr, v.desc(i).addr + 16, 2, 'desc', `${region}.desc[${i}]`, `→ buf[${q * layout.bufferCount + i}]`);
    add(v.availFlags, v.availIdx + 2, 1, 'avail', `${region}.avail.flags, .idx`, 'avail ring header: 2 × u16');
    add(v.availRing(0), v.availRing(0) + 2 * n, 1, 'avail', `${region}.avail.ring[0..${n - 1}]`, `${n} × u16 descriptor numbers, written by the master`);
    add(v.usedEvent, v.usedEvent + 2, 1, 'event', `${region}.avail.used_event`, 'u16, unused (no EVENT_IDX)');
    add(v.usedEvent + 2, v.used, 1, 'padding', `${region} padding`, `aligns the used ring to VRING_ALIGN ${hex(layout.vringAlign)}`);
    add(v.usedFlags, v.usedIdx + 2, 1, 'used', `${region}.used.flags, .idx`, 'used ring header: 2 × u16');
    add(v.usedRingId(0), v.usedRingId(0) + 8 * n, 1, 'used', `${region}.used.ring[0..${n - 1}]`, `${n} × {id u32, len u32}, written by the remote${q === 1 ? ' (master init pre-loads it)' : ''}`);
    add(v.availEvent, v.availEvent + 2, 1, 'event', `${region}.used.avail_event`, 'u16, unused (no EVENT_IDX)');
    at = end;
  });
  add(at, layout.bufferBase, 0, 'gap', 'gap', `the buffers start at 2 × VRING_SIZE, word aligned`);
  const payload = layout.bufferSize - RPMSG_HDR.size;
  const eachBuffer = (k: number) => {
    const b = layout.bufferBase + k * layout.bufferSize;
    const q = k < layout.bufferCount ? 0 : 1;
    add(b, b + layout.bufferSize, 1, 'buffer', `buf[${k}]`, `vring${q}.desc[${k - q * layout.bufferCount}]'s (${q === 0 ? 'remote→master' : 'master→remote'})`);
  };
  add(layout.bufferBase, layout.bufferBase + layout.buffers * layout.bufferSize, 0, 'buffer', `buf[0..${layout.buffers - 1}]`, `${layout.buffers} × RL_BUFFER_SIZE ${layout.bufferSize} B: rpmsg header 16 B + payload ${payload} B`);
  for (let k = 0; k < layout.buffers; k++) eachBuffer(k);
  const used = layout.bufferBase + layout.buffers * layout.bufferSize;
  add(used, shm.base + shm.size, 0, 'unused', 'unused', 'not used by rpmsg-lite');
  return rows;
}

/** The text map: a header, then one line per row (address, end, size, name, note). */
export function layoutText(layout: TeachLayout, title: string): string {
  const out: string[] = [];
  const shm = layout.sharedMemory;
  out.push(`${title}: shared memory ${hexAddress(shm.base)}..${hexAddress(shm.base + shm.size)} (${shm.size} B)`);
  out.push(
    `rpmsg-lite: RL_BUFFER_COUNT ${layout.bufferCount}, RL_BUFFER_PAYLOAD_SIZE ${layout.payloadSize} B (RL_BUFFER_SIZE ${layout.bufferSize} B), ` +
      `VRING_ALIGN ${hex(layout.vringAlign)}, VRING_SIZE ${hex(layout.vringSize)}`,
  );
  for (const a of layout.assumptions) out.push(`assumed: ${a}`);
  const capacity = Math.floor((shm.base + shm.size - layout.bufferBase) / layout.bufferSize);
  if (capacity < layout.buffers) out.push(`warning: only ${Math.max(0, capacity)} buffers fit; rpmsg_lite_master_init returns NULL (it needs ${layout.buffers})`);
  out.push('');
  out.push(`${'start'.padEnd(10)}  ${'end'.padEnd(10)}  ${'bytes'.padStart(7)}  what`);
  for (const r of layoutRows(layout)) {
    const name = `${'  '.repeat(r.depth)}${r.name}`;
    out.push(`${hexAddress(r.start)}  ${hexAddress(r.start + r.size)}  ${String(r.size).padStart(7)}  ${name}${r.note === '' ? '' : `  ${r.note}`}`);
  }
  return out.join('\n') + '\n';
}

const FILL: Readonly<Record<RowKind, string>> = {
  vring: '#dbe9f6',
  desc: '#9ecae1',
  avail: '#a1d99b',
  used: '#fdae6b',
  event: '#d9d9d9',
  padding: '#f0f0f0',
  gap: '#f7f7f7',
  buffer: '#fde0ef',
  header: '#c994c7',
  payload: '#fde0ef',
  unused: '#ffffff',
};

/**
 * The map as an SVG document: on the left a bar of the whole shared memory to scale (each
 * region's share of the bytes; regions too small to see get 1 px), on the right one box per
 * row, indented by depth, with its address range, size and name. No external references
 * (fonts are generic families), no randomness: the same layout gives the same bytes.
 */
export function layoutSvg(layout: TeachLayout, title: string): string {
  const rows = layoutRows(layout);
  const rowH = 20;
  const top = 44;
  const barX = 10;
  const barW = 40;
  const tableX = 70;
  const width = 1100;
  const height = top + rows.length * rowH + 10;
  const shm = layout.sharedMemory;
  const barH = rows.length * rowH;
  const scale = (a: number) => top + ((a - shm.base) / shm.size) * barH;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`);
  out.push(`<title>${xmlAttribute(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${barX}" y="18" font-size="14" font-weight="bold">${xmlAttribute(`${title}: shared memory ${hexAddress(shm.base)}..${hexAddress(shm.base + shm.size)} (${shm.size} B)`)}</text>`);
  out.push(
    `<text x="${barX}" y="34">${xmlAttribute(`RL_BUFFER_COUNT ${layout.bufferCount}, RL_BUFFER_SIZE ${layout.bufferSize} B (payload ${layout.payloadSize} B), VRING_ALIGN ${hex(layout.vringAlign)}, VRING_SIZE ${hex(layout.vringSize)}; left: to scale`)}</text>`,
  );
  out.push(`<g id="to-scale">`);
  out.push(`<rect x="${barX}" y="${top}" width="${barW}" height="${barH}" fill="none" stroke="#000000"/>`);
  for (const r of rows.filter((x) => x.depth === 0)) {
    const y = scale(r.start);
    const h = Math.max(1, scale(r.start + r.size) - y);
    out.push(`<rect class="${r.kind}" x="${barX}" y="${fmt(y)}" width="${barW}" height="${fmt(h)}" fill="${FILL[r.kind]}" stroke="#666666" stroke-width="0.5"><title>${xmlAttribute(`${r.name}: ${r.size} B`)}</title></rect>`);
  }
  out.push('</g>');
  out.push('<g id="rows">');
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const x = tableX + 16 * r.depth;
    const label = `${hexAddress(r.start)}..${hexAddress(r.start + r.size)} ${String(r.size).padStart(6)} B  ${r.name}${r.note === '' ? '' : `  ${r.note}`}`;
    out.push(
      `<g class="row ${r.kind}" data-start="${hexAddress(r.start)}" data-size="${r.size}">` +
        `<rect x="${x}" y="${y + 1}" width="${width - x - 10}" height="${rowH - 2}" fill="${FILL[r.kind]}" stroke="#999999" stroke-width="0.5"/>` +
        `<text x="${x + 4}" y="${y + 14}" xml:space="preserve">${xmlAttribute(label)}</text></g>`,
    );
  });
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A coordinate with at most 2 decimals, no trailing zeros (the same digits on every machine). */
function fmt(v: number): string {
  return String(Math.round(v * 100) / 100);
}
