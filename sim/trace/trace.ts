// The record stream every trace writer is a view of (docs/design.md "Traces"): one record per
// event, in time order, each with its time in ticks, the component, the kind and the
// fields of that kind, always built in the same key order so the canonical JSON Lines form
// is deterministic byte for byte. Models hold a `Tracer | null` and build nothing when it is
// null or when no sink reads the kind (`tracer.on[kind]`), so a record costs one or two
// comparisons when nobody reads it.

import type { Kernel } from '../kernel';

/** Fields of each kind of record, in the order they are written. */
/**
 * Interrupt numbers in records (`line`, `replaced`, `resumes`) are CMSIS IRQn: external lines
 * 0 upwards, the system exceptions negative (PendSV -2, SysTick -1), and thread mode
 * (exception number 0) this value.
 */
export const THREAD_MODE_IRQN = -16;

/** How views name an interrupt: `IRQ 31`, and the two system exceptions by name (`IRQ -2 (PendSV)`). */
export function irqLabel(irqn: number): string {
  return irqn === -2 ? 'IRQ -2 (PendSV)' : irqn === -1 ? 'IRQ -1 (SysTick)' : `IRQ ${irqn}`;
}

/** The handler of IRQn `irqn` as views name it: `ISR 31`, `ISR PendSV`, `ISR SysTick`. */
export function isrLabel(irqn: number): string {
  return irqn === -2 ? 'ISR PendSV' : irqn === -1 ? 'ISR SysTick' : `ISR ${irqn}`;
}

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
  /** The core began exception entry (or tail-chaining) for a line (IRQn: negative for a system exception). */
  'irq-entry': { line: number; tailChained: boolean };
  /** A higher-priority request took the vector during entry. */
  'irq-late-arrival': { line: number; replaced: number };
  /** The handler's first instruction. */
  'handler-start': { line: number; priority: number };
  /** The handler returned. */
  'handler-end': { line: number };
  /** Exception exit finished: the interrupted context (a handler's IRQn, or THREAD_MODE_IRQN = -16 for thread mode) runs again. */
  'exception-return': { resumes: number };
  /** The core went to sleep (WFI) / woke up. */
  sleep: Record<never, never>;
  wake: Record<never, never>;
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
  /** rpmsg-lite: platform_notify began (virtqueue_kick rings the peer's doorbell for virtqueue id `vq`). */
  'rl-notify': { vq: number };
  /** rpmsg-lite: the endpoint callback of the delivered message `dir`/`msg` returned `result` (0 RL_RELEASE, 1 RL_HOLD). */
  'rl-callback-return': { dir: 'm2r' | 'r2m'; msg: number; result: number };
  /** rpmsg-lite: link_state became 1. */
  'rl-link-up': Record<never, never>;
  /** A GPIO pin changed the level it is driven at (port and pin of the block named by the component). */
  gpio: { port: number; pin: number; level: boolean };
  /**
   * An injected fault fired (a scenario's `faults:`, scenario-engine/faults.ts): `fault` is its
   * kind (drop-doorbell, write, halt, …), `target` what it acts on (a core, a mailbox side, a
   * named field), `trigger` what fired it (`at 120 us`, `doorbell 3 of cm7`, `message m2r#4`),
   * `effect` what it changed (old → new value, the doorbell lost, the core halted).
   */
  fault: { fault: string; target: string; trigger: string; effect: string };
  /**
   * The progress watchdog ended the run (component 'watchdog'): why, and what each core and
   * task was doing and waiting on, one line each, lines separated by '\n'.
   */
  watchdog: { reason: string; report: string };
}

export type RecordKind = keyof RecordFields;

/**
 * The field names of each kind in the order `RecordFields` declares them: the canonical key
 * order of the JSON Lines form (after t, component, kind). Writers go by this table, never by
 * the key order of a record object, which depends on how its emitter built it.
 */
