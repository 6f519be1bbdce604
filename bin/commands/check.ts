// `rpmsg-sim check <scenario…>`: runs each scenario and compares its canonical trace and
// summary with the golden files beside it (golden/<name>.jsonl, golden/<name>.summary.json);
// `--update` rewrites them; `--junit FILE` writes a JUnit XML report for CI systems (junit.ts),
// also when a scenario is bad input: that scenario is an error case, the others still run, and
// the exit code is 2. A golden
// file that is broken (empty, truncated, not JSON, not a trace or a summary) fails its case
// (exit 1) with its file:line:column and the --update command: the golden is wrong, not the input.

import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import chalk from 'chalk';
import type { Argv } from 'yargs';
import { goldenDifferences, goldenPaths, summaryJson, traceAndSummary } from '../../scenario-engine/golden';
import type { Scenario } from '../../scenario-engine/types';
import { BadInput, type Command, EXIT_IO, err, fail, userFailure, out, reportWritten, settings } from './common';
import { formatWall, statusLine } from '../progress';
import { FileOutput, closeTogether, outputFailure, outputPath, writeFileWhole } from '../../sim/trace/output';
import { type JUnitCase, junitReport } from './junit';
import { failedProcess, moduleFilesOf } from './report';
import { withFaults } from './run';
import { RunInterrupted } from '../../scenario-engine/run';
import { MAX_SCENARIO_BYTES, readInputText, readScenarioFile } from '../../scenario-engine/files';
import { parseDocument } from 'yaml';

/** What --junit writes, in error messages. */
const JUNIT = 'the JUnit report';

interface CaseResult {
  name: string;
  file: string;
  seconds: number;
  failures: string[];
  /** The kind of the first failure, for the JUnit report. */
  failureType?: string;
  /** Bad input (exit 2): the scenario could not be loaded or run; the located report. */
  badInput?: string;
  /** Not run, and why. */
  skipped?: string;
  /** A bug of rpmsg-sim ended the case (exit 70): its message, for the JUnit report. */
  internal?: string;
  updated: boolean;
}

/** One scenario file as given: loaded, or its errors (file:line:column) with the wall time it took. */
interface Loaded {
  file: string;
  scenario?: Scenario;
  report: string;
  seconds: number;
}

/** Each file loaded on its own: a bad one does not keep the others from running. */
function loadEach(files: readonly string[]): Loaded[] {
  return files.map((file) => {
    const started = process.hrtime.bigint();
    const loaded = readScenarioFile(file, []);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return loaded.scenario === undefined ? { file, report: loaded.report, seconds } : { file, scenario: loaded.scenario, report: '', seconds };
  });
}

async function checkOne(scenario: Scenario, update: boolean): Promise<CaseResult> {
  // Wall time for the JUnit report only; it never reaches a trace or a golden file.
  const started = process.hrtime.bigint();
  const result: CaseResult = { name: scenario.name, file: scenario.file, seconds: 0, failures: [], updated: false };
  let run: Awaited<ReturnType<typeof traceAndSummary>>;
  try {
    run = await traceAndSummary(scenario);
  } catch (error) {
    // Firmware that misuses the library, or a module's own error, fails its case (and the
    // report records it); a JavaScript error inside rpmsg-sim's models is an internal error.
    const user = userFailure(error);
    if (user?.exit === 2) {
      // Bad input found while running (a module that does not compile, a platform value out
      // of range): an error case of its own; the other scenarios still run.
      result.badInput = user.text;
      result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
      return result;
    }
    if (user?.exit === EXIT_IO) throw error;
    const failed = user === undefined ? failedProcess(error, scenario.file, moduleFilesOf(scenario)) : undefined;
    if (user === undefined && failed?.module === undefined) throw failed?.internal ?? error;
    result.failures.push(user?.text ?? `firmware module error: ${failed!.module!}`);
    result.failureType = 'firmware';
    result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return result;
  }
  const { trace, summary } = run;
  const golden = goldenPaths(scenario);
  const summaryText = summaryJson(summary);
  if (!summary.ok) {
    if (summary.watchdog !== undefined) result.failures.push(`the watchdog ended the run: ${summary.watchdog}`);
    for (const e of summary.expectations.filter((x) => !x.ok)) result.failures.push(`expectation failed: ${e.what}: expected ${e.expected}, got ${e.actual}`);
    if (result.failures.length > 0) result.failureType = summary.watchdog !== undefined ? 'watchdog' : 'expectation';
  }
  if (update) {
    writeGoldens(golden, trace, summaryText);
    result.updated = true;
  } else {
    const differences = goldenDifferences(scenario, trace, summary);
    if (differences.length > 0) result.failureType ??= 'golden';
    result.failures.push(...differences);
  }
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return result;
}

