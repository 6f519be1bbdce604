// The view's data and page, made in Node from a real run, against the golden trace of the
// same scenario: the embedded records are the golden lines, the window starts where asked
// from the state the reducer gives there, the phase marks sit on their boundary records,
// and the page is the same bytes every time.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readScenarioFile } from '../../scenario-engine/files';
import type { Scenario } from '../../scenario-engine/types';
import { collectView, renderHtml } from './build';
import { layoutOf } from './layout';
import { ViewReducer, type ViewState } from './state';

const root = join(__dirname, '..', '..');
const goldenLines = readFileSync(join(root, 'scenarios', 'golden', 'ping-pong.jsonl'), 'utf8').trimEnd().split('\n');
const goldenRecords = goldenLines.slice(1).map((l) => JSON.parse(l) as { t: number; kind: string; dir?: string; msg?: number });

function scenario(settings: string[] = []): Scenario {
  const loaded = readScenarioFile(join(root, 'scenarios', 'ping-pong.yaml'), settings);
  if (loaded.scenario === undefined) throw new Error(loaded.report);
  return loaded.scenario;
}

const full = collectView(scenario());

function foldGolden(k: number): ViewState {
  const header = JSON.parse(goldenLines[0]!);
  // with the values the bursts left in the indices, from the whole run's data (its window is the run)
  const reducer = new ViewReducer({ header, layout: layoutOf(header), bursts: full.bursts });
  const s = reducer.initial();
  for (let i = 0; i < k; i++) reducer.apply(s, JSON.parse(goldenLines[i + 1]!), i);
  return s;
}

test('a whole short run is embedded: its records are the golden trace line for line', () => {
  expect(full.first).toBe(0);
  expect(full.total).toBe(2132);
  expect(full.records.map((r) => JSON.stringify(r))).toEqual(goldenLines.slice(1));
  expect(JSON.stringify(full.header)).toBe(goldenLines[0]);
  expect(full.run).toEqual({ stopReason: 'finished', simulatedNs: full.run.simulatedNs, ok: true });
});

test('the message summary has every message: enqueue times and latencies from the records', () => {
  const enq = goldenRecords.filter((r) => r.kind === 'rl-enqueue' && r.dir === 'm2r');
  const del = goldenRecords.filter((r) => r.kind === 'rl-deliver' && r.dir === 'm2r');
  expect(full.messages.m2r.latency).toEqual(del.map((d, i) => d.t - enq[i]!.t));
  expect(full.messages.m2r.enqueueDelta).toEqual(enq.map((e, i) => (i === 0 ? e.t : e.t - enq[i - 1]!.t)));
  expect(full.messages.r2m.latency.length).toBe(21);
  expect(full.messages.m2r.more).toBe(0);
});

test('phase marks: six per delivered message, on the boundary records of scenario-engine/phases.ts', () => {
  expect(full.marks.length).toBe(41 * 6);
  expect(full.marks.slice(0, 7)).toEqual([
    { step: 129, label: 'r2m#0 send path' },
    { step: 147, label: 'r2m#0 notify' },
    { step: 149, label: 'r2m#0 mailbox crossing' },
    { step: 153, label: 'r2m#0 interrupt entry' },
    { step: 157, label: 'r2m#0 ISR and dispatch' },
    { step: 178, label: 'r2m#0 delivered' },
    { step: 192, label: 'm2r#0 send path' },
  ]);
  const at = (step: number) => goldenLines[step]!; // records[step - 1]: the file's line `step` after the header line 0
  expect(at(129)).toBe('{"t":1001316150,"component":"cm4","kind":"rl-call","fn":"rpmsg_lite_send"}');
  expect(JSON.parse(at(147)).kind).toBe('rl-notify');
  expect(JSON.parse(at(149))).toMatchObject({ kind: 'bus', op: 'write', target: 'mu.b' });
  expect(JSON.parse(at(153))).toMatchObject({ kind: 'irq-pending', component: 'cm7.nvic' });
  expect(JSON.parse(at(157))).toMatchObject({ kind: 'handler-start', component: 'cm7' });
  expect(JSON.parse(at(178))).toMatchObject({ kind: 'rl-deliver', dir: 'r2m', msg: 0 });
});

