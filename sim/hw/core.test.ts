// Hand-computed timing of the core, its interrupt controller and the bus.
//
// The little system: cpu0 at 100 MHz (10 ticks a cycle), cpu1 at 50 MHz (20 ticks), an
// SRAM port at 100 MHz (10 ticks) with 1 read wait state and 0 write wait states, 4 bytes
// a beat, 1 cycle to cross into the SRAM's domain and 1 core cycle back. The tick is 1 ns
// (lcm of 100 MHz, 50 MHz and 1 GHz). Cores are Cortex-M4: entry 12, exit 12, tail-chain 6,
// NVIC sampling 1 cycle after the first edge at or after a line change.

import { FirmwareError, Kernel, Priority, ProcessError, type Ticks, cycles, ticks } from '../kernel';
import { BusFault } from './bus';
import type { Core, Firmware } from './core';
import type { AccessSize, Peripheral, RegisterFault } from './peripheral';
import { IrqLine } from './signal';
import { type Soc, type SocSpec, buildSoc } from './soc';
import { MemorySink, Tracer } from '../trace/trace';

const SRAM = 0x2000_0000;
const DOORBELL = 0x4000_0000;

/** A one-register test peripheral: writing a non-zero value raises its line, zero lowers it. */
class Doorbell implements Peripheral {
  readonly windowSize = 4;
  readonly line = new IrqLine('doorbell');
  value = 0;
  constructor(readonly name: string) {}
  read(offset: number, size: AccessSize): number | RegisterFault {
    if (offset !== 0 || size !== 4) return { fault: `no register at offset ${offset}` };
    return this.value;
  }
  write(offset: number, value: number): RegisterFault | undefined {
    if (offset !== 0) return { fault: `no register at offset ${offset}` };
    this.value = value;
    this.line.set(value !== 0);
    return undefined;
  }
}

function system(
  overrides: Partial<SocSpec> = {},
  k = new Kernel({ clocks: { cpu0: 100e6, cpu1: 50e6, sram: 100e6, apb: 50e6 } }),
  tracer?: Tracer,
): { soc: Soc; k: Kernel; cpu0: Core; cpu1: Core; bell: Doorbell } {
  const bell = new Doorbell('doorbell');
  const windows = [
    { base: SRAM, size: 0x1000, target: 'sram' },
    { base: DOORBELL, size: 4, target: 'doorbell' },
  ];
  const spec: SocSpec = {
    cores: [
      { name: 'cpu0', type: 'cortex-m4', clock: 'cpu0', nvic: { lines: 8, priorityBits: 3 }, addressMap: windows },
      { name: 'cpu1', type: 'cortex-m4', clock: 'cpu1', nvic: { lines: 8, priorityBits: 3 }, addressMap: windows },
    ],
    memories: [{ name: 'sram', clock: 'sram', size: 0x1000, dataWidthBytes: 4, readWaitStates: 1, writeWaitStates: 0 }],
    interconnect: { arbitration: 'round-robin', syncCycles: 1, responseSyncCycles: 1 },
    peripheralBus: { clock: 'apb', accessCycles: 2 },
    ...overrides,
  };
  const soc = buildSoc(k, spec, { doorbell: bell }, tracer !== undefined ? { tracer } : {});
  return { soc, k, cpu0: soc.core('cpu0'), cpu1: soc.core('cpu1'), bell };
}

/** Raises (or lowers) a line at an exact tick, as a peripheral would. */
function driveAt(k: Kernel, line: IrqLine, at: number, level = true): void {
  k.task(`drive ${line.name}`, () => line.set(level), { priority: Priority.Hardware }).scheduleAt(ticks(at));
}

