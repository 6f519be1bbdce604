// The RTOS model, split as FreeRTOS is: tasks.c (tasks.ts: scheduler, task lists, delays,
// tick), queue.c with semphr.h (queue.ts), event_groups.c (event-groups.ts), list.c
// (list.ts), FreeRTOSConfig.h (config.ts); Zephyr's kernel objects on the same scheduler in
// zephyr-kernel.ts. Its costs are the `rtos.*` entries of the core's
// cost table (firmware/costs).
export { IDLE_PRIORITY, RTOS_DEFAULTS, type RtosConfig, WAIT_FOREVER } from './config';
export { RtosEventGroup } from './event-groups';
export { RtosQueue, RtosSemaphore } from './queue';
export { type BlockedTask, Rtos, type RtosStats, RtosTask, type TaskState } from './tasks';
export {
  EAGAIN,
  EBUSY,
  ENOMSG,
  K_FOREVER,
  K_MSEC,
  K_NO_WAIT,
  MSG_BYTES,
  ZEPHYR_MAIN_PRIORITY,
  ZEPHYR_PREEMPT_PRIORITIES,
  ZEPHYR_TICK_HZ,
  ZephyrEvent,
  ZephyrKernel,
  ZephyrMsgq,
  ZephyrSem,
  type ZTimeout,
} from './zephyr-kernel';
