// What the commands share: the exit code they report, output helpers.

import type { CommandModule } from 'yargs';

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
