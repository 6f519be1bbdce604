// How a command that runs a scenario reports a failed run (run, explain, view). Apart from
// common.ts because chalk is an ES module, which the unit tests of common.ts cannot load.

import { dirname, relative, sep } from 'node:path';
import chalk from 'chalk';
import { InternalError, ProcessError, SimError } from '../../sim/kernel';
import type { Scenario } from '../../scenario-engine/types';
import { ROLES } from '../../firmware/program';
import { BadInput, err, fail, stdoutClosed, userFailure } from './common';

/** The files of a scenario's `module:` firmware. */
export function moduleFilesOf(scenario: Pick<Scenario, 'master' | 'remote'>): string[] {
  return ROLES.flatMap((role) => {
    const fw = scenario[role].firmware;
    return fw.kind === 'module' ? [fw.path] : [];
  });
}

/**
 * A run that failed, reported as every command that runs a scenario reports it: the user's
 * input is thrown as a BadInput (exit 2); the firmware's fault, an error thrown by the
 * user's module code (`moduleFiles`: the scenario's, see moduleFilesOf) or a failed
 * simulation is one paragraph on stderr and exit status 1 (the caller goes on); a
 * JavaScript error (TypeError, RangeError, …) thrown by rpmsg-sim's own models is a bug of
 * rpmsg-sim, thrown again as an InternalError that names the process, the simulated time
 * and the stack (exit 70), as is anything else.
 */
export function reportRunFailure(error: unknown, file: string, moduleFiles: readonly string[] = []): void {
  if (stdoutClosed(error)) throw error;
  const user = userFailure(error, file);
  if (user?.exit === 2) throw new BadInput(user.text);
  if (user !== undefined && user.exit !== 1) throw error;
  if (user !== undefined) {
    err(`${chalk.red('rpmsg-sim:')} ${user.text}`);
    fail(1);
    return;
  }
  const failed = failedProcess(error, file, moduleFiles);
  if (failed?.module !== undefined) {
    err(`${chalk.red('rpmsg-sim: the firmware module of')} ${file} ${chalk.red('failed:')} ${failed.module}`);
    fail(1);
    return;
  }
  if (failed?.simulation !== undefined) {
    err(`${chalk.red('rpmsg-sim: the simulation of')} ${file} ${chalk.red('failed:')} ${failed.simulation}`);
    fail(1);
    return;
  }
  throw failed?.internal ?? error;
}

/**
 * A simulated process's failure (a ProcessError) sorted by origin: the user's module code
 * (`module`: the text after "the firmware module of FILE failed: "), another SimError of
 * the simulation (`simulation`: its message), or a JavaScript error inside rpmsg-sim's
 * models (`internal`: an InternalError naming the process, the simulated time and the
 * thrown error's stack); undefined for anything else. A FirmwareError is userFailure's.
 */
export function failedProcess(
  error: unknown,
  file: string,
  moduleFiles: readonly string[],
): { module?: string; simulation?: string; internal?: InternalError } | undefined {
  if (!(error instanceof ProcessError)) return undefined;
  const where = ` (${error.kind} "${error.processName}" at ${error.timeText}, tick ${error.time})`;
  const cause = error.cause;
  const origin = userCodeOrigin(cause, moduleFiles);
  if (origin !== undefined) {
    return { module: `${describeThrown(cause)}${origin === '' ? '' : ` at ${origin}`}${where}. This is an error in the module's code, not a bug of rpmsg-sim.` };
  }
  if (cause instanceof SimError) return { simulation: error.message };
  // A JavaScript error inside rpmsg-sim's models: a bug, with where and when it happened.
  const internal = new InternalError(`the simulation of ${file} failed inside rpmsg-sim${where}: ${describeThrown(cause)}`);
  const frames = cause instanceof Error && cause.stack !== undefined ? cause.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
  internal.stack = [`InternalError: ${internal.message}`, ...frames].join('\n');
  return { internal };
}

/**
 * Where an error thrown by a simulated process comes from, when that is the user's module
 * code: its first stack frame in one of `moduleFiles` or in a file beside them (a module's
 * own imports), as `file:line:column` relative to the working folder; '' for a value that
 * is not an Error thrown while the scenario has modules (no stack to tell); undefined when
 * it is not the user's code.
 */
export function userCodeOrigin(thrown: unknown, moduleFiles: readonly string[]): string | undefined {
  if (moduleFiles.length === 0) return undefined;
  if (!(thrown instanceof Error)) return '';
  const frame = firstFrame(thrown.stack ?? '');
  if (frame === undefined) return undefined;
  const folders = moduleFiles.map((f) => dirname(f) + sep);
  if (!moduleFiles.includes(frame.file) && !folders.some((d) => frame.file.startsWith(d))) return undefined;
  const shown = relative(process.cwd(), frame.file);
  return `${shown.startsWith('..') ? frame.file : shown}:${frame.line}:${frame.column}`;
}

/** The first stack frame that names a file: `at fn (file:line:col)` or `at file:line:col`. */
function firstFrame(stack: string): { file: string; line: number; column: number } | undefined {
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (m !== null && !m[1]!.startsWith('node:') && m[1] !== '<anonymous>') return { file: m[1]!.replace(/^file:\/\//, ''), line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

function describeThrown(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return `${typeof value === 'string' ? JSON.stringify(value) : String(value)} (thrown, not an Error)`;
}
