// Cycles of the Zephyr paths the Zephyr environment charges (firmware/rtos/zephyr-kernel.ts,
// firmware/env/rpmsg-env-zephyr.ts, platforms/common/zephyr-ipm-port.ts), per core type.
// Exception entry/exit, bus accesses to the mailbox and barriers the firmware executes are
// timed by the simulator, not here; memcpy of a k_msgq message is charged as libc's.
//
// How they were counted (a disassembly measurement): tools/measure/zephyr-paths.c is a reduced
// compilation of each path (the same steps and data structures as the Zephyr functions named
// below, with the rpmsg-lite samples' configuration: no userspace, tracing, CONFIG_POLL or SMP;
// CONFIG_SCHED_SIMPLE), built with arm-none-eabi-gcc 12.2.1 -mthumb -Os (Zephyr's default
// CONFIG_SIZE_OPTIMIZATIONS) for -mcpu=cortex-m0plus / cortex-m4 / cortex-m7 / cortex-m33, and
// run under qemu-arm 7.2 with every executed instruction logged (tools/measure/zephyr-paths.py):
// the counts are executed instructions of the path, and the cycles weigh each with the core's
// instruction timing (Cortex-M0+ TRM DDI 0484C; Cortex-M4 TRM DDI 0439B Table 3-1 with a
// pipeline refill P = 1; the M7 and M33 take the M4 timings: an Assumption, neither TRM has a
// timing table, and the dual-issue M7 would be faster). The PendSV handler z_arm_pendsv is
// assembly (arch/arm/core/cortex_m/swap_helper.S): counted by hand from the source, without
// FPU sharing, TLS, MPU stack guard or userspace, with the same timings. The Cortex-A53 row
// is an Assumption: the Cortex-M4 figures (Zephyr's AArch64 port is different code; none of
// the simulated platforms runs Zephyr on an A53).
//
// Entries (cycles; "insn" in the sources is the executed instruction count):
//   semTake        k_sem_take, count > 0 (spinlock = irq_lock/unlock, decrement)
//   semTakeBlock   k_sem_take, count 0: z_pend_curr (unready, pend, timeout) up to arch_swap's PENDSVSET and unlock
//   semGive        k_sem_give, no waiter (z_sched_wake finds none; count up to the limit)
//   semGiveWake    k_sem_give waking a thread from a thread: z_sched_wake (unpend, abort timeout, ready), z_reschedule, arch_swap
//   msgqPut        k_msgq_put with room and no receiver (memcpy apart)
//   msgqPutWake    k_msgq_put handing the message to a waiting receiver (from an ISR: no swap)
//   msgqGet        k_msgq_get with a message there, no sender waiting
//   msgqGetWake    k_msgq_get that also takes a waiting sender's message (Assumption: as msgqPutWake)
//   msgqGetBlock   k_msgq_get on an empty queue: the pend up to the swap (also a blocking put)
//   eventPost      k_event_post with no waiter
//   eventPostWake  k_event_post waking one waiter (from an ISR)
//   eventWait      k_event_wait_all with the bits already set
//   eventWaitBlock k_event_wait_all that pends
//   sleep          k_sleep → z_tick_sleep: unready, add the timeout, swap
//   tick           sys_clock_isr + sys_clock_announce with nothing expiring, time-slice check, z_arm_int_exit
//   tickPerUnblock a timeout that expires: z_thread_timeout (unpend, ready)
//   isrWrapper     _isr_wrapper (IPSR, _sw_isr_table look-up, the call) + z_arm_int_exit
//   contextSwitch  z_arm_pendsv (swap_helper.S): save r4-r11/PSP, take ready_q.cache, restore
//   kernelStart    z_cstart to the main thread
//   objectInit     k_sem_init / k_msgq_init / k_event_init
//   envWrapper     env_lock_mutex / env_unlock_mutex around the k_sem call (k_is_in_isr, the call)
//   platformNotify rpmsg_platform_zephyr_ipm.c platform_notify without its lock, unlock and driver send
//   ipmMcuxSend    ipm_send → ipm_mcux.c mcux_mailbox_ipm_send (irq_lock, memcpy, unlock), its IRQSET write apart
//   ipmMcuxIsr     ipm_mcux.c mcux_mailbox_isr + platform_ipm_callback, its two register accesses and dsb apart
//   ipmImxSend     ipm_send → ipm_imx.c imx_mu_ipm_send (4 data registers: TEn check, TRn write), the 8 accesses apart
//   ipmImxIsr      ipm_imx.c imx_mu_isr + platform_ipm_callback, its 10 register accesses and dsb apart
//   ipmSetEnabled  ipm_set_enabled through the API table (the driver's register accesses apart)

import type { CoreTypeName } from '../../sim/hw/core-types';
import type { CostEntry, CostSection, ZephyrCostName } from './table';

