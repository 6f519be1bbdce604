// rpmsg_env_freertos on the RTOS model, hand-computed (timings and start-up in
// rtos-test-support.ts): init, the link wait, sleep, lock, queues, rpmsg-lite on it.

import { FirmwareError, cycles, ticks } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { RL_ADDR_ANY, RL_RELEASE, RL_SUCCESS, RL_TRUE } from '../rpmsg-lite/constants';
import { rpmsg_lite_create_ept, rpmsg_lite_remote_init, rpmsg_lite_wait_for_link_up } from '../rpmsg-lite/api';
import { RpmsgLite } from '../rpmsg-lite/rpmsg-lite';
import { type Out, rpmsgQueueRxCallback, rpmsg_queue_create, rpmsg_queue_recv } from '../rpmsg-lite/rpmsg-queue';
import { BareMetalEnv } from './rpmsg-env-bm';
import { RtosEnv } from './rpmsg-env-freertos';
import { RL_BLOCK } from '../rpmsg-lite/rpmsg-env';
import { Rtos } from '../rtos';
import {
  ENTRY,
  EXIT,
  TAIL_CHAIN,
  SAMPLE,
  DSB,
  SWITCH,
  API,
  API_FROM_ISR,
  CREATE,
  PENDSV,
  FIRST_TASK,
  wrap,
  afterTickSwitch,
  rtosSystem,
  startRtos,
  isrLine,
  failureOf,
} from './rtos-test-support';

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
      env: (core, port, costs) => {
        if (core.name !== 'core1') return new BareMetalEnv(core, port, costs);
        rtos = new Rtos(core, { costs });
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
            const dev = (yield* rpmsg_lite_remote_init(ctx, ctx.sharedMemory.base, ctx.linkId))!;
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
          yield* ctx.core.exec(cycles(30_000)); // the remote's task is waiting by then
          const rl = (yield* RpmsgLite.masterInit(ctx, ctx.sharedMemory.base, ctx.sharedMemory.length, ctx.linkId))!;
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

describe('misuse of the environment is a FirmwareError', () => {
  test('a queue used after env_delete_queue', () => {
    const { k, core, rtos, env } = rtosSystem();
    const queue = env.createQueue<number>(4)!;
    rtos.createTask('app', 1, (function* (): Firmware<void> {
      env.deleteQueue(queue);
      yield* env.getQueue(queue, 0);
    })());
    startRtos(core, rtos);
    const cause = failureOf(k);
    expect(cause).toBeInstanceOf(FirmwareError);
    expect((cause as Error).message).toBe('queue "env-queue-1" used after vQueueDelete');
  });

  test('env_deinit without env_init', () => {
    const { k, core, rtos, env } = rtosSystem();
    rtos.createTask('app', 1, (function* (): Firmware<void> {
      yield* env.deinit();
    })());
    startRtos(core, rtos);
    const cause = failureOf(k);
    expect(cause).toBeInstanceOf(FirmwareError);
    expect((cause as Error).message).toBe('env_deinit on cpu without env_init');
  });
});
