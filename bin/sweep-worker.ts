// A worker thread of `rpmsg-sim sweep` (bin/commands/sweep.ts): runs the points it is sent,
// one at a time, and answers each with its row (scenario-engine/sweep/point.ts). Bundled by
// tools/build.mjs into dist/sweep-worker.mjs beside the CLI; from the sources (tests) it is
// bundled in memory and started from its text (bin/commands/sweep.ts sourceWorkerCode).
// A bug of rpmsg-sim is answered with its stack, for the main thread to report (exit 70).

import { parentPort } from 'node:worker_threads';
import { type PointTask, runPoint } from '../scenario-engine/sweep/point';
import type { WorkerReply } from '../scenario-engine/sweep/sweep';
// A firmware module importing `rpmsg-sim` is bound to this thread's copy (files.ts compileModules).
import '../scenario-engine/api';

const port = parentPort;
if (port === null) throw new Error('bin/sweep-worker.ts runs as a worker thread of rpmsg-sim sweep');

port.on('message', (message: { id: number; task: PointTask }) => {
  runPoint(message.task).then(
    (result) => port.postMessage({ id: message.id, result } satisfies WorkerReply),
    (error: unknown) => port.postMessage({ id: message.id, internal: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply),
  );
});
