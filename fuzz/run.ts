// A fuzz run: plans drawn from a seed, cases built and run on a Pool, results tallied by failure
// class, and the first reproducer of each class written to a folder (replayable). Shared by the
// jest test (fuzz/fuzz.test.ts) and the benchmark's `fuzz` mode (bench/fuzz.ts).

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FuzzCase } from './case';
import { type Corpus, buildCase, loadCorpus, samplePlans } from './generate';
import { type CaseResult, Pool } from './pool';

export interface FuzzOptions {
  root: string;
  cases: number;
  seed: number;
  threads: number;
  /** A case's deadline (a hang past it), ms. */
  deadlineMs: number;
  /** Where the first reproducer of each failure class goes (none: not written). */
  reproducers?: string;
  /** Every case as a child process (slower; to compare). */
  allChild?: boolean;
  /** Every n-th case that ran in a thread runs again as a child process (0: none). */
  crossCheckEvery?: number;
  /** Asked before each case: true ends the run early (the cases running finish; the report covers the cases run). */
  stopped?: () => boolean;
  /** Sees each result as it comes (progress). */
  progress?: (done: number, r: CaseResult) => void;
}

export interface FuzzReport {
  cases: number;
  /** Cases asked for (more than `cases` when the run was stopped early). */
  planned: number;
  seed: number;
  seconds: number;
  passed: number;
  /** Cases per failure class (a case may be in several). */
  byClass: Record<string, number>;
  /** Cases per family, and failing cases per family. */
  byFamily: Record<string, { cases: number; failing: number }>;
  /** Cases per mode (thread, child), their total and median wall time. */
  byMode: Record<string, { cases: number; seconds: number; medianMs: number }>;
  /** Outcomes by exit code (null: no exit). */
  byExit: Record<string, number>;
  /** The first case of each class: its index, details and reproducer file. */
  first: Record<string, { index: number; family: string; detail: string; file?: string; argv: string[] }>;
  /** Every failing case, index and classes (for the test's message). */
  failing: { index: number; family: string; details: string[] }[];
}

/** A reproducer on disk: the case and what was seen (written atomically). */
export interface Reproducer {
  seed: number;
  index: number;
  case: FuzzCase;
  seen: { exit: number | null; details: string[]; stderr: string; stdout: string };
}

function reproducerOf(seed: number, r: CaseResult): Reproducer {
  return { seed, index: r.index, case: r.case, seen: { exit: r.outcome.exit, details: r.verdict.details, stderr: r.outcome.stderr.slice(0, 4000), stdout: r.outcome.stdout.slice(0, 2000) } };
}

export function writeReproducer(dir: string, name: string, r: Reproducer | Record<string, unknown>): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(r, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}

export function readReproducer(file: string): Reproducer {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Reproducer;
  if (r.case === undefined || !Array.isArray(r.case.argv) || !Array.isArray(r.case.files)) throw new Error(`${file}: not a fuzz reproducer (no case with argv and files)`);
  return r;
}

interface Slim {
  index: number;
  family: string;
  argv: string[];
  mode: CaseResult['mode'];
  seconds: number;
  exit: number | null;
  verdict: CaseResult['verdict'];
}

