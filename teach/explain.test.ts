// `explain` of the lesson scenario one-message against its golden text, every access line
// named, the --message and time windows, and the CLI's errors (exit 2, one line, no stack).

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeRlReturn } from '../firmware/rpmsg-lite/constants';
import { readScenarioFile } from '../scenario-engine/files';
import { ConfigError, ProcessError } from '../sim/kernel';
import { readJsonl } from '../sim/trace/jsonl';
import { explain, messagesOf, parseMessageId } from './explain';
import { type ExplainRun, runForExplain } from './explain-run';

const root = join(__dirname, '..');
const goldenFile = join(root, 'scenarios/lessons/golden/one-message.explain.txt');

function lessonRun(): ExplainRun {
  const loaded = readScenarioFile(join('scenarios', 'lessons', 'one-message.yaml'));
  expect(loaded.report).toBe('');
  return runForExplain(loaded.scenario!);
}

const run = lessonRun();
const text = explain(run, { describeReturn: describeRlReturn });

/** Runs the CLI (the bundle bin/rpmsg-sim starts; built in beforeAll below) as a user does. */
async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'rpmsg-sim'), ...args, '--no-color'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('the one-message scenario meets its expectations', () => {
  expect(run.ok).toBe(true);
  expect(messagesOf(run.records)).toEqual([{ dir: 'm2r', msg: 0 }]);
});

test('explain of one-message is its golden text (node bin/rpmsg-sim explain scenarios/lessons/one-message.yaml --no-color > scenarios/lessons/golden/one-message.explain.txt)', () => {
  expect(text).toBe(readFileSync(goldenFile, 'utf8'));
});

test('every access line of the golden names what it touches: no bare address without a field name', () => {
  const golden = readFileSync(goldenFile, 'utf8').split('\n');
  const access = golden.filter((l) => /^\s+\d+\.\d+\s+\S+\s+(read|write)(8|16|32)\s|burst (read|write)/.test(l));
  expect(access.length).toBe(run.records.filter((r) => (r.kind === 'bus' || r.kind === 'burst') && r.target !== 'flexspi').length);
  const named = /\s(read|write)(8|16|32) (vring[01]\.[a-z_]+[\w.[\]+]*|buf\[\d+\]\.(hdr\.[a-z.]+|payload\[\+\d+\])[\w[\]+]*|mu\.[ab]\.(TR|RR)?[0-3A-Z]+) (←|→) /;
  const namedBurst = /burst (read|write) \d+ B (vring[01]\.\S+|buf\[\d+\]\S*|shmem\.\S+) \(0x[0-9a-f]+\)/;
  for (const line of access) {
    if (/burst/.test(line)) expect(line).toMatch(namedBurst);
    else expect(line).toMatch(named);
    // an address appears only in parentheses after its name, or as a value written or read
    expect(line.replace(/\(0x[0-9a-f]+\)/g, '').replace(/[←→] 0x[0-9a-f]+/g, '')).not.toMatch(/0x[0-9a-f]{6,}\b(?! )/);
  }
  expect(access.filter((l) => l.includes('mu.a.CR ← 0xc0040000 (GIE0 GIE1 GIR1)  ring the doorbell: GIR1 interrupts the other core (vring 1)'))).toHaveLength(1);
});

test('the narrative has the five phases of m2r#0 with cycles on both cores and the ring after each', () => {
  const phases = text.split('\n').filter((l) => l.includes('── m2r#0 phase'));
  expect(phases.map((l) => l.replace(/^.*phase (\d)\/5 ([a-zA-Z ]+) on .*$/, '$1 $2'))).toEqual([
    '1 send path',
    '2 notify',
    '3 mailbox crossing',
    '4 interrupt entry',
    '5 ISR and dispatch',
  ]);
  for (const l of phases) expect(l).toMatch(/ cm7 cycles, [\d.]+ cm4 cycles$/);
  expect(text).toContain('desc 0 → buf[2]: in the avail ring: a message for the remote');
  expect(text).toContain('desc 0 → buf[2]: held by the remote (reading a message)');
});

