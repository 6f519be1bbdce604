// What the CLI's process does whichever command runs: standard output that fails, and the
// signals that end it while it writes an output (docs/reliability.md "Output files").
// Installed once per process, however often main() runs.

import chalk from 'chalk';
import { OutputIOError, outputFailure } from '../sim/trace/output';
import { onSignal, signalExitCode } from '../sim/trace/temporaries';
import { EXIT_IO, outcome } from './commands/common';

/** Exit code 2 (bin/cli.ts EXIT_BAD_INPUT; not imported from there: cli.ts imports this file). */
const EXIT_BAD_INPUT = 2;

let installed = false;

export function installProcessHandlers(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // A reader that stops early (`| head`) closes the pipe: end quietly, as Unix tools do.
    if (error.code === 'EPIPE') process.exit(outcome.code);
    // Anything else (`> /dev/full`: ENOSPC) loses the output: one line, and exit 74. The
    // process's exit listener removes the temporary files (sim/trace/temporaries.ts).
    const failure = outputFailure('cannot write to standard output', error);
    process.stderr.write(`${chalk.red('rpmsg-sim: error:')} ${failure.message}\n`);
    process.exit(failure instanceof OutputIOError ? EXIT_IO : EXIT_BAD_INPUT);
  });
  // With stderr gone too there is nowhere to report: the exit code says it.
  process.stderr.on('error', () => {});
  // SIGINT, SIGTERM, SIGHUP once an output file has been started: its temporary files are
  // removed (by temporaries.ts, before this runs), then one line and 128 + the signal's number.
  onSignal((signal, notWritten) => {
    const files = notWritten.length === 0 ? '' : `; not written: ${notWritten.map((f) => `"${f}"`).join(', ')}`;
    process.stderr.write(`${chalk.red('rpmsg-sim:')} interrupted by ${signal}${files}\n`);
    process.exit(signalExitCode(signal));
  });
}
