// `rpmsg-sim check <scenario…>`: runs each scenario and compares its canonical trace and
// summary with the golden files beside it (golden/<name>.jsonl, golden/<name>.summary.json);
// `--update` rewrites them; `--junit FILE` writes a JUnit XML report for CI systems.

import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import chalk from 'chalk';
import type { Argv } from 'yargs';
import { goldenDifferences, goldenPaths, summaryJson, traceAndSummary } from '../../scenario-engine/golden';
import type { Scenario } from '../../scenario-engine/types';
import { type Command, fail, userFailure, out } from './common';
import { failedProcess, moduleFilesOf } from './report';
import { loadAll, writeAtomically } from './run';

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
    mkdirSync(dirname(golden.trace), { recursive: true });
    writeAtomically(golden.trace, trace);
    writeAtomically(golden.summary, summaryText);
    result.updated = true;
  } else {
    result.failures.push(...goldenDifferences(scenario, trace, summary));
  }
  result.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return result;
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
  describe: 'Run scenarios and compare their traces and summaries with the golden files (golden/ beside each scenario)',
  builder: (y: Argv) =>
    y
      .positional('scenarios', { type: 'string', array: true })
      .option('update', { type: 'boolean', describe: 'rewrite the golden files' })
      .option('junit', { type: 'string', describe: 'write a JUnit XML report to FILE' }),
  handler: async (args) => {
    const scenarios = loadAll(args.scenarios as string[], []);
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
    if (args.junit !== undefined) writeAtomically(args.junit as string, junitReport(results));
  },
};
