// What the commands share: the exit code they report, output helpers.

import type { CommandModule } from 'yargs';
import { ConfigError, FirmwareError, ProcessError } from '../../sim/kernel';
import { OutputIOError, StdoutClosedError } from '../../sim/trace/output';

// Each command has its own argument type, hence `any` for the parsed arguments here.
export type Command = CommandModule<object, any>;

/** The exit code the commands ask for (the highest wins); reset by main(). */
export const outcome = { code: 0 };

export function fail(code: number): void {
  outcome.code = Math.max(outcome.code, code);
}

/** A user's input that cannot be used (exit 2), with a message ready for stderr. */
export class BadInput extends Error {
  override name = 'BadInput';
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * The firmware's fault: a FirmwareError thrown directly or by a simulated process (then the
 * `cause` of the kernel's ProcessError), as one paragraph for stderr; undefined for any other
 * error. A user's module is bundled with its own copy of sim/kernel, so its FirmwareError is
 * another class of the same name: matched by name as well.
 */
export function firmwareErrorText(error: unknown, file?: string): string | undefined {
  const cause = error instanceof ProcessError ? error.cause : error;
  if (!(cause instanceof FirmwareError || (cause instanceof Error && cause.name === 'FirmwareError'))) return undefined;
  const where = error instanceof ProcessError ? ` (${error.kind} "${error.processName}" at ${error.timeText}, tick ${error.time})` : '';
  return (
    `firmware error${file === undefined ? '' : ` in ${file}`}: ${cause.message}${where}. ` +
    'The firmware misused rpmsg-lite, its environment or the RTOS; fix the firmware (this is not a bug of rpmsg-sim).'
  );
}

/** The exit code of an output the disk failed to take (EX_IOERR of sysexits.h; docs/reliability.md "Exit codes"). */
export const EXIT_IO = 74;

/**
 * Whose fault a failure is, for the exit code: the user's input (exit 2: a BadInput or a
 * ConfigError, the scenario, the platform, a module that does not compile, an output path
 * that cannot be written), the user's firmware (exit 1), or the disk, which failed to take an
 * output (exit 74: an OutputIOError, a full disk), with the text for stderr; undefined for a
 * bug of rpmsg-sim (exit 70). What a simulated process threw counts, not the kernel's
 * ProcessError around it.
 */
export function userFailure(error: unknown, file?: string): { exit: 1 | 2 | typeof EXIT_IO; text: string } | undefined {
  const cause = error instanceof ProcessError ? error.cause : error;
  if (cause instanceof OutputIOError) return { exit: EXIT_IO, text: cause.message };
  if (cause instanceof BadInput || cause instanceof ConfigError) return { exit: 2, text: cause.message };
  const firmware = firmwareErrorText(error, file);
  return firmware === undefined ? undefined : { exit: 1, text: firmware };
}

/** Standard output's reader went away while a trace was written to it (also when a simulated process was writing): the CLI ends quietly. */
export function stdoutClosed(error: unknown): boolean {
  return (error instanceof ProcessError ? error.cause : error) instanceof StdoutClosedError;
}
