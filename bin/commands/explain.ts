// `rpmsg-sim explain <scenario>`: runs a scenario and prints a step-by-step narrative for a
// student (teach/explain.ts): each rpmsg-lite function and handler with every shared-memory
// and mailbox access named, its value and why, the ring state and cycles after each phase.

import { formatNs } from '../../sim/text/quantity';
import chalk from 'chalk';
import type { Argv } from 'yargs';
import { describeRlReturn } from '../../firmware/rpmsg-lite/constants';
import { compileModules } from '../../scenario-engine/files';
import { parseDuration } from '../../scenario-engine/units';
import type { TraceHeader } from '../../sim/trace/header';
import { type MessageId, explain, messagesOf, parseMessageId } from '../../teach/explain';
import { runForExplain } from '../../teach/explain-run';
import { BadInput, type Command, fail, out } from './common';
import { moduleFilesOf, reportRunFailure } from './report';
import { loadAll } from './run';

export interface ExplainArgs {
  scenario: string;
  from?: string;
  to?: string;
  message?: string;
  set?: string[];
  color?: boolean;
}

/** A --from/--to time in ticks of the run: a duration (10us, 2ms, 500 cycles@cm4). */
export function timeOption(flag: string, text: string, header: TraceHeader): number {
  const parsed = parseDuration(text, header.cores[0]?.name);
  if (!parsed.ok) throw new BadInput(`${flag}: ${parsed.message}${parsed.note === undefined ? '' : ` (${parsed.note})`}`);
  const d = parsed.value;
  if ('ns' in d) return Number((BigInt(d.ns) * BigInt(header.tickHz)) / 1_000_000_000n);
  const core = header.cores.find((c) => c.name === d.core);
  if (core === undefined) throw new BadInput(`${flag}: no core "${d.core}" on ${header.platform} (cores: ${header.cores.map((c) => c.name).join(', ')})`);
  return d.cycles * core.periodTicks;
}

export const explainCommand: Command = {
  command: 'explain <scenario>',
  describe: 'Run a scenario and explain it step by step: every shared-memory and mailbox access named, the rings after each phase',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', describe: 'scenario file (YAML)' })
      .option('from', { type: 'string', describe: 'start at this simulated time (10us, 2ms, 500 cycles@cm4)' })
      .option('to', { type: 'string', describe: 'stop at this simulated time' })
      .option('message', { type: 'string', describe: 'follow one message end to end: m2r#0, r2m#1, or its number in the run' })
      .option('set', { type: 'string', array: true, describe: 'override a scenario value: path=value' }),
  handler: async (raw) => {
    const args = raw as unknown as ExplainArgs;
    const [scenario] = loadAll([args.scenario], args.set ?? []);
    let run;
    try {
      // --to bounds what is kept in memory (checked again against the header below).
      const until = args.to === undefined ? undefined : (header: TraceHeader) => timeOption('--to', args.to!, header);
      run = runForExplain(scenario!, await compileModules(scenario!), until === undefined ? {} : { until });
    } catch (error) {
      // As `run` reports them: the user's input exit 2, the firmware's fault or a failed simulation exit 1.
      reportRunFailure(error, scenario!.file, moduleFilesOf(scenario!));
      return;
    }
    let message: MessageId | undefined;
    if (args.message !== undefined) {
      const id = parseMessageId(args.message, messagesOf(run.records));
      if (typeof id === 'string') throw new BadInput(id);
      message = id;
    }
    const from = args.from === undefined ? undefined : timeOption('--from', args.from, run.header);
    const to = args.to === undefined ? undefined : timeOption('--to', args.to, run.header);
    if (from !== undefined && to !== undefined && to < from) throw new BadInput(`--to ${args.to} is before --from ${args.from}`);
    if (from !== undefined && !run.records.some((r) => r.t >= from)) {
      throw new BadInput(`--from: the run has no record at or after ${args.from} (its last is at ${formatNs(run.records.length === 0 ? 0 : (run.records[run.records.length - 1]!.t / run.header.tickHz) * 1e9)})`);
    }
    out(
      explain(run, {
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
        ...(message !== undefined && { message }),
        color: args.color ?? chalk.level > 0,
        describeReturn: describeRlReturn,
      }).replace(/\n$/, ''),
    );
    if (!run.ok) fail(1);
  },
};