test('the C functions inside rpmsg_lite_send and the remote\'s ISR, in order', () => {
  const lines = text.split('\n');
  const between = (from: string, to: string) => {
    const a = lines.map((l) => l.includes(from)).lastIndexOf(true);
    const b = lines.findIndex((l, i) => i > a && l.includes(to));
    return lines.slice(a, b).filter((l) => l.includes(' · ')).map((l) => l.slice(l.indexOf('· ') + 2));
  };
  expect(between('▶ rpmsg_lite_send', '◀ rpmsg_lite_send')).toEqual(['virtqueue_get_buffer(vring1)', 'env_memcpy of the payload', 'virtqueue_add_buffer(vring1)', 'virtqueue_kick(vring1)', 'platform_notify']);
  expect(between('cm4       ▶ ISR 118', 'cm4       ◀ ISR 118')).toEqual([
    "the platform's mailbox ISR",
    'virtqueue_get_available_buffer(vring1)',
    'rpmsg_lite_rx_callback',
    'virtqueue_add_consumed_buffer(vring1)',
    'virtqueue_get_available_buffer(vring1)',
  ]);
});

test('colour adds ANSI escapes and nothing else', () => {
  const coloured = explain(run, { color: true, describeReturn: describeRlReturn });
  expect(coloured).toContain('\u001b[1m▶ rpmsg_lite_send\u001b[0m');
  expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(text);
  expect(text).not.toContain('\u001b');
});

test('--message follows one message: from its send call to its callback', () => {
  const one = explain(run, { message: { dir: 'm2r', msg: 0 }, describeReturn: describeRlReturn });
  const lines = one.split('\n');
  expect(lines[2]).toBe('showing message m2r#0, 86.766064 µs to 110.027500 µs');
  expect(one).not.toContain('rpmsg_lite_master_init');
  expect(one).toContain('▶ rpmsg_lite_send');
  expect(one).toContain('── m2r#0 phase 5/5 ISR and dispatch on cm4');
});

test('--from/--to keep the records between the two times', () => {
  const cut = explain(run, { from: 101_000_000, to: 102_000_000, describeReturn: describeRlReturn });
  expect(cut).toContain('\n              cm7       (inside rpmsg_lite_send since 86.766064 µs)\n              cm7         · virtqueue_get_buffer(vring1)\n  101.806225  cm7 ');
  const timed = cut.split('\n').filter((l) => /^\s+\d+\.\d{6}\s/.test(l));
  expect(timed.map((l) => l.trim().split(/\s+/)[0])).toEqual(['101.806225', '101.827309', '101.844378', '101.860442', '101.877510', '101.894578', '101.910643', '101.927711', '101.943775']);
});

test('the records kept are bounded: --to drops the later ones, more than the limit is an error', () => {
  const loaded = readScenarioFile(join('scenarios', 'lessons', 'one-message.yaml'));
  const upTo = runForExplain(loaded.scenario!, {}, { until: () => 29_353_000 });
  expect(upTo.records.length).toBe(run.records.filter((r) => r.t <= 29_353_000).length);
  expect(upTo.records[upTo.records.length - 1]).toEqual({ t: 29_353_000, component: 'cm7', kind: 'rl-call', fn: 'rpmsg_lite_create_ept' });
  let cause: unknown = null;
  try {
    runForExplain(loaded.scenario!, {}, { limit: 50 });
  } catch (error) {
    cause = error instanceof ProcessError ? error.cause : error; // thrown inside the bus access of a core's process
  }
  expect(cause).toEqual(new ConfigError('explain keeps the records of a run in memory, at most 50 of them, and this run has more by 24.660643 µs: give --to to explain less (or a shorter scenario)'));
  expect(cause).toBeInstanceOf(ConfigError);
});

