// rpmsg_ns.c: the name service. An endpoint at 53 receives 40-byte announcements
// { char name[32]; u32 addr; u32 flags } (docs/sources.md "Public API and return codes").

import type { Firmware } from '../../sim/hw/core';
import { RL_BLOCK, RL_ERR_PARAM, RL_NS_EPT_ADDR, RL_NS_MSG_SIZE, RL_NS_NAME_SIZE, RL_RELEASE } from './constants';
import type { Endpoint, RpmsgLite } from './rpmsg-lite';

/**
 * The application's callback (rpmsg_ns_new_ept_cb): the announced address, the address of
 * the name in shared memory (as in C, `name` points into the received buffer; read it with
 * readNsName), and the flags (RL_NS_CREATE / RL_NS_DESTROY). Runs in the ISR.
 */
export type NsNewEndpointCallback = (addr: number, nameAddress: number, flags: number) => Firmware<void>;

export interface NsHandle {
  readonly ept: Endpoint;
}

/**
 * The 40-byte message. The name as rpmsg_ns_announce copies it, env_strncpy(ns_msg.name,
 * ept_name, RL_NS_NAME_SIZE), which is strncpy in every environment port: its UTF-8 bytes up
 * to the first NUL, at most 32, then zeros to the end of the field (no NUL when the name
 * fills all 32 bytes; the bytes after a NUL are never copied).
 */
export function nsMessage(name: string, addr: number, flags: number): Uint8Array {
  const msg = new Uint8Array(RL_NS_MSG_SIZE);
  const bytes = new TextEncoder().encode(name);
  const nul = bytes.indexOf(0);
  msg.set(bytes.subarray(0, Math.min(nul < 0 ? bytes.length : nul, RL_NS_NAME_SIZE)));
  const view = new DataView(msg.buffer);
  view.setUint32(32, addr >>> 0, true);
  view.setUint32(36, flags >>> 0, true);
  return msg;
}

/** rpmsg_ns_bind: null if the callback is null. Does not check whether create_ept failed. */
export function* rpmsg_ns_bind(dev: RpmsgLite, appCallback: NsNewEndpointCallback | null): Firmware<NsHandle | null> {
  if (appCallback === null) return null;
  const core = dev.environment.core;
  yield* core.run(dev.costs.charge('rl.nsBind'));
  const ept = yield* dev.createEpt(RL_NS_EPT_ADDR, function* (payload, length) {
    if (length !== RL_NS_MSG_SIZE) return RL_RELEASE; // other lengths are dropped
    yield* core.run(dev.costs.charge('rl.nsRxCallback'));
    const { addr, flags } = yield* readAddrFlags(dev, payload);
    yield* appCallback(addr, payload, flags);
    return RL_RELEASE;
  });
  return { ept: ept! };
}

/**
 * The message's addr and flags: two 32-bit loads (COSTS §5); on ARMv6-M the packed struct's
 * fields are 8 byte loads (COSTS §7), flags first, in the order of the build's code
 * (arm-none-eabi-objdump -d of rpmsg_ns_rx_cb, gcc 12.2.1 -mcpu=cortex-m0plus: -O2/-O3 offsets
 * 36 37 38 39 32 33 34 35, -Os 36 37 38 39 33 32 34 35).
 */
function* readAddrFlags(dev: RpmsgLite, payload: number): Firmware<{ addr: number; flags: number }> {
  const core = dev.environment.core;
  if (dev.costs.isa !== 'armv6-m') {
    const addr = yield* core.read32(payload + 32);
    const flags = yield* core.read32(payload + 36);
    return { addr, flags };
  }
  const order = dev.costs.opt === 'Os' ? [36, 37, 38, 39, 33, 32, 34, 35] : [36, 37, 38, 39, 32, 33, 34, 35];
  const bytes = new Uint8Array(8);
  for (const offset of order) bytes[offset - 32] = (yield* core.read8(payload + offset)) & 0xff;
  const view = new DataView(bytes.buffer);
  return { addr: view.getUint32(0, true), flags: view.getUint32(4, true) };
}

/** rpmsg_ns_unbind: destroys the endpoint; returns the destroy result. */
export function* rpmsg_ns_unbind(dev: RpmsgLite, handle: NsHandle): Firmware<number> {
  return yield* dev.destroyEpt(handle.ept);
}

/** rpmsg_ns_announce: sends the message from `ept` to 53 with RL_BLOCK. */
export function* rpmsg_ns_announce(dev: RpmsgLite, ept: Endpoint | null, name: string | null, flags: number): Firmware<number> {
  if (name === null || ept === null) return RL_ERR_PARAM;
  yield* dev.environment.core.run(dev.costs.charge('rl.nsAnnounce'));
  return yield* dev.send(ept, RL_NS_EPT_ADDR, nsMessage(name, ept.addr, flags), RL_NS_MSG_SIZE, RL_BLOCK);
}

/** Reads the announced name (up to 32 bytes, stopping at a NUL) from shared memory. */
export function* readNsName(dev: RpmsgLite, nameAddress: number): Firmware<string> {
  const bytes = yield* dev.environment.core.readBlock(nameAddress, RL_NS_NAME_SIZE);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}
