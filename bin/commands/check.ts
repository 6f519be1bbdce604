// `rpmsg-sim check <scenario…>`: runs each scenario and compares its canonical trace and
// summary with the golden files beside it (golden/<name>.jsonl, golden/<name>.summary.json);
// `--update` rewrites them; `--junit FILE` writes a JUnit XML report for CI systems. A golden
// file that is broken (empty, truncated, not JSON, not a trace or a summary) fails its case
// (exit 1) with its file:line:column and the --update command: the golden is wrong, not the input.

import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import chalk from 'chalk';
import type { Argv } from 'yargs';
import { goldenDifferences, goldenPaths, summaryJson, traceAndSummary } from '../../scenario-engine/golden';
import type { Scenario } from '../../scenario-engine/types';
import { BadInput, type Command, fail, userFailure, out, reportWritten } from './common';
import { FileOutput, closeTogether, outputFailure, outputPath, writeFileWhole } from '../../sim/trace/output';
import { failedProcess, moduleFilesOf } from './report';
import { loadAll, withFaults } from './run';

/** What --junit writes, in error messages. */
const JUNIT = 'the JUnit report';

interface CaseResult {
  name: string;
  file: string;
  seconds: number;
  failures: string[];
  updated: boolean;
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
    if (user?.exit === 2) throw error;
    const failed = user === undefined ? failedProcess(error, scenario.file, moduleFilesOf(scenario)) : undefined;
    if (user === undefined && failed?.module === undefined) throw failed?.internal ?? error;
    result.failures.push(user?.text ?? `firmware module error: ${failed!.module!}`);
    result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return result;
  }
  const { trace, summary } = run;
  const golden = goldenPaths(scenario);
  const summaryText = summaryJson(summary);
  if (!summary.ok) {
    if (summary.watchdog !== undefined) result.failures.push(`the watchdog ended the run: ${summary.watchdog}`);
    for (const e of summary.expectations.filter((x) => !x.ok)) result.failures.push(`expectation failed: ${e.what}: expected ${e.expected}, got ${e.actual}`);
  }
  if (update) {
    writeGoldens(golden, trace, summaryText);
    result.updated = true;
  } else {
    result.failures.push(...goldenDifferences(scenario, trace, summary));
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

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function junitReport(results: readonly CaseResult[]): string {
  const failures = results.filter((r) => r.failures.length > 0).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rpmsg-sim check" tests="${results.length}" failures="${failures}">`,
    `  <testsuite name="scenarios" tests="${results.length}" failures="${failures}">`,
  ];
  for (const r of results) {
    const open = `    <testcase classname="${xml(basename(dirname(r.file)) || 'scenarios')}" name="${xml(r.name)}" time="${r.seconds.toFixed(3)}"`;
    if (r.failures.length === 0) lines.push(`${open}/>`);
    else {
      lines.push(`${open}>`);
      lines.push(`      <failure message="${xml(r.failures[0]!)}">${xml(r.failures.join('\n'))}</failure>`);
      lines.push('    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
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
      .option('junit', { type: 'string', describe: 'write a JUnit XML report to FILE' })
      .option('fault', { type: 'string', array: true, describe: 'inject a fault into every scenario, as one item of faults: (repeatable); not with --update' }),
  handler: async (args) => {
    const faults = args.fault as string[] | undefined;
    if (faults !== undefined && faults.length > 0 && args.update === true) throw new BadInput('--update with --fault would write goldens of runs the scenario files do not describe: put the fault in the file instead');
    const scenarios = withFaults(loadAll(args.scenarios as string[], []), faults);
    // A report that cannot be written is refused before the runs, not after them.
    if (args.junit !== undefined) outputPath(args.junit as string, JUNIT);
    const results: CaseResult[] = [];
    for (const scenario of scenarios) {
      const r = await checkOne(scenario, args.update === true);
      results.push(r);
      if (r.failures.length === 0) out(`${chalk.green(r.updated ? 'updated' : 'ok')} ${r.name}`);
      else {
        fail(1);
        out(`${chalk.red('FAIL')} ${r.name}`);
        for (const f of r.failures) out(`  ${f}`);
      }
    }
    if (args.junit !== undefined) writeFileWhole(args.junit as string, junitReport(results), JUNIT);
    if (args.junit !== undefined) reportWritten(args.junit as string);
  },
};
