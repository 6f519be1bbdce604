import {
  Interrupt,
  Kernel,
  MAX_TICKS,
  type Process,
  ProcessError,
  type ProcessBody,
  SchedulingError,
  TIMEOUT,
  type Ticks,
  ticks,
} from './index';

/** Runs and returns the error `run()` throws (failing the test if it does not throw). */
function runFailure(k: Kernel): ProcessError {
  try {
    k.run();
  } catch (error) {
    if (error instanceof ProcessError) return error;
    throw error;
  }
  throw new Error('run() did not throw');
}

describe('processes wait ticks, events and other processes', () => {
  test('a return value reaches the process that waits for it, at the time it ends', () => {
    const k = new Kernel();
    const log: string[] = [];
    const child = k.spawn(
      'child',
      (function* (): ProcessBody<number> {
        yield ticks(30);
        return 42;
      })(),
    );
    k.spawn(
      'parent',
      (function* (): ProcessBody<void> {
        const v: number = yield child;
        log.push(`got ${v} at ${k.now}`);
        const again: number = yield child; // already ended: resumes at once with the same value
        log.push(`again ${again} at ${k.now}`);
      })(),
    );
    expect(k.run()).toEqual({ reason: 'empty', now: 30, events: 5 });
    expect(log).toEqual(['got 42 at 30', 'again 42 at 30']);
    expect(child.status).toBe('done');
    expect(child.result).toBe(42);
  });

  test('an event carries its value; a timed notification fires at its time; an earlier one replaces a later one', () => {
    const k = new Kernel();
    const ev = k.event<string>('ev');
    const log: string[] = [];
    k.spawn(
      'w',
      (function* (): ProcessBody<void> {
        for (;;) {
          const v: string = yield ev;
          log.push(`${v}@${k.now}`);
        }
      })(),
    );
    expect(ev.notifyAfter(ticks(20), 'late')).toBe(true);
    expect(ev.notifyAfter(ticks(8), 'early')).toBe(true);
    expect(ev.notifyAfter(ticks(15), 'ignored')).toBe(false);
    expect(ev.pendingTime).toBe(8);
    k.run();
    expect(log).toEqual(['early@8']);
    ev.notifyAfter(ticks(5), 'cancelled');
    ev.cancel();
    expect(ev.pendingTime).toBeUndefined();
    k.run();
    expect(log).toEqual(['early@8']);
    expect(k.blocked()).toEqual([{ process: 'w', waitsFor: 'event "ev"' }]);
  });

  test('orTimeout: the event wins, or TIMEOUT after the delay; the loser never fires', () => {
    const k = new Kernel();
    const ev = k.event<number>('doorbell');
    const log: string[] = [];
    k.spawn(
      'waiter',
      (function* (): ProcessBody<void> {
        const first: number | typeof TIMEOUT = yield ev.orTimeout(ticks(50));
        log.push(`${String(first)}@${k.now}`);
        const second: number | typeof TIMEOUT = yield ev.orTimeout(ticks(50));
        log.push(`${String(second)}@${k.now}`);
        yield ticks(100); // the first wait's timer (tick 50) must not wake this
        log.push(`slept@${k.now}`);
      })(),
    );
    ev.notifyAfter(ticks(10), 7);
    k.run();
    expect(log).toEqual(['7@10', 'Symbol(timeout)@60', 'slept@160']);
  });

  test('waiting 0 ticks lets everything else runnable now go first', () => {
    const k = new Kernel();
    const log: string[] = [];
    k.spawn(
      'a',
      (function* (): ProcessBody<void> {
        log.push('a1');
        yield ticks(0);
        log.push('a2');
      })(),
    );
    k.spawn(
      'b',
      (function* (): ProcessBody<void> {
        log.push('b1');
      })(),
    );
    k.run();
    expect(log).toEqual(['a1', 'b1', 'a2']);
  });
});

