// Faults never make the simulator itself fail: for generated lists of faults (every kind,
// every trigger, any value written into any field of the shared memory, extreme delays), a
// short ping-pong either runs to its stop or is refused with a ConfigError; never a
// JavaScript error. And the same faults give the same fault records (determinism).

import fc from 'fast-check';
import { ConfigError } from '../sim/kernel';
import { MemorySink } from '../sim/trace/trace';
import { type Fault, FAULT_KINDS } from './faults';
import { runScenario } from './run';
import type { Scenario } from './types';

const FIELDS = [
  ...[0, 1].flatMap((q) => [
    ...[0, 1].flatMap((i) => ['addr', 'len', 'flags', 'next'].map((f) => `vring${q}.desc[${i}].${f}`)),
    ...['avail.flags', 'avail.idx', 'avail.ring[0]', 'avail.ring[1]', 'avail.used_event', 'used.flags', 'used.idx', 'used.avail_event'].map((f) => `vring${q}.${f}`),
    ...[0, 1].flatMap((k) => [`vring${q}.used.ring[${k}].id`, `vring${q}.used.ring[${k}].len`]),
  ]),
  ...[0, 1, 2, 3].flatMap((k) => ['src', 'dst', 'len', 'flags', 'reserved'].map((f) => `buf[${k}].hdr.${f}`)),
];

const location = { file: 'gen.yaml', line: 1, column: 1 };
const role = fc.constantFrom<'master' | 'remote'>('master', 'remote');
const ns = fc.oneof(fc.integer({ min: 0, max: 1_500_000 }), fc.constant(9_000_000_000_000)).map((n) => ({ ns: n }));
const trigger = fc.oneof(
  ns.map((at) => ({ at })),
  fc.record({ on: fc.constantFrom<'doorbell' | 'interrupt' | 'cache-op' | 'message'>('doorbell', 'interrupt', 'cache-op', 'message'), n: fc.integer({ min: 1, max: 12 }) }),
);
const word = fc.oneof(fc.integer({ min: 0, max: 0xffff_ffff }), fc.constantFrom(0, 1, 0xffff, 0xffff_ffff, 7));

const fault: fc.Arbitrary<Fault> = fc
  .record({
    kind: fc.constantFrom(...FAULT_KINDS),
    trigger,
    role,
    count: fc.integer({ min: 1, max: 4 }),
    duration: fc.oneof(fc.integer({ min: 1, max: 200_000 }), fc.constant(5_000_000_000_000)).map((n) => ({ ns: n })),
    interrupts: fc.boolean(),
    field: fc.constantFrom(...FIELDS, 'msg.hdr.len', 'msg.hdr.dst'),
    value: word,
  })
  .map((g) => {
    // the loader's rules, so only what it would accept is generated
    const f: Fault = { kind: g.kind, trigger: g.trigger, count: 1, location };
    if ('on' in f.trigger && g.kind === 'late-boot') f.trigger = { at: { ns: 1000 } };
    if ('on' in f.trigger) {
      const allowed: Record<string, string[]> = {
        'drop-doorbell': ['doorbell', 'message'],
        'delay-doorbell': ['doorbell', 'message'],
        'delay-interrupt': ['interrupt', 'message'],
        'skip-cache-maintenance': ['cache-op', 'message'],
      };
      const ok = allowed[g.kind] ?? ['doorbell', 'interrupt', 'message'];
      if (!ok.includes(f.trigger.on)) f.trigger = { on: ok[0] as 'doorbell', n: f.trigger.n };
      if (['write', 'flip', 'hold-bus'].includes(g.kind) && f.trigger.on === 'interrupt') f.trigger = { on: 'doorbell', n: f.trigger.n };
    }
    if (!['write', 'flip', 'hold-bus'].includes(g.kind)) f.role = g.role;
    if (['drop-doorbell', 'delay-doorbell', 'delay-interrupt', 'skip-cache-maintenance'].includes(g.kind)) f.count = g.count;
    if (['delay-doorbell', 'delay-interrupt', 'reset', 'hold-bus'].includes(g.kind)) f.duration = g.duration;
    if (g.kind === 'halt') f.interrupts = g.interrupts;
    if (g.kind === 'skip-cache-maintenance') f.role = 'master';
    if (g.kind === 'write' || g.kind === 'flip') {
      const onMessage = 'on' in f.trigger && f.trigger.on === 'message';
      f.field = g.field.startsWith('msg.') && !onMessage ? 'vring1.avail.idx' : g.field;
      f.value = g.kind === 'flip' && g.value === 0 ? 1 : g.value;
    }
    return f;
  });

function scenario(faults: Fault[]): Scenario {
  return {
    file: 'gen.yaml',
    name: 'gen',
    platform: 'imxrt1170',
    overrides: {},
    rpmsg: { useDcache: true },
    placement: { master: { shared: 'cacheable' } },
    master: { environment: 'bare-metal', firmware: { kind: 'app', app: 'ping-pong', params: { count: 3, payloadSize: 4 } } },
    remote: { environment: 'bare-metal', firmware: { kind: 'app', app: 'ping-pong', params: { count: 3, payloadSize: 4 } } },
    stop: { time: { ns: 1_500_000 } },
    expect: {},
    faults,
  };
}

/** The fault records of a run, or the ConfigError's message. */
function faultRecords(faults: Fault[]): string[] {
  const memory = new MemorySink();
  try {
    runScenario(scenario(faults), { sinks: () => [memory] });
  } catch (error) {
    if (error instanceof ConfigError) return [`refused: ${error.message}`];
    throw error;
  }
  return memory.records.filter((r) => r.kind === 'fault').map((r) => JSON.stringify(r));
}

test('generated faults: a run or a ConfigError, never a JavaScript error; the same faults, the same records', () => {
  fc.assert(
    fc.property(fc.array(fault, { minLength: 1, maxLength: 3 }), (faults) => {
      const first = faultRecords(faults);
      expect(faultRecords(faults)).toEqual(first);
    }),
    { numRuns: 40, seed: 12 },
  );
});
