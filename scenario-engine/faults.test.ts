// Fault injection (faults.ts): the loader's reading of `faults:` and of the fault expectations,
// `--fault` arguments, and each kind's effect on a short run, read off its fault records and
// the run's summary.

import { formatErrors, loadScenario } from './load';
import { runScenario } from './run';
import { fieldAt, withFaultArguments } from './faults';
import { buildRpmsgSystem } from '../platforms/system';
import { ticksToDecimal } from '../sim/trace/tick-format';
import { MemorySink, type TraceRecord } from '../sim/trace/trace';
import type { Scenario } from './types';

const HEAD = `platform: imxrt1170
master: {app: ping-pong, params: {count: 5, payload-size: 4B}}
remote: {app: ping-pong}
stop: {time: 2ms}
`;

/** The scenario of HEAD plus `rest`, or the loader's report. */
function load(rest: string): { scenario?: Scenario; report: string } {
  const { scenario, errors } = loadScenario('f.yaml', HEAD + rest);
  return { ...(scenario !== undefined && { scenario }), report: formatErrors(errors) };
}

function run(rest: string) {
  const { scenario, report } = load(rest);
  expect(report).toBe('');
  const memory = new MemorySink();
  const summary = runScenario(scenario!, { sinks: () => [memory] });
  const faults = memory.records.filter((r): r is Extract<TraceRecord, { kind: 'fault' }> => r.kind === 'fault');
  return { summary, records: memory.records, faults: faults.map((r) => `${r.component}: ${r.fault} on ${r.target} (${r.trigger}): ${r.effect}`) };
}

/** What the loader says of the faults of 'every problem located', word for word. */
const EXPECTED_PROBLEMS = `f.yaml:6:12: unknown fault kind "drop-dorbell"; expected one of drop-doorbell, delay-doorbell, delay-interrupt, halt, reset, late-boot, write, flip, hold-bus, skip-cache-maintenance
  6 |   - {kind: drop-dorbell, to: remote, at: 1ms}
    |            ^
  note: did you mean "drop-doorbell"?
f.yaml:7:5: a halt fault needs a trigger: at (a time) or on (an event count)
  7 |   - {kind: halt, core: remote}
    |     ^
  note: e.g. at: 120us, or on: {doorbell: 3}
f.yaml:8:5: give at or on, not both
  8 |   - {kind: halt, core: remote, at: 1ms, on: {message: 1}}
    |     ^
  note: e.g. at: 120us, or on: {doorbell: 3}
f.yaml:9:5: a delay-doorbell fault needs "delay"
  9 |   - {kind: delay-doorbell, to: remote, on: {cache-op: 1}}
    |     ^
f.yaml:9:45: a delay-doorbell fault cannot be triggered by a cache-op count
  9 |   - {kind: delay-doorbell, to: remote, on: {cache-op: 1}}
    |                                             ^
  note: it counts doorbell or message
f.yaml:10:26: "vring2.avail.idx" is not a field of the shared memory
  10 |   - {kind: write, field: vring2.avail.idx, value: 1, at: 1ms}
     |                          ^
  note: e.g. vring1.avail.idx, vring0.desc[2].len, vring0.used.ring[1].id, buf[3].hdr.len, msg.hdr.len (the buffer of the triggering message)
f.yaml:11:5: an address needs a size: 1, 2 or 4 bytes
  11 |   - {kind: flip, address: 0x202c0000, bits: 0, at: 1ms}
     |     ^
f.yaml:11:45: flipping no bits changes nothing: give a mask such as 0x1
  11 |   - {kind: flip, address: 0x202c0000, bits: 0, at: 1ms}
     |                                             ^
f.yaml:12:37: a late-boot fault boots the core at a time: give at
  12 |   - {kind: late-boot, core: remote, on: {message: 1}}
     |                                     ^
  note: e.g. at: 200us
f.yaml:13:26: "msg.hdr.len" names the buffer of the triggering message: trigger the fault with on: {message: N}
  13 |   - {kind: write, field: msg.hdr.len, value: 1, at: 1ms}
     |                          ^
f.yaml:14:27: a bus hold of 0 holds nothing: give a duration above 0
  14 |   - {kind: hold-bus, for: 0us, at: 1ms, count: 2}
     |                           ^
f.yaml:14:41: a hold-bus fault takes no "count"
  14 |   - {kind: hold-bus, for: 0us, at: 1ms, count: 2}
     |                                         ^
  note: its keys: kind, at or on, for, port
`;