describe('shared SRAM accesses', () => {
  /** Every core reads SRAM once, all starting at tick 0; returns when each saw its data. */
  function readTogether(k: Kernel, cores: Core[]): Record<string, number> {
    const done: Record<string, number> = {};
    for (const core of cores) {
      core.start(
        (function* (): Firmware<void> {
          yield* core.read32(SRAM);
          done[core.name] = k.now;
        })(),
      );
    }
    k.run();
    return done;
  }

  test('a single read costs 4 cycles of the 100 MHz core and 3 of the 50 MHz core', () => {
    // issue 0 -> arrives at the SRAM edge 0 + 1 sync cycle = 10 -> beat of 2 SRAM cycles ends 30
    // -> cpu0 edge at/after 30 plus 1 cycle = 40 (4 cycles); cpu1 edge at/after 30 is 40, plus 1 = 60 (3 cycles).
    for (const [name, expectTicks, expectCycles] of [
      ['cpu0', 40, 4],
      ['cpu1', 60, 3],
    ] as const) {
      const { k, soc } = system();
      soc.memories.get('sram')!.write(0x10, 0xcafef00d, 4);
      let value = 0;
      let doneAt = 0;
      soc.core(name).start(
        (function* (): Firmware<void> {
          value = yield* soc.core(name).read32(SRAM + 0x10);
          doneAt = k.now;
        })(),
      );
      k.run();
      expect(value).toBe(0xcafef00d);
      expect(doneAt).toBe(expectTicks);
      expect(soc.core(name).bus.stats).toEqual({ accesses: 1, accessCycles: expectCycles, stallCycles: 0, faults: 0 });
    }
  });

  test('8-, 16- and 32-bit accesses are little-endian and byte-accurate', () => {
    const { k, cpu0, soc } = system();
    const seen: number[] = [];
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.write32(SRAM, 0x11223344);
        yield* cpu0.write8(SRAM + 1, 0xaa);
        yield* cpu0.write16(SRAM + 6, 0xbeef);
        seen.push(yield* cpu0.read8(SRAM), yield* cpu0.read16(SRAM + 2), yield* cpu0.read32(SRAM), yield* cpu0.read32(SRAM + 4));
      })(),
    );
    k.run();
    expect(seen).toEqual([0x44, 0x1122, 0x1122aa44, 0xbeef0000]);
    expect(Array.from(soc.memories.get('sram')!.bytes.subarray(0, 8))).toEqual([0x44, 0xaa, 0x22, 0x11, 0, 0, 0xef, 0xbe]);
  });

  test('two reads in the same cycle: round robin serves cpu0 first and cpu1 stalls one beat', () => {
    // Both arrive at 10. cpu0 is granted 10..30; cpu1 30..50, then its edge at/after 50 is 60, plus 1 cycle = 80.
    // Alone cpu1 would finish at 60: it stalls 20 ticks = 1 cycle of its 50 MHz clock (a 2-SRAM-cycle beat).
    const { k, cpu0, cpu1 } = system();
    const done = readTogether(k, [cpu1, cpu0]);
    expect(done).toEqual({ cpu0: 40, cpu1: 80 });
    expect(cpu0.bus.stats.stallCycles).toBe(0);
    expect(cpu1.bus.stats.stallCycles).toBe(1);
  });

  test('fixed priority serves the listed core first: cpu0 stalls exactly one 2-cycle beat', () => {
    const { k, cpu0, cpu1 } = system({
      interconnect: { arbitration: 'fixed-priority', priorityOrder: ['cpu1', 'cpu0'], syncCycles: 1, responseSyncCycles: 1 },
    });
    const done = readTogether(k, [cpu0, cpu1]);
    // cpu1 10..30 -> 60; cpu0 30..50 -> 60 (its edge at 50, plus 1 cycle): 2 cycles later than alone (40).
    expect(done).toEqual({ cpu0: 60, cpu1: 60 });
    expect(cpu0.bus.stats.stallCycles).toBe(2);
    expect(cpu1.bus.stats.stallCycles).toBe(0);
  });

  test('a burst yields to the other core at the next beat boundary', () => {
    // cpu0 writes 32 bytes = 8 beats of 1 SRAM cycle from 10; alone it would end at 90 (+10 back = 100).
    // cpu1 reads at 40: arrives 50, when 4 beats are done; round robin gives it 50..70; cpu0's
    // last 4 beats run 70..110; cpu0 sees the end at 120.
    const { k, cpu0, cpu1, soc } = system();
    const done: Record<string, number> = {};
    const data = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.writeBlock(SRAM + 0x100, data);
        done.cpu0 = k.now;
      })(),
    );
    cpu1.start(
      (function* (): Firmware<void> {
        yield* cpu1.exec(cycles(2));
        yield* cpu1.read32(SRAM);
        done.cpu1 = k.now;
      })(),
    );
    k.run();
    expect(done).toEqual({ cpu0: 120, cpu1: 100 });
    expect(cpu0.bus.stats.stallCycles).toBe(2);
    expect(Array.from(soc.memories.get('sram')!.bytes.subarray(0x100, 0x120))).toEqual(Array.from(data));
    expect(soc.ports.get('sram')!.beats).toEqual([8, 1]);
  });

  test('unmapped and misaligned accesses are bus faults the firmware sees', () => {
    const { k, cpu0 } = system();
    const faults: string[] = [];
    cpu0.start(
      (function* (): Firmware<void> {
        for (const address of [0x1000_0000, SRAM + 2, SRAM + 0xffe, DOORBELL]) {
          try {
            yield* cpu0.read32(address);
            if (address === DOORBELL) yield* cpu0.read16(DOORBELL);
          } catch (error) {
            if (!(error instanceof BusFault)) throw error;
            faults.push(error.message);
          }
        }
      })(),
    );
    k.run();
    expect(faults).toEqual([
      'bus fault: cpu0 read of 4 bytes at 0x10000000: no memory or peripheral is mapped there',
      'bus fault: cpu0 read of 4 bytes at 0x20000002: not aligned to 4 bytes',
      'bus fault: cpu0 read of 4 bytes at 0x20000FFE: not aligned to 4 bytes',
      'bus fault: cpu0 read of 2 bytes at 0x40000000: no register at offset 0',
    ]);
    expect(cpu0.bus.stats.faults).toBe(4);
    expect(cpu0.lockup).toBeNull();
  });

  test('an unhandled bus fault locks the core up; the other core carries on', () => {
    const { k, cpu0, cpu1 } = system();
    let cpu1Done = 0;
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.exec(cycles(3));
        yield* cpu0.write32(0x0, 1);
        yield* cpu0.exec(cycles(1000));
      })(),
    );
    cpu1.start(
      (function* (): Firmware<void> {
        yield* cpu1.exec(cycles(10));
        cpu1Done = k.now;
      })(),
    );
    k.run();
    expect(cpu0.lockup?.time).toBe(30);
    expect(cpu0.lockup?.fault.message).toBe('bus fault: cpu0 write of 4 bytes at 0x00000000: no memory or peripheral is mapped there');
    expect(cpu1Done).toBe(200);
  });
});

