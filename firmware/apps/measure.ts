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
  readonly id: number;
  readonly from: Role;
  readonly sendCall: number;
}

/**
 * The first MESSAGE_LOG_LIMIT records, by column: the three ticks of each record side by side
 * in one Float64Array and the senders in a Uint8Array, both doubling as they fill (as LatencyStats keeps its values). 100,000 records as objects made
 * the heap, and with it the RSS of a long run, grow by several times their size.
 */
class RecordColumns {
  length = 0;
  private from = new Uint8Array(16);
  private ticks = new Float64Array(3 * 16);

  push(from: Role, sendCall: number): void {
    const k = this.length++;
    if (k === this.from.length) {
      const size = Math.min(2 * k, MESSAGE_LOG_LIMIT);
      const f = new Uint8Array(size);
      f.set(this.from);
      const t = new Float64Array(3 * size);
      t.set(this.ticks);
      this.from = f;
      this.ticks = t;
    }
    this.from[k] = from === 'master' ? 0 : 1;
    this.ticks[3 * k] = sendCall;
    this.ticks[3 * k + 1] = -1;
    this.ticks[3 * k + 2] = -1;
  }

  setSendReturn(k: number, tick: number): void {
    this.ticks[3 * k + 1] = tick;
  }

  setDelivered(k: number, tick: number): void {
    this.ticks[3 * k + 2] = tick;
  }

  record(k: number): MessageRecord {
    const t = this.ticks;
    return { id: k, from: this.from[k] === 0 ? 'master' : 'remote', sendCall: t[3 * k]!, sendReturn: t[3 * k + 1]!, delivered: t[3 * k + 2]! };
  }
}

class BoundedMessageLog implements MessageLog {
  private readonly columns = new RecordColumns();
  count = 0;
  readonly oneWay = { master: new LatencyStats(), remote: new LatencyStats() };
  readonly sendReturn = { master: new LatencyStats(), remote: new LatencyStats() };
  /** Sends in progress by id (one per sending thread). */
  private readonly inSend = new Map<number, InFlight>();
  /** Undelivered messages per sender, oldest first (at most RL_MAX_BUFFER_COUNT). */
  private readonly pending: Record<Role, InFlight[]> = { master: [], remote: [] };

  /** The records as objects, made at the first read after a change (tests and tools read them at the end). */
  private made: MessageRecord[] | null = null;

  get records(): readonly MessageRecord[] {
    this.made ??= Array.from({ length: this.columns.length }, (_, k) => this.columns.record(k));
    return this.made;
  }

  sending(from: Role, tick: number): number {
    const id = this.count++;
    if (id < MESSAGE_LOG_LIMIT) {
      this.columns.push(from, tick);
      this.made = null;
    }
    const m: InFlight = { id, from, sendCall: tick };
    this.inSend.set(id, m);
    const pending = this.pending[from];
    if (pending.push(m) > RL_MAX_BUFFER_COUNT) pending.shift();
    return id;
  }

  sent(id: number, tick: number): void {
    const m = this.inSend.get(id);
    if (m === undefined) return;
    this.inSend.delete(id);
    if (id < MESSAGE_LOG_LIMIT) {
      this.columns.setSendReturn(id, tick);
      this.made = null;
    }
    this.sendReturn[m.from].add(tick - m.sendCall);
  }

  delivered(at: Role, tick: number): void {
    const from: Role = at === 'master' ? 'remote' : 'master';
    const m = this.pending[from].shift();
    if (m === undefined) return;
    if (m.id < MESSAGE_LOG_LIMIT) {
      this.columns.setDelivered(m.id, tick);
      this.made = null;
    }
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
