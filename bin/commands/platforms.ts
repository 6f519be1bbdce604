// `rpmsg-sim platforms [name]`: list the platforms, or describe one with every number's source.

import chalk from 'chalk';
import type { Argv } from 'yargs';
import { coreCosts } from '../../firmware/costs/registry';
import { DEFAULT_PLATFORM, PLATFORMS, describePlatform, loadPlatform } from '../../platforms/registry';
import { BadInput, type Command, out } from './common';

export const platformsCommand: Command = {
  command: 'platforms [name]',
  describe: 'List the platforms, or describe one (clocks, cores, memories, mailbox, each number with its source)',
  builder: (y: Argv) =>
    y
      .positional('name', { type: 'string', describe: 'platform to describe' })
      .option('costs', { type: 'boolean', describe: "also list each core's firmware cost table (firmware/costs) with sources" }),
  handler: (args) => {
    const name = args.name as string | undefined;
    if (name === undefined) {
      for (const [name, p] of Object.entries(PLATFORMS)) {
        out(`${chalk.bold(name.padEnd(10))} ${p.hardware.title}${name === DEFAULT_PLATFORM ? chalk.dim(' (default)') : ''}`);
      }
      return;
    }
    // An unknown name is bad input (exit 2), named as the command's argument.
    if (!Object.hasOwn(PLATFORMS, name)) throw new BadInput(`platforms ${JSON.stringify(name)}: unknown platform; known platforms: ${Object.keys(PLATFORMS).join(', ')}`);
    out(describePlatform(name));
    if (args.costs === true) {
      for (const core of loadPlatform(name).cores) {
        const costs = coreCosts(core.type);
        out(`\nFirmware costs of ${core.name} (${core.type}; override with ${core.role}.costs.<path>)`);
        for (const line of costs.describe()) out(`  ${line}`);
      }
    }
  },
};
