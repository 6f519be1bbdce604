// Hand-computed timing and contents of the data cache.
//
// The little system: cpu0 and cpu1 at 100 MHz (10 ticks a cycle, the tick is 1 ns), an SRAM
// port at 100 MHz with 1 read wait state and 0 write wait states, 4 bytes a beat, 1 SRAM
// cycle to cross into its domain and 1 core cycle back. Cores are Cortex-M4 (dsb 4 cycles).
// cpu0 gets a data cache of 64 bytes, 32-byte lines, 1 way (2 sets: SRAM+0 and SRAM+0x40
// share set 0), hit cost 1 cycle; cpu1 has none.
//
// Bus times, from the core's issue edge (sim/hw/bus.ts):
//   one uncached read:   1 sync (10) + 1 beat × (1 + 1 wait) × 10 = 30, + 1 response = 40 ns: 4 cycles
//   a line fill (read):  10 + 8 beats × 20 = 170, + 10 = 180 ns: 18 cycles
//   a write-back burst:  10 + 8 beats × (1 + 0) × 10 = 90, + 10 = 100 ns: 10 cycles
//   one uncached write:  10 + 10 = 20, + 10 = 30 ns: 3 cycles

import { Kernel, cycles } from '../kernel';
import type { Core, Firmware } from './core';
import { type CachePolicy, DataCache } from './data-cache';
import { type Soc, buildSoc } from './soc';
import { MemorySink, Tracer } from '../trace/trace';

const SRAM = 0x2000_0000;

function system(policy: CachePolicy = 'write-back-write-allocate'): { soc: Soc; k: Kernel; cpu0: Core; cpu1: Core; dc: DataCache; sink: MemorySink } {
  const k = new Kernel({ clocks: { cpu0: 100e6, cpu1: 100e6, sram: 100e6, apb: 50e6 } });
  const windows = [{ base: SRAM, size: 0x1000, target: 'sram' }];
  const sink = new MemorySink();
  const tracer = new Tracer(k);
  tracer.addSink(sink);
  const soc = buildSoc(
    k,
    {
      cores: [
        { name: 'cpu0', type: 'cortex-m4', clock: 'cpu0', nvic: { lines: 8, priorityBits: 3 }, addressMap: windows },
        { name: 'cpu1', type: 'cortex-m4', clock: 'cpu1', nvic: { lines: 8, priorityBits: 3 }, addressMap: windows },
      ],
      memories: [{ name: 'sram', clock: 'sram', size: 0x1000, dataWidthBytes: 4, readWaitStates: 1, writeWaitStates: 0 }],
      interconnect: { arbitration: 'round-robin', syncCycles: 1, responseSyncCycles: 1 },
      peripheralBus: { clock: 'apb', accessCycles: 2 },
    },
    {},
    { tracer },
  );
  const cpu0 = soc.core('cpu0');
  const dc = new DataCache(
    'cpu0.dcache',
    { geometry: { sizeBytes: 64, lineBytes: 32, ways: 1 }, replacement: 'lru', hitCycles: 1, regions: [{ base: SRAM, size: 0x800, policy }] },
    cpu0.clock,
    cpu0.bus,
  );
  cpu0.dcache = dc;
  return { soc, k, cpu0, cpu1: soc.core('cpu1'), dc, sink };
}

/** Runs `body` on `core` and returns what it recorded. */
function runOn<T>(k: Kernel, core: Core, body: () => Firmware<T>): void {
  core.start(body());
  k.run();
}

const bursts = (sink: MemorySink): unknown[] =>
  sink.records.filter((r) => r.kind === 'burst').map((r) => ({ t: r.t, op: r.op, address: r.address, size: r.size, cycles: r.cycles }));

test('a load that misses fills its line over the bus (18 cycles) and then hits (1): 19 cycles; the next load in the line hits: 1 cycle', () => {
  const { soc, k, cpu0, dc, sink } = system();
  soc.memories.get('sram')!.write(4, 0x11223344, 4);
  const at: number[] = [];
  let first = 0;
  let second = 0;
  runOn(k, cpu0, function* () {
    first = yield* cpu0.read32(SRAM + 4);
    at.push(k.now);
    second = yield* cpu0.read32(SRAM + 8);
    at.push(k.now);
  });
  expect(first).toBe(0x11223344);
  expect(second).toBe(0);
  // Miss: 180 ns fill + 10 ns hit = 190; hit: 10 ns more.
  expect(at).toEqual([190, 200]);
  expect(bursts(sink)).toEqual([{ t: 180, op: 'read', address: SRAM, size: 32, cycles: 18 }]);
  expect(dc.stats).toMatchObject({ accesses: 2, hits: 1, misses: 1, fills: 1, writeBacks: 0 });
  expect(cpu0.stats.busyCycles).toBe(20);
});

test('an uncached address goes to the bus as before: 4 cycles, no fill', () => {
  const { k, cpu0, dc, sink } = system();
  let done = 0;
  runOn(k, cpu0, function* () {
    yield* cpu0.read32(SRAM + 0x800); // past the cacheable region
    done = k.now;
  });
  expect(done).toBe(40);
  expect(bursts(sink)).toEqual([]);
  expect(dc.stats.accesses).toBe(0);
});