describe('interrupts', () => {
  /** Starts a thread computing `n` cycles; `end` is when it finished. */
  function computeThenLog(k: Kernel, core: Core, n: number): { end: number } {
    const out = { end: -1 };
    core.start(
      (function* (): Firmware<void> {
        yield* core.exec(cycles(n));
        out.end = k.now;
      })(),
    );
    return out;
  }

  /** Line a on NVIC line 1 at priority 1, line b on line 2 at priority 2, both enabled. */
  function twoLines(core: Core): { a: IrqLine; b: IrqLine } {
    const a = new IrqLine('a');
    const b = new IrqLine('b');
    for (const [n, line] of [
      [1, a],
      [2, b],
    ] as const) {
      core.nvic.connect(n, line);
      core.nvic.setPriority(n, n);
      core.nvic.enable(n);
    }
    return { a, b };
  }

  function handler(core: Core, name: string, line: IrqLine, work: number, log: string[], k: Kernel): () => Firmware<void> {
    return function* (): Firmware<void> {
      log.push(`${name} enter @${k.now}`);
      line.set(false); // the handler clears its source (a test shortcut for a register write)
      yield* core.exec(cycles(work));
      log.push(`${name} leave @${k.now}`);
    };
  }

  test('a request splits a compute block: entry 12, handler, exit 12, then the remainder', () => {
    // Line up at 95 -> seen at edge 100 + 1 cycle = 110 (11 cycles computed) -> handler at 110 + 120 = 230
    // -> 5 cycles -> 280 -> exit 12 cycles -> 400 -> 989 cycles left -> 10290 = (1000 + 12 + 5 + 12) cycles.
    const { k, cpu0 } = system();
    const line = new IrqLine('irq3');
    cpu0.nvic.connect(3, line);
    cpu0.nvic.setPriority(3, 2);
    cpu0.nvic.enable(3);
    const log: string[] = [];
    cpu0.setHandler(3, handler(cpu0, 'isr3', line, 5, log, k));
    const thread = computeThenLog(k, cpu0, 1000);
    driveAt(k, line, 95);
    k.run();
    expect(log).toEqual(['isr3 enter @230', 'isr3 leave @280']);
    expect(thread.end).toBe(10290);
    expect(cpu0.stats).toMatchObject({ busyCycles: 1005, handlerCycles: 29, interrupts: 1, tailChains: 0 });
  });

  test('two requests at once: the higher priority first, then tail-chaining (6 cycles) into the other', () => {
    const { k, cpu0 } = system();
    const { a, b } = twoLines(cpu0);
    const log: string[] = [];
    cpu0.setHandler(1, handler(cpu0, 'high', a, 5, log, k));
    cpu0.setHandler(2, handler(cpu0, 'low', b, 5, log, k));
    const thread = computeThenLog(k, cpu0, 1000);
    driveAt(k, b, 95);
    driveAt(k, a, 95);
    k.run();
    // high 230..280, tail-chain 6 cycles -> low 340..390, exit -> 510; thread 1000+12+5+6+5+12 = 1040 cycles.
    expect(log).toEqual(['high enter @230', 'high leave @280', 'low enter @340', 'low leave @390']);
    expect(thread.end).toBe(10400);
    expect(cpu0.stats).toMatchObject({ interrupts: 2, tailChains: 1, lateArrivals: 0 });
  });

  test('nested preemption: a higher-priority request preempts a running handler at its next cycle', () => {
    const { k, cpu0 } = system();
    const { a, b } = twoLines(cpu0);
    const log: string[] = [];
    cpu0.setHandler(1, handler(cpu0, 'high', a, 5, log, k));
    cpu0.setHandler(2, handler(cpu0, 'low', b, 100, log, k));
    const thread = computeThenLog(k, cpu0, 1000);
    driveAt(k, b, 95); // low: seen 110, enters 230, computes from 230
    driveAt(k, a, 495); // high: seen 510 (28 of low's cycles done), enters 630, leaves 680, exit -> 800
    k.run();
    // low resumes at 800 with 72 cycles -> 1520, exit -> 1640, thread's 989 cycles -> 11530.
    expect(log).toEqual(['low enter @230', 'high enter @630', 'high leave @680', 'low leave @1520']);
    expect(thread.end).toBe(11530);
  });

  test('late arrival: a higher-priority request during stacking takes the vector without a second entry', () => {
    const { k, cpu0 } = system();
    const { a, b } = twoLines(cpu0);
    const log: string[] = [];
    cpu0.setHandler(1, handler(cpu0, 'high', a, 5, log, k));
    cpu0.setHandler(2, handler(cpu0, 'low', b, 5, log, k));
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.exec(cycles(1000));
      })(),
    );
    driveAt(k, b, 95); // entry for low starts at 110
    driveAt(k, a, 135); // seen at 150, inside the 12-cycle stacking: high starts at 230 instead
    k.run();
    expect(log).toEqual(['high enter @230', 'high leave @280', 'low enter @340', 'low leave @390']);
    expect(cpu0.stats).toMatchObject({ interrupts: 2, lateArrivals: 1, tailChains: 1 });
  });

  test('cpsid masks interrupts until cpsie; the pending request is taken right after', () => {
    const { k, cpu0 } = system();
    const a = new IrqLine('a');
    cpu0.nvic.connect(1, a);
    cpu0.nvic.enable(1);
    const log: string[] = [];
    cpu0.setHandler(1, handler(cpu0, 'isr', a, 5, log, k));
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.disableInterrupts(); // 0..10
        yield* cpu0.exec(cycles(100)); // 10..1010, the request (seen at 110) waits
        yield* cpu0.enableInterrupts(); // 1010..1020
        log.push(`thread @${k.now}`);
      })(),
    );
    driveAt(k, a, 95);
    k.run();
    expect(log).toEqual(['isr enter @1140', 'isr leave @1190', 'thread @1310']);
  });

  test('WFI sleeps until a request, the handler runs, then the thread continues after WFI', () => {
    const { k, cpu0 } = system();
    const a = new IrqLine('a');
    cpu0.nvic.connect(1, a);
    cpu0.nvic.enable(1);
    const log: string[] = [];
    cpu0.setHandler(1, handler(cpu0, 'isr', a, 5, log, k));
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.waitForInterrupt();
        log.push(`awake @${k.now}`);
      })(),
    );
    driveAt(k, a, 95);
    k.run();
    expect(log).toEqual(['isr enter @230', 'isr leave @280', 'awake @400']);
    expect(cpu0.stats.asleepCycles).toBe(11);
  });

  /** cpu0 writes a word to SRAM and rings the doorbell; cpu1's ISR reads the word and clears the doorbell. */
  function doorbellSmoke(tracer?: (k: Kernel) => Tracer) {
    const k = new Kernel({ clocks: { cpu0: 100e6, cpu1: 50e6, sram: 100e6, apb: 50e6 } });
    const { cpu0, cpu1, bell } = system({}, k, tracer?.(k));
    cpu1.nvic.connect(5, bell.line);
    cpu1.nvic.enable(5);
    const log: string[] = [];
    cpu1.setHandler(5, function* (): Firmware<void> {
      log.push(`cpu1 isr @${k.now}`);
      const word = yield* cpu1.read32(SRAM + 0x40);
      log.push(`cpu1 read ${word.toString(16)} @${k.now}`);
      yield* cpu1.write32(DOORBELL, 0); // APB edge 420 + 20 sync, 2 cycles -> 480, back at 500
      log.push(`cpu1 cleared @${k.now}`);
    });
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.write32(SRAM + 0x40, 0x5a5a0001);
        yield* cpu0.write32(DOORBELL, 1);
        log.push(`cpu0 rang @${k.now}`);
      })(),
    );
    cpu1.start(
      (function* (): Firmware<void> {
        for (;;) yield* cpu1.waitForInterrupt();
      })(),
    );
    k.run();
    return { k, cpu1, log };
  }

  test('smoke: cpu0 writes a word and rings the doorbell; cpu1 takes the interrupt and reads the word', () => {
    // cpu0: write SRAM 0..30 (arrive 10, 1-cycle write beat 10..20, back at 30); doorbell write at 30:
    // APB edge 40 + 1 sync cycle (20) = 60, 2 APB cycles -> 100, line up at 100; cpu0 sees the end at 110.
    // cpu1 (50 MHz): seen at 100 + 1 cycle = 120; entry 12 cycles -> handler at 360; its SRAM read:
    // arrive 370, beat 370..390, back at edge 400 + 20 = 420.
    const { log, cpu1, k } = doorbellSmoke();
    expect(log).toEqual(['cpu0 rang @110', 'cpu1 isr @360', 'cpu1 read 5a5a0001 @420', 'cpu1 cleared @500']);
    expect(cpu1.stats).toMatchObject({ interrupts: 1, asleepCycles: 6 });
    // The core went back to sleep at 740 (exit 12 cycles after 500); statsNow counts that sleep so far.
    expect(k.now).toBe(740);
    expect(cpu1.statsNow()).toMatchObject({ asleepCycles: 6, handlerCycles: 31, stallCycles: 0 });
  });

  test('the same run traced: one record per event, in time order, the same on every run', () => {
    const run = () => {
      const sink = new MemorySink();
      doorbellSmoke((k) => {
        const tracer = new Tracer(k);
        tracer.addSink(sink);
        return tracer;
      });
      return sink.records;
    };
    const records = run();
    expect(records).toEqual([
      { t: 0, component: 'cpu1', kind: 'sleep' },
      { t: 30, component: 'cpu0', kind: 'bus', op: 'write', address: SRAM + 0x40, size: 4, value: 0x5a5a0001, target: 'sram', cycles: 3, stall: 0 },
      { t: 100, component: 'doorbell', kind: 'irq-line', level: true },
      { t: 110, component: 'cpu0', kind: 'bus', op: 'write', address: DOORBELL, size: 4, value: 1, target: 'doorbell', cycles: 8, stall: 0 },
      { t: 110, component: 'cpu0', kind: 'sleep' }, // main returned: the core idles, still taking interrupts
      { t: 120, component: 'cpu1.nvic', kind: 'irq-pending', line: 5 },
      { t: 120, component: 'cpu1', kind: 'wake' },
      { t: 120, component: 'cpu1', kind: 'irq-entry', line: 5, tailChained: false },
      { t: 360, component: 'cpu1', kind: 'handler-start', line: 5, priority: 0 },
      { t: 420, component: 'cpu1', kind: 'bus', op: 'read', address: SRAM + 0x40, size: 4, value: 0x5a5a0001, target: 'sram', cycles: 3, stall: 0 },
      { t: 480, component: 'doorbell', kind: 'irq-line', level: false },
      { t: 500, component: 'cpu1', kind: 'bus', op: 'write', address: DOORBELL, size: 4, value: 0, target: 'doorbell', cycles: 4, stall: 0 },
      { t: 500, component: 'cpu1', kind: 'handler-end', line: 5 },
      { t: 740, component: 'cpu1', kind: 'exception-return', resumes: -16 },
      { t: 740, component: 'cpu1', kind: 'sleep' },
    ]);
    expect(JSON.stringify(run())).toBe(JSON.stringify(records));
  });

  test('a core whose firmware waits forever shows in the deadlock report', () => {
    const { k, cpu0 } = system();
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.waitForInterrupt();
      })(),
    );
    expect(k.run().reason).toBe('empty');
    expect(k.blocked()).toEqual([{ process: 'cpu0', waitsFor: 'event "cpu0.irq-request"' }]);
  });
});

