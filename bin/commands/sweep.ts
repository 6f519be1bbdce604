// `rpmsg-sim sweep SCENARIO`: runs a scenario over a grid of platforms, payload sizes, buffer
// counts, environments and any `--set` path, on all cores (worker threads), and writes the
// results (results.csv, results.json) and SVG charts into a folder; `--shard i/n` runs one
// part of the grid and `--merge` joins the parts' results.json into the whole grid's
// outputs, byte for byte (docs/sweep.md). The engine is scenario-engine/sweep/.

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { axesOf, parseShard, pointCount } from '../../scenario-engine/sweep/grid';
import { type SweepResults, mergeResults, parseResults, resultsCharts, resultsCsv, resultsJson } from '../../scenario-engine/sweep/results';
import { runSweep } from '../../scenario-engine/sweep/sweep';
import { sweepWorkers } from '../../scenario-engine/sweep/workers';
import { readScenarioFile } from '../../scenario-engine/files';
import { FileOutput, closeTogether, outputFailure } from '../../sim/trace/output';
import { formatWall, statusLine } from '../progress';
import { BadInput, type Command, err, fail, out, reportWritten, settings } from './common';

interface SweepArgs {
  scenario?: string;
  platform?: string;
  size?: string;
  buffers?: string;
  env?: string;
  set?: string[];
  jobs?: number;
  shard?: string;
  merge?: string[];
  out?: string;
  histogramPoint?: number;
}

/** Every chart a sweep may write (one not written this time is removed, so none is left from an earlier grid). */
const CHART_FILES = ['latency-vs-size.svg', 'throughput-vs-buffers.svg', 'latency-histogram.svg', 'latency-cdf.svg'];

/** The sweep's line on a terminal (bin/progress.ts statusLine): points done of all, the wall time so far and the time left at this pace. */
function progress(): { update: (done: number, total: number) => void; end: () => void } {
  const line = statusLine({ quiet: settings.quiet });
  return {
    update: (done, total) =>
      line.show((wallMs: number) => `sweep: ${done}/${total} points, ${formatWall(wallMs)} wall${done === 0 || done === total ? '' : `, ETA ${formatWall((wallMs / done) * (total - done))}`}`),
    end: () => line.end(),
  };
}

/** Writes the outputs into `dir` as one (every file, or none: closeTogether) and prints a `wrote` line for each. */
function writeOutputs(dir: string, results: SweepResults): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw outputFailure(`cannot create the output folder "${dir}"`, error);
  }
  const files: { file: string; text: string; what: string }[] = [
    { file: 'results.csv', text: resultsCsv(results), what: 'the sweep results (CSV)' },
    { file: 'results.json', text: resultsJson(results), what: 'the sweep results (JSON)' },
    // a shard's charts would show a part of the grid: they are drawn from the merge
    ...(results.shard === null ? resultsCharts(results).map((c) => ({ file: c.file, text: c.svg, what: `the chart ${c.file}` })) : []),
  ];
  const outputs: FileOutput[] = [];
  try {
    for (const f of files) {
      const o = new FileOutput(join(dir, f.file), { what: f.what });
      outputs.push(o);
      o.write(f.text);
    }
  } catch (error) {
    for (const o of outputs) o.abort();
    throw error;
  }
  closeTogether(outputs);
  // charts of an earlier sweep into the same folder that this one does not draw
  for (const stale of CHART_FILES.filter((c) => !files.some((f) => f.file === c))) rmSync(join(dir, stale), { force: true });
  for (const f of files) reportWritten(join(dir, f.file));
}