export const RECORD_FIELDS = {
  bus: ['op', 'address', 'size', 'value', 'target', 'cycles', 'stall'],
  burst: ['op', 'address', 'size', 'target', 'beats', 'cycles', 'stall'],
  'bus-fault': ['op', 'address', 'size', 'reason'],
  'irq-line': ['level'],
  'irq-pending': ['line'],
  'irq-entry': ['line', 'tailChained'],
  'irq-late-arrival': ['line', 'replaced'],
  'handler-start': ['line', 'priority'],
  'handler-end': ['line'],
  'exception-return': ['resumes'],
  sleep: [],
  wake: [],
  lockup: ['reason'],
  'rl-call': ['fn'],
  'rl-return': ['fn', 'code'],
  'rl-enqueue': ['dir', 'msg', 'src', 'dst', 'len', 'buffer'],
  'rl-deliver': ['dir', 'msg', 'src', 'dst', 'len', 'buffer', 'ept'],
  'rl-notify': ['vq'],
  'rl-callback-return': ['dir', 'msg', 'result'],
  'rl-link-up': [],
  gpio: ['port', 'pin', 'level'],
  fault: ['fault', 'target', 'trigger', 'effect'],
  watchdog: ['reason', 'report'],
} as const satisfies { readonly [K in RecordKind]: readonly (keyof RecordFields[K] & string)[] };

// A field added to RecordFields but not to RECORD_FIELDS fails to compile here.
type UnlistedField = {
  // (kinds without fields are Record<never, never>: nothing to list)
  [K in RecordKind]: Exclude<keyof RecordFields[K], (typeof RECORD_FIELDS)[K][number]>;
}[RecordKind];
const everyFieldListed: [UnlistedField] extends [never] ? true : never = true;
void everyFieldListed;

/** Every record kind, in declaration order. */
export const RECORD_KINDS = Object.keys(RECORD_FIELDS) as RecordKind[];

/** One trace record: time and source first, then the kind's fields. */
export type TraceRecord = {
  [K in RecordKind]: { t: number; component: string; kind: K } & RecordFields[K];
}[RecordKind];

/** A record of one kind. */
export type RecordOf<K extends RecordKind> = Extract<TraceRecord, { kind: K }>;

/**
 * Handlers per kind a sink may offer besides `record`: the tracer calls the kind's handler
 * directly, and each handler sees records of one shape (cheaper to read than a switch over
 * every kind's records).
 */
export type RecordHandlers = { readonly [K in RecordKind]?: (r: RecordOf<K>) => void };

/** Calls the handler of `r`'s kind, if any: a sink's `record` when it has `handlers`. */
export function dispatchRecord(handlers: RecordHandlers, r: TraceRecord): void {
  (handlers[r.kind] as ((r: TraceRecord) => void) | undefined)?.(r);
}

/** Where records go: a writer, a test's list, a statistics collector. */
export interface TraceSink {
  record(r: TraceRecord): void;
  /** Per-kind handlers the tracer calls instead of `record` (see RecordHandlers). */
  readonly handlers?: RecordHandlers;
  /**
   * The kinds this sink reads; absent: the kinds of its `handlers`, or with none every kind.
   * A record no sink reads is never built (emitters ask `Tracer.on` first), so a sink that
   * reads few kinds costs little.
   */
  readonly kinds?: Iterable<RecordKind>;
  /** With 'bus' among `kinds`: only the 'bus' records of these targets (a memory's or peripheral's name). */
  readonly busTargets?: ReadonlySet<string>;
  /** Called once at the end of the run. */
  close?(): void;
  /** Called instead of close() when the run failed: a file writer removes its unfinished output. */
  abort?(): void;
}

type Reader = (r: TraceRecord) => void;

/** Versions of every tracer's sink list (see Tracer.version). */
let tracerVersions = 0;

/** The kinds a sink reads (see TraceSink.kinds). */
export function kindsRead(sink: TraceSink): readonly RecordKind[] {
  if (sink.kinds !== undefined) return [...sink.kinds];
  if (sink.handlers !== undefined) return RECORD_KINDS.filter((k) => sink.handlers![k] !== undefined);
  return RECORD_KINDS;
}

/** What the tracer calls for a sink's records of one kind: its handler, or its `record`. */
function readerOf(sink: TraceSink, kind: RecordKind): Reader {
  const handler = sink.handlers?.[kind] as Reader | undefined;
  return handler ?? ((r) => sink.record(r));
}

