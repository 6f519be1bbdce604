// Runs a sweep (docs/sweep.md): the points of the grid (or of one shard of it), in this thread
// or spread over worker threads, each point to its row; the rows are kept by point index, so
// the results are the same whatever the number of workers and whichever finishes first.

import type { Worker } from 'node:worker_threads';
import { type Axis, SweepInputError, pointAt, pointCount, shardPoints } from './grid';
import { type PointResult, type PointTask, runPoint } from './point';
import { RESULTS_FORMAT, RESULTS_VERSION, type SweepResults } from './results';

/** Makes one worker thread that runs bin/sweep-worker.ts's loop (the CLI knows where its code is). */
export type WorkerFactory = () => Worker;

/** A worker's answer to a task (bin/sweep-worker.ts). */
export type WorkerReply = { id: number; result: PointResult } | { id: number; internal: string };

export interface SweepOptions {
  /** The scenario file. */
  file: string;
  axes: Axis[];
  shard: { index: number; count: number } | null;
  /** The point whose histograms are kept (default 0). */
  histogramPoint?: number;
  /** Worker threads; 1 (or no factory): the points run one after the other in this thread. */
  jobs: number;
  workers?: WorkerFactory;
  /** After each point: how many are done, of how many. */
  onProgress?: (done: number, total: number) => void;
}

/** An error of rpmsg-sim itself in a worker, with the worker's stack. */
export class WorkerInternalError extends Error {
  override name = 'WorkerInternalError';
}

export async function runSweep(options: SweepOptions): Promise<SweepResults> {
  const total = pointCount(options.axes);
  const histogramPoint = options.histogramPoint ?? 0;
  if (!(Number.isSafeInteger(histogramPoint) && histogramPoint >= 0 && histogramPoint < total)) {
    throw new SweepInputError(`--histogram-point ${histogramPoint}: expected a point index from 0 to ${total - 1} (the grid has ${total} point${total === 1 ? '' : 's'})`);
  }
  const tasks: PointTask[] = shardPoints(total, options.shard).map((i) => ({ file: options.file, axes: options.axes, point: pointAt(options.axes, i), histogram: i === histogramPoint }));
  const results = options.jobs > 1 && options.workers !== undefined && tasks.length > 1 ? await inWorkers(tasks, options.jobs, options.workers, options.onProgress) : await inThisThread(tasks, options.onProgress);
  const kept = results.find((r) => r.histograms !== undefined);
  return {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    scenario: options.file,
    axes: options.axes,
    points: total,
    histogramPoint,
    shard: options.shard,
    rows: results.map((r) => r.row),
    histogram: kept === undefined ? null : { point: histogramPoint, latency: kept.histograms! },
  };
}

async function inThisThread(tasks: readonly PointTask[], onProgress: SweepOptions['onProgress']): Promise<PointResult[]> {
  const out: PointResult[] = [];
  for (const task of tasks) {
    out.push(await runPoint(task));
    onProgress?.(out.length, tasks.length);
  }
  return out;
}

/** Each worker takes the next task when it has answered the last; answers go to their task's place. */
function inWorkers(tasks: readonly PointTask[], jobs: number, factory: WorkerFactory, onProgress: SweepOptions['onProgress']): Promise<PointResult[]> {
  return new Promise((resolve, reject) => {
    const out = new Array<PointResult | undefined>(tasks.length);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    /** Workers told to end (terminate() makes their exit code 1). */
    const ended = new Set<Worker>();
    const stop = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error);
    };
    const feed = (w: Worker) => {
      if (next >= tasks.length) {
        ended.add(w);
        void w.terminate();
        return;
      }
      const id = next++;
      w.postMessage({ id, task: tasks[id] });
    };
    for (let i = 0; i < Math.min(jobs, tasks.length); i++) {
      const w = factory();
      workers.push(w);
      w.on('message', (reply: WorkerReply) => {
        if (failed) return;
        if ('internal' in reply) {
          stop(new WorkerInternalError(`point ${tasks[reply.id]!.point.index}: ${reply.internal}`));
          return;
        }
        out[reply.id] = reply.result;
        done++;
        onProgress?.(done, tasks.length);
        if (done === tasks.length) {
          for (const x of workers) {
            ended.add(x);
            void x.terminate();
          }
          resolve(out as PointResult[]);
        } else feed(w);
      });
      w.on('error', (error) => stop(error instanceof Error ? error : new Error(String(error))));
      w.on('exit', (code) => {
        if (!failed && !ended.has(w) && done < tasks.length) stop(new WorkerInternalError(`a sweep worker ended with exit code ${code}`));
      });
      feed(w);
    }
  });
}
