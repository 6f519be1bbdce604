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

export class MetricsCollector implements TraceSink {
  /** Per core: tick of the send call in progress. */
  private readonly sendCallAt = new Map<string, number>();
  /** Per core: the message its current send enqueued (for the send-return latency). */
  private readonly sendMessage = new Map<string, number>();
  /** In-flight messages: send-call tick by message (number × 2 + direction). */
  private readonly inFlight = new Map<number, number>();
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
        const call = this.sendCallAt.get(r.component);
        const dir = this.txDir.get(r.component);
        if (r.code === 0 && call !== undefined && dir !== undefined && this.sendMessage.has(r.component)) {
          this.sendReturn[dir].add(r.t - call);
        }
        this.sendCallAt.delete(r.component);
        this.sendMessage.delete(r.component);
      }
    },
    'rl-enqueue': (r) => {
      this.txDir.set(r.component, r.dir);
      this.sendMessage.set(r.component, r.msg);
      this.inFlight.set(r.msg * 2 + (r.dir === 'm2r' ? 0 : 1), this.sendCallAt.get(r.component) ?? r.t);
    },
    'rl-deliver': (r) => {
      const key = r.msg * 2 + (r.dir === 'm2r' ? 0 : 1);
      const call = this.inFlight.get(key);
      this.inFlight.delete(key);
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
