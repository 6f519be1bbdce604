// Hand-computed timing of the RTOS model on one Cortex-M4 at 10 MHz (a cycle is 100 ticks of
// 1 ns; a 1 ms RTOS tick is 10 000 cycles). Times below are in core cycles.
//
// Cortex-M4 (sim/hw/core-types.ts): exception entry 12, exit 12, tail-chain 6, the NVIC sees
// a line change 1 cycle after the first edge at or after it, dsb 4. RTOS costs (rtos.ts,
// RTOS_COSTS): context switch 84, tick handler 40 + 30 per task it unblocks, API call 60,
// FromISR call 40, object creation 500, scheduler start 1200.
//
// Start-up, the same in every test: the scheduler start runs 0..1200 and starts the
// SysTick, which wraps at 1200 + n * 10 000. The timer service task (priority 4) runs
// first: its queue receive costs 60 (1260), it blocks, the dsb runs to 1264, the PendSV is
// taken (entry 12, switch 84, exit 12) and the first application task runs at 1372.

import { Kernel, Priority, ticks } from '../../sim/kernel';
import type { Core, CoreOp, Firmware } from '../../sim/hw/core';
import { IrqLine } from '../../sim/hw/signal';
import { type SocSpec, buildSoc } from '../../sim/hw/soc';
import { SysTick } from '../../sim/hw/systick';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { RL_ADDR_ANY, RL_RELEASE, RL_SUCCESS, RL_TRUE } from '../rpmsg-lite/constants';
import { rpmsg_lite_create_ept, rpmsg_lite_remote_init, rpmsg_lite_wait_for_link_up } from '../rpmsg-lite/api';
import { RpmsgLite } from '../rpmsg-lite/rpmsg-lite';
import { type Out, rpmsgQueueRxCallback, rpmsg_queue_create, rpmsg_queue_recv } from '../rpmsg-lite/rpmsg-queue';
import { BareMetalEnv } from './bare-metal';
import { RL_BLOCK } from '../rpmsg-lite/rpmsg-env';
import { RTOS_COSTS, Rtos, type RtosConfig, RtosEnv, WAIT_FOREVER } from './rtos';

const TICKS_PER_CYCLE = 100;
const ENTRY = 12;
const EXIT = 12;
const TAIL_CHAIN = 6;
const SAMPLE = 1;
const DSB = 4;
const SWITCH = 84;
const API = 60;
const API_FROM_ISR = 40;
const TICK_HANDLER = 40;
const PER_UNBLOCK = 30;
const CREATE = 500;
const START = 1200;
const TICK_PERIOD = 10_000;
/** A PendSV taken from thread mode: entry, switch, exit. */
const PENDSV = ENTRY + SWITCH + EXIT;
/** When the first application task runs (see the header). */
const FIRST_TASK = START + API + DSB + PENDSV;
/** Cycle of the SysTick's n-th wrap. */
const wrap = (n: number): number => START + n * TICK_PERIOD;
/** A tick that unblocks `unblocked` tasks of higher priority: the woken task's first cycle. */
const afterTickSwitch = (n: number, unblocked: number): number =>
  wrap(n) + SAMPLE + ENTRY + TICK_HANDLER + unblocked * PER_UNBLOCK + TAIL_CHAIN + SWITCH + EXIT;
/** The thread loses this many cycles to a tick that switches nothing. */
const TICK_STEAL = ENTRY + TICK_HANDLER + EXIT;

const ISR_LINE = 1;
const PENDSV_LINE = 6;
const TICK_LINE = 7;

