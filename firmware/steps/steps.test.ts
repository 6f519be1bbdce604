// Steps that cannot run are firmware errors, with the text naming the core and what is missing.

import { FirmwareError, ProcessError } from '../../sim/kernel';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { Tracer } from '../../sim/trace/trace';
import { RL_ERR_BUFF_SIZE } from '../rpmsg-lite/constants';
import { stepsProgram } from './steps';
import type { Step } from './types';

/** What the master's steps threw. */
function failureOfSteps(steps: Step[]): Error {
  const sys = buildRpmsgSystem('imxrt1170');
  startPrograms(sys, { master: stepsProgram(steps, { mark: () => undefined, ticks: () => 0 }) });
  try {
    sys.kernel.run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProcessError);
    return (error as ProcessError).cause as Error;
  }
  throw new Error('the run did not fail');
}

test('a step needing an endpoint that does not exist', () => {
  const error = failureOfSteps([{ kind: 'init' }, { kind: 'release', endpoint: 'rx', count: 1 }]);
  expect(error).toBeInstanceOf(FirmwareError);
  expect(error.message).toBe('core cm7: no endpoint "rx"');
});

test('a step needing rpmsg-lite before the init step', () => {
  const error = failureOfSteps([{ kind: 'ns-bind' }]);
  expect(error).toBeInstanceOf(FirmwareError);
  expect(error.message).toBe('core cm7: a step needs rpmsg-lite, but no init step ran before it');
});

test('a send of 4 GiB is refused with RL_ERR_BUFF_SIZE at once (the pattern was made first: a 4 GiB array, a run that seemed to hang)', () => {
  const codes: number[] = [];
  const sys = buildRpmsgSystem('imxrt1170', {
    tracer: (kernel) => {
      const tracer = new Tracer(kernel);
      tracer.addSink({ kinds: ['rl-return'], record: (r) => r.kind === 'rl-return' && r.fn === 'rpmsg_lite_send' && codes.push(r.code as number) });
      return tracer;
    },
  });
  const steps: Step[] = [
    { kind: 'init' },
    { kind: 'create-endpoint', name: 'tx', addr: 'any', onReceive: 'release' },
    { kind: 'send', from: 'tx', to: 30, size: 2 ** 32, repeat: 1, timeoutMs: 'block' },
  ];
  startPrograms(sys, { master: stepsProgram(steps, { mark: () => undefined, ticks: () => 0 }) });
  sys.kernel.run();
  expect(codes).toEqual([RL_ERR_BUFF_SIZE]);
});
