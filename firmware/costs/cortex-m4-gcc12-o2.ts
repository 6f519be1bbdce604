// Instruction counts of rpmsg-lite, its Cortex-M ports, the bare-metal environment and the
// libc routines, as built for the Cortex-M4 (Thumb-2, ARMv7E-M) with arm-none-eabi-gcc 12.2
// -O2 and newlib 3.3.
//
// Basis: the executed instruction counts of the real library (v5.4.0, run under QEMU; the
// shared COSTS notes §2 "M4 lib-only" column and §3 for memcpy). From each count we subtract
// the instructions the model times separately: the shared-memory loads and stores (§5: the
// bus model times them) and the `dsb` barriers (§2 notes: the core times them). What is left
// is private computation. Other core types run these counts through their own cycles per
// instruction of this basis (registry.ts) until a table of their own ISA is added.

import type { CostEntry, InstructionTable } from './table';

const instructions = (value: number, source: string): CostEntry => ({ value, unit: 'instructions', source });

export const CORTEX_M4_GCC12_O2: InstructionTable = {
  basis: 'Cortex-M4 Thumb-2, arm-none-eabi-gcc 12.2.1 -O2 -mcpu=cortex-m4 -mthumb, newlib 3.3 (executed counts under qemu-arm 7.2, COSTS §2-§3)',
  rl: {
    sendMaster: instructions(149, 'rpmsg_lite_send master→remote: 166 lib-only − 14 shared accesses (7 L / 7 S, COSTS §5) − 3 dsb'),
    sendRemote: instructions(143, 'rpmsg_lite_send remote→master: 161 − 15 (7 L / 8 S) − 3 dsb'),
    rxRemoteRelease: instructions(130, 'rx on the remote, callback releases: 145 − 13 (10 L / 3 S) − 2 dsb; per message'),
    rxMasterRelease: instructions(137, 'rx on the master, callback releases: 151 − 12 (10 L / 2 S) − 2 dsb'),
    rxRemoteHold: instructions(108, 'rx on the remote, callback holds: 118 − 9 (8 L / 1 S) − 1 dsb'),
    rxMasterHold: instructions(107, 'rx on the master, callback holds: 117 − 9 − 1 dsb'),
    allocTxBuffer: instructions(73, 'rpmsg_lite_alloc_tx_buffer (either side): 79 − 5 (4 L / 1 S) − 1 dsb'),
    sendNocopyMaster: instructions(89, 'rpmsg_lite_send_nocopy master→remote: 104 − 13 (6 L / 7 S) − 2 dsb'),
    sendNocopyRemote: instructions(83, 'rpmsg_lite_send_nocopy remote→master: 99 − 14 (6 L / 8 S) − 2 dsb'),
    releaseRemote: instructions(44, 'rpmsg_lite_release_rx_buffer remote: 53 − 8 (5 L / 3 S) − 1 dsb'),
    releaseMaster: instructions(52, 'rpmsg_lite_release_rx_buffer master: 60 − 7 (5 L / 2 S) − 1 dsb'),
    txCallback: instructions(17, 'link-up kick delivered to the remote (tx_callback path): 17, no shared access'),
    masterInit: instructions(
      709 - 5 + (1377 - 512) + 252 + 192,
      'rpmsg_lite_master_init: 709 lib-only − 5 dsb + libc (memset 1377 − its 512 word stores into shared memory, which the bus times; strncpy 252; malloc 192) = 2013',
    ),
    remoteInit: instructions(1125, 'rpmsg_lite_remote_init: 263 lib-only + libc (1125 − 263 = 862: malloc, strncpy of vq names, memset of the instance)'),
    createEpt: instructions(216, 'rpmsg_lite_create_ept with an empty list: 51 lib-only + 165 libc (2 mallocs + memset)'),
    endpointListNode: instructions(6, 'each endpoint probed or walked past: +6 instructions per list node (COSTS §2 notes)'),
    destroyEpt: instructions(51, "Assumption: rpmsg_lite_destroy_ept as create_ept's list walk and a free (no published count): 51"),
    nsBind: instructions(367 - 216, 'rpmsg_ns_bind: 82 lib-only + libc (367 − 82) = 367, of which create_ept 216 is charged by create_ept'),
    nsAnnounce: instructions(
      364 - 192,
      'rpmsg_ns_announce before its send: 364 − 192 (the send it makes, charged by send) − 10 (the 40-byte message stores into a private buffer are private)',
    ),
    nsRxCallback: instructions(163 - 137 - 2, 'rx of an NS message on the master, the ns callback and the app callback: 163 − 137 (the rx path, charged by rx) − 2 (addr/flags loads)'),
    deinit: instructions(263, "Assumption: rpmsg_lite_deinit has no published count; taken as remote_init's lib-only part (263)"),
    isLinkUp: instructions(4, 'is_link_up: a load and a compare'),
  },
  // Our reading of the C ports (the COSTS notes measured a fake platform only); the mailbox
  // register accesses are excluded (the bus times them).
  port: {
    notify: instructions(14, 'Assumption: platform_notify: call, lock/unlock calls (no-ops on bare metal), the mailbox driver call: 14'),
    isr: instructions(12, "Assumption: the IRQ handler's entry, status decode and return (without env_isr): 12"),
    envIsr: instructions(10, 'env_isr (6) + virtqueue_notification (4), COSTS §4 static counts, per vq dispatched'),
    interruptToggle: instructions(10, 'Assumption: platform_interrupt_enable/disable: cpsid, counter, NVIC write, cpsie: 10 (the cps themselves are timed by the core)'),
    initInterrupt: instructions(20, 'Assumption: platform_init_interrupt: env_register_isr and first-use source enable: 20'),
  },
  env: {
    lockMutex: instructions(1, 'env_lock_mutex is a no-op on bare metal: one instruction for the call (COSTS §2: lock/unlock ×2 = 4)'),
    unlockMutex: instructions(1, 'env_unlock_mutex is a no-op on bare metal: one instruction for the call (COSTS §2: lock/unlock ×2 = 4)'),
    delayLoopIteration: {
      value: 3,
      unit: 'cycles',
      source: 'platform_time_delay of the rpmsg-lite Cortex-M ports: a NOP loop of SystemCoreClock/3/1000 iterations per ms, about 3 cycles each',
    },
  },
  libc: {
    memcpyBase: instructions(14, 'newlib memcpy-armv7m, word-aligned: 14 + 0.53·P executed instructions for P bytes (COSTS §3)'),
    memcpyPerByte: { value: 0.53, unit: 'instructions/byte', source: 'newlib memcpy-armv7m, word-aligned: 14 + 0.53·P executed instructions for P bytes (COSTS §3)' },
    memcpyUnalignedTail: instructions(10, 'newlib memcpy-armv7m: a sub-word tail costs 5–15 more instructions; 10 taken (COSTS §3)'),
  },
  code: {
    bytesPerInstruction: {
      value: 3806 / 1425,
      unit: 'bytes/instruction',
      source: 'COSTS §4: 3806 code bytes for 1425 instructions over the 74 functions of rpmsg-lite (bytes per instruction, for code without a measured size)',
    },
    // COSTS §4 static sizes (Thumb-2 M4 -O2, bytes); the vq_* and small env functions from their instruction counts × 2.67.
    functions: {
      rpmsg_lite_send: 232,
      rpmsg_lite_rx_callback: 118,
      virtqueue_get_buffer: 96,
      virtqueue_get_available_buffer: 76,
      virtqueue_add_buffer: 66,
      virtqueue_add_consumed_buffer: 56,
      virtqueue_kick: 74,
      rpmsg_lite_alloc_tx_buffer: 152,
      rpmsg_lite_send_nocopy: 132,
      rpmsg_lite_release_rx_buffer: 68,
      rpmsg_lite_master_init: 584,
      rpmsg_lite_remote_init: 328,
      rpmsg_lite_create_ept: 168,
      env_memcpy: 4,
      env_isr: 24,
      virtqueue_notification: 10,
      vq_tx_alloc_master: 24,
      vq_tx_master: 32,
      vq_rx_master: 24,
      vq_rx_free_master: 16,
      vq_tx_alloc_remote: 30,
      vq_tx_remote: 38,
      vq_rx_remote: 30,
      vq_rx_free_remote: 16,
      virtqueue_notify: 4,
      env_mb: 6,
      env_rmb: 6,
      env_wmb: 6,
      rpmsg_ns_announce: 78,
      rpmsg_ns_rx_cb: 40,
      memcpy: 308,
      memset: 162,
      strncpy: 104,
    },
  },
  // COSTS §2 notes, "all memory operations on M4 -O2, P=4", minus the shared-region accesses of §5.
  data: {
    'rl.sendMaster': { loads: 63, stores: 36, source: 'send m→r: 70/43 loads/stores − 7/7 shared' },
    'rl.sendRemote': { loads: 60, stores: 32, source: 'send r→m: 67/40 − 7/8 shared' },
    'rl.rxRemoteRelease': { loads: 57, stores: 27, source: 'rx remote: 67/30 − 10/3 shared' },
    'rl.rxMasterRelease': { loads: 62, stores: 33, source: 'rx master: 72/35 − 10/2 shared' },
    'rl.allocTxBuffer': { loads: 30, stores: 20, source: 'alloc_tx_buffer: 34/21 − 4/1 shared' },
    'rl.sendNocopyMaster': { loads: 36, stores: 19, source: 'send_nocopy: 42/26 − 6/7 shared' },
    'rl.releaseRemote': { loads: 19, stores: 10, source: 'release remote: 24/13 − 5/3 shared' },
    'rl.releaseMaster': { loads: 22, stores: 12, source: 'release master: 27/14 − 5/2 shared' },
  },
};