test('a window from a time: at most N records from the first at or after it, starting from the state there', () => {
  const from = 1_015_000; // ns; the first record at or after 1015000 ns = 1010940000 ticks at 996 GHz
  const d = collectView(scenario(), { fromNs: from, maxRecords: 100 });
  const first = goldenRecords.findIndex((r) => r.t >= 1_010_940_000);
  expect(d.first).toBe(first);
  expect(d.total).toBe(2132);
  expect(d.records.map((r) => JSON.stringify(r))).toEqual(goldenLines.slice(1 + first, 1 + first + 100));
  expect(d.start).toEqual(foldGolden(first));
  expect(d.marks.every((m) => m.step >= 1 && m.step <= 100)).toBe(true);
});

/** Every field of a vring by its offset from `base`, 0: desc[0..1] addr/len/flags/next, avail flags/idx/ring[0..1]/used_event, used flags/idx/ring[0..1] id/len/avail_event. */
function zeros(base: number): Record<number, number> {
  const fields = [0x00, 0x08, 0x0c, 0x0e, 0x10, 0x18, 0x1c, 0x1e, 0x20, 0x22, 0x24, 0x26, 0x28, 0x30, 0x32, 0x34, 0x38, 0x3c, 0x40, 0x44];
  return Object.fromEntries(fields.map((f) => [base + f, 0]));
}

test('the values of the vring fields burst writes left: master init\'s two vring memsets, 0 in every field', () => {
  // goldenLines[42] and [47]: the 78 B memsets from 0x202c0000 and 0x202c0050 (records 41 and 46)
  expect(Object.keys(full.bursts).map(Number)).toEqual([41, 46]);
  expect([goldenRecords[41], goldenRecords[46]]).toEqual([
    expect.objectContaining({ kind: 'burst', op: 'write', address: 0x202c0000, size: 78 }),
    expect.objectContaining({ kind: 'burst', op: 'write', address: 0x202c0050, size: 78 }),
  ]);
  expect(full.bursts).toEqual({ 41: zeros(0x202c0000), 46: zeros(0x202c0050) });
});

test('a window after master init: the start state has its indices from the bursts before it, the page data only the window\'s', () => {
  const d = collectView(scenario(), { fromNs: 1_015_000, maxRecords: 100 });
  expect(d.bursts).toEqual({});
  // vring0.used.idx: 1 since the remote's r2m#0 (a bus write); vring1.avail.idx: still the 0 its memset left
  expect(d.start.vrings.map((v) => [v.availIdx, v.usedIdx])).toEqual([[2, 1], [0, 2]]);
  expect(d.start.places.vrings.map((v) => [v.availIdx, v.usedIdx])).toEqual([[2, 1], [0, 2]]);
  // a window that takes master init in keeps its bursts' values, by global record number
  const early = collectView(scenario(), { fromNs: 24_000, maxRecords: 30 });
  expect(early.first).toBe(goldenRecords.findIndex((r) => r.t >= 23_904_000)); // 24000 ns = 23904000 ticks
  expect(early.first).toBeLessThan(41);
  expect(early.bursts).toEqual({ 41: zeros(0x202c0000), 46: zeros(0x202c0050) });
});

