// Configuration options: RL_ALLOW_CONSUMED_BUFFERS_NOTIFICATION, RL_CLEAR_USED_BUFFERS and a
// per-link custom shared-memory configuration (docs/sources.md "Shared-memory layout", "Virtqueue roles", "Notifications and the rx ISR").

import { cycles } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import { type ProgramContext, type RpmsgSystemOptions, buildRpmsgSystem, startPrograms } from '../../platforms/system';
import type { CortexMPort } from '../../platforms/common/cortex-m-port';
import { RL_BLOCK, RL_ERR_BUFF_SIZE, RL_HOLD, RL_RELEASE, RL_SUCCESS } from './constants';
import { RpmsgLite } from './rpmsg-lite';
import { vringLayout } from './virtio-ring';

function oneMessage(options: RpmsgSystemOptions, hold = false) {
  const sys = buildRpmsgSystem('lpc55s69', options);
  const seen: Record<string, unknown> = {};
  let remoteReady = false;
  startPrograms(sys, {
    remote: function* (ctx: ProgramContext): Firmware<void> {
      const rl = (yield* RpmsgLite.remoteInit(ctx, ctx.sharedMemory.base, ctx.linkId))!;
      let heldAt = -1;
      yield* rl.createEpt(30, function* (payload) {
        heldAt = payload;
        return hold ? RL_HOLD : RL_RELEASE;
      });
      remoteReady = true;
      while (heldAt < 0) yield* ctx.core.waitForInterrupt();
      if (hold) seen.release = yield* rl.releaseRxBuffer(heldAt);
      seen.buffer = Array.from(yield* ctx.core.readBlock(heldAt - 16, 24));
    },
    master: function* (ctx: ProgramContext): Firmware<void> {
      const rl = (yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
      const ept = (yield* rl.createEpt(1, function* () {
        return RL_RELEASE;
      }))!;
      while (!remoteReady) yield* ctx.core.exec(cycles(100));
      seen.send = yield* rl.send(ept, 30, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 8, RL_BLOCK);
      const oversize = ctx.config.bufferPayloadSize + 1;
      seen.oversize = yield* rl.send(ept, 30, new Uint8Array(oversize), oversize, RL_BLOCK);
    },
  });
  sys.kernel.run();
  const masterPort = sys.master.port as CortexMPort;
  return { sys, seen, txCallbacks: masterPort.dispatched.get(1) ?? 0 };
}

test('RL_ALLOW_CONSUMED_BUFFERS_NOTIFICATION: the remote kicks vring 1 after freeing; the master sees its tx callback', () => {
  expect(oneMessage({}).txCallbacks).toBe(0);
  expect(oneMessage({ config: { allowConsumedBuffersNotification: true } }).txCallbacks).toBe(1);
  // and after a release of a held buffer too
  expect(oneMessage({ config: { allowConsumedBuffersNotification: true } }, true).txCallbacks).toBe(1);
});

test('RL_CLEAR_USED_BUFFERS: a released buffer is zeroed, header included', () => {
  const kept = oneMessage({}, true).seen.buffer as number[];
  expect(kept.slice(16)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  const cleared = oneMessage({ config: { clearUsedBuffers: true } }, true).seen.buffer as number[];
  expect(cleared).toEqual(new Array(24).fill(0));
});

test('a custom shared-memory config (payload 100, 4 buffers, VRING_SIZE 0x100, VRING_ALIGN 0x20) lays out and limits sends by it', () => {
  const config = { bufferPayloadSize: 100, bufferCount: 4, vringSize: 0x100, vringAlign: 0x20, customShmemConfig: true };
  const { sys, seen } = oneMessage({ config });
  expect(seen.send).toBe(RL_SUCCESS);
  expect(seen.oversize).toBe(RL_ERR_BUFF_SIZE);
  const base = sys.sharedMemory.base;
  const sram = [...sys.soc.memories.values()][0]!;
  const offset = base - sys.soc.platform.cores[0].addressMap.find((w) => w.target === sram.name)!.base;
  const ring = vringLayout(base, 4, 0x20);
  expect(ring.used - base).toBe(0x60); // align_up(0x40 + 4 + 8, 0x20)
  expect(sram.read(offset + 0, 4)).toBe(base + 0x200); // buffers after 2 × 0x100
  expect(sram.read(offset + 8, 4)).toBe(116); // word-aligned 100 + 16
  expect(sram.read(offset + 0x100 + 0x60 + 2, 2)).toBe(5); // vring 1 used.idx: 4 at init + 1 released
});
