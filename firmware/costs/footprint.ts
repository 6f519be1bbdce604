// Code layout: where each function of a core's firmware sits, and which functions each
// charged path runs, so the fetch unit (sim/hw/fetch.ts) can bring in the right lines.
//
// The functions on a path are read from rpmsg-lite's C sources (v5.4.0): the call graph of
// each API path, the COSTS §2 breakdowns naming the same functions. They do not depend on
// the instruction set; the sizes do, and come from the build's table (`InstructionTable.code`:
// static sizes of the compiled functions). Functions are laid out one after another from
// the core's code base in LAYOUT order (the C files' order, as a linker places .text of
// objects given in that order), each aligned to 4 bytes (GCC's default function alignment
// for Thumb-2 at -O2: -falign-functions follows the target's FUNCTION_BOUNDARY of 32 bits;
// an assumption for -Os, which does not pad).
//
// A path the map below does not list (a port, environment or RTOS path) runs code of its
// own: a pseudo-function named after the path, sized from its instruction count (for an
// entry in cycles: cycles ÷ the core's CPI) × the build's bytes per instruction. That keeps
// every charged path's code somewhere distinct.

import type { CodeFootprint } from '../../sim/hw/fetch';
import type { CostEntry, CostPath, InstructionTable } from './table';

/** The functions each rpmsg-lite path runs (rpmsg_lite.c, virtqueue.c, rpmsg_env_bm.c, rpmsg_ns.c; libc apart). */
export const PATH_FUNCTIONS: Readonly<Partial<Record<CostPath, readonly string[]>>> = {
  'rl.sendMaster': ['rpmsg_lite_send', 'env_lock_mutex', 'virtqueue_get_buffer', 'vq_tx_alloc_master', 'env_map_patova', 'env_memcpy', 'vq_tx_master', 'virtqueue_add_buffer', 'virtqueue_kick', 'virtqueue_notify', 'env_mb', 'env_rmb', 'env_wmb', 'env_unlock_mutex', 'vq_ring_update_avail'],
  'rl.sendRemote': ['rpmsg_lite_send', 'env_lock_mutex', 'virtqueue_get_available_buffer', 'vq_tx_alloc_remote', 'env_map_patova', 'env_memcpy', 'vq_tx_remote', 'virtqueue_add_consumed_buffer', 'virtqueue_kick', 'virtqueue_notify', 'env_mb', 'env_rmb', 'env_wmb', 'env_unlock_mutex', 'vq_ring_update_used'],
  'rl.rxRemoteRelease': ['env_isr', 'virtqueue_notification', 'rpmsg_lite_rx_callback', 'vq_rx_remote', 'virtqueue_get_available_buffer', 'env_map_patova', 'vq_rx_free_remote', 'virtqueue_add_consumed_buffer', 'env_mb', 'env_rmb', 'env_wmb', 'rpmsg_lite_get_endpoint_from_addr', 'vq_ring_update_used'],
  'rl.rxMasterRelease': ['env_isr', 'virtqueue_notification', 'rpmsg_lite_rx_callback', 'vq_rx_master', 'virtqueue_get_buffer', 'env_map_patova', 'vq_rx_free_master', 'virtqueue_add_buffer', 'env_mb', 'env_rmb', 'env_wmb', 'rpmsg_lite_get_endpoint_from_addr', 'vq_ring_update_avail'],
  'rl.rxRemoteHold': ['env_isr', 'virtqueue_notification', 'rpmsg_lite_rx_callback', 'vq_rx_remote', 'virtqueue_get_available_buffer', 'env_map_patova', 'env_rmb', 'rpmsg_lite_get_endpoint_from_addr'],
  'rl.rxMasterHold': ['env_isr', 'virtqueue_notification', 'rpmsg_lite_rx_callback', 'vq_rx_master', 'virtqueue_get_buffer', 'env_map_patova', 'env_rmb', 'rpmsg_lite_get_endpoint_from_addr'],
  'rl.allocTxBuffer': ['rpmsg_lite_alloc_tx_buffer', 'env_lock_mutex', 'virtqueue_get_buffer', 'virtqueue_get_available_buffer', 'env_map_patova', 'env_rmb', 'env_unlock_mutex'],
  'rl.sendNocopyMaster': ['rpmsg_lite_send_nocopy', 'env_lock_mutex', 'vq_tx_master', 'virtqueue_add_buffer', 'virtqueue_kick', 'virtqueue_notify', 'env_mb', 'env_wmb', 'env_unlock_mutex', 'vq_ring_update_avail'],
  'rl.sendNocopyRemote': ['rpmsg_lite_send_nocopy', 'env_lock_mutex', 'vq_tx_remote', 'virtqueue_add_consumed_buffer', 'virtqueue_kick', 'virtqueue_notify', 'env_mb', 'env_wmb', 'env_unlock_mutex', 'vq_ring_update_used'],
  'rl.releaseRemote': ['rpmsg_lite_release_rx_buffer', 'env_lock_mutex', 'vq_rx_free_remote', 'virtqueue_add_consumed_buffer', 'env_wmb', 'env_unlock_mutex', 'vq_ring_update_used'],
  'rl.releaseMaster': ['rpmsg_lite_release_rx_buffer', 'env_lock_mutex', 'vq_rx_free_master', 'virtqueue_add_buffer', 'env_wmb', 'env_unlock_mutex', 'vq_ring_update_avail'],
  'rl.txCallback': ['env_isr', 'virtqueue_notification', 'rpmsg_lite_tx_callback'],
  'rl.masterInit': ['rpmsg_lite_master_init', 'virtqueue_create', 'env_init', 'memset', 'strncpy', 'malloc'],
  'rl.remoteInit': ['rpmsg_lite_remote_init', 'virtqueue_create', 'env_init', 'memset', 'strncpy', 'malloc'],
  'rl.createEpt': ['rpmsg_lite_create_ept', 'malloc', 'memset', 'rpmsg_lite_get_endpoint_from_addr', 'add_to_list'],
  'rl.endpointListNode': ['rpmsg_lite_rx_callback'],
  'rl.destroyEpt': ['rpmsg_lite_destroy_ept', 'free', 'rpmsg_lite_get_endpoint_from_addr', 'remove_from_list'],
  'rl.nsBind': ['rpmsg_ns_bind', 'rpmsg_lite_create_ept'],
  'rl.nsAnnounce': ['rpmsg_ns_announce', 'strncpy'],
  'rl.nsRxCallback': ['rpmsg_ns_rx_cb'],
  'rl.deinit': ['rpmsg_lite_deinit', 'free'],
  'rl.isLinkUp': ['rpmsg_lite_is_link_up'],
  'libc.memcpyBase': ['memcpy'],
  'env.lockMutex': ['env_lock_mutex'],
  'env.unlockMutex': ['env_unlock_mutex'],
  'port.envIsr': ['env_isr', 'virtqueue_notification'],
};

