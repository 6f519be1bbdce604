// A worker thread of the fuzz harness (fuzz/pool.ts): imports the CLI bundle once and runs
// its main() on each case it is sent, with process.stdout and process.stderr captured.
// Plain JavaScript, so that jest and the benchmark's bundle can both start it as it is.
//
// Message in:  { id, argv }
// Message out: { id, exit, stdout, stderr, crash?, polluted? }
// The pool terminates the thread when a case passes its deadline, and starts another.

import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

process.setSourceMapsEnabled(true);

let out = [];
let err = [];

function capture(sink) {
  return (chunk, encoding, callback) => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const cb = typeof encoding === 'function' ? encoding : callback;
    if (typeof cb === 'function') queueMicrotask(() => cb());
    return true;
  };
}
process.stdout.write = capture(out);
process.stderr.write = capture(err);

/** The own property names of the prototypes a case could pollute, before any case ran. */
const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype };
const baseline = Object.fromEntries(Object.entries(PROTOTYPES).map(([k, p]) => [k, new Set(Reflect.ownKeys(p))]));

function pollution() {
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    const extra = Reflect.ownKeys(proto).filter((k) => !baseline[name].has(k));
    if (extra.length > 0) return `${name}.prototype gained ${String(extra[0])}`;
  }
  return undefined;
}

const cli = await import(pathToFileURL(workerData.bundle).href);

parentPort.on('message', async (job) => {
  out.length = 0;
  err.length = 0;
  let exit = null;
  let crash;
  try {
    exit = await cli.main(job.argv);
  } catch (error) {
    crash = `main() threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  }
  // main() adds an 'error' listener to stdout on each call (bin/cli.ts); one case's only.
  process.stdout.removeAllListeners('error');
  // let what the command left running (a writer thread's last message) settle
  await new Promise((resolve) => setImmediate(resolve));
  const polluted = pollution();
  parentPort.postMessage({ id: job.id, exit, stdout: out.join(''), stderr: err.join(''), crash, polluted });
});

parentPort.postMessage({ ready: true });