const HOW = 'tools/measure/zephyr-paths.py: arm-none-eabi-gcc 12.2 -Os, qemu-arm executed instructions';
const TIMING: Record<'m0' | 'm4' | 'm4like', string> = {
  m0: 'Cortex-M0+ TRM DDI 0484C timings',
  m4: 'Cortex-M4 TRM DDI 0439B Table 3-1 timings, P = 1',
  m4like: 'Cortex-M4 TRM timings (Assumption: no timing table for this core)',
};

type Column = 'cortex-m0+' | 'cortex-m4' | 'cortex-m7' | 'cortex-m33';
const COLUMNS: readonly Column[] = ['cortex-m0+', 'cortex-m4', 'cortex-m7', 'cortex-m33'];

/** A measured row: [instructions, cycles] per column, and what was measured. */
interface Measured {
  readonly what: string;
  readonly values: readonly (readonly [number, number])[];
}

const MEASURED: Readonly<Partial<Record<ZephyrCostName, Measured>>> = {
  semTake: { what: 'kernel/sem.c z_impl_k_sem_take, count > 0', values: [[16, 28], [14, 19], [14, 19], [14, 19]] },
  semTakeBlock: { what: 'k_sem_take → z_pend_curr (pend_locked, add_to_waitq, update_cache) → arch_swap', values: [[81, 158], [70, 128], [70, 128], [70, 128]] },
  semGive: { what: 'z_impl_k_sem_give with z_sched_wake finding no waiter', values: [[37, 78], [33, 66], [33, 66], [33, 66]] },
  semGiveWake: { what: 'z_impl_k_sem_give → z_sched_wake (unpend, z_abort_timeout, ready_thread) → z_reschedule → arch_swap', values: [[139, 260], [117, 208], [117, 208], [117, 208]] },
  msgqPut: { what: 'kernel/msg_q.c put_msg_in_queue into the ring, no receiver (memcpy excluded)', values: [[41, 86], [37, 71], [37, 71], [37, 71]] },
  msgqPutWake: { what: 'put_msg_in_queue to a waiting receiver (z_unpend_first_thread, z_sched_ready), in an ISR (memcpy excluded)', values: [[121, 233], [101, 182], [101, 182], [101, 182]] },
  msgqGet: { what: 'z_impl_k_msgq_get of a queued message, no sender waiting (memcpy excluded)', values: [[37, 73], [39, 70], [39, 70], [39, 70]] },
  msgqGetBlock: { what: 'z_impl_k_msgq_get on an empty queue → z_pend_curr → arch_swap', values: [[84, 170], [77, 149], [77, 149], [77, 149]] },
  eventPost: { what: 'kernel/events.c k_event_post_internal, no waiter', values: [[22, 51], [18, 36], [18, 36], [18, 36]] },
  eventPostWake: { what: 'k_event_post_internal waking one waiter (unpend, z_abort_timeout, ready), in an ISR', values: [[119, 222], [100, 175], [100, 175], [100, 175]] },
  eventWait: { what: 'k_event_wait_internal (wait all) with the bits set', values: [[19, 35], [17, 30], [17, 30], [17, 30]] },
  eventWaitBlock: { what: 'k_event_wait_internal that pends → z_pend_curr → arch_swap', values: [[94, 180], [85, 158], [85, 158], [85, 158]] },
  sleep: { what: 'kernel/sched.c z_tick_sleep: unready, z_add_timeout, arch_swap', values: [[77, 152], [69, 132], [69, 132], [69, 132]] },
  tick: {
    what: 'drivers/timer/cortex_m_systick.c sys_clock_isr reduced to the COUNTFLAG read and sys_clock_announce(1) (kernel/timeout.c) with nothing expiring, z_time_slice rotating two threads, z_arm_int_exit; the driver\'s cycle bookkeeping for tickless mode is left out',
    values: [[82, 161], [73, 134], [73, 134], [73, 134]],
  },
  tickPerUnblock: { what: 'kernel/sched.c z_thread_timeout: unpend, ready_thread', values: [[30, 56], [26, 47], [26, 47], [26, 47]] },
  isrWrapper: { what: 'arch/arm/core/cortex_m/isr_wrapper.c _isr_wrapper + exc_exit.c z_arm_int_exit (no switch due)', values: [[17, 34], [17, 30], [15, 28], [17, 30]] },
  envWrapper: { what: 'rpmsg_env_zephyr.c env_lock_mutex minus its k_sem_take (k_is_in_isr, the call)', values: [[8, 16], [4, 5], [4, 5], [4, 5]] },
  platformNotify: {
    what: 'rpmsg_platform_zephyr_ipm.c platform_notify (link switch, data word, ipm_send through the API table) minus env_lock_mutex, env_unlock_mutex and the driver send',
    values: [[23, 55], [24, 49], [24, 49], [24, 49]],
  },
  ipmMcuxSend: { what: 'drivers/ipm/ipm_mcux.c mcux_mailbox_ipm_send (checks, irq_lock, memcpy of 4 bytes, irq_unlock), the IRQSET store apart', values: [[24, 52], [23, 42], [23, 42], [23, 42]] },
  ipmMcuxIsr: { what: 'drivers/ipm/ipm_mcux.c mcux_mailbox_isr + platform_ipm_callback (two bit tests, the env_isr call), the IRQ read, IRQCLR write and the M4 dsb apart (the measurement build also put a dsb on the M7, taken out: ipm_mcux.c has it for __CORTEX_M == 4 only)', values: [[25, 54], [24, 47], [24, 47], [24, 47]] },
  ipmImxSend: { what: 'drivers/ipm/ipm_imx.c imx_mu_ipm_send, 16-byte messages (4 registers), the SR reads and TR writes apart', values: [[64, 92], [51, 80], [51, 80], [51, 80]] },
  ipmImxIsr: { what: 'drivers/ipm/ipm_imx.c imx_mu_isr + platform_ipm_callback, the SR read/write-back, 4 RFn checks, 4 RR reads and the dsb apart', values: [[38, 73], [38, 66], [38, 66], [38, 66]] },
};

