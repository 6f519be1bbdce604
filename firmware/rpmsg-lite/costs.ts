// Cycle costs of rpmsg-lite's code paths, per core type.
//
// Basis: the executed instruction counts of the real library (v5.4.0, Cortex-M4 Thumb-2,
// arm-none-eabi-gcc 12.2 -O2, run under QEMU; the shared COSTS notes §2 "M4 lib-only"
// column and §3 for memcpy). From each count we subtract the instructions the model times
// separately: the shared-memory loads and stores (§5: the bus model times them) and the
// `dsb` barriers (§2 notes: the core times them). What is left is private computation,
// charged as cycles = instructions × cycles-per-M4-instruction of the core type.
//
// Cycles per M4 instruction: the Cortex-M4 itself at 1.4 — most instructions take 1 cycle,
// a load 2 and a taken branch 1 + P (Cortex-M4 TRM DDI 0439 Table 3-1); the measured mix
// of the hot paths has about one private load in three instructions (COSTS §2 notes: send
// 63 private loads in 192 instructions) and about one taken branch in twelve: 1 + 0.33 +
// 0.08 ≈ 1.4. Other core types scale by Arm's published Dhrystone figures (DMIPS/MHz:
// Cortex-M0+ 0.95, M4 1.25, M33 1.5, M7 2.14, A53 2.3; Arm product pages): the same work
// takes M4-cycles × 1.25 / DMIPS-per-MHz. An approximation, stated as such: Dhrystone is
// not rpmsg-lite, and the A53 runs AArch64 code whose instruction count differs (COSTS §2
// x86/M4 ratio ≈ 0.82 suggests a 64-bit ISA needs ~20 % more instructions; not applied).

import type { CoreTypeName } from '../../sim/hw/core-types';
import type { Param } from '../../sim/hw/param';

export const CYCLES_PER_M4_INSTRUCTION: Record<CoreTypeName, Param> = {
  'cortex-m4': { value: 1.4, source: 'Cortex-M4 TRM DDI 0439 Table 3-1 timings over the instruction mix of COSTS §2 (see costs.ts header)' },
  'cortex-m33': { value: (1.4 * 1.25) / 1.5, source: 'M4 figure × 1.25/1.5 DMIPS/MHz (Arm Cortex-M33 product page: 1.5 DMIPS/MHz)' },
  'cortex-m7': { value: (1.4 * 1.25) / 2.14, source: 'M4 figure × 1.25/2.14 DMIPS/MHz (Arm Cortex-M7 product page: 2.14 DMIPS/MHz)' },
  'cortex-m0+': { value: (1.4 * 1.25) / 0.95, source: 'M4 figure × 1.25/0.95 DMIPS/MHz (Arm Cortex-M0+ product page: 0.95 DMIPS/MHz)' },
  'cortex-a53': { value: (1.4 * 1.25) / 2.3, source: 'M4 figure × 1.25/2.3 DMIPS/MHz (Arm Cortex-A53 product page: 2.3 DMIPS/MHz)' },
};

/**
 * Private instructions per path (M4 lib-only count − shared-memory accesses − dsb), with
 * the arithmetic. Paths are charged where the C code runs them.
 */
