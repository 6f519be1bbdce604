// rpmsg-lite's constants and error codes, with the C library's names and values
// (rpmsg_lite.h, rpmsg_default_config.h, virtqueue.h, virtio_ring.h).

export const RL_SUCCESS = 0;
/** Base of the error codes. */
export const RL_ERRORS_BASE = -5000;
/** No tx buffer (timeout 0, or the poll expired). */
export const RL_ERR_NO_MEM = RL_ERRORS_BASE - 1;
/** Payload larger than the buffer payload size; or rpmsg_queue_recv with maxlen < len. */
export const RL_ERR_BUFF_SIZE = RL_ERRORS_BASE - 2;
/** A NULL argument, an unknown endpoint, a half-initialised instance. */
export const RL_ERR_PARAM = RL_ERRORS_BASE - 3;
/** Never returned by the current library. */
export const RL_ERR_DEV_ID = RL_ERRORS_BASE - 4;
/** Never returned by the current library. */
export const RL_ERR_MAX_VQ = RL_ERRORS_BASE - 5;
/** rpmsg_queue_recv / _recv_nocopy: queue empty or timeout. */
export const RL_ERR_NO_BUFF = RL_ERRORS_BASE - 6;
/** The link is not up. */
export const RL_NOT_READY = RL_ERRORS_BASE - 7;
/** Never returned by the current library. */
export const RL_ALREADY_DONE = RL_ERRORS_BASE - 8;

/** Error names by value, for reports. */
export const RL_ERROR_NAMES: Readonly<Record<number, string>> = {
  [RL_SUCCESS]: 'RL_SUCCESS',
  [RL_ERR_NO_MEM]: 'RL_ERR_NO_MEM',
  [RL_ERR_BUFF_SIZE]: 'RL_ERR_BUFF_SIZE',
  [RL_ERR_PARAM]: 'RL_ERR_PARAM',
  [RL_ERR_DEV_ID]: 'RL_ERR_DEV_ID',
  [RL_ERR_MAX_VQ]: 'RL_ERR_MAX_VQ',
  [RL_ERR_NO_BUFF]: 'RL_ERR_NO_BUFF',
  [RL_NOT_READY]: 'RL_NOT_READY',
  [RL_ALREADY_DONE]: 'RL_ALREADY_DONE',
};

/** The traced API functions that return a pointer (0 in the trace for an object, -1 for NULL); the rest return an RL code. */
export const RL_POINTER_FUNCTIONS: ReadonlySet<string> = new Set([
  'rpmsg_lite_master_init',
  'rpmsg_lite_remote_init',
  'rpmsg_lite_create_ept',
  'rpmsg_lite_alloc_tx_buffer',
]);

/** rpmsg-lite's words for a traced return: "a pointer" or "NULL", else the RL code's name. */
export function describeRlReturn(fn: string, code: number): string {
  if (RL_POINTER_FUNCTIONS.has(fn)) return code === 0 ? 'a pointer' : 'NULL';
  return RL_ERROR_NAMES[code] ?? String(code);
}

/** rpmsg-lite's two roles, the master first (the order in which cores, reports and lists name them). */
export const ROLES = ['master', 'remote'] as const;

/** The rpmsg-lite role of a core's firmware (RL_MASTER / RL_REMOTE). */
export type Role = (typeof ROLES)[number];

export function isRole(name: string): name is Role {
  return ROLES.some((role) => role === name);
}

export const RL_NULL = 0;
export const RL_REMOTE = 0;
export const RL_MASTER = 1;
export const RL_TRUE = 1;
export const RL_FALSE = 0;
export const RL_ADDR_ANY = 0xffffffff;
/** Endpoint callback results. */
export const RL_RELEASE = 0;
export const RL_HOLD = 1;
export const RL_DONT_BLOCK = 0;
export const RL_BLOCK = 0xffffffff;
export const RL_NO_FLAGS = 0;
export const RL_WORD_SIZE = 4;
export const RL_MAX_BUFFER_COUNT = 32768;
export const RL_MAX_VRING_ALIGN = 65536;

/** The rpmsg header (struct rpmsg_std_hdr, packed): 16 bytes. */
export const RPMSG_HDR = {
  src: 0,
  dst: 4,
  reservedRfu: 8,
  reservedIdx: 10,
  len: 12,
  flags: 14,
  size: 16,
} as const;

/** virtio descriptor flags and ring flags (virtio_ring.h). */
export const VRING_DESC_F_NEXT = 1;
export const VRING_DESC_F_WRITE = 2;
export const VQ_RING_DESC_CHAIN_END = 32768;
export const VRING_AVAIL_F_NO_INTERRUPT = 1;
export const VRING_USED_F_NO_NOTIFY = 1;

/** Virtqueue ids: RL_GET_VQ_ID(link, q) = (q & 1) | ((link << 1) & ~1). */
export function rlGetVqId(linkId: number, q: number): number {
  return ((q & 1) | ((linkId << 1) & 0xfffffffe)) >>> 0;
}
export function rlGetLinkId(vqId: number): number {
  return ((vqId & 0xfffffffe) >>> 0) >>> 1;
}
export function rlGetQId(vqId: number): number {
  return vqId & 1;
}

/** Name service (rpmsg_ns.h). */
export const RL_NS_EPT_ADDR = 0x35;
export const RL_NS_CREATE = 0;
export const RL_NS_DESTROY = 1;
export const RL_NS_NAME_SIZE = 32;
export const RL_NS_MSG_SIZE = 40;
