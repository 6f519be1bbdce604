// Cycles of the RTOS's own code (FreeRTOS tasks.c, queue.c, event_groups.c and the port's
// PendSV and SysTick handlers), per core type. Exception entry and exit come from the core.
//
//   contextSwitch   PendSV handler body: save context, vTaskSwitchContext, restore.
//   tickHandler     SysTick handler body when it unblocks nobody.
//   tickPerUnblock  added to the tick handler per task it moves to the ready list.
//   apiCall         a semaphore, queue, event-group or delay call from a task (before any block).
//   apiCallFromIsr  a FromISR call.
//   objectCreate    creating a semaphore, mutex, queue or event group.
//   schedulerStart  vTaskStartScheduler up to the first task (idle task, tick start).

import type { CoreTypeName } from '../../sim/hw/core-types';
import type { CostSection, RtosCostName } from './table';

const FAQ = 'FreeRTOS FAQ "Memory Usage, Boot Times & Context Switch Times" (freertos.org FAQMem)';

const CORTEX_M: CostSection<RtosCostName> = {
  contextSwitch: {
    value: 84,
    unit: 'cycles',
    source: `${FAQ}: 84 cycles, Cortex-M3 port, Keil, optimised for speed, configUSE_PORT_OPTIMISED_TASK_SELECTION 1, interrupt entry excluded [P]; the same Thumb-2 PendSV handler and C code run on the M4/M7/M33, no FPU context saved (Assumption)`,
  },
  tickHandler: {
    value: 40,
    unit: 'cycles',
    source:
      'Assumption: about 40 instructions at ~1 CPI, counted on the FreeRTOS-Kernel ARM_CM4F port.c/tasks.c paths: xPortSysTickHandler (BASEPRI raise with dsb/isb, the call, PENDSVSET store, BASEPRI clear: ~10) and xTaskIncrementTick with nothing to unblock (~30: tick count, next-unblock-time compare, time-slice list length)',
  },
  tickPerUnblock: {
    value: 30,
    unit: 'cycles',
    source: 'Assumption: per task the tick unblocks, two list removals (delayed list, event list) and one ready-list insertion, ~10 instructions each (FreeRTOS list.c)',
  },
  apiCall: {
    value: 60,
    unit: 'cycles',
    source:
      'Assumption: about 60 instructions at ~1 CPI for a call that does not block (xQueueSemaphoreTake, xQueueGenericSend, xEventGroupWaitBits/SetBits, vTaskDelay): critical section enter/exit (BASEPRI with dsb/isb, nesting count), state checks, one-word copy (read from FreeRTOS-Kernel queue.c, event_groups.c)',
  },
  apiCallFromIsr: {
    value: 40,
    unit: 'cycles',
    source: 'Assumption: the FromISR paths skip the critical nesting count and the timeout set-up: about 40 instructions (FreeRTOS-Kernel queue.c xQueueGenericSendFromISR, xQueueGiveFromISR)',
  },
  objectCreate: {
    value: 500,
    unit: 'cycles',
    source: `${FAQ}: creating a queue, semaphore or mutex takes approximately 500 cycles on a Cortex-M3, ARM RVDS -O1 [P]`,
  },
  schedulerStart: {
    value: 1200,
    unit: 'cycles',
    source: `${FAQ}: starting the scheduler (idle task, tick set-up, first task restored) takes approximately 1200 cycles on a Cortex-M3, ARM RVDS -O1 [P]`,
  },
};

export const FREERTOS_CYCLES: Readonly<Record<CoreTypeName, CostSection<RtosCostName>>> = {
  'cortex-m0+': {
    ...CORTEX_M,
    contextSwitch: {
      value: 104,
      unit: 'cycles',
      source: `Assumption: the ${FAQ} 84 cycles (M3) plus about 20: the ARMv6-M port (ARM_CM0) must move r8-r11 through low registers to save and restore them, and ARMv6-M has no CLZ for the optimised task selection`,
    },
  },
  'cortex-m4': CORTEX_M,
  'cortex-m7': CORTEX_M,
  'cortex-m33': CORTEX_M,
  'cortex-a53': {
    ...CORTEX_M,
    contextSwitch: {
      value: 150,
      unit: 'cycles',
      source:
        'Assumption: FreeRTOS ARM_CA53_64_BIT portASM.S saves and restores x0-x30 (~16 STP/LDP each way), SPSR/ELR and the critical nesting count (~40 instructions each way), plus vTaskSwitchContext (~40): ~120 instructions, ~150 cycles on the in-order A53 with the stack in cache; no FPU context',
    },
    tickHandler: {
      value: 60,
      unit: 'cycles',
      source: 'Assumption: the Cortex-M tick path (~40 instructions) plus reloading the generic timer compare value (~20); GIC acknowledge/EOI are in the core\'s irqEntry/irqExit',
    },
  },
};
