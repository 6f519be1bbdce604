// Running JavaScript that may never return (a user's module: its top level as it is loaded,
// its programs as the simulation runs them) so that wall time can stop it.
//
// node:vm's `timeout` stops any JavaScript that runs inside one Script.runInContext call,
// functions made outside the context included. A worker thread with a deadline could do the same only
// by moving the whole simulation and its outputs into the worker; this costs about 60 µs a
// call (measured on the development machine, Node 20), so callers make calls of tens of ms.

import { Script, createContext } from 'node:vm';

/** Ctrl-C stopped JavaScript that ran interruptibly; the outputs under way were removed. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
  constructor(
    readonly signal: 'SIGINT',
    /** The outputs the run was writing, now removed. */
    readonly notWritten: readonly string[] = [],
  ) {
    super(`interrupted by ${signal}${notWritten.length === 0 ? '' : `; not written: ${notWritten.map((f) => `"${f}"`).join(', ')}`}`);
  }
}

/** How an interruptible call ended early: the wall-time limit, Ctrl-C, or not at all (anything else it threw). */
export function interruption(error: unknown): 'timeout' | 'sigint' | null {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? 'timeout' : code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED' ? 'sigint' : null;
}

/** The one script and context every call goes through (made once: a context costs far more than a call). */
let interruptible: { script: Script; context: { body: () => unknown } } | null = null;

/**
 * Runs `body` so that `timeoutMs` of wall time (0: no limit) interrupts it wherever
 * it is; then it throws an error that `interruption` recognises. Whatever `body` was doing is
 * left unfinished (a generator it was running is unusable afterwards).
 */
export function interruptibly<T>(body: () => T, timeoutMs: number): T {
  if (interruptible === null) {
    const context = { body: (): unknown => undefined };
    createContext(context);
    interruptible = { script: new Script('body()'), context };
  }
  const { script, context } = interruptible;
  const outer = context.body;
  context.body = body;
  try {
    // (displayErrors off: an error passing through keeps its stack as it was, with no source line prepended)
    // No breakOnSigint: its own SIGINT handler, swapped in and out around every call, lost a
    // Ctrl-C now and then (the run went on to its end) or let the default action kill the
    // process with its temporaries left (fuzz, 10,000 cases). Ctrl-C is the CLI's signal
    // handler's, between calls; in an endless loop it takes effect when the timeout ends it.
    return script.runInContext(context, { ...(timeoutMs > 0 && { timeout: timeoutMs }), displayErrors: false }) as T;
  } finally {
    context.body = outer;
  }
}
