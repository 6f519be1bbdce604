// rpmsg-lite against the C library's measured layouts (docs/sources.md "rpmsg-lite") byte for
// byte, the ring fields after each step of a send and a receive, every error code, exhaustion and recovery, link-up ordering.

import { cycles } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import { type RpmsgSystem, buildRpmsgSystem } from '../../platforms/system';
import {
  RL_ADDR_ANY,
  RL_ERR_BUFF_SIZE,
  RL_ERR_NO_MEM,
  RL_ERR_PARAM,
  RL_HOLD,
  RL_NOT_READY,
  RL_RELEASE,
  RL_SUCCESS,
} from './constants';
import { type Endpoint, type RlInitOptions, RpmsgLite, type RxCallback } from './rpmsg-lite';
import { mcuVringSize } from './virtio-ring';
import type { Role } from '../program';

/** Little-endian reads of the simulated shared memory (test side, no bus). */
function shm(sys: RpmsgSystem) {
  const memory = [...sys.soc.memories.values()][0]!;
  const window = sys.soc.platform.cores[0].addressMap.find((w) => w.target === memory.name)!;
  const at = (address: number): number => address - window.base + window.targetOffset;
  return {
    u8: (a: number) => memory.bytes[at(a)]!,
    u16: (a: number) => memory.read(at(a), 2),
    u32: (a: number) => memory.read(at(a), 4),
    bytes: (a: number, n: number) => Array.from(memory.bytes.subarray(at(a), at(a) + n)),
    poke: (a: number, values: number[]) => memory.bytes.set(values, at(a)),
  };
}

/** Runs `fn` on a core's thread and returns its result after the simulation ends. */
function onCore<T>(sys: RpmsgSystem, which: Role, fn: () => Firmware<T>): { value?: T } {
  const out: { value?: T } = {};
  sys[which].core.start(
    (function* (): Firmware<void> {
      out.value = yield* fn();
      for (;;) yield* sys[which].core.waitForInterrupt();
    })(),
  );
  return out;
}

const options = (sys: RpmsgSystem, which: Role): RlInitOptions => ({ ...sys[which], config: sys.config });

