import { runScenario } from './run';
import type { Scenario, Step } from './types';

const base = (over: Partial<Scenario>): Scenario => ({
  file: 'test.yaml',
  name: 'test',
  platform: 'lpc55s69',
  overrides: {},
  rpmsg: {},
  master: { environment: 'bare-metal', firmware: { kind: 'app', app: 'ping-pong', params: { count: 10, payloadSize: 64 } } },
  remote: { environment: 'bare-metal', firmware: { kind: 'app', app: 'ping-pong', params: { count: 10, payloadSize: 64 } } },
  stop: { time: { ns: 10_000_000 } },
  expect: {},
  ...over,
});

/** A master that only inits and a remote running `steps` until one message arrives (none does). */
function idleRun(environment: 'bare-metal' | 'rtos', steps: Step[]) {
  return runScenario(
    base({
      master: { environment: 'bare-metal', firmware: { kind: 'steps', steps: [{ kind: 'init' }], stepLocations: [] } },
      remote: { environment, firmware: { kind: 'steps', steps, stepLocations: [] } },
      stop: { messages: 1 },
    }),
  );
}

describe('runScenario', () => {
  test('ping-pong app: 21 messages (the NS announcement too), latencies in ns and cycles, codes, expectations', () => {
    const s = runScenario(
      base({
        expect: {
          messages: { delivered: 21, masterToRemote: 10 },
          codes: { RL_SUCCESS: 21 },
          // The first message fetches its paths cold from core0's flash: 7 µs; the rest about 1.5 µs.
          latency: { oneWay: { max: { max: { ns: 10_000 } }, min: { min: { cycles: 100, core: 'core1' } } } },
          linkUp: { master: true, remote: true },
        },
      }),
    );
    expect(s.stopReason).toBe('finished');
    expect(s.messages.masterToRemote.delivered).toBe(10);
    expect(s.messages.remoteToMaster.delivered).toBe(11); // 10 replies and the NS announcement
    expect(s.latency.oneWay.masterToRemote.count).toBe(10);
    // lpc55s69: one 150 MHz clock, so ns and cycles agree exactly (20/3 ns a cycle).
    const ow = s.latency.oneWay.masterToRemote;
    expect(ow.cycles.core0!.p50).toBeCloseTo((ow.ns.p50 * 150) / 1000, 3);
    expect(s.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(s.ok).toBe(true);
    expect(s.cores.map((c) => c.name)).toEqual(['core0', 'core1']);
  });

  test('steps: master sends 10 × 64 B every 10 us; the remote receives them; a failed expectation is reported', () => {
    const master: Step[] = [
      { kind: 'init' },
      { kind: 'create-endpoint', name: 'ept', addr: 1, onReceive: 'release' },
      { kind: 'compute', cycles: 20_000 },
      { kind: 'send', from: 'ept', to: 30, size: 64, repeat: 10, interval: { ns: 10_000 }, timeoutMs: 'block' },
    ];
    const remote: Step[] = [
      { kind: 'init' },
      { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'release' },
      { kind: 'wait-link-up', timeoutMs: 'block' },
      { kind: 'receive', endpoint: 'rx', count: 10 },
    ];
    const s = runScenario(
      base({
        master: { environment: 'bare-metal', firmware: { kind: 'steps', steps: master, stepLocations: [] } },
        remote: { environment: 'bare-metal', firmware: { kind: 'steps', steps: remote, stepLocations: [] } },
        stop: { messages: 10 },
        expect: { messages: { delivered: 10 }, codes: { RL_ERR_NO_MEM: 1 } },
      }),
    );
    expect(s.stopReason).toBe('messages');
    expect(s.messages.masterToRemote).toEqual({ delivered: 10, bytes: 640, dropped: 0 });
    expect(s.expectations).toEqual([
      { what: 'messages delivered', expected: '10', actual: '10', ok: true },
      { what: 'RL_ERR_NO_MEM returned', expected: '1 times', actual: '0 times', ok: false },
    ]);
    expect(s.ok).toBe(false);
  });

  test('a remote waiting for a message that never comes: the run ends idle with a report', () => {
    const s = idleRun('bare-metal', [{ kind: 'init' }, { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'release' }, { kind: 'receive', endpoint: 'rx', count: 1 }]);
    expect(s.stopReason).toBe('idle');
    expect(s.blocked).toEqual([
      'core core0: in thread mode, waiting for an interrupt (WFI) that nothing will raise',
      'core core0: every step has run (the last ended at 25613.333 ns (tick 76840))',
      'core core1: in thread mode, waiting for an interrupt (WFI) that nothing will raise',
      'core core1: step 3 of 3, receive (1 message on endpoint "rx", no timeout), since 11733.333 ns (tick 35200)',
    ]);
  });
});

test('trace: {kinds} keeps only those record kinds in the trace writers', () => {
  const kept: string[] = [];
  runScenario(base({ trace: { kinds: ['rl-enqueue', 'rl-deliver'] }, stop: { time: { ns: 10_000_000 } } }), {
    sinks: () => [{ record: (r) => kept.push(r.kind) }],
  });
  expect(new Set(kept)).toEqual(new Set(['rl-enqueue', 'rl-deliver']));
  expect(kept.length).toBe(2 * 21); // 21 messages each way counted once at each end
});

describe('runScenario refuses what the loader would have caught, with typed errors', () => {
  test('a duration in cycles of a core the platform lacks is a ConfigError', () => {
    expect(() => runScenario(base({ stop: { time: { cycles: 100, core: 'cm7' } } }))).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: 'no core "cm7" on lpc55s69 (cores: core0, core1)' }),
    );
  });

  test('a module scenario without its compiled programs is an InternalError', () => {
    const module = { environment: 'bare-metal' as const, firmware: { kind: 'module' as const, path: '/fw.ts', export: 'master' } };
    expect(() => runScenario(base({ master: module }))).toThrow(
      expect.objectContaining({ name: 'InternalError', message: "the master's module /fw.ts was not compiled: pass its programs in RunOptions.modules" }),
    );
  });

  test("app params that do not match the app's declaration are an InternalError", () => {
    const bad = { environment: 'bare-metal' as const, firmware: { kind: 'app' as const, app: 'ping-pong' as const, params: { count: '10', payloadSize: 64 } } };
    expect(() => runScenario(base({ master: bad }))).toThrow(
      expect.objectContaining({
        name: 'InternalError',
        message: 'ping-pong: params {"count":"10","payloadSize":64} do not match the app\'s declaration (the loader should have refused them)',
      }),
    );
  });
});

