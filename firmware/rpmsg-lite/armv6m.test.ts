// A send's exact shared-memory stores and charged cycles per build. On a Cortex-M0+ (ARMv6-M)
// the packed rpmsg header is stored byte by byte in the order the M0+ -Os build's code stores
// it and the 4-byte payload in bytes by newlib-nano's ARMv6-M memcpy (words only from 16 bytes
// up; COSTS §7); on the Cortex-M4 the §5 header stores and newlib's word copy with its tail.

import type { Core, Firmware, Work } from '../../sim/hw/core';
import { cycles } from '../../sim/kernel';
import { buildRpmsgSystem } from '../../platforms/system';
import { RL_BLOCK, RL_RELEASE, RL_SUCCESS } from './constants';
import { RpmsgLite } from './rpmsg-lite';

interface Op {
  op: string;
  address: number;
  value?: number;
}

/** Records one core's accesses (addresses relative to `base`) and the cycles of its charged work while `state.on`. */
function recorder(core: Core, base: number) {
  const log: Op[] = [];
  const works: number[] = [];
  const state = { on: false };
  for (const name of ['write8', 'write16', 'write32', 'read8', 'read16', 'read32'] as const) {
    const original = core[name].bind(core) as (a: number, v?: number) => Firmware<number | void>;
    (core as unknown as Record<string, unknown>)[name] = function* (address: number, value?: number) {
      if (state.on) log.push({ op: name, address: address - base, ...(value !== undefined && { value }) });
      return yield* original(address, value);
    };
  }
  const originalBlock = core.writeBlock.bind(core);
  core.writeBlock = function* (address: number, data: Uint8Array) {
    if (state.on) log.push({ op: `writeBlock(${data.length})`, address: address - base });
    yield* originalBlock(address, data);
  };
  const originalRun = core.run.bind(core);
  core.run = function* (work: Work) {
    if (state.on) works.push(work.cycles);
    yield* originalRun(work);
  };
  return { log, works, state };
}

