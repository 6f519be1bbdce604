// The RTOS model, hand-computed (timings and start-up in firmware/env/rtos-test-support.ts):
// the costs, the hardware it relies on, scheduling, queues, misuse.

import { FirmwareError, Kernel, Priority, cycles, ticks } from '../../sim/kernel';
import type { CoreOp, Firmware } from '../../sim/hw/core';
import { SysTick } from '../../sim/hw/systick';
import { FREERTOS_CYCLES } from '../costs/freertos-cycles';
import { WAIT_FOREVER } from '.';
import {
  TICKS_PER_CYCLE,
  ENTRY,
  EXIT,
  TAIL_CHAIN,
  SAMPLE,
  DSB,
  SWITCH,
  API,
  API_FROM_ISR,
  TICK_HANDLER,
  PER_UNBLOCK,
  CREATE,
  START,
  PENDSV,
  FIRST_TASK,
  wrap,
  afterTickSwitch,
  TICK_STEAL,
  rtosSystem,
  startRtos,
  isrLine,
  failureOf,
} from '../env/rtos-test-support';

describe('the costs used here are the Cortex-M4 table', () => {
  test('the rtos entries of the M4 table, with a source for each', () => {
    const { rtos } = rtosSystem();
    const names = ['contextSwitch', 'tickHandler', 'tickPerUnblock', 'apiCall', 'apiCallFromIsr', 'objectCreate', 'schedulerStart'] as const;
    expect(Object.fromEntries(names.map((n) => [n, rtos.costs.cost(`rtos.${n}`)]))).toEqual({
      contextSwitch: SWITCH,
      tickHandler: TICK_HANDLER,
      tickPerUnblock: PER_UNBLOCK,
      apiCall: API,
      apiCallFromIsr: API_FROM_ISR,
      objectCreate: CREATE,
      schedulerStart: START,
    });
    for (const table of Object.values(FREERTOS_CYCLES)) for (const p of Object.values(table)) expect(p.source.length).toBeGreaterThan(20);
  });
});

describe('hardware the RTOS relies on', () => {
  test('SysTick wraps every reload cycles from the edge it starts on; resume keeps the phase and counts missed wraps', () => {
    const k = new Kernel({ clocks: { cpu: 10e6 } });
    const clock = k.clock('cpu');
    const systick = new SysTick(k, 'st', clock, 1000);
    const rises: number[] = [];
    systick.line.connect({ lineChanged: (l) => (l.level ? rises.push(k.now / TICKS_PER_CYCLE) : undefined) });
    k.task('start', () => systick.start(), { priority: Priority.Default }).scheduleAt(ticks(250)); // mid-cycle: starts at edge 3
    k.run(ticks(2500 * TICKS_PER_CYCLE));
    expect(rises).toEqual([1003, 2003]);
    systick.stop();
    k.run(ticks(5500 * TICKS_PER_CYCLE)); // stopped through the wraps at 3003, 4003, 5003
    expect(systick.wrapsMissedSoFar()).toBe(3);
    expect(systick.resume()).toBe(3);
    k.run(ticks(7000 * TICKS_PER_CYCLE));
    expect(rises).toEqual([1003, 2003, 6003]);
    expect(systick.wraps).toBe(6);
  });

  test('core.onThreadResume: true ends the preempted compute block and exec resumes with the cycles left', () => {
    for (const cut of [true, false]) {
      const { k, core } = rtosSystem();
      const isr = isrLine(k, core, function* (): Firmware<void> {
        yield* core.exec(cycles(5));
      });
      const seen: { value: unknown; at: number }[] = [];
      core.onThreadResume = () => cut;
      core.start(
        (function* (): Generator<CoreOp, void, unknown> {
          const value: unknown = yield { kind: 'exec', cycles: 1000 };
          seen.push({ value, at: k.now / TICKS_PER_CYCLE });
        })(),
      );
      isr.pulseAt(100); // seen at 101 (101 cycles computed), handler 113..118, back in thread mode at 130
      k.run();
      expect(seen).toEqual(cut ? [{ value: 899, at: 130 }] : [{ value: undefined, at: 1000 + ENTRY + 5 + EXIT }]);
    }
  });
});

