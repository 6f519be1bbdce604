// The progress line of a long run on a terminal (issue 13): simulated time, messages
// delivered, wall time and an estimate of the time left against the scenario's stop
// condition, redrawn in place on stderr. Nothing when stderr is not a terminal (a pipe, a
// file, CI logs), with --quiet, or for a run that ends within a second. The line is erased
// before anything else is printed: the summary, an error, and on a signal.
//
// Own code rather than a progress-bar library: the line is one `\r`, the text and an
// erase-to-end-of-line (ECMA-48 EL, `ESC [ K`); what it needs beyond that (a clock and a
// stream that tests inject, erasing on signals, the estimate against two stop conditions)
// a library would not do for it, and none would then be bundled for nothing.

import type { RunProgress } from '../scenario-engine/run';
import { formatNs } from '../sim/text/quantity';

/** What the line is written to: process.stderr, or a fake terminal in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  /** The terminal's width in characters (a TTY stream's `columns`), when known. */
  columns?: number;
  write(text: string): unknown;
}

/** A run shows a line once it has taken this much wall time (an assumption: shorter waits need no reassurance). */
export const SHOW_AFTER_MS = 1000;
/** The line is redrawn at most this often (10 times a second: a rate a reader can follow without flicker). */
export const REDRAW_MS = 100;

