// `rpmsg-sim run <scenario…>`: runs scenarios and prints their summaries.

import { extname } from 'node:path';
import type { Argv } from 'yargs';
import { describeRlReturn } from '../../firmware/rpmsg-lite/constants';
import { compileModules, readScenarioFile } from '../../scenario-engine/files';
import { RunInterrupted, type RunSummary, runScenarioAsync } from '../../scenario-engine/run';
import type { Scenario } from '../../scenario-engine/types';
import { withFaultArguments } from '../../scenario-engine/faults';
import { createTraceWriter, formatOf } from '../../sim/trace/writers';
import { gtkwPathOf } from '../../sim/trace/gtkw';
import { ConfigError } from '../../sim/kernel';
import { STDOUT, type TraceWriter, outputPath, writeFileWhole } from '../../sim/trace/output';
import { BadInput, type Command, err, fail, out, reportWritten, settings } from './common';
import { progressLine } from '../progress';
import { moduleFilesOf, reportRunFailure } from './report';
import { formatSummary } from './summary-format';
import chalk from 'chalk';

/** The longest wall-time limit node:vm accepts, in ms (2^32 - 1). */
const MAX_WALL_MS = 2 ** 32 - 1;

export interface RunArgs {
  scenarios: string[];
  json?: boolean;
  /** One file, or several (`--trace a.jsonl --trace b.vcd`: one writer each). */
  trace?: string | string[];
  dumpShmem?: string;
  set?: string[];
  watchdogWall?: number;
}

/** Loads every scenario first (reporting all their errors), or throws BadInput. */
export function loadAll(files: readonly string[], settings: readonly string[]): Scenario[] {
  const scenarios: Scenario[] = [];
  let bad = false;
  for (const file of files) {
    const loaded = readScenarioFile(file, settings);
    if (loaded.scenario === undefined) {
      err(loaded.report);
      bad = true;
    } else {
      scenarios.push(loaded.scenario);
    }
  }
  if (bad) throw new BadInput(`${files.length === 1 ? 'the scenario has' : 'scenarios have'} errors (see above)`);
  return scenarios;
}

/** What --dump-shmem writes, in error messages. */
const SHMEM_DUMP = 'the shared-memory dump';

/** The scenarios with the faults of `--fault` added to each (every argument's errors reported), or throws BadInput. */
export function withFaults(scenarios: readonly Scenario[], texts: readonly string[] | undefined): Scenario[] {
  if (texts === undefined || texts.length === 0) return [...scenarios];
  const out: Scenario[] = [];
  for (const scenario of scenarios) {
    const added = withFaultArguments(scenario, texts);
    if (added.scenario === undefined) {
      err(added.report);
      throw new BadInput('--fault has errors (see above)');
    }
    out.push(added.scenario);
  }
  return out;
}

/** Runs one scenario with the CLI's outputs; the writers are closed, or aborted on failure. */
export async function runWithOutputs(scenario: Scenario, args: { trace?: string | string[]; dumpShmem?: string; color?: boolean; watchdogWall?: number }): Promise<RunSummary> {
  const modules = await compileModules(scenario, args.watchdogWall === undefined ? {} : { loadWallMs: Math.round(args.watchdogWall * 1000) });
  const writers: TraceWriter[] = [];
  const dumpName = (label: string) => {
    const file = args.dumpShmem!;
    if (label === 'end') return file;
    const ext = extname(file);
    return `${file.slice(0, file.length - ext.length)}-${label}${ext}`;
  };
  // A dump that cannot be written is refused before the run, not after it (its folder is
  // checked when the first dump is written: a mark step may come early).
  if (args.dumpShmem !== undefined) outputPath(args.dumpShmem, SHMEM_DUMP);
  // On a terminal, a run longer than a second shows how far it is (bin/progress.ts); erased
  // before anything else is printed. Not while a trace streams to the same terminal (--trace -):
  // the two would cut into each other's lines.
  const streaming = [args.trace ?? []].flat().includes(STDOUT) && process.stdout.isTTY === true;
  const progress = progressLine({ label: scenario.name, quiet: settings.quiet || streaming });
  try {
    // (awaited: a run that ends asynchronously fails here too, and its writers are aborted)
    const summary = await runScenarioAsync(scenario, {
      modules,
      ...(args.watchdogWall !== undefined && { watchdog: { wallMs: Math.round(args.watchdogWall * 1000) } }),
      onProgress: progress.update,
      sinks: (header, memory) => {
        for (const file of [args.trace ?? []].flat()) writers.push(createTraceWriter(file, header, { color: args.color ?? chalk.level > 0, describeReturn: describeRlReturn, memory }));
        return writers;
      },
      ...(args.dumpShmem !== undefined && {
        onMark: (label: string, _tick: number, bytes: Uint8Array) => {
          writeFileWhole(dumpName(label), bytes, SHMEM_DUMP);
          reportWritten(dumpName(label));
        },
      }),
    });
    progress.end();
    for (const file of [args.trace ?? []].flat()) {
      reportWritten(file);
      // (a VCD's GTKWave save file, written beside it: sim/trace/writers.ts)
      if (file !== STDOUT && formatOf(file) === 'vcd') reportWritten(gtkwPathOf(file));
    }
    return summary;
  } catch (error) {
    progress.end();
    for (const w of writers) w.abort();
    throw error;
  }
}

