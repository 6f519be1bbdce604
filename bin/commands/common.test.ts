import { FirmwareError, InternalError, ProcessError } from '../../sim/kernel';
import { firmwareErrorText } from './common';

const tail = 'The firmware misused rpmsg-lite, its environment or the RTOS; fix the firmware (this is not a bug of rpmsg-sim).';

describe('firmwareErrorText', () => {
  test('a FirmwareError thrown directly', () => {
    expect(firmwareErrorText(new FirmwareError('queue used after delete'), 'a.yaml')).toBe(`firmware error in a.yaml: queue used after delete. ${tail}`);
  });

  test('a FirmwareError as the cause of a ProcessError names the process and the time', () => {
    const error = new ProcessError('task', 'rx', 300, '100 ns', new FirmwareError('blocking call in an ISR'));
    expect(firmwareErrorText(error)).toBe(`firmware error: blocking call in an ISR (task "rx" at 100 ns, tick 300). ${tail}`);
  });

  test("a module's own copy of FirmwareError is matched by name", () => {
    class FirmwareErrorCopy extends Error {
      override name = 'FirmwareError';
    }
    expect(firmwareErrorText(new ProcessError('process', 'core0', 3, '1 ns', new FirmwareErrorCopy('no init')))).toBe(
      `firmware error: no init (process "core0" at 1 ns, tick 3). ${tail}`,
    );
  });

  test('other errors are not the firmware’s fault', () => {
    expect(firmwareErrorText(new InternalError('broken invariant'))).toBeUndefined();
    expect(firmwareErrorText(new ProcessError('process', 'core0', 3, '1 ns', new TypeError('x is undefined')))).toBeUndefined();
    expect(firmwareErrorText('a string')).toBeUndefined();
  });
});
