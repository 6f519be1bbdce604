// Every error path of the C API with its exact code; exhaustion and recovery; zero-copy and
// hold/release; endpoints; the name service; link-up ordering.

import { cycles } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import { type ProgramContext, type RpmsgSystemOptions, buildRpmsgSystem, startPrograms } from '../../platforms/system';
import {
  rpmsg_lite_alloc_tx_buffer,
  rpmsg_lite_create_ept,
  rpmsg_lite_deinit,
  rpmsg_lite_destroy_ept,
  rpmsg_lite_is_link_up,
  rpmsg_lite_release_rx_buffer,
  rpmsg_lite_send,
  rpmsg_lite_send_nocopy,
  rpmsg_lite_wait_for_link_up,
} from './api';
import {
  RL_ADDR_ANY,
  RL_BLOCK,
  RL_ERR_BUFF_SIZE,
  RL_ERR_NO_MEM,
  RL_ERR_PARAM,
  RL_FALSE,
  RL_HOLD,
  RL_NOT_READY,
  RL_NS_CREATE,
  RL_RELEASE,
  RL_SUCCESS,
  RL_TRUE,
  RPMSG_HDR,
} from './constants';
import { type Endpoint, RpmsgLite } from './rpmsg-lite';
import { readNsName, rpmsg_ns_announce, rpmsg_ns_bind } from './rpmsg-ns';

const release = function* (): Firmware<number> {
  return RL_RELEASE;
};

/** Runs a master and a remote program (remote first; the master starts after `masterDelayCycles`). */
function pair(
  platform: string,
  programs: { master?: (ctx: ProgramContext) => Firmware<unknown>; remote?: (ctx: ProgramContext) => Firmware<unknown> },
  options: RpmsgSystemOptions & { masterDelayCycles?: number } = {},
) {
  const sys = buildRpmsgSystem(platform, options);
  const delay = options.masterDelayCycles ?? 20_000;
  startPrograms(sys, {
    ...(programs.remote !== undefined && { remote: programs.remote }),
    ...(programs.master !== undefined && {
      master: function* (ctx: ProgramContext) {
        yield* ctx.core.exec(cycles(delay));
        return yield* programs.master!(ctx);
      },
    }),
  });
  return sys;
}

