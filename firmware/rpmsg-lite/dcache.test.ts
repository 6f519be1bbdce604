// RL_USE_DCACHE (docs/sources.md "Cache maintenance"): which ranges rpmsg-lite cleans and invalidates, in the C
// library's order, and what happens to the data when the master maps the shared memory
// cacheable without it. On the i.MX RT1170 with 2 buffers a direction, VRING_ALIGN 0x10:
// vring 0 at B = 0x202C0000: desc 0x00 (2 × 16 B), avail 0x20 (flags, idx 0x22, ring 0x24),
// used 0x30 (flags, idx 0x32, ring 0x34 in 8-byte elements); vring 1 at B + 0x50 (VRING_SIZE
// 0x50); buffers of 512 B from B + 0xA0 (mcuVringSize(2, 0x10) = 0x20 + 0x10 + 0x20 = 0x50).

import type { Firmware } from '../../sim/hw/core';
import { type ProgramContext, type RpmsgSystemOptions, buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { RpmsgLite } from './rpmsg-lite';

const B = 0x202c0000;

/** Runs the master's init alone and records every cache hook call of the master's port. */
function masterInitHooks(options: RpmsgSystemOptions): { calls: string[]; sys: ReturnType<typeof buildRpmsgSystem> } {
  const sys = buildRpmsgSystem('imxrt1170', options);
  const calls: string[] = [];
  const port = sys.master.port;
  const flush = port.cacheFlush.bind(port);
  const invalidate = port.cacheInvalidate.bind(port);
  port.cacheFlush = (a, n) => (calls.push(`F ${(a - B).toString(16)} ${n}`), flush(a, n));
  port.cacheInvalidate = (a, n) => (calls.push(`I ${(a - B).toString(16)} ${n}`), invalidate(a, n));
  startPrograms(sys, {
    master: function* (ctx: ProgramContext): Firmware<void> {
      yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId);
    },
  });
  sys.kernel.run();
  return { calls, sys };
}

test('without RL_USE_DCACHE rpmsg-lite calls no cache hook', () => {
  expect(masterInitHooks({}).calls).toEqual([]);
});

test('master init with RL_USE_DCACHE: the flushes and invalidates of rpmsg_lite_master_init and virtqueue.c, in order', () => {
  const { calls } = masterInitHooks({ config: { useDcache: true }, placement: { master: { shared: 'cacheable' } } });
  const perVring = (v: number) => [`F ${(v + 0x20).toString(16)} 6`, `F ${(v + 0x30).toString(16)} 12`, `F ${(v + 0x20).toString(16)} 2`];
  const buffer = (k: number) => `F ${(0xa0 + 512 * k).toString(16)} 512`;
  expect(calls).toEqual([
    // virtqueue_create's header flushes and disable_cb's avail.flags, per vring
    ...perVring(0),
    ...perVring(0x50),
    // rx buffers into vring 0: memset + flush, the descriptor, vq_ring_update_avail
    buffer(0), 'F 0 16', 'I 22 2', 'F 24 2', 'F 22 2',
    buffer(1), 'F 10 16', 'I 22 2', 'F 26 2', 'F 22 2',
    // tx buffers into vring 1's used ring: memset + flush, the descriptor, vq_ring_update_used
    buffer(2), 'F 50 16', 'I 82 2', 'F 84 8', 'F 82 2',
    buffer(3), 'F 60 16', 'I 82 2', 'F 8c 8', 'F 82 2',
    // the kick of vring 0: vq_ring_must_notify_host invalidates used.flags
    'I 30 2',
  ]);
});

test('the shared memory is non-cacheable on the M7 by default (the SDK MPU region); the rest of OCRAM is write-back', () => {
  const sys = buildRpmsgSystem('imxrt1170');
  const dcache = sys.master.core.dcache!;
  expect([dcache.covers(B), dcache.covers(B + 0x1fff), dcache.covers(B + 0x2000)]).toEqual([false, false, true]);
  expect(dcache.policyAt(B + 0x2000)).toBe('write-back');
  const cacheable = buildRpmsgSystem('imxrt1170', { placement: { master: { shared: 'cacheable' } } }).master.core.dcache!;
  // The OCRAM region's attribute beneath: write-back, no write-allocate (TEX 0, C 1, B 1).
  expect(cacheable.policyAt(B)).toBe('write-back');
});

test('a core without a data cache cannot map the shared memory cacheable', () => {
  expect(() => buildRpmsgSystem('lpc55s69', { placement: { remote: { shared: 'cacheable' } } })).toThrow(
    'placement.remote.shared: core1 has no data cache (or the platform leaves it disabled), so its shared memory cannot be cacheable',
  );
});

test('cacheable without RL_USE_DCACHE: the master\'s avail.idx of vring 0 stays in its cache, OCRAM keeps 0; with it OCRAM has 2', () => {
  const ocramAvailIdx = (options: RpmsgSystemOptions): (number | boolean)[] => {
    const { sys } = masterInitHooks({ placement: { master: { shared: 'cacheable' } }, ...options });
    const ocram = sys.soc.memories.get('ocram')!;
    const dcache = sys.master.core.dcache!;
    const slot = dcache.array.probe(B + 0x22);
    const cached = slot < 0 ? -1 : (dcache.array.lineData(slot)[2]! | (dcache.array.lineData(slot)[3]! << 8));
    return [ocram.read(0x22, 2), cached, slot >= 0 && dcache.array.isDirty(slot)];
  };
  // Without: the line 0x20..0x3F was filled by disable_cb's read of avail.flags and written
  // in the cache from then on (write-back hits): OCRAM 0, the M7's line 2 and dirty.
  expect(ocramAvailIdx({})).toEqual([0, 2, true]);
  // With: cleaned after every update; the kick's invalidate of used.flags drops the line and
  // its read of used.flags fills it again, clean.
  expect(ocramAvailIdx({ config: { useDcache: true } })).toEqual([2, 2, false]);
});

test('a hook on the M7: 10 + 4 per line instructions at the M7 CPI, between two DSBs; a clean range writes nothing back', () => {
  // The M7's CPI is 1.0 (firmware/costs/registry.ts): 10, and 16 lines × 4 = 64; DSB 6 cycles
  // twice (core-types.ts): 10 + 64 + 12 = 86.
  const sys = buildRpmsgSystem('imxrt1170', { placement: { master: { shared: 'cacheable' } } });
  const core = sys.master.core;
  startPrograms(sys, {
    master: function* (): Firmware<void> {
      yield* sys.master.port.cacheFlush(B + 0xa0, 512); // one buffer: 16 lines of 32 bytes
    },
  });
  sys.kernel.run();
  expect(core.stats.cacheMaintenanceCycles).toBe(86);
  expect(core.dcache!.stats).toMatchObject({ maintainedLines: 16, writeBacks: 0 });
});