export const runCommand: Command = {
  command: 'run <scenarios..>',
  describe: 'Run scenario files and print their summaries (latency, throughput, utilisation, codes)',
  builder: (y: Argv) =>
    y
      .positional('scenarios', { type: 'string', array: true, describe: 'scenario files (YAML)' })
      .option('json', { type: 'boolean', describe: 'print the summary as JSON' })
      .option('trace', { type: 'string', describe: 'write the trace: .jsonl canonical, .vcd waveform, .json Chrome/Perfetto, .txt or - text (repeat for several formats)' })
      .option('dump-shmem', { type: 'string', describe: 'write the shared-memory bytes at the end (and FILE-<label> at mark steps)' })
      .option('set', { type: 'string', array: true, describe: 'override a scenario value: path=value (e.g. master.params.count=10, overrides.clocks.cm4=200MHz, master.costs.rl.sendMaster=180)' })
      .option('fault', { type: 'string', array: true, describe: "inject a fault, as one item of faults: (repeatable), e.g. '{kind: drop-doorbell, to: remote, on: {doorbell: 2}}'" })
      .option('watchdog-wall', {
        type: 'number',
        describe: 'end a run whose firmware runs this many seconds of wall time without returning to the simulation (an endless loop); 0: never (default 10)',
      }),
  handler: async (raw) => {
    const args = raw as unknown as RunArgs & { color?: boolean; fault?: string[] };
    // node:vm takes a whole number of ms from 1 to 2^32 - 1: fractions are rounded up.
    if (args.watchdogWall !== undefined && !(Number.isFinite(args.watchdogWall) && args.watchdogWall >= 0 && args.watchdogWall * 1000 <= MAX_WALL_MS)) {
      throw new BadInput(`--watchdog-wall: expected a number of seconds from 0 to ${MAX_WALL_MS / 1000}, got ${String(args.watchdogWall)}`);
    }
    if (args.watchdogWall !== undefined) args.watchdogWall = Math.ceil(args.watchdogWall * 1000) / 1000;
    if ((args.trace !== undefined || args.dumpShmem !== undefined) && args.scenarios.length > 1) {
      throw new BadInput('--trace and --dump-shmem take one scenario at a time');
    }
    // A trace of no known format is refused before anything runs, naming the option.
    for (const file of [args.trace ?? []].flat()) {
      try {
        formatOf(file);
      } catch (error) {
        if (error instanceof ConfigError) throw new BadInput(`--trace ${file}: ${error.message}`);
        throw error;
      }
    }
    const scenarios = withFaults(loadAll(args.scenarios, args.set ?? []), args.fault);
    const summaries: RunSummary[] = [];
    for (const scenario of scenarios) {
      let summary: RunSummary;
      try {
        summary = await runWithOutputs(scenario, args);
      } catch (error) {
        // Ctrl-C stopped the simulation (its outputs are removed): bin/cli.ts says so and ends (130).
        if (error instanceof RunInterrupted) throw error;
        reportRunFailure(error, scenario.file, moduleFilesOf(scenario));
        continue;
      }
      summaries.push(summary);
      if (!summary.ok) fail(1);
      if (summary.watchdog !== undefined) err(`rpmsg-sim: the watchdog ended the run of ${scenario.file}: ${summary.watchdog}`);
      if (!args.json) out(formatSummary(summary));
    }
    if (args.json) out(JSON.stringify(summaries.length === 1 ? summaries[0] : summaries, null, 2));
  },
};