test('--to draws the rings as they are at that time', () => {
  const cut = explain(run, { to: 101_900_000, describeReturn: describeRlReturn }).split('\n');
  const at = cut.indexOf('              the rings at 102.309237 µs:');
  expect(at).toBeGreaterThan(0);
  expect(cut.slice(at + 4, at + 7)).toEqual([
    '                 vring1 (master→remote): avail.idx 0, used.idx 2',
    '                   desc 0 → buf[2]: held by the master (filling a message)',
    '                   desc 1 → buf[3]: in the used ring: free, for the master to send with',
  ]);
});

test('the vring fields master init cleared with its memsets are known: the run read them from shared memory at each burst', () => {
  // the bursts that cover a vring field: master init's two vring memsets (78 B each), read back as 0
  const covering = Object.keys(run.bursts!).map(Number);
  expect(covering.map((i) => run.records[i])).toEqual([
    expect.objectContaining({ component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0000, size: 78 }),
    expect.objectContaining({ component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0050, size: 78 }),
  ]);
  // every field of the vring by its offset: desc[0..1] addr/len/flags/next, avail flags/idx/ring[0..1]/used_event, used flags/idx/ring[0..1] id/len/avail_event
  const fields = [0x00, 0x08, 0x0c, 0x0e, 0x10, 0x18, 0x1c, 0x1e, 0x20, 0x22, 0x24, 0x26, 0x28, 0x30, 0x32, 0x34, 0x38, 0x3c, 0x40, 0x44];
  const zeros = (base: number) => Object.fromEntries(fields.map((f) => [base + f, 0]));
  expect(Object.values(run.bursts!)).toEqual([zeros(0x202c0000), zeros(0x202c0050)]);
  const lines = text.split('\n');
  const init = lines.indexOf('              the rings after master init:');
  expect([lines[init + 1], lines[init + 4]]).toEqual(['                 vring0 (remote→master): avail.idx 2, used.idx 0', '                 vring1 (master→remote): avail.idx 0, used.idx 2']);
  expect(lines[4]).toBe('rings: an index a burst wrote (a memset, a cache line written back) shows the value the run read from shared memory as the burst happened (the trace has no data for a burst)');
  expect(text).not.toMatch(/idx \?/);
});

test('without the values of the bursts (a trace alone) an index a burst cleared is ?, and the legend says why', () => {
  const { bursts: _bursts, ...alone } = run;
  const lines = explain(alone, { describeReturn: describeRlReturn }).split('\n');
  expect(lines[4]).toBe('rings: an index shown ? has not been read or written since master init cleared the vring (a burst: its data is not traced)');
  const init = lines.indexOf('              the rings after master init:');
  expect([lines[init + 1], lines[init + 4]]).toEqual(['                 vring0 (remote→master): avail.idx 2, used.idx ?', '                 vring1 (master→remote): avail.idx ?, used.idx 2']);
  // nothing else differs
  expect(lines.filter((l) => !l.includes('idx') && !l.startsWith('rings:'))).toEqual(text.split('\n').filter((l) => !l.includes('idx') && !l.startsWith('rings:')));
});