describe('master init: the layouts of docs/sources.md "Shared-memory layout"', () => {
  test('example A (VRING_ALIGN 0x10, VRING_SIZE 0x50, payload 496, N = 2) on lpc55s69, byte for byte', () => {
    const sys = buildRpmsgSystem('lpc55s69');
    const B = sys.sharedMemory.base; // 0x20031800
    const m = shm(sys);
    m.poke(B + 0x4e, [0xaa, 0xbb]); // beyond vring_size(): must stay untouched
    const rl = onCore(sys, 'master', () => RpmsgLite.masterInit(options(sys, 'master'), B, sys.sharedMemory.length, 0));
    sys.kernel.run();
    expect(rl.value).not.toBeNull();
    expect(sys.config.vringSize).toBe(0x50);
    const desc = (o: number) => [m.u32(B + o), m.u32(B + o + 4), m.u32(B + o + 8), m.u16(B + o + 12), m.u16(B + o + 14)];
    expect(desc(0x000)).toEqual([B + 0xa0, 0, 512, 2, 1]);
    expect(desc(0x010)).toEqual([B + 0x2a0, 0, 512, 2, 0x8000]);
    expect([m.u16(B + 0x20), m.u16(B + 0x22), m.u16(B + 0x24), m.u16(B + 0x26), m.u16(B + 0x28)]).toEqual([1, 2, 0, 1, 0]);
    expect(m.bytes(B + 0x2a, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect([m.u16(B + 0x30), m.u16(B + 0x32), m.u32(B + 0x34), m.u32(B + 0x38), m.u32(B + 0x3c), m.u32(B + 0x40), m.u16(B + 0x44)]).toEqual([
      0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(m.bytes(B + 0x4e, 2)).toEqual([0xaa, 0xbb]);
    expect(desc(0x050)).toEqual([B + 0x4a0, 0, 512, 2, 1]);
    expect(desc(0x060)).toEqual([B + 0x6a0, 0, 512, 2, 0x8000]);
    expect([m.u16(B + 0x70), m.u16(B + 0x72), m.u16(B + 0x74), m.u16(B + 0x76), m.u16(B + 0x78)]).toEqual([1, 0, 0, 0, 0]);
    expect([m.u16(B + 0x80), m.u16(B + 0x82)]).toEqual([0, 2]);
    expect([m.u32(B + 0x84), m.u32(B + 0x88), m.u32(B + 0x8c), m.u32(B + 0x90), m.u16(B + 0x94)]).toEqual([0, 512, 1, 512, 0]);
    expect(m.bytes(B + 0xa0, 0x800).every((b) => b === 0)).toBe(true);
  });

  test('example B (VRING_ALIGN 0x1000, VRING_SIZE 0x8000) on imx8mm: used rings at +0x1000 and +0x9000', () => {
    const sys = buildRpmsgSystem('imx8mm');
    const B = sys.sharedMemory.base;
    const m = shm(sys);
    m.poke(B + 0x101e, [0x5a]);
    onCore(sys, 'master', () => RpmsgLite.masterInit(options(sys, 'master'), B, sys.sharedMemory.length, 0));
    sys.kernel.run();
    expect([m.u32(B), m.u32(B + 8), m.u16(B + 14)]).toEqual([B + 0x10000, 512, 1]);
    expect([m.u16(B + 0x20), m.u16(B + 0x22), m.u16(B + 0x24), m.u16(B + 0x26)]).toEqual([1, 2, 0, 1]);
    expect([m.u16(B + 0x1002), m.u32(B + 0x1004)]).toEqual([0, 0]);
    expect(m.u8(B + 0x101e)).toBe(0x5a); // vring_size() = 0x101E: not touched
    expect([m.u32(B + 0x8000), m.u32(B + 0x8010)]).toEqual([B + 0x10400, B + 0x10600]);
    expect([m.u16(B + 0x8020), m.u16(B + 0x8022)]).toEqual([1, 0]);
    expect([m.u16(B + 0x9002), m.u32(B + 0x9004), m.u32(B + 0x9008), m.u32(B + 0x900c), m.u32(B + 0x9010)]).toEqual([2, 0, 512, 1, 512]);
  });

  test.each([
    [1, 16],
    [2, 30],
    [4, 496],
    [8, 100],
    [16, 64],
  ])('N = %i, payload %i: buffers, descriptors and rings where the formulae put them', (n, payload) => {
    const sys = buildRpmsgSystem('lpc55s69', { config: { bufferCount: n, bufferPayloadSize: payload } });
    const B = sys.sharedMemory.base;
    const m = shm(sys);
    const vs = mcuVringSize(n, 0x10);
    const size = Math.ceil((payload + 16) / 4) * 4;
    const bufferBase = B + 2 * vs;
    onCore(sys, 'master', () => RpmsgLite.masterInit(options(sys, 'master'), B, sys.sharedMemory.length, 0));
    sys.kernel.run();
    for (const [ring, first] of [
      [B, 0],
      [B + vs, n],
    ] as const) {
      const avail = ring + 16 * n;
      const used = Math.ceil((avail + 4 + 2 * n) / 0x10) * 0x10;
      for (let i = 0; i < n; i++) {
        expect(m.u32(ring + 16 * i)).toBe(bufferBase + (first + i) * size);
        expect(m.u32(ring + 16 * i + 8)).toBe(size);
        expect(m.u16(ring + 16 * i + 12)).toBe(2);
        expect(m.u16(ring + 16 * i + 14)).toBe(i === n - 1 ? 0x8000 : i + 1);
      }
      expect(m.u16(avail)).toBe(1);
      if (first === 0) {
        expect(m.u16(avail + 2)).toBe(n);
        for (let i = 0; i < n; i++) expect(m.u16(avail + 4 + 2 * i)).toBe(i);
        expect(m.u16(used + 2)).toBe(0);
      } else {
        expect(m.u16(avail + 2)).toBe(0);
        expect(m.u16(used + 2)).toBe(n);
        for (let i = 0; i < n; i++) expect([m.u32(used + 4 + 8 * i), m.u32(used + 8 + 8 * i)]).toEqual([i, size]);
      }
    }
  });

  test('init fails (null) without room for 2N buffers, with a link id above the highest, or a bad buffer count', () => {
    for (const [length, link, count] of [
      [2 * 0x50 + 3 * 512 + 511, 0, 2],
      [0x1800, 1, 2],
      [0x1800, 0, 3],
    ] as const) {
      const sys = buildRpmsgSystem('lpc55s69', { config: { bufferCount: count } });
      const rl = onCore(sys, 'master', () => RpmsgLite.masterInit(options(sys, 'master'), sys.sharedMemory.base, length, link));
      sys.kernel.run();
      expect(rl.value).toBeNull();
    }
    const sys = buildRpmsgSystem('lpc55s69');
    const rl = onCore(sys, 'master', () => RpmsgLite.masterInit(options(sys, 'master'), sys.sharedMemory.base, 2 * 0x50 + 4 * 512, 0));
    sys.kernel.run();
    expect(rl.value).not.toBeNull(); // exactly the minimum length
  });
});

/** A remote that initialises, creates ept 30 with `remoteCallback`, then runs `then` (if any) and sleeps. */
function linked(platform: string, remoteCallback: RxCallback, then?: (rl: RpmsgLite, ept: Endpoint) => Firmware<void>) {
  const sys = buildRpmsgSystem(platform);
  const state: { master?: RpmsgLite; remote?: RpmsgLite; rEpt?: Endpoint } = {};
  sys.remote.core.start(
    (function* (): Firmware<void> {
      state.remote = (yield* RpmsgLite.remoteInit(options(sys, 'remote'), sys.sharedMemory.base, 0))!;
      state.rEpt = (yield* state.remote.createEpt(30, remoteCallback))!;
      if (then !== undefined) yield* then(state.remote, state.rEpt);
      for (;;) yield* sys.remote.core.waitForInterrupt();
    })(),
  );
  return { sys, state };
}

describe('the buffer round trip of §3.3 (lpc55s69, example A layout)', () => {
  test('master send, remote receive and release: the ring fields after each step', () => {
    const got: string[] = [];
    const { sys, state } = linked('lpc55s69', function* (payload, length, src) {
      const bytes = yield* sys.remote.core.readBlock(payload, length);
      got.push(`${src}->30: ${Buffer.from(bytes).toString()}`);
      return RL_RELEASE;
    });
    const B = sys.sharedMemory.base;
    const m = shm(sys);
    const steps: Record<string, number[]> = {};
    sys.master.core.start(
      (function* (): Firmware<void> {
        yield* sys.master.core.exec(cycles(20_000)); // the remote is initialised first
        const rl = (yield* RpmsgLite.masterInit(options(sys, 'master'), B, sys.sharedMemory.length, 0))!;
        state.master = rl;
        const ept = (yield* rl.createEpt(1, function* () {
          return RL_RELEASE;
        }))!;
        steps.beforeSend = [m.u16(B + 0x72), m.u16(B + 0x74), m.u16(B + 0x82)];
        expect(yield* rl.send(ept, 30, Buffer.from('hello'), 5, 0)).toBe(RL_SUCCESS);
        steps.afterSend = [m.u16(B + 0x72), m.u16(B + 0x74)];
        steps.header = [m.u32(B + 0x4a0), m.u32(B + 0x4a4), m.u16(B + 0x4ac), m.u16(B + 0x4ae)];
      })(),
    );
    sys.kernel.run();
    expect(state.remote!.isLinkUp()).toBe(true);
    expect(steps.beforeSend).toEqual([0, 0, 2]);
    expect(steps.afterSend).toEqual([1, 0]); // vring1 avail.idx 0 -> 1, avail.ring[0] = 0
    expect(steps.header).toEqual([1, 30, 5, 0]); // buffer 2 at +0x4A0: src 1, dst 30, len 5, flags 0
    expect(m.bytes(B + 0x4b0, 5)).toEqual([...Buffer.from('hello')]);
    expect(got).toEqual(['1->30: hello']);
    // The remote released it: vring1 used.idx 2 -> 3, used.ring[0] = {0, 512}.
    expect([m.u16(B + 0x82), m.u32(B + 0x84), m.u32(B + 0x88)]).toEqual([3, 0, 512]);
    expect(state.remote!.rvq.availableIdx).toBe(1);
  });

  test('remote send and master receive and release: vring0 used.idx 0 -> 1, then avail.idx 2 -> 3', () => {
    const got: string[] = [];
    const seen: Record<string, number[]> = {};
    const { sys, state } = linked(
      'lpc55s69',
      function* () {
        return RL_RELEASE;
      },
      function* (rl, ept) {
        expect(yield* rl.waitForLinkUp(0xffffffff)).toBe(true);
        expect(yield* rl.send(ept, 1, Buffer.from('world!'), 6, 0)).toBe(RL_SUCCESS);
      },
    );
    const B = sys.sharedMemory.base;
    const m = shm(sys);
    sys.master.core.start(
      (function* (): Firmware<void> {
        yield* sys.master.core.exec(cycles(20_000));
        const rl = (yield* RpmsgLite.masterInit(options(sys, 'master'), B, sys.sharedMemory.length, 0))!;
        state.master = rl;
        yield* rl.createEpt(1, function* (payload, length, src) {
          seen.inCallback = [m.u16(B + 0x32), m.u32(B + 0x34), m.u32(B + 0x38), m.u16(B + 0x22)];
          got.push(`${src}: ${Buffer.from(yield* sys.master.core.readBlock(payload, length)).toString()}`);
          return RL_RELEASE;
        });
        for (;;) yield* sys.master.core.waitForInterrupt();
      })(),
    );
    sys.kernel.run();
    expect(got).toEqual(['30: world!']);
    expect(seen.inCallback).toEqual([1, 0, 512, 2]); // the remote's used.ring[0] = {0, 512}
    expect([m.u32(B + 0xa0), m.u32(B + 0xa4), m.u16(B + 0xac)]).toEqual([30, 1, 6]);
    expect(m.u16(B + 0x22)).toBe(3); // released: vring0 avail.idx 2 -> 3
    expect(m.u16(B + 0x24)).toBe(0); // avail.ring[2 & 1]: descriptor 0 given back
  });
});