export async function runFuzz(options: FuzzOptions, corpus: Corpus = loadCorpus(options.root)): Promise<FuzzReport> {
  const started = process.hrtime.bigint();
  const plans = samplePlans(corpus, options.seed, options.cases);
  const report: FuzzReport = { cases: 0, planned: options.cases, seed: options.seed, seconds: 0, passed: 0, byClass: {}, byFamily: {}, byMode: {}, byExit: {}, first: {}, failing: [] };
  const pool = new Pool({ root: options.root, work: join(tmpdir(), `rpmsg-sim-fuzz-${process.pid}`), threads: options.threads, deadlineMs: options.deadlineMs, ...(options.allChild === true && { allChild: true }) });
  function* built(): Generator<FuzzCase> {
    for (const p of plans) yield buildCase(p, corpus);
  }
  // What the report needs of each case (not its files: 10,000 cases of up to a few MB each)
  const results: Slim[] = [];
  // While the run goes, the reproducer of each class is the lowest case index seen so far
  // (threads finish in any order), and progress.json has the counts: a long run can be read
  // before it ends. At the end both are what the whole run says.
  const lowest: Record<string, number> = {};
  const counts: Record<string, number> = {};
  const keep = (r: CaseResult) => {
    for (const cls of r.verdict.failures) {
      counts[cls] = (counts[cls] ?? 0) + 1;
      if (options.reproducers === undefined || (lowest[cls] !== undefined && lowest[cls]! < r.index)) continue;
      lowest[cls] = r.index;
      writeReproducer(options.reproducers, cls, reproducerOf(options.seed, r));
    }
    if (options.reproducers !== undefined && results.length % 100 === 0) {
      writeReproducer(options.reproducers, 'progress', { done: results.length, of: options.cases, seed: options.seed, byClass: counts });
    }
  };
  try {
    await pool.runAll(built(), (r) => {
      results.push({ index: r.index, family: r.case.family, argv: r.case.argv, mode: r.mode, seconds: r.outcome.seconds, exit: r.outcome.exit, verdict: r.verdict });
      keep(r);
      options.progress?.(results.length, r);
    }, options.crossCheckEvery ?? 0, options.stopped);
  } finally {
    await pool.close();
  }
  // in the order of the cases, so the report does not depend on which thread finished first
  results.sort((a, b) => a.index - b.index);
  const times: Record<string, number[]> = {};
  for (const r of results) {
    report.cases++;
    const family = r.family.split(':')[0]!;
    const fam = (report.byFamily[family] ??= { cases: 0, failing: 0 });
    fam.cases++;
    const mode = (report.byMode[r.mode] ??= { cases: 0, seconds: 0, medianMs: 0 });
    mode.cases++;
    mode.seconds += r.seconds;
    (times[r.mode] ??= []).push(r.seconds);
    const exit = String(r.exit);
    report.byExit[exit] = (report.byExit[exit] ?? 0) + 1;
    if (r.verdict.failures.length === 0) {
      report.passed++;
      continue;
    }
    fam.failing++;
    report.failing.push({ index: r.index, family: r.family, details: r.verdict.details });
    for (const [i, cls] of r.verdict.failures.entries()) {
      report.byClass[cls] = (report.byClass[cls] ?? 0) + 1;
      if (report.first[cls] !== undefined) continue;
      const entry: FuzzReport['first'][string] = { index: r.index, family: r.family, detail: r.verdict.details[i]!, argv: r.argv };
      if (options.reproducers !== undefined) entry.file = join(options.reproducers, `${cls}.json`);
      report.first[cls] = entry;
    }
  }
  for (const [mode, t] of Object.entries(times)) {
    t.sort((a, b) => a - b);
    report.byMode[mode]!.medianMs = Math.round(t[Math.floor(t.length / 2)]! * 1000);
  }
  report.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // every failing case in one file (the reproducers above are one per class)
  if (options.reproducers !== undefined) writeReproducer(options.reproducers, 'failing', { seed: options.seed, cases: report.cases, failing: report.failing });
  return report;
}

/** Runs one reproducer's case again and returns what it does now. */
export async function replay(root: string, file: string, deadlineMs: number): Promise<CaseResult> {
  const r = readReproducer(file);
  const pool = new Pool({ root, work: join(tmpdir(), `rpmsg-sim-fuzz-${process.pid}`), threads: 1, deadlineMs });
  try {
    return await pool.runOne(r.case, r.index);
  } finally {
    await pool.close();
  }
}

/** The report as a table for people. */
export function formatReport(r: FuzzReport): string {
  const lines: string[] = [];
  if (r.cases < r.planned) lines.push(`fuzz: stopped early: ${r.cases} of ${r.planned} cases run`);
  lines.push(`fuzz: ${r.cases} cases, seed ${r.seed}, ${r.seconds.toFixed(1)} s (${((r.seconds / Math.max(1, r.cases)) * 1000).toFixed(1)} ms per case)`);
  lines.push(`  passed        ${r.passed}`);
  const classes = Object.keys(r.byClass).sort();
  for (const c of classes) lines.push(`  ${c.padEnd(13)} ${r.byClass[c]}`);
  lines.push(`  exit codes    ${Object.entries(r.byExit).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  lines.push('  by mode       ' + Object.entries(r.byMode).map(([k, v]) => `${k}: ${v.cases} cases, mean ${((v.seconds / Math.max(1, v.cases)) * 1000).toFixed(0)} ms, median ${v.medianMs} ms`).join('; '));
  lines.push('  by family     ' + Object.entries(r.byFamily).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v.failing}/${v.cases}`).join(', '));
  if (classes.length > 0) {
    lines.push('first reproducer of each class:');
    for (const c of classes) {
      const f = r.first[c]!;
      lines.push(`  ${c}: case ${f.index} (${f.family})${f.file === undefined ? '' : ` ${f.file}`}`);
      lines.push(`    ${f.detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
