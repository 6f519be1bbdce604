// Hand-computed instruction fetch: code in TCM, in flash behind line buffers (refilled over
// the bus or in fixed cycles, with and without prefetch), in an instruction cache (hit and
// miss), and the exception vector fetched through it.
//
// The little system: one Cortex-M4 at 100 MHz (10 ticks a cycle, 1 ns ticks), a flash memory
// on the same 100 MHz clock, 16 bytes a beat, N read wait states, no synchronisers. A miss
// refilled over the bus is one 16-byte beat: 1 + N flash cycles, issued and answered on core
// edges, so exactly 1 + N core cycles.

import { Kernel, cycles } from '../kernel';
import { CacheArray } from './cache';
import { IrqLine } from './signal';
import type { Core, Firmware, Work } from './core';
import type { CodeFootprint } from './fetch';
import { type SocRegionSpec, type SocSpec, buildSoc } from './soc';

const FLASH = 0x0000_0000;
const SRAM = 0x2000_0000;

const tcm: SocRegionSpec = {
  kind: 'tcm',
  base: 0x1000_0000,
  size: 0x1000,
  fetch: 'direct',
  lineBytes: 0,
  lines: 0,
  ways: 0,
  prefetch: 'off',
  refillCycles: 0,
  loadStallCycles: 0,
  storeStallCycles: 0,
};

function flashRegion(over: Partial<SocRegionSpec>): SocRegionSpec {
  return { ...tcm, kind: 'flash', base: FLASH, size: 0x1000, fetch: 'buffer', lineBytes: 16, lines: 4, ways: 4, ...over };
}

function core(code: SocRegionSpec, waitStates = 30, data: SocRegionSpec = tcm, burstWaitStates?: number): { k: Kernel; cpu: Core } {
  const k = new Kernel({ clocks: { cpu: 100e6, flash: 100e6 } });
  const spec: SocSpec = {
    cores: [
      {
        name: 'cpu',
        type: 'cortex-m4',
        clock: 'cpu',
        nvic: { lines: 8, priorityBits: 3 },
        addressMap: [
          { base: FLASH, size: 0x1000, target: 'flash' },
          { base: SRAM, size: 0x1000, target: 'sram' },
        ],
        regions: { code, data },
        placement: { code: 'code', data: 'data' },
        // A 'cache' region fetches through the core's instruction cache: here of the geometry the test gives the region.
        ...(code.fetch === 'cache' && code.lines > 0 && {
          caches: [{ kind: 'icache', sizeBytes: code.lineBytes * code.lines, lineBytes: code.lineBytes, ways: code.ways, hitCycles: 0, replacement: 'lru', enabled: true }],
        }),
      },
    ],
    memories: [
      {
        name: 'flash',
        clock: 'flash',
        size: 0x1000,
        dataWidthBytes: 16,
        readWaitStates: waitStates,
        writeWaitStates: waitStates,
        ...(burstWaitStates !== undefined && { burstReadWaitStates: burstWaitStates }),
      },
      { name: 'sram', clock: 'flash', size: 0x1000, dataWidthBytes: 4, readWaitStates: 0, writeWaitStates: 0 },
    ],
    interconnect: { arbitration: 'round-robin', syncCycles: 0, responseSyncCycles: 0 },
    peripheralBus: { clock: 'flash', accessCycles: 1 },
  };
  const soc = buildSoc(k, spec);
  return { k, cpu: soc.core('cpu') };
}

/** 100 compute cycles over 64 bytes of code (4 lines of 16 bytes) at `base`. */
function work(base: number): Work {
  const code: CodeFootprint = { spans: [{ address: base, bytes: 64 }] };
  return { cycles: cycles(100), code, dataStall: cycles(0) };
}

/** Runs `w` `times` times; the cycles each run took. */
function runs(k: Kernel, cpu: Core, w: Work, times: number): number[] {
  const took: number[] = [];
  cpu.start(
    (function* (): Firmware<void> {
      for (let i = 0; i < times; i++) {
        const before = k.now;
        yield* cpu.run(w);
        took.push((k.now - before) / cpu.clock.period);
      }
    })(),
  );
  k.run();
  return took;
}

