// The `delay` step busy-waits; the `sleep` step sleeps: on bare metal a one-shot SysTick and
// WFI, under an RTOS env_sleep_msec (vTaskDelay). Exact cycle counts of the master's core
// (the i.MX RT1170's Cortex-M7 at 996 MHz) for each, and the scenario text that asks for them.

import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { loadScenario } from '../../scenario-engine/load';
import type { Ticks } from '../../sim/kernel';
import { stepsProgram } from './steps';
import type { Duration, Step } from './types';

const MASTER_HZ = 996_000_000;

interface Run {
  /** When each role's steps began and each step ended (onStep), in ns. */
  steps: Record<'master' | 'remote', number[]>;
  stats: ReturnType<ReturnType<typeof buildRpmsgSystem>['master']['core']['statsNow']>;
}

function run(master: Step[], options: { env?: 'bare-metal' | 'rtos' | 'zephyr'; remote?: Step[] } = {}): Run {
  const sys = buildRpmsgSystem('imxrt1170', { environments: { master: options.env ?? 'bare-metal', ...(options.env === 'zephyr' && { remote: 'zephyr' }) } });
  const k = sys.kernel;
  expect(sys.master.core.clock.hz).toBe(MASTER_HZ);
  const steps: Run['steps'] = { master: [], remote: [] };
  const hooks = (role: 'master' | 'remote') => ({
    mark: () => undefined,
    ticks: (d: Duration) => ('ns' in d ? k.timebase.ns(d.ns) : sys[role].core.clock.toTicks(d.cycles as never)),
    onStep: () => void steps[role].push(k.timebase.toNs(k.now as Ticks)),
  });
  startPrograms(sys, { master: stepsProgram(master, hooks('master')), ...(options.remote && { remote: stepsProgram(options.remote, hooks('remote')) }) });
  k.run();
  return { steps, stats: sys.master.core.statsNow() };
}

const us = (n: number): Duration => ({ ns: n * 1000 });

test('delay busy-waits: 100 us is 99 600 busy cycles and no sleep', () => {
  const { steps, stats } = run([{ kind: 'delay', duration: us(100) }]);
  expect(steps.master).toEqual([0, 100_000]);
  expect(stats).toMatchObject({ busyCycles: 99_600, asleepCycles: 0, handlerCycles: 0, interrupts: 0 });
});

test('sleep on bare metal: SysTick one-shot and WFI: 100 us asleep, 10 cycles busy, one SysTick interrupt', () => {
  const { steps, stats } = run([{ kind: 'sleep', duration: us(100) }]);
  // 6 cycles arming SysTick; the counter starts at the next edge (1 cycle) and wraps 99 600
  // cycles later; the exception then takes 737 cycles in handler mode (entry with the vector
  // fetched cold from the M7's XIP flash: 709 of them, the 4-cycle body, exit).
  expect(stats).toMatchObject({ busyCycles: 6 + 4, asleepCycles: 1 + 99_600, handlerCycles: 737, exceptionMemoryCycles: 709, interrupts: 1 });
  expect(steps.master).toEqual([0, ((6 + 1 + 99_600 + 737) * 1e9) / MASTER_HZ]);
});

test('a sleep longer than the 24-bit SysTick reload is equal periods: 20 ms is two of 9 960 000 cycles, exact', () => {
  const { steps, stats } = run([{ kind: 'sleep', duration: us(20_000) }]);
  expect(stats).toMatchObject({ interrupts: 2, busyCycles: 6 + 2 * 4 });
  // Armed 6 cycles, started at the next edge, 2 × 9 960 000 cycles, then the second
  // interrupt (the vector now warm): 28 cycles to the thread.
  expect(steps.master).toEqual([0, ((6 + 1 + 19_920_000 + 28) * 1e9) / MASTER_HZ]);
});