export const sweepCommand: Command = {
  command: 'sweep [scenario]',
  describe: 'Run a scenario over a grid (platforms × sizes × buffers × environments × --set values) on all cores; write CSV, JSON and SVG charts',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', describe: 'the scenario file (YAML)' })
      .option('platform', { type: 'string', describe: 'platforms, comma-separated (the `platform` of each point)' })
      .option('size', { type: 'string', describe: 'payload sizes in bytes, comma-separated (master.params.payload-size: the ping-pong and flood apps)' })
      .option('buffers', { type: 'string', describe: 'buffer counts per direction, comma-separated (rpmsg.buffer-count)' })
      .option('env', { type: 'string', describe: 'environments of both cores, comma-separated: bm (bare-metal), rtos, zephyr' })
      .option('set', { type: 'string', array: true, describe: 'another axis: path=v1,v2,… (any path run --set takes, e.g. master.params.count=5,10)' })
      .option('jobs', { alias: 'j', type: 'number', describe: 'worker threads (default: the cores available, os.availableParallelism())' })
      .option('shard', { type: 'string', describe: 'run shard i of n: the points whose index % n is i - 1 (needs --out; join the shards with --merge)' })
      .option('merge', { type: 'string', array: true, describe: "join shards' results.json files into the whole grid's outputs (with --out, without a scenario)" })
      .option('out', { alias: 'o', type: 'string', describe: 'the folder to write results.csv, results.json and the charts into (default: the CSV on standard output)' })
      .option('histogram-point', { type: 'number', describe: 'the point whose latency histogram and CDF are drawn (default 0, the first)' })
      .example('$0 sweep scenarios/ping-pong.yaml --platform imxrt1170,lpc55s69 --size 16,64,256 -o sweep-out', 'latency by platform and payload size')
      .example('$0 sweep s.yaml --buffers 2,4,8 --env bm,rtos --shard 1/2 -o part1', 'one half of a grid (a CI job)')
      .example('$0 sweep --merge part1/results.json part2/results.json -o all', 'join the halves'),
  handler: async (raw) => {
    const args = raw as unknown as SweepArgs;
    const axisGiven = [args.platform, args.size, args.buffers, args.env].some((v) => v !== undefined) || (args.set ?? []).length > 0;
    if (args.merge !== undefined) {
      if (args.scenario !== undefined || axisGiven || args.shard !== undefined) throw new BadInput('--merge takes results.json files only: no scenario, axis or --shard with it');
      if (args.out === undefined) throw new BadInput('--merge needs --out DIR, the folder to write the merged results into');
      const parts = args.merge.map((file) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          throw new BadInput(`--merge: cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
        }
        return { file, results: parseResults(file, text) };
      });
      const merged = mergeResults(parts);
      writeOutputs(args.out, merged);
      if (merged.rows.some((r) => r.status === 'error')) fail(1);
      return;
    }
    if (args.scenario === undefined) throw new BadInput('sweep needs a scenario file (or --merge FILES)');
    if (args.jobs !== undefined && !(Number.isSafeInteger(args.jobs) && args.jobs >= 1)) throw new BadInput(`--jobs ${String(args.jobs)}: expected a whole number of worker threads, at least 1`);
    if (args.histogramPoint !== undefined && !Number.isSafeInteger(args.histogramPoint)) throw new BadInput(`--histogram-point ${String(args.histogramPoint)}: expected a point index (a whole number from 0)`);
    const shard = args.shard === undefined ? null : parseShard(args.shard);
    if (shard !== null && args.out === undefined) throw new BadInput('--shard needs --out DIR: a shard writes its results.json there, for --merge');
    const axes = axesOf({ ...(args.platform !== undefined && { platform: args.platform }), ...(args.size !== undefined && { size: args.size }), ...(args.buffers !== undefined && { buffers: args.buffers }), ...(args.env !== undefined && { env: args.env }), set: args.set ?? [] });
    // The scenario itself must be valid; a point the grid makes invalid is a row with its error.
    const base = readScenarioFile(args.scenario);
    if (base.scenario === undefined) {
      err(base.report);
      throw new BadInput('the scenario has errors (see above)');
    }
    const jobs = Math.min(args.jobs ?? availableParallelism(), pointCount(axes));
    const bar = progress();
    let results: SweepResults;
    try {
      results = await runSweep({
        file: args.scenario,
        axes,
        shard,
        ...(args.histogramPoint !== undefined && { histogramPoint: args.histogramPoint }),
        jobs,
        ...(jobs > 1 && { workers: sweepWorkers() }),
        onProgress: bar.update,
      });
    } finally {
      bar.end();
    }
    if (args.out === undefined) out(resultsCsv(results));
    else writeOutputs(args.out, results);
    const failed = results.rows.filter((r) => r.status === 'error');
    if (failed.length > 0) {
      err(`rpmsg-sim: ${failed.length} of ${results.rows.length} points could not run (points ${failed.map((r) => r.point).join(', ')}; their rows say why)`);
      fail(1);
    }
  },
};
