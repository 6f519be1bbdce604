// The Zephyr environment, hand-computed. On the test core of rtos-test-support.ts (a Cortex-M4
// at 10 MHz: exception entry 12, exit 12, tail-chain 6, the NVIC sees a line change 1 cycle
// after it) with the Cortex-M4 column of firmware/costs/zephyr-cycles.ts: kernel start 1200,
// z_arm_pendsv 52, k_sem_take 19 (count > 0) / 128 (pends), k_sem_give 66 / 208 (wakes),
// k_msgq_get pending 149, k_msgq_put handing over 182, _isr_wrapper 30, env wrapper 5; the
// 12-byte k_msgq copy is libc memcpy on the M4 basis: (14 + round(0.53 × 12) − 3 stores) = 17
// instructions × 1.4 = 23.8 → 24 cycles. And the lpc55s69's Cortex-M33 column for the send
// path. No timer service task: the first thread runs as the kernel start ends.
import { ConfigError, FirmwareError, type Kernel, cycles } from '../../sim/kernel';
import { MemorySink, Tracer } from '../../sim/trace/trace';
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
    // 30, k_msgq_put to the waiting receiver 182, memcpy of the 12-byte message 29 (newlib-nano
    // on the M4 at -Os, private RAM to private RAM, so none of its stores is the bus's:
    // (14.7 + round(0.537 × 12)) × 1.4 = 20.7 × 1.4 = 28.98 → 29) → 5254 (the put returns). rx
    // outranks idle: z_arm_int_exit pends PendSV, taken by tail-chain: 5254 + 6 + 52 + 12 = 5324.
    expect(log).toEqual(['put true @5254', 'got {"src":30,"data":536871168,"len":16} @5324, 0 left']);
    expect(5000 + SAMPLE + ENTRY + 30 + 182 + 29).toBe(5254);
    expect(5254 + TAIL_CHAIN + 52 + EXIT).toBe(5324);
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
    // msgqPut 71 + memcpy 29 (as above), twice; the full put 71; two gets of 70 + 29; the empty
    // one 70: 1200 + 2 × 100 + 71 + 2 × 99 + 70 = 1739. -35 is -ENOMSG.
    expect(log).toEqual(['put 0 0 -35', 'get 1 2 null @1739']);
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
    // core0's code in SRAMX (zero wait): from flash, the accelerator's refills would add to the sum below.
    const sys = buildRpmsgSystem('lpc55s69', { environments: { master: 'zephyr', remote: 'zephyr' }, overrides: { 'cores.core0.placement.code': 'sramx' } });
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

  /** The cores' bus accesses to the mailbox windows while `body` runs on the master after env_init. */
  const sysOf: { last: ReturnType<typeof buildRpmsgSystem> | null } = { last: null };
  // The masters' code in zero-wait memory, so that the order of the two cores' accesses below
  // does not depend on cold instruction fetches from flash or XIP.
  const ZERO_WAIT: Record<string, Record<string, string>> = { imxrt1170: { 'cores.cm7.placement.code': 'itcm' }, lpc55s69: { 'cores.core0.placement.code': 'sramx' } };
  function mailboxAccesses(platform: string, windows: Record<string, number>): string[] {
    const sink = new MemorySink();
    const sys = buildRpmsgSystem(platform, {
      environments: { master: 'zephyr', remote: 'zephyr' },
      overrides: ZERO_WAIT[platform] ?? {},
      tracer: (k: Kernel) => {
        const t = new Tracer(k);
        t.addSink(sink);
        return t;
      },
    });
    sysOf.last = sys;
    const { env, port } = sys.master;
    startPrograms(sys, {
      master: () =>
        (function* (): Firmware<void> {
          yield* env.init();
          yield* port.notify(1);
        })(),
      remote: () =>
        (function* (): Firmware<void> {
          // As rpmsg_lite_remote_init does: disable both vqs, then enable them (ipm_set_enabled).
          yield* sys.remote.env.init();
          for (const vq of [0, 1]) yield* sys.remote.port.interruptDisable(vq);
          for (const vq of [0, 1]) yield* sys.remote.port.interruptEnable(vq);
        })(),
    });
    sys.kernel.run();
    const out: string[] = [];
    for (const r of sink.records) {
      if (r.kind !== 'bus') continue;
      for (const [name, base] of Object.entries(windows)) {
        const offset = r.address - base;
        if (offset >= 0 && offset < 0x40) out.push(`${r.component} ${r.op} ${name}+0x${offset.toString(16)}${r.op === 'write' ? ` = 0x${r.value.toString(16)}` : ''}`);
      }
    }
    return out;
  }

  test('ipm_imx.c on the imxrt1170: send writes TR0-TR3 after checking each TEn; the ISR reads SR, writes it back shifted, checks RF0-RF3, reads RR0-RR3', () => {
    // MU side A (cm7) at 0x40C48000, side B (cm4) at 0x40C4C000: TRn 4n, RRn 0x10 + 4n, SR 0x20, CR 0x24.
    expect(mailboxAccesses('imxrt1170', { A: 0x40c48000, B: 0x40c4c000 })).toEqual([
      // notify(vq 1) on the cm7: MU_TrySendMsg × 4, the data word 1 << 1 then words 1-3 (0 here);
      // SR has TE0-TE3 set each time.
      'cm7 read A+0x20',
      'cm7 write A+0x0 = 0x2',
      'cm7 read A+0x20',
      'cm7 write A+0x4 = 0x0',
      'cm7 read A+0x20',
      'cm7 write A+0x8 = 0x0',
      'cm7 read A+0x20',
      'cm7 write A+0xc = 0x0',
      // The slower cm4 reaches its enables later: ipm_set_enabled(0) at the first disable,
      // ipm_set_enabled(1) at the last enable: CR read-modify-writes, RIE3 = bit 24.
      'cm4 read B+0x24',
      'cm4 write B+0x24 = 0x0',
      'cm4 read B+0x24',
      'cm4 write B+0x24 = 0x1000000',
      // RF3 & RIE3: imx_mu_isr. SR = RF0-RF3 | TE0-TE3 = 0x0ff00000; written back >> 24 = 0xf;
      // bit 0 (RF3) set: RF0..RF3 checked (4 SR reads), RR0..RR3 read; the callback sees word 0 = 2.
      'cm4 read B+0x20',
      'cm4 write B+0x20 = 0xf',
      'cm4 read B+0x20',
      'cm4 read B+0x20',
      'cm4 read B+0x20',
      'cm4 read B+0x20',
      'cm4 read B+0x10',
      'cm4 read B+0x14',
      'cm4 read B+0x18',
      'cm4 read B+0x1c',
    ]);
    expect((sysOf.last!.remote.port as ZephyrIpmPort).dispatched.get(1)).toBe(1);
  });

  test('ipm_mcux.c on the lpc55s69: send is one IRQSET store of 1 << q into the other CPU\'s word; the ISR reads its word and clears what it read', () => {
    // The mailbox at 0x4008B000: core0 (side 1) sets core1's word, IRQ0SET at 0x04.
    // core1's mcux_mailbox_isr: MAILBOX_GetValue (IRQ0 at 0x00), MAILBOX_ClearValueBits (IRQ0CLR at 0x08).
    expect(mailboxAccesses('lpc55s69', { MB: 0x4008b000 })).toEqual(['core0 write MB+0x4 = 0x2', 'core1 read MB+0x0', 'core1 write MB+0x8 = 0x2']);
    expect((sysOf.last!.remote.port as ZephyrIpmPort).dispatched.get(1)).toBe(1);
  });

  test('two ports that ring differently cannot talk: bare metal and Zephyr on the imxrt1170', () => {
    expect(() => buildRpmsgSystem('imxrt1170', { environments: { master: 'bare-metal', remote: 'zephyr' } })).toThrow(
      new ConfigError(
        'imxrt1170: the master\'s port rings the other core by mu-general-interrupt and the remote\'s by mu-data-registers; the two rpmsg-lite ports cannot talk (choose environments whose ports agree)',
      ),
    );
    // On the LPC parts both ring bit q of the other CPU's word.
    expect(buildRpmsgSystem('lpc54114', { environments: { master: 'bare-metal', remote: 'zephyr' } }).remote.env.kind).toBe('zephyr');
  });
});
