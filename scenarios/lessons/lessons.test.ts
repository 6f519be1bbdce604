// The teaching point of each lesson (docs/teaching.md), read off its golden trace. The
// golden test (scenarios/scenarios.test.ts) holds each golden to its run byte for byte, so
// these facts are facts of the runs; the times are the ones docs/teaching.md quotes in its
// answers (a change of timing fails here, and the answers need updating with the goldens).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RL_ERR_NO_MEM, RL_SUCCESS } from '../../firmware/rpmsg-lite/constants';
import { readJsonl } from '../../sim/trace/jsonl';
import { ticksToDecimal } from '../../sim/trace/tick-format';
import type { TraceRecord } from '../../sim/trace/trace';

type Of<K extends TraceRecord['kind']> = Extract<TraceRecord, { kind: K }>;

function golden(name: string) {
  const { header, records } = readJsonl(readFileSync(join(__dirname, 'golden', `${name}.jsonl`), 'utf8'));
  const of = <K extends TraceRecord['kind']>(kind: K) => records.filter((r): r is Of<K> => r.kind === kind);
  /** A record's time in µs, to the picosecond (as the text narrative writes it). */
  const us = (r: TraceRecord) => ticksToDecimal(r.t, header.tickHz, 6, 6);
  return { records, of, us };
}

/** Per call of `fn` on cm7: the burst writes to OCRAM (block copies into shared memory) between its call and its return. */
function sharedBlockWritesPerCall(records: TraceRecord[], fn: string): number[] {
  const counts: number[] = [];
  let open = false;
  for (const r of records) {
    if (r.component !== 'cm7') continue;
    if (r.kind === 'rl-call' && r.fn === fn) {
      open = true;
      counts.push(0);
    } else if (r.kind === 'rl-return' && r.fn === fn) open = false;
    else if (open && r.kind === 'burst' && r.op === 'write' && r.target === 'ocram') counts[counts.length - 1]!++;
  }
  return counts;
}

/** The remote's release call and return, and its ISRs from then until 1 us after the release returned. */
function releaseAndIsrs(records: TraceRecord[], us: (r: TraceRecord) => string): string[] {
  const release = records.filter((r) => (r.kind === 'rl-call' || r.kind === 'rl-return') && r.fn === 'rpmsg_lite_release_rx_buffer');
  const [from, to] = [release[0]!.t, release[1]!.t + 996_000];
  return records
    .filter((r) => release.includes(r) || ((r.kind === 'handler-start' || r.kind === 'handler-end') && r.component === 'cm4' && r.t >= from && r.t <= to))
    .map((r) => `${us(r)} ${r.kind}${r.kind === 'rl-call' || r.kind === 'rl-return' ? ` ${r.fn}` : ''}`);
}

test('out-of-buffers: the third send returns RL_ERR_NO_MEM at once; after the releases the fourth succeeds in a buffer given back', () => {
  const { of, us } = golden('out-of-buffers');
  const sends = of('rl-return').filter((r) => r.fn === 'rpmsg_lite_send');
  expect(sends.map((r) => [us(r), r.code])).toEqual([
    ['109.278112', RL_SUCCESS],
    ['109.810241', RL_SUCCESS],
    ['109.982932', RL_ERR_NO_MEM],
    ['310.510040', RL_SUCCESS],
  ]);
  const releases = of('rl-return').filter((r) => r.fn === 'rpmsg_lite_release_rx_buffer');
  expect(releases.map((r) => [us(r), r.code])).toEqual([
    ['211.207500', RL_SUCCESS],
    ['211.557500', RL_SUCCESS],
    ['311.682500', RL_SUCCESS],
  ]);
  expect(of('rl-enqueue').map((r) => [r.msg, r.buffer.toString(16)])).toEqual([
    [0, '202c04a0'],
    [1, '202c06a0'],
    [2, '202c04a0'],
  ]);
});

