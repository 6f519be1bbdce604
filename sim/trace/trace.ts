// The record stream every trace writer is a view of (DESIGN.md "Traces"): one record per
// event, in time order, each with its time in ticks, the component, the kind and the
// fields of that kind, always built in the same key order so the canonical JSON Lines form
// is deterministic byte for byte. Models hold a `Tracer | null` and build nothing when it is
// null, so tracing costs one comparison when off.

import type { Kernel } from '../kernel';

/** Fields of each kind of record, in the order they are written. */
export interface RecordFields {
  /** A bus access as the master saw it complete. */
  bus: { op: 'read' | 'write'; address: number; size: number; value: number; target: string; cycles: number; stall: number };
  /** A block transfer (burst). */
  burst: { op: 'read' | 'write'; address: number; size: number; target: string; beats: number; cycles: number; stall: number };
  /** A bus fault seen by the master. */
  'bus-fault': { op: 'read' | 'write'; address: number; size: number; reason: string };
  /** An interrupt request line changed level. */
  'irq-line': { level: boolean };
  /** The interrupt controller latched a request. */
  'irq-pending': { line: number };
  /** The core began exception entry (or tail-chaining) for a line. */
  'irq-entry': { line: number; tailChained: boolean };
  /** A higher-priority request took the vector during entry. */
  'irq-late-arrival': { line: number; replaced: number };
  /** The handler's first instruction. */
  'handler-start': { line: number; priority: number };
  /** The handler returned. */
  'handler-end': { line: number };
  /** Exception exit finished: the interrupted context (a handler's line, or -1 for thread mode) runs again. */
  'exception-return': { resumes: number };
  /** The core went to sleep (WFI) / woke up. */
  sleep: Record<string, never>;
  wake: Record<string, never>;
  /** An unhandled bus fault locked the core up. */
  lockup: { reason: string };
  /** rpmsg-lite: an API call began (send, send_nocopy, alloc_tx_buffer, release_rx_buffer, init, …). */
  'rl-call': { fn: string };
  /** rpmsg-lite: the call returned (its return code; 0 for calls that return a pointer that was not NULL). */
  'rl-return': { fn: string; code: number };
  /**
   * rpmsg-lite: a message was put on a ring (before the kick). `msg` numbers the messages of
   * one direction (`dir`: 'm2r' master→remote on vring 1, 'r2m' on vring 0) from 0; rings are
   * FIFO, so the same number identifies its delivery.
   */
  'rl-enqueue': { dir: 'm2r' | 'r2m'; msg: number; src: number; dst: number; len: number; buffer: number };
  /** rpmsg-lite: a message was taken off a ring and handed to its endpoint (or dropped: `ept` -1). */
  'rl-deliver': { dir: 'm2r' | 'r2m'; msg: number; src: number; dst: number; len: number; buffer: number; ept: number };
  /** rpmsg-lite: link_state became 1. */
  'rl-link-up': Record<string, never>;
}

export type RecordKind = keyof RecordFields;

/** One trace record: time and source first, then the kind's fields. */
export type TraceRecord = {
  [K in RecordKind]: { t: number; component: string; kind: K } & RecordFields[K];
}[RecordKind];

/** Where records go: a writer, a test's list, a statistics collector. */
export interface TraceSink {
  record(r: TraceRecord): void;
  /** Called once at the end of the run. */
  close?(): void;
}

export class Tracer {
  private readonly sinks: TraceSink[] = [];

  constructor(private readonly kernel: Kernel) {}

  addSink(sink: TraceSink): void {
    this.sinks.push(sink);
  }

  emit<K extends RecordKind>(component: string, kind: K, fields: RecordFields[K]): void {
    const r = { t: this.kernel.now as number, component, kind, ...fields } as TraceRecord;
    for (const s of this.sinks) s.record(r);
  }

  close(): void {
    for (const s of this.sinks) s.close?.();
  }
}

/** Keeps every record in memory (tests, short runs). */
export class MemorySink implements TraceSink {
  readonly records: TraceRecord[] = [];
  record(r: TraceRecord): void {
    this.records.push(r);
  }
}
