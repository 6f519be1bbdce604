// rpmsg_lite.c: instances (master and remote init, deinit), endpoints, copy and zero-copy
// send, the rx and tx virtqueue callbacks, link state (docs/sources.md "rpmsg-lite"). Every access to
// vrings, descriptors, headers and buffers goes through the core's bus into simulated SRAM;
// only the C library's private state (cursors, endpoint list, link_state) lives here.
// With RL_USE_DCACHE (config.useDcache) the env_cache_flush / env_cache_invalidate calls of
// rpmsg_lite.c and virtqueue.c reach the platform's cache hooks at the C library's points
// with its ranges (docs/sources.md "Cache maintenance"); without it they are the empty calls the instruction
// counts already include.

import { type Core, type Firmware, type FirmwareStep, NOTHING } from '../../sim/hw/core';
import { FirmwareError } from '../../sim/kernel';
import type { RlEnv } from './rpmsg-env';
import {
  RL_ADDR_ANY,
  RL_ERR_BUFF_SIZE,
  RL_ERR_NO_MEM,
  RL_ERR_PARAM,
  RL_HOLD,
  RL_NOT_READY,
  RL_RELEASE,
  RL_SUCCESS,
  RPMSG_HDR,
  VQ_RING_DESC_CHAIN_END,
  VRING_AVAIL_F_NO_INTERRUPT,
  VRING_DESC_F_WRITE,
  type Role,
  rlGetVqId,
} from './constants';
import { type CoreCosts, plus } from '../costs/table';
import { copyToShared } from '../costs/libc';
import type { RlPlatformPort } from './rpmsg-platform';
import { type RingBuffer, type RlCacheHooks, Virtqueue } from './virtqueue';
import { type RlConfig, type ShmemLayout, type VringLayout, configProblem, shmemLayout, vringSizeBytes } from './virtio-ring';

/**
 * An endpoint's receive callback (rl_ept_rx_cb_t): payload address in shared memory, its
 * length (hdr.len, unchecked), the source address. Runs in the ISR. Returns RL_HOLD to keep
 * the buffer (release it later with releaseRxBuffer) or RL_RELEASE.
 */
export type RxCallback = (payload: number, length: number, src: number) => Firmware<number>;

/** struct rpmsg_lite_endpoint. */
export interface Endpoint {
  readonly addr: number;
  readonly rxCallback: RxCallback;
}

/** What a delivery looked like, for measurement hooks (beside the bytes, never instead). */
export interface Delivery {
  endpoint: number;
  src: number;
  length: number;
  payload: number;
}

/**
 * What RpmsgLite.masterInit / remoteInit take: the core's system (its core, environment,
 * platform port and the cost table all of them charge, of which rpmsg-lite charges the
 * `rl.*` and `libc.*` entries) and the rpmsg-lite configuration. A ProgramContext is one,
 * so a program passes `ctx` itself.
 */
export interface RlInitOptions extends CoreSystem {
  config: RlConfig;
}

/** What the platform provides on one core: the core, its rpmsg-lite platform port and environment, and the one cost table all of them charge. */
export interface CoreSystem {
  core: Core;
  port: RlPlatformPort;
  env: RlEnv;
  costs: CoreCosts;
}

export class RpmsgLite {
  /** link_state: local, never in shared memory (§5). */
  linkState = 0;
  /** The endpoint list; new endpoints go at the head. */
  private readonly endpoints: Endpoint[] = [];
  /** rvq / tvq. */
  readonly rvq: Virtqueue;
  readonly tvq: Virtqueue;
  private deinitialized = false;
  /** Messages this side put on its tx ring / took off its rx ring (trace numbering). */
  private enqueued = 0;
  private dequeued = 0;
  private readonly txDirection: 'm2r' | 'r2m';
  private readonly rxDirection: 'm2r' | 'r2m';
  /** The cost table of this instance's core (the name service charges from it too). */
  readonly costs: CoreCosts;
  private readonly core: Core;
  /** The environment this instance runs on (rpmsg_queue uses its queues). */
  readonly environment: RlEnv;
  private readonly port: RlPlatformPort;
  readonly config: RlConfig;
  /** Called after each endpoint callback returns (measurement; not part of rpmsg-lite). */
  onDelivery: ((d: Delivery) => void) | null = null;
  /** env_cache_flush / env_cache_invalidate reaching the platform (RL_USE_DCACHE), or null. */
  private readonly cache: RlCacheHooks | null;

