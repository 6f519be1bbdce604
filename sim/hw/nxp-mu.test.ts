// The NXP MU model against the register values the SDK driver and the rpmsg-lite ports
// expect, step by step, with exact SR/CR words. Bit positions: IMXRT1170RM / IMX8MMRM MU
// chapter, as PERI_MU.h gives them (GIP0 bit 31, RF0 bit 27, TE0 bit 23; GIE0 bit 31,
// RIE0 bit 27, TIE0 bit 23, GIR0 bit 19).

import { ConfigError, Kernel, type ProcessBody, type Ticks, ticks } from '../kernel';
import { MU_CR, MU_REG, MU_SR, MU_SR_RESET, MU_WINDOW_SIZE, NxpMessagingUnit } from './nxp-mu';
import type { Peripheral } from './peripheral';
import type { IrqLine } from './signal';

/** A 1 GHz tick: one tick is one nanosecond. */
function kernel(): Kernel {
  return new Kernel({ tickHz: 1e9 });
}

function read(side: Peripheral, offset: number): number {
  const value = side.read(offset, 4);
  if (typeof value !== 'number') throw new Error(`unexpected fault: ${value.fault}`);
  return value;
}

function write(side: Peripheral, offset: number, value: number): void {
  const fault = side.write(offset, value, 4);
  if (fault !== undefined) throw new Error(`unexpected fault: ${fault.fault}`);
}

/** Records each level change of a line with the tick it happened at. */
function recordLine(k: Kernel, line: IrqLine): [number, boolean][] {
  const changes: [number, boolean][] = [];
  line.connect({ lineChanged: (l) => changes.push([k.now, l.level]) });
  return changes;
}

describe('register map and bit positions', () => {
  test('offsets are those of the RT1170/8MM MU', () => {
    expect([MU_REG.TR0, MU_REG.TR1, MU_REG.TR2, MU_REG.TR3]).toEqual([0x00, 0x04, 0x08, 0x0c]);
    expect([MU_REG.RR0, MU_REG.RR1, MU_REG.RR2, MU_REG.RR3]).toEqual([0x10, 0x14, 0x18, 0x1c]);
    expect([MU_REG.SR, MU_REG.CR]).toEqual([0x20, 0x24]);
    expect([MU_REG.TR(3), MU_REG.RR(2)]).toEqual([0x0c, 0x18]);
    expect(MU_WINDOW_SIZE).toBe(0x28);
  });

  test('SR bits: GIPn 31..28, RFn 27..24, TEn 23..20, FUP 8, RS 7, EP 4', () => {
    expect([0, 1, 2, 3].map(MU_SR.GIP)).toEqual([0x8000_0000, 0x4000_0000, 0x2000_0000, 0x1000_0000]);
    expect([0, 1, 2, 3].map(MU_SR.RF)).toEqual([0x0800_0000, 0x0400_0000, 0x0200_0000, 0x0100_0000]);
    expect([0, 1, 2, 3].map(MU_SR.TE)).toEqual([0x0080_0000, 0x0040_0000, 0x0020_0000, 0x0010_0000]);
    expect([MU_SR.FUP, MU_SR.RS, MU_SR.EP, MU_SR.F_MASK]).toEqual([0x100, 0x80, 0x10, 0x7]);
  });

  test('CR bits: GIEn 31..28, RIEn 27..24, TIEn 23..20, GIRn 19..16, MUR 5', () => {
    expect([0, 1, 2, 3].map(MU_CR.GIE)).toEqual([0x8000_0000, 0x4000_0000, 0x2000_0000, 0x1000_0000]);
    expect([0, 1, 2, 3].map(MU_CR.RIE)).toEqual([0x0800_0000, 0x0400_0000, 0x0200_0000, 0x0100_0000]);
    expect([0, 1, 2, 3].map(MU_CR.TIE)).toEqual([0x0080_0000, 0x0040_0000, 0x0020_0000, 0x0010_0000]);
    expect([0, 1, 2, 3].map(MU_CR.GIR)).toEqual([0x0008_0000, 0x0004_0000, 0x0002_0000, 0x0001_0000]);
    expect(MU_CR.MUR).toBe(0x20);
  });

  test('the rpmsg-lite ports compute the same bits', () => {
    // imx8mm_m4: RIE1 = (1 << 27) >> RPMSG_MU_CHANNEL(1); imxrt1170: GIR = 1 << (19 - q), GIE = 1 << (31 - vq).
    expect(MU_CR.RIE(1)).toBe((1 << 27) >> 1);
    expect(MU_SR.RF(1)).toBe((1 << 27) >> 1);
    expect([MU_CR.GIR(0), MU_CR.GIR(1)]).toEqual([1 << 19, 1 << 18]);
    expect([MU_CR.GIE(0), MU_CR.GIE(1)]).toEqual([2 ** 31, 1 << 30]);
  });

  test('there is no channel 4', () => {
    expect(() => MU_SR.RF(4)).toThrow('MU channel 4 does not exist (0..3)');
  });
});

