// The cost tables the simulator knows: instruction tables by basis, and per core type the
// cycles per instruction of each basis it runs and the RTOS's cycles. Adding a table for
// another ISA or compiler option (Cortex-M0+ at -Os, the M7 at -O3, another libc) is one
// entry in INSTRUCTION_TABLES and one cycles-per-instruction entry for each core type that
// runs it (and `defaultBasis` if it becomes the default): data, no code.

import type { CoreTypeName } from '../../sim/hw/core-types';
import { CORTEX_M4_GCC12_O2 } from './cortex-m4-gcc12-o2';
import { FREERTOS_CYCLES } from './freertos-cycles';
import { ZEPHYR_CYCLES } from './zephyr-cycles';
import { type CoreCosts, type CoreCostsOptions, type CoreTypeCosts, type CostEntry, type CostRegistry, type InstructionTable, buildCoreCosts } from './table';

/** The basis every core type runs today: rpmsg-lite measured on the Cortex-M4 build. */
export const M4_BASIS = 'cortex-m4/gcc-12.2-O2/newlib-3.3';

export const INSTRUCTION_TABLES: Readonly<Record<string, InstructionTable>> = {
  [M4_BASIS]: CORTEX_M4_GCC12_O2,
};

// Cycles per M4 instruction. The Cortex-M4 itself at 1.4: most instructions take 1 cycle, a
// load 2 and a taken branch 1 + P (Cortex-M4 TRM DDI 0439 Table 3-1); the measured mix of the
// hot paths has about one private load in three instructions (COSTS §2 notes: send 63 private
// loads in 192 instructions) and about one taken branch in twelve: 1 + 0.33 + 0.08 ≈ 1.4.
// Other core types scale by Arm's published Dhrystone figures (DMIPS/MHz: Cortex-M0+ 0.95, M4
// 1.25, M33 1.5, M7 2.14, A53 2.3; Arm product pages): the same work takes M4-cycles × 1.25 /
// DMIPS-per-MHz. An approximation, stated as such: Dhrystone is not rpmsg-lite, and the A53
// runs AArch64 code whose instruction count differs (COSTS §2 x86/M4 ratio ≈ 0.82 suggests a
// 64-bit ISA needs ~20 % more instructions; not applied).
const M4_CPI = 1.4;
const cpi = (value: number, source: string): CostEntry => ({ value, unit: 'cycles/instruction', source });

function onM4Basis(cyclesPerInstruction: CostEntry, rtos: CoreTypeCosts['rtos'], zephyr: CoreTypeCosts['zephyr']): CoreTypeCosts {
  return { defaultBasis: M4_BASIS, cyclesPerInstruction: { [M4_BASIS]: cyclesPerInstruction }, rtos, zephyr };
}

export const CORE_TYPE_COSTS: Readonly<Record<CoreTypeName, CoreTypeCosts>> = {
  'cortex-m4': onM4Basis(
    cpi(M4_CPI, 'Cortex-M4 TRM DDI 0439 Table 3-1 timings over the instruction mix of COSTS §2 (see firmware/costs/registry.ts)'),
    FREERTOS_CYCLES['cortex-m4'],
    ZEPHYR_CYCLES['cortex-m4'],
  ),
  'cortex-m33': onM4Basis(
    cpi((M4_CPI * 1.25) / 1.5, 'M4 figure × 1.25/1.5 DMIPS/MHz (Arm Cortex-M33 product page: 1.5 DMIPS/MHz)'),
    FREERTOS_CYCLES['cortex-m33'],
    ZEPHYR_CYCLES['cortex-m33'],
  ),
  'cortex-m7': onM4Basis(
    cpi((M4_CPI * 1.25) / 2.14, 'M4 figure × 1.25/2.14 DMIPS/MHz (Arm Cortex-M7 product page: 2.14 DMIPS/MHz)'),
    FREERTOS_CYCLES['cortex-m7'],
    ZEPHYR_CYCLES['cortex-m7'],
  ),
  'cortex-m0+': onM4Basis(
    cpi((M4_CPI * 1.25) / 0.95, 'M4 figure × 1.25/0.95 DMIPS/MHz (Arm Cortex-M0+ product page: 0.95 DMIPS/MHz)'),
    FREERTOS_CYCLES['cortex-m0+'],
    ZEPHYR_CYCLES['cortex-m0+'],
  ),
  'cortex-a53': onM4Basis(
    cpi((M4_CPI * 1.25) / 2.3, 'M4 figure × 1.25/2.3 DMIPS/MHz (Arm Cortex-A53 product page: 2.3 DMIPS/MHz)'),
    FREERTOS_CYCLES['cortex-a53'],
    ZEPHYR_CYCLES['cortex-a53'],
  ),
};

export const COST_REGISTRY: CostRegistry = { instructionTables: INSTRUCTION_TABLES, coreTypes: CORE_TYPE_COSTS };

/** The cost table of a core of `coreType` from the registry above (see buildCoreCosts). */
export function coreCosts(coreType: CoreTypeName, options: CoreCostsOptions = {}): CoreCosts {
  return buildCoreCosts(COST_REGISTRY, coreType, options);
}