export const RL_INSTRUCTIONS = {
  /** rpmsg_lite_send master→remote: 166 lib-only − 14 shared accesses (7 L / 7 S, §5) − 3 dsb. */
  sendMaster: 149,
  /** rpmsg_lite_send remote→master: 161 − 15 (7 L / 8 S) − 3 dsb. */
  sendRemote: 143,
  /** rx on the remote, callback releases: 145 − 13 (10 L / 3 S) − 2 dsb; per message. */
  rxRemoteRelease: 130,
  /** rx on the master, callback releases: 151 − 12 (10 L / 2 S) − 2 dsb. */
  rxMasterRelease: 137,
  /** rx on the remote, callback holds: 118 − 9 (8 L / 1 S) − 1 dsb. */
  rxRemoteHold: 108,
  /** rx on the master, callback holds: 117 − 9 − 1 dsb. */
  rxMasterHold: 107,
  /** rpmsg_lite_alloc_tx_buffer (either side): 79 − 5 (4 L / 1 S) − 1 dsb. */
  allocTxBuffer: 73,
  /** rpmsg_lite_send_nocopy master→remote: 104 − 13 (6 L / 7 S) − 2 dsb. */
  sendNocopyMaster: 89,
  /** rpmsg_lite_send_nocopy remote→master: 99 − 14 (6 L / 8 S) − 2 dsb. */
  sendNocopyRemote: 83,
  /** rpmsg_lite_release_rx_buffer remote: 53 − 8 (5 L / 3 S) − 1 dsb. */
  releaseRemote: 44,
  /** rpmsg_lite_release_rx_buffer master: 60 − 7 (5 L / 2 S) − 1 dsb. */
  releaseMaster: 52,
  /** link-up kick delivered to the remote (tx_callback path): 17, no shared access. */
  txCallback: 17,
  /**
   * rpmsg_lite_master_init: 709 lib-only − 5 dsb + libc (memset 1377 − its 512 word stores
   * into shared memory, which the bus times; strncpy 252; malloc 192) = 2013.
   */
  masterInit: 709 - 5 + (1377 - 512) + 252 + 192,
  /** rpmsg_lite_remote_init: 263 lib-only + libc (1125 − 263 = 862: malloc, strncpy of vq names, memset of the instance). */
  remoteInit: 1125,
  /** rpmsg_lite_create_ept with an empty list: 51 lib-only + 165 libc (2 mallocs + memset). */
  createEpt: 216,
  /** Each endpoint probed or walked past: +6 instructions per list node (COSTS §2 notes). */
  endpointListNode: 6,
  /** rpmsg_lite_destroy_ept: assumed as create_ept's list walk and a free (no published count): 51. */
  destroyEpt: 51,
  /** rpmsg_ns_bind: 82 lib-only + libc (367 − 82) = 367, of which create_ept 216 is charged by create_ept. */
  nsBind: 367 - 216,
  /** rpmsg_ns_announce before its send: 364 − 192 (the send it makes, charged by send) − 10 (the 40-byte message stores into a private buffer are private). */
  nsAnnounce: 364 - 192,
  /** rx of an NS message on the master, the ns callback and the app callback: 163 − 137 (the rx path, charged by rx) − 2 (addr/flags loads). */
  nsRxCallback: 163 - 137 - 2,
  /** rpmsg_lite_deinit: no published count; assumed as remote_init's lib-only part (263). */
  deinit: 263,
  /** is_link_up: a load and a compare. */
  isLinkUp: 4,
} as const;

export type RlPath = keyof typeof RL_INSTRUCTIONS;

/**
 * newlib `memcpy-armv7m` executed instructions for P bytes, word-aligned (COSTS §3): about
 * 14 + 0.53·P for word multiples; a sub-word tail costs 5–15 more (10 taken). The ⌈P/4⌉
 * payload stores among them are bus accesses, so they are subtracted.
 */
export function memcpyInstructions(bytes: number): number {
  if (bytes === 0) return 14;
  const total = 14 + Math.round(0.53 * bytes) + (bytes % 4 === 0 ? 0 : 10);
  return Math.max(0, total - Math.ceil(bytes / 4));
}

/** The cycle cost table of one core type. */
export class RlCosts {
  readonly factor: number;

  constructor(readonly coreType: CoreTypeName) {
    this.factor = CYCLES_PER_M4_INSTRUCTION[coreType].value;
  }

  /** Cycles of `instructions` M4 instructions on this core (rounded to whole cycles). */
  cycles(instructions: number): number {
    return Math.round(instructions * this.factor);
  }

  /** Cycles of a named path. */
  path(name: RlPath): number {
    return this.cycles(RL_INSTRUCTIONS[name]);
  }

  /** Cycles of the private part of a memcpy of `bytes`. */
  memcpy(bytes: number): number {
    return this.cycles(memcpyInstructions(bytes));
  }
}