/**
 * Every function in link order: rpmsg_lite.c, rpmsg_ns.c, llist.c, virtqueue.c, rpmsg_env_bm.c,
 * then libc. rpmsg_lite_get_endpoint_from_addr and vq_ring_update_avail/_used are static
 * helpers GCC inlines at -O2/-O3 (0 bytes in those builds' measured sizes) and keeps out of
 * line at -Os (measured-sizes.ts).
 */
export const LAYOUT: readonly string[] = [
  'rpmsg_lite_get_endpoint_from_addr',
  'rpmsg_lite_rx_callback',
  'rpmsg_lite_tx_callback',
  'vq_tx_alloc_master',
  'vq_tx_master',
  'vq_rx_master',
  'vq_rx_free_master',
  'vq_tx_alloc_remote',
  'vq_tx_remote',
  'vq_rx_remote',
  'vq_rx_free_remote',
  'rpmsg_lite_create_ept',
  'rpmsg_lite_destroy_ept',
  'rpmsg_lite_send',
  'rpmsg_lite_alloc_tx_buffer',
  'rpmsg_lite_send_nocopy',
  'rpmsg_lite_release_rx_buffer',
  'rpmsg_lite_master_init',
  'rpmsg_lite_remote_init',
  'rpmsg_lite_deinit',
  'rpmsg_lite_is_link_up',
  'rpmsg_ns_rx_cb',
  'rpmsg_ns_bind',
  'rpmsg_ns_announce',
  'add_to_list',
  'remove_from_list',
  'virtqueue_create',
  'virtqueue_add_buffer',
  'virtqueue_add_consumed_buffer',
  'virtqueue_get_buffer',
  'virtqueue_get_available_buffer',
  'virtqueue_kick',
  'virtqueue_notification',
  'virtqueue_notify',
  'vq_ring_update_avail',
  'vq_ring_update_used',
  'env_init',
  'env_lock_mutex',
  'env_unlock_mutex',
  'env_mb',
  'env_rmb',
  'env_wmb',
  'env_map_patova',
  'env_memcpy',
  'env_isr',
  'memcpy',
  'memset',
  'strncpy',
  'malloc',
  'free',
];

