// The teaching point of each lesson (docs/teaching.md), read off its golden trace. The
// golden test (scenarios/scenarios.test.ts) holds each golden to its run byte for byte, so
// these facts are facts of the runs; the times are the ones docs/teaching.md quotes in its
// answers (a change of timing fails here, and the answers need updating with the goldens).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RL_ERR_NO_MEM, RL_SUCCESS } from '../../firmware/rpmsg-lite/constants';
import { readJsonl } from '../../sim/trace/jsonl';
import { readScenarioFile } from '../../scenario-engine/files';
import { traceAndSummary } from '../../scenario-engine/golden';
import { ticksToDecimal } from '../../sim/trace/tick-format';
import type { TraceRecord } from '../../sim/trace/trace';

type Of<K extends TraceRecord['kind']> = Extract<TraceRecord, { kind: K }>;

function golden(name: string) {
  return facts(readFileSync(join(__dirname, 'golden', `${name}.jsonl`), 'utf8'));
}

/** A lesson run again with `--set` settings (the variants the questions ask about). */
async function variant(name: string, settings: string[]) {
  const loaded = readScenarioFile(join('scenarios', 'lessons', `${name}.yaml`), settings);
  expect(loaded.report).toBe('');
  const { trace, summary } = await traceAndSummary(loaded.scenario!);
  return { ...facts(trace), summary };
}

/** The messages part of a lesson's golden summary. */
function messagesOf(name: string): { masterToRemote: { delivered: number; bytes: number; dropped: number } } {
  return JSON.parse(readFileSync(join(__dirname, 'golden', `${name}.summary.json`), 'utf8')).messages;
}

function facts(jsonl: string) {
  const { header, records } = readJsonl(jsonl);
  const of = <K extends TraceRecord['kind']>(kind: K) => records.filter((r): r is Of<K> => r.kind === kind);
  /** A record's time in µs, to the picosecond (as the text narrative writes it). */
  const us = (r: TraceRecord) => ticksToDecimal(r.t, header.tickHz, 6, 6);
  /** The core's bus writes to `address` as "µs value". */
  const writesTo = (core: string, address: number) => records.filter((r): r is Of<'bus'> => r.kind === 'bus' && r.op === 'write' && r.component === core && r.address === address).map((r) => `${us(r)} ${r.value}`);
  /** When the core's ISRs began. */
  const isrStarts = (core: string) => of('handler-start').filter((r) => r.component === core).map(us);
  return { records, of, us, writesTo, isrStarts };
}

// vring 1 (master to remote) on the i.MX RT1170 with two buffers: avail.idx and used.idx
const VRING1_AVAIL_IDX = 0x202c0072;
const VRING1_USED_IDX = 0x202c0082;

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

