// Steps that cannot run are firmware errors, with the text naming the core and what is missing.

import { FirmwareError, ProcessError } from '../../sim/kernel';
import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
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
