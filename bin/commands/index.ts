// The CLI's commands, registered explicitly (no directory scanning: it would defeat type
// checking and bundling).

import type { Command } from './common';
export type { Command };

import { checkCommand } from './check';
import { diffCommand } from './diff';
import { explainCommand } from './explain';
import { layoutCommand } from './layout';
import { shmemCommand } from './shmem';
import { sweepCommand } from './sweep';
import { platformsCommand } from './platforms';
import { runCommand } from './run';
import { validateCommand } from './validate';
import { viewCommand } from './view';

export const commands: readonly Command[] = [runCommand, validateCommand, platformsCommand, diffCommand, checkCommand, explainCommand, layoutCommand, shmemCommand, viewCommand, sweepCommand];
