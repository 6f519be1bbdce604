import { ConfigError, FirmwareError, InternalError, ProcessError } from '../../sim/kernel';
import { OutputIOError, StdoutClosedError } from '../../sim/trace/output';
import { BadInput, firmwareErrorText, joinDashValues, listOptionHint, optionProblem, stdoutClosed, userFailure } from './common';

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

describe('optionProblem: options given in a way no command can use', () => {
  // What yargs' check sees for `run <scenarios..>` with --trace, --dump-shmem, --set, and view's -o.
  const options = {
    key: { help: true, scenarios: true, trace: true, 'dump-shmem': true, dumpShmem: true, set: true, output: true, o: true },
    array: ['scenarios', 'set'],
    string: ['scenarios', 'trace', 'dump-shmem', 'set', 'output', 'o'],
    alias: { output: ['o'] },
  };
  const positionals = new Set(['scenarios']);
  const problem = (args: Record<string, unknown>) => optionProblem({ _: ['run'], scenarios: ['a.yaml', 'b.yaml'], ...args }, options, positionals);

  test('none: lists where lists are declared, a repeatable --trace, several positionals', () => {
    expect(problem({ set: ['a=1', 'b=2'], trace: ['x.jsonl', 'x.vcd'], 'dump-shmem': 'm.bin', dumpShmem: 'm.bin' })).toBeUndefined();
  });

  test('a single-valued option given twice is named once, as typed (not its camel-case twin or alias)', () => {
    expect(problem({ 'dump-shmem': ['a', 'b'], dumpShmem: ['a', 'b'] })).toBe('--dump-shmem is given 2 times ("a", "b"); it takes one value');
    expect(problem({ output: ['a.html', 'b.html'], o: ['a.html', 'b.html'] })).toBe('--output is given 2 times ("a.html", "b.html"); it takes one value');
  });

  test('--set.x=1 and --set.x.y=2 among good settings: what was meant', () => {
    expect(problem({ set: { x: 1 } })).toBe('--set.x=1: a dot after --set makes another option; write --set x=1 (a space after --set)');
    expect(problem({ set: ['a=1', { x: { y: 2 } }] })).toBe('--set.x.y=2: a dot after --set makes another option; write --set x.y=2 (a space after --set)');
  });

  test('a repeatable option names each file once: the same path spelled twice, two standard outputs', () => {
    expect(problem({ trace: ['out/a.jsonl', 'out/../out/a.jsonl'] })).toBe('--trace out/../out/a.jsonl is given twice; each --trace writes a file of its own');
    expect(problem({ trace: ['-', 'a.txt', '-'] })).toBe('--trace - is given twice; each --trace writes a file of its own');
  });

  test('--no-<option> of an option that takes a value (yargs makes it false)', () => {
    expect(problem({ trace: false })).toBe('--no-trace: --trace takes a value; there is no --no-trace');
    expect(problem({ set: [false] })).toBe('--no-set: --set takes a value; there is no --no-set');
  });

  test('an empty value of a string option', () => {
    expect(problem({ trace: '' })).toBe('--trace needs a value');
    expect(problem({ set: ['a=1', ''] })).toBe('--set needs a value after each --set');
    expect(problem({ set: [] })).toBe('--set needs a value after each --set'); // `run s.yaml --set`: yargs gives an empty list
  });
});

test('listOptionHint: files taken by --set are explained; other messages are kept', () => {
  const message = 'Not enough non-option arguments: got 0, need at least 1';
  expect(listOptionHint(message, ['validate', '--set', 'stop.time=1ms', 's.yaml'])).toBe(
    `${message} (--set takes every word after it up to the next option: give the files first, e.g. rpmsg-sim run s.yaml --set stop.time=2ms)`,
  );
  expect(listOptionHint(message, ['validate'])).toBe(message);
  expect(listOptionHint('Unknown argument: x', ['validate', '--set', 'a=1'])).toBe('Unknown argument: x');
});

test('joinDashValues: a lone "-" after --trace is its value (yargs dropped it: "cannot tell the trace format of \"\"")', () => {
  expect(joinDashValues(['run', 's.yaml', '--trace', '-'])).toEqual(['run', 's.yaml', '--trace=-']);
  expect(joinDashValues(['run', 's.yaml', '--trace', '-', '--trace', '-'])).toEqual(['run', 's.yaml', '--trace=-', '--trace=-']);
  // Only after --trace: a boolean keeps its meaning (yargs drops the "-", as before).
  expect(joinDashValues(['run', '-', 's.yaml', '--trace=a.txt', '-', '--json', '-', '-o', '-'])).toEqual(['run', '-', 's.yaml', '--trace=a.txt', '-', '--json', '-', '-o', '-']);
});
