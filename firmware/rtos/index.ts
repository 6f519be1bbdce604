// The RTOS model, split as FreeRTOS is: tasks.c (tasks.ts: scheduler, task lists, delays,
// tick), queue.c with semphr.h (queue.ts), event_groups.c (event-groups.ts), list.c
// (list.ts), FreeRTOSConfig.h (config.ts). Its costs are the `rtos.*` entries of the core's
// cost table (firmware/costs).
export { IDLE_PRIORITY, RTOS_DEFAULTS, type RtosConfig, WAIT_FOREVER } from './config';
export { RtosEventGroup } from './event-groups';
export { RtosQueue, RtosSemaphore } from './queue';
export { type BlockedTask, Rtos, type RtosStats, RtosTask, type TaskState } from './tasks';