function rtosSystem(config: Partial<RtosConfig> = {}): { k: Kernel; core: Core; rtos: Rtos; env: RtosEnv; cycle: () => number } {
  const k = new Kernel({ clocks: { cpu: 10e6, sram: 10e6, apb: 10e6 } });
  const spec: SocSpec = {
    cores: [{ name: 'cpu', type: 'cortex-m4', clock: 'cpu', nvic: { lines: 8, priorityBits: 3 }, addressMap: [] }],
    memories: [{ name: 'sram', clock: 'sram', size: 0x1000, dataWidthBytes: 4, readWaitStates: 0, writeWaitStates: 0 }],
    interconnect: { arbitration: 'round-robin', syncCycles: 1, responseSyncCycles: 1 },
    peripheralBus: { clock: 'apb', accessCycles: 2 },
  };
  const core = buildSoc(k, spec).core('cpu');
  const rtos = new Rtos(core, { tickLine: TICK_LINE, pendSvLine: PENDSV_LINE, ...config });
  return { k, core, rtos, env: new RtosEnv(rtos), cycle: () => k.now / TICKS_PER_CYCLE };
}

function startRtos(core: Core, rtos: Rtos): void {
  core.start(
    (function* (): Firmware<void> {
      yield* rtos.startScheduler();
    })(),
  );
}

/** An edge-sensitive interrupt at priority 2 whose line the test pulses at a given cycle. */
function isrLine(k: Kernel, core: Core, handler: () => Firmware<void>): { pulseAt: (cycle: number) => void } {
  const line = new IrqLine('doorbell');
  core.nvic.connect(ISR_LINE, line, 'edge');
  core.nvic.setPriority(ISR_LINE, 2);
  core.nvic.enable(ISR_LINE);
  core.setHandler(ISR_LINE, handler);
  return {
    pulseAt(cycle: number): void {
      k.task(`pulse@${cycle}`, () => {
        line.set(true);
        line.set(false);
      }, { priority: Priority.Hardware }).scheduleAt(ticks(cycle * TICKS_PER_CYCLE));
    },
  };
}

