// `rpmsg-sim validate <scenario…>`: checks scenario files and reports every error with its
// file, line and column.

import chalk from 'chalk';
import type { Argv } from 'yargs';
import { readScenarioFile } from '../../scenario-engine/files';
import { type Command, err, fail, out } from './common';

export const validateCommand: Command = {
  command: 'validate <scenarios..>',
  describe: 'Check scenario files: every error with its file, line and column',
  builder: (y: Argv) =>
    y
      .positional('scenarios', { type: 'string', array: true, describe: 'scenario files (YAML)' })
      .option('set', { type: 'string', array: true, describe: 'apply path=value settings before checking' }),
  handler: (args) => {
    for (const file of args.scenarios as string[]) {
      const loaded = readScenarioFile(file, (args.set as string[] | undefined) ?? []);
      if (loaded.scenario === undefined) {
        err(loaded.report);
        fail(2);
      } else {
        out(`${chalk.green('ok')} ${file}`);
      }
    }
  },
};
