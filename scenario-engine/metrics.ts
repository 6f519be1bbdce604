// Summary metrics of a run, collected from the record stream (a TraceSink) and the models'
// counters at the end: per-message latency, throughput, per-core utilisation, bus
// utilisation and contention, interrupt counts, rpmsg-lite return codes, and intervals
// between GPIO pin edges (PinIntervalCollector).
//
// Latency of a message: send call (the rl-call of rpmsg_lite_send / _send_nocopy that led to
// its rl-enqueue) to the receiver's callback entry (its rl-deliver, matched by direction and
// number: rings are FIFO). Memory stays flat: a message's record is dropped once delivered,
// and latencies are kept exactly up to 100,000 messages per direction, then in a log-spaced
// histogram (sim/stats/latency-stats.ts: p50/p99 within 0.1 %; min, mean and max stay exact;
// `exact` says which).

import { type RecordHandlers, type TraceRecord, type TraceSink, dispatchRecord } from '../sim/trace/trace';
import { RL_ERROR_NAMES, RL_POINTER_FUNCTIONS } from '../firmware/rpmsg-lite/constants';
import { LatencyStats } from '../sim/stats/latency-stats';

/** rpmsg_lite_send or rpmsg_lite_send_nocopy (the calls a message's latency starts at). */
export function isSend(fn: string): boolean {
  return fn === 'rpmsg_lite_send' || fn === 'rpmsg_lite_send_nocopy';
}

type Dir = 'm2r' | 'r2m';

/**
 * Values by message number for the messages in flight in one direction: a table indexed by
 * the number's low bits that grows when two live numbers would share a slot. Setting and
 * deleting allocate nothing (a Map's delete reallocates its table as it shrinks and grows
 * again, once per message here).
 */
export class ByMessage<T> {
  private msgs = new Float64Array(64).fill(-1);
  private values: (T | undefined)[] = new Array<T | undefined>(64).fill(undefined);

  get(msg: number): T | undefined {
    const i = msg & (this.msgs.length - 1);
    return this.msgs[i] === msg ? this.values[i] : undefined;
  }

  set(msg: number, value: T): void {
    let i = msg & (this.msgs.length - 1);
    while (this.msgs[i] !== -1 && this.msgs[i] !== msg) {
      this.grow();
      i = msg & (this.msgs.length - 1);
    }
    this.msgs[i] = msg;
    this.values[i] = value;
  }

  delete(msg: number): void {
    const i = msg & (this.msgs.length - 1);
    if (this.msgs[i] !== msg) return;
    this.msgs[i] = -1;
    this.values[i] = undefined;
  }

  private grow(): void {
    const msgs = this.msgs;
    const values = this.values;
    const size = msgs.length * 2;
    this.msgs = new Float64Array(size).fill(-1);
    this.values = new Array<T | undefined>(size).fill(undefined);
    for (let i = 0; i < msgs.length; i++) if (msgs[i] !== -1) this.set(msgs[i]!, values[i] as T);
  }
}

export class MetricsCollector implements TraceSink {
  /** Per core: tick of the send call in progress (-1: none). */
  private readonly sendCallAt = new Map<string, number>();
  /** Per core: the message its current send enqueued, for the send-return latency (-1: none). */
  private readonly sendMessage = new Map<string, number>();
  /** In-flight messages per direction: the send call's tick by message number. */
  private readonly inFlight: Record<Dir, ByMessage<number>> = { m2r: new ByMessage(), r2m: new ByMessage() };
  readonly oneWay: Record<Dir, LatencyStats> = { m2r: new LatencyStats(), r2m: new LatencyStats() };
  readonly sendReturn: Record<Dir, LatencyStats> = { m2r: new LatencyStats(), r2m: new LatencyStats() };
  readonly delivered: Record<Dir, number> = { m2r: 0, r2m: 0 };
  readonly dropped: Record<Dir, number> = { m2r: 0, r2m: 0 };
  readonly bytesDelivered: Record<Dir, number> = { m2r: 0, r2m: 0 };
  /** rpmsg-lite return codes by value. */
  readonly codes = new Map<number, number>();
  firstDeliveryTick = -1;
  lastDeliveryTick = -1;
  /** Called after every delivery (the runner stops at a message count). */
  onDelivery: ((total: number) => void) | null = null;
  private txDir = new Map<string, Dir>();

