// Timing parameters fixed by a core's type (its micro-architecture), in cycles of the core's
// own clock. Sources: [P] primary (Arm TRM / vendor document), [S] secondary (quoted on a
// forum or blog), "Assumption" where nothing was published; docs/sources.md "Exception entry and
// tail-chaining" lists where each figure was found. Zero-wait-state memory is assumed for the vector fetch and
// stacking: the core's stack and vector table sit in its tightly-coupled memory on the
// platforms we model, so no bus traffic of ours is involved in exception entry.

import type { Param } from './param';

/** The core types the models know (each has a timing row below). */
export type CoreTypeName = 'cortex-m0+' | 'cortex-m4' | 'cortex-m7' | 'cortex-m33' | 'cortex-a53';

export interface CoreTiming {
  /** Cycles from a sampled interrupt request to the handler's first instruction (stacking + vector fetch). */
  irqEntry: Param;
  /** Cycles from the handler's exception return to the interrupted code's next instruction (unstacking). */
  irqExit: Param;
  /** Cycles from one handler's return to the next pending handler's first instruction, without unstacking. */
  tailChain: Param;
  /**
   * A higher-priority request sampled during another's entry is taken in its place without a
   * second stacking (late arrival) when it arrives within this many cycles of the entry's start.
   */
  lateArrivalWindow: Param;
  /** Core cycles the interrupt controller needs to see a line change (input synchroniser). */
  irqSample: Param;
  /** Extra cycles of a taken branch (pipeline refill); used by firmware cost tables. */
  branchRefill: Param;
  /** Cycles of `dsb` with no outstanding writes (firmware issues it after clearing a mailbox flag). */
  dsb: Param;
  /** Cycles of `cpsid i` / `cpsie i`. */
  cps: Param;
}

export const CORE_TIMING: Record<CoreTypeName, CoreTiming> = {
  'cortex-m0+': {
    irqEntry: { value: 15, source: 'ARMv6-M Cortex-M0+: 15 cycles worst case, zero wait state (TI CC2340 TRM SWCU193 quoting the core) [P]' },
    irqExit: { value: 13, source: 'Assumption: entry minus the 2-cycle vector fetch; no published M0+ exit figure was found' },
    tailChain: { value: 11, source: 'Assumption: exit latency minus unstacking overlap; Arm publishes no M0+ tail-chain figure' },
    lateArrivalWindow: { value: 15, source: 'Assumption: the whole stacking period (the M0+ supports late arrival per ARMv6-M ARM B1.5.12)' },
    irqSample: { value: 1, source: 'Assumption: one-cycle input synchroniser of the NVIC' },
    branchRefill: { value: 1, source: 'Cortex-M0+ TRM (DDI 0484) instruction timings: taken branch 2 cycles, i.e. 1 extra [P]' },
    dsb: { value: 3, source: 'Cortex-M0+ TRM (DDI 0484) instruction timings: DSB 3 cycles [P]' },
    cps: { value: 1, source: 'Cortex-M0+ TRM (DDI 0484) instruction timings: CPS 1 cycle [P]' },
  },
  'cortex-m4': {
    irqEntry: { value: 12, source: 'Cortex-M4: 12 cycles entry (NXP Kinetis quick reference, quoted on community.nxp.com) [S]; Cortex-M3 TRM DDI 0337 §5.5 gives the same 12 [P]' },
    irqExit: { value: 12, source: 'Cortex-M4: 12 cycles exit (NXP Kinetis quick reference) [S]' },
    tailChain: { value: 6, source: 'Cortex-M3 TRM DDI 0337B §5.6: tail-chained ISR starts six cycles after the previous exits [P]; same NVIC design in the M4' },
    lateArrivalWindow: { value: 12, source: 'Cortex-M3 TRM DDI 0337B §5.6: late arrival during the stacking period [P]' },
    irqSample: { value: 1, source: 'Assumption: one-cycle input synchroniser of the NVIC' },
    branchRefill: { value: 2, source: 'Cortex-M4 TRM DDI 0439 Table 3-1: branch 1 + P, P = 1..3 refill cycles; 2 taken as typical [P]' },
    dsb: { value: 4, source: 'Cortex-M4 TRM DDI 0439 Table 3-1: DSB 1 + B cycles; 4 assumed for the bus-matrix drain' },
    cps: { value: 1, source: 'Cortex-M4 TRM DDI 0439 Table 3-1: CPSID/CPSIE 1 cycle [P]' },
  },
  'cortex-m7': {
    irqEntry: { value: 12, source: 'Cortex-M7: typically 12, worst case 14 cycles (Arm "Cortex-M for Beginners", quoted on community.arm.com) [S]' },
    irqExit: { value: 12, source: 'Assumption: same as entry, as on the M3/M4 (no published M7 exit figure)' },
    tailChain: { value: 6, source: 'Assumption: same NVIC tail-chaining as the M3/M4 (DDI 0337B §5.6)' },
    lateArrivalWindow: { value: 12, source: 'Assumption: the stacking period, as on the M3/M4' },
    irqSample: { value: 1, source: 'Assumption: one-cycle input synchroniser of the NVIC' },
    branchRefill: { value: 1, source: 'Assumption: the M7 branch predictor hides most refills; 1 cycle average for a taken branch' },
    dsb: { value: 6, source: 'Assumption: a DSB drains the M7 AXI write buffer; 6 cycles with nothing outstanding' },
    cps: { value: 1, source: 'Assumption: single-issue CPS, as on the M4' },
  },
  'cortex-m33': {
    irqEntry: { value: 12, source: 'Cortex-M33: 12 cycles (Arm blog "A beginner\'s guide on interrupt latency"; not re-verified; more with FP context or Secure→Non-secure) [S]' },
    irqExit: { value: 12, source: 'Assumption: same as entry, as on the M3/M4' },
    tailChain: { value: 6, source: 'Assumption: same NVIC tail-chaining as the M3/M4 (DDI 0337B §5.6)' },
    lateArrivalWindow: { value: 12, source: 'Assumption: the stacking period, as on the M3/M4' },
    irqSample: { value: 1, source: 'Assumption: one-cycle input synchroniser of the NVIC' },
    branchRefill: { value: 1, source: 'Assumption: 3-stage pipeline with branch speculation; 1 extra cycle for a taken branch' },
    dsb: { value: 4, source: 'Assumption: as the M4' },
    cps: { value: 1, source: 'Assumption: as the M4' },
  },
  'cortex-a53': {
    irqEntry: { value: 100, source: 'Assumption: GIC acknowledge + exception vector + register save; Cortex-A9 reaches its first ISR instruction "in less than 100 cycles" best case (jblopen.com, "ARM Cortex-A Interrupt Latency") [S]' },
    irqExit: { value: 50, source: 'Assumption: end-of-interrupt write to the GIC + register restore + eret, half the entry' },
    tailChain: { value: 150, source: 'Assumption: the A-class has no hardware tail-chaining: exit + entry' },
    lateArrivalWindow: { value: 0, source: 'The A-class has no late-arrival optimisation (ARMv8-A exceptions are taken one at a time)' },
    irqSample: { value: 2, source: 'Assumption: GIC distributor to CPU interface synchronisation, 2 cycles' },
    branchRefill: { value: 8, source: 'Assumption: 8-stage in-order pipeline; a mispredicted branch costs about its depth' },
    dsb: { value: 20, source: 'Assumption: DSB SY waits for the interconnect; 20 cycles with nothing outstanding' },
    cps: { value: 1, source: 'Assumption: msr daifset/daifclr, 1 cycle' },
  },
};
