// Measurement beside the bytes: which send was delivered when. Messages of one direction
// are delivered in order (one vring, FIFO), so the k-th delivery at a side belongs to the
// k-th logged send of the other side. Nothing here is read by the firmware.

import type { Role } from '../program';

export type { Role };

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
  readonly records: MessageRecord[];
  /** A send call starts; returns the message id. */
  sending(from: Role, tick: number): number;
  /** The send call returned. */
  sent(id: number, tick: number): void;
  /** A callback at `at` was entered for the oldest undelivered message from the other side. */
  delivered(at: Role, tick: number): void;
}

export function newMessageLog(): MessageLog {
  const records: MessageRecord[] = [];
  const pending: Record<Role, number[]> = { master: [], remote: [] };
  return {
    records,
    sending(from, tick) {
      const id = records.length;
      records.push({ id, from, sendCall: tick, sendReturn: -1, delivered: -1 });
      pending[from].push(id);
      return id;
    },
    sent(id, tick) {
      records[id]!.sendReturn = tick;
    },
    delivered(at, tick) {
      const from: Role = at === 'master' ? 'remote' : 'master';
      const id = pending[from].shift();
      if (id !== undefined) records[id]!.delivered = tick;
    },
  };
}

export interface Distribution {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** min, mean, p50 (lower median), p99 (nearest rank), max of a list of numbers. */
export function distribution(values: number[]): Distribution {
  if (values.length === 0) return { count: 0, min: NaN, mean: NaN, p50: NaN, p99: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
  return {
    count: sorted.length,
    min: sorted[0]!,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    p50: rank(0.5),
    p99: rank(0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** One-way latencies (send call to the receiver's callback entry), in ticks, per direction. */
export function oneWayLatencies(log: MessageLog, from: Role): number[] {
  return log.records.filter((r) => r.from === from && r.delivered >= 0).map((r) => r.delivered - r.sendCall);
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