describe('the same path from TCM and from flash', () => {
  test('TCM: exactly its compute cycles, every time, and no bus traffic', () => {
    const { k, cpu } = core(tcm);
    expect(runs(k, cpu, work(tcm.base), 2)).toEqual([100, 100]);
    expect([cpu.fetch, cpu.bus.stats.accesses, cpu.stats.fetchStallCycles]).toEqual([null, 0, 0]);
  });

  test('flash with 30 wait states, line buffers refilled over the bus, no prefetch: 4 lines × 31 cycles more, then hits', () => {
    // 4 misses of 1 + 30 cycles each: 100 + 124 = 224. The second run finds the 4 lines in the
    // 4 buffers: 100.
    const { k, cpu } = core(flashRegion({ prefetch: 'off' }));
    expect(runs(k, cpu, work(FLASH + 0x100), 2)).toEqual([224, 100]);
    expect([cpu.bus.stats.accesses, cpu.stats.fetchStallCycles, cpu.fetch!.stats.misses, cpu.fetch!.stats.lookups]).toEqual([4, 124, 4, 8]);
  });

  test('with prefetch, each sequential line refills while the one before executes', () => {
    // The compute spreads over the 4 lines: 25 cycles each. Line 1 waits 31; lines 2-4 are
    // requested 25 cycles early, so each waits 31 − 25 = 6: 100 + 31 + 3 × 6 = 149.
    const { k, cpu } = core(flashRegion({ prefetch: 'on' }));
    expect(runs(k, cpu, work(FLASH + 0x100), 1)).toEqual([149]);
    expect(cpu.stats.fetchStallCycles).toBe(49);
  });

  test('with N = 10 wait states prefetch hides all but the first line', () => {
    // Line 1: 11; lines 2-4: 11 − 25 < 0, hidden: 100 + 11 = 111.
    const { k, cpu } = core(flashRegion({ prefetch: 'on' }), 10);
    expect(runs(k, cpu, work(FLASH + 0x100), 1)).toEqual([111]);
  });

  test('an accelerator refilling in 12 fixed cycles with 2 line buffers: the 4-line path misses every run', () => {
    // Line 1 misses (12), lines 2-4 follow it and prefetch hides their 12 under 25 cycles of
    // compute: 112. Two LRU buffers cannot keep 4 lines: lines 1 and 2 are gone by the next
    // run, which costs 112 again. No bus traffic: the accelerator sits beside the core.
    const { k, cpu } = core(flashRegion({ prefetch: 'on', refillCycles: 12, lines: 2, ways: 2 }));
    expect(runs(k, cpu, work(FLASH + 0x100), 2)).toEqual([112, 112]);
    expect([cpu.bus.stats.accesses, cpu.fetch!.stats.misses]).toEqual([0, 8]);
  });
});