describe('reset state', () => {
  test('both sides: SR has TE0-3 only, CR 0, RR and TR 0, lines low', () => {
    const mu = new NxpMessagingUnit(kernel());
    expect(MU_SR_RESET).toBe(0x00f0_0000);
    for (const side of [mu.sideA, mu.sideB]) {
      expect(read(side, MU_REG.SR)).toBe(0x00f0_0000);
      expect(read(side, MU_REG.CR)).toBe(0);
      for (let n = 0; n < 4; n++) {
        expect(read(side, MU_REG.RR(n))).toBe(0);
        expect(read(side, MU_REG.TR(n))).toBe(0);
      }
    }
    expect([mu.irqA.level, mu.irqB.level]).toEqual([false, false]);
    expect([mu.sideA.name, mu.sideB.name, mu.irqA.name, mu.irqB.name]).toEqual(['mu.a', 'mu.b', 'mu.a.irq', 'mu.b.irq']);
    expect([mu.sideA.windowSize, mu.sideB.windowSize]).toEqual([0x28, 0x28]);
  });

  test('a TE interrupt fires as soon as TIEn is enabled, because TEn is 1 after reset', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideA, MU_REG.CR, MU_CR.TIE(2));
    expect(mu.irqA.level).toBe(true);
    expect(mu.irqB.level).toBe(false);
    write(mu.sideA, MU_REG.CR, 0);
    expect(mu.irqA.level).toBe(false);
  });
});

describe('data registers, i.MX 8M Mini rpmsg style (MU_SendMsg(MUB, 1, vq_id << 16))', () => {
  test('B writes TR1, A sees RF1, the line follows RIE1, reading RR1 hands TE1 back to B', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.TR1, 1 << 16);

    expect(read(mu.sideA, MU_REG.SR)).toBe(0x04f0_0000); // RF1 (bit 26) + TE0-3
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00b0_0000); // TE1 (bit 22) cleared
    expect(read(mu.sideB, MU_REG.TR1)).toBe(0x0001_0000); // TR reads back
    expect(mu.irqA.level).toBe(false); // RIE1 not set yet

    write(mu.sideA, MU_REG.CR, MU_CR.RIE(1)); // platform_init_interrupt: CR bit 26
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x0400_0000);
    expect(mu.irqA.level).toBe(true);
    expect(mu.irqB.level).toBe(false);

    expect(read(mu.sideA, MU_REG.RR1)).toBe(0x0001_0000);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
    expect(mu.irqA.level).toBe(false);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000);
    expect(mu.irqA.rises).toBe(1);

    // A second read returns the same word and changes nothing.
    expect(read(mu.sideA, MU_REG.RR1)).toBe(0x0001_0000);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
    expect(mu.stats.transmitOverwrites).toBe(0);
  });

  test('the same in the other direction on channel 3 raises B', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.CR, MU_CR.RIE(3));
    write(mu.sideA, MU_REG.TR3, 0xdead_beef);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x01f0_0000); // RF3 is bit 24
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00e0_0000); // TE3 (bit 20) cleared
    expect(mu.irqB.level).toBe(true);
    expect(read(mu.sideB, MU_REG.RR3)).toBe(0xdead_beef);
    expect(mu.irqB.level).toBe(false);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
  });

  test('a write while TEn is 0 replaces the unread word and is counted', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.TR1, 0x0001_0000);
    write(mu.sideB, MU_REG.TR1, 0x0002_0000);
    expect(mu.stats.transmitOverwrites).toBe(1);
    expect(read(mu.sideA, MU_REG.RR1)).toBe(0x0002_0000);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000);
  });

  test('writes to RRn and to the read-only SR bits change nothing', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.TR0, 7);
    write(mu.sideA, MU_REG.RR0, 99);
    expect(mu.stats.ignoredWrites).toBe(1);
    write(mu.sideA, MU_REG.SR, MU_SR.RF_MASK | MU_SR.TE_MASK | MU_SR.EP | MU_SR.F_MASK);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x08f0_0000);
    expect(read(mu.sideA, MU_REG.RR0)).toBe(7);
  });
});

