// Golden files of a scenario: its canonical trace and summary, kept beside it in golden/,
// compared by `rpmsg-sim check` and by the test suite.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JsonlWriter, TraceReadError, jsonErrorColumn, readJsonl } from '../sim/trace/jsonl';
import { StringOutput } from '../sim/trace/output';
import { type ParsedTrace, compareParsed, readTraceFile, traceErrorText } from './compare';
import { InputFileError, compileModules, readInputText } from './files';
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

/** A golden summary larger than this is not read (the shipped ones have about 3 KB; an assumption). */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

/**
 * What differs from the golden files (empty: nothing). A golden file that cannot be read or
 * parsed is a difference too (the check fails, exit 1), said with its file, line and column
 * and how to regenerate it: the golden is broken, not the user's input.
 */
export function goldenDifferences(scenario: Scenario, trace: string, summary: RunSummary): string[] {
  const golden = goldenPaths(scenario);
  if (!existsSync(golden.trace) || !existsSync(golden.summary)) return [`no golden files (${golden.trace}); create them with --update`];
  const regenerate = `regenerate it with rpmsg-sim check --update ${scenario.file}`;
  const out: string[] = [];
  const expected = readGoldenTrace(golden.trace);
  if (typeof expected === 'string') out.push(`the golden trace is unreadable: ${expected}; ${regenerate}`);
  else {
    const cmp = compareParsed(expected, readJsonl(trace));
    if (!cmp.equal) {
      out.push(`trace differs from ${golden.trace}: ${cmp.firstDivergence}`);
      for (const c of cmp.metricChanges) out.push(`  ${c.metric}: ${c.a} → ${c.b}`);
    }
  }
  const summaryText = readGoldenSummary(golden.summary);
  if (summaryText.problem !== undefined) out.push(`the golden summary is unreadable: ${summaryText.problem}; ${regenerate}`);
  else if (summaryText.text !== summaryJson(summary)) out.push(`summary differs from ${golden.summary}`);
  return out;
}

/** The golden trace, or what is wrong with it (file:line:column: problem). */
function readGoldenTrace(file: string): ParsedTrace | string {
  try {
    return readTraceFile(file, 'golden trace');
  } catch (error) {
    if (error instanceof InputFileError) return error.message;
    if (error instanceof TraceReadError) return traceErrorText(file, error);
    throw error;
  }
}

/** The golden summary's text, or what is wrong with it: not readable, not JSON, not a run summary. */
function readGoldenSummary(file: string): { text: string; problem?: undefined } | { problem: string } {
  let text: string;
  try {
    text = readInputText(file, 'golden summary', MAX_SUMMARY_BYTES);
  } catch (error) {
    if (error instanceof InputFileError) return { problem: error.message };
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const column = jsonErrorColumn(error, text);
    const before = text.slice(0, (column ?? 1) - 1).split('\n');
    const where = column === undefined ? '' : `:${before.length}:${before[before.length - 1]!.length + 1}`;
    // V8's message may quote the text around the error, newlines included: one line here.
    const reason = (error as Error).message.replace(/ in JSON at position \d+.*$/s, '').replace(/\r?\n/g, '\\n');
    return { problem: `${file}${where}: not valid JSON (${reason})` };
  }
  const o = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof o['scenario'] !== 'string' || typeof o['stopReason'] !== 'string') {
    return { problem: `${file}: not a run summary: expected a JSON object with "scenario", "stopReason" and the other fields rpmsg-sim writes` };
  }
  return { text };
}