test('lpc54114: the M0+ remote sends 4 bytes; exact header and payload accesses, exact charged cycles', () => {
  const sys = buildRpmsgSystem('lpc54114');
  expect([sys.remote.costs.coreType, sys.remote.costs.isa, sys.remote.costs.opt, sys.remote.costs.libc]).toEqual(['cortex-m0+', 'armv6-m', 'Os', 'newlib-nano']);
  const B = sys.sharedMemory.base;
  const core = sys.remote.core;
  const { log, works, state } = recorder(core, B);
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
      state.on = true;
      code = yield* rl.send(ept, 40, new Uint8Array([0x11, 0x22, 0x33, 0x44]), 4, RL_BLOCK);
      state.on = false;
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

test('lpc54114: the M4 master sends 7 bytes; the §5 header stores and newlib-nano\'s word copy with its tail', () => {
  const sys = buildRpmsgSystem('lpc54114');
  const B = sys.sharedMemory.base;
  const { log, works, state } = recorder(sys.master.core, B);
  let code: number | undefined;
  sys.master.core.start(
    (function* (): Firmware<void> {
      const rl = (yield* RpmsgLite.masterInit({ ...sys.master, config: sys.config }, B, sys.sharedMemory.length, 0))!;
      const ept = (yield* rl.createEpt(40, function* () {
        return RL_RELEASE;
      }))!;
      state.on = true;
      code = yield* rl.send(ept, 30, new Uint8Array([1, 2, 3, 4, 5, 6, 7]), 7, RL_BLOCK);
      state.on = false;
      for (;;) yield* sys.master.core.waitForInterrupt();
    })(),
  );
  sys.kernel.run();
  expect(code).toBe(RL_SUCCESS);
  // The master's first tx buffer is vring 1's descriptor 0 buffer, B + 0x4a0 (after the two
  // vrings and the remote's two buffers). Header: S32 dst (30) at +4, S32 src (40) at +0, S16
  // len at +12, S8 + S8 flags (COSTS §5); payload at +16: one burst of the first word, then S16
  // of bytes 5–6 and S8 of byte 7 (newlib memcpy-armv7m's sub-word tail).
  expect(log.filter((o) => o.address >= 0x4a0 && o.address < 0x4a0 + 0x200)).toEqual([
    { op: 'write32', address: 0x4a4, value: 30 },
    { op: 'write32', address: 0x4a0, value: 40 },
    { op: 'write16', address: 0x4ac, value: 7 },
    { op: 'write8', address: 0x4ae, value: 0 },
    { op: 'write8', address: 0x4af, value: 0 },
    { op: 'writeBlock(4)', address: 0x4b0 },
    { op: 'write16', address: 0x4b4, value: 5 | (6 << 8) },
    { op: 'write8', address: 0x4b6, value: 7 },
  ]);
  // At 1.4 cycles/instruction (M4 -Os): send 151 → 211.4 → 211; memcpy of 7: round(14.7 + 0.537 × 7 = 18.46) = 18
  // + 10 (tail) − 3 shared accesses (1 word, 1 halfword, 1 byte) = 25 → 35; lock/unlock 1 × 1.036 → 1 → 1.4 → 1;
  // notify 14 × 1.036 = 14.5 → 15 → 21.
  expect(works).toEqual([211, 1, 1, 35, 1, 21, 1]);
});

test('lpc54114: the M0+ remote receives; its header loads byte by byte in the -Os order, exact charged cycles', () => {
  const sys = buildRpmsgSystem('lpc54114');
  const B = sys.sharedMemory.base;
  const { log, works, state } = recorder(sys.remote.core, B);
  const received: number[][] = [];
  sys.master.core.start(
    (function* (): Firmware<void> {
      const rl = (yield* RpmsgLite.masterInit({ ...sys.master, config: sys.config }, B, sys.sharedMemory.length, 0))!;
      const ept = (yield* rl.createEpt(40, function* () {
        return RL_RELEASE;
      }))!;
      yield* sys.master.core.exec(cycles(20_000)); // the remote's endpoint 30 exists by then
      yield* rl.send(ept, 30, new Uint8Array([9, 8, 7, 6]), 4, RL_BLOCK);
      for (;;) yield* sys.master.core.waitForInterrupt();
    })(),
  );
  sys.remote.core.start(
    (function* (): Firmware<void> {
      const rl = (yield* RpmsgLite.remoteInit({ ...sys.remote, config: sys.config }, B, 0))!;
      yield* rl.createEpt(30, function* (_payload, length, src) {
        received.push([length, src]);
        return RL_RELEASE;
      });
      state.on = true;
      for (;;) yield* sys.remote.core.waitForInterrupt();
    })(),
  );
  sys.kernel.run();
  expect(received).toEqual([[4, 40]]);
  // The master's first tx buffer, B + 0x4a0: dst, len and src read byte by byte in the order
  // of the M0+ -Os rpmsg_lite_rx_callback (5 4 6 7 1 0 2 3 12 13).
  expect(log.filter((o) => o.op === 'read8').map((o) => o.address - 0x4a0)).toEqual([5, 4, 6, 7, 1, 0, 2, 3, 12, 13]);
  expect(log.filter((o) => o.address >= 0x4a0 && o.address < 0x4a0 + 0x200 && o.op !== 'read8')).toEqual([]);
  // At 1.64 cycles/instruction, M0+ -Os; port entries are M4 -O2 figures × 1.383 (the hot-path ratio):
  // two interrupts, each port.isr 12 → 17 → 27.88 → 28 and port.envIsr 10 → 14 → 22.96 → 23;
  // the first delivers the link-up kick (rl.txCallback 26 → 42.64 → 43), the second the message:
  // rl.rxRemoteHold (171 lib-only − 17 shared − 1 dsb = 153) → 250.92 → 251, no endpoint walked
  // past (0), then the rest of rl.rxRemoteRelease (207 − 20 − 2 = 185 → 303.4 → 303) − 251 = 52.
  expect(works).toEqual([28, 23, 43, 28, 23, 251, 0, 52]);
});
