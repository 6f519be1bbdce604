// The LPC inter-CPU mailbox against the register values fsl_mailbox.h and the lpc55s69
// rpmsg-lite port expect: exact words and line levels after each step.

import { ConfigError, Kernel, type ProcessBody, ticks } from '../kernel';
import {
  LPC_MAILBOX_MUTEX_EX,
  LPC_MAILBOX_REG,
  LPC_MAILBOX_SLOT,
  LPC_MAILBOX_WINDOW_SIZE,
  LpcMailbox,
} from './lpc-mailbox';
import type { Peripheral } from './peripheral';
import type { IrqLine } from './signal';

/** A 1 GHz tick: one tick is one nanosecond. */
function kernel(): Kernel {
  return new Kernel({ tickHz: 1e9 });
}

function read(registers: Peripheral, offset: number): number {
  const value = registers.read(offset, 4);
  if (typeof value !== 'number') throw new Error(`unexpected fault: ${value.fault}`);
  return value;
}

function write(registers: Peripheral, offset: number, value: number): void {
  const fault = registers.write(offset, value, 4);
  if (fault !== undefined) throw new Error(`unexpected fault: ${fault.fault}`);
}

function recordLine(k: Kernel, line: IrqLine): [number, boolean][] {
  const changes: [number, boolean][] = [];
  line.connect({ lineChanged: (l) => changes.push([k.now, l.level]) });
  return changes;
}

describe('register map', () => {
  test('offsets of UM10914 / UM11126', () => {
    const r = LPC_MAILBOX_REG;
    expect([r.IRQ0, r.IRQ0SET, r.IRQ0CLR]).toEqual([0x000, 0x004, 0x008]);
    expect([r.IRQ1, r.IRQ1SET, r.IRQ1CLR]).toEqual([0x010, 0x014, 0x018]);
    expect([r.IRQ(1), r.IRQSET(1), r.IRQCLR(0)]).toEqual([0x010, 0x014, 0x008]);
    expect(r.MUTEX).toBe(0x0f8);
    expect(LPC_MAILBOX_WINDOW_SIZE).toBe(0xfc);
    expect(LPC_MAILBOX_MUTEX_EX).toBe(1);
  });

  test('slot of each CPU, as fsl_mailbox.h numbers them', () => {
    expect(LPC_MAILBOX_SLOT.lpc55s69).toEqual({ core1: 0, core0: 1 });
    expect(LPC_MAILBOX_SLOT.lpc5411x).toEqual({ cm0plus: 0, cm4: 1 });
  });

  test('there is no slot 2', () => {
    const mailbox = new LpcMailbox(kernel());
    expect(() => mailbox.irq(2)).toThrow('mailbox slot 2 does not exist (0..1)');
  });
});