test('dcache-coherent: a descriptor the M7 wrote through its D-cache has its addr, len, flags and next from the line written back, in the Node fold', () => {
  const loaded = readScenarioFile(join(root, 'scenarios', 'dcache-coherent.yaml'));
  const d = collectView(loaded.scenario!);
  const dc = readFileSync(join(root, 'scenarios', 'golden', 'dcache-coherent.jsonl'), 'utf8').trimEnd().split('\n');
  expect(d.records.map((r) => JSON.stringify(r))).toEqual(dc.slice(1));
  // record 142: master init's line over vring1's desc[1] (0x202c0060..0x7f) written back; no bus write of desc[1].addr or
  // .len in the run (the remote later reads its addr as 0x202c06a0, buf[3] = 0x202c00a0 + 3 × 512: explain.test.ts checks it)
  expect(d.records[142]).toEqual({ t: 28_617_000, component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0060, size: 32, target: 'ocram', beats: 4, cycles: 31, stall: 0 });
  const busWrites = d.records.filter((r) => r.kind === 'bus' && r.op === 'write' && r.address >= 0x202c0060 && r.address < 0x202c0070);
  // only desc[1].next, on the bus at record 53 (VQ_RING_DESC_CHAIN_END)
  expect(busWrites).toEqual([{ t: 25_500_000, component: 'cm7', kind: 'bus', op: 'write', address: 0x202c006e, size: 2, value: 0x8000, target: 'ocram', cycles: 17, stall: 0 }]);
  expect(d.bursts[142]).toEqual({
    [0x202c0060]: 0x202c06a0,
    [0x202c0068]: 512,
    [0x202c006c]: 2,
    [0x202c006e]: 0x8000,
    [0x202c0070]: 1,
    [0x202c0072]: 0,
    [0x202c0074]: 0,
    [0x202c0076]: 0,
    [0x202c0078]: 0,
  });
  const reducer = new ViewReducer({ header: d.header, layout: d.layout, bursts: d.bursts });
  const s = reducer.initial();
  for (let i = 0; i < 142; i++) reducer.apply(s, d.records[i]!, i);
  // before: the cleared descriptor the earlier write-backs of that line carried, and next from its bus write
  expect(s.vrings[1]!.desc[1]).toEqual({ addr: 0, len: 0, flags: 0, next: 0x8000 });
  expect(s.places.vrings[1]!.descs[1]).toEqual({ buffer: null, place: 'unset' });
  reducer.apply(s, d.records[142]!, 142);
  expect(s.vrings[1]!.desc[1]).toEqual({ addr: 0x202c06a0, len: 512, flags: 2, next: 0x8000 });
  expect(s.places.vrings[1]!.descs[1]).toEqual({ buffer: 3, place: 'master' });
  expect([s.rec['vring1.desc[1].addr'], s.rec['vring1.desc[1].len'], s.rec['vring1.desc[1].place']]).toEqual([142, 142, 142]);
});

test('a window from a message: it opens at that message\'s rl-enqueue', () => {
  const d = collectView(scenario(), { message: { dir: 'm2r', msg: 5 }, maxRecords: 50 });
  const first = goldenRecords.findIndex((r) => r.kind === 'rl-enqueue' && r.dir === 'm2r' && r.msg === 5);
  expect(d.first).toBe(first);
  expect(d.records.length).toBe(50);
  expect(d.start).toEqual(foldGolden(first));
  // a window of 20 records ends before m2r#5's delivery; its boundaries inside are marked still
  const delivery = goldenRecords.findIndex((r) => r.kind === 'rl-deliver' && r.dir === 'm2r' && r.msg === 5);
  expect(delivery - first).toBe(26);
  const short = collectView(scenario(), { message: { dir: 'm2r', msg: 5 }, maxRecords: 20 });
  const marks = short.marks.filter((m) => m.label.startsWith('m2r#5 '));
  expect(marks.map((m) => [m.label, short.records[m.step - 1]!.kind])).toEqual([
    ['m2r#5 notify', 'rl-notify'],
    ['m2r#5 mailbox crossing', 'bus'],
    ['m2r#5 interrupt entry', 'irq-pending'],
    ['m2r#5 ISR and dispatch', 'handler-start'],
  ]);
});

test('the page is self-contained and the same bytes for the same scenario', () => {
  const html = renderHtml(full);
  expect(renderHtml(collectView(scenario()))).toBe(html);
  expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>rpmsg-sim view: ping-pong on imxrt1170</title>\n')).toBe(true);
  // no external resource: no src= or href= attribute, no URL but the SVG namespace
  expect(html).not.toMatch(/\b(src|href)\s*=/i);
  expect([...html.matchAll(/https?:\/\/[^\s"'`)]+/g)].map((m) => m[0]).filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
  // the data cannot end its script element early
  const data = /<script type="application\/json" id="view-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
  expect(data).not.toContain('<');
  expect(JSON.parse(data)).toEqual(JSON.parse(JSON.stringify(full)));
  // no host path
  expect(html).not.toContain(root);
});
