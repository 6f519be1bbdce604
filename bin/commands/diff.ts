// `rpmsg-sim diff <a> <b>`: two traces of one format, told from their contents (diff-formats.ts).
// Two canonical traces (.jsonl): equal or not, the first divergence in words, and the change of
// each summary metric. Two VCD files: equal or not by signal and value in time, the first
// difference with its time and signal. Exit 0 when equal, 1 when they differ, 2 when a file
// cannot be read, is not a trace (the message names the file, the line and the column), is of
// a format diff does not compare, or the two are of different formats (one line saying what it
// got and what it takes).

import chalk from 'chalk';
import type { Argv } from 'yargs';
import { MAX_TRACE_BYTES, type ParsedTrace, compareParsed, traceErrorText } from '../../scenario-engine/compare';
import { InputFileError, readInputBytes } from '../../scenario-engine/files';
import { TraceReadError, readJsonl } from '../../sim/trace/jsonl';
import { BadInput, type Command, fail, out } from './common';
import { ACCEPTED, type Sniffed, VcdReadError, compareVcd, mismatchText, readVcd, sniffFormat, unsupportedText } from './diff-formats';

/** One file's bytes and format, or BadInput. */
function load(file: string): { bytes: Buffer; sniffed: Sniffed } {
  let bytes: Buffer;
  try {
    bytes = readInputBytes(file, 'trace', MAX_TRACE_BYTES);
  } catch (error) {
    if (error instanceof InputFileError) throw new BadInput(error.message);
    throw error;
  }
  return { bytes, sniffed: sniffFormat(bytes) };
}

/** A canonical trace, or BadInput naming the file, the line and the column. */
function jsonl(file: string, bytes: Buffer): ParsedTrace {
  try {
    return readJsonl(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof TraceReadError) {
      const hint = error.line === 1 ? ` (${ACCEPTED})` : '';
      throw new BadInput(`${traceErrorText(file, error)}${hint}`);
    }
    throw error;
  }
}

/** A VcdReadError as BadInput naming the file, the line and the column. */
function vcdFailure(error: unknown): unknown {
  return error instanceof VcdReadError ? new BadInput(`${error.file}:${error.line}:${error.column}: ${error.problem}`) : error;
}

export const diffCommand: Command = {
  command: 'diff <a> <b>',
  describe:
    'Compare two traces of one format: two canonical traces (.jsonl: the first divergence and the change of each summary metric) ' +
    'or two VCD files (.vcd: the first value that differs, with its time and signal). The format is told from the contents. ' +
    'Exit 0 when equal, 1 when they differ, 2 when a file cannot be read, is of another format or the two formats differ (file:line:column)',
  builder: (y: Argv) => y.positional('a', { type: 'string' }).positional('b', { type: 'string' }),
  handler: (args) => {
    const a = args.a as string;
    const b = args.b as string;
    const fa = load(a);
    const fb = load(b);
    for (const [file, f] of [[a, fa], [b, fb]] as const) {
      if (f.sniffed.format !== 'jsonl' && f.sniffed.format !== 'vcd') throw new BadInput(unsupportedText(file, f.sniffed));
    }
    if (fa.sniffed.format !== fb.sniffed.format) throw new BadInput(mismatchText(a, fa.sniffed, b, fb.sniffed));
    if (fa.sniffed.format === 'vcd') {
      let result: ReturnType<typeof compareVcd>;
      try {
        // the declarations are read here, the value changes as the comparison walks them
        result = compareVcd(a, readVcd(fa.bytes.toString('utf8'), a), b, readVcd(fb.bytes.toString('utf8'), b));
      } catch (error) {
        throw vcdFailure(error);
      }
      const [verdict, ...rest] = result.lines;
      if (result.equal) out(verdict!.replace(/^equal/, chalk.green('equal')));
      else {
        fail(1);
        out(verdict!.replace(/^different/, chalk.red('different')));
      }
      for (const line of rest) out(line);
      return;
    }
    const result = compareParsed(jsonl(a, fa.bytes), jsonl(b, fb.bytes));
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