describe('request words and lines', () => {
  test('reset: both words 0, both lines low, the mutex free', () => {
    const mailbox = new LpcMailbox(kernel());
    expect(read(mailbox.registers, LPC_MAILBOX_REG.IRQ0)).toBe(0);
    expect(read(mailbox.registers, LPC_MAILBOX_REG.IRQ1)).toBe(0);
    expect([mailbox.irq(0).level, mailbox.irq(1).level]).toEqual([false, false]);
    expect([mailbox.registers.name, mailbox.irq(0).name, mailbox.irq(1).name]).toEqual([
      'mailbox',
      'mailbox.irq0',
      'mailbox.irq1',
    ]);
    expect(mailbox.registers.windowSize).toBe(0xfc);
  });

  test('SET bit 0 then bit 1 in IRQ1: word 0x3 and line high; CLR bit 0: 0x2, still high; CLR bit 1: low', () => {
    const mailbox = new LpcMailbox(kernel());
    const regs = mailbox.registers;
    write(regs, LPC_MAILBOX_REG.IRQ1SET, 0x1);
    expect(read(regs, LPC_MAILBOX_REG.IRQ1)).toBe(0x1);
    expect(mailbox.irq(1).level).toBe(true);
    write(regs, LPC_MAILBOX_REG.IRQ1SET, 0x2);
    expect(read(regs, LPC_MAILBOX_REG.IRQ1)).toBe(0x3);
    expect(mailbox.irq(1).level).toBe(true);
    expect(mailbox.irq(0).level).toBe(false);
    expect(read(regs, LPC_MAILBOX_REG.IRQ0)).toBe(0);

    write(regs, LPC_MAILBOX_REG.IRQ1CLR, 0x1);
    expect(read(regs, LPC_MAILBOX_REG.IRQ1)).toBe(0x2);
    expect(mailbox.irq(1).level).toBe(true);
    write(regs, LPC_MAILBOX_REG.IRQ1CLR, 0x2);
    expect(read(regs, LPC_MAILBOX_REG.IRQ1)).toBe(0);
    expect(mailbox.irq(1).level).toBe(false);
    expect(mailbox.irq(1).rises).toBe(1);
  });

  test('writing IRQn sets the whole word; SET or CLR with 0 does nothing', () => {
    const mailbox = new LpcMailbox(kernel());
    const regs = mailbox.registers;
    write(regs, LPC_MAILBOX_REG.IRQ0, 0x0006_0001); // MCMGR: (kMCMGR_RemoteRPMsgEvent << 16) | q
    expect(read(regs, LPC_MAILBOX_REG.IRQ0)).toBe(0x0006_0001);
    expect(mailbox.irq(0).level).toBe(true);
    write(regs, LPC_MAILBOX_REG.IRQ0SET, 0);
    write(regs, LPC_MAILBOX_REG.IRQ0CLR, 0);
    expect(read(regs, LPC_MAILBOX_REG.IRQ0)).toBe(0x0006_0001);
    write(regs, LPC_MAILBOX_REG.IRQ0SET, 0x8000_0000);
    expect(read(regs, LPC_MAILBOX_REG.IRQ0)).toBe(0x8006_0001);
    write(regs, LPC_MAILBOX_REG.IRQ0, 0);
    expect(read(regs, LPC_MAILBOX_REG.IRQ0)).toBe(0);
    expect(mailbox.irq(0).level).toBe(false);
  });

  test('lpc55s69 rpmsg round: core 0 kicks vring 1 in core 1 slot, core 1 ISR reads and clears it', () => {
    const mailbox = new LpcMailbox(kernel());
    const regs = mailbox.registers;
    const core1 = LPC_MAILBOX_SLOT.lpc55s69.core1;
    // platform_notify on core 0: MAILBOX_SetValueBits(MAILBOX, kMAILBOX_CM33_Core1, 1 << q_id)
    write(regs, LPC_MAILBOX_REG.IRQSET(core1), 1 << 1);
    expect(read(regs, 0x000)).toBe(0x2);
    expect(mailbox.irq(core1).level).toBe(true);
    expect(mailbox.irq(LPC_MAILBOX_SLOT.lpc55s69.core0).level).toBe(false);
    // MAILBOX_IRQHandler on core 1: GetValue, then ClearValueBits(0x02)
    const value = read(regs, LPC_MAILBOX_REG.IRQ(core1));
    expect(value & 0x02).toBe(0x02);
    write(regs, LPC_MAILBOX_REG.IRQCLR(core1), 0x02);
    expect(mailbox.irq(core1).level).toBe(false);
  });

  test('write-only and reserved offsets read 0; writes to reserved offsets are ignored and counted', () => {
    const mailbox = new LpcMailbox(kernel());
    const regs = mailbox.registers;
    write(regs, LPC_MAILBOX_REG.IRQ0SET, 0xff);
    expect(read(regs, LPC_MAILBOX_REG.IRQ0SET)).toBe(0);
    expect(read(regs, LPC_MAILBOX_REG.IRQ0CLR)).toBe(0);
    for (const reserved of [0x00c, 0x01c, 0x020, 0x0f4]) {
      write(regs, reserved, 0xffff_ffff);
      expect(read(regs, reserved)).toBe(0);
    }
    expect(mailbox.ignoredWrites).toBe(4);
    expect(read(regs, LPC_MAILBOX_REG.IRQ0)).toBe(0xff);
    expect(read(regs, LPC_MAILBOX_REG.IRQ1)).toBe(0);
  });
});

describe('mutex', () => {
  test('the first read takes it (1), later reads get 0, a write releases it', () => {
    const mailbox = new LpcMailbox(kernel());
    const regs = mailbox.registers;
    expect(read(regs, LPC_MAILBOX_REG.MUTEX)).toBe(1);
    expect(read(regs, LPC_MAILBOX_REG.MUTEX)).toBe(0);
    expect(read(regs, LPC_MAILBOX_REG.MUTEX)).toBe(0);
    write(regs, LPC_MAILBOX_REG.MUTEX, LPC_MAILBOX_MUTEX_EX); // MAILBOX_SetMutex
    expect(read(regs, LPC_MAILBOX_REG.MUTEX)).toBe(1);
    expect(read(regs, LPC_MAILBOX_REG.MUTEX)).toBe(0);
    expect([mailbox.irq(0).level, mailbox.irq(1).level]).toEqual([false, false]);
  });
});