/** Erase from the cursor to the end of the line (ECMA-48 EL 0). */
const ERASE_LINE = '\x1b[K';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A wall-clock duration for people: `0.4 s`, `42.0 s`, `6m 05s`, `1h 02m`. */
export function formatWall(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * How far the run is towards its stop, from 0 to 1: the larger of the simulated time's and the
 * message count's fractions (the run stops at whichever comes first); undefined with neither.
 */
export function fractionDone(p: RunProgress): number | undefined {
  const parts = [p.stopNs === undefined || p.stopNs <= 0 ? undefined : p.simulatedNs / p.stopNs, p.stopMessages === undefined || p.stopMessages <= 0 ? undefined : p.messages / p.stopMessages].filter((f) => f !== undefined);
  return parts.length === 0 ? undefined : Math.min(1, Math.max(...parts));
}

/**
 * The line's text, the share of the stop beside the condition nearer to it:
 * `flood-1m: 7.533 s of 1000 s simulated (0.8%), 60000 messages, 3.2 s wall, ETA ≤ 6m 40s`.
 * The estimate assumes the rest runs at the rate so far, to the stop; a run may end before
 * it (its programs finish), hence "≤".
 */
export function formatProgress(label: string, p: RunProgress, wallMs: number): string {
  const time = p.stopNs === undefined || p.stopNs <= 0 ? undefined : Math.min(1, p.simulatedNs / p.stopNs);
  const count = p.stopMessages === undefined || p.stopMessages <= 0 ? undefined : Math.min(1, p.messages / p.stopMessages);
  const lead = time !== undefined && (count === undefined || time >= count) ? 'time' : count !== undefined ? 'messages' : undefined;
  const share = (f: number | undefined) => ` (${(100 * f!).toFixed(1)}%)`;
  const simulated = `${formatNs(p.simulatedNs)}${p.stopNs === undefined ? '' : ` of ${formatNs(p.stopNs)}`} simulated${lead === 'time' ? share(time) : ''}`;
  const messages = `${p.messages}${p.stopMessages === undefined ? '' : ` of ${p.stopMessages}`} messages${lead === 'messages' ? share(count) : ''}`;
  const done = fractionDone(p);
  const eta = done === undefined || done <= 0 ? 'ETA -' : `ETA ≤ ${formatWall((wallMs * (1 - done)) / done)}`;
  return `${label}: ${simulated}, ${messages}, ${formatWall(wallMs)} wall, ${eta}`;
}

export interface ProgressOptions {
  /** Names the run on the line (the scenario's name). */
  label: string;
  stream?: ProgressStream;
  /** Wall-clock milliseconds (performance.now by default). */
  now?: () => number;
  /** The environment (TERM=dumb: no line; a dumb terminal cannot erase it). */
  env?: Readonly<Record<string, string | undefined>>;
  quiet?: boolean;
  /** Erase the line on SIGINT, SIGTERM and SIGHUP (default true; tests of the line alone turn it off). */
  signals?: boolean;
}

/** A line of status on a terminal, redrawn in place: `show` draws a text, `clear` erases it for now, `end` for good. */
export interface StatusLine {
  /** Draws `text(wallMs)` once the line is due (shown after SHOW_AFTER_MS, redrawn at most every REDRAW_MS); `wallMs` counts from the line's creation. */
  show(text: (wallMs: number) => string): void;
  /** Erases the line if it is drawn (the next show draws it again). */
  clear(): void;
  /** Erases the line and stops drawing it. */
  end(): void;
}

/** One run's progress line; `update` is the run's onProgress, `end` erases it for good. */
export interface ProgressLine {
  update(p: RunProgress): void;
  /** Erases the line and stops drawing it (a line of output erases it for now: eraseStatusLine). */
  end(): void;
}

const NO_LINE: StatusLine = { show: () => {}, clear: () => {}, end: () => {} };

/** Erases the status line drawn now, if any. */
let eraseDrawn: (() => void) | null = null;

/**
 * Erases whatever status line is on the terminal, so that a line of output does not land in
 * it: the CLI's out() and err() call this before they write (bin/commands/common.ts).
 */
export function eraseStatusLine(): void {
  eraseDrawn?.();
}

/**
 * A status line on `stream` (stderr), or one that draws nothing when the stream is not a
 * terminal, with TERM=dumb or with --quiet: what a run's progress line and a sweep's share.
 */
export function statusLine(options: Omit<ProgressOptions, 'label'>): StatusLine {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  if (options.quiet === true || stream.isTTY !== true || env['TERM'] === 'dumb') return NO_LINE;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let drawnAt = -Infinity;
  let drawn = false;
  let ended = false;
  let listening = false;
  const clear = () => {
    if (!drawn) return;
    stream.write(`\r${ERASE_LINE}`);
    drawn = false;
    if (eraseDrawn === clear) eraseDrawn = null;
  };
  // A signal's default action ends the process at once, with the line left on the terminal:
  // erase it first, then, when nothing else handles the signal (the output files' handler,
  // sim/trace/temporaries.ts), raise it again for its default action (the same exit status).
  const onSignal = (signal: NodeJS.Signals) => {
    clear();
    const alone = process.listenerCount(signal) === 1;
    end();
    if (alone) process.kill(process.pid, signal);
  };
  const onExit = () => clear();
  const listen = () => {
    if (listening || options.signals === false) return;
    listening = true;
    for (const s of SIGNALS) process.prependListener(s, onSignal);
    process.on('exit', onExit);
  };
  const end = () => {
    clear();
    ended = true;
    if (!listening) return;
    listening = false;
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.removeListener('exit', onExit);
  };
  return {
    show(textOf: (wallMs: number) => string) {
      if (ended) return;
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - drawnAt < REDRAW_MS) return;
      drawnAt = t;
      let text = textOf(t - started);
      // One character short of the width: a line that fills it would wrap, and `\r` would redraw only its second row.
      const width = stream.columns;
      if (width !== undefined && width > 1 && text.length > width - 1) text = `${text.slice(0, Math.max(0, width - 2))}…`;
      listen();
      stream.write(`\r${text}${ERASE_LINE}`);
      drawn = true;
      eraseDrawn = clear;
    },
    clear,
    end,
  };
}

/** A run's progress line on `stream` (stderr), or one that draws nothing when the stream is not a terminal or --quiet. */
export function progressLine(options: ProgressOptions): ProgressLine {
  const line = statusLine(options);
  return {
    update: (p: RunProgress) => line.show((wallMs) => formatProgress(options.label, p, wallMs)),
    end: () => line.end(),
  };
}
