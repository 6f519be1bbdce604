// Where the worker threads of a sweep come from: dist/sweep-worker.mjs beside the bundled CLI
// (tools/build.mjs builds it), or, run from the sources (tests), bin/sweep-worker.ts bundled
// in memory by esbuild (the package's one runtime dependency) and started from its text.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerFactory } from './sweep';

// Replaced by tools/build.mjs (with package.json's version): defined only in a bundle.
declare const __RPMSG_SIM_VERSION__: string;

let sourceWorker: string | undefined;

/** The text of bin/sweep-worker.ts bundled in memory (CommonJS, esbuild left outside), made once. */
function sourceWorkerCode(): string {
  if (sourceWorker === undefined) {
    // require, not import(): jest cannot import() (files.ts compileModules does the same).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const result = esbuild.buildSync({
      entryPoints: [join(__dirname, '..', '..', 'bin', 'sweep-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['esbuild'],
      write: false,
      logLevel: 'silent',
    });
    sourceWorker = result.outputFiles[0]!.text;
  }
  return sourceWorker;
}

/** Whether this copy is the bundle (dist/) rather than the sources. */
export function bundled(): boolean {
  return typeof __RPMSG_SIM_VERSION__ === 'string';
}

/** Makes the worker threads of a sweep (bin/sweep-worker.ts's loop). */
export function sweepWorkers(): WorkerFactory {
  if (bundled()) {
    const url = new URL('./sweep-worker.mjs', import.meta.url);
    return () => new Worker(url);
  }
  const code = sourceWorkerCode();
  return () => new Worker(code, { eval: true });
}