test('a dirty victim is written back (10 cycles) before the new line is filled (18) and read (1): 29 cycles', () => {
  const { soc, k, cpu0, dc, sink } = system();
  const sram = soc.memories.get('sram')!;
  const at: number[] = [];
  runOn(k, cpu0, function* () {
    yield* cpu0.write32(SRAM, 0xcafe0001); // write-allocate: fill 18 + hit 1 = 19 cycles, line dirty
    at.push(k.now);
    expect(sram.read(0, 4)).toBe(0); // still only in the cache
    yield* cpu0.read32(SRAM + 0x40); // same set: evicts the dirty line
    at.push(k.now);
  });
  // 190; then write-back 100 + fill 180 + hit 10 = 290 more.
  expect(at).toEqual([190, 480]);
  expect(sram.read(0, 4)).toBe(0xcafe0001);
  expect(bursts(sink)).toEqual([
    { t: 180, op: 'read', address: SRAM, size: 32, cycles: 18 },
    { t: 290, op: 'write', address: SRAM, size: 32, cycles: 10 },
    { t: 470, op: 'read', address: SRAM + 0x40, size: 32, cycles: 18 },
  ]);
  expect(dc.stats).toMatchObject({ misses: 2, fills: 2, writeBacks: 1 });
});

test('write-back without write-allocate: a store that misses goes around the cache (3 cycles) and allocates nothing', () => {
  const { soc, k, cpu0, dc } = system('write-back');
  let done = 0;
  runOn(k, cpu0, function* () {
    yield* cpu0.write32(SRAM + 8, 7);
    done = k.now;
  });
  expect(done).toBe(30);
  expect(soc.memories.get('sram')!.read(8, 4)).toBe(7);
  expect(dc.array.validLines).toBe(0);
  expect(dc.stats.writesAround).toBe(1);
});

test('the stale read: cpu1 writes SRAM under cpu0\'s cached line; cpu0 reads its old copy until it invalidates the line', () => {
  const { soc, k, cpu0, cpu1 } = system();
  const sram = soc.memories.get('sram')!;
  sram.write(0x10, 1, 4);
  const seen: number[] = [];
  let invalidated = -1;
  // cpu0 reads at 0 (miss, the line with 1 comes in by 180 ns), waits, reads again, invalidates, reads again.
  cpu0.start(
    (function* (): Firmware<void> {
      seen.push(yield* cpu0.read32(SRAM + 0x10));
      yield* cpu0.exec(cycles(100)); // 1 µs: cpu1 has written by then
      seen.push(yield* cpu0.read32(SRAM + 0x10));
      invalidated = yield* cpu0.maintainDCache('invalidate', SRAM + 0x10, 4);
      seen.push(yield* cpu0.read32(SRAM + 0x10));
    })(),
  );
  cpu1.start(
    (function* (): Firmware<void> {
      yield* cpu1.exec(cycles(30));
      yield* cpu1.write32(SRAM + 0x10, 2); // uncached: in SRAM at 300 + 20 ns
    })(),
  );
  k.run();
  expect(sram.read(0x10, 4)).toBe(2);
  expect(seen).toEqual([1, 1, 2]);
  expect(invalidated).toBe(1);
});

test('a clean by range: the routine (5 cycles) + DSB (4), one write-back per dirty line (10 each), DSB (4); clean lines cost no traffic', () => {
  const { soc, k, cpu0, sink } = system();
  const sram = soc.memories.get('sram')!;
  let lines = 0;
  let start = 0;
  let end = 0;
  runOn(k, cpu0, function* () {
    yield* cpu0.write32(SRAM + 0x04, 0xaa); // fill line 0, dirty
    yield* cpu0.write32(SRAM + 0x24, 0xbb); // fill line 1 (set 1), dirty
    start = k.now;
    // 40 bytes from SRAM + 4 touch lines SRAM+0 and SRAM+0x20: two lines, both dirty.
    lines = yield* cpu0.maintainDCache('clean', SRAM + 4, 40, cycles(5));
    end = k.now;
  });
  expect(lines).toBe(2);
  expect(end - start).toBe((5 + 4 + 10 + 10 + 4) * 10);
  expect(cpu0.stats.cacheMaintenanceCycles).toBe(33);
  expect(sram.read(0x04, 4)).toBe(0xaa);
  expect(sram.read(0x24, 4)).toBe(0xbb);
  expect(bursts(sink).slice(2)).toEqual([
    { t: start + 190, op: 'write', address: SRAM, size: 32, cycles: 10 },
    { t: start + 290, op: 'write', address: SRAM + 0x20, size: 32, cycles: 10 },
  ]);
  // The lines stay, now clean: a second clean writes nothing back: 5 + 4 + 4 = 13 cycles.
  const again = system();
  let t = 0;
  runOn(again.k, again.cpu0, function* () {
    yield* again.cpu0.read32(SRAM);
    const s = again.k.now;
    yield* again.cpu0.maintainDCache('clean', SRAM, 4, cycles(5));
    t = again.k.now - s;
  });
  expect(t).toBe(130);
});

test('a core without a data cache: maintenance does nothing and takes no time', () => {
  const { k, cpu1 } = system();
  let lines = -1;
  runOn(k, cpu1, function* () {
    lines = yield* cpu1.maintainDCache('clean-invalidate', SRAM, 64, cycles(5));
  });
  expect(lines).toBe(0);
  expect(k.now).toBe(0);
});