  private constructor(
    options: RlInitOptions,
    readonly role: Role,
    readonly linkId: number,
    readonly layout: ShmemLayout,
  ) {
    this.core = options.core;
    this.environment = options.env;
    this.port = options.port;
    this.config = options.config;
    this.costs = options.costs;
    this.txDirection = role === 'master' ? 'm2r' : 'r2m';
    this.rxDirection = role === 'master' ? 'r2m' : 'm2r';
    const port = this.port;
    this.cache = this.config.useDcache === true
      ? { flush: (a, n) => port.cacheFlush(a, n), invalidate: (a, n) => port.cacheInvalidate(a, n) }
      : null;
    const patova = (pa: number): number => this.port.patova(pa);
    const notify = (vqId: number): Firmware<void> => this.notifyPeer(vqId);
    const vring0 = new Virtqueue(
      this.core,
      role === 'master' ? 'rx_vq' : 'tx_vq',
      rlGetVqId(linkId, 0),
      layout.vring0,
      patova,
      notify,
      role === 'master' ? () => this.rxCallback() : () => this.txCallback(),
      this.cache,
    );
    const vring1 = new Virtqueue(
      this.core,
      role === 'master' ? 'tx_vq' : 'rx_vq',
      rlGetVqId(linkId, 1),
      layout.vring1,
      patova,
      notify,
      role === 'master' ? () => this.txCallback() : () => this.rxCallback(),
      this.cache,
    );
    // Master: vqs[0] = rvq, vqs[1] = tvq. Remote: vqs[0] = tvq, vqs[1] = rvq.
    this.rvq = role === 'master' ? vring0 : vring1;
    this.tvq = role === 'master' ? vring1 : vring0;
  }

  /** Emits rl-call / rl-return around an API call when the core is traced. */
  private *traced<T>(fn: string, body: Firmware<T>, code: (value: T) => number): Firmware<T> {
    const tracer = this.core.tracer;
    if (tracer?.on['rl-call']) tracer.put({ t: tracer.now, component: this.core.name, kind: 'rl-call', fn });
    const value = yield* body;
    if (tracer?.on['rl-return']) tracer.put({ t: tracer.now, component: this.core.name, kind: 'rl-return', fn, code: code(value) });
    return value;
  }

  /** platform_notify, with an rl-notify record where it begins (the phase breakdown's notify start). */
  private *notifyPeer(vqId: number): Firmware<void> {
    if (this.core.tracer?.on['rl-notify']) this.core.tracer.put({ t: this.core.tracer.now, component: this.core.name, kind: 'rl-notify', vq: vqId });
    yield* this.port.notify(vqId);
  }

  // ---- init / deinit -------------------------------------------------------------------------

  /**
   * rpmsg_lite_master_init: lays out both vrings and 2N buffers in shared memory (§1.3),
   * sets up the interrupts, link_state = 1, and kicks vring 0. Null where the C library
   * returns NULL (link id too high, bad configuration, not enough space).
   */
  static *masterInit(options: RlInitOptions, shmemAddr: number, length: number, linkId: number): Firmware<RpmsgLite | null> {
    return yield* tracedInit(options, 'rpmsg_lite_master_init', RpmsgLite.masterInitImpl(options, shmemAddr, length, linkId));
  }