describe('crossing delay', () => {
  const DELAY = ticks(5);

  test('the word changes at once; the line follows exactly 5 ticks later', () => {
    const k = kernel();
    const mailbox = new LpcMailbox(k, 'mailbox', DELAY);
    const line1 = recordLine(k, mailbox.irq(1));
    write(mailbox.registers, LPC_MAILBOX_REG.IRQ1SET, 0x1);
    expect(read(mailbox.registers, LPC_MAILBOX_REG.IRQ1)).toBe(0x1);
    expect(mailbox.irq(1).level).toBe(false);
    k.run(ticks(5));
    expect(mailbox.irq(1).level).toBe(false);
    k.run(ticks(6));
    expect(mailbox.irq(1).level).toBe(true);
    expect(line1).toEqual([[5, true]]);
  });

  test('several changes land in order, a short pulse included, and only level changes are sent', () => {
    const k = kernel();
    const mailbox = new LpcMailbox(k, 'mailbox', DELAY);
    const line0 = recordLine(k, mailbox.irq(0));
    const line1 = recordLine(k, mailbox.irq(1));
    const regs = mailbox.registers;
    k.spawn('cores', (function* (): ProcessBody<void> {
      write(regs, LPC_MAILBOX_REG.IRQ0SET, 0x1); // tick 0: slot 0 rises
      yield ticks(1);
      write(regs, LPC_MAILBOX_REG.IRQ0SET, 0x2); // tick 1: still non-zero, no change to send
      write(regs, LPC_MAILBOX_REG.IRQ1SET, 0x1); // tick 1: slot 1 rises
      yield ticks(2);
      write(regs, LPC_MAILBOX_REG.IRQ1CLR, 0x1); // tick 3: slot 1 falls (a 2-tick pulse)
      yield ticks(7);
      write(regs, LPC_MAILBOX_REG.IRQ0, 0); // tick 10: slot 0 falls
    })());
    k.run();
    expect(line0).toEqual([
      [5, true],
      [15, false],
    ]);
    expect(line1).toEqual([
      [6, true],
      [8, false],
    ]);
    expect(k.now).toBe(15);
  });

  test('a negative delay is a configuration error', () => {
    expect(() => new LpcMailbox(kernel(), 'mbox', ticks(-2))).toThrow(ConfigError);
    expect(() => new LpcMailbox(kernel(), 'mbox', ticks(-2))).toThrow(
      'mbox: crossingDelay must be a whole number of ticks >= 0, got -2',
    );
  });
});

describe('faults', () => {
  test('offsets at or past 0xFC are outside the window', () => {
    const mailbox = new LpcMailbox(kernel());
    expect(mailbox.registers.read(0xfc, 4)).toEqual({ fault: 'mailbox: offset 0xfc is outside the register window (0xfc bytes)' });
    expect(mailbox.registers.write(0x100, 1, 4)).toEqual({
      fault: 'mailbox: offset 0x100 is outside the register window (0xfc bytes)',
    });
  });

  test('byte, half-word and misaligned accesses are refused without side effects', () => {
    const mailbox = new LpcMailbox(kernel());
    expect(mailbox.registers.write(LPC_MAILBOX_REG.IRQ1SET, 1, 1)).toEqual({
      fault: 'mailbox: registers are 32-bit; a 1-byte access is refused',
    });
    expect(mailbox.registers.read(LPC_MAILBOX_REG.MUTEX, 2)).toEqual({
      fault: 'mailbox: registers are 32-bit; a 2-byte access is refused',
    });
    expect(mailbox.registers.read(0x012, 4)).toEqual({ fault: 'mailbox: offset 0x12 is not 32-bit aligned' });
    expect(read(mailbox.registers, LPC_MAILBOX_REG.IRQ1)).toBe(0);
    expect(mailbox.irq(1).level).toBe(false);
    expect(read(mailbox.registers, LPC_MAILBOX_REG.MUTEX)).toBe(1); // the refused read did not take it
  });
});