function measured(name: ZephyrCostName, column: number): CostEntry {
  const row = MEASURED[name]!;
  const [insn, cycles] = row.values[column]!;
  const timing = column === 0 ? TIMING.m0 : column === 1 ? TIMING.m4 : TIMING.m4like;
  return { value: cycles, unit: 'cycles', source: `${row.what}: ${insn} insn, ${timing} (${HOW})` };
}

function section(column: number): CostSection<ZephyrCostName> {
  const m0 = column === 0;
  const entries: Partial<Record<ZephyrCostName, CostEntry>> = {};
  for (const name of Object.keys(MEASURED) as ZephyrCostName[]) entries[name] = measured(name, column);
  const msgqPutWake = entries.msgqPutWake!;
  return {
    ...(entries as Record<Exclude<ZephyrCostName, 'msgqGetWake' | 'contextSwitch' | 'kernelStart' | 'objectInit' | 'ipmSetEnabled'>, CostEntry>),
    msgqGetWake: { ...msgqPutWake, source: `Assumption: the same steps as msgqPutWake (unpend the first waiter, copy, ready it): ${msgqPutWake.source}` },
    contextSwitch: m0
      ? { value: 71, unit: 'cycles', source: `arch/arm/core/cortex_m/swap_helper.S z_arm_pendsv, Armv6-M path (stmea/mov pairs for r8-r11, cpsid/cpsie): 37 insn counted from the source, ${TIMING.m0}` }
      : { value: 52, unit: 'cycles', source: `arch/arm/core/cortex_m/swap_helper.S z_arm_pendsv, Armv7-M/Armv8-M mainline path (stmia/ldmia of r4-r11 and PSP, BASEPRI_MAX, isb): 22 insn counted from the source, ${column === 1 ? TIMING.m4 : TIMING.m4like}` },
    kernelStart: {
      value: 1200,
      unit: 'cycles',
      source: 'Assumption: z_cstart up to the main thread (kernel init, the idle and main threads created, the first switch), taken as FreeRTOS\'s scheduler start (FreeRTOS FAQ FAQMem, ~1200 cycles on a Cortex-M3); device init levels and the timer driver init are not included',
    },
    objectInit: {
      value: m0 ? 14 : 12,
      unit: 'cycles',
      source: 'Assumption: k_sem_init / k_event_init / k_msgq_init are a limit check and 4-8 stores (count, limit or ring pointers, the wait queue head pointing at itself): ~10 instructions, stores 2 cycles',
    },
    ipmSetEnabled: {
      value: 10,
      unit: 'cycles',
      source: 'Assumption: the ipm_set_enabled inline call through the driver API table and the driver\'s return (~6 instructions, a load and an indirect call), its register accesses timed on the bus',
    },
  };
}

const CORTEX_M0P = section(0);
const CORTEX_M4 = section(1);

export const ZEPHYR_CYCLES: Readonly<Record<CoreTypeName, CostSection<ZephyrCostName>>> = {
  'cortex-m0+': CORTEX_M0P,
  'cortex-m4': CORTEX_M4,
  'cortex-m7': section(2),
  'cortex-m33': section(3),
  'cortex-a53': Object.fromEntries(
    Object.entries(CORTEX_M4).map(([k, e]) => [k, { ...e, source: `Assumption: the Cortex-M4 figure (Zephyr's AArch64 port is other code; no simulated platform runs Zephyr on an A53): ${e.source}` }]),
  ) as CostSection<ZephyrCostName>,
};

export { COLUMNS as ZEPHYR_MEASURED_CORES };
