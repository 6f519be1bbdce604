// What the commands share: the exit code they report, output helpers.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { ConfigError, FirmwareError, ProcessError } from '../../sim/kernel';
import { STDOUT, OutputIOError, StdoutClosedError } from '../../sim/trace/output';
import { wroteLine } from '../../sim/text/quantity';
import { eraseStatusLine } from '../progress';

// Each command has its own argument type, hence `any` for the parsed arguments here.
export type Command = CommandModule<object, any>;

/** The exit code the commands ask for (the highest wins); reset by main(). */
export const outcome = { code: 0 };

/** What the whole command line asks of every command: `--quiet`, no progress and no `wrote` lines on stderr. Set by main(). */
export const settings = { quiet: false };

export function fail(code: number): void {
  outcome.code = Math.max(outcome.code, code);
}

/** A user's input that cannot be used (exit 2), with a message ready for stderr. */
export class BadInput extends Error {
  override name = 'BadInput';
}

export function out(text: string): void {
  eraseStatusLine();
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  eraseStatusLine();
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/**
 * `wrote FILE (size)` on stderr for a file a command has just written whole (not for standard
 * output, not with --quiet); the size is the file's own, as the disk has it.
 */
export function reportWritten(file: string): void {
  if (settings.quiet || file === STDOUT) return;
  err(wroteLine(file, statSync(file).size));
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

/** The options yargs' check sees: the declared names, which take lists, which are strings, and aliases. */
export interface DeclaredOptions {
  key: Record<string, unknown>;
  array: readonly string[];
  string: readonly string[];
  alias: Record<string, readonly string[]>;
}

/** Single-valued options that may be repeated all the same: `run --trace a.jsonl --trace b.vcd` writes both. */
export const REPEATABLE_OPTIONS: ReadonlySet<string> = new Set(['trace']);

/** `{x: {y: 1}}` as `x.y=1`: what `--set.x.y=1` meant. */
function dottedSettings(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${prefix}=${String(value)}`];
  return Object.entries(value).flatMap(([k, v]) => dottedSettings(v, prefix === '' ? k : `${prefix}.${k}`));
}

/**
 * The first option given in a way no command can use, as one line (undefined: none): a
 * single-valued option given more than once (yargs makes a list of it), a name with a dot
 * after the option (`--set.x=1`: yargs makes a map of it), a string option with an empty value
 * (`--junit` with nothing after it, `--trace=`). Positional arguments are not options.
 */
export function optionProblem(args: Record<string, unknown>, options: DeclaredOptions, positionals: ReadonlySet<string>): string | undefined {
  const aliases = new Set(Object.values(options.alias).flat());
  const camelTwin = (name: string) => !name.includes('-') && Object.keys(options.key).some((k) => k.includes('-') && k.replace(/-+([a-z0-9])/g, (_, c: string) => c.toUpperCase()) === name);
  for (const name of Object.keys(options.key)) {
    if (aliases.has(name) || camelTwin(name) || positionals.has(name) || !(name in args)) continue;
    const value = args[name];
    const list = options.array.includes(name);
    const dotted = (list && Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    if (dotted.length > 0) {
      const meant = dottedSettings(dotted[0]);
      return `--${name}.${meant[0]}: a dot after --${name} makes another option; write --${name} ${meant[0]} (a space after --${name})`;
    }
    if (!list && Array.isArray(value) && !REPEATABLE_OPTIONS.has(name)) {
      return `--${name} is given ${value.length} times (${value.map((v) => JSON.stringify(v)).join(', ')}); it takes one value`;
    }
    if (!list && Array.isArray(value)) {
      // A repeatable output option: each file once ("-", standard output, too).
      const same = (a: unknown, b: unknown) => (a === '-' || b === '-' ? a === b : resolve(String(a)) === resolve(String(b)));
      const twice = value.find((v, i) => value.findIndex((u) => same(u, v)) !== i);
      if (twice !== undefined) return `--${name} ${String(twice)} is given twice; each --${name} writes a file of its own`;
    }
    const values = Array.isArray(value) ? value : [value];
    // `--no-trace`: yargs negates any option, and a file option becomes false.
    if (values.some((v) => typeof v === 'boolean') && options.string.includes(name)) return `--no-${name}: --${name} takes a value; there is no --no-${name}`;
    // `--set` with nothing after it: yargs makes an empty list (no list option has a default).
    const empty = values.some((v) => v === '') || (list && Array.isArray(value) && value.length === 0);
    if (empty && options.string.includes(name)) return `--${name} needs a value${list ? ' after each --' + name : ''}`;
  }
  return undefined;
}

/**
 * A hint for yargs' "Not enough non-option arguments" when a list option (`--set`) came
 * before the files: it took them as its own values (`validate --set stop.time=1ms s.yaml`).
 */
export function listOptionHint(message: string, argv: readonly string[]): string {
  if (!message.startsWith('Not enough non-option arguments') || !argv.some((a) => a === '--set')) return message;
  return `${message} (--set takes every word after it up to the next option: give the files first, e.g. rpmsg-sim run s.yaml --set stop.time=2ms)`;
}

/** The options for which `-` is a value: standard output. */
const DASH_VALUE_OPTIONS: ReadonlySet<string> = new Set(['--trace']);

/**
 * The command line with each `-` that follows `--trace` joined to it (`--trace -` becomes
 * `--trace=-`): yargs reads a lone `-` as no value at all (docs/teaching.md gives
 * `--trace -` for the story on the terminal).
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of argv) {
    const previous = out[out.length - 1];
    if (a === '-' && previous !== undefined && DASH_VALUE_OPTIONS.has(previous)) out[out.length - 1] = `${previous}=-`;
    else out.push(a);
  }
  return out;
}
