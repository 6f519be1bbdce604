// The progress watchdog (docs/reliability.md "The progress watchdog"): runs that make no
// progress end with a report instead of hanging, each case built from issue 12's reproducers.

import type { Firmware } from '../sim/hw/core';
import type { Program, ProgramContext } from '../firmware/program';
import { cycles } from '../sim/kernel';
import { JsonlWriter } from '../sim/trace/jsonl';
import { StringOutput } from '../sim/trace/output';
import { PerfettoWriter } from '../sim/trace/perfetto';
import { TextWriter } from '../sim/trace/text';
import { VcdWriter } from '../sim/trace/vcd';
import { type RunOptions, runScenario } from './run';
import type { Scenario } from './types';

const base = (over: Partial<Scenario>): Scenario => ({
  file: 'test.yaml',
  name: 'test',
  platform: 'lpc55s69',
  overrides: {},
  rpmsg: {},
  master: { environment: 'bare-metal', firmware: { kind: 'module', path: '/fw.ts', export: 'master' } },
  remote: { environment: 'bare-metal', firmware: { kind: 'module', path: '/fw.ts', export: 'remote' } },
  stop: { time: { ns: 1_000_000 } },
  expect: {},
  ...over,
});

/** A module scenario whose master runs `master` and whose remote computes 10 cycles and returns. */
function moduleRun(master: Program, options: RunOptions = {}) {
  function* remote(ctx: ProgramContext): Firmware<void> {
    yield* ctx.core.exec(cycles(10));
  }
  return runScenario(base({}), { ...options, modules: { master, remote } });
}

const IDLE_REMOTE = 'core core1: in thread mode, asleep in WFI, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 disabled';

describe('simulated time that stops', () => {
  test('a module doing for(;;) yield* exec(0): the core reports 10^6 operations at one instant, exit code material: ok false', () => {
    const s = moduleRun(function* (ctx) {
      yield* ctx.core.exec(cycles(100));
      for (;;) yield* ctx.core.exec(cycles(0));
    });
    expect(s.stopReason).toBe('watchdog');
    expect(s.ticks).toBe(2000); // 100 cycles at 150 MHz, 20 ticks a cycle
    expect(s.watchdog).toBe('core core0 ran 1000000 firmware operations at tick 2000 without simulated time advancing');
    expect(s.blocked).toEqual(['core core0: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 disabled', IDLE_REMOTE]);
    expect(s.ok).toBe(false);
  });

  test('WFI with PRIMASK set and an interrupt pending falls through at one tick: the report shows PRIMASK and the pending line', () => {
    const s = moduleRun(function* (ctx) {
      yield* ctx.core.disableInterrupts();
      ctx.core.nvic.enable(5);
      ctx.core.nvic.setPending(5);
      yield* ctx.core.exec(cycles(100));
      for (;;) yield* ctx.core.waitForInterrupt();
    });
    expect(s.stopReason).toBe('watchdog');
    expect(s.watchdog).toBe('core core0 ran 1000000 firmware operations at tick 2020 without simulated time advancing');
    expect(s.blocked).toEqual(['core core0: in thread mode, running, PRIMASK set (interrupts masked), pending: IRQ 5; mailbox interrupt IRQ 31 disabled', IDLE_REMOTE]);
    expect(s.ok).toBe(false);
  });

  test('a process yielding 0 ticks for ever: simulated time does not advance for the limit of kernel entries', () => {
    const s = moduleRun(
      function* (ctx) {
        ctx.kernel.spawn('spinner', (function* () {
          for (;;) yield 0 as never;
        })());
        yield* ctx.core.exec(cycles(100));
      },
      { watchdog: { instantEntries: 100_000 } },
    );
    expect(s.stopReason).toBe('watchdog');
    expect(s.ticks).toBe(0);
    // Checked between slices of 64 entries: the first slice's end at tick 0 starts the count,
    // and the first check past the limit fires.
    expect(s.watchdog).toBe('simulated time did not advance for 100032 kernel entries (the limit is 100000)');
    expect(s.ok).toBe(false);
  });

  test('the flood whose every send fails at once (payload 497 B on a 496 B buffer) is ended by the wall-time limit', () => {
    const s = runScenario(
      base({
        master: { environment: 'bare-metal', firmware: { kind: 'app', app: 'flood', params: { count: 1e12, payloadSize: 497 } } },
        remote: { environment: 'bare-metal', firmware: { kind: 'app', app: 'flood', params: { count: 1e12, payloadSize: 497 } } },
        stop: { time: { ns: 5_000_000 } }, // the remote's announcement comes after its link-up poll of 1 ms
      }),
      { watchdog: { wallMs: 300 } },
    );
    expect(s.stopReason).toBe('watchdog');
    // The master's loop runs at one instant (the send returns RL_ERR_BUFF_SIZE at once): that instant, every time.
    expect(s.watchdog).toBe(`process "core0" ran for 300 ms of wall time at 1021486.667 ns (tick 3064460) without returning to the kernel (an endless loop in firmware?)`);
    expect(s.ticks).toBe(3064460);
    expect(s.codes.RL_SUCCESS).toBe(1); // the name-service announcement; RL_ERR_BUFF_SIZE as often as the wall time allowed
    expect(s.ok).toBe(false);
  });
});