describe('an instruction cache: miss, then hit', () => {
  test('a 2-way cache of 32-byte lines: the first run refills 2 lines, the second hits both', () => {
    // 64 bytes at 0x100 are 2 lines of 32. The flash is 16 bytes a beat, so a refill is a
    // 2-beat burst: 2 × (1 + 30) = 62 cycles. Run 1: 100 + 2 × 62 = 224; run 2: 100.
    const { k, cpu } = core(flashRegion({ fetch: 'cache', lineBytes: 32, lines: 64, ways: 2, prefetch: 'off' }));
    expect(runs(k, cpu, work(FLASH + 0x100), 2)).toEqual([224, 100]);
    const store = cpu.fetch!.store;
    expect([store.stats.misses, store.stats.hits, store.validLines]).toEqual([2, 2, 2]);
  });

  test('a memory whose bursts stream: the line fill pays the read latency once', () => {
    // 30 wait states for a first word, 2 for each further beat of a burst: a 32-byte line of
    // two 16-byte beats takes 28 cycles of latency (30 − 2), then 2 × (1 + 2) = 6: 34 cycles,
    // not 2 × 31 = 62. Run 1: 100 + 2 lines × 34 = 168; run 2 hits: 100.
    const { k, cpu } = core(flashRegion({ fetch: 'cache', lineBytes: 32, lines: 64, ways: 2, prefetch: 'off' }), 30, tcm, 2);
    expect(runs(k, cpu, work(FLASH + 0x100), 2)).toEqual([168, 100]);
  });

  test('two paths whose lines share the sets of a 1-set, 2-way cache evict each other (LRU)', () => {
    // 2 lines, 1 set, 2 ways: path A (line 0x100) and B (line 0x200) fit; C (0x300) evicts the
    // least recently used, A; A then misses again. Each miss: 1 line = 2 beats = 62 cycles.
    const { k, cpu } = core(flashRegion({ fetch: 'cache', lineBytes: 32, lines: 2, ways: 2, prefetch: 'off' }));
    const at = (a: number): Work => ({ cycles: cycles(10), code: { spans: [{ address: a, bytes: 32 }] }, dataStall: cycles(0) });
    const [a, b, c] = [at(0x100), at(0x200), at(0x300)];
    const took: number[] = [];
    cpu.start(
      (function* (): Firmware<void> {
        for (const w of [a, b, a, c, b, a]) {
          const before = k.now;
          yield* cpu.run(w);
          took.push((k.now - before) / cpu.clock.period);
        }
      })(),
    );
    k.run();
    // a miss, b miss, a hit, c miss (evicts b: a was used more recently), b miss (evicts a), a miss.
    expect(took).toEqual([72, 72, 10, 72, 72, 72]);
  });
});

describe('a cached region with its instruction cache off', () => {
  test('every fetch goes to the memory, a 32-bit word at a time on the M4, the prefetcher one word ahead', () => {
    // No icache entry: 64 bytes are 16 words; each a 1-beat read of the 16-byte-wide flash,
    // 1 + 30 = 31 cycles. The compute spreads 100 / 16 = 6.25 cycles a word; words 2-16 are
    // requested a word early, which hides floor(6.25) = 6 cycles of compute under each: the
    // path takes 16 × 31 + (100 − 15 × 6) = 496 + 10 = 506 cycles, 406 of them fetch stall.
    // (lines 0: the test's core gets no instruction cache entry; the region's prefetch setting is the cache's, unused.)
    const { k, cpu } = core(flashRegion({ fetch: 'cache', prefetch: 'off', lineBytes: 0, lines: 0, ways: 0 }));
    expect(runs(k, cpu, work(FLASH + 0x100), 1)).toEqual([506]);
    expect([cpu.fetch!.store.lineBytes, cpu.fetch!.stats.misses, cpu.stats.fetchStallCycles]).toEqual([4, 16, 406]);
  });
});