  readonly handlers: RecordHandlers = {
    'rl-call': (r) => {
      if (isSend(r.fn)) this.sendCallAt.set(r.component, r.t);
    },
    'rl-return': (r) => {
      if (!RL_POINTER_FUNCTIONS.has(r.fn)) this.codes.set(r.code, (this.codes.get(r.code) ?? 0) + 1);
      if (isSend(r.fn)) {
        const call = this.sendCallAt.get(r.component) ?? -1;
        const dir = this.txDir.get(r.component);
        if (r.code === 0 && call >= 0 && dir !== undefined && (this.sendMessage.get(r.component) ?? -1) >= 0) {
          this.sendReturn[dir].add(r.t - call);
        }
        this.sendCallAt.set(r.component, -1);
        this.sendMessage.set(r.component, -1);
      }
    },
    'rl-enqueue': (r) => {
      this.txDir.set(r.component, r.dir);
      this.sendMessage.set(r.component, r.msg);
      const call = this.sendCallAt.get(r.component) ?? -1;
      this.inFlight[r.dir].set(r.msg, call >= 0 ? call : r.t);
    },
    'rl-deliver': (r) => {
      const call = this.inFlight[r.dir].get(r.msg);
      this.inFlight[r.dir].delete(r.msg);
      if (r.ept < 0) {
        this.dropped[r.dir]++;
        return;
      }
      if (call !== undefined) this.oneWay[r.dir].add(r.t - call);
      this.delivered[r.dir]++;
      this.bytesDelivered[r.dir] += r.len;
      if (this.firstDeliveryTick < 0) this.firstDeliveryTick = r.t;
      this.lastDeliveryTick = r.t;
      this.onDelivery?.(this.delivered.m2r + this.delivered.r2m);
    },
  };

  record(r: TraceRecord): void {
    dispatchRecord(this.handlers, r);
  }

  /** Codes by name ("RL_SUCCESS": 41). */
  codesByName(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [code, n] of [...this.codes.entries()].sort((a, b) => b[0] - a[0])) {
      out[RL_ERROR_NAMES[code] ?? String(code)] = n;
    }
    return out;
  }
}

/** One edge to watch: a pin's 'gpio' records (by block, port and pin) going to a level. */
export interface WatchedEdge {
  block: string;
  port: number;
  pin: number;
  /** true: rising (the pin goes high), false: falling. */
  rising: boolean;
}

/**
 * Intervals between GPIO pin edges, as a logic analyser measures them: an interval starts at
 * a `from` edge (a later `from` edge while it is open restarts it) and ends at the first `to`
 * edge after its start. When one record is both (the same edge of the same pin: a period),
 * it ends the open interval, then starts the next.
 */
export class PinIntervalCollector implements TraceSink {
  readonly kinds = ['gpio'] as const;
  readonly stats = new LatencyStats();
  /** Tick the open interval started at; -1: none is open. */
  private openAt = -1;

  constructor(
    private readonly from: WatchedEdge,
    private readonly to: WatchedEdge,
  ) {}

  record(r: TraceRecord): void {
    if (r.kind !== 'gpio') return;
    if (matches(this.to, r.component, r.port, r.pin, r.level) && this.openAt >= 0) {
      this.stats.add(r.t - this.openAt);
      this.openAt = -1;
    }
    if (matches(this.from, r.component, r.port, r.pin, r.level)) this.openAt = r.t;
  }
}

function matches(e: WatchedEdge, block: string, port: number, pin: number, level: boolean): boolean {
  return e.block === block && e.port === port && e.pin === pin && e.rising === level;
}
