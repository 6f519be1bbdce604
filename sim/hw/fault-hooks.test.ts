// The hooks fault injection (scenario-engine/faults.ts) uses, on the models alone: a mailbox
// doorbell dropped or delayed (MU GIRn and TRn, LPC IRQnSET), a one-sided MU reset, the NVIC
// seeing a line late and its reset, the delay queue's order. Exact register words and ticks.

import { Kernel, type Ticks } from '../kernel';
import { MU_CR, MU_REG, MU_SR, MU_SR_RESET, NxpMessagingUnit } from './nxp-mu';
import { LPC_MAILBOX_REG, LpcMailbox } from './lpc-mailbox';
import { Postponed } from './delay-line';
import { InterruptController } from './nvic';
import { IrqLine } from './signal';
import type { DoorbellFate, Peripheral } from './peripheral';

/** A 1 GHz tick: one tick is one nanosecond. */
const kernel = () => new Kernel({ tickHz: 1e9 });

function read(side: Peripheral, offset: number): number {
  const value = side.read(offset, 4);
  if (typeof value !== 'number') throw new Error(`unexpected fault: ${value.fault}`);
  return value;
}

function write(side: Peripheral, offset: number, value: number): void {
  const fault = side.write(offset, value, 4);
  if (fault !== undefined) throw new Error(`unexpected fault: ${fault.fault}`);
}

describe('MU doorbells', () => {
  test('a dropped GIR1 request: side B never sees GIP1, and side A can ring again at once', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k);
    const asked: string[] = [];
    const fates: DoorbellFate[] = ['drop', 'pass'];
    mu.doorbellHook = (to, register) => {
      asked.push(`${String(to)} ${register}`);
      return fates.shift()!;
    };
    write(mu.sideB, MU_REG.CR, MU_CR.GIE(1));
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(1));
    expect(read(mu.sideB, MU_REG.SR) >>> 0).toBe(MU_SR_RESET);
    expect(read(mu.sideA, MU_REG.CR) & MU_CR.GIR_MASK).toBe(0);
    expect(mu.irqB.level).toBe(false);
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(1));
    expect((read(mu.sideB, MU_REG.SR) & MU_SR.GIP(1)) >>> 0).toBe(MU_SR.GIP(1));
    expect(mu.irqB.level).toBe(true);
    expect(asked).toEqual(['B mu.a.CR', 'B mu.a.CR']);
  });

  test('a dropped TR1 word: RR1 stays empty and TE1 comes back on the writer\'s side', () => {
    const mu = new NxpMessagingUnit(kernel());
    mu.doorbellHook = () => 'drop';
    write(mu.sideB, MU_REG.TR1, 1 << 16);
    expect(read(mu.sideA, MU_REG.SR) & MU_SR.RF(1)).toBe(0);
    expect((read(mu.sideB, MU_REG.SR) & MU_SR.TE(1)) >>> 0).toBe(MU_SR.TE(1));
    expect(read(mu.sideA, MU_REG.RR1)).toBe(0);
  });

  test('a delayed GIR0 request lands after the delay (and the crossing), raising side B\'s line then', () => {
    const k = kernel();
    const mu = new NxpMessagingUnit(k, 'mu', 5 as Ticks);
    mu.doorbellHook = () => ({ delay: 100 as Ticks });
    const changes: [number, boolean][] = [];
    mu.irqB.connect({ lineChanged: (l) => changes.push([k.now, l.level]) });
    write(mu.sideB, MU_REG.CR, MU_CR.GIE(0));
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(0));
    k.run();
    expect(changes).toEqual([[105, true]]);
  });

  test('a one-sided reset: side B back to its reset values, side A\'s requests towards it dropped', () => {
    const mu = new NxpMessagingUnit(kernel());
    write(mu.sideB, MU_REG.CR, MU_CR.GIE(1));
    write(mu.sideA, MU_REG.TR0, 7);
    write(mu.sideA, MU_REG.CR, MU_CR.GIR(1));
    mu.resetSide('B');
    expect([read(mu.sideB, MU_REG.SR) >>> 0, read(mu.sideB, MU_REG.CR), read(mu.sideB, MU_REG.RR0)]).toEqual([MU_SR_RESET, 0, 0]);
    expect(read(mu.sideA, MU_REG.CR) & MU_CR.GIR_MASK).toBe(0);
    expect((read(mu.sideA, MU_REG.SR) & MU_SR.TE_MASK) >>> 0).toBe(MU_SR.TE_MASK);
    expect(mu.irqB.level).toBe(false);
  });
});

test('LPC mailbox: a dropped IRQ0SET leaves the word 0; a delayed one sets it later', () => {
  const k = kernel();
  const mb = new LpcMailbox(k);
  const fates: DoorbellFate[] = ['drop', { delay: 50 as Ticks }];
  const asked: string[] = [];
  mb.doorbellHook = (to, register) => {
    asked.push(`${String(to)} ${register}`);
    return fates.shift()!;
  };
  write(mb.registers, LPC_MAILBOX_REG.IRQ0SET, 1);
  expect(read(mb.registers, LPC_MAILBOX_REG.IRQ0)).toBe(0);
  write(mb.registers, LPC_MAILBOX_REG.IRQ0SET, 2);
  expect(read(mb.registers, LPC_MAILBOX_REG.IRQ0)).toBe(0);
  k.run({ until: 49 as Ticks });
  expect(read(mb.registers, LPC_MAILBOX_REG.IRQ0)).toBe(0);
  k.run();
  expect([k.now, read(mb.registers, LPC_MAILBOX_REG.IRQ0), mb.irq(0).level]).toEqual([50, 2, true]);
  expect(asked).toEqual(['0 mailbox.IRQ0SET', '0 mailbox.IRQ0SET']);
});

describe('NVIC', () => {
  function nvic(k: Kernel) {
    const c = new InterruptController(k, 'c.nvic', k.addClock('c', 1e9), 8, 3, 0);
    const line = new IrqLine('l');
    c.connect(3, line);
    c.enable(3);
    return { c, line };
  }

  test('a delayed rise is pended after the delay, not at the next sample', () => {
    const k = kernel();
    const { c, line } = nvic(k);
    const asked: number[] = [];
    c.riseHook = (n) => {
      asked.push(n);
      return 40 as Ticks;
    };
    line.set(true);
    k.run({ until: 39 as Ticks });
    expect(c.isPending(3)).toBe(false);
    k.run({ until: 41 as Ticks });
    expect(c.isPending(3)).toBe(true);
    expect(asked).toEqual([3]);
  });

  test('reset: lines disabled, nothing pending or active, priorities 0; a line still high is pending again at the next sample', () => {
    const k = kernel();
    const { c, line } = nvic(k);
    c.setPriority(3, 5);
    line.set(true);
    k.run();
    expect(c.isPending(3)).toBe(true);
    c.reset();
    expect([c.isEnabled(3), c.isPending(3), c.priorityOf(3)]).toEqual([false, false, 0]);
    k.run();
    expect([c.isEnabled(3), c.isPending(3)]).toEqual([false, true]);
  });
});

test('Postponed: effects land in time order, those of one tick in push order', () => {
  const k = kernel();
  const landed: string[] = [];
  const p = new Postponed(k, 'p', () => landed.push(`after ${k.now}`));
  p.push(30 as Ticks, () => landed.push('c'));
  p.push(10 as Ticks, () => landed.push('a'));
  p.push(30 as Ticks, () => landed.push('d'));
  p.push(10 as Ticks, () => landed.push('b'));
  k.run();
  expect(landed).toEqual(['a', 'b', 'after 10', 'c', 'd', 'after 30']);
});
