// The temporary files this process is writing, so that none outlives it: FileOutput adds
// each one when it creates it and drops it once it is renamed into place or removed. What is
// still listed when the process ends is removed on the way out: at `exit` (whatever called
// process.exit, or an uncaught exception) and, once the CLI asks for it (onSignal), on
// SIGINT, SIGTERM and SIGHUP.
//
// A process-wide list, against the project's rule of no globals, because what it mirrors is
// process-wide: the signals and the exit belong to the process, not to one simulation. Two
// simulations in one process share it harmlessly (each only adds and drops its own paths).
//
// The signal listeners are installed when the first temporary file is made: until then a
// signal keeps its default action (the process ends at once, there is nothing to clean up).
// They stay afterwards, so that a signal caught while a file was written is not lost when
// the file is published before the listener runs. A listener delays the signal to the next
// turn of the event loop: a run that never lets the loop turn (a synchronous simulation)
// sees it only when it ends (docs/reliability.md "Output files").

import * as fs from 'node:fs';
import * as os from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** The signals that remove the temporaries and end the process (exit 128 + the signal's number). */
export const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type CleanupSignal = (typeof CLEANUP_SIGNALS)[number];

/** One temporary file and the target it becomes (for the message on a signal; none for a scratch folder). */
export interface LiveTemporary {
  readonly path: string;
  readonly target?: string;
}

/** What the process does on a signal, after the temporaries are removed (the CLI prints and exits). */
export type SignalAction = (signal: CleanupSignal, notWritten: readonly string[]) => void;

const live = new Map<string, LiveTemporary>();
let action: SignalAction | null = null;
let listening = false;
let exitHook = false;

/**
 * Lists `path`, being written to become `target`, until dropTemporary(path). A scratch
 * folder may be listed too, without a target (it is removed with what it holds, and not
 * named on a signal): a module compiled into a temporary folder.
 */
export function addTemporary(path: string, target?: string): void {
  live.set(path, target === undefined ? { path } : { path, target });
  if (!exitHook) {
    exitHook = true;
    process.on('exit', removeTemporaries);
  }
  listen();
}

/** `path` is no longer a temporary file of ours (renamed into place, or removed). */
export function dropTemporary(path: string): void {
  live.delete(path);
}

/** The temporary files that exist now, oldest first. */
export function liveTemporaries(): LiveTemporary[] {
  return [...live.values()];
}

/** Removes every listed temporary file (errors ignored: the process is ending) and returns what they were for. */
export function removeTemporaries(): LiveTemporary[] {
  const removed = [...live.values()];
  for (const t of removed) {
    try {
      fs.rmSync(t.path, { recursive: true, force: true });
    } catch {
      // nothing more can be done on the way out
    }
  }
  live.clear();
  return removed;
}

/**
 * On SIGINT, SIGTERM or SIGHUP once a temporary file has been made: remove those that
 * remain, then call `then` with the targets that were not written (it ends the process). A
 * later call replaces the action. Only the main thread receives signals.
 */
export function onSignal(then: SignalAction): void {
  action = then;
  listen();
}

/** The exit status of a process ended by `signal`, by the shells' convention: 128 + its number. */
export function signalExitCode(signal: CleanupSignal): number {
  return 128 + os.constants.signals[signal];
}

function handle(signal: CleanupSignal): void {
  const removed = removeTemporaries();
  const then = action;
  const targets = removed.flatMap((t) => (t.target === undefined ? [] : [t.target]));
  if (then !== null) then(signal, [...new Set(targets)]);
  else process.exit(signalExitCode(signal));
}

const handlers = new Map<CleanupSignal, () => void>(CLEANUP_SIGNALS.map((s) => [s, () => handle(s)]));

function listen(): void {
  if (listening || action === null || live.size === 0 || !isMainThread) return;
  listening = true;
  for (const [signal, handler] of handlers) process.on(signal, handler);
}
