// `npm run bench -- [kernel|e2e|all] [--json] [options]` (bench/args.ts has the options).
//
// Suites:
//   kernel  the pingpong and timers workloads of bench/kernel.ts; with --anchors DIR the
//           SystemC and SimPy versions (DIR/run) right after, and the ratios
//   e2e     whole scenarios in fresh processes (bench/e2e.ts)
//   all     kernel, then e2e
//   fuzz    the fuzz suite's long run (bench/fuzz.ts, fuzz/): cases by outcome class; exit 1
//           when any case failed
// Prints a human summary, or with --json one JSON object:
//   kernel: {"workloads":{"pingpong":{"events":N,"seconds":S,"eventsPerSecond":X},"timers":{...}},
//            "anchors":[{"kernel":"systemc","workload":"pingpong",...,"ratio":R}]}   (anchors with --anchors)
//   e2e:    {"e2e":{...}} (bench/e2e.ts E2eReport)      all: both keys in one object
// `e2e-child` is internal: one measurement of the e2e suite (bench/e2e-child.ts).
// Wall-clock time is measured here (kernel.ts, e2e-child.ts) and only here; the simulation
// itself never reads it.

import { type AnchorResult, runAnchors } from './anchors';
import { type BenchArgs, parseBenchArgs, USAGE, UsageError } from './args';
import { childMain } from './e2e-child';
import { BenchError, formatE2e, runE2e } from './e2e';
import { fuzzSuite } from './fuzz';
import { measure, pingpong, timers, type WorkloadResult } from './kernel';
import { dirname, join } from 'node:path';

function usage(error?: string): never {
  if (error !== undefined) {
    process.stderr.write(`bench: ${error}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function kernelSuite(args: BenchArgs): Record<string, unknown> {
  const workloads: Record<string, WorkloadResult> = {
    pingpong: measure(pingpong, args.kernel.pingpong, args.kernel.repeats),
    timers: measure(timers, args.kernel.timers, args.kernel.repeats),
  };
  let anchors: (AnchorResult & { ratio: number })[] | undefined;
  if (args.kernel.anchors !== undefined) {
    anchors = runAnchors(args.kernel.anchors, args.kernel.pingpong, args.kernel.timers).map((a) => ({
      ...a,
      // rpmsg-sim's events/s over the anchor's, on the same workload.
      ratio: (workloads[a.workload]?.eventsPerSecond ?? Number.NaN) / a.eventsPerSecond,
    }));
  }
  if (!args.json) {
    for (const [name, r] of Object.entries(workloads)) {
      process.stdout.write(`rpmsg-sim ${name} events=${r.events} seconds=${r.seconds.toFixed(4)} events_per_s=${r.eventsPerSecond.toPrecision(4)}\n`);
    }
    for (const a of anchors ?? []) {
      process.stdout.write(`${a.kernel} ${a.workload} events=${a.events} seconds=${a.seconds} events_per_s=${a.eventsPerSecond.toPrecision(4)} rpmsg-sim/${a.kernel}=${a.ratio.toFixed(2)}x\n`);
    }
  }
  return { workloads, ...(anchors !== undefined && { anchors }) };
}

async function e2eSuite(args: BenchArgs): Promise<Record<string, unknown>> {
  // This file is the bundle dist/bench.mjs; the project's root is its folder's parent.
  const bundle = process.argv[1]!;
  const root = join(dirname(bundle), '..');
  const progress = (line: string) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
  };
  const report = await runE2e(args.e2e, bundle, root, progress);
  progress('');
  if (!args.json) process.stdout.write(formatE2e(report));
  return { e2e: report };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'e2e-child') {
    await childMain(argv[1]);
    return;
  }
  let args: BenchArgs;
  try {
    args = parseBenchArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) usage(error.message);
    throw error;
  }
  if (args.help) usage();
  if (args.suite === 'fuzz') {
    // This file is the bundle dist/bench.mjs; the project's root is its folder's parent.
    const { report, ok } = await fuzzSuite(args.fuzz, join(dirname(process.argv[1]!), '..'), args.json);
    if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    if (!ok) process.exitCode = 1;
    return;
  }
  const result: Record<string, unknown> = {};
  if (args.suite === 'kernel' || args.suite === 'all') Object.assign(result, kernelSuite(args));
  if (args.suite === 'all' && !args.json) process.stdout.write('\n');
  if (args.suite === 'e2e' || args.suite === 'all') Object.assign(result, await e2eSuite(args));
  if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof BenchError) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
});
