// `rpmsg-sim diff <a.jsonl> <b.jsonl>`: equal or not, the first divergence in words, and the
// change of each summary metric. Exit 0 when equal, 1 when they differ, 2 on unreadable input.

import { readFileSync } from 'node:fs';
import chalk from 'chalk';
import type { Argv } from 'yargs';
import { compareTraces } from '../../scenario-engine/compare';
import { TraceReadError } from '../../sim/trace/jsonl';
import { TraceHeaderError } from '../../sim/trace/header';
import { BadInput, type Command, fail, out } from './common';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new BadInput(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

export const diffCommand: Command = {
  command: 'diff <a> <b>',
  describe: 'Compare two canonical traces (.jsonl): the first divergence and the change of each summary metric',
  builder: (y: Argv) => y.positional('a', { type: 'string' }).positional('b', { type: 'string' }),
  handler: (args) => {
    const a = args.a as string;
    const b = args.b as string;
    let result;
    try {
      result = compareTraces(read(a), read(b));
    } catch (error) {
      if (error instanceof TraceReadError || error instanceof TraceHeaderError) throw new BadInput(`${error.message}`);
      throw error;
    }
    if (result.equal) {
      out(`${chalk.green('equal')}: ${a} and ${b} are the same trace`);
      return;
    }
    fail(1);
    out(`${chalk.red('different')}: ${result.firstDivergence}`);
    if (result.metricChanges.length > 0) {
      out('summary metrics:');
      for (const c of result.metricChanges) out(`  ${c.metric}: ${c.a} → ${c.b}`);
    }
  },
};
