// The cost tables the simulator knows: an instruction table per compiler build (builds.ts:
// -mcpu × -O level, from COSTS §7), the libc models (libc.ts), and per core type the build
// its code is compiled for, its cycles per instruction and the RTOS's cycles. A core's table
// is its type's build at the core's -O level, with the core's libc (both parameters of the
// system; defaults those of the vendor SDK's release build, below).

import type { CoreTypeName } from '../../sim/hw/core-types';
import { BUILD_TABLES, type BuildCpu, OPT_LEVELS, basisOf } from './builds';
import { FREERTOS_CYCLES } from './freertos-cycles';
import { LIBC_MODELS } from './libc';
import { GPIO_CYCLES } from './gpio-cycles';
import { CACHE_INSTRUCTIONS } from './cache-cycles';
import { ZEPHYR_CYCLES } from './zephyr-cycles';
import { type BuildDefaults, type CoreCosts, type CoreCostsOptions, type CoreTypeCosts, type CostEntry, type CostRegistry, buildCoreCosts } from './table';

/**
 * The MCUXpresso SDK's armgcc release build: `-Os` (CMAKE_C_FLAGS_RELEASE) and newlib-nano
 * (`--specs=nano.specs --specs=nosys.specs` in the linker flags), the same in its multicore
 * examples for the M0+, M4, M7 and M33 cores.
 */
export const SDK_DEFAULTS: BuildDefaults = {
  opt: 'Os',
  libc: 'newlib-nano',
  source:
    'MCUXpresso SDK armgcc release build (nxp-mcuxpresso/mcux-sdk-examples, multicore_examples/rpmsg_lite_pingpong*/…/armgcc/flags.cmake: CMAKE_C_FLAGS_RELEASE -Os; CMAKE_EXE_LINKER_FLAGS_RELEASE --specs=nano.specs --specs=nosys.specs; e.g. evkmimxrt1170 cm4, lpcxpresso54114 cm0plus)',
};

const cpi = (value: number, source: string): CostEntry => ({ value, unit: 'cycles/instruction', source });

function on(build: BuildCpu, cyclesPerInstruction: CostEntry, rtos: CoreTypeCosts['rtos']): Omit<CoreTypeCosts, 'gpio' | 'cache' | 'zephyr'> {
  return { bases: Object.fromEntries(OPT_LEVELS.map((opt) => [opt, basisOf(build, opt)])), cyclesPerInstruction, rtos };
}

/** Adds each core type's GPIO, cache-hook and Zephyr sections (gpio-cycles.ts, cache-cycles.ts, zephyr-cycles.ts). */
function withSections(types: Readonly<Record<CoreTypeName, Omit<CoreTypeCosts, 'gpio' | 'cache' | 'zephyr'>>>): Readonly<Record<CoreTypeName, CoreTypeCosts>> {
  return Object.fromEntries(
    Object.entries(types).map(([type, costs]) => [type, { ...costs, gpio: GPIO_CYCLES[type as CoreTypeName], cache: CACHE_INSTRUCTIONS[type as CoreTypeName], zephyr: ZEPHYR_CYCLES[type as CoreTypeName] }]),
  ) as Record<CoreTypeName, CoreTypeCosts>;
}