describe('faults: the loader', () => {
  test('a fault list in base units, with the trigger and the core by role or core name', () => {
    const { scenario, report } = load(`faults:
  - {kind: drop-doorbell, to: cm4, on: {doorbell: 3}, count: 2}
  - {kind: delay-interrupt, core: master, delay: 2us, at: 1ms}
  - {kind: write, field: vring1.avail.idx, value: 7, on: {message: 2, from: master}}
`);
    expect(report).toBe('');
    expect(scenario!.faults!.map(({ location, ...f }) => ({ ...f, line: location.line }))).toEqual([
      { kind: 'drop-doorbell', count: 2, trigger: { on: 'doorbell', n: 3 }, role: 'remote', line: 6 },
      { kind: 'delay-interrupt', count: 1, trigger: { at: { ns: 1_000_000 } }, role: 'master', duration: { ns: 2000 }, line: 7 },
      { kind: 'write', count: 1, trigger: { on: 'message', n: 2, from: 'master' }, field: 'vring1.avail.idx', value: 7, line: 8 },
    ]);
  });

  test('a scenario without faults has no faults key (its run and golden do not change)', () => {
    expect('faults' in load('').scenario!).toBe(false);
  });

  test('every problem located, with what to write instead', () => {
    const { report } = load(`faults:
  - {kind: drop-dorbell, to: remote, at: 1ms}
  - {kind: halt, core: remote}
  - {kind: halt, core: remote, at: 1ms, on: {message: 1}}
  - {kind: delay-doorbell, to: remote, on: {cache-op: 1}}
  - {kind: write, field: vring2.avail.idx, value: 1, at: 1ms}
  - {kind: flip, address: 0x202c0000, bits: 0, at: 1ms}
  - {kind: late-boot, core: remote, on: {message: 1}}
  - {kind: write, field: msg.hdr.len, value: 1, at: 1ms}
  - {kind: hold-bus, for: 0us, at: 1ms, count: 2}
`);
    expect(report).toBe(EXPECTED_PROBLEMS);
  });

  test('the expectations under faults', () => {
    const { scenario, report } = load(`expect:
  faults-fired: 1
  messages-lost: 0
  messages-duplicated: 0
  recovery-within: 40us
  locked-up: {remote: false}
`);
    expect(report).toBe('');
    expect(scenario!.expect.faults).toEqual({ fired: 1, lost: 0, duplicated: 0, recoveryWithin: { ns: 40_000 }, lockedUp: { remote: false } });
  });

  test('--fault: one item per argument, errors located in the argument', () => {
    const base = load('').scenario!;
    const good = withFaultArguments(base, ['{kind: halt, core: remote, at: 1ms}']);
    expect(good.report).toBe('');
    expect(good.scenario!.faults!.map((f) => [f.kind, f.role, f.location.file])).toEqual([['halt', 'remote', '--fault 1']]);
    expect(withFaultArguments(base, ['{kind: halt, core: remote, at: 1ms}', '{kind: halt, core: cm5, at: 1ms}']).report).toBe(`--fault 2:1:20: unknown core (a role or a core name) "cm5"; expected one of master, remote, cm7, cm4
  1 | {kind: halt, core: cm5, at: 1ms}
    |                    ^
  note: did you mean "cm7"?
`);
    expect(withFaultArguments(base, ['{kind: halt']).report).toMatch(/^--fault 1:1:\d+: /);
  });

  test('what only the built system can judge: refused by the loader (so by validate), and by the run for a --fault', () => {
    expect(load(`faults:
  - {kind: write, field: 'vring0.desc[7].len', value: 1, at: 1ms}
`).report).toBe(`f.yaml:6:5: write fault: no field "vring0.desc[7].len" in this run's shared memory (2 descriptors per vring, buffers buf[0] to buf[3])
  6 |   - {kind: write, field: 'vring0.desc[7].len', value: 1, at: 1ms}
    |     ^
`);
    // A --fault joins the scenario after the loader: the run judges it before any trace writer opens.
    const added = withFaultArguments(load('').scenario!, ["{kind: write, field: 'vring0.desc[7].len', value: 1, at: 1ms}"]).scenario!;
    let opened = false;
    const sinks = () => {
      opened = true;
      return [];
    };
    expect(() => runScenario(added, { sinks })).toThrow('--fault 1:1:1: write fault: no field "vring0.desc[7].len" in this run\'s shared memory (2 descriptors per vring, buffers buf[0] to buf[3])');
    expect(opened).toBe(false);
    const cache = loadScenario('g.yaml', `platform: lpc55s69
master: {app: ping-pong, params: {count: 1, payload-size: 4B}}
remote: {app: ping-pong}
stop: {time: 1ms}
faults:
  - {kind: skip-cache-maintenance, core: remote, on: {cache-op: 1}}
`);
    expect(formatErrors(cache.errors)).toBe(`g.yaml:6:5: skip-cache-maintenance fault: core1 (remote) has no data cache on lpc55s69: there is no cache maintenance to skip
  6 |   - {kind: skip-cache-maintenance, core: remote, on: {cache-op: 1}}
    |     ^
`);
  });
});