  private static *masterInitImpl(options: RlInitOptions, shmemAddr: number, length: number, linkId: number): Firmware<RpmsgLite | null> {
    const { core, config, port } = options;
    if (initProblem(options, shmemAddr, linkId, length) !== null) return null;
    const layout = shmemLayout(shmemAddr, config, length);
    const rl = new RpmsgLite(options, 'master', linkId, layout);
    yield* core.run(rl.costs.charge('rl.masterInit'));
    yield* rl.environment.init();
    const n = config.bufferCount;
    const align = Math.min(config.vringAlign, 65536);
    for (const ring of [layout.vring0, layout.vring1]) {
      // memset vring_size bytes, virtqueue_create (flushes the avail and used headers),
      // vq_ring_init's descriptor chain, disable_cb (flushes avail.flags).
      yield* core.writeBlock(ring.base, new Uint8Array(vringSizeBytes(n, align)));
      yield* rl.flushHeaders(ring);
      for (let i = 0; i < n; i++) yield* core.write16(ring.desc(i).next, i === n - 1 ? VQ_RING_DESC_CHAIN_END : i + 1);
      const flags = yield* core.read16(ring.availFlags);
      yield* core.write16(ring.availFlags, flags | VRING_AVAIL_F_NO_INTERRUPT);
      yield* rl.cacheFlush(ring.availFlags, 2);
    }
    yield* core.dataBarrier();
    for (let k = 0; k < 2 * n; k++) {
      const address = layout.buffer(k);
      yield* core.writeBlock(address, new Uint8Array(layout.bufferSize)); // env_memset
      yield* rl.cacheFlush(address, layout.bufferSize);
      const ring = k < n ? layout.vring0 : layout.vring1;
      const i = k % n;
      yield* rl.fillDescriptor(ring, i, port.vatopa(address), layout.bufferSize);
      yield* rl.cacheFlush(ring.desc(i).addr, 16); // the descriptor written
      if (k < n) {
        // virtqueue_fill_avail_buffers: avail.ring[i] = i; avail.idx++ (vq_ring_update_avail's maintenance).
        yield* rl.cacheInvalidate(ring.availIdx, 2);
        yield* core.write16(ring.availRing(i), i);
        yield* rl.cacheFlush(ring.availRing(i), 2);
        const idx = yield* core.read16(ring.availIdx);
        yield* core.write16(ring.availIdx, (idx + 1) & 0xffff);
        yield* rl.cacheFlush(ring.availIdx, 2);
      } else {
        // virtqueue_fill_used_buffers: used.ring[i] = {i, size}; used.idx++ (the master's tx pool; vq_ring_update_used's maintenance).
        yield* rl.cacheInvalidate(ring.usedIdx, 2);
        yield* core.write32(ring.usedRingId(i), i);
        yield* core.write32(ring.usedRingLen(i), layout.bufferSize);
        yield* rl.cacheFlush(ring.usedRingId(i), 8);
        const idx = yield* core.read16(ring.usedIdx);
        yield* core.write16(ring.usedIdx, (idx + 1) & 0xffff);
        yield* rl.cacheFlush(ring.usedIdx, 2);
      }
    }
    yield* rl.setUpInterrupts([rl.rvq, rl.tvq]);
    yield* rl.rvq.kick(); // the link-up signal for the remote
    return rl;
  }

  /** rpmsg_lite_remote_init: writes nothing to shared memory; link_state = 0 until the master's kick. */
  static *remoteInit(options: RlInitOptions, shmemAddr: number, linkId: number): Firmware<RpmsgLite | null> {
    return yield* tracedInit(options, 'rpmsg_lite_remote_init', RpmsgLite.remoteInitImpl(options, shmemAddr, linkId));
  }

  private static *remoteInitImpl(options: RlInitOptions, shmemAddr: number, linkId: number): Firmware<RpmsgLite | null> {
    const { core, config } = options;
    if (initProblem(options, shmemAddr, linkId) !== null) return null;
    const rl = new RpmsgLite(options, 'remote', linkId, shmemLayout(shmemAddr, config));
    yield* core.run(rl.costs.charge('rl.remoteInit'));
    // virtqueue_create of both vrings: with RL_USE_DCACHE it flushes their avail and used headers.
    yield* rl.flushHeaders(rl.layout.vring0);
    yield* rl.flushHeaders(rl.layout.vring1);
    yield* rl.environment.init();
    yield* rl.setUpInterrupts([rl.tvq, rl.rvq]);
    return rl;
  }

  /** platform_init_interrupt on both, disable both, set link_state, enable both (§4). */
  private *setUpInterrupts(order: Virtqueue[]): Firmware<void> {
    for (const vq of order) yield* this.port.initInterrupt(vq.vqId, () => vq.notification());
    if (this.role === 'master') {
      yield* this.port.interruptDisable(this.rvq.vqId);
      yield* this.port.interruptDisable(this.tvq.vqId);
      this.linkState = 1;
      yield* this.port.interruptEnable(this.rvq.vqId);
      yield* this.port.interruptEnable(this.tvq.vqId);
    } else {
      this.linkState = 0;
      yield* this.port.interruptDisable(this.rvq.vqId);
      yield* this.port.interruptDisable(this.tvq.vqId);
      yield* this.port.interruptEnable(this.rvq.vqId);
      yield* this.port.interruptEnable(this.tvq.vqId);
    }
  }

  /** env_cache_flush: reaches the platform only with RL_USE_DCACHE. */
  private cacheFlush(address: number, length: number): FirmwareStep<void> {
    return this.cache === null ? NOTHING : this.cache.flush(address, length);
  }

  /** env_cache_invalidate: reaches the platform only with RL_USE_DCACHE. */
  private cacheInvalidate(address: number, length: number): FirmwareStep<void> {
    return this.cache === null ? NOTHING : this.cache.invalidate(address, length);
  }

  /** virtqueue_create's VQUEUE_FLUSH of sizeof(struct vring_avail) = 6 and sizeof(struct vring_used) = 12 bytes. */
  private *flushHeaders(ring: VringLayout): Firmware<void> {
    yield* this.cacheFlush(ring.availFlags, 6);
    yield* this.cacheFlush(ring.usedFlags, 12);
  }

