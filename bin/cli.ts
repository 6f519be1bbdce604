// The rpmsg-sim command line. Thin by design: it parses flags, hands the work to
// scenario-engine/ (through the commands in ./commands), and prints.
//
// Exit codes:
//   0  success
//   1  the run failed: an expectation or a timing regression failed (the simulation ran; its
//      result is wrong), or the firmware misused rpmsg-lite, its environment or the RTOS
//      (a FirmwareError: one paragraph on stderr, no stack)
//   2  bad input: unknown command or option, invalid scenario or platform file, a
//      configuration that cannot be simulated (a ConfigError)
//   70 internal error: a bug in rpmsg-sim itself (EX_SOFTWARE of sysexits.h); the stack is printed
//   74 an output could not be written because the disk failed: no space left, a quota, an
//      I/O error, also on standard output (EX_IOERR of sysexits.h); one line on stderr
//   128 + n  ended by signal n while an output was being written (SIGHUP 129, SIGINT 130,
//      SIGTERM 143): the unfinished outputs are removed first (sim/trace/temporaries.ts)
//   130 Ctrl-C interrupted a simulation (128 + SIGINT, as a shell reports it); its outputs are removed
// (docs/reliability.md "Exit codes" has the table.)

import chalk from 'chalk';
import type { Argv } from 'yargs';
import yargs from 'yargs/yargs';
import { hideBin } from 'yargs/helpers';
import { BadInput, type DeclaredOptions, EXIT_IO, joinDashValues, listOptionHint, optionProblem, outcome, settings, stdoutClosed, userFailure } from './commands/common';
import { RunInterrupted } from '../scenario-engine/run';
import { type Command, commands } from './commands/index';
import { installProcessHandlers } from './process-handlers';
import { EXAMPLES } from './examples';
import { closestWords, didYouMean, editDistance } from '../sim/text/did-you-mean';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 70;
export { EXIT_IO };
export const EXIT_INTERRUPTED = 130;

// Replaced by tools/build.mjs with package.json's version.
declare const __RPMSG_SIM_VERSION__: string;
const VERSION = typeof __RPMSG_SIM_VERSION__ === 'string' ? __RPMSG_SIM_VERSION__ : '0.0.0-dev';

const DESCRIPTION =
  'A cycle-level discrete-event simulator of a heterogeneous two-core SoC running a ' +
  "TypeScript model of NXP's rpmsg-lite: shared-memory virtio rings, mailbox " +
  'peripherals, interrupts and bus contention, timed cycle by cycle, with ' +
  'deterministic traces for CI regression.';

const EPILOGUE = 'Documentation: README.md and docs/ in the rpmsg-sim repository. Tab completion: rpmsg-sim completion >> ~/.bashrc';

/** yargs' command that prints the shell completion script (`rpmsg-sim completion >> ~/.bashrc`). */
const COMPLETION = 'completion';

