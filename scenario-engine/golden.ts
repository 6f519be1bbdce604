// Golden files of a scenario: its canonical trace and summary, kept beside it in golden/,
// compared by `rpmsg-sim check` and by the test suite.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JsonlWriter } from '../sim/trace/jsonl';
import { StringOutput } from '../sim/trace/output';
import { compareTraces } from './compare';
import { compileModules } from './files';
import { type RunSummary, runScenario } from './run';
import type { Scenario } from './types';

export function goldenPaths(scenario: Scenario): { trace: string; summary: string } {
  const dir = join(dirname(scenario.file), 'golden');
  return { trace: join(dir, `${scenario.name}.jsonl`), summary: join(dir, `${scenario.name}.summary.json`) };
}

export function summaryJson(summary: RunSummary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}

/** Runs a scenario into memory: its canonical trace text and its summary. */
export async function traceAndSummary(scenario: Scenario): Promise<{ trace: string; summary: RunSummary }> {
  const output = new StringOutput();
  const modules = await compileModules(scenario);
  const summary = runScenario(scenario, { modules, sinks: (header) => [new JsonlWriter(output, header)] });
  return { trace: output.text(), summary };
}

/** What differs from the golden files (empty: nothing). */
export function goldenDifferences(scenario: Scenario, trace: string, summary: RunSummary): string[] {
  const golden = goldenPaths(scenario);
  if (!existsSync(golden.trace) || !existsSync(golden.summary)) return [`no golden files (${golden.trace}); create them with --update`];
  const out: string[] = [];
  const cmp = compareTraces(readFileSync(golden.trace, 'utf8'), trace);
  if (!cmp.equal) {
    out.push(`trace differs from ${golden.trace}: ${cmp.firstDivergence}`);
    for (const c of cmp.metricChanges) out.push(`  ${c.metric}: ${c.a} → ${c.b}`);
  }
  if (readFileSync(golden.summary, 'utf8') !== summaryJson(summary)) out.push(`summary differs from ${golden.summary}`);
  return out;
}