test('one-message: the send from cold flash, the publish, the doorbell, the ISR, and the buffer given back', () => {
  const { records, of, us, writesTo, isrStarts } = golden('one-message');
  const send = records.filter((r) => (r.kind === 'rl-call' || r.kind === 'rl-return') && r.fn === 'rpmsg_lite_send').map(us);
  expect(send).toEqual(['86.766064', '109.291165']);
  expect(of('rl-enqueue').map((r) => [r.src, r.dst, r.len, r.buffer.toString(16)])).toEqual([[1, 30, 5, '202c04a0']]);
  // into the buffer after init's memset: the rpmsg header (dst, src, len, flags), then the
  // payload 16 bytes in, "hell" as one block and "o" (111) as a byte
  const intoBuffer = records
    .filter((r): r is Of<'bus'> | Of<'burst'> => (r.kind === 'bus' || r.kind === 'burst') && r.op === 'write' && r.t > 30 * 996_000 && r.address >= 0x202c04a0 && r.address < 0x202c06a0)
    .map((r) => `${us(r)} ${r.kind} +${r.address - 0x202c04a0} ${r.size}${r.kind === 'bus' ? ` ${r.value}` : ''}`);
  expect(intoBuffer).toEqual([
    '101.877510 bus +4 4 30',
    '101.894578 bus +0 4 1',
    '101.910643 bus +12 2 5',
    '101.927711 bus +14 1 0',
    '101.943775 bus +15 1 0',
    '109.094378 burst +16 4',
    '109.110442 bus +20 1 111',
  ]);
  expect(writesTo('cm7', VRING1_AVAIL_IDX)).toEqual(['109.185743 1']);
  expect(writesTo('cm7', 0x40c48024).slice(-1)).toEqual([`109.290161 ${0xc0040000}`]); // mu.a CR: GIE0 | GIE1 | GIR1
  expect(of('irq-line').filter((r) => r.component === 'mu.b.irq').map((r) => `${us(r)} ${r.level}`)).toEqual(['29.481250 true', '29.618750 false', '109.300000 true', '109.431250 false']);
  expect(writesTo('cm4', 0x40c4c020)).toEqual([`29.625000 ${0x80000000}`, `109.437500 ${0x40000000}`]); // mu.b SR: GIP0, then GIP1 cleared
  expect(writesTo('cm7', VRING1_USED_IDX)).toEqual(['25.923695 1', '26.335341 2']);
  expect(writesTo('cm4', VRING1_USED_IDX)).toEqual(['110.235000 3']);
  expect(of('sleep').filter((r) => r.component === 'cm4').map(us)[0]).toBe('4.512500');
  expect(of('wake').filter((r) => r.component === 'cm4').map(us)).toEqual(['29.485000', '109.302500']);
  expect(isrStarts('cm4')).toEqual(['29.515000', '109.332500']);
  const summary = JSON.parse(readFileSync(join(__dirname, 'golden', 'one-message.summary.json'), 'utf8'));
  expect(summary.latency.oneWay.masterToRemote.ns.max).toBe(23261.436);
  expect(summary.latency.oneWay.masterToRemote.cycles.cm4.max).toBe(9304.574);
  // the summary's "Where the time goes": the send path, mostly instruction fetch from cold flash
  type Phase = { phase: string; first: { ns: number; cycles: number }; parts: { first: { fetchStall: number } } | null };
  expect(summary.phases.masterToRemote.phases.map((p: Phase) => [p.phase, p.first.cycles, p.first.ns, p.parts?.first.fetchStall ?? null])).toEqual([
    ['sendPath', 22355, 22444.779, 21891],
    ['notify', 79, 79.317, 0],
    ['mailboxCrossing', 4.936, 12.339, null],
    ['interruptEntry', 12, 30, 0],
    ['isrDispatch', 278, 695, 0],
  ]);
});

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

