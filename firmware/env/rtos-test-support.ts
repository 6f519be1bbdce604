// Test support for the RTOS model and its rpmsg-lite environment: one Cortex-M4 system, its
// timing constants, an ISR line to pulse.
//
// Hand-computed timing of the RTOS model on one Cortex-M4 at 10 MHz (a cycle is 100 ticks of
// 1 ns; a 1 ms RTOS tick is 10 000 cycles). Times below are in core cycles.
//
// Cortex-M4 (sim/hw/core-types.ts): exception entry 12, exit 12, tail-chain 6, the NVIC sees
// a line change 1 cycle after the first edge at or after it, dsb 4. RTOS costs (the rtos.*
// entries of the core's cost table, firmware/costs/freertos-cycles.ts): context switch 84,
// tick handler 40 + 30 per task it unblocks, API call 60, FromISR call 40, object creation
// 500, scheduler start 1200.
//
// Start-up, the same in every test: the scheduler start runs 0..1200 and starts the
// SysTick, which wraps at 1200 + n * 10 000. The timer service task (priority 4) runs
// first: its queue receive costs 60 (1260), it blocks, the dsb runs to 1264, the PendSV is
// taken (entry 12, switch 84, exit 12) and the first application task runs at 1372.

import { Kernel, Priority, ProcessError, ticks } from '../../sim/kernel';
import type { Core, Firmware } from '../../sim/hw/core';
import { IrqLine } from '../../sim/hw/signal';
import { type SocSpec, buildSoc } from '../../sim/hw/soc';
import { coreCosts } from '../costs/registry';
import { RtosEnv } from './rpmsg-env-freertos';
import { Rtos, type RtosConfig } from '../rtos';

export const TICKS_PER_CYCLE = 100;
export const ENTRY = 12;
export const EXIT = 12;
export const TAIL_CHAIN = 6;
export const SAMPLE = 1;
export const DSB = 4;
export const SWITCH = 84;
export const API = 60;
export const API_FROM_ISR = 40;
export const TICK_HANDLER = 40;
export const PER_UNBLOCK = 30;
export const CREATE = 500;
export const START = 1200;
export const TICK_PERIOD = 10_000;
/** A PendSV taken from thread mode: entry, switch, exit. */
export const PENDSV = ENTRY + SWITCH + EXIT;
/** When the first application task runs (see the header). */
export const FIRST_TASK = START + API + DSB + PENDSV;
/** Cycle of the SysTick's n-th wrap. */
export const wrap = (n: number): number => START + n * TICK_PERIOD;
/** A tick that unblocks `unblocked` tasks of higher priority: the woken task's first cycle. */
export const afterTickSwitch = (n: number, unblocked: number): number =>
  wrap(n) + SAMPLE + ENTRY + TICK_HANDLER + unblocked * PER_UNBLOCK + TAIL_CHAIN + SWITCH + EXIT;
/** The thread loses this many cycles to a tick that switches nothing. */
export const TICK_STEAL = ENTRY + TICK_HANDLER + EXIT;

export const ISR_LINE = 1;

export function rtosSystem(config: Partial<RtosConfig> = {}): { k: Kernel; core: Core; rtos: Rtos; env: RtosEnv; cycle: () => number } {
  const { k, core, cycle } = testCore();
  const rtos = new Rtos(core, { costs: coreCosts(core.type), ...config });
  return { k, core, rtos, env: new RtosEnv(rtos), cycle };
}

/** The one Cortex-M4 at 10 MHz of these tests (8 NVIC lines, 3 priority bits), no RTOS on it yet. */
export function testCore(): { k: Kernel; core: Core; cycle: () => number } {
  const k = new Kernel({ clocks: { cpu: 10e6, sram: 10e6, apb: 10e6 } });
  const spec: SocSpec = {
    cores: [{ name: 'cpu', type: 'cortex-m4', clock: 'cpu', nvic: { lines: 8, priorityBits: 3 }, addressMap: [] }],
    memories: [{ name: 'sram', clock: 'sram', size: 0x1000, dataWidthBytes: 4, readWaitStates: 0, writeWaitStates: 0 }],
    interconnect: { arbitration: 'round-robin', syncCycles: 1, responseSyncCycles: 1 },
    peripheralBus: { clock: 'apb', accessCycles: 2 },
  };
  return { k, core: buildSoc(k, spec).core('cpu'), cycle: () => k.now / TICKS_PER_CYCLE };
}

export function startRtos(core: Core, rtos: Rtos): void {
  core.start(
    (function* (): Firmware<void> {
      yield* rtos.startScheduler();
    })(),
  );
}

/** An edge-sensitive interrupt at priority 2 whose line the test pulses at a given cycle. */
export function isrLine(k: Kernel, core: Core, handler: () => Firmware<void>): { pulseAt: (cycle: number) => void } {
  const line = new IrqLine('doorbell');
  core.nvic.connect(ISR_LINE, line, 'edge');
  core.nvic.setPriority(ISR_LINE, 2);
  core.nvic.enable(ISR_LINE);
  core.setHandler(ISR_LINE, handler);
  return {
    pulseAt(cycle: number): void {
      k.task(`pulse@${cycle}`, () => {
        line.set(true);
        line.set(false);
      }, { priority: Priority.Hardware }).scheduleAt(ticks(cycle * TICKS_PER_CYCLE));
    },
  };
}

/** Runs the kernel and returns what the failing process threw. */
export function failureOf(k: Kernel): unknown {
  try {
    k.run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProcessError);
    return (error as ProcessError).cause;
  }
  throw new Error('the run did not fail');
}