describe('interrupts and kills', () => {
  test('an interrupt is thrown into the generator at the current time and cancels its timer', () => {
    const k = new Kernel();
    const log: string[] = [];
    const sleeper = k.spawn(
      'sleeper',
      (function* (): ProcessBody<void> {
        try {
          yield ticks(100);
          log.push('woke normally');
        } catch (error) {
          if (!(error instanceof Interrupt)) throw error;
          log.push(`interrupted by ${String(error.cause)} at ${k.now}`);
        }
        yield ticks(5);
        log.push(`done at ${k.now}`);
      })(),
    );
    k.spawn(
      'irq',
      (function* (): ProcessBody<void> {
        yield ticks(30);
        sleeper.interrupt('IRQ7');
      })(),
    );
    k.run();
    expect(log).toEqual(['interrupted by IRQ7 at 30', 'done at 35']);
  });

  test('an interrupted event wait ignores the later notification; several interrupts arrive one by one', () => {
    const k = new Kernel();
    const ev = k.event('ev');
    const log: string[] = [];
    const target = k.spawn(
      'target',
      (function* (): ProcessBody<void> {
        for (let i = 0; i < 3; i++) {
          try {
            yield ev;
            log.push(`event at ${k.now}`);
          } catch (error) {
            log.push(`${(error as Interrupt).message} at ${k.now}`);
          }
        }
      })(),
    );
    k.spawn(
      'driver',
      (function* (): ProcessBody<void> {
        yield ticks(10);
        target.interrupt('first');
        target.interrupt('second');
        ev.notify(); // target has stopped waiting: this is lost
        yield ticks(10);
        ev.notify();
      })(),
    );
    k.run();
    expect(log).toEqual([
      'process "target" interrupted: first at 10',
      'process "target" interrupted: second at 10',
      'event at 20',
    ]);
  });

  test('an uncaught interrupt fails the process with its name and time', () => {
    const k = new Kernel();
    const victim = k.spawn(
      'victim',
      (function* (): ProcessBody<void> {
        yield ticks(100);
      })(),
    );
    k.spawn(
      'attacker',
      (function* (): ProcessBody<void> {
        yield ticks(3);
        victim.interrupt();
      })(),
    );
    const err = runFailure(k);
    expect(err.message).toBe('process "victim" failed at 3.000 ns (tick 3): process "victim" interrupted');
    expect(err.cause).toBeInstanceOf(Interrupt);
    expect(victim.status).toBe('failed');
  });

  test('interrupting an ended process or oneself is a SchedulingError', () => {
    const k = new Kernel();
    const done = k.spawn('done', (function* (): ProcessBody<void> {})());
    k.run();
    expect(() => done.interrupt()).toThrow(new SchedulingError('cannot interrupt process "done": it has ended'));
    const self: { process?: Process<void> } = {};
    self.process = k.spawn(
      'selfish',
      (function* (): ProcessBody<void> {
        self.process!.interrupt();
      })(),
    );
    expect(runFailure(k).message).toBe(
      'process "selfish" failed at 0.000 ns (tick 0): process "selfish" cannot interrupt itself',
    );
  });

  test('kill runs finally blocks, wakes whoever waits with undefined, and is final', () => {
    const k = new Kernel();
    const log: string[] = [];
    const worker = k.spawn(
      'worker',
      (function* (): ProcessBody<string> {
        try {
          yield ticks(1000);
          return 'finished';
        } finally {
          log.push(`cleanup at ${k.now}`);
        }
      })(),
    );
    k.spawn(
      'joiner',
      (function* (): ProcessBody<void> {
        const v: string | undefined = yield worker;
        log.push(`joined ${String(v)} at ${k.now}`);
      })(),
    );
    k.spawn(
      'killer',
      (function* (): ProcessBody<void> {
        yield ticks(20);
        worker.kill();
        worker.kill(); // nothing more happens
      })(),
    );
    expect(k.run().now).toBe(20);
    expect(log).toEqual(['cleanup at 20', 'joined undefined at 20']);
    expect(worker.status).toBe('killed');
  });
});