// Cycles per instruction, from each core's timing facts over the instruction mix of the hot
// paths (the table's instructions are a path's own: its shared accesses and DSBs are timed
// elsewhere). One figure per core type for all -O levels (the mix is §7's -O2 one).
//
// Cortex-M4 at 1.4: most instructions take 1 cycle, a load 2 and a taken branch 1 + P
// (Cortex-M4 TRM DDI 0439 Table 3-1; stores 1, buffered); the measured mix has about one
// private load in three instructions (COSTS §2 notes: send 63 private loads in 192
// instructions) and about one taken branch in twelve: 1 + 0.33 + 0.08 ≈ 1.4.
//
// Cortex-M0+ at 1.64: ALU 1 cycle, loads "2 or 1" (2 off the single-cycle I/O port), taken
// branch 2 (COSTS §7 "Cortex-M0+ cycle facts": Cortex-M0+ TRM DDI 0484C Table 3.1; the branch
// figure as sim/hw/core-types.ts); stores and PUSH/POP words taken as the loads (Assumption:
// the retrieved TRM excerpt stops in the load rows), so every private memory operation adds
// one cycle. Mix (COSTS §7, M0+ -O2): send m→r 85/63 loads/stores in 273 instructions, of which
// 7/18 shared (vrings §5, 12 header bytes, 4 payload bytes) and 3 DSBs: 123 private in 245;
// rx remote 83/39 in 191, 17/3 shared and 2 DSBs: 102 in 169; together 225/414 = 0.54. Taken
// branches: Assumption 1 in 10 (the M4's 1 in 12, more since ARMv6-M has no IT blocks or
// CBZ): 1 + 0.54 + 0.10 = 1.64.
//
// Cortex-M33 at 1.4: Assumption. Arm's Cortex-M33 TRM publishes no instruction cycle table; the
// M33 is a 3-stage, single-issue ARMv8-M Mainline pipeline like the M4's (LLVM schedules it
// with the M4's machine model: ARMProcessors.td, cortex-m33 → CortexM4Model), and COSTS §7
// gives it the M4's instruction and memory-operation counts (within ±1): the M4's mix and timing.
//
// Cortex-M7 at 1.0: Assumption. Arm publishes no M7 cycle table. LLVM's machine model
// (ARMScheduleM7.td) gives it IssueWidth 2 ("dual issue for most instructions"), LoadLatency 2
// (best-case load-use) and a 4-cycle mispredict penalty. On this branchy, pointer-chasing code
// we take half the instructions as pairing (0.75 cycles each on average), one in six (half of
// the one-in-three loads) stalling one cycle on a load-use dependency (+0.17), and one taken
// branch in twelve mispredicted one time in four at 4 cycles (+0.08): 0.75 + 0.17 + 0.08 = 1.0.
export const CORE_TYPE_COSTS: Readonly<Record<CoreTypeName, CoreTypeCosts>> = withSections({
  'cortex-m4': on('cortex-m4', cpi(1.4, 'Cortex-M4 TRM DDI 0439 Table 3-1 timings over the instruction mix of COSTS §2 (see firmware/costs/registry.ts)'), FREERTOS_CYCLES['cortex-m4']),
  'cortex-m33': on(
    'cortex-m33',
    cpi(1.4, 'Assumption: as the Cortex-M4 (3-stage single-issue pipeline, scheduled by LLVM with the M4 model; COSTS §7: the M4\'s instruction and memory-operation counts); Arm publishes no M33 cycle table'),
    FREERTOS_CYCLES['cortex-m33'],
  ),
  'cortex-m7': on(
    'cortex-m7',
    cpi(1.0, 'Assumption: 0.75 (dual issue of half the instructions) + 0.17 (load-use stalls, LoadLatency 2) + 0.08 (mispredicted taken branches, penalty 4), after LLVM ARMScheduleM7.td; Arm publishes no M7 cycle table (see firmware/costs/registry.ts)'),
    FREERTOS_CYCLES['cortex-m7'],
  ),
  'cortex-m0+': on(
    'cortex-m0plus',
    cpi(1.64, 'Cortex-M0+ TRM DDI 0484C Table 3.1 (ALU 1, load 2, taken branch 2; stores and stack words as loads: Assumption) over the M0+ -O2 mix of COSTS §7: 1 + 0.54 memory operations + 0.10 taken branches per instruction (see firmware/costs/registry.ts)'),
    FREERTOS_CYCLES['cortex-m0+'],
  ),
  // No rpmsg-lite build was measured for the A53 (an AArch64 core): it runs the Cortex-M4
  // build's counts, AArch64 needing ~20 % more instructions (COSTS §2: M4/x86-64 lib-only
  // ≈ 0.82) at an assumed 0.65 cycles each (dual-issue in-order, L1 hits): 1.2 × 0.65 ≈ 0.78.
  'cortex-a53': on(
    'cortex-m4',
    cpi(0.78, 'Assumption: no measured A53 build, the M4 build\'s counts × 1.2 (AArch64 needs ~20 % more instructions, COSTS §2 M4/x86-64 ≈ 0.82) × 0.65 cycles (dual-issue in-order, L1 hits) ≈ 0.78'),
    FREERTOS_CYCLES['cortex-a53'],
  ),
});

export const COST_REGISTRY: CostRegistry = { instructionTables: BUILD_TABLES, coreTypes: CORE_TYPE_COSTS, libcs: LIBC_MODELS, defaults: SDK_DEFAULTS };

/** The cost table of a core of `coreType` from the registry above (see buildCoreCosts). */
export function coreCosts(coreType: CoreTypeName, options: CoreCostsOptions = {}): CoreCosts {
  return buildCoreCosts(COST_REGISTRY, coreType, options);
}
