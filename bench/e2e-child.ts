// One measurement of the e2e benchmark, run by bench/e2e.ts in a fresh Node process
// (`node dist/bench.mjs e2e-child '<spec as JSON>'`) so that its peak heap and peak RSS
// belong to this run alone. It loads the scenario as the CLI does (the `--set` overrides of
// scenario-engine/files.ts), runs it with the trace writer `rpmsg-sim run --trace FILE`
// would make (sim/trace/writers.ts by extension, no colour), and prints one JSON line:
// see ChildResult.
//
// What is measured, and how:
// - wallSeconds: performance.now() once the run has returned and its trace file is closed.
//   Node's performance.now() counts from the process's time origin (its start), so this is
//   the whole life of the process up to the end of the work: Node's own start, loading the
//   bundle, the scenario, building the platform, the simulation, closing the trace. The
//   parent subtracts the same figure of a start-up run (bench/e2e.ts).
// - peakHeapBytes: V8's used heap at its highest. The used heap only grows between
//   collections, so its maxima are the moments just before each collection, and the end of
//   the run. v8.GCProfiler (a Node API since 18.15) records the heap statistics before and
//   after every collection from V8's GC callbacks, in this thread: nothing runs per
//   simulated event. Not used: a timer (it cannot fire, the simulation is one synchronous
//   call); a hook per delivered message (RunOptions.onMessagePhases: it costs time per
//   message, measured about 5% more CPU time on the flood today, a share that grows as the
//   simulator gets faster); a worker sampling the
//   main thread through the inspector (measured: a second isolate, +16 MB RSS, and few
//   samples while the main thread is busy). The profiler's cost: its record keeps about
//   2.9 KB of native memory per collection (measured: 18 collections, 2881 bytes of JSON
//   each), grown as one buffer; it counts in the RSS (measured: the 10^6-message flood,
//   7000 collections, 219 MB RSS with it, 150 MB without), so bench/e2e.ts measures the
//   heap in a run of its own (`heap: true`) and the RSS and time in a run without it.
// - peakRssBytes: process.resourceUsage().maxRSS (getrusage's ru_maxrss, in KiB on Linux)
//   × 1024: the resident set's high-water mark of this process.

import { statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { describeRlReturn } from '../firmware/rpmsg-lite/constants';
import { compileModules, readScenarioFile } from '../scenario-engine/files';
import { runScenarioAsync } from '../scenario-engine/run';
import type { TraceWriter } from '../sim/trace/output';
import { createTraceWriter } from '../sim/trace/writers';

/** What the parent asks for. */
export interface ChildSpec {
  /** The scenario file. */
  scenario: string;
  /** `path=value` overrides, as `rpmsg-sim run --set`. */
  settings: string[];
  /** The trace file to write (its extension names the format), or none. */
  trace?: string;
  /** True: run the heap profiler (peakHeapBytes and gcCount; the RSS then includes its record). */
  heap?: boolean;
}

/** What the child prints (one JSON line on stdout). */
export interface ChildResult {
  stopReason: string;
  simulatedNs: number;
  masterToRemote: number;
  remoteToMaster: number;
  wallSeconds: number;
  peakRssBytes: number;
  /** Null without `heap: true`. */
  peakHeapBytes: number | null;
  /** Collections the profiler recorded (null without `heap: true`). */
  gcCount: number | null;
  traceBytes: number;
}

interface GcStatistics {
  statistics: { beforeGC: { heapStatistics: { usedHeapSize: number } } }[];
}

export async function childMain(specText: string | undefined): Promise<void> {
  const spec = JSON.parse(specText ?? '') as ChildSpec;
  const profiler = spec.heap === true ? new v8.GCProfiler() : null;
  profiler?.start();
  const loaded = readScenarioFile(spec.scenario, spec.settings);
  if (loaded.scenario === undefined) {
    process.stderr.write(loaded.report);
    process.exit(2);
  }
  // As bin/commands/run.ts runWithOutputs: the writer is made once the header is known and
  // closed by the run; aborted (its temporary file removed) if the run throws.
  const modules = await compileModules(loaded.scenario);
  const writers: TraceWriter[] = [];
  let summary;
  try {
    summary = await runScenarioAsync(loaded.scenario, {
      modules,
      sinks: (header, memory) => {
        if (spec.trace !== undefined) writers.push(createTraceWriter(spec.trace, header, { color: false, describeReturn: describeRlReturn, memory }));
        return writers;
      },
    });
  } catch (error) {
    for (const w of writers) w.abort();
    throw error;
  }
  const wallSeconds = performance.now() / 1000;
  const endHeap = v8.getHeapStatistics().used_heap_size;
  // At run time the records are camelCase (usedHeapSize), not the snake_case of @types/node.
  const gc = profiler === null ? null : (profiler.stop() as unknown as GcStatistics);
  const result: ChildResult = {
    stopReason: summary.stopReason,
    simulatedNs: summary.simulatedNs,
    masterToRemote: summary.messages.masterToRemote.delivered,
    remoteToMaster: summary.messages.remoteToMaster.delivered,
    wallSeconds,
    peakHeapBytes: gc === null ? null : gc.statistics.reduce((m, s) => Math.max(m, s.beforeGC.heapStatistics.usedHeapSize), endHeap),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    gcCount: gc === null ? null : gc.statistics.length,
    traceBytes: spec.trace === undefined ? 0 : statSync(spec.trace).size,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