/** Runs the CLI on `argv` (the arguments after the script name) and returns the exit code. */
export async function main(argv: readonly string[] = hideBin(process.argv)): Promise<number> {
  installProcessHandlers();
  const code = await runCommand(argv);
  // A signal caught while the command ran synchronously (a run does not let the event loop
  // turn) waits in libuv's signal pipe, which only the loop's poll phase reads; the process
  // would end without it (a signal's listener does not keep the loop alive). The first
  // immediate may run in this very turn's check phase, before any poll; the second, queued
  // from there, runs in the next turn, after a poll (non-blocking: an immediate is pending).
  await nextTurn();
  await nextTurn();
  return code;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function runCommand(argv: readonly string[]): Promise<number> {
  outcome.code = EXIT_OK;
  settings.quiet = false;
  const commandNames = new Set([...commands.flatMap(commandNamesOf), COMPLETION]);
  const positionals = new Set(commands.flatMap(positionalsOf));
  let declared: DeclaredOptions | undefined;
  const cli = yargs(joinDashValues(argv))
    .scriptName('rpmsg-sim')
    .usage(`Usage: $0 <command> [options]\n\n${DESCRIPTION}`)
    .epilogue(EPILOGUE)
    .example('$0 run scenarios/ping-pong.yaml', 'run a scenario and print its summary')
    .example('$0 run --help', "a command's options and examples")
    .example('$0 completion >> ~/.bashrc', 'Tab completion of commands and options')
    .version(VERSION)
    .completion(COMPLETION, 'Print a bash or zsh script that completes commands and options (rpmsg-sim completion >> ~/.bashrc)')
    .help()
    .alias('help', 'h')
    .option('color', { type: 'boolean', describe: 'colour output (default: when writing to a terminal); --no-color turns it off' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'no progress line and no "wrote FILE (size)" lines on stderr (errors still are)' })
    .middleware((args) => {
      if (args['color'] === false) chalk.level = 0;
      settings.quiet = args['quiet'] === true;
    })
    .strict()
    // Our own check rather than yargs' demandCommand: it runs after strict validation, so
    // an unknown option is reported as such, and it also catches an unknown command name
    // (yargs' strict mode lets any positional through while no command is registered).
    .check((args, options) => {
      // With exitProcess(false), yargs goes on to validate after printing help or version.
      if (args['help'] === true || args['version'] === true) return true;
      const first = args._[0];
      if (first === undefined) throw new UsageError('No command given.');
      if (!commandNames.has(String(first))) throw new UsageError(unknownCommand(String(first), [...commandNames]));
      // Repeated single-valued options, `--set.x=1`, empty values (bin/commands/common.ts).
      const problem = optionProblem(args, options as unknown as DeclaredOptions, positionals);
      if (problem !== undefined) throw new UsageError(problem);
      return true;
    })
    .exitProcess(false)
    // The options of the command at hand, for suggestions: before yargs' strict validation fails on an unknown one.
    // (yargs passes itself to a middleware; its types do not say so)
    .middleware(((_args: unknown, y: { getOptions(): DeclaredOptions }) => {
      declared = y.getOptions();
    }) as unknown as () => void, true)
    .fail((message: string | null | undefined, error: Error | undefined) => {
      // yargs reports here both its own validation failures and errors thrown by a
      // command; only the first kind is the user's fault. Throwing stops yargs from
      // going on to run the command's handler.
      if (error !== undefined && (error instanceof BadInput || !isUsageError(error))) throw error;
      const text = message ?? error?.message ?? 'invalid arguments';
      // An unknown word where the command goes: yargs' strict mode calls it an argument.
      const typed = argv.find((a) => !a.startsWith('-'));
      if (typed !== undefined && !commandNames.has(typed) && (text === `Unknown argument: ${typed}` || text.startsWith(`Unknown arguments: ${typed}, `))) {
        throw new UsageError(unknownCommand(typed, [...commandNames]));
      }
      throw new UsageError(listOptionHint(withSuggestions(withoutCamelCaseTwins(text), declared), argv));
    });
  for (const command of commands) cli.command(withExamples(command));

  // yargs prints the completion script for `completion`, and then its strict mode calls the
  // word an unknown argument (exit 2): the script is printed here instead.
  if (argv[0] === COMPLETION && argv.length === 1) {
    cli.showCompletionScript();
    return EXIT_OK;
  }
  if (argv[0] === COMPLETION) {
    process.stderr.write(`${chalk.red('rpmsg-sim: error:')} ${COMPLETION} takes no arguments: rpmsg-sim ${COMPLETION} >> ~/.bashrc\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    await cli.parseAsync();
  } catch (error) {
    if (stdoutClosed(error)) return outcome.code;
    if (error instanceof RunInterrupted) {
      // Ctrl-C stopped a simulation (its outputs were removed): the shell's 128 + SIGINT.
      process.stderr.write(`rpmsg-sim: ${error.message}\n`);
      return EXIT_INTERRUPTED;
    }
    const user = userFailure(error);
    if (user !== undefined) {
      process.stderr.write(`${chalk.red(user.exit === EXIT_FAILED ? 'rpmsg-sim:' : 'rpmsg-sim: error:')} ${user.text}\n`);
      return user.exit;
    }
    if (error instanceof Error && isUsageError(error)) {
      process.stderr.write(`${chalk.red('rpmsg-sim: error:')} ${error.message}\n`);
      process.stderr.write(`Run ${chalk.bold('rpmsg-sim --help')} for usage.\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`${chalk.red('rpmsg-sim: internal error:')} ${describe(error)}\n`);
    return EXIT_INTERNAL;
  }
  return outcome.code;
}

/** `Unknown command: rnu (did you mean "run"?)`, the suggestion by sim/text/did-you-mean.ts. */
function unknownCommand(typed: string, names: readonly string[]): string {
  // Two edits for a word of three letters too: a swap of two letters is two edits ("rnu").
  const [closest] = closestWords(typed, names, 1);
  const meant = didYouMean(typed, names) ?? (typed.length >= 3 && closest !== undefined && editDistance(typed.toLowerCase(), closest) <= 2 ? closest : undefined);
  return `Unknown command: ${typed}${meant === undefined ? `; the commands: ${names.join(', ')}` : ` (did you mean "${meant}"?)`}`;
}

/**
 * `Unknown argument: trce (did you mean "--trace"?)`: each unknown option with the declared
 * one it most likely meant (sim/text/did-you-mean.ts), if any is close.
 */
function withSuggestions(message: string, options: DeclaredOptions | undefined): string {
  const match = /^(Unknown arguments?): (.*)$/.exec(message);
  if (match === null || options === undefined) return message;
  // (long names only: a one-letter alias is one edit from any one-letter word)
  const names = Object.keys(options.key).filter((k) => k.length > 1 && k !== '$0' && !/[A-Z]/.test(k));
  const suggested = match[2]!.split(', ').map((name) => {
    const meant = didYouMean(name, names);
    return meant === undefined ? name : `${name} (did you mean "--${meant}"?)`;
  });
  return `${match[1]}: ${suggested.join(', ')}`;
}

/**
 * The command with its examples (bin/examples.ts) at the end of its --help, and without
 * yargs' `[default: []]` on a list of files (`<scenarios..>`: it is required anyway).
 */
function withExamples(command: Command): Command {
  const name = commandNamesOf(command)[0] ?? '';
  const variadic = [command.command ?? []].flat().flatMap((usage) => [...usage.matchAll(/[<[]([^.\]>]+)\.\.[\]>]/g)].map((m) => m[1]!));
  const builder = command.builder;
  return {
    ...command,
    builder: (y: Argv) => {
      let built = (typeof builder === 'function' ? builder(y) : builder === undefined ? y : y.options(builder)) as Argv;
      for (const positional of variadic) built = built.default(positional, undefined);
      for (const [example, what] of EXAMPLES[name] ?? []) built = built.example(example, what);
      return built;
    },
  };
}

