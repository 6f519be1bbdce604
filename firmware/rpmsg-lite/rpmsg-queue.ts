// rpmsg_queue.c: received messages queued for a task (needs an environment with queues: the
// RTOS one; bare metal has none). docs/sources.md "Public API and return codes".

import type { Firmware } from '../../sim/hw/core';
import type { EnvQueue } from './rpmsg-env';
import { RL_ERR_BUFF_SIZE, RL_ERR_NO_BUFF, RL_ERR_PARAM, RL_HOLD, RL_RELEASE, RL_SUCCESS } from './constants';
import type { RpmsgLite, RxCallback } from './rpmsg-lite';

/** rpmsg_queue_rx_cb_data_t. */
export interface RpmsgQueueMessage {
  src: number;
  /** Payload address in shared memory. */
  data: number;
  len: number;
}

export type RpmsgQueue = EnvQueue<RpmsgQueueMessage>;

/** An out-parameter (a C pointer the callee writes through). */
export interface Out<T> {
  value: T;
}

/** rpmsg_queue_create: 2 × the rvq's entries; null without a device or queue support. */
export function rpmsg_queue_create(dev: RpmsgLite | null): RpmsgQueue | null {
  if (dev === null) return null;
  return dev.environment.createQueue<RpmsgQueueMessage>(2 * dev.rvq.ring.num);
}

/**
 * rpmsg_queue_rx_cb for queue `q` (the C priv argument): a non-blocking put; RL_HOLD if it
 * went in, RL_RELEASE (the message is dropped) if the queue is full.
 */
export function rpmsgQueueRxCallback(dev: RpmsgLite, q: RpmsgQueue): RxCallback {
  return function* (payload, length, src) {
    const ok = yield* dev.environment.putQueue(q, { src, data: payload, len: length }, 0);
    return ok ? RL_HOLD : RL_RELEASE;
  };
}

/**
 * rpmsg_queue_recv: copies into `data` when it fits (else RL_ERR_BUFF_SIZE, still consumed);
 * always releases the rx buffer; RL_ERR_NO_BUFF on an empty queue or timeout.
 */
export function* rpmsg_queue_recv(
  dev: RpmsgLite | null,
  q: RpmsgQueue | null,
  src: Out<number> | null,
  data: Uint8Array | null,
  maxlen: number,
  len: Out<number> | null,
  timeout: number,
): Firmware<number> {
  if (dev === null || q === null || data === null) return RL_ERR_PARAM;
  const msg = yield* dev.environment.getQueue(q, timeout);
  if (msg === null) return RL_ERR_NO_BUFF;
  if (src !== null) src.value = msg.src;
  if (len !== null) len.value = msg.len;
  let result = RL_SUCCESS;
  if (maxlen >= msg.len) data.set(yield* dev.environment.core.readBlock(msg.data, msg.len));
  else result = RL_ERR_BUFF_SIZE;
  const released = yield* dev.releaseRxBuffer(msg.data);
  return released === RL_SUCCESS ? result : RL_ERR_PARAM;
}

/** rpmsg_queue_recv_nocopy: `data` receives the payload address; free it with rpmsg_queue_nocopy_free. */
export function* rpmsg_queue_recv_nocopy(
  dev: RpmsgLite | null,
  q: RpmsgQueue | null,
  src: Out<number> | null,
  data: Out<number> | null,
  len: Out<number> | null,
  timeout: number,
): Firmware<number> {
  if (dev === null || q === null || data === null) return RL_ERR_PARAM;
  const msg = yield* dev.environment.getQueue(q, timeout);
  if (msg === null) return RL_ERR_NO_BUFF;
  if (src !== null) src.value = msg.src;
  if (len !== null) len.value = msg.len;
  data.value = msg.data;
  return RL_SUCCESS;
}

/** rpmsg_queue_nocopy_free: release_rx_buffer. */
export function* rpmsg_queue_nocopy_free(dev: RpmsgLite | null, data: number | null): Firmware<number> {
  if (dev === null || data === null) return RL_ERR_PARAM;
  return yield* dev.releaseRxBuffer(data);
}

/** rpmsg_queue_destroy. */
export function rpmsg_queue_destroy(dev: RpmsgLite | null, q: RpmsgQueue | null): number {
  if (dev === null || q === null) return RL_ERR_PARAM;
  dev.environment.deleteQueue(q);
  return RL_SUCCESS;
}

/** rpmsg_queue_get_current_size (capped at INT32_MAX). */
export function rpmsg_queue_get_current_size(dev: RpmsgLite, q: RpmsgQueue | null): number {
  if (q === null) return RL_ERR_PARAM;
  return Math.min(dev.environment.queueSize(q), 0x7fffffff);
}