/** A scenario's two golden files, written as one: both are replaced, or neither is written (closeTogether). */
function writeGoldens(golden: { trace: string; summary: string }, trace: string, summary: string): void {
  const folder = dirname(golden.trace);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw outputFailure(`cannot create the golden folder "${folder}"`, error);
  }
  const outputs: FileOutput[] = [];
  try {
    outputs.push(new FileOutput(golden.trace, { what: 'the golden trace' }));
    outputs.push(new FileOutput(golden.summary, { what: 'the golden summary' }));
    outputs[0]!.write(trace);
    outputs[1]!.write(summary);
  } catch (error) {
    for (const o of outputs) o.abort();
    throw error;
  }
  closeTogether(outputs);
  reportWritten(golden.trace);
  reportWritten(golden.summary);
}

/** A case as the JUnit report shows it (bin/commands/junit.ts). */
function junitCase(r: CaseResult): JUnitCase {
  const c: JUnitCase = { name: r.name, classname: basename(dirname(resolve(r.file))) || 'scenarios', seconds: r.seconds };
  const firstLine = (text: string) => text.split('\n').find((l) => l.trim() !== '') ?? text;
  if (r.badInput !== undefined) c.error = { type: 'bad-input', message: firstLine(r.badInput), text: r.badInput.replace(/\n$/, '') };
  else if (r.internal !== undefined) c.error = { type: 'internal', message: firstLine(r.internal), text: r.internal };
  else if (r.skipped !== undefined) c.skipped = r.skipped;
  else if (r.failures.length > 0) c.failure = { type: r.failureType ?? 'failure', message: firstLine(r.failures[0]!), text: r.failures.join('\n') };
  return c;
}

/**
 * The name a scenario that could not be loaded is reported under, the one it has when it
 * loads (so a CI history follows the case through a breakage): its top-level `name:` when the
 * file still parses that far, else its file name without .yaml (as load.ts names a scenario
 * without `name:`).
 */
function nameOfFile(file: string): string {
  try {
    const name: unknown = parseDocument(readInputText(file, 'scenario file', MAX_SCENARIO_BYTES), { uniqueKeys: false }).get('name');
    if (typeof name === 'string' && name.trim() !== '') return name;
  } catch {
    // unreadable, or not YAML: the file name
  }
  return basename(file).replace(/\.ya?ml$/i, '') || file;
}