test("the report names an RTOS core's tasks, what the blocked ones wait on, and its steps program's step", () => {
  const s = runScenario(
    base({
      remote: {
        environment: 'rtos',
        firmware: {
          kind: 'steps',
          steps: [{ kind: 'init' }, { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'queue' }, { kind: 'queue-receive', endpoint: 'rx', count: 1, timeoutMs: 'block' }],
          stepLocations: [],
        },
      },
    }),
    {
      modules: {
        // The master spins at one instant once the remote waits on its queue.
        *master(ctx) {
          yield* ctx.core.exec(cycles(100_000));
          for (;;) yield* ctx.core.exec(cycles(0));
        },
      },
    },
  );
  expect(s.stopReason).toBe('watchdog');
  expect(s.blocked).toEqual([
    'core core0: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 disabled',
    'core core1: in thread mode, asleep in WFI, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 enabled',
    'core core1: step 3 of 3, queue-receive (1 message from the queue of endpoint "rx", no timeout (RL_BLOCK)), since 32066.667 ns (tick 96200)',
    'core core1: task "idle" is running',
    'core core1: task "remote-app" waits for queue "env-queue-1" to receive forever',
  ]);
});

describe('wall time without a firmware yield', () => {
  test('a module with for(;;){} inside a step ends after the wall-time limit with the report', () => {
    const s = moduleRun(
      function* (ctx) {
        yield* ctx.core.exec(cycles(100));
        for (;;) {
          // an endless loop that never yields
        }
      },
      { watchdog: { wallMs: 200 } },
    );
    expect(s.stopReason).toBe('watchdog');
    expect(s.watchdog).toBe('process "core0" (the master\'s module fw.ts, export master) ran for 200 ms of wall time at 666.667 ns (tick 2000) without returning to the kernel (an endless loop in firmware?)');
    expect(s.blocked).toEqual(['core core0: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 disabled', IDLE_REMOTE]);
    expect(s.ok).toBe(false);
  });

  test('wallMs 0 turns the wall-time limit off: an honest run is unchanged', () => {
    const s = moduleRun(
      function* (ctx) {
        yield* ctx.core.exec(cycles(100));
      },
      { watchdog: { wallMs: 0 } },
    );
    expect(s.stopReason).toBe('time');
    expect(s.watchdog).toBeUndefined();
    expect(s.blocked).toEqual([]);
    expect(s.ok).toBe(true);
  });
});

describe('the tick limit', () => {
  // issue 12: a remote stuck in wait-link-up with stop: {messages: 1} ran to 2^53 ticks and
  // failed with "beyond 2^53 ticks". Here it starts waiting 9000 s in (imxrt1170's 2^53 ticks
  // are 9043 s), so that its 1 ms polls reach the limit in a fraction of a second; the
  // reproducer itself, waiting from the start, is bin/run-errors.test.ts's.
  test('a remote polling wait-link-up when simulated time runs out: an ordinary end with who waits on what', () => {
    const s = runScenario(
      base({
        platform: 'imxrt1170',
        master: { environment: 'bare-metal', firmware: { kind: 'steps', steps: [{ kind: 'delay', duration: { ns: 1_000_000 } }], stepLocations: [] } },
        remote: {
          environment: 'bare-metal',
          firmware: {
            kind: 'steps',
            steps: [{ kind: 'init' }, { kind: 'delay', duration: { ns: 9000e9 } }, { kind: 'wait-link-up', timeoutMs: 'block' }],
            stepLocations: [],
          },
        },
        stop: { messages: 1 },
      }),
    );
    expect(s.stopReason).toBe('tick-limit');
    expect(s.watchdog).toBeUndefined();
    expect(s.blocked).toEqual([
      'core cm7: in thread mode, asleep in WFI, PRIMASK clear, pending: none; mailbox interrupt IRQ 118 disabled',
      'core cm7: every step has run (the last ended at 1000000.000 ns (tick 996000000))',
      'core cm4: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 118 enabled',
      'core cm4: step 3 of 3, wait-link-up (for the link to come up, no timeout (RL_BLOCK)), since 9000000003735.000 ns (tick 8964000003720060)',
    ]);
    expect(s.ticks).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(Number.MAX_SAFE_INTEGER - s.ticks).toBeLessThan(996_000_000); // within one 1 ms poll of the end
    expect(s.ok).toBe(true); // no expectation failed
  });
});

