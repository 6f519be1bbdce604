// The interrupt controller's system exceptions (PendSV_IRQn -2, SysTick_IRQn -1) beside its
// external lines: their own priorities, always enabled, ordered by exception number among
// equals, and never the same slot as an external line (issue 9 item 8: the RTOS tick used to
// sit on the lpc54114 Cortex-M0+'s line 31, its mailbox line).
import { FirmwareError, Kernel } from '../kernel';
import { InterruptController, PENDSV_IRQN, SYSTICK_IRQN } from './nvic';
import { IrqLine } from './signal';

function controller(lines = 32): InterruptController {
  const k = new Kernel({ clocks: { cpu: 10e6 } });
  return new InterruptController(k, 'cpu.nvic', k.clock('cpu'), lines, 2, 1);
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof FirmwareError) return error.message;
  }
  return 'no FirmwareError';
}

describe('system exceptions', () => {
  test('SysTick and the last external line are different slots: pending one leaves the other alone', () => {
    const nvic = controller();
    nvic.enable(31);
    nvic.setPriority(31, 1);
    nvic.setPriority(SYSTICK_IRQN, 3); // SHPR3.PRI_15, the lowest of 2 bits
    nvic.setPending(SYSTICK_IRQN);
    expect([nvic.isPending(31), nvic.isPending(SYSTICK_IRQN)]).toEqual([false, true]);
    expect([nvic.priorityOf(31), nvic.priorityOf(SYSTICK_IRQN)]).toEqual([1, 3]);
    // Both pending: line 31 (priority 1) beats SysTick (priority 3).
    nvic.setPending(31);
    expect(nvic.highestPending()).toBe(31);
    nvic.activate(31);
    expect(nvic.highestPending()).toBe(SYSTICK_IRQN);
    nvic.activate(SYSTICK_IRQN);
    expect(nvic.highestPending()).toBeNull();
    expect([nvic.taken[31], nvic.systemTaken.sysTick, nvic.systemTaken.pendSv]).toEqual([1, 1, 0]);
  });

  test('equal priorities: the lower exception number first (PendSV 14, SysTick 15, line 0 = 16)', () => {
    const nvic = controller(4);
    nvic.enable(0);
    for (const n of [PENDSV_IRQN, SYSTICK_IRQN, 0]) {
      nvic.setPriority(n, 2);
      nvic.setPending(n);
    }
    const order: number[] = [];
    for (let n = nvic.highestPending(); n !== null; n = nvic.highestPending()) {
      order.push(n);
      nvic.activate(n);
    }
    expect(order).toEqual([-2, -1, 0]);
  });

  test('always enabled; NVIC enable registers and a PendSV input do not exist', () => {
    const nvic = controller(4);
    expect([nvic.isEnabled(PENDSV_IRQN), nvic.isEnabled(SYSTICK_IRQN), nvic.isEnabled(0)]).toEqual([true, true, false]);
    expect(message(() => nvic.enable(SYSTICK_IRQN))).toBe('cpu.nvic: NVIC_EnableIRQ(-1): system exceptions are not NVIC lines');
    expect(message(() => nvic.connect(PENDSV_IRQN, new IrqLine('x')))).toBe('cpu.nvic: PendSV is pended by software only; it has no input');
    expect(message(() => nvic.setPending(-3))).toBe('cpu.nvic: no interrupt line -3 (lines 0..3, PendSV -2, SysTick -1)');
    expect(message(() => nvic.setPending(4))).toBe('cpu.nvic: no interrupt line 4 (lines 0..3, PendSV -2, SysTick -1)');
  });
});

describe('the pending count that makes highestPending O(1) when nothing is pending', () => {
  test('anyPending follows pending AND enabled through enable, disable, setPending, clearPending, activate and complete', () => {
    const nvic = controller(8);
    // Pending but disabled: not counted; enabling counts it, disabling uncounts it.
    nvic.setPending(3);
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([false, null]);
    nvic.enable(3);
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([true, 3]);
    nvic.disable(3);
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([false, null]);
    nvic.enable(3);
    // Setting a pending line again counts it once: one clearPending empties it.
    nvic.setPending(3);
    nvic.clearPending(3);
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([false, null]);
    // Two pending: the answer follows a priority change made after it was last asked.
    nvic.enable(5);
    nvic.setPriority(3, 2);
    nvic.setPriority(5, 1);
    nvic.setPending(3);
    nvic.setPending(5);
    expect(nvic.highestPending()).toBe(5);
    nvic.setPriority(3, 0);
    expect(nvic.highestPending()).toBe(3);
    // Entry takes it off; the other stays; completing pends nothing without a high level source.
    nvic.activate(3);
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([true, 5]);
    nvic.activate(5);
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([false, null]);
    nvic.complete(3);
    nvic.complete(5);
    expect(nvic.anyPending).toBe(false);
  });

  test('a level source still high when its handler completes pends again and is counted', () => {
    const k = new Kernel({ clocks: { cpu: 10e6 } });
    const nvic = new InterruptController(k, 'cpu.nvic', k.clock('cpu'), 4, 2, 1);
    const line = new IrqLine('src');
    nvic.connect(2, line);
    nvic.enable(2);
    line.set(true);
    k.run(); // the sampler latches it one cycle after the edge
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([true, 2]);
    nvic.activate(2);
    expect(nvic.anyPending).toBe(false);
    nvic.complete(2); // still high: pending again
    expect([nvic.anyPending, nvic.highestPending()]).toEqual([true, 2]);
  });
});
