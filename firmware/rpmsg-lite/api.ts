// The C API of rpmsg_lite.h with its names and argument checks, for firmware written the way
// an rpmsg-lite user writes C: `null` stands for NULL, and every misuse returns the code the
// C library returns (docs/sources.md "Public API and return codes"). The work is done by RpmsgLite.

import type { Firmware } from '../../sim/hw/core';
import { RL_ERR_PARAM, RL_FALSE, RL_TRUE } from './constants';
import { type Endpoint, RpmsgLite, type RlInitOptions, type RxCallback } from './rpmsg-lite';

export type RpmsgLiteInstance = RpmsgLite;
export type RpmsgLiteEndpoint = Endpoint;

export function* rpmsg_lite_master_init(
  options: RlInitOptions,
  shmemAddr: number | null,
  shmemLength: number,
  linkId: number,
): Firmware<RpmsgLite | null> {
  if (shmemAddr === null) return null;
  return yield* RpmsgLite.masterInit(options, shmemAddr, shmemLength, linkId);
}

export function* rpmsg_lite_remote_init(options: RlInitOptions, shmemAddr: number | null, linkId: number): Firmware<RpmsgLite | null> {
  if (shmemAddr === null) return null;
  return yield* RpmsgLite.remoteInit(options, shmemAddr, linkId);
}

export function* rpmsg_lite_deinit(dev: RpmsgLite | null): Firmware<number> {
  if (dev === null) return RL_ERR_PARAM;
  return yield* dev.deinit();
}

export function* rpmsg_lite_create_ept(dev: RpmsgLite | null, addr: number, rxCb: RxCallback): Firmware<Endpoint | null> {
  if (dev === null) return null;
  return yield* dev.createEpt(addr, rxCb);
}

export function* rpmsg_lite_destroy_ept(dev: RpmsgLite | null, ept: Endpoint | null): Firmware<number> {
  if (dev === null) return RL_ERR_PARAM;
  return yield* dev.destroyEpt(ept);
}

/** Checks: ept null, dev null, size > payload, data null, link down — in that order. */
export function* rpmsg_lite_send(
  dev: RpmsgLite | null,
  ept: Endpoint | null,
  dst: number,
  data: Uint8Array | null,
  size: number,
  timeout: number,
): Firmware<number> {
  if (ept === null) return RL_ERR_PARAM;
  if (dev === null) return RL_ERR_PARAM;
  return yield* dev.send(ept, dst, data, size, timeout);
}

export function rpmsg_lite_is_link_up(dev: RpmsgLite | null): number {
  return dev !== null && dev.isLinkUp() ? RL_TRUE : RL_FALSE;
}

export function* rpmsg_lite_wait_for_link_up(dev: RpmsgLite | null, timeout: number): Firmware<number> {
  if (dev === null) return 0;
  return (yield* dev.waitForLinkUp(timeout)) ? RL_TRUE : RL_FALSE;
}

/**
 * rpmsg_lite_alloc_tx_buffer: the payload address, or null; `size` receives the payload
 * size (0 on failure). `size === null` is the C NULL size pointer: null is returned. The C
 * function does not check dev.
 */
export function* rpmsg_lite_alloc_tx_buffer(dev: RpmsgLite, size: { value: number } | null, timeout: number): Firmware<number | null> {
  if (size === null) return null;
  const got = yield* dev.allocTxBuffer(timeout);
  size.value = got?.size ?? 0;
  return got?.buffer ?? null;
}

export function* rpmsg_lite_send_nocopy(
  dev: RpmsgLite | null,
  ept: Endpoint | null,
  dst: number,
  data: number | null,
  size: number,
): Firmware<number> {
  if (dev === null) return RL_ERR_PARAM;
  return yield* dev.sendNocopy(ept, dst, data, size);
}

export function* rpmsg_lite_release_rx_buffer(dev: RpmsgLite | null, rxbuf: number | null): Firmware<number> {
  if (dev === null) return RL_ERR_PARAM;
  return yield* dev.releaseRxBuffer(rxbuf);
}
