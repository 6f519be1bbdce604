// `rpmsg-sim view <scenario> -o run.html`: runs a scenario and writes one self-contained
// HTML page that replays it (teach/view/, docs/view.md).

import type { Argv } from 'yargs';
import { compileModules } from '../../scenario-engine/files';
import { parseDuration } from '../../scenario-engine/units';
import { DEFAULT_MAX_RECORDS, MAX_RECORDS, collectView, renderHtml } from '../../teach/view/build';
import { outputPath, writeFileWhole } from '../../sim/trace/output';
import { LayoutInferenceError } from '../../teach/fields';
import { formatNs } from '../../sim/text/quantity';
import { BadInput, type Command, fail, reportWritten } from './common';
import { moduleFilesOf, reportRunFailure } from './report';
import { loadAll } from './run';

export interface ViewArgs {
  scenario: string;
  output: string;
  records?: string;
  from?: string;
  message?: string;
  set?: string[];
}

/** `--message m2r#3` as a direction and number. */
export function parseMessage(text: string): { dir: 'm2r' | 'r2m'; msg: number } {
  const m = /^(m2r|r2m)#(\d+)$/.exec(text.trim());
  if (m === null) throw new BadInput(`--message: expected a message like m2r#3 or r2m#0, got "${text}"`);
  return { dir: m[1] as 'm2r' | 'r2m', msg: Number(m[2]) };
}

export const viewCommand: Command = {
  command: 'view <scenario>',
  describe: 'Run a scenario and write a self-contained HTML page that replays it (cores, mailbox, vrings, messages)',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', describe: 'scenario file (YAML)' })
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'the HTML file to write' })
      .option('records', { type: 'string', describe: `records to embed (default ${DEFAULT_MAX_RECORDS}, at most ${MAX_RECORDS})` })
      .option('from', { type: 'string', describe: 'the window starts at this simulated time (e.g. 1500us, 2ms)' })
      .option('message', { type: 'string', describe: 'the window starts at this message\'s enqueue (e.g. m2r#100)' })
      .option('set', { type: 'string', array: true, describe: 'override a scenario value: path=value (as for run)' }),
  handler: async (raw) => {
    const args = raw as unknown as ViewArgs;
    const records = args.records === undefined ? DEFAULT_MAX_RECORDS : /^\s*\d+\s*$/.test(args.records) ? Number(args.records) : NaN;
    if (!Number.isInteger(records) || records < 1 || records > MAX_RECORDS) {
      throw new BadInput(`--records: expected a whole number from 1 to ${MAX_RECORDS}, got ${args.records}`);
    }
    if (args.from !== undefined && args.message !== undefined) throw new BadInput('--from and --message both choose where the window starts: give one');
    let fromNs: number | undefined;
    if (args.from !== undefined) {
      const d = parseDuration(args.from);
      if (!d.ok || !('ns' in d.value)) throw new BadInput(`--from: expected a time like 1500us or 2ms, got "${args.from}"`);
      fromNs = d.value.ns;
    }
    const message = args.message === undefined ? undefined : parseMessage(args.message);
    if (args.output === '' || args.output === '-') throw new BadInput('--output: give an HTML file to write');
    const [scenario] = loadAll([args.scenario], args.set ?? []);
    // A page that cannot be written is refused before the run, not after it.
    outputPath(args.output, 'the page');
    try {
      const modules = await compileModules(scenario!);
      const data = collectView(scenario!, {
        maxRecords: records,
        ...(fromNs !== undefined && { fromNs }),
        ...(message !== undefined && { message }),
        modules,
      });
      if (message !== undefined && data.records.length === 0) throw new BadInput(`--message: ${args.message} is never enqueued in this run`);
      if (fromNs !== undefined && data.records.length === 0) throw new BadInput(`--from: the run has no record at or after ${args.from} (it ends at ${formatNs(data.run.simulatedNs)})`);
      writeFileWhole(args.output, renderHtml(data), 'the page');
      reportWritten(args.output);
      // the page is written either way (it shows what happened); a failed expectation fails the command, as `run`
      if (!data.run.ok) fail(1);
    } catch (error) {
      if (error instanceof LayoutInferenceError) throw new BadInput(`${args.scenario}: ${error.message}`);
      reportRunFailure(error, scenario!.file, moduleFilesOf(scenario!));
    }
  },
};
