// The CLI's commands, registered explicitly (no directory scanning: it would defeat type
// checking and bundling). Later: run, validate, platforms, diff, check.

import type { CommandModule } from 'yargs';

// Each command has its own argument type, hence `any` for the parsed arguments here.
export type Command = CommandModule<object, any>;

export const commands: readonly Command[] = [];
