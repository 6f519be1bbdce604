// How a command that runs a scenario reports a failed run (run, explain, view). Apart from
// common.ts because chalk is an ES module, which the unit tests of common.ts cannot load.

import chalk from 'chalk';
import { ProcessError } from '../../sim/kernel';
import { BadInput, err, fail, userFailure } from './common';

/**
 * A run that failed, reported as every command that runs a scenario reports it: the user's
 * input is thrown as a BadInput (exit 2); the firmware's fault or a failed simulation is one
 * paragraph on stderr and exit status 1 (the caller goes on); anything else, a bug of
 * rpmsg-sim, is thrown again.
 */
export function reportRunFailure(error: unknown, file: string): void {
  const user = userFailure(error, file);
  if (user?.exit === 2) throw new BadInput(user.text);
  if (user !== undefined) {
    err(`${chalk.red('rpmsg-sim:')} ${user.text}`);
    fail(1);
    return;
  }
  if (error instanceof ProcessError) {
    err(`${chalk.red('rpmsg-sim: the simulation of')} ${file} ${chalk.red('failed:')} ${error.message}`);
    fail(1);
    return;
  }
  throw error;
}
