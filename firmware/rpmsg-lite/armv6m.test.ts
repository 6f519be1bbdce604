// A Cortex-M0+ (ARMv6-M) send: the packed rpmsg header stored byte by byte in the order the
// M0+ -Os build's code stores it, the 4-byte payload stored in bytes by newlib-nano's ARMv6-M
// memcpy (words only from 16 bytes up), and the cycles charged for both (COSTS §7).

import type { Firmware, Work } from '../../sim/hw/core';
import { buildRpmsgSystem } from '../../platforms/system';
import { RL_BLOCK, RL_RELEASE, RL_SUCCESS } from './constants';
import { RpmsgLite } from './rpmsg-lite';

interface Op {
  op: string;
  address: number;
  value?: number;
}

test('lpc54114: the M0+ remote sends 4 bytes; exact header and payload accesses, exact charged cycles', () => {
  const sys = buildRpmsgSystem('lpc54114');
  expect([sys.remote.costs.coreType, sys.remote.costs.isa, sys.remote.costs.opt, sys.remote.costs.libc]).toEqual(['cortex-m0+', 'armv6-m', 'Os', 'newlib-nano']);
  const B = sys.sharedMemory.base;
  const core = sys.remote.core;
  const log: Op[] = [];
  const works: number[] = [];
  let recording = false;
  const wrap = (name: 'write8' | 'write16' | 'write32' | 'read8' | 'read16' | 'read32') => {
    const original = core[name].bind(core) as (a: number, v?: number) => Firmware<number | void>;
    (core as unknown as Record<string, unknown>)[name] = function* (address: number, value?: number) {
      if (recording) log.push({ op: name, address: address - B, ...(value !== undefined && { value }) });
      return yield* original(address, value);
    };
  };
  for (const name of ['write8', 'write16', 'write32', 'read8', 'read16', 'read32'] as const) wrap(name);
  const originalBlock = core.writeBlock.bind(core);
  core.writeBlock = function* (address: number, data: Uint8Array) {
    if (recording) log.push({ op: `writeBlock(${data.length})`, address: address - B });
    yield* originalBlock(address, data);
  };
  const originalRun = core.run.bind(core);
  core.run = function* (work: Work) {
    if (recording) works.push(work.cycles);
    yield* originalRun(work);
  };

  let code: number | undefined;
  sys.master.core.start(
    (function* (): Firmware<void> {
      const rl = (yield* RpmsgLite.masterInit({ ...sys.master, config: sys.config }, B, sys.sharedMemory.length, 0))!;
      yield* rl.createEpt(40, function* () {
        return RL_RELEASE;
      });
      for (;;) yield* sys.master.core.waitForInterrupt();
    })(),
  );
  core.start(
    (function* (): Firmware<void> {
      const rl = (yield* RpmsgLite.remoteInit({ ...sys.remote, config: sys.config }, B, 0))!;
      const ept = (yield* rl.createEpt(30, function* () {
        return RL_RELEASE;
      }))!;
      yield* rl.waitForLinkUp(RL_BLOCK);
      recording = true;
      code = yield* rl.send(ept, 40, new Uint8Array([0x11, 0x22, 0x33, 0x44]), 4, RL_BLOCK);
      recording = false;
      for (;;) yield* core.waitForInterrupt();
    })(),
  );
  sys.kernel.run();
  expect(code).toBe(RL_SUCCESS);
  // The first tx buffer of the remote is vring 0's descriptor 0 buffer, B + 0xa0 (VRING_SIZE
  // 0x50 × 2 before the buffers). Header: src 30 at +0, dst 40 at +4, len 4 at +12, flags 0 at
  // +14, one byte each in the -Os order 5 6 7 1 2 3 13 14 15 0 12 4 (values: the bytes of
  // those fields, little-endian); then the payload at +16 in four byte stores (4 < 16 bytes:
  // newlib's ARMv6-M memcpy copies bytes).
  const bytes = log.filter((o) => o.op === 'write8');
  expect(bytes).toEqual([
    ...[
      [5, 0], [6, 0], [7, 0], [1, 0], [2, 0], [3, 0], [13, 0], [14, 0], [15, 0], [0, 30], [12, 4], [4, 40],
      [16, 0x11], [17, 0x22], [18, 0x33], [19, 0x44],
    ].map(([offset, value]) => ({ op: 'write8', address: 0xa0 + offset!, value })),
  ]);
  // No wider header or payload access, and no burst: the only other accesses are the vrings' (below B + 0xa0).
  expect(log.filter((o) => o.op !== 'write8' && o.address >= 0xa0 && o.address < sys.sharedMemory.length)).toEqual([]);
  // Charged cycles at 1.64 cycles/instruction (Cortex-M0+, firmware/costs/registry.ts):
  // rl.sendRemote (M0+ -Os): 212 lib-only − 22 shared accesses (7 L / 15 S) − 3 dsb = 187 → 306.68 → 307;
  // memcpy of 4 bytes (newlib-nano, ARMv6-M): round(33.1 + 0.817 × 4) = 36, − 4 byte stores on the bus = 32 → 52.48 → 52.
  // env lock/unlock: 1 instruction (M4 -O2) × 1.383 (M0+ -Os hot-path ratio) = 1.383 → 1 → 1.64 → 2 each;
  // port.notify: 14 × 1.383 = 19.36 → 19 → 31.16 → 31. In order: send, lock + unlock around the
  // buffer get, memcpy, lock, notify, unlock around the enqueue and kick.
  expect(works).toEqual([307, 2, 2, 52, 2, 31, 2]);
});