test('an interrupt during a sleep is taken and the core sleeps on: the step ends when the timer fires', () => {
  const master: Step[] = [
    { kind: 'init' },
    { kind: 'create-endpoint', name: 'rx', addr: 30, onReceive: 'release' },
    { kind: 'sleep', duration: us(2000) },
  ];
  const remote: Step[] = [{ kind: 'init' }, { kind: 'create-endpoint', name: 'tx', addr: 'any', onReceive: 'release' }];
  const quiet = run(master, { remote });
  // The remote's wait-link-up polls 1 ms (RL_MS_PER_INTERVAL), so its send lands mid-sleep.
  const busy = run(master, { remote: [...remote, { kind: 'wait-link-up', timeoutMs: 'block' }, { kind: 'send', from: 'tx', to: 30, size: 8, repeat: 1, timeoutMs: 'block' }] });
  expect(busy.steps.remote[4]!).toBeGreaterThan(busy.steps.master[2]!);
  expect(busy.steps.remote[4]!).toBeLessThan(busy.steps.master[3]!);
  expect(busy.steps.master).toEqual(quiet.steps.master);
  expect(quiet.stats).toMatchObject({ interrupts: 1, asleepCycles: 1_992_001 });
  expect(busy.stats).toMatchObject({ interrupts: 2, asleepCycles: 1_982_331 });
});

test('sleep under the RTOS is env_sleep_msec: vTaskDelay of the whole milliseconds, rounded up; the idle task sleeps', () => {
  // The scheduler starts the step's task at 80.578 us; 2.5 ms is vTaskDelay(3) at the 1 kHz
  // tick: the task is ready again at the third tick after the call (2.993 ms later), and
  // meanwhile the idle task sleeps (tickless) but for the ticks' interrupts.
  const { steps, stats } = run([{ kind: 'sleep', duration: us(2500) }], { env: 'rtos' });
  expect(steps.master).toEqual([(80_256 * 1e9) / MASTER_HZ, (3_061_270 * 1e9) / MASTER_HZ]);
  expect(stats).toMatchObject({ asleepCycles: 2_976_319, interrupts: 7 });
  const delay = run([{ kind: 'delay', duration: us(2500) }], { env: 'rtos' });
  expect(delay.stats.asleepCycles).toBe(0);
});

test('sleep under Zephyr is k_sleep(K_MSEC(3)) for 2.5 ms: four ticks of 1 ms (z_add_timeout adds one)', () => {
  const { steps, stats } = run([{ kind: 'sleep', duration: us(2500) }], { env: 'zephyr' });
  expect(steps.master).toEqual([(70_975 * 1e9) / MASTER_HZ, (4_058_041 * 1e9) / MASTER_HZ]);
  expect(stats).toMatchObject({ asleepCycles: 3_964_438, interrupts: 7 });
});

describe('the scenario text', () => {
  const text = (step: string) => `master: {steps: [${step}]}\nremote: {steps: [init]}\nstop: {time: 1ms}\n`;
  test.each([
    ['- sleep: 10us', '{sleep: 10us}', { kind: 'sleep', duration: { ns: 10_000 } }],
    ['- sleep: {duration: 3000 cycles@cm7}', '{sleep: {duration: 3000 cycles@cm7}}', { kind: 'sleep', duration: { cycles: 3000, core: 'cm7' } }],
    ['- delay: 10us', '{delay: 10us}', { kind: 'delay', duration: { ns: 10_000 } }],
  ])('%s', (_name, step, expected) => {
    const { scenario, errors } = loadScenario('s.yaml', text(step));
    expect(errors).toEqual([]);
    expect(scenario!.master.firmware).toMatchObject({ kind: 'steps', steps: [expected] });
  });

  test('a sleep without a unit is refused at its value', () => {
    const { errors } = loadScenario('s.yaml', text('{sleep: 10}'));
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([[1, 26, 'expected a duration like 10us, 2ms or 100 cycles@cm4, got 10']]);
  });
});