test('on dcache-coherent the descriptors the M7 stored through its D-cache are known from the lines written back: m2r#0 shows desc 1 with buf[3]', () => {
  // the golden trace has no bus write of vring1.desc[1].addr (0x202c0060): the M7's stores hit
  // its D-cache; the remote, uncached, first reads 0x202c06a0 there = buf[3] (0x202c00a0 + 3 × 512)
  const golden = readJsonl(readFileSync(join(root, 'scenarios/golden/dcache-coherent.jsonl'), 'utf8')).records;
  const desc1 = golden.filter((r) => r.kind === 'bus' && r.address === 0x202c0060);
  expect(desc1.filter((r) => r.kind === 'bus' && r.op === 'write')).toEqual([]);
  expect(desc1[0]).toEqual({ t: 1_035_227_460, component: 'cm4', kind: 'bus', op: 'read', address: 0x202c0060, size: 4, value: 0x202c06a0, target: 'ocram', cycles: 8, stall: 0 });
  const loaded = readScenarioFile(join('scenarios', 'dcache-coherent.yaml'));
  const dc = runForExplain(loaded.scenario!, {}, { until: () => 1_040_000_000 });
  // master init's line over desc[1] written back: addr buf[3], len 512, flags VRING_DESC_F_WRITE, next VQ_RING_DESC_CHAIN_END;
  // avail.flags VRING_AVAIL_F_NO_INTERRUPT, the rest 0
  const k = dc.records.findIndex((r) => r.t === 28_617_000);
  expect(dc.records[k]).toEqual({ t: 28_617_000, component: 'cm7', kind: 'burst', op: 'write', address: 0x202c0060, size: 32, target: 'ocram', beats: 4, cycles: 31, stall: 0 });
  expect(dc.bursts![k]).toEqual({
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
  const lines = explain(dc, { message: { dir: 'm2r', msg: 0 }, describeReturn: describeRlReturn }).split('\n');
  // after the send path: m2r#0's buf[2] published in the avail ring (the slot came with a write-back too), buf[3] free in the used ring
  const sent = lines.findIndex((l) => l.includes('m2r#0 phase 1/5 send path on cm7'));
  expect(lines.slice(sent + 1, sent + 4)).toEqual([
    '                 vring1 (master→remote): avail.idx 1, used.idx 2',
    '                   desc 0 → buf[2]: in the avail ring: a message for the remote',
    '                   desc 1 → buf[3]: in the used ring: free, for the master to send with',
  ]);
  expect(lines.filter((l) => l.includes('no buffer'))).toEqual([]);
});

test("a scenario's golden-trace kinds do not narrow what explain sees", () => {
  const loaded = readScenarioFile(join('scenarios', 'lessons', 'one-message.yaml'));
  const narrowed = runForExplain({ ...loaded.scenario!, trace: { kinds: ['rl-call'] } });
  expect(narrowed.records.length).toBe(run.records.length);
});

test('parseMessageId takes m2r#N, r2m#N or a number, and says what the run has', () => {
  const known = [{ dir: 'r2m' as const, msg: 0 }, { dir: 'm2r' as const, msg: 0 }, { dir: 'm2r' as const, msg: 1 }];
  expect(parseMessageId('m2r#1', known)).toEqual({ dir: 'm2r', msg: 1 });
  expect(parseMessageId('1', known)).toEqual({ dir: 'm2r', msg: 0 });
  expect(parseMessageId('m2r#2', known)).toBe("--message m2r#2: no such message (the run's messages: m2r#0 to m2r#1, r2m#0)");
  expect(parseMessageId('3', known)).toBe("--message 3: the run has 3 messages (the run's messages: m2r#0 to m2r#1, r2m#0)");
  expect(parseMessageId('x', [])).toBe('--message "x": expected a message like m2r#0 or r2m#1, or its number in the run (0, 1, …)');
});

describe('the explain command', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'ignore' });
  });

  test('prints the golden text for the lesson', async () => {
    const r = await cli('explain', 'scenarios/lessons/one-message.yaml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(goldenFile, 'utf8'));
  });

  test('a bad --message is bad input: exit 2, one line', async () => {
    const r = await cli('explain', 'scenarios/lessons/one-message.yaml', '--message', 'r2m#0');
    expect(r).toEqual({ code: 2, stdout: '', stderr: "rpmsg-sim: error: --message r2m#0: no such message (the run's messages: m2r#0)\n" });
  });

  test('a bad --from is bad input', async () => {
    const r = await cli('explain', 'scenarios/lessons/one-message.yaml', '--from', '10');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'rpmsg-sim: error: --from: expected a duration like 10us, 2ms or 100 cycles@cm7, got "10" (a duration needs a unit: ns, us, ms, s or cycles@cm7)\n' });
  });

  test('a firmware error is the run failing, as for run: exit 1, one paragraph', async () => {
    const r = await cli('explain', 'bin/fixtures/firmware-misuse.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'rpmsg-sim: firmware error in bin/fixtures/firmware-misuse.yaml: core core0: env_lock_mutex called from an interrupt handler (process "core0" at 666.667 ns, tick 2000). ' +
        'The firmware misused rpmsg-lite, its environment or the RTOS; fix the firmware (this is not a bug of rpmsg-sim).\n',
    );
  });

  test('a scenario that does not exist is bad input', async () => {
    const r = await cli('explain', 'scenarios/lessons/no-such.yaml');
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'scenarios/lessons/no-such.yaml: cannot read the scenario file: no such file\nrpmsg-sim: error: the scenario has errors (see above)\n' });
  });
});

