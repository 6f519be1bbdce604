// Measurement beside the bytes: which send was delivered when. Messages of one direction
// are delivered in order (one vring, FIFO), so the k-th delivery at a side belongs to the
// k-th logged send of the other side. Nothing here is read by the firmware.
//
// Memory stays flat however long the run: the log keeps the records of the first
// MESSAGE_LOG_LIMIT messages exactly and only counts the later ones; every message's one-way
// and send-return latency goes into statistics per sending side (sim/stats/latency-stats.ts:
// exact up to 100,000 values, then min, mean, max exact and p50/p99 within 0.1 %). Messages
// in flight (sent, not yet delivered) are held exactly: the ring's buffers bound them, so a
// side with more than RL_MAX_BUFFER_COUNT undelivered sends has sends whose deliveries this
// log never sees (a receiver that is not this app's, messages dropped for want of an
// endpoint); the oldest of them is then forgotten, so that memory stays bounded there too.

import { EXACT_LIMIT, LatencyStats } from '../../sim/stats/latency-stats';
import { RL_MAX_BUFFER_COUNT } from '../rpmsg-lite/constants';
import type { Role } from '../program';

export type { Role };

/** Messages whose records a log keeps (the first ones); also the bound of `keepFirst`. */
export const MESSAGE_LOG_LIMIT = EXACT_LIMIT;

export interface MessageRecord {
  id: number;
  from: Role;
  /** Tick of the send call. */
  sendCall: number;
  /** Tick the send returned (-1 while in progress). */
  sendReturn: number;
  /** Tick the receiver's callback was entered (-1 until delivered). */
  delivered: number;
}

export interface MessageLog {
  /** The records of the first MESSAGE_LOG_LIMIT messages, in send order (record k has id k). */
  readonly records: readonly MessageRecord[];
  /** Messages logged, all of them (the next send's id). */
  readonly count: number;
  /** Send call to the receiver's callback entry, in ticks, of every delivered message, by sender. */
  readonly oneWay: Readonly<Record<Role, LatencyStats>>;
  /** Send call to its return, in ticks, of every send that returned, by sender. */
  readonly sendReturn: Readonly<Record<Role, LatencyStats>>;
  /** A send call starts; returns the message id. */
  sending(from: Role, tick: number): number;
  /** The send call returned. */
  sent(id: number, tick: number): void;
  /** A callback at `at` was entered for the oldest undelivered message from the other side. */
  delivered(at: Role, tick: number): void;
}

/** A message sent and not yet delivered, or whose send has not returned. */
interface InFlight {
  readonly from: Role;
  readonly sendCall: number;
  /** Its record, when it is one of the first MESSAGE_LOG_LIMIT. */
  readonly record: MessageRecord | undefined;
}

class BoundedMessageLog implements MessageLog {
  readonly records: MessageRecord[] = [];
  count = 0;
  readonly oneWay = { master: new LatencyStats(), remote: new LatencyStats() };
  readonly sendReturn = { master: new LatencyStats(), remote: new LatencyStats() };
  /** Sends in progress by id (one per sending thread). */
  private readonly inSend = new Map<number, InFlight>();
  /** Undelivered messages per sender, oldest first (at most RL_MAX_BUFFER_COUNT). */
  private readonly pending: Record<Role, InFlight[]> = { master: [], remote: [] };

  sending(from: Role, tick: number): number {
    const id = this.count++;
    let record: MessageRecord | undefined;
    if (id < MESSAGE_LOG_LIMIT) {
      record = { id, from, sendCall: tick, sendReturn: -1, delivered: -1 };
      this.records.push(record);
    }
    const m: InFlight = { from, sendCall: tick, record };
    this.inSend.set(id, m);
    const pending = this.pending[from];
    if (pending.push(m) > RL_MAX_BUFFER_COUNT) pending.shift();
    return id;
  }

  sent(id: number, tick: number): void {
    const m = this.inSend.get(id);
    if (m === undefined) return;
    this.inSend.delete(id);
    if (m.record !== undefined) m.record.sendReturn = tick;
    this.sendReturn[m.from].add(tick - m.sendCall);
  }

  delivered(at: Role, tick: number): void {
    const from: Role = at === 'master' ? 'remote' : 'master';
    const m = this.pending[from].shift();
    if (m === undefined) return;
    if (m.record !== undefined) m.record.delivered = tick;
    this.oneWay[from].add(tick - m.sendCall);
  }
}

export function newMessageLog(): MessageLog {
  return new BoundedMessageLog();
}

/** Appends `value` to `list` while it holds fewer than MESSAGE_LOG_LIMIT items: the first ones are kept, in order. */
export function keepFirst<T>(list: T[], value: T): void {
  if (list.length < MESSAGE_LOG_LIMIT) list.push(value);
}

/** Counts rpmsg-lite return codes by value; `count(code)` returns the code for chaining. */
export function codeCounter(codes = new Map<number, number>()): { codes: Map<number, number>; count: (code: number) => number } {
  return {
    codes,
    count: (code) => {
      codes.set(code, (codes.get(code) ?? 0) + 1);
      return code;
    },
  };
}