describe('failures surface with the process name and the simulated time', () => {
  test('a process that throws stops the run with a ProcessError', () => {
    const k = new Kernel({ clocks: { cm33: 150e6 } }); // 3 GHz ticks
    k.spawn(
      'boom',
      (function* (): ProcessBody<void> {
        yield k.timebase.ns(5);
        throw new RangeError('bad descriptor index 9');
      })(),
    );
    const err = runFailure(k);
    expect(err.message).toBe('process "boom" failed at 5.000 ns (tick 15): bad descriptor index 9');
    expect(err.processName).toBe('boom');
    expect(err.time).toBe(15);
    expect(err.cause).toBeInstanceOf(RangeError);
    expect(k.now).toBe(15);
  });

  test('a failure is thrown into the process that waits for it, which may handle it', () => {
    const k = new Kernel();
    const log: string[] = [];
    const child = k.spawn(
      'child',
      (function* (): ProcessBody<void> {
        yield ticks(2);
        throw new Error('no buffer');
      })(),
    );
    k.spawn(
      'parent',
      (function* (): ProcessBody<void> {
        try {
          yield child;
        } catch (error) {
          log.push((error as ProcessError).message);
        }
      })(),
    );
    expect(k.run().reason).toBe('empty');
    expect(log).toEqual(['process "child" failed at 2.000 ns (tick 2): no buffer']);
  });

  test.each<[string, unknown, string]>([
    ['a negative delay', -5, 'process "p": cannot schedule in the past (a delay of -5 ticks)'],
    ['a fractional delay', 2.5, 'process "p": a delay must be a whole number of ticks, got 2.5'],
    ['NaN', Number.NaN, 'process "p": a delay must be a number of ticks, got NaN'],
    ['a string', '10ns', 'process "p" yielded the string "10ns"; a process yields Ticks, an Event, event.orTimeout(ticks) or a Process'],
    ['an object', { wait: 1 }, 'process "p" yielded an object (Object); a process yields Ticks, an Event, event.orTimeout(ticks) or a Process'],
  ])('yielding %s is a SchedulingError thrown in at the yield', (_what, value, message) => {
    const k = new Kernel();
    const log: string[] = [];
    k.spawn(
      'p',
      (function* (): ProcessBody<void> {
        try {
          yield value as Ticks;
        } catch (error) {
          log.push(`${(error as Error).name}: ${(error as Error).message}`);
        }
      })(),
    );
    k.run();
    expect(log).toEqual([`SchedulingError: ${message}`]);
  });

  test('time beyond 2^53 ticks is refused', () => {
    const k = new Kernel();
    k.spawn(
      'far',
      (function* (): ProcessBody<void> {
        yield ticks(10);
        yield MAX_TICKS;
      })(),
    );
    expect(runFailure(k).message).toBe(
      `process "far" failed at 10.000 ns (tick 10): process "far": tick 10 + ${MAX_TICKS} is beyond 2^53 ticks`,
    );
    const t = k.task('t', () => undefined);
    expect(() => t.schedule(MAX_TICKS)).toThrow(`task "t": tick 10 + ${MAX_TICKS} is beyond 2^53 ticks`);
    expect(() => t.scheduleAt(ticks(3))).toThrow('task "t": cannot schedule in the past (a delay of -7 ticks)');
    expect(() => k.run(ticks(2 ** 53))).toThrow('cannot run until tick 9007199254740992: now is tick 10 (and the limit is 2^53)');
  });

  test('a task that throws stops the run with a ProcessError of kind task', () => {
    const k = new Kernel();
    k.task('mu.update', () => {
      throw new Error('register 0x24 is read-only');
    }).schedule(ticks(4));
    const err = runFailure(k);
    expect(err.kind).toBe('task');
    expect(err.message).toBe('task "mu.update" failed at 4.000 ns (tick 4): register 0x24 is read-only');
  });
});