export class Tracer {
  private readonly sinks: TraceSink[] = [];
  /**
   * Per kind: whether some sink reads it. Emitters test it before building a record
   * (`if (tracer?.on.sleep) tracer.put({ t: tracer.now, component, kind: 'sleep' })`). For 'bus': whether some sink reads the
   * records of every target; `wantsBus(target)` answers for one target.
   */
  readonly on = Object.fromEntries(RECORD_KINDS.map((k) => [k, false])) as Record<RecordKind, boolean>;
  private readonly readers = Object.fromEntries(RECORD_KINDS.map((k) => [k, [] as Reader[]])) as Record<RecordKind, Reader[]>;
  /** The readers of 'bus' records per target, in the order the sinks were added (made when first asked). */
  private readonly busReaders = new Map<string, Reader[]>();
  /** Targets some sink reads the 'bus' records of (besides sinks that read them all). */
  private readonly busTargets = new Set<string>();
  /**
   * Changes whenever a sink is added (emitters that keep `wantsBus` answers ask again);
   * drawn from one counter for all tracers, so a model moved to another tracer asks again too.
   */
  version = ++tracerVersions;
  /** Each sink's kinds, read once (a sink's `kinds` may be a one-pass iterable). */
  private readonly sinkKinds = new Map<TraceSink, readonly RecordKind[]>();

  constructor(private readonly kernel: Kernel) {}

  addSink(sink: TraceSink): void {
    this.sinks.push(sink);
    this.version = ++tracerVersions;
    this.busReaders.clear();
    const kinds = kindsRead(sink);
    this.sinkKinds.set(sink, kinds);
    for (const kind of kinds) {
      if (kind === 'bus' && sink.busTargets !== undefined) {
        for (const target of sink.busTargets) this.busTargets.add(target);
        continue;
      }
      this.readers[kind].push(readerOf(sink, kind));
      this.on[kind] = true;
    }
  }

  /** Whether a 'bus' record of an access to `target` has a reader. */
  wantsBus(target: string): boolean {
    return this.on.bus || this.busTargets.has(target);
  }

  /** The time records are stamped with: the kernel's now. */
  get now(): number {
    return this.kernel.now;
  }

  /**
   * Hands a record to the sinks that read its kind (emitters build it whole, `t: tracer.now`
   * first, after asking `on[kind]`, so a record nobody reads is never made).
   */
  put(r: TraceRecord): void {
    const readers = r.kind === 'bus' ? this.busReadersOf(r.target) : this.readers[r.kind];
    for (let i = 0; i < readers.length; i++) readers[i]!(r);
  }

  /** `put` of a record made from its parts (for code where a record is rare). */
  emit<K extends RecordKind>(component: string, kind: K, fields: RecordFields[K]): void {
    this.put({ t: this.kernel.now as number, component, kind, ...fields } as TraceRecord);
  }

  private busReadersOf(target: string): Reader[] {
    let list = this.busReaders.get(target);
    if (list === undefined) {
      list = this.sinks
        .filter((s) => this.sinkKinds.get(s)!.includes('bus') && (s.busTargets === undefined || s.busTargets.has(target)))
        .map((s) => readerOf(s, 'bus'));
      this.busReaders.set(target, list);
    }
    return list;
  }

  /** Closes every sink; one that fails does not keep the others from finishing (the first error is rethrown). */
  close(): void {
    this.eachSink((s) => s.close?.());
  }

  /** The run failed: every sink drops its unfinished output (see TraceSink.abort). */
  abort(): void {
    this.eachSink((s) => s.abort?.());
  }

  private eachSink(action: (s: TraceSink) => void): void {
    let failure: { error: unknown } | null = null;
    for (const s of this.sinks) {
      try {
        action(s);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  }
}

/** Keeps every record in memory (tests, short runs). */
export class MemorySink implements TraceSink {
  readonly records: TraceRecord[] = [];
  record(r: TraceRecord): void {
    this.records.push(r);
  }
}