test('zero-copy: the third allocation polls until 1 ms after its call, though the buffers came back 100 us after it began', () => {
  const { records, of, us } = golden('zero-copy');
  const allocs = records.filter((r): r is Of<'rl-call'> | Of<'rl-return'> => (r.kind === 'rl-call' || r.kind === 'rl-return') && r.fn === 'rpmsg_lite_alloc_tx_buffer');
  expect(allocs.map((r) => `${r.kind} ${us(r)}`)).toEqual([
    'rl-call 86.766064',
    'rl-return 95.431727',
    'rl-call 110.841365',
    'rl-return 111.007028',
    'rl-call 111.553213',
    'rl-return 1111.735944',
    'rl-call 1112.266064',
    'rl-return 1112.427711',
  ]);
  const releases = of('rl-return').filter((r) => r.fn === 'rpmsg_lite_release_rx_buffer');
  expect(releases.map(us)).toEqual(['212.770000', '213.120000', '1114.195000', '1114.545000']);
  expect(of('rl-callback-return').map((r) => r.result)).toEqual([1, 1, 1, 1]); // RL_HOLD
  // No copy by rpmsg-lite: inside send_nocopy the master writes no block to the shared
  // memory (OCRAM); inside rpmsg_lite_send (out-of-buffers) each successful send does: its memcpy.
  expect(sharedBlockWritesPerCall(records, 'rpmsg_lite_send_nocopy')).toEqual([0, 0, 0, 0]);
  expect(sharedBlockWritesPerCall(golden('out-of-buffers').records, 'rpmsg_lite_send')).toEqual([1, 1, 0, 1]);
  expect(of('rl-enqueue').map((r) => [r.msg, r.len, r.buffer.toString(16)])).toEqual([
    [0, 128, '202c04a0'],
    [1, 128, '202c06a0'],
    [2, 128, '202c04a0'],
    [3, 128, '202c06a0'],
  ]);
});

test('late-remote: the doorbell rung at 28.69 us raises the remote interrupt only at 203.43 us, when the remote enables it; then the link comes up', () => {
  const { records, us } = golden('late-remote');
  const story = records
    .filter((r) => r.kind === 'rl-notify' || r.kind === 'rl-link-up' || (r.kind === 'irq-line' && r.component === 'mu.b.irq') || (r.kind === 'rl-call' && r.fn.endsWith('_init')))
    .map((r) => `${us(r)} ${r.component} ${r.kind}${r.kind === 'irq-line' ? ` ${r.level}` : ''}${r.kind === 'rl-notify' ? ` vq ${r.vq}` : ''}`);
  expect(story).toEqual([
    '0.000000 cm7 rl-call',
    '28.689759 cm7 rl-notify vq 0',
    '200.000000 cm4 rl-call',
    '203.431250 mu.b.irq irq-line true',
    '203.868750 mu.b.irq irq-line false',
    '203.970000 cm4 rl-link-up',
    '359.198795 cm7 rl-notify vq 1',
    '359.287500 mu.b.irq irq-line true',
    '359.418750 mu.b.irq irq-line false',
  ]);
  // The registers behind it (the VCD shows them as mu_a.CR, mu_b.CR, mu_b.SR): the master
  // enables its own interrupts (CR bits 31, 30: GIE0, GIE1) and rings (bit 19, GIR0); the
  // remote enables GIE0 at 203.44 us, which raises its line at once: SR's GIP0 (bit 31) had
  // been set since 29.47 us. The ISR clears it by writing 1 to it.
  const writes = records
    .filter((r): r is Of<'bus'> => r.kind === 'bus' && r.op === 'write' && r.target.startsWith('mu.') && r.t < 300 * 996_000)
    .map((r) => `${us(r)} ${r.component} ${r.target} ${r.address - (r.target === 'mu.a' ? 0x40c48000 : 0x40c4c000)} ${r.value.toString(16)}`);
  expect(writes).toEqual([
    '27.827309 cm7 mu.a 36 80000000',
    '27.908635 cm7 mu.a 36 c0000000',
    '29.470884 cm7 mu.a 36 c0080000',
    '203.437500 cm4 mu.b 36 80000000',
    '203.575000 cm4 mu.b 36 c0000000',
    '203.875000 cm4 mu.b 32 80000000',
  ]);
});

