// The RTOS's configuration (FreeRTOSConfig.h) and its constants (portmacro.h).

import type { CoreCosts, CostPath } from '../costs/table';

/** portMAX_DELAY with 32-bit ticks: as a timeout, wait forever (INCLUDE_vTaskSuspend = 1). */
export const WAIT_FOREVER = 0xffffffff;

/** tskIDLE_PRIORITY. */
export const IDLE_PRIORITY = 0;

export interface RtosConfig {
  /** configTICK_RATE_HZ; default 1000. */
  tickRateHz?: number;
  /** configMAX_PRIORITIES; default 5. */
  maxPriorities?: number;
  /** configTIMER_TASK_PRIORITY; default maxPriorities - 1. */
  timerTaskPriority?: number;
  /** configTIMER_QUEUE_LENGTH; default 10. */
  timerQueueLength?: number;
  /** NVIC priority of the tick and PendSV lines (configKERNEL_INTERRUPT_PRIORITY); default the lowest. */
  kernelInterruptPriority?: number;
  /** configUSE_TIME_SLICING; default true. */
  timeSlicing?: boolean;
  /** Stop the tick while idle with no timeout pending; default true. */
  tickless?: boolean;
  /** The cost table of the core (its `rtos.*` entries): the one rpmsg-lite and the port of that core charge. */
  costs: CoreCosts;
  /** Which entries the scheduler charges; default the `rtos.*` ones (another kernel on this scheduler names its own). */
  kernelCosts?: KernelCostPaths;
  /** Create the timer service task (FreeRTOS's; default true). */
  timerService?: boolean;
  /**
   * How a thread-level switch reaches the PendSV: true (default) with a `dsb` after the pend,
   * as portYIELD does; false with no barrier (the kernel's own unmasking, in its charged
   * cost, lets the PendSV in at the next operation boundary).
   */
  yieldBarrier?: boolean;
  /** SysTick priority (SHPR3 PRI_15); default the kernel interrupt priority. */
  tickInterruptPriority?: number;
}

/** The cost entries the scheduler charges. */
export interface KernelCostPaths {
  contextSwitch: CostPath;
  tickHandler: CostPath;
  tickPerUnblock: CostPath;
  schedulerStart: CostPath;
}

export const FREERTOS_KERNEL_COSTS: KernelCostPaths = {
  contextSwitch: 'rtos.contextSwitch',
  tickHandler: 'rtos.tickHandler',
  tickPerUnblock: 'rtos.tickPerUnblock',
  schedulerStart: 'rtos.schedulerStart',
};

/**
 * Defaults as in the FreeRTOSConfig.h files of typical Cortex-M FreeRTOS demos (read in the
 * code corpus): configTICK_RATE_HZ 1000, configMAX_PRIORITIES 5, configTIMER_TASK_PRIORITY
 * (configMAX_PRIORITIES - 1), configTIMER_QUEUE_LENGTH 10, configUSE_TIME_SLICING 1,
 * configKERNEL_INTERRUPT_PRIORITY the lowest. A platform's own config may differ: pass it.
 */
export const RTOS_DEFAULTS = { tickRateHz: 1000, maxPriorities: 5, timerQueueLength: 10 } as const;