test('fieldAt: the names of teach/fields.ts at the addresses of master_init\'s layout, with their sizes', () => {
  const sys = buildRpmsgSystem('imxrt1170');
  const at = (f: string) => {
    const x = fieldAt(sys, f);
    return typeof x === 'string' ? x : `${x.address.toString(16)}/${x.size}`;
  };
  expect(['vring1.avail.idx', 'vring1.used.idx', 'vring0.desc[1].len', 'vring0.desc[0].addr', 'vring0.avail.ring[1]', 'vring1.used.ring[1].id', 'vring0.used.avail_event', 'buf[3].hdr.len', 'buf[0].hdr.dst'].map(at)).toEqual([
    '202c0072/2',
    '202c0082/2',
    '202c0018/4',
    '202c0000/8',
    '202c0026/2',
    '202c008c/4',
    '202c0044/2',
    '202c06ac/2',
    '202c00a4/4',
  ]);
  expect(at('vring0.desc[2].len')).toBe('no field "vring0.desc[2].len" in this run\'s shared memory (2 descriptors per vring, buffers buf[0] to buf[3])');
  expect(at('buf[4].hdr.len')).toBe('no field "buf[4].hdr.len" in this run\'s shared memory (2 descriptors per vring, buffers buf[0] to buf[3])');
});