function* initMaster(ctx: ProgramContext): Firmware<RpmsgLite> {
  return (yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
}

function* initRemote(ctx: ProgramContext): Firmware<RpmsgLite> {
  return (yield* RpmsgLite.remoteInit(ctx, ctx.sharedMemory.base, ctx.linkId))!;
}

describe('error codes (docs/sources.md "Public API and return codes")', () => {
  test('send checks in the C order: ept, dev, size, data, link', () => {
    const codes: number[] = [];
    const sys = pair('lpc55s69', {
      remote: function* (ctx) {
        const rl = yield* initRemote(ctx);
        const ept = (yield* rl.createEpt(30, release))!;
        const data = new Uint8Array(497);
        codes.push(
          yield* rpmsg_lite_send(rl, null, 1, data, 4, 0), // ept NULL
          yield* rpmsg_lite_send(null, ept, 1, data, 4, 0), // dev NULL
          yield* rpmsg_lite_send(rl, ept, 1, null, 497, 0), // size before data
          yield* rpmsg_lite_send(rl, ept, 1, null, 4, 0), // data before link
          yield* rpmsg_lite_send(rl, ept, 1, data, 496, 0), // link down (the master never ran)
        );
        codes.push(rpmsg_lite_is_link_up(rl), rpmsg_lite_is_link_up(null));
        codes.push(yield* rpmsg_lite_wait_for_link_up(null, 5));
      },
    });
    sys.kernel.run();
    expect(codes).toEqual([RL_ERR_PARAM, RL_ERR_PARAM, RL_ERR_BUFF_SIZE, RL_ERR_PARAM, RL_NOT_READY, RL_FALSE, RL_FALSE, 0]);
  });

  test('zero-copy and release misuse; alloc with the link down gives null and size 0', () => {
    const out: unknown[] = [];
    const sys = pair('lpc55s69', {
      remote: function* (ctx) {
        const rl = yield* initRemote(ctx);
        const ept = (yield* rl.createEpt(30, release))!;
        const size = { value: 123 };
        out.push(yield* rpmsg_lite_alloc_tx_buffer(rl, size, 0), size.value);
        out.push(yield* rpmsg_lite_alloc_tx_buffer(rl, null, 0));
        out.push(
          yield* rpmsg_lite_send_nocopy(rl, null, 1, 0x2003_1000, 4),
          yield* rpmsg_lite_send_nocopy(rl, ept, 1, null, 4),
          yield* rpmsg_lite_send_nocopy(rl, ept, 1, 0x2003_1000, 497),
          yield* rpmsg_lite_send_nocopy(rl, ept, 1, 0x2003_1000, 4),
          yield* rpmsg_lite_release_rx_buffer(rl, null),
          yield* rpmsg_lite_release_rx_buffer(null, 0x2003_1000),
        );
      },
    });
    sys.kernel.run();
    expect(out).toEqual([null, 0, null, RL_ERR_PARAM, RL_ERR_PARAM, RL_ERR_BUFF_SIZE, RL_NOT_READY, RL_ERR_PARAM, RL_ERR_PARAM]);
  });

  test('endpoints: RL_ADDR_ANY takes the lowest free address from 1 (53 too); duplicates and unknown endpoints', () => {
    const out: unknown[] = [];
    const sys = pair('lpc55s69', {
      remote: function* (ctx) {
        const rl = yield* initRemote(ctx);
        const any1 = (yield* rpmsg_lite_create_ept(rl, RL_ADDR_ANY, release))!;
        const any2 = (yield* rpmsg_lite_create_ept(rl, RL_ADDR_ANY, release))!;
        out.push(any1.addr, any2.addr);
        out.push(yield* rpmsg_lite_create_ept(rl, 2, release)); // taken
        for (let a = 3; a <= 52; a++) yield* rl.createEpt(a, release);
        out.push((yield* rl.createEpt(RL_ADDR_ANY, release))!.addr); // 53 is not reserved
        out.push((yield* rl.createEpt(0, release))!.addr); // 0 may be asked for explicitly
        out.push(yield* rpmsg_lite_destroy_ept(rl, any1));
        out.push(yield* rpmsg_lite_destroy_ept(rl, any1)); // no longer in the list
        out.push(yield* rpmsg_lite_destroy_ept(rl, null), yield* rpmsg_lite_destroy_ept(null, any2));
        out.push((yield* rl.createEpt(RL_ADDR_ANY, release))!.addr); // 1 is free again
        out.push(yield* rpmsg_lite_create_ept(null, 7, release));
        out.push(rl.endpointAddresses.slice(0, 3));
        out.push(yield* rpmsg_lite_deinit(rl), yield* rpmsg_lite_deinit(rl), yield* rpmsg_lite_deinit(null));
      },
    });
    sys.kernel.run();
    expect(out).toEqual([1, 2, null, 53, 0, RL_SUCCESS, RL_ERR_PARAM, RL_ERR_PARAM, RL_ERR_PARAM, 1, null, [1, 0, 53], RL_SUCCESS, RL_ERR_PARAM, RL_ERR_PARAM]);
  });
});

describe('exhaustion and recovery', () => {
  test('with the remote holding both buffers the master gets RL_ERR_NO_MEM, after 5 polls with timeout 5, and recovers when one is released', () => {
    const held: number[] = [];
    const results: Record<string, unknown> = {};
    let remote: RpmsgLite | null = null;
    const sys = pair('lpc55s69', {
      remote: function* (ctx) {
        remote = yield* initRemote(ctx);
        yield* remote.createEpt(30, function* (payload) {
          held.push(payload);
          return RL_HOLD;
        });
        while (held.length < 2) yield* ctx.core.waitForInterrupt();
        yield* ctx.core.exec(cycles(8 * 150_000)); // 8 ms (after the 5 ms poll gave up), then give one back
        results.released = yield* remote.releaseRxBuffer(held.shift()!);
      },
      master: function* (ctx) {
        const rl = yield* initMaster(ctx);
        const ept = (yield* rl.createEpt(1, release))!;
        const data = new Uint8Array(8);
        results.first = [yield* rl.send(ept, 30, data, 8, 0), yield* rl.send(ept, 30, data, 8, 0)];
        results.third = yield* rl.send(ept, 30, data, 8, 0);
        const t0 = ctx.kernel.now;
        results.polled = yield* rl.send(ept, 30, data, 8, 5);
        results.pollNs = ctx.kernel.timebase.toNs((ctx.kernel.now - t0) as never);
        results.recovered = yield* rl.send(ept, 30, data, 8, 10);
      },
    });
    sys.kernel.run();
    expect(results.first).toEqual([RL_SUCCESS, RL_SUCCESS]);
    expect(results.third).toBe(RL_ERR_NO_MEM);
    expect(results.polled).toBe(RL_ERR_NO_MEM);
    // Five 1 ms busy-waits of 150 MHz cycles, plus six tries under the lock.
    expect(results.pollNs as number).toBeGreaterThanOrEqual(5_000_000);
    expect(results.pollNs as number).toBeLessThan(5_050_000);
    expect(results.released).toBe(RL_SUCCESS);
    expect(results.recovered).toBe(RL_SUCCESS);
    expect(held.length).toBe(2); // the recovered message arrived and is held
  });
});

describe('zero-copy, hold and release', () => {
  test('alloc_tx_buffer keeps the descriptor index in hdr.reserved.idx; send_nocopy delivers; a held rx buffer is released later', () => {
    const seen: Record<string, unknown> = {};
    let remote: RpmsgLite | null = null;
    const sys = pair('imxrt1170', {
      remote: function* (ctx) {
        remote = yield* initRemote(ctx);
        yield* remote.createEpt(30, function* (payload, length, src) {
          seen.rx = [Buffer.from(yield* ctx.core.readBlock(payload, length)).toString(), src];
          seen.heldAt = payload;
          return RL_HOLD;
        });
        while (seen.heldAt === undefined) yield* ctx.core.waitForInterrupt();
        const header = (seen.heldAt as number) - RPMSG_HDR.size;
        seen.reservedIdx = yield* ctx.core.read16(header + RPMSG_HDR.reservedIdx);
        const usedBefore = yield* ctx.core.read16(remote.rvq.ring.usedIdx);
        seen.release = yield* remote.releaseRxBuffer(seen.heldAt as number);
        seen.used = [usedBefore, yield* ctx.core.read16(remote.rvq.ring.usedIdx)];
      },
      master: function* (ctx) {
        const rl = yield* initMaster(ctx);
        const ept = (yield* rl.createEpt(1, release))!;
        const size = { value: 0 };
        const buffer = (yield* rpmsg_lite_alloc_tx_buffer(rl, size, 0))!;
        seen.alloc = [buffer - ctx.sharedMemory.base, size.value, yield* ctx.core.read16(buffer - 16 + RPMSG_HDR.reservedIdx)];
        yield* ctx.core.writeBlock(buffer, Buffer.from('zero-copy'));
        seen.send = yield* rpmsg_lite_send_nocopy(rl, ept, 30, buffer, 9);
      },
    });
    sys.kernel.run();
    // Buffer 2 (the first of vring 1's pool) at +0x4B0 payload, 496 bytes, descriptor 0.
    expect(seen.alloc).toEqual([0x4b0, 496, 0]);
    expect(seen.send).toBe(RL_SUCCESS);
    expect(seen.rx).toEqual(['zero-copy', 1]);
    expect(seen.reservedIdx).toBe(0);
    expect(seen.release).toBe(RL_SUCCESS);
    expect(seen.used).toEqual([2, 3]);
  });

  test('a message to an unknown endpoint is silently released', () => {
    let calls = 0;
    let remote: RpmsgLite | null = null;
    const sys = pair('lpc55s69', {
      remote: function* (ctx) {
        remote = yield* initRemote(ctx);
        yield* remote.createEpt(30, function* () {
          calls++;
          return RL_RELEASE;
        });
      },
      master: function* (ctx) {
        const rl = yield* initMaster(ctx);
        const ept = (yield* rl.createEpt(1, release))!;
        return yield* rl.send(ept, 31, new Uint8Array(4), 4, 0);
      },
    });
    sys.kernel.run();
    expect(calls).toBe(0);
    expect(remote!.rvq.availableIdx).toBe(1);
    const shmBase = sys.sharedMemory.base;
    const sram = [...sys.soc.memories.values()][0]!;
    const offset = shmBase - sys.soc.platform.cores[0].addressMap.find((w) => w.target === sram.name)!.base;
    expect(sram.read(offset + 0x82, 2)).toBe(3); // vring1 used.idx 2 -> 3: given back
  });
});

describe('name service', () => {
  test('the remote announces "rpmsg-openamp-demo-channel" from ept 30; the master gets addr, name and flags; the wire bytes match', () => {
    const got: unknown[] = [];
    let wire: number[] = [];
    const sys = pair('lpc55s69', {
      master: function* (ctx) {
        const rl = yield* initMaster(ctx);
        yield* rpmsg_ns_bind(rl, function* (addr, nameAddress, flags) {
          got.push(addr, yield* readNsName(rl, nameAddress), flags);
          wire = Array.from(yield* ctx.core.readBlock(nameAddress - 16, 56));
        });
      },
      remote: function* (ctx) {
        const rl = yield* initRemote(ctx);
        const ept = (yield* rl.createEpt(30, release))!;
        yield* rl.waitForLinkUp(RL_BLOCK);
        got.push(yield* rpmsg_ns_announce(rl, ept, 'rpmsg-openamp-demo-channel', RL_NS_CREATE));
        got.push(yield* rpmsg_ns_announce(rl, ept, null, RL_NS_CREATE), yield* rpmsg_ns_announce(rl, null, 'x', RL_NS_CREATE));
      },
    });
    sys.kernel.run();
    expect(got).toEqual([RL_SUCCESS, RL_ERR_PARAM, RL_ERR_PARAM, 30, 'rpmsg-openamp-demo-channel', 0]);
    const name = [...Buffer.from('rpmsg-openamp-demo-channel'), ...new Array(6).fill(0)];
    // header 1e000000 35000000 0000 0000 2800 0000, the 32-byte name, 1e000000 00000000
    expect(wire).toEqual([0x1e, 0, 0, 0, 0x35, 0, 0, 0, 0, 0, 0, 0, 0x28, 0, 0, 0, ...name, 0x1e, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('link-up ordering (docs/sources.md "Link-up")', () => {
  const lateRemote = (platform: string, options: RpmsgSystemOptions) => {
    const result: { up?: number; at?: number } = {};
    const sys = buildRpmsgSystem(platform, options);
    startPrograms(sys, {
      master: function* (ctx) {
        yield* initMaster(ctx); // kicks vring 0 before the remote exists
      },
      remote: function* (ctx) {
        yield* ctx.core.exec(cycles(100_000)); // boots late
        const rl = yield* initRemote(ctx);
        result.up = yield* rpmsg_lite_wait_for_link_up(rl, 10);
        result.at = ctx.kernel.timebase.toNs(ctx.kernel.now) / 1000;
      },
    });
    sys.kernel.run();
    return result;
  };

  test.each(['imxrt1170', 'lpc55s69', 'imx8mm', 'lpc54114'])('%s: the latched doorbell brings a late remote up', (platform) => {
    expect(lateRemote(platform, {}).up).toBe(RL_TRUE);
  });

  test.each(['imxrt1170', 'lpc55s69', 'imx8mm', 'lpc54114'])('%s: a remote that resets its mailbox at init misses the kick and times out', (platform) => {
    const r = lateRemote(platform, { ports: { remote: { resetMailboxOnInit: true } } });
    expect(r.up).toBe(RL_FALSE);
  });
});

describe('deinit does not touch shared memory', () => {
  // imxrt1170: the LPC ports' platform_deinit spins until the peer consumed its doorbell, and
  // no remote runs here.
  test('the vring bytes are the same before and after the master deinitialises', () => {
    let before: number[] = [];
    let after: number[] = [];
    const sys = pair('imxrt1170', {
      master: function* (ctx) {
        const rl = yield* initMaster(ctx);
        before = Array.from(yield* ctx.core.readBlock(ctx.sharedMemory.base, 0xa0));
        expect(yield* rl.deinit()).toBe(RL_SUCCESS);
        after = Array.from(yield* ctx.core.readBlock(ctx.sharedMemory.base, 0xa0));
        expect(rl.isLinkUp()).toBe(false);
      },
    });
    sys.kernel.run();
    expect(after).toEqual(before);
  });
});

// Keeps the Endpoint type in use for readers of this file.
export type { Endpoint };
