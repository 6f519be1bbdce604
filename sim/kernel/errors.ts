// Errors, classified by whose fault they are (as gem5 splits `fatal` from `panic`):
//
//   ConfigError      the user's configuration cannot be simulated (e.g. a clock set that
//                    no tick represents); fix the input.
//   FirmwareError    the firmware running on a simulated core misused the library, the
//                    environment or the RTOS in a way the C code would not report with a
//                    return code (a blocking call from an ISR, a queue used after delete,
//                    a step that needs an endpoint nobody created); fix the firmware.
//   SchedulingError  a model asked the kernel for something impossible (a time in the
//                    past, a non-integer delay, a task scheduled twice); TickLimitError,
//                    one of them, a time beyond 2^53 ticks (the end of simulated time).
//   ProcessError     a process or task threw; carries its name and the simulated time,
//                    and the original error as `cause`.
//   Interrupt        not a failure: thrown into a process by `Process.interrupt()`.
//   InternalError    a broken invariant of the simulator itself: a bug to report.

export class SimError extends Error {
  override name = 'SimError';
}

export class ConfigError extends SimError {
  override name = 'ConfigError';
}

export class FirmwareError extends SimError {
  override name = 'FirmwareError';
}

export class SchedulingError extends SimError {
  override name = 'SchedulingError';
}

/**
 * A wait that would end past 2^53 ticks, the end of the representable time: not a bug of
 * the model that asked, but the end of simulated time (a run with no time limit whose
 * firmware keeps waiting); a runner may end the run there.
 */
export class TickLimitError extends SchedulingError {
  override name = 'TickLimitError';
}

export class InternalError extends SimError {
  override name = 'InternalError';
}

/** A process or a task failed. `cause` is what it threw; nothing is swallowed. */
export class ProcessError extends SimError {
  override name = 'ProcessError';
  constructor(
    /** 'process' or 'task'. */
    readonly kind: 'process' | 'task',
    /** The failing process's or task's name. */
    readonly processName: string,
    /** Simulated time of the failure, in ticks. */
    readonly time: number,
    /** The same time as text (ns), for people. */
    readonly timeText: string,
    override readonly cause: unknown,
  ) {
    super(`${kind} "${processName}" failed at ${timeText} (tick ${time}): ${describe(cause)}`);
  }
}

/** Thrown into a process's generator by `Process.interrupt(cause)`. */
export class Interrupt extends SimError {
  override name = 'Interrupt';
  constructor(
    /** Whatever the interrupter passed: a reason, an IRQ number, … */
    override readonly cause: unknown,
    /** Name of the interrupted process. */
    readonly processName: string,
  ) {
    super(`process "${processName}" interrupted${cause === undefined ? '' : `: ${describe(cause)}`}`);
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