describe('the costs used here are the Cortex-M4 table', () => {
  test('RTOS_COSTS for the M4, with a source for each', () => {
    const { rtos } = rtosSystem();
    expect(rtos.costs).toEqual({
      contextSwitch: SWITCH,
      tickHandler: TICK_HANDLER,
      tickPerUnblock: PER_UNBLOCK,
      apiCall: API,
      apiCallFromIsr: API_FROM_ISR,
      objectCreate: CREATE,
      schedulerStart: START,
    });
    for (const table of Object.values(RTOS_COSTS)) for (const p of Object.values(table)) expect(p.source.length).toBeGreaterThan(20);
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
        yield* core.exec(5);
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
      yield* core.exec(100);
    })());
    rtos.createTask('low', 1, (function* (): Firmware<void> {
      log.push(`low starts @${cycle()}`);
      yield* core.exec(8000);
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
        yield* core.exec(15_000);
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
      yield* core.exec(5000);
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

describe('the rpmsg-lite environment (RlEnv) on the RTOS', () => {
  /** A task that runs env_init then env_wait_for_link_up and logs the result. */
  function linkWaiter(env: RtosEnv, rtos: Rtos, cycle: () => number, linkId: number, timeoutMs: number, isUp: () => boolean, log: string[]): void {
    rtos.createTask('app', 2, (function* (): Firmware<void> {
      yield* env.init();
      const up = yield* env.waitForLinkUp(isUp, linkId, timeoutMs);
      log.push(`link ${linkId} up=${up} at tick ${rtos.tickCount} @${cycle()}`);
    })());
  }
  /** app's wait starts blocking: init (3 objects created, env_sema given), clear bits, wait bits, dsb, PendSV. */
  const WAIT_BLOCKS_AT = FIRST_TASK + 3 * CREATE + API + API + API + DSB;

  test('the link bit set from an ISR: true, through the timer service task as xEventGroupSetBitsFromISR does', () => {
    const { k, core, rtos, env, cycle } = rtosSystem();
    let linkUp = false;
    const log: string[] = [];
    linkWaiter(env, rtos, cycle, 0, RL_BLOCK, () => linkUp, log);
    const isr = isrLine(k, core, function* (): Firmware<void> {
      linkUp = true; // rpmsg_lite_tx_callback sets link_state, then env_tx_callback
      env.txCallback(0);
    });
    startRtos(core, rtos);
    isr.pulseAt(6000);
    k.run();
    // ISR at 6013 (no cycles of its own): PendSV tail-chains to the timer task (6115), which sets the
    // bit (60) and blocks again (60 + dsb); PendSV to app.
    const timerRuns = 6000 + SAMPLE + ENTRY + TAIL_CHAIN + SWITCH + EXIT;
    const appRuns = timerRuns + API + API + DSB + PENDSV;
    expect(WAIT_BLOCKS_AT + PENDSV).toBeLessThan(6000);
    expect(log).toEqual([`link 0 up=true at tick 0 @${appRuns}`]);
    expect(appRuns).toBe(6347);
    expect(env.linkBits).toBe(1);
  });

  test('no link-up before the timeout: false on the exact tick', () => {
    const { k, core, rtos, env, cycle } = rtosSystem();
    const log: string[] = [];
    linkWaiter(env, rtos, cycle, 1, 3, () => false, log);
    startRtos(core, rtos);
    k.run();
    expect(log).toEqual([`link 1 up=false at tick 3 @${afterTickSwitch(3, 1)}`]);
  });

  test("quirk: another link's bit also set makes the wait report a timeout although this link came up", () => {
    const { k, core, rtos, env, cycle } = rtosSystem();
    let link0Up = false;
    const log: string[] = [];
    linkWaiter(env, rtos, cycle, 0, RL_BLOCK, () => link0Up, log);
    const isr = isrLine(k, core, function* (): Firmware<void> {
      if (rtos.tickCount === 0) {
        env.txCallback(1); // link 1 came up first
      } else {
        link0Up = true;
        env.txCallback(0);
      }
    });
    startRtos(core, rtos);
    isr.pulseAt(6000);
    isr.pulseAt(wrap(1) + 2000);
    k.run();
    expect(env.linkBits).toBe(0b11);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^link 0 up=false at tick 1 @/);
  });

  test('env_sleep_msec with a 2 ms tick: 1 ms is vTaskDelay(0), a yield to the other task of equal priority; 4 ms is 2 ticks', () => {
    const { k, core, rtos, env, cycle } = rtosSystem({ tickRateHz: 500 });
    const log: string[] = [];
    rtos.createTask('A', 1, (function* (): Firmware<void> {
      yield* env.sleepMsec(1);
      log.push(`A back @${cycle()}`);
      yield* env.sleepMsec(4);
      log.push(`A back at tick ${rtos.tickCount}`);
    })());
    rtos.createTask('B', 1, (function* (): Firmware<void> {
      log.push(`B runs @${cycle()}`);
    })());
    startRtos(core, rtos);
    k.run();
    const bRuns = FIRST_TASK + API + DSB + PENDSV;
    expect(env.toTicks(1)).toBe(0);
    expect(log).toEqual([`B runs @${bRuns}`, `A back @${bRuns + PENDSV}`, 'A back at tick 2']);
  });

  test('lock and unlock take and give the instance lock in a task and are skipped in an ISR; queues use FromISR there', () => {
    const { k, core, rtos, env, cycle } = rtosSystem();
    const log: string[] = [];
    const queue = env.createQueue<{ src: number; len: number }>(4)!;
    rtos.createTask('app', 2, (function* (): Firmware<void> {
      yield* env.init();
      const before = cycle();
      yield* env.lockMutex();
      yield* env.unlockMutex();
      log.push(`lock+unlock took ${cycle() - before} cycles`);
      const message = yield* env.getQueue(queue, RL_BLOCK);
      log.push(`got ${JSON.stringify(message)}, size now ${env.queueSize(queue)}`);
      log.push(`empty get with timeout 0: ${JSON.stringify(yield* env.getQueue(queue, 0))}`);
    })());
    const isr = isrLine(k, core, function* (): Firmware<void> {
      const before = cycle();
      yield* env.lockMutex();
      yield* env.unlockMutex();
      const put = yield* env.putQueue(queue, { src: 30, len: 12 }, 0);
      log.push(`isr: lock+unlock+put took ${cycle() - before} cycles, put=${put}, in ISR ${env.inIsr()}`);
    });
    startRtos(core, rtos);
    isr.pulseAt(6000);
    k.run();
    expect(log).toEqual([
      `lock+unlock took ${2 * API} cycles`,
      `isr: lock+unlock+put took ${API_FROM_ISR} cycles, put=true, in ISR true`,
      'got {"src":30,"len":12}, size now 0',
      'empty get with timeout 0: null',
    ]);
    expect(env.kind).toBe('rtos');
  });
});

describe('rpmsg-lite on the RTOS environment', () => {
  test('lpc55s69: a remote task waits for link-up and receives through rpmsg_queue, woken from the mailbox ISR', () => {
    let rtos: Rtos | null = null;
    const sys = buildRpmsgSystem('lpc55s69', {
      // The master (made first) stays bare metal; the remote runs the RTOS, its tick and PendSV on spare lines.
      env: (core, port) => {
        if (core.name !== 'core1') return new BareMetalEnv(core, port);
        rtos = new Rtos(core, { tickLine: 59, pendSvLine: 58 });
        return new RtosEnv(rtos, port);
      },
    });
    expect(sys.remote.env.kind).toBe('rtos');
    const remoteRtos = (sys.remote.env as RtosEnv).rtos;
    const received: { value: number; src: number; len: number; inTask: string | undefined }[] = [];
    let linkUp = -1;
    const remoteAddr = 30;
    startPrograms(sys, {
      // startPrograms runs the remote's program as the RTOS task "remote-app" and starts the scheduler.
      remote: (ctx) =>
          (function* (): Firmware<void> {
            const dev = (yield* rpmsg_lite_remote_init(ctx.rlOptions, ctx.sharedMemory.base, ctx.linkId))!;
            const q = rpmsg_queue_create(dev)!;
            yield* rpmsg_lite_create_ept(dev, remoteAddr, rpmsgQueueRxCallback(dev, q));
            linkUp = yield* rpmsg_lite_wait_for_link_up(dev, RL_BLOCK);
            const data = new Uint8Array(496);
            for (let i = 0; i < 3; i++) {
              const src: Out<number> = { value: 0 };
              const len: Out<number> = { value: 0 };
              expect(yield* rpmsg_queue_recv(dev, q, src, data, data.length, len, RL_BLOCK)).toBe(RL_SUCCESS);
              const value = new DataView(data.buffer).getUint32(0, true);
              received.push({ value, src: src.value, len: len.value, inTask: remoteRtos.runningTask?.name });
            }
            ctx.kernel.stop();
          })(),
      master: (ctx) =>
        (function* (): Firmware<void> {
          yield* ctx.core.exec(30_000); // the remote's task is waiting by then
          const rl = (yield* RpmsgLite.masterInit(ctx.rlOptions, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
          const ept = (yield* rl.createEpt(RL_ADDR_ANY, function* () {
            return RL_RELEASE;
          }))!;
          const message = new Uint8Array(8);
          for (const value of [11, 22, 33]) {
            new DataView(message.buffer).setUint32(0, value, true);
            expect(yield* rl.send(ept, remoteAddr, message, message.length, RL_BLOCK)).toBe(RL_SUCCESS);
          }
        })(),
    });
    expect(sys.kernel.run().reason).toBe('stopped');
    expect(linkUp).toBe(RL_TRUE);
    expect(received.map((r) => [r.value, r.len, r.inTask])).toEqual([
      [11, 8, 'remote-app'],
      [22, 8, 'remote-app'],
      [33, 8, 'remote-app'],
    ]);
    expect(received.every((r) => r.src === received[0]!.src)).toBe(true);
    // The link-up kick and the messages woke the task through the timer service and the queue.
    expect(remoteRtos.stats.contextSwitches).toBeGreaterThanOrEqual(6);
    expect(remoteRtos.blockedTasks()).toEqual([]);
    // Every task waited without a timeout, so the idle task kept the tick stopped (tickless).
    expect(remoteRtos.stats.tickInterrupts).toBe(0);
  });
});