describe('general interrupts, i.MX RT1170 rpmsg style (MU_TriggerInterrupts(1 << (19 - q)))', () => {
  test('A requests GIR0, B sees GIP0, GIE0 raises B, B clears GIP0 by writing 1, A reads GIR0 back as 0', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(0)); // CR bit 19
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x0008_0000); // GIR0 reads 1 while pending
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x80f0_0000); // GIP0 is bit 31
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
    expect(mu.irqB.level).toBe(false);

    write(mu.sideB, MU_REG.CR, MU_CR.GIE(0)); // platform_init_interrupt: 1 << (31 - 0)
    expect(read(mu.sideB, MU_REG.CR)).toBe(0x8000_0000);
    expect(mu.irqB.level).toBe(true);
    expect(mu.irqA.level).toBe(false);

    write(mu.sideB, MU_REG.SR, 0x8000_0000); // MU_ClearStatusFlags(kMU_GenInt0Flag)
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000);
    expect(mu.irqB.level).toBe(false);
    expect(read(mu.sideA, MU_REG.CR)).toBe(0);
    expect(mu.irqB.rises).toBe(1);
  });

  test('GIR1 / GIP1 for vring 1 use bits 18 and 30, and both vrings can be pending at once', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.CR, MU_CR.GIR(1));
    expect(read(mu.sideB, MU_REG.CR)).toBe(0x0004_0000);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x40f0_0000);
    write(mu.sideA, MU_REG.CR, MU_CR.GIE(0) | MU_CR.GIE(1));
    expect(mu.irqA.level).toBe(true);

    // MU_TriggerInterrupts is a read-modify-write of CR with the GIR bits masked, then the new one.
    write(mu.sideB, MU_REG.CR, (read(mu.sideB, MU_REG.CR) & ~MU_CR.GIR_MASK) | MU_CR.GIR(0));
    expect(read(mu.sideB, MU_REG.CR)).toBe(0x000c_0000);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0xc0f0_0000);

    write(mu.sideA, MU_REG.SR, MU_SR.GIP(1));
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x80f0_0000);
    expect(read(mu.sideB, MU_REG.CR)).toBe(0x0008_0000);
    expect(mu.irqA.level).toBe(true);
    write(mu.sideA, MU_REG.SR, MU_SR.GIP(0));
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
    expect(read(mu.sideB, MU_REG.CR)).toBe(0);
    expect(mu.irqA.level).toBe(false);
  });

  test('writing 0 to a pending GIRn does not withdraw it; writing 1 again does not repeat it', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(0));
    write(mu.sideA, MU_REG.CR, MU_CR.TIE(0)); // an RMW with GIR masked, as MU_EnableInterrupts does
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x0088_0000);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x80f0_0000);
    write(mu.sideA, MU_REG.CR, MU_CR.TIE(0) | MU_CR.GIR(0));
    write(mu.sideB, MU_REG.SR, MU_SR.GIP(0));
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000); // one clear is enough: it was one request
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x0080_0000);
  });

  test('writing 1 to a GIPn that is not pending changes nothing', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(2));
    write(mu.sideB, MU_REG.SR, MU_SR.GIP(3));
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x20f0_0000);
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x0002_0000);
  });
});