const ALIGN = 4;

/** Where each function of one core's build sits, and each path's footprint. */
export class CodeLayout {
  /** Function (or pseudo-function) → its span. */
  readonly functions = new Map<string, { address: number; bytes: number }>();
  private readonly footprints = new Map<CostPath, CodeFootprint>();
  /** First byte after the laid-out code. */
  end: number;

  constructor(
    readonly base: number,
    private readonly sizeOf: (fn: string) => number,
    private readonly pathBytes: (path: CostPath) => number,
  ) {
    this.end = base;
    for (const fn of LAYOUT) this.place(fn, sizeOf(fn));
  }

  /** The code a path fetches: its functions' spans (or its pseudo-function's). */
  footprint(path: CostPath): CodeFootprint {
    let f = this.footprints.get(path);
    if (f !== undefined) return f;
    const names = PATH_FUNCTIONS[path] ?? [`<${path}>`];
    const spans = names.map((fn) => this.functions.get(fn) ?? this.place(fn, this.pathBytes(path)));
    f = { spans };
    this.footprints.set(path, f);
    return f;
  }

  private place(fn: string, bytes: number): { address: number; bytes: number } {
    const span = { address: this.end, bytes };
    this.functions.set(fn, span);
    this.end = Math.ceil((this.end + bytes) / ALIGN) * ALIGN;
    return span;
  }
}

/** Lays out a build's functions from `codeBase`; sizes from the table, else instructions × bytes per instruction. */
export function footprintOf(table: InstructionTable, entries: ReadonlyMap<CostPath, CostEntry>, codeBase: number): CodeLayout {
  const bpi = table.code?.bytesPerInstruction.value ?? DEFAULT_BYTES_PER_INSTRUCTION;
  const measured = table.code?.functions ?? {};
  const cpi = entries.get('cyclesPerInstruction')?.value ?? 1;
  // A path's own code: its instructions × bytes per instruction; an entry in cycles (the RTOS,
  // Zephyr, GPIO and cache-hook sections) runs about cycles ÷ CPI instructions.
  const pathBytes = (path: CostPath): number => {
    const e = entries.get(path);
    if (e === undefined) return 2;
    const count = e.unit === 'instructions' ? e.value : e.unit === 'cycles' ? e.value / cpi : 0;
    return Math.max(2, Math.round(count * bpi));
  };
  // Assumption: a function of LAYOUT the build's table has no size for (newlib's malloc and
  // free, env_init) takes 16 bytes, one or two lines; every rpmsg-lite function is measured
  // (0 where inlined).
  return new CodeLayout(codeBase, (fn) => measured[fn] ?? 16, pathBytes);
}

/** Thumb-2 at -O2: 3806 code bytes for 1425 instructions over rpmsg-lite's 74 functions (COSTS §4), 2.67 bytes each. */
export const DEFAULT_BYTES_PER_INSTRUCTION = 3806 / 1425;
