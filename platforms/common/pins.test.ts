// ctx.pins on each platform: the register accesses GPIO_PortSet / GPIO_PortClear make for the
// platform's GPIO layout, at the addresses the platform description gives, and the pin levels
// that follow (the board's pin set-up makes each measuring pin an output, low).

import { buildRpmsgSystem, startPrograms } from '../system';
import { MemorySink, Tracer } from '../../sim/trace/trace';
import type { ProgramContext } from '../../firmware/program';

function pulse(platform: string) {
  const memory = new MemorySink();
  const sys = buildRpmsgSystem(platform, {
    tracer: (k) => {
      const t = new Tracer(k);
      t.addSink(memory);
      return t;
    },
  });
  startPrograms(sys, {
    remote: function* (ctx: ProgramContext) {
      yield* ctx.pins.set(ctx.pins.own, true);
      yield* ctx.pins.set(ctx.pins.own, false);
    },
  });
  sys.kernel.run();
  const core = sys.remote.core.name;
  const accesses = memory.records.flatMap((r) => (r.kind === 'bus' && r.component === core ? [[r.op, r.address, r.value, r.target] as const] : []));
  const levels = memory.records.flatMap((r) => (r.kind === 'gpio' ? [[r.component, r.port, r.pin, r.level] as const] : []));
  return { sys, accesses, levels };
}

test('i.MX RT1170: the CM4 writes 1 << 4 to GPIO9 DR_SET (0x84), then DR_CLEAR (0x88)', () => {
  const { accesses, levels, sys } = pulse('imxrt1170');
  expect(accesses).toEqual([
    ['write', 0x40c64084, 0x10, 'gpio9'],
    ['write', 0x40c64088, 0x10, 'gpio9'],
  ]);
  expect(levels).toEqual([
    ['gpio9', 0, 4, true],
    ['gpio9', 0, 4, false],
  ]);
  expect([sys.pins.master.own, sys.pins.master.names, sys.pins.remote.names]).toEqual(['cm7', ['cm7', 'cm4'], ['cm4', 'cm7']]);
});

test('LPC55S69: core 1 writes 1 << 4 to SET[1] (0x2204), then CLR[1] (0x2284) of the GPIO at 0x4008C000', () => {
  const { accesses, levels } = pulse('lpc55s69');
  expect(accesses).toEqual([
    ['write', 0x4008c000 + 0x2204, 0x10, 'gpio'],
    ['write', 0x4008c000 + 0x2284, 0x10, 'gpio'],
  ]);
  expect(levels).toEqual([
    ['gpio', 1, 4, true],
    ['gpio', 1, 4, false],
  ]);
});

test('LPC54114: the M0+ drives PIO0_30 with SET[0] / CLR[0] of the GPIO at 0x1C000000', () => {
  const { accesses } = pulse('lpc54114');
  expect(accesses).toEqual([
    ['write', 0x1c002200, 0x40000000, 'gpio'],
    ['write', 0x1c002280, 0x40000000, 'gpio'],
  ]);
});

test('i.MX 8M Mini: the M4 reads GPIO5 DR and writes it back with bit 8 set, then cleared (no set/clear registers)', () => {
  const { accesses, levels, sys } = pulse('imx8mm');
  expect(accesses).toEqual([
    ['read', 0x30240000, 0, 'gpio5'],
    ['write', 0x30240000, 0x100, 'gpio5'],
    ['read', 0x30240000, 0x100, 'gpio5'],
    ['write', 0x30240000, 0, 'gpio5'],
  ]);
  expect(levels).toEqual([
    ['gpio5', 0, 8, true],
    ['gpio5', 0, 8, false],
  ]);
  // each core's pin is on its own port, which only it maps
  expect([sys.pins.master.names, sys.pins.remote.names]).toEqual([['a53'], ['m4']]);
});

test('a pin the core cannot drive is a firmware error naming the ones it can', () => {
  const sys = buildRpmsgSystem('imx8mm');
  startPrograms(sys, {
    master: function* (ctx: ProgramContext) {
      yield* ctx.pins.set('m4', true);
    },
  });
  expect(() => sys.kernel.run()).toThrow('core a53: no pin "m4" it can drive (pins: a53)');
});