describe('flags and MU reset', () => {
  test('CR.Fn of one side shows in SR.Fn of the other', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideA, MU_REG.CR, 0x5);
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x5);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0005);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
  });

  test('CR.MUR resets both sides and reads back 0', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.CR, MU_CR.RIE(0));
    write(mu.sideA, MU_REG.TR0, 42);
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(1) | 0x3);
    expect(mu.irqB.level).toBe(true);
    write(mu.sideB, MU_REG.CR, MU_CR.MUR);
    for (const side of [mu.sideA, mu.sideB]) {
      expect(read(side, MU_REG.SR)).toBe(0x00f0_0000);
      expect(read(side, MU_REG.CR)).toBe(0);
      expect(read(side, MU_REG.RR0)).toBe(0);
    }
    expect(mu.irqB.level).toBe(false);
  });
});

describe('crossing delay', () => {
  const DELAY = ticks(7);

  test('B writes TR1 at tick 0: B loses TE1 at once, A gets RF1 and its line exactly 7 ticks later', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', DELAY);
    const lineA = recordLine(k, mu.irqA);
    write(mu.sideA, MU_REG.CR, MU_CR.RIE(1));

    write(mu.sideB, MU_REG.TR1, 0x0001_0000);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00b0_0010); // TE1 cleared, EP (bit 4) while in flight
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);

    k.run(ticks(7)); // everything before tick 7
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
    expect(mu.irqA.level).toBe(false);
    k.run(ticks(8));
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x04f0_0000);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00b0_0000); // EP gone once it landed
    expect(lineA).toEqual([[7, true]]);
  });

  test('the read of RR1 drops A at once and gives TE1 back to B 7 ticks later', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', DELAY);
    const lineA = recordLine(k, mu.irqA);
    const lineB = recordLine(k, mu.irqB);
    write(mu.sideA, MU_REG.CR, MU_CR.RIE(1));
    write(mu.sideB, MU_REG.CR, MU_CR.TIE(1)); // B's line is high while TE1 is 1
    expect(lineB).toEqual([[0, true]]);
    let received = -1;
    k.spawn('a', (function* (): ProcessBody<void> {
      yield ticks(20);
      received = read(mu.sideA, MU_REG.RR1);
    })());
    k.spawn('b', (function* (): ProcessBody<void> {
      yield ticks(2);
      write(mu.sideB, MU_REG.TR1, 0x0001_0000);
    })());
    k.run();
    expect(received).toBe(0x0001_0000);
    expect(lineA).toEqual([
      [9, true],
      [20, false],
    ]);
    expect(lineB).toEqual([
      [0, true],
      [2, false],
      [27, true],
    ]);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
  });

  test('several writes land in order, each 7 ticks after it was made', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', DELAY);
    k.spawn('b', (function* (): ProcessBody<void> {
      write(mu.sideB, MU_REG.TR0, 10); // tick 0
      yield ticks(1);
      write(mu.sideB, MU_REG.TR1, 11); // tick 1
      yield ticks(1);
      write(mu.sideB, MU_REG.TR2, 12); // tick 2
      write(mu.sideB, MU_REG.TR2, 13); // tick 2 again: the later word wins
    })());
    const seen: [Ticks, number][] = [];
    for (const until of [7, 8, 9, 10]) {
      k.run(ticks(until));
      seen.push([k.now, read(mu.sideA, MU_REG.SR)]);
    }
    expect(seen).toEqual([
      [7, 0x00f0_0000],
      [8, 0x08f0_0000],
      [9, 0x0cf0_0000],
      [10, 0x0ef0_0000],
    ]);
    expect([0, 1, 2].map((n) => read(mu.sideA, MU_REG.RR(n)))).toEqual([10, 11, 13]);
  });

  test('GIR0 at tick 3 sets GIP0 at tick 10; B clears it at tick 15 and A sees GIR0 drop at tick 22', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', DELAY);
    const lineB = recordLine(k, mu.irqB);
    write(mu.sideB, MU_REG.CR, MU_CR.GIE(0));
    k.spawn('a', (function* (): ProcessBody<void> {
      yield ticks(3);
      write(mu.sideA, MU_REG.CR, MU_CR.GIR(0));
    })());
    k.spawn('b', (function* (): ProcessBody<void> {
      yield ticks(15);
      write(mu.sideB, MU_REG.SR, MU_SR.GIP(0));
    })());
    k.run(ticks(10));
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x0008_0000);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0010); // EP: the request is in flight
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000);
    k.run(ticks(11));
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x80f0_0000);
    k.run(ticks(22));
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0010); // cleared at once, EP until it lands
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x0008_0000);
    k.run(ticks(23));
    expect(read(mu.sideA, MU_REG.CR)).toBe(0);
    expect(lineB).toEqual([
      [10, true],
      [15, false],
    ]);
  });

  test('a GIR0 written again before the clear has crossed back is not a new request', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', DELAY);
    k.spawn('a', (function* (): ProcessBody<void> {
      write(mu.sideA, MU_REG.CR, MU_CR.GIR(0)); // tick 0, GIP0 lands at 7
      yield ticks(10);
      expect(read(mu.sideA, MU_REG.CR)).toBe(0x0008_0000); // B's clear (tick 8) lands at 15
      write(mu.sideA, MU_REG.CR, MU_CR.GIR(0)); // tick 10: still pending, so ignored
    })());
    k.spawn('b', (function* (): ProcessBody<void> {
      yield ticks(8);
      write(mu.sideB, MU_REG.SR, MU_SR.GIP(0));
    })());
    k.run();
    expect(k.now).toBe(15);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000);
    expect(read(mu.sideA, MU_REG.CR)).toBe(0);
  });

  test('a flags update holds FUP until it lands, and a second update meanwhile is ignored', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', DELAY);
    write(mu.sideA, MU_REG.CR, 0x1);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0110); // FUP (bit 8) and EP
    write(mu.sideA, MU_REG.CR, 0x2);
    expect(read(mu.sideA, MU_REG.CR)).toBe(0x1);
    k.run();
    expect(k.now).toBe(7);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0001);
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
  });

  test('MU reset drops what is in flight', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', DELAY);
    write(mu.sideB, MU_REG.TR0, 5);
    write(mu.sideA, MU_REG.CR, MU_CR.MUR);
    k.run();
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x00f0_0000);
    expect(read(mu.sideB, MU_REG.SR)).toBe(0x00f0_0000);
    expect(read(mu.sideA, MU_REG.RR0)).toBe(0);
  });

  test('a negative or fractional delay is a configuration error', () => {
    expect(() => new NxpMessagingUnit(kernel(), 'mu1', ticks(-1))).toThrow(ConfigError);
    expect(() => new NxpMessagingUnit(kernel(), 'mu1', ticks(1.5))).toThrow(
      'mu1: crossingDelay must be a whole number of ticks >= 0, got 1.5',
    );
  });
});