describe('exception entry through the code memory', () => {
  test('the vector is fetched through the cold line buffer beside the stacking; warm, entry is the zero-wait 12 cycles', () => {
    // Vector table at the flash region's base; line 3's vector is word 16 + 3 = 19, at 0x4C,
    // in the 16-byte line 0x40. Cold: the refill takes 1 + 30 = 31 cycles, longer than the
    // zero-wait stacking, so entry = 12 + 31 = 43 cycles. Warm (second interrupt): 12. The
    // controller samples the raised line 1 cycle after it rises: handler-start 1 + 43 = 44
    // cycles after the raise, then 1 + 12 = 13.
    const { k, cpu } = core(flashRegion({ prefetch: 'off' }));
    const line = new IrqLine('irq3');
    cpu.nvic.connect(3, line);
    const entries: number[] = [];
    let raisedAt = 0;
    cpu.nvic.setPriority(3, 1);
    cpu.nvic.enable(3);
    cpu.setHandler(3, function* () {
      entries.push((k.now - raisedAt) / cpu.clock.period);
      line.set(false);
    });
    cpu.start(
      (function* (): Firmware<void> {
        for (let i = 0; i < 2; i++) {
          yield* cpu.exec(cycles(50));
          raisedAt = k.now;
          line.set(true);
          yield* cpu.exec(cycles(200));
        }
      })(),
    );
    k.run();
    expect(entries).toEqual([44, 13]);
    expect(cpu.stats.exceptionMemoryCycles).toBe(31);
  });

  test('private data in slow memory: stacking waits, and each charged load and store waits', () => {
    // Data region with 3 cycles per load and 2 per store: the 8-word frame costs 8 × 2 = 16
    // at entry and 8 × 3 = 24 at exit; code in TCM (no vector refill), so entry = 12 + 16 = 28.
    // The line rises at 0 during a 5-cycle exec; sampled at cycle 1, the exec splits with 4
    // left; the handler starts at 1 + 28 = 29, returns at once; exit 12 + 24 = 36 (65), then
    // the 4 cycles left: 69.
    const slow: SocRegionSpec = { ...tcm, kind: 'sram', base: SRAM, loadStallCycles: 3, storeStallCycles: 2 };
    const { k, cpu } = core(tcm, 30, slow);
    const line = new IrqLine('irq2');
    cpu.nvic.connect(2, line);
    let entry = 0;
    cpu.nvic.setPriority(2, 1);
    cpu.nvic.enable(2);
    cpu.setHandler(2, function* () {
      entry = k.now / cpu.clock.period;
      line.set(false);
    });
    let back = 0;
    cpu.start(
      (function* (): Firmware<void> {
        line.set(true);
        yield* cpu.exec(cycles(5));
        back = k.now / cpu.clock.period;
      })(),
    );
    k.run();
    expect([entry, back, cpu.stats.exceptionMemoryCycles]).toEqual([29, 69, 40]);
  });
});

describe('the cache array', () => {
  test('LRU picks the least recently used way; round-robin the next; a dirty victim says so', () => {
    const lru = new CacheArray('t', { sizeBytes: 64, lineBytes: 32, ways: 2 });
    expect(lru.sets).toBe(1);
    lru.allocate(0x000);
    lru.allocate(0x020);
    expect(lru.lookup(0x000)).toBeGreaterThanOrEqual(0); // 0x000 now most recent
    const slot = lru.probe(0x020);
    lru.markDirty(slot);
    expect(lru.allocate(0x040).victim).toEqual({ address: 0x020, dirty: true });
    expect([lru.probe(0x000) >= 0, lru.probe(0x020), lru.stats]).toEqual([true, -1, { hits: 1, misses: 0, writeBacks: 1 }]);
    const rr = new CacheArray('r', { sizeBytes: 64, lineBytes: 32, ways: 2 }, 'round-robin');
    rr.allocate(0x000);
    rr.allocate(0x020);
    rr.lookup(0x000);
    // Round-robin ignores use: way 0 (0x000) goes first, then way 1.
    expect(rr.allocate(0x040).victim).toEqual({ address: 0x000, dirty: false });
    expect(rr.allocate(0x060).victim).toEqual({ address: 0x020, dirty: false });
  });

  test('sets index by the line address; line data is kept per slot when asked', () => {
    const c = new CacheArray('d', { sizeBytes: 128, lineBytes: 16, ways: 2 }, 'lru', true);
    expect(c.sets).toBe(4);
    // 0x00 and 0x40 map to set 0; 0x10 to set 1.
    const a = c.allocate(0x00).slot;
    const b = c.allocate(0x40).slot;
    const d = c.allocate(0x10).slot;
    expect([a, b, d]).toEqual([0, 1, 2]);
    c.lineData(b).set([1, 2, 3]);
    expect([...c.lineData(b).subarray(0, 3), c.lineData(a)[0]]).toEqual([1, 2, 3, 0]);
    expect(() => new CacheArray('x', { sizeBytes: 48, lineBytes: 16, ways: 1 })).toThrow('size must be a power of two');
  });
});