describe('handler-mode accounting', () => {
  test('tail-chained handlers count as one stay in handler mode, entry to final exit', () => {
    const k = new Kernel({ clocks: { cpu0: 100e6, cpu1: 50e6, sram: 100e6, apb: 50e6 } });
    const soc = buildSoc(k, {
      cores: [
        { name: 'cpu0', type: 'cortex-m4', clock: 'cpu0', nvic: { lines: 8, priorityBits: 3 }, addressMap: [] },
        { name: 'cpu1', type: 'cortex-m4', clock: 'cpu1', nvic: { lines: 8, priorityBits: 3 }, addressMap: [] },
      ],
      memories: [],
      interconnect: { arbitration: 'round-robin', syncCycles: 1, responseSyncCycles: 1 },
      peripheralBus: { clock: 'apb', accessCycles: 2 },
    });
    const cpu0 = soc.core('cpu0');
    const a = new IrqLine('a');
    const b = new IrqLine('b');
    cpu0.nvic.connect(1, a);
    cpu0.nvic.connect(2, b);
    cpu0.nvic.setPriority(1, 1);
    cpu0.nvic.setPriority(2, 2);
    cpu0.nvic.enable(1);
    cpu0.nvic.enable(2);
    for (const [n, line] of [
      [1, a],
      [2, b],
    ] as const) {
      cpu0.setHandler(n, function* (): Firmware<void> {
        line.set(false);
        yield* cpu0.exec(cycles(5));
      });
    }
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.exec(cycles(1000));
      })(),
    );
    driveAt(k, a, 95);
    driveAt(k, b, 95);
    k.run();
    // Entry at 110, 12 + 5 + 6 (tail-chain) + 5 + 12 = 40 cycles in handler mode.
    expect(cpu0.stats.handlerCycles).toBe(40);
    expect(cpu0.stats.tailChains).toBe(1);
  });
});

describe('firmware misuse of the core is a FirmwareError', () => {
  test('a core started twice', () => {
    const { cpu0 } = system();
    cpu0.start((function* (): Firmware<void> {})());
    expect(() => cpu0.start((function* (): Firmware<void> {})())).toThrow(FirmwareError);
    expect(() => cpu0.start((function* (): Firmware<void> {})())).toThrow(/^core cpu0 is already running$/);
  });

  test('an interrupt taken with no handler registered', () => {
    const { k, cpu0 } = system();
    const a = new IrqLine('a');
    cpu0.nvic.connect(1, a);
    cpu0.nvic.enable(1);
    cpu0.start(
      (function* (): Firmware<void> {
        yield* cpu0.exec(cycles(1000));
      })(),
    );
    driveAt(k, a, 95);
    let failure: unknown;
    try {
      k.run();
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ProcessError);
    const cause = (failure as ProcessError).cause;
    expect(cause).toBeInstanceOf(FirmwareError);
    expect((cause as FirmwareError).message).toBe('core cpu0: interrupt 1 taken with no handler registered');
  });
});