describe('scheduling', () => {
  test('a semaphore given from an ISR: the higher-priority task runs right after the ISR (tail-chain + switch + exit)', () => {
    const { k, core, rtos, cycle } = rtosSystem();
    const ready = rtos.createBinarySemaphore('rx-ready');
    const log: string[] = [];
    rtos.createTask('high', 3, (function* (): Firmware<void> {
      const taken = yield* ready.take(WAIT_FOREVER);
      log.push(`high took=${taken} @${cycle()}`);
      yield* core.exec(cycles(100));
    })());
    rtos.createTask('low', 1, (function* (): Firmware<void> {
      log.push(`low starts @${cycle()}`);
      yield* core.exec(cycles(8000));
      log.push(`low done @${cycle()}`);
    })());
    let isrEnd = 0;
    const isr = isrLine(k, core, function* (): Firmware<void> {
      yield* ready.giveFromIsr();
      isrEnd = cycle();
    });
    startRtos(core, rtos);
    isr.pulseAt(5000);
    expect(k.run().reason).toBe('empty');

    // high blocks first: take 60 from 1372, dsb to 1436, PendSV to 1544: low starts then.
    const lowStart = FIRST_TASK + API + DSB + PENDSV;
    // The ISR: seen at 5001 (low has computed 5001 - 1544 = 3457 cycles), entry to 5013, the give to 5053.
    expect(isrEnd).toBe(5000 + SAMPLE + ENTRY + API_FROM_ISR);
    const highRuns = isrEnd + TAIL_CHAIN + SWITCH + EXIT; // 5155
    // high computes 100 and ends: PendSV back to low, which runs its 8000 - 3457 cycles left.
    const lowDone = highRuns + 100 + PENDSV + (8000 - (5000 + SAMPLE - lowStart));
    expect(log).toEqual([`low starts @${lowStart}`, `high took=true @${highRuns}`, `low done @${lowDone}`]);
    expect([lowStart, highRuns, lowDone]).toEqual([1544, 5155, 9906]);
    expect(rtos.stats.contextSwitches).toBe(5); // timer->high, high->low, low->high, high->low, low->idle
  });

  test('vTaskDelay wakes on the exact tick; the idle task sleeps in between and the run ends when nothing is left', () => {
    const { k, core, rtos, cycle } = rtosSystem();
    const log: string[] = [];
    rtos.createTask('sleeper', 2, (function* (): Firmware<void> {
      log.push(`delay from tick ${rtos.tickCount} @${cycle()}`);
      yield* rtos.delay(2);
      log.push(`awake at tick ${rtos.tickCount} @${cycle()}`);
    })());
    startRtos(core, rtos);
    const result = k.run();
    const idleFrom = FIRST_TASK + API + DSB + PENDSV; // 1544
    const awake = afterTickSwitch(2, 1); // 21385
    expect(log).toEqual([`delay from tick 0 @${FIRST_TASK}`, `awake at tick 2 @${awake}`]);
    expect(awake).toBe(21385);
    // Asleep 1544..11201 (tick 1 seen), then from tick 1's return 11265 to 21201.
    const tick1Return = wrap(1) + SAMPLE + TICK_STEAL;
    expect(core.statsNow().asleepCycles).toBe(wrap(1) + SAMPLE - idleFrom + (wrap(2) + SAMPLE - tick1Return));
    expect(core.statsNow().asleepCycles).toBe(19593);
    // The sleeper ended; the idle task stopped the tick (nothing waits on time) and sleeps: nothing is left.
    expect(result.reason).toBe('empty');
    expect(cycle()).toBe(awake + PENDSV);
    expect(rtos.systick.enabled).toBe(false);
    expect(rtos.stats.tickInterrupts).toBe(2);
    expect(result.events).toBeLessThan(60);
  });

  test('equal priorities round-robin at the tick; a tick with one task at that priority switches nothing', () => {
    const { k, core, rtos, cycle } = rtosSystem();
    const log: string[] = [];
    for (const name of ['A', 'B']) {
      rtos.createTask(name, 1, (function* (): Firmware<void> {
        log.push(`${name} starts @${cycle()}`);
        yield* core.exec(cycles(15_000));
        log.push(`${name} done @${cycle()}`);
      })());
    }
    startRtos(core, rtos);
    k.run();
    // A: 1372.. tick 1 seen at 11201 (9829 done); B from the switch at 11355 to tick 2 seen at 21201 (9846 done);
    // A resumes at 21355 with 5171 left -> 26526; PendSV to B, 5154 left from 26634, tick 3 steals 64 -> 31852.
    const bStarts = afterTickSwitch(1, 0);
    const aDone = afterTickSwitch(2, 0) + (15_000 - (wrap(1) + SAMPLE - FIRST_TASK));
    const bDone = aDone + PENDSV + (15_000 - (wrap(2) + SAMPLE - bStarts)) + TICK_STEAL;
    expect(log).toEqual([`A starts @${FIRST_TASK}`, `B starts @${bStarts}`, `A done @${aDone}`, `B done @${bDone}`]);
    expect([bStarts, aDone, bDone]).toEqual([11355, 26526, 31852]);
  });

  test('a task blocked forever shows in the deadlock report, with what it waits on', () => {
    const { k, core, rtos } = rtosSystem();
    const never = rtos.createBinarySemaphore('never-given');
    const q = rtos.createQueue<number>('inbox', 2);
    rtos.createTask('consumer', 2, (function* (): Firmware<void> {
      yield* never.take(WAIT_FOREVER);
    })());
    rtos.createTask('reader', 1, (function* (): Firmware<void> {
      yield* q.receive(WAIT_FOREVER);
    })());
    startRtos(core, rtos);
    expect(k.run().reason).toBe('empty');
    expect(rtos.blockedTasks()).toEqual([
      { task: 'consumer', waitsFor: 'binary semaphore "never-given"', timeoutTick: null },
      { task: 'reader', waitsFor: 'queue "inbox" to receive', timeoutTick: null },
    ]);
    expect(rtos.describeBlocked()).toEqual([
      'task "consumer" waits for binary semaphore "never-given" forever',
      'task "reader" waits for queue "inbox" to receive forever',
    ]);
    expect(k.blocked()).toEqual([{ process: 'cpu', waitsFor: 'event "cpu.irq-request"' }]);
  });
});