export const checkCommand: Command = {
  command: 'check <scenarios..>',
  describe:
    'Run scenarios and compare their traces and summaries with the golden files (golden/ beside each scenario). ' +
    'Exit 0 when all match, 1 when a case fails (a difference, a failed expectation, or a golden file that cannot be read: ' +
    'the message gives its file, line and column and the --update command that regenerates it), 2 when a scenario is invalid',
  builder: (y: Argv) =>
    y
      .positional('scenarios', { type: 'string', array: true })
      .option('update', { type: 'boolean', describe: 'rewrite the golden files' })
      .option('junit', { type: 'string', describe: 'write a JUnit XML report to FILE (a scenario with errors is an error case in it)' })
      .option('fault', { type: 'string', array: true, describe: 'inject a fault into every scenario, as one item of faults: (repeatable); not with --update' }),
  handler: async (args) => {
    const faults = args.fault as string[] | undefined;
    if (faults !== undefined && faults.length > 0 && args.update === true) throw new BadInput('--update with --fault would write goldens of runs the scenario files do not describe: put the fault in the file instead');
    const started = new Date();
    const loaded = loadEach(args.scenarios as string[]);
    for (const l of loaded) if (l.scenario === undefined) err(l.report);
    const bad = loaded.filter((l) => l.scenario === undefined).length;
    const faulted = withFaults(loaded.flatMap((l) => (l.scenario === undefined ? [] : [l.scenario])), faults);
    // A report that cannot be written is refused before the runs, not after them.
    if (args.junit !== undefined) outputPath(args.junit as string, JUNIT);
    // --update writes no golden while any scenario is bad input: the others are skipped.
    const skip = bad > 0 && args.update === true;
    const results: CaseResult[] = [];
    // On a terminal, a check that takes more than a second shows how far it is (bin/progress.ts).
    const line = statusLine({ quiet: settings.quiet });
    const show = (r: CaseResult) => {
      results.push(r);
      if (r.badInput !== undefined) {
        fail(2);
        out(`${chalk.red('ERROR')} ${r.name}`);
        out(`  ${r.badInput.split('\n')[0]!}`);
      } else if (r.skipped !== undefined) out(`${chalk.yellow('SKIP')} ${r.name}`);
      else if (r.failures.length === 0) out(`${chalk.green(r.updated ? 'updated' : 'ok')} ${r.name}`);
      else {
        fail(1);
        out(`${chalk.red('FAIL')} ${r.name}`);
        for (const f of r.failures) out(`  ${f}`);
      }
    };
    let next = 0;
    const total = loaded.length;
    const writeReport = () => {
      if (args.junit === undefined) return;
      writeFileWhole(args.junit as string, junitReport({ cases: results.map(junitCase), started, hostname: hostname() }), JUNIT);
      reportWritten(args.junit as string);
    };
    try {
      for (const l of loaded) {
        line.show((wallMs) => `check: ${results.length} of ${total} scenarios, ${formatWall(wallMs)} wall${results.length === 0 ? '' : `, ETA ${formatWall((wallMs / results.length) * (total - results.length))}`}`);
        const caseStarted = process.hrtime.bigint();
        try {
          await checkCase(l);
        } catch (error) {
          // A bug of rpmsg-sim (exit 70) ends the check, but CI still gets its report: the
          // case as an internal error, the scenarios not reached as skipped. A failed disk, a
          // signal or Ctrl-C write nothing more.
          if (args.junit === undefined || userFailure(error) !== undefined || error instanceof RunInterrupted) throw error;
          const name = l.scenario?.name ?? nameOfFile(l.file);
          results.push({ name, file: l.file, seconds: l.seconds + Number(process.hrtime.bigint() - caseStarted) / 1e9, failures: [], internal: `${String((error as Error)?.message ?? error)} (a bug of rpmsg-sim, not of the scenario)`, updated: false });
          for (const rest of loaded.slice(results.length)) results.push({ name: rest.scenario?.name ?? nameOfFile(rest.file), file: rest.file, seconds: 0, failures: [], skipped: 'not run: an internal error of rpmsg-sim ended the check', updated: false });
          line.end();
          writeReport();
          throw error;
        }
      }
    } finally {
      line.end();
    }
    async function checkCase(l: Loaded): Promise<void> {
      if (l.scenario === undefined) {
        show({ name: nameOfFile(l.file), file: l.file, seconds: l.seconds, failures: [], badInput: l.report, updated: false });
        return;
      }
      const scenario = faulted[next++]!;
      if (skip) {
        show({ name: scenario.name, file: scenario.file, seconds: 0, failures: [], skipped: 'not run: --update writes no golden file while a scenario has errors', updated: false });
        return;
      }
      const r = await checkOne(scenario, args.update === true);
      r.seconds += l.seconds;
      if (r.badInput !== undefined) err(`${chalk.red('rpmsg-sim: error:')} ${r.badInput}`);
      show(r);
    }
    writeReport();
    const errors = results.filter((r) => r.badInput !== undefined).length;
    if (errors > 0) throw new BadInput(results.length === 1 ? 'the scenario has errors (see above)' : `${errors} of ${results.length} scenarios have errors (see above)`);
  },
};