test('release-race: unmasked, message 3 is written into the buffer message 2 still occupies, and message 2 arrives with its length', () => {
  const { of } = golden('release-race');
  expect(of('rl-enqueue').map((r) => [r.msg, r.len, r.buffer.toString(16)])).toEqual([
    [0, 0, '202c04a0'],
    [1, 0, '202c06a0'],
    [2, 0, '202c06a0'],
    [3, 1, '202c06a0'],
  ]);
  expect(of('rl-deliver').map((r) => [r.msg, r.len, r.buffer.toString(16)])).toEqual([
    [0, 0, '202c04a0'],
    [1, 0, '202c06a0'],
    [2, 1, '202c06a0'],
    [3, 1, '202c06a0'],
  ]);
  // The release began before message 1's ISR and returned after it: the ISR ran inside it.
  const { records, us } = golden('release-race');
  expect(releaseAndIsrs(records, us)).toEqual([
    '56.007500 rl-call rpmsg_lite_release_rx_buffer',
    '56.327500 handler-start',
    '57.265000 handler-end',
    '57.350000 rl-return rpmsg_lite_release_rx_buffer',
  ]);
  // On vring 1's used ring (idx at 0x202c0082, ring[0] at 0x84): the release writes entry 0
  // (buffer 0, 512 B), the ISR writes entry 0 again (buffer 1) and idx 3, the release idx 4.
  const [from, to] = [records.find((r) => r.kind === 'rl-call' && r.fn === 'rpmsg_lite_release_rx_buffer')!.t, records.find((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_release_rx_buffer')!.t];
  const usedWrites = records
    .filter((r): r is Of<'bus'> => r.kind === 'bus' && r.op === 'write' && r.component === 'cm4' && r.t >= from && r.t <= to && r.address >= 0x202c0080 && r.address < 0x202c0090)
    .map((r) => [r.address.toString(16), r.value]);
  expect(usedWrites).toEqual([
    ['202c0084', 0],
    ['202c0088', 512],
    ['202c0084', 1],
    ['202c0088', 512],
    ['202c0082', 3],
    ['202c0082', 4],
  ]);
});

test('release-race-masked: with interrupts masked every message arrives as it was sent, each buffer used in turn', () => {
  const { of } = golden('release-race-masked');
  expect(of('rl-enqueue').map((r) => [r.msg, r.len, r.buffer.toString(16)])).toEqual([
    [0, 0, '202c04a0'],
    [1, 0, '202c06a0'],
    [2, 0, '202c04a0'],
    [3, 1, '202c06a0'],
  ]);
  expect(of('rl-deliver').map((r) => [r.msg, r.len, r.buffer.toString(16)])).toEqual([
    [0, 0, '202c04a0'],
    [1, 0, '202c06a0'],
    [2, 0, '202c04a0'],
    [3, 1, '202c06a0'],
  ]);
  // The ISR of message 1 waited until the release was done.
  const { records, us } = golden('release-race-masked');
  expect(releaseAndIsrs(records, us)).toEqual([
    '56.010000 rl-call rpmsg_lite_release_rx_buffer',
    '56.357500 rl-return rpmsg_lite_release_rx_buffer',
    '56.390000 handler-start',
  ]);
});

test('two-endpoints: one vring, one buffer pool; each message goes to the endpoint its header names, and 33 is dropped', () => {
  const { of } = golden('two-endpoints');
  expect(of('rl-enqueue').map((r) => [r.msg, r.src, r.dst, r.len, r.buffer.toString(16)])).toEqual([
    [0, 1, 30, 16, '202c04a0'],
    [1, 2, 31, 24, '202c06a0'],
    [2, 1, 31, 32, '202c04a0'],
    [3, 2, 33, 8, '202c06a0'],
  ]);
  expect(of('rl-deliver').map((r) => [r.msg, r.dir, r.ept])).toEqual([
    [0, 'm2r', 30],
    [1, 'm2r', 31],
    [2, 'm2r', 31],
    [3, 'm2r', -1],
  ]);
  expect(of('rl-notify').map((r) => r.vq)).toEqual([0, 1, 1, 1, 1]);
});
