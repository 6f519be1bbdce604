// The Zephyr environment, hand-computed. On the test core of rtos-test-support.ts (a Cortex-M4
// at 10 MHz: exception entry 12, exit 12, tail-chain 6, the NVIC sees a line change 1 cycle
// after it) with the Cortex-M4 column of firmware/costs/zephyr-cycles.ts: kernel start 1200,
// z_arm_pendsv 52, k_sem_take 19 (count > 0) / 128 (pends), k_sem_give 66 / 208 (wakes),
// k_msgq_get pending 149, k_msgq_put handing over 182, _isr_wrapper 30, env wrapper 5; the
// 12-byte k_msgq copy is libc memcpy on the M4 basis: (14 + round(0.53 × 12) − 3 stores) = 17
// instructions × 1.4 = 23.8 → 24 cycles. And the lpc55s69's Cortex-M33 column for the send
// path. No timer service task: the first thread runs as the kernel start ends.
import { ConfigError, FirmwareError, cycles } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { ZephyrIpmPort } from '../../platforms/common/zephyr-ipm-port';
import { coreCosts } from '../costs/registry';
import { RL_BLOCK } from '../rpmsg-lite/rpmsg-env';
import { K_FOREVER, K_MSEC, ZephyrKernel } from '../rtos';
import { ZephyrEnv, createZephyrEnv } from './rpmsg-env-zephyr';
import { ENTRY, EXIT, SAMPLE, TAIL_CHAIN, isrLine, testCore } from './rtos-test-support';

const START = 1200;
const PENDSV = ENTRY + 52 + EXIT;

function zephyrSystem(): ReturnType<typeof testCore> & { kernel: ZephyrKernel; env: ZephyrEnv } {
  const base = testCore();
  const kernel = new ZephyrKernel(base.core, coreCosts(base.core.type));
  return { ...base, kernel, env: new ZephyrEnv(kernel) };
}

function startKernel(sys: { core: ZephyrKernel['core']; kernel: ZephyrKernel }): void {
  sys.core.start(sys.kernel.start());
}