test('stop: {messages: 1} reached with firmware still at work: the same report (who is where)', () => {
  const s = runScenario(
    base({
      master: {
        environment: 'bare-metal',
        firmware: {
          kind: 'steps',
          steps: [
            { kind: 'init' },
            { kind: 'create-endpoint', name: 'tx', addr: 1, onReceive: 'release' },
            { kind: 'delay', duration: { ns: 50_000 } },
            { kind: 'send', from: 'tx', to: 30, size: 8, repeat: 3, interval: { ns: 10_000 }, timeoutMs: 0 },
          ],
          stepLocations: [],
        },
      },
      remote: {
        environment: 'bare-metal',
        firmware: {
          kind: 'steps',
          steps: [{ kind: 'init' }, { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'release' }, { kind: 'receive', endpoint: 'rx', count: 5 }],
          stepLocations: [],
        },
      },
      stop: { messages: 1 },
    }),
  );
  expect(s.stopReason).toBe('messages');
  expect(s.watchdog).toBeUndefined();
  expect(s.blocked).toEqual([
    'core core0: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 enabled',
    'core core0: step 4 of 4, send (from "tx" to 30, timeout 0 ms), since 78660.000 ns (tick 235980)',
    'core core1: in the handler of interrupt 31, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 enabled',
    'core core1: step 3 of 3, receive (5 messages on endpoint "rx", no timeout), since 11733.333 ns (tick 35200)',
  ]);
  expect(s.ok).toBe(true);
});

describe('the watchdog record in every trace format', () => {
  const REASON = 'core core0 ran 1000000 firmware operations at tick 2000 without simulated time advancing';
  const REPORT = ['core core0: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 disabled', IDLE_REMOTE];
  // One run through the four writers (the spin takes 10^6 turns of the core's loop).
  const out = { jsonl: new StringOutput(), text: new StringOutput(), vcd: new StringOutput(), perfetto: new StringOutput() };
  beforeAll(() => {
    moduleRun(
      function* (ctx) {
        yield* ctx.core.exec(cycles(100));
        for (;;) yield* ctx.core.exec(cycles(0));
      },
      { sinks: (h) => [new JsonlWriter(out.jsonl, h), new TextWriter(out.text, h), new VcdWriter(out.vcd, h), new PerfettoWriter(out.perfetto, h)] },
    );
  });

  test('JSON Lines: the last record, component watchdog, with the reason and the report', () => {
    const last = out.jsonl.text().trimEnd().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({ t: 2000, component: 'watchdog', kind: 'watchdog', reason: REASON, report: REPORT.join('\n') });
  });

  test('text: WATCHDOG and the report lines under it', () => {
    const lines = out.text.text().trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      `    0.6667 µs  watchdog      WATCHDOG: ${REASON}`,
      `                             ${REPORT[0]}`,
      `                             ${REPORT[1]}`,
    ]);
  });

  test('VCD: a $comment at the time the watchdog fired', () => {
    const text = out.vcd.text();
    const comment = `$comment watchdog at tick 2000: ${REASON}; ${REPORT.join('; ')} $end\n`;
    expect(text).toContain(comment);
    // after the stamp of its time (666.667 ns at the 1 fs timescale)
    expect(text.slice(0, text.indexOf(comment)).trimEnd().split('\n').at(-1)).toBe('#666666667');
  });

  test('Perfetto: a global instant event WATCHDOG with the reason and the report', () => {
    const events = JSON.parse(out.perfetto.text()).traceEvents as { name: string }[];
    expect(events.filter((e) => e.name === 'WATCHDOG')).toEqual([
      { name: 'WATCHDOG', ph: 'i', s: 'g', ts: 0.6667, pid: 0, tid: 0, args: { reason: REASON, report: REPORT.join('\n') } },
    ]);
  });
});

test('an error out of the run keeps its own stack: node:vm prepends no source line', () => {
  let thrown: unknown;
  try {
    moduleRun(function* () {
      throw new TypeError('broken');
    });
  } catch (error) {
    thrown = error;
  }
  expect((thrown as Error).stack!.split('\n')[0]).toBe('ProcessError: process "core0" failed at 0.000 ns (tick 0): broken');
});