describe('faults: each kind on a short run', () => {
  test('drop-doorbell: the 2nd doorbell to the remote is lost, and the exchange stops there', () => {
    const { summary, faults } = run(`faults: [{kind: drop-doorbell, to: remote, on: {doorbell: 2}}]
expect: {faults-fired: 1, messages-lost: 1, messages-duplicated: 0}
`);
    expect(faults).toEqual(['cm4: drop-doorbell on mu.a.CR → cm4 (doorbell 2 to cm4): the doorbell is lost: the other side never sees the request']);
    expect(summary.messages.masterToRemote.delivered).toBe(0);
    expect(summary.expectations.map((e) => `${e.what} ${e.actual} ${e.ok}`)).toEqual(['faults fired 1 true', 'messages lost 1 true', 'messages duplicated 0 true']);
  });

  test('delay-doorbell with a count: two doorbells late, nothing lost', () => {
    const { summary, faults } = run(`faults: [{kind: delay-doorbell, to: remote, delay: 10us, count: 2, on: {doorbell: 2}}]
expect: {messages-lost: 0, recovery-within: 11us}
`);
    expect(faults).toEqual([
      'cm4: delay-doorbell on mu.a.CR → cm4 (doorbell 2 to cm4 (1 of 2)): the doorbell lands 10000 ns late',
      'cm4: delay-doorbell on mu.a.CR → cm4 (doorbell 3 to cm4 (2 of 2)): the doorbell lands 10000 ns late',
    ]);
    expect(summary.messages.masterToRemote.delivered).toBe(5);
    expect(summary.ok).toBe(true);
  });

  test('two delay-doorbell gates on the remote: both fire, and on the doorbell both act on the delays add up', () => {
    const { summary, faults } = run(`faults: [{kind: delay-doorbell, to: remote, delay: 1us, count: 2, on: {doorbell: 2}}, {kind: delay-doorbell, to: remote, delay: 2us, on: {doorbell: 3}}]
`);
    expect(faults).toEqual([
      'cm4: delay-doorbell on mu.a.CR → cm4 (doorbell 2 to cm4 (1 of 2)): the doorbell lands 1000 ns late',
      'cm4: delay-doorbell on mu.a.CR → cm4 (doorbell 3 to cm4 (2 of 2)): the doorbell lands 1000 ns late',
      'cm4: delay-doorbell on mu.a.CR → cm4 (doorbell 3 to cm4): the doorbell lands 2000 ns late',
    ]);
    expect(summary.messages.masterToRemote.delivered).toBe(5);
  });

  test('a drop and a delay on one doorbell: the drop wins, the delay is recorded as not applied', () => {
    const { faults } = run(`faults: [{kind: delay-doorbell, to: remote, delay: 1us, on: {doorbell: 2}}, {kind: drop-doorbell, to: remote, on: {doorbell: 2}}]
`);
    expect(faults).toEqual([
      'cm4: delay-doorbell on mu.a.CR → cm4 (doorbell 2 to cm4): no delay: another fault drops this doorbell',
      'cm4: drop-doorbell on mu.a.CR → cm4 (doorbell 2 to cm4): the doorbell is lost: the other side never sees the request',
    ]);
  });

  test('halt with interrupts: the thread stops, the handlers still run', () => {
    const { summary, faults, records } = run(`faults: [{kind: halt, core: remote, interrupts: true, on: {message: 1, from: master}}]
`);
    expect(faults).toEqual(['cm4: halt on cm4 (message 1 from the master (m2r#0) enqueued): thread mode stops; interrupts are still taken']);
    // the remote's ISR still takes the message off the ring (the callback runs in it); its thread never answers
    expect(summary.messages.masterToRemote.delivered).toBe(1);
    expect(summary.messages.remoteToMaster.delivered).toBe(1);
    const afterHalt = records.filter((r) => r.component === 'cm4' && r.kind === 'handler-start' && r.t > records.find((x) => x.kind === 'fault')!.t);
    expect(afterHalt.length).toBe(1);
  });

  test('write and flip: old and new values in the record, the memory changed as the C code would see it', () => {
    const { faults } = run(`faults:
  - {kind: write, address: 0x202c1000, size: 4, value: 0xdeadbeef, at: 1us}
  - {kind: flip, field: 'vring0.desc[1].len', bits: 0x100, at: 500us}
`);
    expect(faults).toEqual([
      'shmem: write on 0x202c1000 (at 1000 ns): 0x0 → 0xdeadbeef at 0x202c1000',
      'shmem: flip on vring0.desc[1].len (at 500000 ns): 0x200 → 0x300 at 0x202c0018',
    ]);
  });

  test('late-boot: the remote starts at the fault, and the latched kick brings its link up', () => {
    const { summary, faults, records } = run(`faults: [{kind: late-boot, core: remote, at: 100us}]
expect: {link-up: {remote: true}, faults-fired: 1}
`);
    expect(faults).toEqual(['cm4: late-boot on cm4 (at 100000 ns): the core leaves reset and starts its firmware']);
    const init = records.find((r) => r.kind === 'rl-call' && r.component === 'cm4')!;
    expect(init.t).toBe(records.find((r) => r.kind === 'fault')!.t);
    expect(summary.ok).toBe(true);
  });

  test('hold-bus: the OCRAM port is busy for the hold, and the cores stall behind it', () => {
    const { faults, summary } = run(`faults: [{kind: hold-bus, for: 5us, on: {message: 2}}]
`);
    expect(faults).toEqual(['ocram: hold-bus on ocram (message 2 (m2r#0) enqueued): another master holds ocram for 5000 ns']);
    expect(summary.messages.masterToRemote.delivered).toBe(5);
    const stalled = summary.cores.map((c) => c.stalled);
    const without = run('').summary.cores.map((c) => c.stalled);
    expect(without).toEqual([0, 0]);
    // the M7's next OCRAM access waits out the hold: 5 us at 996 MHz is 4980 cycles
    expect(stalled[0]).toBeGreaterThan(4900);
    expect(stalled[0]).toBeLessThan(5000);
  });

  test('reset: the remote restarts from main() after the hold, its MU side reset; the link stays down', () => {
    const { faults, records, summary } = run(`faults: [{kind: reset, core: remote, delay: 50us, on: {message: 2, from: remote}}]
expect: {link-up: {master: true, remote: false}}
`);
    expect(faults).toEqual([
      'cm4: reset on cm4 (message 2 from the remote (r2m#1) enqueued): the core is reset: held in reset for 50000 ns, then its firmware starts again from main(); its mailbox side is reset',
    ]);
    const fault = records.find((r) => r.kind === 'fault')!;
    // in µs from the fault (996e9 ticks per second): the first init at 0, the second 50 us after the reset
    const inits = records.filter((r) => r.kind === 'rl-call' && r.component === 'cm4' && r.fn === 'rpmsg_lite_remote_init').map((r) => (r.t - fault.t) / 996_000);
    expect(inits).toEqual([-1033.435, 50]);
    expect(summary.ok).toBe(true);
  });

  test.each([
    ['a sleeping core (after its late boot)', '[{kind: late-boot, core: remote, at: 100us}, {kind: reset, core: remote, at: 110us}]', ['100.000000', '110.000000']],
    ['a core not booted yet: it stays in reset until its late boot', '[{kind: reset, core: remote, at: 0us}, {kind: late-boot, core: remote, at: 100us}]', ['100.000000']],
    [
      'a locked-up core',
      "[{kind: write, field: 'vring1.desc[1].addr', value: 0x70000000, on: {message: 2, from: master}}, {kind: reset, core: remote, at: 1100us}]",
      ['0.000000', '1100.000000'],
    ],
  ])('reset of %s: the firmware starts when it should', (_what, faults, starts) => {
    const { records } = run(`faults: ${faults}\n`);
    const inits = records.filter((r) => r.kind === 'rl-call' && r.component === 'cm4' && r.fn === 'rpmsg_lite_remote_init');
    expect(inits.map((r) => ticksToDecimal(r.t, 996e9, 6, 6))).toEqual(starts);
  });

  test.each([
    ['lpc55s69', 'core1: drop-doorbell on mailbox.IRQ0SET → core1 (doorbell 2 to core1): the doorbell is lost: the other side never sees the request'],
    ['imx8mm', 'm4: drop-doorbell on mu.a.TR1 → m4 (doorbell 2 to m4): the doorbell is lost: the other side never sees the request'],
  ])('drop-doorbell on %s: its mailbox\'s doorbell register', (platform, record) => {
    const { scenario, errors } = loadScenario('p.yaml', `platform: ${platform}
master: {app: ping-pong, params: {count: 3, payload-size: 4B}}
remote: {app: ping-pong}
stop: {time: 2ms}
faults: [{kind: drop-doorbell, to: remote, on: {doorbell: 2}}]
`);
    expect(errors).toEqual([]);
    const memory = new MemorySink();
    const summary = runScenario(scenario!, { sinks: () => [memory] });
    expect(memory.records.filter((r) => r.kind === 'fault').map((r) => r.kind === 'fault' && `${r.component}: ${r.fault} on ${r.target} (${r.trigger}): ${r.effect}`)).toEqual([record]);
    expect(summary.messages.masterToRemote.delivered).toBe(0);
  });
});
