// Cycles of the firmware's own instructions when it raises or lowers a measuring pin, per
// core type: the SDK's inline GPIO_PortSet / GPIO_PortClear (the boards' LED macros use them:
// evkmimxrt1170 board.h USER_LED_ON/OFF, lpcxpresso55s69 board.h LED_*_ON/OFF), inlined at the
// call site with a constant base and mask. The register accesses themselves are bus accesses,
// timed by the bus model, and not counted here.
//
//   setClear           i.MX RT DR_SET/DR_CLEAR, LPC SET[port]/CLR[port]: one store of the mask.
//   readModifyWrite    i.MX 8M (no set/clear registers): DR |= mask / DR &= ~mask, a load and a store.
//
// Counted (a measurement): arm-none-eabi-gcc 12.2.1 (Debian 15:12.2.rel1-1) -O2 -mthumb
// -S of `void f(void) { GPIO_PortSet(GPIO9, 1u << 3); }` and the like, with each layout's
// GPIO_Type and the drivers' inline bodies (mcux-sdk drivers/igpio/fsl_gpio.h,
// drivers/lpc_gpio/fsl_gpio.h), per -mcpu:
//   cortex-m4, -m7, -m33, set/clear: ldr (base from the literal pool), movs (mask), [str]
//   cortex-m4, -m7, -m33, read-modify-write: ldr (base), [ldr DR], orr/bic, [str]
//   cortex-m0plus, set/clear: movs (offset), movs (mask), ldr (base), [str reg-offset]
//   cortex-m0plus, read-modify-write: movs, ldr (base), lsls (mask), [ldr], orrs, [str]  (set; clear: ldr ×2, ands)
// Bracketed instructions are the bus accesses. Cycles from the cores' instruction timings.

import type { CoreTypeName } from '../../sim/hw/core-types';
import type { CostSection, GpioCostName } from './table';

const COUNTED = 'arm-none-eabi-gcc 12.2.1 -O2 -mthumb -S of the inline GPIO_PortSet/GPIO_PortClear (see firmware/costs/gpio-cycles.ts)';
const M4_TIMING = 'Cortex-M4 TRM DDI 0439 Table 3-1: LDR 2 cycles, MOV/ORR/BIC 1';

const ARMV7M: CostSection<GpioCostName> = {
  setClear: { value: 3, unit: 'cycles', source: `${COUNTED}: ldr (literal) + movs besides the store; ${M4_TIMING}` },
  readModifyWrite: { value: 3, unit: 'cycles', source: `${COUNTED}: ldr (literal) + orr/bic besides the load and the store; ${M4_TIMING}` },
};

export const GPIO_CYCLES: Readonly<Record<CoreTypeName, CostSection<GpioCostName>>> = {
  'cortex-m4': ARMV7M,
  'cortex-m33': {
    setClear: { value: 3, unit: 'cycles', source: `${COUNTED} (-mcpu=cortex-m33): movs + ldr (literal) besides the store; Assumption: the M4's timings (LDR 2, MOVS 1)` },
    readModifyWrite: { value: 3, unit: 'cycles', source: `${COUNTED} (-mcpu=cortex-m33): ldr (literal) + orr/bic; Assumption: the M4's timings` },
  },
  'cortex-m7': {
    setClear: {
      value: 2,
      unit: 'cycles',
      source: `${COUNTED} (-mcpu=cortex-m7): ldr (literal) + movs besides the store; Assumption: 2 cycles, the dual-issue M7 pairing the movs with the load (no published cycle table)`,
    },
    readModifyWrite: { value: 3, unit: 'cycles', source: `${COUNTED} (-mcpu=cortex-m7): ldr (literal) + orr/bic, the orr waiting for the DR load; Assumption: 3 cycles` },
  },
  'cortex-m0+': {
    setClear: { value: 4, unit: 'cycles', source: `${COUNTED} (-mcpu=cortex-m0plus): movs + movs + ldr (literal) besides the store; Cortex-M0+ TRM DDI 0484: LDR 2 cycles, MOVS 1` },
    readModifyWrite: { value: 5, unit: 'cycles', source: `${COUNTED} (-mcpu=cortex-m0plus): movs + ldr (literal) + lsls + orrs besides the load and store; Cortex-M0+ TRM DDI 0484: LDR 2 cycles, others 1` },
  },
  'cortex-a53': {
    setClear: {
      value: 2,
      unit: 'cycles',
      source: 'Assumption: two instructions (base and mask into registers) besides the store, as the Thumb-2 builds, at 1 cycle each on the in-order dual-issue A53; not measured',
    },
    readModifyWrite: { value: 2, unit: 'cycles', source: 'Assumption: base into a register and orr/bic besides the load and store, at 1 cycle each; not measured' },
  },
};