test('a block write of one aligned 32-byte line is told as a D-cache line written back, a longer block as a memset', () => {
  const loaded = readScenarioFile(join('scenarios', 'dcache-coherent.yaml'));
  const dc = runForExplain(loaded.scenario!, {}, { until: () => 30_000_000 });
  const lines = explain(dc, { describeReturn: describeRlReturn }).split('\n');
  // master init on the M7 with RL_USE_DCACHE: the memset goes into the cache, the lines reach memory as write-backs
  expect(lines.find((l) => l.includes('burst write 32 B vring0.desc[0].addr'))).toBe(
    '   24.497992  cm7           burst write 32 B vring0.desc[0].addr..desc[1].next[+1] (0x202c0000)  a D-cache line written back: what the core stored in its cache reaches the shared memory; 29 cycles',
  );
  // one-message (no D-cache on the shared memory): master init's memset of a vring, 78 B, stays a memset
  const om = runForExplain(readScenarioFile(join('scenarios', 'lessons', 'one-message.yaml')).scenario!, {}, { until: () => 30_000_000 });
  expect(explain(om, { describeReturn: describeRlReturn }).split('\n').filter((l) => l.includes('burst write 78 B')).map((l) => l.slice(l.indexOf('  clear')).split(';')[0])).toEqual([
    '  clear the memory (memset)',
    '  clear the memory (memset)',
  ]);
});

test('the time column widens to fit the latest time: past 100 ms the components still line up', () => {
  // bench/flood-1m.yaml with 900 messages: the master's blocking send polls every 1 ms once the ring is full, so the run passes 100 ms
  const loaded = readScenarioFile(join('bench', 'flood-1m.yaml'), ['master.params.count=900', 'expect.messages.master-to-remote=900']);
  const run = runForExplain(loaded.scenario!, {});
  const lines = explain(run, { describeReturn: describeRlReturn }).split('\n').filter((l) => /^ *\d+\.\d{6}  /.test(l));
  const late = lines.filter((l) => Number(l.trim().split(' ')[0]) >= 100_000);
  expect(late.length).toBeGreaterThan(0);
  // every time line: the time right-aligned in one column (its 6 decimals end at the same place), then the component
  const end = (l: string) => l.indexOf('.') + 7;
  expect(end(late[late.length - 1]!)).toBe(end(lines[0]!));
  expect(new Set(lines.map(end)).size).toBe(1);
  expect(lines[0]!.slice(end(lines[0]!), end(lines[0]!) + 7)).toBe('  cm7  ');
}, 30_000);

test('one cycle is "1 cycle" (lpc55s69\'s SRAM answers in one)', () => {
  const run = runForExplain(readScenarioFile(join('scenarios', 'ping-pong-lpc55s69.yaml')).scenario!, {}, { until: () => 30_000_000 });
  const lines = explain(run, { describeReturn: describeRlReturn }).split('\n');
  expect(lines.find((l) => l.includes('write16 vring0.desc[0].next'))!.endsWith('chain the free descriptors: next is 1; 1 cycle')).toBe(true);
  expect(lines.filter((l) => /; 1 cycles\b/.test(l))).toEqual([]);
});
