// `rpmsg-sim diff <a.jsonl> <b.jsonl>`: equal or not, the first divergence in words, and the
// change of each summary metric. Exit 0 when equal, 1 when they differ, 2 when a file cannot be
// read or is not a canonical trace (the message names the file, the line and the column).

import chalk from 'chalk';
import type { Argv } from 'yargs';
import { type ParsedTrace, compareParsed, readTraceFile, traceErrorText } from '../../scenario-engine/compare';
import { InputFileError } from '../../scenario-engine/files';
import { TraceReadError } from '../../sim/trace/jsonl';
import { BadInput, type Command, fail, out } from './common';

/** One trace of the two, or BadInput naming the file, the line and the column. */
function read(file: string): ParsedTrace {
  try {
    return readTraceFile(file, 'trace');
  } catch (error) {
    if (error instanceof InputFileError) throw new BadInput(error.message);
    if (error instanceof TraceReadError) {
      const hint = error.line === 1 ? ' (diff compares canonical traces: the .jsonl files of rpmsg-sim run --trace)' : '';
      throw new BadInput(`${traceErrorText(file, error)}${hint}`);
    }
    throw error;
  }
}

export const diffCommand: Command = {
  command: 'diff <a> <b>',
  describe: 'Compare two canonical traces (.jsonl): the first divergence and the change of each summary metric. Exit 0 when equal, 1 when they differ, 2 when a file cannot be read or is not a canonical trace (file:line:column)',
  builder: (y: Argv) => y.positional('a', { type: 'string' }).positional('b', { type: 'string' }),
  handler: (args) => {
    const a = args.a as string;
    const b = args.b as string;
    const result = compareParsed(read(a), read(b));
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
