// What a view page embeds (as JSON): made by build.ts in Node, read by page.ts in the browser.

import type { TraceHeader } from '../../sim/trace/header';
import type { TraceRecord } from '../../sim/trace/trace';
import type { BurstValues } from '../fields';
import type { ViewLayout } from './layout';
import type { ViewState } from './state';

/** A step where a phase of a message begins (or, b5, where it is delivered). */
export interface PhaseMark {
  /** Local step: the mark's record is records[step - 1], so the state at `step` includes it. */
  step: number;
  label: string;
}

/** Every message of one direction: enqueue times (ticks, each as the difference from the previous one) and latencies (ticks from rl-enqueue to rl-deliver; -1 not delivered, -2 dropped). */
export interface MessageColumns {
  enqueueDelta: number[];
  latency: number[];
  /** Messages beyond MAX_SUMMARY_MESSAGES (not in the columns). */
  more: number;
}

/** What the page gets (embedded as JSON). */
export interface ViewData {
  header: TraceHeader;
  layout: ViewLayout;
  /** The global number of records[0]. */
  first: number;
  /** Records in the whole run. */
  total: number;
  /** The state after the records before the window. */
  start: ViewState;
  records: TraceRecord[];
  /**
   * The vring fields each burst write of `records` left in shared memory, by the record's
   * global number and then the field's address (read during the run: a burst record has no data).
   */
  bursts: BurstValues;
  marks: PhaseMark[];
  messages: Record<'m2r' | 'r2m', MessageColumns>;
  run: { stopReason: 'time' | 'messages' | 'finished' | 'idle' | 'tick-limit' | 'watchdog'; simulatedNs: number; ok: boolean };
}