describe('queues', () => {
  test('a receive with a timeout of 3 ticks gives null on the exact tick', () => {
    const { k, core, rtos, cycle } = rtosSystem();
    const q = rtos.createQueue<{ id: number }>('rx', 4);
    const log: string[] = [];
    rtos.createTask('consumer', 2, (function* (): Firmware<void> {
      const message = yield* q.receive(3);
      log.push(`got ${JSON.stringify(message)} at tick ${rtos.tickCount} @${cycle()}`);
    })());
    startRtos(core, rtos);
    k.run();
    expect(log).toEqual([`got null at tick 3 @${afterTickSwitch(3, 1)}`]);
    expect(afterTickSwitch(3, 1)).toBe(31385);
  });

  test('a message put from an ISR wakes the receiver with a copy; a full queue refuses from an ISR and times out a task', () => {
    const { k, core, rtos, cycle } = rtosSystem();
    const q = rtos.createQueue<{ id: number }>('rx', 1);
    const sent = { id: 7 };
    const log: string[] = [];
    let received: { id: number } | null = null;
    rtos.createTask('consumer', 3, (function* (): Firmware<void> {
      received = yield* q.receive(10);
      log.push(`consumer got id ${received?.id} @${cycle()}`);
    })());
    rtos.createTask('producer', 1, (function* (): Firmware<void> {
      yield* core.exec(cycles(5000));
      // The queue holds one message from the second ISR put: this waits 2 ticks and fails.
      const ok = yield* q.send({ id: 9 }, 2);
      log.push(`producer send ok=${ok} at tick ${rtos.tickCount} @${cycle()}`);
    })());
    const results: boolean[] = [];
    const isr = isrLine(k, core, function* (): Firmware<void> {
      results.push(yield* q.sendFromIsr(sent));
    });
    startRtos(core, rtos);
    isr.pulseAt(3000); // consumer waiting: woken, runs after the ISR
    isr.pulseAt(4000); // queue empty again: stored
    isr.pulseAt(4500); // full: refused
    k.run();
    const consumerRuns = 3000 + SAMPLE + ENTRY + API_FROM_ISR + TAIL_CHAIN + SWITCH + EXIT;
    expect(results).toEqual([true, true, false]);
    expect(received).toEqual(sent);
    expect(received).not.toBe(sent);
    expect(log[0]).toBe(`consumer got id 7 @${consumerRuns}`);
    // The producer blocks at tick 0 for 2 ticks: woken by tick 2 (it is the only task, above idle).
    expect(log[1]).toBe(`producer send ok=false at tick 2 @${afterTickSwitch(2, 1)}`);
    expect(q.size).toBe(1);
  });
});

describe('misuse of the RTOS is a FirmwareError', () => {
  test('a blocking call from an ISR', () => {
    const { k, core, rtos } = rtosSystem();
    const ready = rtos.createBinarySemaphore('rx-ready');
    rtos.createTask('app', 1, (function* (): Firmware<void> {
      yield* core.exec(cycles(8000));
    })());
    const isr = isrLine(k, core, function* (): Firmware<void> {
      yield* ready.take(WAIT_FOREVER);
    });
    startRtos(core, rtos);
    isr.pulseAt(5000);
    const cause = failureOf(k);
    expect(cause).toBeInstanceOf(FirmwareError);
    expect((cause as Error).message).toBe('xSemaphoreTake called from an ISR on cpu: use the FromISR variant');
  });
});