describe('the Zephyr kernel objects', () => {
  test('k_sem as the env lock: a second thread blocks in k_sem_take while the first holds it, and is handed the semaphore by k_sem_give', () => {
    const { k, core, kernel, env, cycle } = zephyrSystem();
    const log: string[] = [];
    kernel.createThread('low', 5, (function* (): Firmware<void> {
      yield* env.init(); // objectInit × 3 = 36, k_sem_give(env_sema) 66: 1200 → 1302
      yield* env.lockMutex(); // wrapper 5 + k_sem_take 19: 1326
      log.push(`low holds the lock @${cycle()}`);
      kernel.createThread('high', 2, (function* (): Firmware<void> {
        yield* env.lockMutex();
        log.push(`high holds the lock @${cycle()}`);
      })());
      yield* env.unlockMutex();
      log.push(`low unlocked @${cycle()}`);
    })());
    startKernel({ core, kernel });
    k.run();
    // low holds it at 1200 + 36 (3 × objectInit 12) + 66 + 5 + 19 = 1326. Creating the more
    // urgent high pends PendSV; low's next operation lets it in: 1326 + 12 + 52 + 12 = 1402.
    // high: wrapper 5, k_sem_take pends 128 → 1535, PendSV → 1611: low runs its unlock:
    // wrapper 5, k_sem_give waking high 208 → 1824; high outranks low: PendSV → 1900, high
    // returns from its take holding the semaphore (the count stays 0). When high ends, low
    // finishes its unlock call: the PendSV of high's end → 1900 + 76 = 1976.
    expect(log).toEqual(['low holds the lock @1326', 'high holds the lock @1900', 'low unlocked @1976']);
    expect(START + 36 + 66 + 5 + 19).toBe(1326);
    expect(1326 + PENDSV + 5 + 128 + PENDSV + 5 + 208 + PENDSV).toBe(1900);
  });

  test('k_msgq under rpmsg_queue: env_get_queue blocks the thread; an ISR put hands the message to it and z_arm_int_exit switches', () => {
    const { k, core, kernel, env, cycle } = zephyrSystem();
    const log: string[] = [];
    let queue: ReturnType<ZephyrEnv['createQueue']> = null;
    kernel.createThread('rx', 0, (function* (): Firmware<void> {
      yield* env.init();
      queue = env.createQueue<{ src: number; data: number; len: number }>(4);
      const msg = yield* env.getQueue(queue!, RL_BLOCK);
      log.push(`got ${JSON.stringify(msg)} @${cycle()}, ${env.queueSize(queue!)} left`);
    })());
    const irq = isrLine(k, core, () =>
      kernel.isr(function* (): Firmware<void> {
        const ok = yield* env.putQueue(queue!, { src: 30, data: 0x2000_0100, len: 16 }, RL_BLOCK);
        log.push(`put ${ok} @${cycle()}`);
      }),
    );
    irq.pulseAt(5000);
    startKernel({ core, kernel });
    k.run();
    // The pulse at 5000 is pending at 5001; the core (idle in WFI) enters: 5013; _isr_wrapper
    // 30, k_msgq_put to the waiting receiver 182, memcpy 24 → 5249 (the put returns). rx
    // outranks idle: z_arm_int_exit pends PendSV, taken by tail-chain: 5249 + 6 + 52 + 12 = 5319.
    expect(log).toEqual(['put true @5249', 'got {"src":30,"data":536871168,"len":16} @5319, 0 left']);
    expect(5000 + SAMPLE + ENTRY + 30 + 182 + 24).toBe(5249);
    expect(5249 + TAIL_CHAIN + 52 + EXIT).toBe(5319);
  });

  test('k_msgq: a put to a full queue with K_NO_WAIT is -ENOMSG, gets return the oldest first, an empty get with K_NO_WAIT returns nothing', () => {
    const { k, core, kernel, cycle } = zephyrSystem();
    const log: string[] = [];
    const q = kernel.createMsgq<number>('q', 2);
    kernel.createThread('t', 0, (function* (): Firmware<void> {
      log.push(`put ${yield* q.put(1, K_FOREVER)} ${yield* q.put(2, K_FOREVER)} ${yield* q.put(3, K_MSEC(0))}`);
      log.push(`get ${yield* q.get(K_FOREVER)} ${yield* q.get(K_FOREVER)} ${yield* q.get(K_MSEC(0))} @${cycle()}`);
    })());
    startKernel({ core, kernel });
    k.run();
    // msgqPut 71 + memcpy 24, twice; the full put 71; two gets of 70 + 24; the empty one 70:
    // 1200 + 2 × 95 + 71 + 2 × 94 + 70 = 1719. -35 is -ENOMSG.
    expect(log).toEqual(['put 0 0 -35', 'get 1 2 null @1719']);
  });

  test('k_sleep(K_MSEC(2)) waits 3 ticks (z_add_timeout adds one) and wakes at the tick after', () => {
    const { k, core, kernel, env, cycle } = zephyrSystem();
    const log: string[] = [];
    kernel.createThread('sleeper', 0, (function* (): Firmware<void> {
      yield* env.sleepMsec(2);
      log.push(`awake at tick ${kernel.rtos.tickCount} @${cycle()}`);
    })());
    startKernel({ core, kernel });
    k.run();
    // The tick is 1 kHz: 10 000 cycles, first wrap at 11 200. Sleeping from tick 0 for 2 + 1
    // ticks: woken by the third wrap at 31 200: pending 31 201, entry → 31 213, sys_clock_isr
    // 134 + one expiry 47 → 31 394, tail-chain into PendSV 6 + 52, exit 12 → 31 464.
    expect(log).toEqual(['awake at tick 3 @31464']);
    expect(START + 3 * 10_000 + SAMPLE + ENTRY + 134 + 47 + TAIL_CHAIN + 52 + EXIT).toBe(31464);
  });

  test('env_wait_for_link_up: true at once when up, else waits on env_event; a tx callback from an ISR wakes it', () => {
    const { k, core, kernel, env, cycle } = zephyrSystem();
    let up = false;
    const log: string[] = [];
    kernel.createThread('app', 0, (function* (): Firmware<void> {
      yield* env.init();
      log.push(`up=${yield* env.waitForLinkUp(() => up, 0, RL_BLOCK)} @${cycle()} bits ${env.linkBits}`);
      log.push(`again up=${yield* env.waitForLinkUp(() => up, 0, 5)} @${cycle()}`);
    })());
    isrLine(k, core, () =>
      kernel.isr(function* (): Firmware<void> {
        up = true;
        env.txCallback(0);
      }),
    ).pulseAt(4000);
    startKernel({ core, kernel });
    k.run();
    // After init (1302) the wait pends: k_event_wait_all 158, PendSV to idle. The pulse:
    // pending 4001, entry 4013, _isr_wrapper 30 → 4043 (the post is not charged), tail-chain
    // PendSV 6 + 52, exit 12 → 4113. The second call sees link_state 1: no cost.
    expect(log).toEqual(['up=true @4113 bits 1', 'again up=true @4113']);
  });

  test('misuse: a blocking take from an ISR, a thread priority outside 0..14', () => {
    const { k, core, kernel } = zephyrSystem();
    const sem = kernel.createSem('s', 0, 1);
    expect(() => kernel.createThread('bad', 15, (function* (): Firmware<void> {})())).toThrow(
      new FirmwareError('zephyr on cpu: thread priority 15 outside the preemptible 0..14'),
    );
    let error: unknown = null;
    isrLine(k, core, function* (): Firmware<void> {
      try {
        yield* sem.take(K_FOREVER);
      } catch (e) {
        error = e;
      }
    }).pulseAt(2000);
    kernel.createThread('t', 0, (function* (): Firmware<void> {})());
    startKernel({ core, kernel });
    k.run();
    expect(error).toEqual(new FirmwareError('k_sem_take from an ISR on cpu with a timeout other than K_NO_WAIT'));
  });
});