test('docs/teaching.md has a lesson for every scenario here, and names its firmware module', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'teaching.md'), 'utf8');
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.yaml') || (f.endsWith('.ts') && !f.endsWith('.test.ts')));
  expect(files.filter((f) => !doc.includes(`\`${f}\``) && !doc.includes(`scenarios/lessons/${f}`))).toEqual([]);
  // the six lessons in order, one-message.yaml (from the teach branch) first
  expect([...doc.matchAll(/^## Lesson (\d): /gm)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5, 6]);
  expect(doc).toContain('`scenarios/lessons/one-message.yaml`');
});

describe('the other numbers docs/teaching.md quotes', () => {
  test('out-of-buffers: the remote gives both buffers back on the used ring; nobody rings the master', () => {
    const { writesTo, of } = golden('out-of-buffers');
    expect(writesTo('cm4', VRING1_USED_IDX)).toEqual(['211.205000 3', '211.555000 4', '311.680000 5']);
    expect(of('rl-notify').filter((r) => r.component === 'cm4')).toEqual([]);
  });

  test('out-of-buffers with RL_ALLOW_CONSUMED_BUFFERS_NOTIFICATION: each release rings the master, and it takes the interrupt', async () => {
    const { of, us, isrStarts, summary } = await variant('out-of-buffers', ['rpmsg.allow-consumed-buffers-notification=true']);
    expect(of('rl-notify').filter((r) => r.component === 'cm4').map((r) => `${us(r)} vq ${r.vq}`)).toEqual(['211.240000 vq 1', '211.740000 vq 1', '313.265000 vq 1']);
    expect(isrStarts('cm7')[0]).toBe('212.089357');
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
  });

  test('zero-copy: the application fills the buffer between the allocation and send_nocopy', () => {
    const { of, us } = golden('zero-copy');
    const fills = of('burst').filter((r) => r.component === 'cm7' && r.op === 'write' && r.size === 128);
    expect(fills.map((r) => `${us(r)} ${r.address.toString(16)}`)).toEqual(['102.652610 202c04b0', '111.148594 202c06b0', '1111.865462 202c04b0', '1112.569277 202c06b0']);
  });

  test('zero-copy with the consumed-buffer notification: the master is interrupted at once, yet the allocation still waits for its poll', async () => {
    const { records, us, isrStarts } = await variant('zero-copy', ['rpmsg.allow-consumed-buffers-notification=true']);
    expect(isrStarts('cm7')[0]).toBe('213.651606');
    const returns = records.filter((r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_alloc_tx_buffer').map(us);
    expect(returns[2]).toBe('1113.290161');
  });

  test('late-remote: the ISR finds GIP0 in SR, inside remote_init; the message later arrives', () => {
    const { records, us } = golden('late-remote');
    const srRead = records.find((r): r is Of<'bus'> => r.kind === 'bus' && r.op === 'read' && r.target === 'mu.b' && r.address === 0x40c4c020)!;
    expect([us(srRead), srRead.value.toString(16)]).toEqual(['203.842500', '80f00000']);
    const remote = records.filter((r) => r.component === 'cm4' && (r.kind === 'rl-call' || r.kind === 'rl-return')).map((r) => `${us(r)} ${r.kind} ${'fn' in r ? r.fn : ''}`);
    expect(remote.slice(0, 3)).toEqual(['200.000000 rl-call rpmsg_lite_remote_init', '204.010000 rl-return rpmsg_lite_remote_init', '204.010000 rl-call rpmsg_lite_create_ept']);
    const send = records.find((r) => r.kind === 'rl-call' && r.fn === 'rpmsg_lite_send')!;
    const deliver = records.find((r) => r.kind === 'rl-deliver')!;
    expect([us(send), us(deliver)]).toEqual(['336.766064', '360.015000']);
  });

  test('release-race: when each wrote used.idx, when messages 2 and 3 went out and arrived, the bytes delivered', () => {
    const race = golden('release-race');
    expect(race.writesTo('cm4', VRING1_USED_IDX).slice(0, 2)).toEqual(['57.235000 3', '57.347500 4']);
    expect(race.of('rl-enqueue').slice(2).map(race.us)).toEqual(['1056.613454', '1057.148594']);
    expect(race.us(race.of('rl-deliver')[2]!)).toBe('1057.527500');
    expect(messagesOf('release-race').masterToRemote).toEqual({ delivered: 4, bytes: 2, dropped: 0 });
    const masked = golden('release-race-masked');
    expect(masked.writesTo('cm4', VRING1_USED_IDX).slice(0, 2)).toEqual(['56.355000 3', '57.297500 4']);
    expect(messagesOf('release-race-masked').masterToRemote).toEqual({ delivered: 4, bytes: 1, dropped: 0 });
    // the master published messages 2 and 3 on the avail ring either way
    expect(race.writesTo('cm7', VRING1_AVAIL_IDX).map((w) => w.split(' ')[1])).toEqual(['1', '2', '3', '4']);
  });

  test('two-endpoints: the drop, and the summary that counts it', () => {
    const { of, us } = golden('two-endpoints');
    const dropped = of('rl-deliver').filter((r) => r.ept < 0);
    expect(dropped.map((r) => `${us(r)} dst ${r.dst} ${r.len} B`)).toEqual(['141.870000 dst 33 8 B']);
    expect(messagesOf('two-endpoints').masterToRemote).toEqual({ delivered: 3, bytes: 72, dropped: 1 });
  });
});