describe('cost overrides', () => {
  // One send on the lpc55s69 (core, bus and memory on one 150 MHz clock, so no edge
  // alignment can absorb a difference). rl.sendMaster 149 -> 299 instructions on a Cortex-M33
  // at 1.4 × 1.25 / 1.5 = 7/6 cycles per instruction: round(299 × 7/6) − round(149 × 7/6)
  // = 349 − 174 = 175 more cycles from the send call to its return, and nothing else moves.
  // core0's code in SRAMX (zero wait): from flash, prefetch would hide part of a longer path's refills.
  const oneSend = (costs?: Record<string, number>): Scenario =>
    base({
      overrides: { 'cores.core0.placement.code': 'sramx' },
      master: {
        environment: 'bare-metal',
        ...(costs !== undefined && { costs }),
        firmware: {
          kind: 'steps',
          steps: [
            { kind: 'init' },
            { kind: 'create-endpoint', name: 'tx', addr: 1, onReceive: 'release' },
            { kind: 'compute', cycles: 20_000 },
            { kind: 'send', from: 'tx', to: 30, size: 16, repeat: 1, timeoutMs: 'block' },
          ],
          stepLocations: [],
        },
      },
      remote: {
        environment: 'bare-metal',
        firmware: {
          kind: 'steps',
          steps: [
            { kind: 'init' },
            { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'release' },
            { kind: 'receive', endpoint: 'rx', count: 1 },
          ],
          stepLocations: [],
        },
      },
      stop: { messages: 1 },
    });

  // lpc55s69's Cortex-M33 at its default build (-Os): rl.sendMaster 168 lib-only − 14 shared − 3 dsb
  // = 151 instructions × 1.4 = 211.4 → 211 cycles; 299 × 1.4 = 418.6 → 419: 208 cycles longer.
  test('rl.sendMaster from 151 to 299 instructions: the send takes exactly 208 cycles longer', () => {
    const before = runScenario(oneSend()).latency.sendReturn.masterToRemote.cycles.core0!.max;
    const after = runScenario(oneSend({ 'rl.sendMaster': 299 })).latency.sendReturn.masterToRemote.cycles.core0!.max;
    expect(after - before).toBe(208);
  });
});

test('an RTOS task waiting on a queue forever: the idle report names the task and what it waits on', () => {
  const s = idleRun('rtos', [
    { kind: 'init' },
    { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'queue' },
    { kind: 'queue-receive', endpoint: 'rx', count: 1, timeoutMs: 'block' },
  ]);
  expect(s.stopReason).toBe('idle');
  expect(s.blocked).toEqual([
    'core core0: in thread mode, waiting for an interrupt (WFI) that nothing will raise',
    'core core0: every step has run (the last ended at 25613.333 ns (tick 76840))',
    'core core1: in thread mode, waiting for an interrupt (WFI) that nothing will raise',
    'core core1: step 3 of 3, queue-receive (1 message from the queue of endpoint "rx", no timeout (RL_BLOCK)), since 34793.333 ns (tick 104380)',
    'core core1: task "remote-app" waits for queue "env-queue-1" to receive forever',
  ]);
});
