import { ConfigError, FirmwareError, InternalError, ProcessError } from '../../sim/kernel';
import { OutputIOError, StdoutClosedError } from '../../sim/trace/output';
import { BadInput, firmwareErrorText, stdoutClosed, userFailure } from './common';

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

describe('userFailure: whose fault, for the exit code', () => {
  test('bad input is exit 2, also when a simulated process threw it', () => {
    expect(userFailure(new BadInput('no such file'))).toEqual({ exit: 2, text: 'no such file' });
    expect(userFailure(new ConfigError('tick and PendSV on one line'))).toEqual({ exit: 2, text: 'tick and PendSV on one line' });
    expect(userFailure(new ProcessError('process', 'core0', 3, '1 ns', new ConfigError('tick rate above 1000 Hz')))).toEqual({
      exit: 2,
      text: 'tick rate above 1000 Hz',
    });
  });

  test("the firmware's fault is exit 1, with the firmware paragraph", () => {
    expect(userFailure(new FirmwareError('queue used after delete'), 'a.yaml')).toEqual({
      exit: 1,
      text: `firmware error in a.yaml: queue used after delete. ${tail}`,
    });
  });

  test('a disk that failed to take an output is exit 74, also when a simulated process was writing the trace', () => {
    const full = 'cannot write the trace "t.jsonl": no space left on the device';
    expect(userFailure(new OutputIOError(full))).toEqual({ exit: 74, text: full });
    expect(userFailure(new ProcessError('process', 'core0', 3, '1 ns', new OutputIOError(full)))).toEqual({ exit: 74, text: full });
  });

  test('a standard output closed by its reader is neither: the CLI ends quietly (stdoutClosed)', () => {
    const closed = new StdoutClosedError('cannot write the trace to standard output: the reading end of the pipe was closed');
    expect(stdoutClosed(closed)).toBe(true);
    expect(stdoutClosed(new ProcessError('task', 'tx', 3, '1 ns', closed))).toBe(true);
    expect(stdoutClosed(new OutputIOError('x'))).toBe(false);
    expect(userFailure(closed)).toBeUndefined();
  });

  test("anything else is rpmsg-sim's own bug (undefined: exit 70)", () => {
    expect(userFailure(new InternalError('broken invariant'))).toBeUndefined();
    expect(userFailure(new ProcessError('process', 'core0', 3, '1 ns', new TypeError('x is undefined')))).toBeUndefined();
  });
});