describe('tasks are handles owned by a model', () => {
  test('schedule, reschedule, cancel; scheduling a pending task is an error', () => {
    const k = new Kernel();
    const log: number[] = [];
    const t = k.task('tick', () => log.push(k.now));
    t.schedule(ticks(10));
    expect(t.pending).toBe(true);
    expect(t.time).toBe(10);
    expect(() => t.schedule(ticks(5))).toThrow(
      'task "tick" is already scheduled at tick 10; use reschedule() to move it',
    );
    t.reschedule(ticks(4));
    k.run();
    expect(log).toEqual([4]);
    expect(t.pending).toBe(false);
    t.schedule(ticks(3));
    t.cancel();
    t.scheduleAt(ticks(9));
    k.run();
    expect(log).toEqual([4, 9]);
  });
});

describe('run() stops where asked', () => {
  function clockwork(k: Kernel, log: number[]): void {
    k.spawn(
      'ticker',
      (function* (): ProcessBody<void> {
        for (let i = 0; i < 10; i++) {
          yield ticks(10);
          log.push(k.now);
        }
      })(),
    );
  }

  test('until a time: entries at that time are not run yet; now becomes that time', () => {
    const k = new Kernel();
    const log: number[] = [];
    clockwork(k, log);
    expect(k.run(ticks(30))).toEqual({ reason: 'time', now: 30, events: 3 });
    expect(log).toEqual([10, 20]);
    expect(k.nextTime()).toBe(30);
    expect(k.run({ until: ticks(35) }).now).toBe(35);
    expect(log).toEqual([10, 20, 30]);
    expect(k.run(ticks(1000))).toEqual({ reason: 'time', now: 1000, events: 7 });
    expect(log.length).toBe(10);
  });

  test('until an event, until a process, a limit on entries, stop()', () => {
    const k = new Kernel();
    const log: number[] = [];
    const ev = k.event('half');
    clockwork(k, log);
    ev.notifyAfter(ticks(45));
    expect(k.run({ until: ev })).toEqual({ reason: 'event', now: 45, events: 6 });
    expect(k.run({ maxEvents: 2 })).toEqual({ reason: 'limit', now: 60, events: 2 });
    const stopper = k.spawn(
      'stopper',
      (function* (): ProcessBody<string> {
        yield ticks(5);
        k.stop();
        yield ticks(20);
        return 'late';
      })(),
    );
    expect(k.run()).toMatchObject({ reason: 'stopped', now: 65 });
    expect(k.run({ until: stopper })).toMatchObject({ reason: 'process', now: 85 });
    expect(k.run({ until: stopper })).toEqual({ reason: 'process', now: 85, events: 0 });
    expect(k.run().reason).toBe('empty');
    expect(log).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  test('a deadlock ends with a report of who waits for what', () => {
    const k = new Kernel();
    const toA = k.event('toA');
    const toB = k.event('toB');
    const b = k.spawn(
      'B',
      (function* (): ProcessBody<void> {
        yield toB;
        toA.notify();
      })(),
    );
    k.spawn(
      'A',
      (function* (): ProcessBody<void> {
        yield toA; // both wait first: neither ever notifies
        toB.notify();
      })(),
    );
    k.spawn(
      'joiner',
      (function* (): ProcessBody<void> {
        yield b;
      })(),
    );
    expect(k.run().reason).toBe('empty');
    expect(k.blocked()).toEqual([
      { process: 'B', waitsFor: 'event "toB"' },
      { process: 'A', waitsFor: 'event "toA"' },
      { process: 'joiner', waitsFor: 'process "B"' },
    ]);
  });

  test('run() from inside the simulation is refused', () => {
    const k = new Kernel();
    k.spawn(
      'nested',
      (function* (): ProcessBody<void> {
        k.run();
      })(),
    );
    expect(runFailure(k).message).toBe(
      'process "nested" failed at 0.000 ns (tick 0): run() called from inside the simulation',
    );
  });
});

describe('event waits that time out do not pile up', () => {
  test('ten thousand timed waits, then one notification wakes exactly the current waiter', () => {
    const k = new Kernel();
    const ev = k.event<number>('rare');
    let timeouts = 0;
    const got: number[] = [];
    k.spawn(
      'poller',
      (function* (): ProcessBody<void> {
        for (;;) {
          const v: number | typeof TIMEOUT = yield ev.orTimeout(ticks(1));
          if (v === TIMEOUT) timeouts++;
          else got.push(v);
          if (got.length > 0) return;
        }
      })(),
    );
    ev.notifyAfter(ticks(10_000), 5);
    k.run();
    // Timeouts at ticks 1..9999; at 10000 the notification (queued at tick 0) beats the timer.
    expect(timeouts).toBe(9_999);
    expect(got).toEqual([5]);
    expect(ev.waiting).toBe(0);
  });
});

describe('exact run-ahead', () => {
  test('horizon(): the next queued entry, the end of the run, or now while entries are due now', () => {
    const k = new Kernel({ tickHz: 1e9 });
    const seen: number[] = [];
    k.task('later', () => undefined).schedule(ticks(50));
    k.spawn('p', (function* (): ProcessBody<void> {
      seen.push(k.horizon()); // the task at 50 (the run's end, 80, is later)
      k.task('now', () => undefined).schedule(ticks(0));
      seen.push(k.horizon()); // an entry due now: nothing may run ahead
      yield ticks(0);
      seen.push(k.horizon()); // the task at 50 again
    })());
    k.run({ until: ticks(80) });
    expect(seen).toEqual([50, 0, 50]);
    // With nothing queued the horizon is the end of the run.
    const k2 = new Kernel({ tickHz: 1e9 });
    let h = -1;
    k2.spawn('q', (function* (): ProcessBody<void> {
      h = k2.horizon();
      yield ticks(0);
    })());
    k2.run({ until: ticks(30) });
    expect(h).toBe(30);
  });

  test('a timed wait before the horizon is not queued, yet counts as an entry; one at or past it is queued', () => {
    const k = new Kernel({ tickHz: 1e9 });
    const at: number[] = [];
    k.task('t', () => at.push(-k.now)).schedule(ticks(25));
    k.spawn('p', (function* (): ProcessBody<void> {
      for (let i = 0; i < 4; i++) {
        yield ticks(10);
        at.push(k.now);
      }
    })());
    const r = k.run();
    // 10 and 20 run ahead (before the task at 25); 30 and 40 come after it, as before.
    expect(at).toEqual([10, 20, -25, 30, 40]);
    // spawn + 4 wake-ups + the task: the same count as with every wait queued.
    expect(r.events).toBe(6);
    const off = new Kernel({ tickHz: 1e9 });
    off.runAhead = false;
    off.task('t', () => undefined).schedule(ticks(25));
    off.spawn('p', (function* (): ProcessBody<void> {
      for (let i = 0; i < 4; i++) yield ticks(10);
    })());
    expect(off.run().events).toBe(6);
  });

  test('maxEvents still bounds a process that could run ahead for ever', () => {
    const k = new Kernel({ tickHz: 1e9 });
    k.spawn('spin', (function* (): ProcessBody<void> {
      for (;;) yield ticks(1);
    })());
    expect(k.run({ maxEvents: 1000 })).toEqual({ reason: 'limit', now: 999, events: 1000 });
  });
});

describe('run-ahead and interrupts', () => {
  test('two interrupts in one tick: the second is thrown in at the next wait even when that wait could run ahead', () => {
    const run = (runAhead: boolean): string[] => {
      const k = new Kernel({ tickHz: 1e9 });
      k.runAhead = runAhead;
      const log: string[] = [];
      const never = k.event('never');
      const p = k.spawn('p', (function* (): ProcessBody<void> {
        for (let i = 0; i < 3; i++) {
          try {
            yield i === 0 ? never : ticks(1000);
            log.push(`woke ${k.now}`);
          } catch (error) {
            log.push(`irq ${String((error as { cause: unknown }).cause)} ${k.now}`);
          }
        }
      })());
      k.spawn('q', (function* (): ProcessBody<void> {
        yield ticks(5);
        p.interrupt('a');
        p.interrupt('b');
      })());
      k.run();
      return log;
    };
    expect(run(false)).toEqual(['irq a 5', 'irq b 5', 'woke 1005']);
    expect(run(true)).toEqual(run(false));
  });
});