  /** desc[i] = { addr (u64, high word 0), len, flags = VRING_DESC_F_WRITE }. */
  private *fillDescriptor(ring: VringLayout, i: number, pa: number, length: number): Firmware<void> {
    const d = ring.desc(i);
    yield* this.core.write32(d.addr, pa);
    yield* this.core.write32(d.addr + 4, 0);
    yield* this.core.write32(d.len, length);
    yield* this.core.write16(d.flags, VRING_DESC_F_WRITE);
  }

  /** rpmsg_lite_deinit: RL_ERR_PARAM if already deinitialised; never touches shared memory. */
  deinit(): FirmwareStep<number> {
    return this.traced('rpmsg_lite_deinit', this.deinitImpl(), (c) => c);
  }

  private *deinitImpl(): Firmware<number> {
    if (this.deinitialized) return RL_ERR_PARAM;
    yield* this.core.run(this.costs.charge('rl.deinit'));
    yield* this.port.deinitInterrupt(this.rvq.vqId);
    yield* this.port.deinitInterrupt(this.tvq.vqId);
    this.linkState = 0;
    yield* this.environment.deinit();
    this.deinitialized = true;
    return RL_SUCCESS;
  }

  // ---- endpoints -----------------------------------------------------------------------------

  /**
   * rpmsg_lite_create_ept: `addr` or RL_ADDR_ANY (the lowest free address from 1; 53 is not
   * reserved). Null if the address is taken.
   */
  createEpt(addr: number, rxCallback: RxCallback): FirmwareStep<Endpoint | null> {
    return this.traced('rpmsg_lite_create_ept', this.createEptImpl(addr, rxCallback), (e) => (e === null ? -1 : 0));
  }

  private *createEptImpl(addr: number, rxCallback: RxCallback): Firmware<Endpoint | null> {
    yield* this.environment.lockMutex();
    let probes = 1;
    let chosen = addr >>> 0;
    if (chosen === RL_ADDR_ANY) {
      chosen = 1;
      while (chosen < RL_ADDR_ANY && this.findEndpoint(chosen) !== null) {
        chosen++;
        probes++;
      }
    }
    // Each probe walks the whole list (about quadratic, COSTS §2 notes).
    yield* this.core.run(this.costs.charge('rl.createEpt'));
    yield* this.core.run(this.costs.charge('rl.endpointListNode', probes * this.endpoints.length));
    if (this.findEndpoint(chosen) !== null) {
      yield* this.environment.unlockMutex();
      return null;
    }
    const ept: Endpoint = { addr: chosen, rxCallback };
    this.endpoints.unshift(ept);
    yield* this.environment.unlockMutex();
    return ept;
  }

  /** rpmsg_lite_destroy_ept: RL_ERR_PARAM for null or an endpoint not in the list. */
  destroyEpt(ept: Endpoint | null): FirmwareStep<number> {
    return this.traced('rpmsg_lite_destroy_ept', this.destroyEptImpl(ept), (c) => c);
  }

  private *destroyEptImpl(ept: Endpoint | null): Firmware<number> {
    if (ept === null) return RL_ERR_PARAM;
    yield* this.environment.lockMutex();
    const at = this.endpoints.findIndex((e) => e.addr === ept.addr);
    yield* this.core.run(this.costs.charge('rl.destroyEpt'));
    yield* this.core.run(this.costs.charge('rl.endpointListNode', Math.max(0, at)));
    if (at < 0) {
      yield* this.environment.unlockMutex();
      return RL_ERR_PARAM;
    }
    this.endpoints.splice(at, 1);
    yield* this.environment.unlockMutex();
    return RL_SUCCESS;
  }

  private findEndpoint(addr: number): Endpoint | null {
    for (const e of this.endpoints) if (e.addr === addr) return e;
    return null;
  }

  /** Endpoint addresses, head of the list first. */
  get endpointAddresses(): number[] {
    return this.endpoints.map((e) => e.addr);
  }

  // ---- link state ----------------------------------------------------------------------------

  isLinkUp(): boolean {
    return this.linkState === 1;
  }

  /** rpmsg_lite_wait_for_link_up through the environment (§5). */
  *waitForLinkUp(timeoutMs: number): Firmware<boolean> {
    return yield* this.environment.waitForLinkUp(() => this.linkState === 1, this.linkId, timeoutMs >>> 0);
  }

