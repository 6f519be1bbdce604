// `rpmsg-sim platforms [name]`: list the platforms, or describe one with every number's source.

import chalk from 'chalk';
import type { Argv } from 'yargs';
import { DEFAULT_PLATFORM, PLATFORMS, describePlatform } from '../../platforms/registry';
import { BadInput, type Command, out } from './common';

export const platformsCommand: Command = {
  command: 'platforms [name]',
  describe: 'List the platforms, or describe one (clocks, cores, memories, mailbox, each number with its source)',
  builder: (y: Argv) => y.positional('name', { type: 'string', describe: 'platform to describe' }),
  handler: (args) => {
    const name = args.name as string | undefined;
    if (name === undefined) {
      for (const [name, p] of Object.entries(PLATFORMS)) {
        out(`${chalk.bold(name.padEnd(10))} ${p.hardware.title}${name === DEFAULT_PLATFORM ? chalk.dim(' (default)') : ''}`);
      }
      return;
    }
    if (!(name in PLATFORMS)) {
      throw new BadInput(`no platform "${name}" (platforms: ${Object.keys(PLATFORMS).join(', ')})`);
    }
    out(describePlatform(name));
  },
};