describe('the Zephyr IPM platform port', () => {
  test('platform_notify on the lpc55s69 master (Cortex-M33): lock, notify body, ipm_mcux send, the IRQSET store, unlock', () => {
    const sys = buildRpmsgSystem('lpc55s69', { environments: { master: 'zephyr', remote: 'zephyr' } });
    const { core, port, env } = sys.master;
    expect(port).toBeInstanceOf(ZephyrIpmPort);
    const log: string[] = [];
    const clock = core.clock;
    startPrograms(sys, {
      master: () =>
        (function* (): Firmware<void> {
          yield* env.init();
          const t0 = sys.kernel.now;
          yield* port.notify(1); // vq 1: bit 1 of core1's word
          log.push(`notify took ${(sys.kernel.now - t0) / clock.period} cycles`);
        })(),
    });
    sys.kernel.run();
    // env_lock_mutex: wrapper 5 + k_sem_take 19; platform_notify 49; mcux_mailbox_ipm_send 42;
    // the IRQSET store over the AHB peripheral bus, 2 cycles (lpc55s69 accessCycles, no
    // synchroniser); env_unlock_mutex: wrapper 5 + k_sem_give (no waiter) 66.
    // 5 + 19 + 49 + 42 + 2 + 5 + 66 = 188.
    expect(log).toEqual(['notify took 188 cycles']);
    expect(cycles(5 + 19 + 49 + 42 + 2 + 5 + 66)).toBe(188);
  });

  test('the i.MX 8M Mini has no Zephyr port; a Zephyr env needs one', () => {
    expect(() => buildRpmsgSystem('imx8mm', { environments: { remote: 'zephyr' } })).toThrow(
      new ConfigError('environment zephyr on imx8mm (remote): rpmsg-lite has no zephyr-ipm platform port for it; its environments are bare-metal, rtos'),
    );
    // A custom env factory keeps the platform's own (bare-metal) port: not a Zephyr one.
    expect(() => buildRpmsgSystem('imxrt1170', { env: createZephyrEnv })).toThrow(
      new ConfigError('environment zephyr on cm7: the platform port "imxrt1170" is not a Zephyr IPM port (rpmsg_platform_zephyr_ipm.c)'),
    );
  });
});
