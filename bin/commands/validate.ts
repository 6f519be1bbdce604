// `rpmsg-sim validate <scenario…>`: checks scenario files and reports every error with its
// file, line and column: what the loader refuses, what a run would refuse of the system the
// scenario builds (scenario-engine/feasibility.ts, called by the loader), and firmware
// modules, compiled and loaded as `run` does (their imports run, their exports checked).

import chalk from 'chalk';
import type { Argv } from 'yargs';
import { ModuleError, compileModules, readScenarioFile } from '../../scenario-engine/files';
import { type Command, err, fail, out } from './common';

export const validateCommand: Command = {
  command: 'validate <scenarios..>',
  describe: 'Check scenario files: every error with its file, line and column',
  builder: (y: Argv) =>
    y
      .positional('scenarios', { type: 'string', array: true, describe: 'scenario files (YAML)' })
      .option('set', { type: 'string', array: true, describe: 'apply path=value settings before checking' }),
  handler: async (args) => {
    for (const file of args.scenarios as string[]) {
      const loaded = readScenarioFile(file, (args.set as string[] | undefined) ?? []);
      if (loaded.scenario === undefined) {
        err(loaded.report);
        fail(2);
        continue;
      }
      try {
        await compileModules(loaded.scenario);
      } catch (error) {
        if (!(error instanceof ModuleError)) throw error;
        err(error.message); // located at the scenario's module: or export: (files.ts)
        fail(2);
        continue;
      }
      out(`${chalk.green('ok')} ${file}`);
    }
  },
};
