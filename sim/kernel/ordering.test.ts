// Same-time ordering: (time, priority, insertion sequence). Written first: everything else
// in the simulator relies on it for determinism.

import { Kernel, Priority, type ProcessBody, ticks } from './index';
import { SEQ_SPAN, type Schedulable, TimedHeap } from './queue';

describe('same-time ordering', () => {
  test('processes spawned at the same time run in spawn order, and so do their same-time wake-ups', () => {
    const k = new Kernel();
    const log: string[] = [];
    function* worker(name: string): ProcessBody<void> {
      log.push(`${name}@${k.now}`);
      yield ticks(5);
      log.push(`${name}@${k.now}`);
    }
    for (const name of ['A', 'B', 'C']) k.spawn(name, worker(name));
    k.run();
    expect(log).toEqual(['A@0', 'B@0', 'C@0', 'A@5', 'B@5', 'C@5']);
  });

  test('an entry due now from an earlier timed wait runs before one scheduled now at the same priority', () => {
    const k = new Kernel();
    const log: string[] = [];
    const ev = k.event('ev');
    k.spawn(
      'A',
      (function* (): ProcessBody<void> {
        yield ticks(10);
        log.push('A');
        ev.notify(); // wakes C at tick 10, queued after B's timer which was scheduled at tick 0
      })(),
    );
    k.spawn(
      'B',
      (function* (): ProcessBody<void> {
        yield ticks(10);
        log.push('B');
      })(),
    );
    k.spawn(
      'C',
      (function* (): ProcessBody<void> {
        yield ev;
        log.push(`C@${k.now}`);
      })(),
    );
    k.run();
    expect(log).toEqual(['A', 'B', 'C@10']);
  });

  test('named priorities order same-tick entries whatever the scheduling order', () => {
    const k = new Kernel();
    const log: string[] = [];
    const observe = k.task('observe', () => log.push('observe'), { priority: Priority.Observe });
    const sample = k.task('sample', () => log.push('sample'), { priority: Priority.Sample });
    const firmware = k.task('firmware', () => log.push('firmware'));
    const hardware = k.task('hardware', () => log.push('hardware'), { priority: Priority.Hardware });
    for (const t of [observe, sample, firmware, hardware]) t.schedule(ticks(3));
    // and the same at the current time (the same-time rings)
    k.task('now-observe', () => log.push('now-observe'), { priority: Priority.Observe }).schedule(ticks(0));
    k.task('now-hardware', () => log.push('now-hardware'), { priority: Priority.Hardware }).schedule(ticks(0));
    k.run();
    expect(log).toEqual(['now-hardware', 'now-observe', 'hardware', 'firmware', 'sample', 'observe']);
  });

  test('a lower-priority entry from the heap waits for higher-priority entries made now', () => {
    const k = new Kernel();
    const log: string[] = [];
    const sampler = k.task('sampler', () => log.push(`sample@${k.now}`), { priority: Priority.Sample });
    sampler.schedule(ticks(4));
    const dev = k.task('device', () => log.push(`device@${k.now}`), { priority: Priority.Hardware });
    k.spawn(
      'cpu',
      (function* (): ProcessBody<void> {
        yield ticks(4);
        log.push(`cpu@${k.now}`);
        dev.schedule(ticks(0)); // made at tick 4 with a higher priority than the pending sampler
      })(),
    );
    k.run();
    expect(log).toEqual(['cpu@4', 'device@4', 'sample@4']);
  });

  test('an event notified twice at one tick wakes its waiters once, in the order they waited', () => {
    const k = new Kernel();
    const ev = k.event<number>('ev');
    const log: string[] = [];
    for (const name of ['w1', 'w2', 'w3']) {
      k.spawn(
        name,
        (function* (): ProcessBody<void> {
          const v: number = yield ev;
          log.push(`${name}:${v}`);
        })(),
      );
    }
    k.spawn(
      'n',
      (function* (): ProcessBody<void> {
        yield ticks(1);
        ev.notify(1);
        ev.notify(2); // nobody waits any more: lost
      })(),
    );
    k.run();
    expect(log).toEqual(['w1:1', 'w2:1', 'w3:1']);
    expect(ev.notifications).toBe(2);
  });
});

describe('TimedHeap', () => {
  const item = (name: string): Schedulable => ({ name, _current: () => true, _fire: () => true });

  function drain(heap: TimedHeap): string[] {
    const out: string[] = [];
    while (heap.size > 0) {
      out.push(heap.rootItem.name);
      heap.rootTaken = true;
      heap.removeRoot();
    }
    return out;
  }

  test('pops in (time, key) order', () => {
    const heap = new TimedHeap();
    const entries: [number, number, string][] = [
      [5, 2, 'e'],
      [1, 9, 'b'],
      [1, 3, 'a'],
      [9, 0, 'f'],
      [5, 1, 'd'],
      [2, 0, 'c'],
    ];
    for (const [t, key, name] of entries) heap.push(t, key, 0, item(name));
    expect(drain(heap)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  test('a push after the root was taken replaces the root', () => {
    const heap = new TimedHeap();
    heap.push(1, 0, 0, item('a'));
    heap.push(3, 1, 0, item('c'));
    heap.rootTaken = true; // 'a' is being run
    heap.push(2, 2, 0, item('b'));
    expect(heap.size).toBe(2);
    expect(drain(heap)).toEqual(['b', 'c']);
  });

  test('renumbering keeps the order of priorities and sequences and frees the sequence space', () => {
    const heap = new TimedHeap();
    heap.push(7, 3 * SEQ_SPAN + (SEQ_SPAN - 1), 0, item('late-seq'));
    heap.push(7, 3 * SEQ_SPAN + 5, 0, item('early-seq'));
    heap.push(7, 1 * SEQ_SPAN + (SEQ_SPAN - 2), 0, item('high-priority'));
    heap.push(2, 7 * SEQ_SPAN + 9, 0, item('earlier-time'));
    expect(heap.renumber()).toBe(4);
    expect(Array.from(heap.slot.subarray(0, 4), (s) => heap.slotKey[s])).toEqual([7 * SEQ_SPAN + 0, 1 * SEQ_SPAN + 1, 3 * SEQ_SPAN + 2, 3 * SEQ_SPAN + 3]);
    expect(drain(heap)).toEqual(['earlier-time', 'high-priority', 'early-seq', 'late-seq']);
  });

  test('grows past its initial capacity', () => {
    const heap = new TimedHeap();
    for (let i = 0; i < 1000; i++) heap.push((i * 7919) % 1000, i, 0, item(String((i * 7919) % 1000)));
    const names = drain(heap).map(Number);
    expect(names).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
