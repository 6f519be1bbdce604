import { ConfigError, FirmwareError } from '../../sim/kernel';
import type { Firmware } from '../../sim/hw/core';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import type { EnvQueue } from '../rpmsg-lite/rpmsg-env';
import { RL_BLOCK } from '../rpmsg-lite/rpmsg-env';
import type { Role } from '../program';
import { DEFAULT_ENVIRONMENT, ENVIRONMENT_NAMES, type EnvironmentName, environmentNamed, environmentOf } from './registry';
import { BareMetalEnv } from './rpmsg-env-bm';
import { RtosEnv } from './rpmsg-env-freertos';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error('expected a throw');
}

describe('the environment registry', () => {
  test('names, in schema order, and the default', () => {
    expect(ENVIRONMENT_NAMES).toEqual(['bare-metal', 'rtos', 'zephyr']);
    expect(DEFAULT_ENVIRONMENT).toBe('bare-metal');
  });

  test("each entry makes an env whose kind is the entry's name, with queues exactly when the entry says so", () => {
    for (const name of ENVIRONMENT_NAMES) {
      const sys = buildRpmsgSystem('lpc55s69', { environments: { master: name, remote: name } });
      for (const side of [sys.master, sys.remote]) {
        expect(side.env.kind).toBe(name);
        expect(side.env.core).toBe(side.core);
        expect(environmentOf(side.env)).toBe(environmentNamed(name));
        expect(side.env.createQueue(1) !== null).toBe(environmentNamed(name).queues);
      }
    }
    // Nothing named: bare metal.
    expect(buildRpmsgSystem('lpc55s69').master.env).toBeInstanceOf(BareMetalEnv);
  });

  test('bare metal calls the program on the core; the RTOS runs it as the task <role>-app at priority 1 and reports it when the run ends idle', () => {
    const seen: string[] = [];
    const sys = buildRpmsgSystem('lpc55s69', { environments: { master: 'bare-metal', remote: 'rtos' } });
    const waitForever = (role: Role) =>
      function* (): Firmware<void> {
        const env = sys[role].env;
        const task = env instanceof RtosEnv ? env.rtos.runningTask : null;
        seen.push(`${role}: ${task === null ? 'no task' : `task "${task.name}" priority ${task.priority}`}`);
        const queue: EnvQueue<number> | null = env.createQueue(1);
        if (queue !== null) yield* env.getQueue(queue, RL_BLOCK);
      };
    startPrograms(sys, { master: () => waitForever('master')(), remote: () => waitForever('remote')() });
    expect(sys.kernel.run().reason).toBe('empty'); // nothing left to do: the scenario runner's idle
    expect(seen).toEqual(['master: no task', 'remote: task "remote-app" priority 1']);
    expect(environmentOf(sys.master.env).idleReport(sys.master.env)).toEqual([]);
    expect(environmentOf(sys.remote.env).idleReport(sys.remote.env)).toEqual(['task "remote-app" waits for queue "env-queue-1" to receive forever']);
  });

  test("an env whose kind is not in the registry, or not its entry's class, is firmware misuse", () => {
    // As a custom env factory written in JavaScript may make them.
    const unknown = buildRpmsgSystem('lpc55s69', {
      env: (core, port, costs) => Object.defineProperty(new BareMetalEnv(core, port, costs), 'kind', { value: 'vxworks' }),
    });
    const notRtos = buildRpmsgSystem('lpc55s69', {
      env: (core, port, costs) => Object.defineProperty(new BareMetalEnv(core, port, costs), 'kind', { value: 'rtos' }),
    });
    const program = function* (): Firmware<void> {};
    const cases: [() => unknown, string][] = [
      [() => startPrograms(unknown, { master: program }), 'the environment of core0 has kind "vxworks"; the environments are bare-metal, rtos, zephyr'],
      [() => startPrograms(notRtos, { remote: program }), 'the environment of core1 says it is "rtos" but is not of that environment\'s class'],
      [() => environmentNamed('rtos').idleReport(notRtos.master.env), 'the environment of core0 says it is "rtos" but is not of that environment\'s class'],
    ];
    for (const [fn, text] of cases) {
      const error = thrown(fn);
      expect([error instanceof FirmwareError, error.message]).toEqual([true, text]);
    }
  });

  test('buildRpmsgSystem: an unknown role or environment name is a ConfigError', () => {
    // As a caller without types may pass them.
    const badRole: Record<string, EnvironmentName> = { slave: 'rtos' };
    const badName: Partial<Record<Role, EnvironmentName>> = {};
    Object.defineProperty(badName, 'remote', { value: 'freertos', enumerable: true });
    const cases: [() => unknown, string][] = [
      [() => buildRpmsgSystem('lpc55s69', { environments: badRole }), 'environments: unknown role "slave"; the roles are master, remote'],
      [() => buildRpmsgSystem('lpc55s69', { environments: badName }), 'environments.remote: unknown environment "freertos"; the environments are bare-metal, rtos, zephyr'],
    ];
    for (const [fn, text] of cases) {
      const error = thrown(fn);
      expect([error instanceof ConfigError, error.message]).toEqual([true, text]);
    }
  });
});