/** The user's mistake on the command line (as opposed to a bug in a command). */
class UsageError extends Error {
  override name = 'UsageError';
}

function isUsageError(error: Error): boolean {
  return error instanceof UsageError || error.name === 'YError';
}

/** The names a command answers to: its own (first word of `command`) and its aliases. */
function commandNamesOf(command: Command): string[] {
  const declared = [command.command ?? [], command.aliases ?? []].flat();
  return declared.map((usage) => usage.split(' ')[0]!).filter((name) => name !== '$0' && name !== '*');
}

/** The positional arguments of a command (`diff <a> <b>`: a, b), which are not options. */
function positionalsOf(command: Command): string[] {
  return [command.command ?? []].flat().flatMap((usage) => [...usage.matchAll(/[<[]([^.\]>]+)/g)].map((m) => m[1]!));
}

/**
 * yargs' strict mode names an unknown dashed option twice, as typed and camel-cased
 * ("Unknown arguments: trace-out, traceOut"); keep only the form the user typed.
 */
function withoutCamelCaseTwins(message: string): string {
  const match = /^Unknown arguments: (.*)$/.exec(message);
  if (match === null) return message;
  const names = match[1]!.split(', ');
  const camel = (name: string) => name.replace(/-+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const typed = new Set(names.filter((name) => name.includes('-')).map(camel));
  const kept = names.filter((name) => name.includes('-') || !typed.has(name));
  return `Unknown argument${kept.length === 1 ? '' : 's'}: ${kept.join(', ')}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