  /** rpmsg_lite_tx_callback: link_state = 1 and env_tx_callback; nothing else. */
  private *txCallback(): Firmware<void> {
    yield* this.core.run(this.costs.charge('rl.txCallback'));
    if (this.linkState !== 1 && this.core.tracer?.on['rl-link-up']) this.core.tracer.put({ t: this.core.tracer.now, component: this.core.name, kind: 'rl-link-up' });
    this.linkState = 1;
    this.environment.txCallback(this.linkId);
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * rpmsg_lite_send (copy). Checks in the C order: size > payload → RL_ERR_BUFF_SIZE, data
   * null → RL_ERR_PARAM, link down → RL_NOT_READY; no buffer → RL_ERR_NO_MEM (after polling
   * when timeout > 0). The endpoint and instance null checks are in api.ts.
   */
  send(ept: Endpoint, dst: number, data: Uint8Array | null, size: number, timeoutMs: number): FirmwareStep<number> {
    return this.traced('rpmsg_lite_send', this.sendImpl(ept, dst, data, size, timeoutMs), (c) => c);
  }

  private *sendImpl(ept: Endpoint, dst: number, data: Uint8Array | null, size: number, timeoutMs: number): Firmware<number> {
    if (size > this.config.bufferPayloadSize) return RL_ERR_BUFF_SIZE;
    if (data === null) return RL_ERR_PARAM;
    if (size > data.length) throw new FirmwareError(`send of ${size} bytes from a ${data.length}-byte array`);
    if (this.linkState !== 1) return RL_NOT_READY;
    yield* this.core.run(this.costs.charge(this.role === 'master' ? 'rl.sendMaster' : 'rl.sendRemote'));
    const buffer = yield* this.allocate(timeoutMs);
    if (buffer === null) return RL_ERR_NO_MEM;
    yield* this.writeHeader(buffer.address, ept.addr, dst, size);
    yield* copyToShared(this.core, this.costs, buffer.address + RPMSG_HDR.size, data.subarray(0, size));
    yield* this.enqueue(buffer.index, buffer.length, { src: ept.addr, dst, len: size, buffer: buffer.address });
    return RL_SUCCESS;
  }

  /**
   * rpmsg_lite_alloc_tx_buffer: a tx buffer's payload address and size (buffer − 16), with the
   * descriptor index kept in hdr.reserved.idx; null and size 0 when the link is down or no
   * buffer came within the timeout.
   */
  allocTxBuffer(timeoutMs: number): FirmwareStep<{ buffer: number; size: number } | null> {
    return this.traced('rpmsg_lite_alloc_tx_buffer', this.allocTxBufferImpl(timeoutMs), (b) => (b === null ? -1 : 0));
  }

  private *allocTxBufferImpl(timeoutMs: number): Firmware<{ buffer: number; size: number } | null> {
    if (this.linkState !== 1) return null;
    yield* this.core.run(this.costs.charge('rl.allocTxBuffer'));
    const b = yield* this.allocate(timeoutMs);
    if (b === null) return null;
    yield* this.writeReservedIdx(b.address, b.index);
    return { buffer: b.address + RPMSG_HDR.size, size: b.length - RPMSG_HDR.size };
  }

  /** rpmsg_lite_send_nocopy: sends a buffer from allocTxBuffer (payload address); never blocks. */
  sendNocopy(ept: Endpoint | null, dst: number, data: number | null, size: number): FirmwareStep<number> {
    return this.traced('rpmsg_lite_send_nocopy', this.sendNocopyImpl(ept, dst, data, size), (c) => c);
  }

  private *sendNocopyImpl(ept: Endpoint | null, dst: number, data: number | null, size: number): Firmware<number> {
    if (ept === null || data === null) return RL_ERR_PARAM;
    if (size > this.config.bufferPayloadSize) return RL_ERR_BUFF_SIZE;
    if (this.linkState !== 1) return RL_NOT_READY;
    yield* this.core.run(this.costs.charge(this.role === 'master' ? 'rl.sendNocopyMaster' : 'rl.sendNocopyRemote'));
    const header = data - RPMSG_HDR.size;
    let index: number;
    if (this.costs.isa === 'armv6-m') {
      // ARMv6-M: the header stores, then idx read twice byte by byte (the M0+ builds' order, COSTS §7 counts).
      yield* this.writeHeader(header, ept.addr, dst, size, 'nocopy');
      index = yield* this.readReservedIdx(header);
    } else {
      index = yield* this.core.read16(header + RPMSG_HDR.reservedIdx);
      yield* this.writeHeader(header, ept.addr, dst, size);
      yield* this.core.read16(header + RPMSG_HDR.reservedIdx); // read again (COSTS §5: idx read twice)
    }
    const length = yield* this.tvq.getBufferLength(index);
    yield* this.enqueue(index, length, { src: ept.addr, dst, len: size, buffer: header });
    return RL_SUCCESS;
  }

  /** rpmsg_lite_release_rx_buffer: gives a held rx buffer back (payload address). */
  releaseRxBuffer(rxbuf: number | null): FirmwareStep<number> {
    return this.traced('rpmsg_lite_release_rx_buffer', this.releaseRxBufferImpl(rxbuf), (c) => c);
  }

  private *releaseRxBufferImpl(rxbuf: number | null): Firmware<number> {
    if (rxbuf === null) return RL_ERR_PARAM;
    yield* this.core.run(this.costs.charge(this.role === 'master' ? 'rl.releaseMaster' : 'rl.releaseRemote'));
    const header = rxbuf - RPMSG_HDR.size;
    const index = yield* this.readReservedIdx(header);
    const length = yield* this.rvq.getBufferLength(index);
    yield* this.environment.lockMutex();
    yield* this.rxFree(header, index, length);
    yield* this.environment.unlockMutex();
    if (this.config.allowConsumedBuffersNotification) yield* this.rvq.kick();
    return RL_SUCCESS;
  }

  /**
   * Header stores in the C order. ARMv7E-M/ARMv8-M: dst, src, len, flags as two bytes (COSTS
   * §5). ARMv6-M has no unaligned access, so GCC stores the packed header byte by byte: 12
   * byte stores (COSTS §7) in the order of the build's code (ARMV6M_HEADER_ORDER).
   */
  private *writeHeader(address: number, src: number, dst: number, size: number, path: 'send' | 'nocopy' = 'send'): Firmware<void> {
    const c = this.core;
    if (this.costs.isa === 'armv6-m') {
      const bytes = headerBytes(src, dst, size);
      for (const offset of armv6mOrder(this.costs.opt)[path]) yield* c.write8(address + offset, bytes[offset]!);
      return;
    }
    yield* c.write32(address + RPMSG_HDR.dst, dst >>> 0);
    yield* c.write32(address + RPMSG_HDR.src, src >>> 0);
    yield* c.write16(address + RPMSG_HDR.len, size & 0xffff);
    yield* c.write8(address + RPMSG_HDR.flags, 0);
    yield* c.write8(address + RPMSG_HDR.flags + 1, 0);
  }

  /** rx_callback's header loads: dst, len, src (COSTS §5); ARMv6-M: 10 byte loads (COSTS §7) in the build's order. */
  private *readHeader(address: number): Firmware<{ dst: number; length: number; src: number }> {
    const c = this.core;
    if (this.costs.isa === 'armv6-m') {
      const bytes = new Uint8Array(RPMSG_HDR.size);
      for (const offset of armv6mOrder(this.costs.opt).rx) bytes[offset] = (yield* c.read8(address + offset)) & 0xff;
      const view = new DataView(bytes.buffer);
      return { dst: view.getUint32(RPMSG_HDR.dst, true), length: view.getUint16(RPMSG_HDR.len, true), src: view.getUint32(RPMSG_HDR.src, true) };
    }
    const dst = yield* c.read32(address + RPMSG_HDR.dst);
    const length = yield* c.read16(address + RPMSG_HDR.len);
    const src = yield* c.read32(address + RPMSG_HDR.src);
    return { dst, length, src };
  }

  /** hdr.reserved.idx = index: one 16-bit store; ARMv6-M two byte stores, low first (COSTS §7: 2×8). */
  private *writeReservedIdx(header: number, index: number): Firmware<void> {
    if (this.costs.isa === 'armv6-m') {
      yield* this.core.write8(header + RPMSG_HDR.reservedIdx, index & 0xff);
      yield* this.core.write8(header + RPMSG_HDR.reservedIdx + 1, (index >>> 8) & 0xff);
    } else {
      yield* this.core.write16(header + RPMSG_HDR.reservedIdx, index);
    }
  }

  /** hdr.reserved.idx, read twice as the C code does (COSTS §5: 2×16); ARMv6-M high byte then low, twice (§7: 4×8). */
  private *readReservedIdx(header: number): Firmware<number> {
    const at = header + RPMSG_HDR.reservedIdx;
    if (this.costs.isa !== 'armv6-m') {
      const index = yield* this.core.read16(at);
      yield* this.core.read16(at);
      return index;
    }
    let index = 0;
    for (let i = 0; i < 2; i++) {
      const high = yield* this.core.read8(at + 1);
      const low = yield* this.core.read8(at);
      index = ((high & 0xff) << 8) | (low & 0xff);
    }
    return index;
  }

  /** vq_tx_alloc under the lock, polling every RL_MS_PER_INTERVAL ms up to the timeout (§6.3). */
  private *allocate(timeoutMs: number): Firmware<RingBuffer | null> {
    const timeout = timeoutMs >>> 0;
    let b = yield* this.txAllocOnce();
    if (b !== null || timeout === 0) return b;
    let tick = 0;
    for (;;) {
      yield* this.environment.sleepMsec(this.config.msPerInterval);
      b = yield* this.txAllocOnce();
      tick += this.config.msPerInterval;
      if (b !== null) return b;
      if (tick >= timeout) return null;
    }
  }

  private *txAllocOnce(): Firmware<RingBuffer | null> {
    yield* this.environment.lockMutex();
    const b = this.role === 'master' ? yield* this.tvq.getBuffer() : yield* this.tvq.getAvailableBuffer();
    if (b !== null) yield* this.cacheInvalidate(b.address, b.length); // vq_tx_alloc_*
    yield* this.environment.unlockMutex();
    return b;
  }

  /** vq_tx under the lock, then kick the tvq. `message` is for the trace only. */
  private *enqueue(index: number, length: number, message: { src: number; dst: number; len: number; buffer: number }): Firmware<void> {
    const tracer = this.core.tracer;
    if (tracer?.on['rl-enqueue']) tracer.put({ t: tracer.now, component: this.core.name, kind: 'rl-enqueue', dir: this.txDirection, msg: this.enqueued, ...message });
    this.enqueued++;
    yield* this.environment.lockMutex();
    yield* this.cacheFlush(message.buffer, length); // vq_tx_*: the whole buffer
    if (this.role === 'master') yield* this.tvq.addBuffer(index);
    else yield* this.tvq.addConsumedBuffer(index, length);
    yield* this.tvq.kick();
    yield* this.environment.unlockMutex();
  }

  /** vq_rx_free: back to the peer (master: avail of vring 0; remote: used of vring 1). */
  private *rxFree(header: number, index: number, length: number): Firmware<void> {
    if (this.config.clearUsedBuffers) {
      yield* this.core.writeBlock(header, new Uint8Array(this.layout.bufferSize));
      yield* this.cacheFlush(header, length);
    }
    if (this.role === 'master') yield* this.rvq.addBuffer(index);
    else yield* this.rvq.addConsumedBuffer(index, length);
  }

  // ---- receiving -----------------------------------------------------------------------------

  /** rpmsg_lite_rx_callback: drains the rvq, dispatching each message by destination (§3.3). */
  private *rxCallback(): Firmware<void> {
    const c = this.core;
    let freed = false;
    for (;;) {
      const b = this.role === 'master' ? yield* this.rvq.getBuffer() : yield* this.rvq.getAvailableBuffer();
      if (b === null) break;
      yield* this.cacheInvalidate(b.address, b.length); // vq_rx_*
      const { dst, length, src } = yield* this.readHeader(b.address);
      const at = this.endpoints.findIndex((e) => e.addr === dst);
      const walked = at < 0 ? this.endpoints.length : at;
      const hold = this.role === 'master' ? 'rl.rxMasterHold' : 'rl.rxRemoteHold';
      yield* c.run(this.costs.charge(hold));
      yield* c.run(this.costs.charge('rl.endpointListNode', walked));
      const payload = b.address + RPMSG_HDR.size;
      if (this.core.tracer?.on['rl-deliver']) this.core.tracer.put({
        t: this.core.tracer.now,
        component: this.core.name,
        kind: 'rl-deliver',
        dir: this.rxDirection,
        msg: this.dequeued,
        src,
        dst,
        len: length,
        buffer: b.address,
        ept: at < 0 ? -1 : dst,
      });
      this.dequeued++;
      // An unknown destination is silently released.
      const result = at < 0 ? RL_RELEASE : yield* this.endpoints[at]!.rxCallback(payload, length, src);
      if (at >= 0 && this.core.tracer?.on['rl-callback-return']) this.core.tracer.put({ t: this.core.tracer.now, component: this.core.name, kind: 'rl-callback-return', dir: this.rxDirection, msg: this.dequeued - 1, result });
      if (at >= 0) this.onDelivery?.({ endpoint: dst, src, length, payload });
      if (result === RL_HOLD) {
        yield* this.writeReservedIdx(b.address, b.index);
        continue;
      }
      // The release path is the hold path (charged above) and the release itself.
      yield* c.run(this.costs.chargeRemainder(this.role === 'master' ? 'rl.rxMasterRelease' : 'rl.rxRemoteRelease', hold));
      yield* this.rxFree(b.address, b.index, b.length);
      freed = true;
    }
    if (freed && this.config.allowConsumedBuffersNotification) yield* this.rvq.kick();
  }
}

/**
 * Why rpmsg_lite_master_init (given the shared memory's `length`) or rpmsg_lite_remote_init
 * (no length) returns NULL for these arguments, or null when it does not: the checks the C
 * library makes before it writes anything (docs/sources.md "Shared-memory layout", "Public API and return codes": the link id, the
 * configuration, and for the master the space for both vrings and 2 × RL_BUFFER_COUNT buffers).
 */
export function initProblem(options: Pick<RlInitOptions, 'config' | 'port'>, shmemAddr: number, linkId: number, length?: number): string | null {
  const { config, port } = options;
  if (linkId > port.highestLinkId) return `link id ${linkId} is above RL_PLATFORM_HIGHEST_LINK_ID (${port.highestLinkId})`;
  const problem = configProblem(config);
  if (problem !== null) return problem;
  if (length === undefined) return null;
  const layout = shmemLayout(shmemAddr, config, length);
  const needed = 2 * config.bufferCount;
  if (needed <= layout.capacity) return null;
  const buffers = `${layout.capacity} buffer${layout.capacity === 1 ? '' : 's'}`;
  return `${length} B of shared memory hold the 2 vrings (VRING_SIZE ${config.vringSize} B each) and ${buffers} of ${layout.bufferSize} B, not 2 × RL_BUFFER_COUNT = ${needed}`;
}

/** rl-call / rl-return around an init (code 0 for an instance, -1 for NULL). */
function* tracedInit(options: RlInitOptions, fn: string, body: Firmware<RpmsgLite | null>): Firmware<RpmsgLite | null> {
  const { core } = options;
  if (core.tracer?.on['rl-call']) core.tracer.put({ t: core.tracer.now, component: core.name, kind: 'rl-call', fn });
  const rl = yield* body;
  if (core.tracer?.on['rl-return']) core.tracer.put({ t: core.tracer.now, component: core.name, kind: 'rl-return', fn, code: rl === null ? -1 : 0 });
  return rl;
}

/** The 16 header bytes as stored: src, dst, reserved (untouched), len, flags 0 (little-endian). */
function headerBytes(src: number, dst: number, size: number): Uint8Array {
  const bytes = new Uint8Array(RPMSG_HDR.size);
  const view = new DataView(bytes.buffer);
  view.setUint32(RPMSG_HDR.src, src >>> 0, true);
  view.setUint32(RPMSG_HDR.dst, dst >>> 0, true);
  view.setUint16(RPMSG_HDR.len, size & 0xffff, true);
  return bytes;
}

/**
 * The byte offsets of the ARMv6-M header accesses, in program order: read from the
 * disassembly (`arm-none-eabi-objdump -d`) of rpmsg_lite_send, rpmsg_lite_send_nocopy and rpmsg_lite_rx_callback built
 * with arm-none-eabi-gcc 12.2.1 -mcpu=cortex-m0plus -mthumb (the strb/ldrb on the header; the
 * counts are COSTS §7's: 12 stores, 10 loads). -O2 and -O3 emit the same order; -Os another.
 */
export const ARMV6M_HEADER_ORDER: Readonly<Record<'O2' | 'O3' | 'Os', HeaderOrder>> = {
  O2: { send: [4, 5, 6, 7, 0, 1, 2, 3, 13, 12, 14, 15], nocopy: [5, 6, 1, 2, 13, 4, 0, 7, 3, 12, 14, 15], rx: [5, 4, 6, 7, 1, 0, 2, 12, 3, 13] },
  O3: { send: [4, 5, 6, 7, 0, 1, 2, 3, 13, 12, 14, 15], nocopy: [5, 6, 1, 2, 13, 4, 0, 7, 3, 12, 14, 15], rx: [5, 4, 6, 7, 1, 0, 2, 12, 3, 13] },
  Os: { send: [5, 6, 7, 1, 2, 3, 13, 14, 15, 0, 12, 4], nocopy: [5, 6, 1, 2, 4, 0, 7, 3, 12, 13, 14, 15], rx: [5, 4, 6, 7, 1, 0, 2, 3, 12, 13] },
};

interface HeaderOrder {
  readonly send: readonly number[];
  readonly nocopy: readonly number[];
  readonly rx: readonly number[];
}

function armv6mOrder(opt: string): HeaderOrder {
  return ARMV6M_HEADER_ORDER[opt as 'O2' | 'O3' | 'Os'] ?? ARMV6M_HEADER_ORDER.Os;
}
