// Property tests: whatever is scheduled, in whatever order, the kernel runs it in
// non-decreasing time, then priority, then scheduling order (FIFO ties).

import fc from 'fast-check';
import { Kernel, type ProcessBody, ticks } from './index';

interface Entry {
  time: number;
  priority: number;
  /** Order in which the entry was scheduled (global). */
  seq: number;
}

const before = (a: Entry, b: Entry): boolean =>
  a.time < b.time || (a.time === b.time && (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)));

/**
 * A reference model of the queue: every entry that runs must be the least (time, priority,
 * seq) of all entries scheduled and not yet run at that moment.
 */
class Reference {
  private pending: Entry[] = [];
  private seq = 0;
  ran = 0;

  scheduled(time: number, priority: number): Entry {
    const e = { time, priority, seq: this.seq++ };
    this.pending.push(e);
    return e;
  }

  running(e: Entry, now: number): void {
    expect(now).toBe(e.time);
    for (const other of this.pending) {
      if (other !== e && before(other, e)) {
        throw new Error(`ran ${JSON.stringify(e)} before ${JSON.stringify(other)}`);
      }
    }
    this.pending.splice(this.pending.indexOf(e), 1);
    this.ran++;
  }
}

const taskSpec = fc.record({
  delay: fc.integer({ min: 0, max: 20 }),
  priority: fc.integer({ min: 0, max: 7 }),
  // Each task may schedule follow-ups when it runs (exercises the same-time rings and the heap together).
  children: fc.array(fc.record({ delay: fc.integer({ min: 0, max: 5 }), priority: fc.integer({ min: 0, max: 7 }) }), {
    maxLength: 3,
  }),
});

describe('random schedules run in (time, priority, FIFO) order', () => {
  test('tasks with random delays, priorities and follow-ups', () => {
    fc.assert(
      fc.property(fc.array(taskSpec, { minLength: 1, maxLength: 60 }), (specs) => {
        const k = new Kernel();
        const ref = new Reference();
        const add = (delay: number, priority: number, children: { delay: number; priority: number }[]): void => {
          const entry = ref.scheduled(k.now + delay, priority);
          const task = k.task(
            `t${entry.seq}`,
            () => {
              ref.running(entry, k.now);
              for (const c of children) add(c.delay, c.priority, []);
            },
            { priority },
          );
          task.schedule(ticks(delay));
        };
        let expected = 0;
        for (const s of specs) {
          add(s.delay, s.priority, s.children);
          expected += 1 + s.children.length;
        }
        k.run();
        expect(ref.ran).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  test('processes with random sequences of timed waits and notifications', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant<'wait'>('wait'), ticks: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant<'notify'>('notify'), event: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant<'await'>('await'), event: fc.integer({ min: 0, max: 2 }), timeout: fc.integer({ min: 1, max: 9 }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 12 }), { minLength: 1, maxLength: 8 }), (programs) => {
        const k = new Kernel();
        const events = [k.event('e0'), k.event('e1'), k.event('e2')];
        const times: number[] = [];
        let resumptions = 0;
        programs.forEach((program, i) => {
          k.spawn(
            `p${i}`,
            (function* (): ProcessBody<void> {
              for (const s of program) {
                const before = k.now;
                if (s.kind === 'wait') {
                  yield ticks(s.ticks);
                  expect(k.now).toBe(before + s.ticks); // a timed wait is exact
                } else if (s.kind === 'notify') {
                  events[s.event]!.notify();
                } else {
                  yield events[s.event]!.orTimeout(ticks(s.timeout));
                  expect(k.now).toBeLessThanOrEqual(before + s.timeout); // never later than the timeout
                }
                times.push(k.now);
                resumptions++;
              }
            })(),
          );
        });
        k.run();
        // Time never goes backwards; every process ran to its end (every event wait has a
        // timeout, so nothing may stay blocked).
        for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
        expect(resumptions).toBe(programs.reduce((n, p) => n + p.length, 0));
        expect(k.blocked()).toEqual([]);
        expect(k.processes()).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  test('the same random schedule gives the same order twice (determinism)', () => {
    fc.assert(
      fc.property(fc.array(taskSpec, { minLength: 1, maxLength: 40 }), (specs) => {
        const once = (): string[] => {
          const k = new Kernel();
          const out: string[] = [];
          specs.forEach((s, i) => {
            k.task(`t${i}`, () => {
              out.push(`${i}@${k.now}`);
              s.children.forEach((c, j) =>
                k.task(`t${i}.${j}`, () => out.push(`${i}.${j}@${k.now}`), { priority: c.priority }).schedule(ticks(c.delay)),
              );
            }, { priority: s.priority }).schedule(ticks(s.delay));
          });
          k.run();
          return out;
        };
        expect(once()).toEqual(once());
      }),
      { numRuns: 100 },
    );
  });
});