describe('faults', () => {
  test('offsets at or past 0x28 are outside the window', () => {
    const mu = new NxpMessagingUnit(kernel());
    expect(mu.sideA.read(0x28, 4)).toEqual({ fault: 'mu.a: offset 0x28 is outside the register window (0x28 bytes)' });
    expect(mu.sideB.write(0x100, 1, 4)).toEqual({ fault: 'mu.b: offset 0x100 is outside the register window (0x28 bytes)' });
    expect(mu.sideA.read(0x26, 4)).toEqual({ fault: 'mu.a: offset 0x26 is outside the register window (0x28 bytes)' });
  });

  test('byte and half-word accesses are refused, and have no side effect', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.TR0, 0x1234_5678);
    expect(mu.sideA.read(MU_REG.RR0, 1)).toEqual({ fault: 'mu.a: registers are 32-bit; a 1-byte access is refused' });
    expect(mu.sideA.write(MU_REG.CR, 0xffff, 2)).toEqual({ fault: 'mu.a: registers are 32-bit; a 2-byte access is refused' });
    expect(read(mu.sideA, MU_REG.SR)).toBe(0x08f0_0000); // RF0 still set
    expect(read(mu.sideA, MU_REG.CR)).toBe(0);
  });

  test('a misaligned word access is refused', () => {
    const mu = new NxpMessagingUnit(kernel());
    expect(mu.sideB.read(0x22, 4)).toEqual({ fault: 'mu.b: offset 0x22 is not 32-bit aligned' });
  });
});
