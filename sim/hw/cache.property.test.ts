// The fetch unit's deferred LRU stamps (CacheArray.touchAll, replayed by `settle`) must
// choose the same victims as stamping every line at every use: random sequences of code
// footprints through a small LRU cache, once with the fetch unit's shortcut (footprints seen
// all present are touched as a group) and once looking every line up, give the same hits,
// misses and contents after every step.
import fc from 'fast-check';
import { CacheArray, type LineGroup } from './cache';

const GEOMETRY = { sizeBytes: 256, lineBytes: 16, ways: 4 }; // 4 sets of 4 ways

/** Footprints: each a list of line addresses (distinct, in order), over 0..31 lines. */
const footprints = fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 31 }), { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 6 });

function walkEager(cache: CacheArray, lines: number[]): void {
  for (const line of lines) if (cache.lookup(line * 16) < 0) cache.allocate(line * 16);
}

function walkDeferred(cache: CacheArray, group: LineGroup & { epoch: number }): void {
  // What FetchUnit.resolve does: probe (no stamps); all present → touchAll, else line by line.
  if (group.epoch !== cache.epoch) {
    for (const a of group.lines) {
      if (cache.probe(a) < 0) {
        for (const b of group.lines) if (cache.lookup(b) < 0) cache.allocate(b);
        return;
      }
    }
    group.epoch = cache.epoch;
  }
  cache.touchAll(group);
}

test('deferred LRU stamps give the same hits, misses and contents as stamping at every use', () => {
  fc.assert(
    fc.property(footprints, fc.array(fc.nat(), { maxLength: 60 }), (prints, order) => {
      const eager = new CacheArray('eager', GEOMETRY, 'lru');
      const lazy = new CacheArray('lazy', GEOMETRY, 'lru');
      const groups = prints.map((p) => ({ lines: Float64Array.from(p, (l) => l * 16), lastUse: 0, listed: 0, epoch: -1 }));
      for (const pick of order) {
        const i = pick % prints.length;
        walkEager(eager, prints[i]!);
        walkDeferred(lazy, groups[i]!);
        for (let line = 0; line < 32; line++) expect(lazy.probe(line * 16) >= 0).toBe(eager.probe(line * 16) >= 0);
      }
      expect(lazy.stats).toEqual(eager.stats);
    }),
    { numRuns: 400 },
  );
});
