// The burst fast path (one grant for all beats while uncontended, cut at the next beat
// boundary when a competitor arrives) must give exactly what arbitrating every beat gives.

import fc from 'fast-check';
import { Kernel, cycles } from '../kernel';
import type { Firmware } from './core';
import { buildSoc } from './soc';

type Op =
  | { kind: 'exec'; cycles: number }
  | { kind: 'read'; offset: number }
  | { kind: 'write'; offset: number; value: number }
  | { kind: 'block'; offset: number; length: number; read: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant<'exec'>('exec'), cycles: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant<'read'>('read'), offset: fc.integer({ min: 0, max: 63 }).map((w) => w * 4) }),
  fc.record({
    kind: fc.constant<'write'>('write'),
    offset: fc.integer({ min: 0, max: 63 }).map((w) => w * 4),
    value: fc.integer({ min: 0, max: 0xffffffff }),
  }),
  fc.record({
    kind: fc.constant<'block'>('block'),
    offset: fc.integer({ min: 0, max: 200 }),
    length: fc.integer({ min: 1, max: 48 }),
    read: fc.boolean(),
  }),
);

const scenario = fc.record({
  arbitration: fc.constantFrom<'round-robin' | 'fixed-priority'>('round-robin', 'fixed-priority'),
  clocks: fc.constantFrom([100e6, 50e6, 100e6], [150e6, 150e6, 75e6], [400e6, 996e6, 200e6]),
  readWaitStates: fc.integer({ min: 0, max: 2 }),
  writeWaitStates: fc.integer({ min: 0, max: 2 }),
  programs: fc.tuple(fc.array(op, { maxLength: 14 }), fc.array(op, { maxLength: 14 })),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario, beatByBeat: boolean) {
  const [c0, c1, mem] = s.clocks;
  const k = new Kernel({ clocks: { c0: c0!, c1: c1!, mem: mem! } });
  const windows = [{ base: 0x2000_0000, size: 0x400, target: 'sram' }];
  const soc = buildSoc(k, {
    cores: [
      { name: 'c0', type: 'cortex-m4', clock: 'c0', nvic: { lines: 1, priorityBits: 3 }, addressMap: windows },
      { name: 'c1', type: 'cortex-m33', clock: 'c1', nvic: { lines: 1, priorityBits: 3 }, addressMap: windows },
    ],
    memories: [
      { name: 'sram', clock: 'mem', size: 0x400, dataWidthBytes: 4, readWaitStates: s.readWaitStates, writeWaitStates: s.writeWaitStates },
    ],
    interconnect: { arbitration: s.arbitration, priorityOrder: ['c1', 'c0'], syncCycles: 1, responseSyncCycles: 1 },
    peripheralBus: { clock: 'mem', accessCycles: 1 },
  }, {}, { beatByBeat });
  const log: string[] = [];
  soc.cores.forEach((core, i) => {
    const program = s.programs[i]!;
    core.start(
      (function* (): Firmware<void> {
        for (const [n, o] of program.entries()) {
          if (o.kind === 'exec') yield* core.exec(cycles(o.cycles));
          else if (o.kind === 'read') log.push(`${core.name}#${n} read ${yield* core.read32(0x2000_0000 + o.offset)}`);
          else if (o.kind === 'write') yield* core.write32(0x2000_0000 + o.offset, o.value);
          else if (o.read) log.push(`${core.name}#${n} block ${Array.from(yield* core.readBlock(0x2000_0000 + o.offset, o.length)).join(',')}`);
          else yield* core.writeBlock(0x2000_0000 + o.offset, Uint8Array.from({ length: o.length }, (_, j) => (n * 31 + j) & 0xff));
          log.push(`${core.name}#${n} @${k.now}`);
        }
      })(),
    );
  });
  k.run();
  return { log, memory: Array.from(soc.memories.get('sram')!.bytes), stalls: soc.cores.map((c) => c.bus.stats.stallCycles) };
}

test('bursts: the fast path and beat-by-beat arbitration give the same times, data and stalls', () => {
  fc.assert(
    fc.property(scenario, (s) => {
      expect(run(s, false)).toEqual(run(s, true));
    }),
    { numRuns: 300 },
  );
});
