// `npm run bench -- fuzz`: the long run of the fuzz suite (fuzz/run.ts) — by default 10,000
// generated cases through the CLI, the table of outcomes by class, and the first reproducer of
// each failure class written to --out; `--replay FILE` runs one reproducer again. Exit 0 when
// every case passed, 1 when any failed (the table says which).

import { resolve } from 'node:path';
import type { FuzzOptions } from './args';
import { formatReport, replay, runFuzz } from '../fuzz/run';

export async function fuzzSuite(options: FuzzOptions, root: string, json: boolean): Promise<{ report: unknown; ok: boolean }> {
  // The first Ctrl-C (or SIGTERM) stops taking cases: the running ones finish and the table
  // covers the cases run. A second one exits through process.exit, so the pool's exit hook
  // kills the running cases.
  let stop = false;
  const onSignal = (code: number) => () => {
    if (stop) process.exit(code);
    stop = true;
    process.stderr.write('fuzz: stopping after the running cases (again to stop at once)\n');
  };
  process.on('SIGINT', onSignal(130));
  process.on('SIGTERM', onSignal(143));
  if (options.replay !== undefined) {
    const r = await replay(root, options.replay, options.deadline * 1000);
    const text = [
      `replay ${options.replay}: ${r.case.family}, ${r.mode}, exit ${r.outcome.exit}${r.outcome.timedOut ? ' (hang: deadline passed)' : ''}, ${r.outcome.seconds.toFixed(2)} s`,
      `  argv: ${JSON.stringify(r.case.argv)}`,
      ...(r.verdict.failures.length === 0 ? ['  passes every property'] : r.verdict.details.map((d) => `  ${d}`)),
      '--- stderr',
      r.outcome.stderr.replace(/\n$/, ''),
      '--- stdout',
      r.outcome.stdout.slice(0, 4000).replace(/\n$/, ''),
    ].join('\n');
    if (!json) process.stdout.write(`${text}\n`);
    return { report: { replay: { file: options.replay, exit: r.outcome.exit, failures: r.verdict.failures, details: r.verdict.details } }, ok: r.verdict.failures.length === 0 };
  }
  const progress = (done: number) => {
    if (process.stderr.isTTY && done % 50 === 0) process.stderr.write(`\r\x1b[Kfuzz: ${done}/${options.cases}`);
  };
  const report = await runFuzz({
    root,
    cases: options.cases,
    seed: options.seed,
    threads: options.threads,
    deadlineMs: options.deadline * 1000,
    reproducers: resolve(options.out),
    ...(options.child && { allChild: true }),
    stopped: () => stop,
    progress,
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  if (!json) process.stdout.write(formatReport(report));
  const { failing, ...summary } = report;
  return { report: { fuzz: { ...summary, failingCases: failing.length } }, ok: report.passed === report.cases };
}
