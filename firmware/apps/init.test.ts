import { buildRpmsgSystem, startPrograms } from '../../platforms/system';
import { FirmwareError, ProcessError } from '../../sim/kernel';
import type { Program } from '../program';
import { stepsProgram } from '../steps/steps';
import { flood } from './flood';
import { nsDemo } from './ns-demo';
import { pingPong } from './pingpong';
import { strEcho } from './str-echo';

const hooks = { mark: () => undefined, ticks: () => 0 };

// rpmsg_lite_master_init returns NULL when 2 × RL_BUFFER_COUNT buffers do not fit the shared
// memory (imxrt1170: 8 KiB at 0x202C0000; 16 buffers of 512 B per direction need 16 KiB).
const programs: [string, () => { master: Program; remote: Program }][] = [
  ['ping-pong', () => pingPong({ count: 2, payloadSize: 4 })],
  ['flood', () => flood({ count: 2, payloadSize: 4 })],
  ['ns-demo', () => nsDemo({ names: ['a'] })],
  ['str-echo', () => strEcho({ strings: ['a'] })],
  ['steps', () => ({ master: stepsProgram([{ kind: 'init' }], hooks), remote: stepsProgram([{ kind: 'init' }], hooks) })],
];

function failure(run: () => void): { error: unknown; cause: unknown } {
  try {
    run();
  } catch (error) {
    return { error, cause: (error as { cause?: unknown }).cause };
  }
  throw new Error('the run did not fail');
}

describe('a failed rpmsg-lite init ends the core firmware with the function and the reason', () => {
  test.each(programs)('%s: master_init returns NULL when the buffers do not fit', (_name, make) => {
    const sys = buildRpmsgSystem('imxrt1170', { config: { bufferCount: 16 } });
    startPrograms(sys, make());
    const { error, cause } = failure(() => sys.kernel.run());
    expect(error).toBeInstanceOf(ProcessError);
    expect(cause).toBeInstanceOf(FirmwareError); // exit status 1: the run failed, with this text
    expect((error as Error).message).toBe(
      'process "cm7" failed at 0.000 ns (tick 0): core cm7 (master): rpmsg_lite_master_init returned NULL: ' +
        '8192 B of shared memory hold the 2 vrings (VRING_SIZE 448 B each) and 14 buffers of 512 B, not 2 × RL_BUFFER_COUNT = 32',
    );
  });

  test.each(programs)('%s: remote_init returns NULL for a payload size of 0', (_name, make) => {
    const sys = buildRpmsgSystem('imxrt1170', { config: { bufferPayloadSize: 0 } });
    startPrograms(sys, { remote: make().remote });
    const { error } = failure(() => sys.kernel.run());
    expect((error as Error).message).toBe('process "cm4" failed at 0.000 ns (tick 0): core cm4 (remote): rpmsg_lite_remote_init returned NULL: buffer payload size 0 is not positive');
  });
});
