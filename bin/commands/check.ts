// `rpmsg-sim check <scenario…>`: runs each scenario and compares its canonical trace and
// summary with the golden files beside it (golden/<name>.jsonl, golden/<name>.summary.json);
// `--update` rewrites them; `--junit FILE` writes a JUnit XML report for CI systems.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import chalk from 'chalk';
import type { Argv } from 'yargs';
import { compareTraces } from '../../sim/scenario/compare';
import { compileModules } from '../../sim/scenario/files';
import { type RunSummary, runScenario } from '../../sim/scenario/run';
import type { Scenario } from '../../sim/scenario/types';
import { JsonlWriter } from '../../sim/trace/jsonl';
import { StringOutput } from '../../sim/trace/output';
import { type Command, fail, out } from './common';
import { loadAll, writeAtomically } from './run';

interface CaseResult {
  name: string;
  file: string;
  seconds: number;
  failures: string[];
  updated: boolean;
}

/** The golden files of a scenario: beside it, in golden/. */
export function goldenPaths(scenario: Scenario): { trace: string; summary: string } {
  const dir = join(dirname(scenario.file), 'golden');
  return { trace: join(dir, `${scenario.name}.jsonl`), summary: join(dir, `${scenario.name}.summary.json`) };
}

/** Runs a scenario into memory: its canonical trace text and summary. */
export async function traceAndSummary(scenario: Scenario): Promise<{ trace: string; summary: RunSummary }> {
  const output = new StringOutput();
  const modules = await compileModules(scenario);
  const summary = runScenario(scenario, {
    modules,
    sinks: (header) => [new JsonlWriter(output, header)],
  });
  return { trace: output.text(), summary };
}

export function summaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

async function checkOne(scenario: Scenario, update: boolean): Promise<CaseResult> {
  // Wall time for the JUnit report only; it never reaches a trace or a golden file.
  const started = process.hrtime.bigint();
  const result: CaseResult = { name: scenario.name, file: scenario.file, seconds: 0, failures: [], updated: false };
  const { trace, summary } = await traceAndSummary(scenario);
  const golden = goldenPaths(scenario);
  const summaryText = summaryJson(summary);
  if (!summary.ok) {
    for (const e of summary.expectations.filter((x) => !x.ok)) result.failures.push(`expectation failed: ${e.what}: expected ${e.expected}, got ${e.actual}`);
  }
  if (update) {
    mkdirSync(dirname(golden.trace), { recursive: true });
    writeAtomically(golden.trace, trace);
    writeAtomically(golden.summary, summaryText);
    result.updated = true;
  } else if (!existsSync(golden.trace) || !existsSync(golden.summary)) {
    result.failures.push(`no golden files (${golden.trace}); create them with --update`);
  } else {
    const cmp = compareTraces(readFileSync(golden.trace, 'utf8'), trace);
    if (!cmp.equal) {
      result.failures.push(`trace differs from ${golden.trace}: ${cmp.firstDivergence}`);
      for (const c of cmp.metricChanges) result.failures.push(`  ${c.metric}: ${c.a} → ${c.b}`);
    }
    if (readFileSync(golden.summary, 'utf8') !== summaryText) result.failures.push(`summary differs from ${golden.summary}`);
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
