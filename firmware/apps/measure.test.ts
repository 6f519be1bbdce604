// The apps' message log: sends paired with deliveries in FIFO order per direction, exact
// records of the first MESSAGE_LOG_LIMIT messages, latency statistics of all of them.

import { RL_MAX_BUFFER_COUNT } from '../rpmsg-lite/constants';
import { MESSAGE_LOG_LIMIT, keepFirst, newMessageLog } from './measure';

test('deliveries pair with the oldest undelivered send of the other side, also before that send has returned', () => {
  const log = newMessageLog();
  const a = log.sending('master', 10);
  log.delivered('remote', 50); // the remote's callback runs while the master's send is still in progress
  log.sent(a, 60);
  const b = log.sending('master', 100);
  log.sent(b, 130);
  const c = log.sending('master', 200);
  log.sent(c, 220);
  const d = log.sending('remote', 210);
  log.sent(d, 240);
  log.delivered('remote', 300); // b (a is delivered)
  log.delivered('master', 310); // d
  log.delivered('remote', 330); // c
  log.delivered('master', 400); // nothing from the remote in flight: ignored
  expect([a, b, c, d, log.count]).toEqual([0, 1, 2, 3, 4]);
  expect(log.records).toEqual([
    { id: 0, from: 'master', sendCall: 10, sendReturn: 60, delivered: 50 },
    { id: 1, from: 'master', sendCall: 100, sendReturn: 130, delivered: 300 },
    { id: 2, from: 'master', sendCall: 200, sendReturn: 220, delivered: 330 },
    { id: 3, from: 'remote', sendCall: 210, sendReturn: 240, delivered: 310 },
  ]);
  // One-way from the master: 50 - 10 = 40, 300 - 100 = 200, 330 - 200 = 130 (mean 370 / 3);
  // from the remote 310 - 210 = 100. Send-return: 50, 30, 20 and 30.
  const master = log.oneWay.master.summary();
  expect([master.count, master.min, master.p50, master.max, master.exact]).toEqual([3, 40, 130, 200, true]);
  expect(master.mean).toBeCloseTo(370 / 3, 12);
  expect(log.oneWay.remote.summary()).toEqual({ count: 1, min: 100, mean: 100, p50: 100, p99: 100, max: 100, exact: true });
  expect(log.sendReturn.master.summary()).toEqual({ count: 3, min: 20, mean: 100 / 3, p50: 30, p99: 50, max: 50, exact: true });
  expect(log.sendReturn.remote.summary()).toEqual({ count: 1, min: 30, mean: 30, p50: 30, p99: 30, max: 30, exact: true });
});

/**
 * `n` messages from the master, one at a time: message k is sent at 1000k, its send returns
 * 20 ticks later and it is delivered 100 + (k mod 50) ticks after its send call.
 */
function masterMessages(n: number) {
  const log = newMessageLog();
  for (let k = 0; k < n; k++) {
    const id = log.sending('master', 1000 * k);
    log.sent(id, 1000 * k + 20);
    log.delivered('remote', 1000 * k + 100 + (k % 50));
  }
  return log;
}

test('the bound: the first 100,000 messages keep their records; the 100,001st is counted and summarised, not kept', () => {
  expect(MESSAGE_LOG_LIMIT).toBe(100_000);
  // At the bound: latencies 100..149, 2000 messages each. p50 is rank 50,000, the last of the
  // 25th value (124); p99 rank 99,000, within the 50th (149); mean (100 + 149) / 2 = 124.5.
  const at = masterMessages(MESSAGE_LOG_LIMIT);
  expect([at.count, at.records.length]).toEqual([100_000, 100_000]);
  expect(at.records[99_999]).toEqual({ id: 99_999, from: 'master', sendCall: 99_999_000, sendReturn: 99_999_020, delivered: 99_999_149 });
  expect(at.oneWay.master.summary()).toEqual({ count: 100_000, min: 100, mean: 124.5, p50: 124, p99: 149, max: 149, exact: true });
  expect(at.sendReturn.master.summary()).toEqual({ count: 100_000, min: 20, mean: 20, p50: 20, p99: 20, max: 20, exact: true });

  // One past: message 100,000 (latency 100 + 0) has no record; the statistics take it and turn
  // to their histogram. 2001 latencies of 100, then 2000 each: p50 is rank ceil(50,000.5) =
  // 50,001, in the 124s (2001 + 23 × 2000 + 1 .. 2001 + 24 × 2000), reported as the upper edge
  // of 124's bucket, 1.001^4823 = 124.038 (ln 124 / ln 1.001 = 4822.2, rounded up); p99 is rank
  // 99,001, in the 149s, whose edge is clamped to the max, 149. Mean: (12,450,000 + 100) /
  // 100,001 = 124.49975500244997. Send-return: all 20, the edge clamped to min and max.
  const past = masterMessages(MESSAGE_LOG_LIMIT + 1);
  expect([past.count, past.records.length]).toEqual([100_001, 100_000]);
  expect(past.records[99_999]).toEqual(at.records[99_999]);
  const s = past.oneWay.master.summary();
  expect([s.count, s.min, s.p99, s.max, s.exact]).toEqual([100_001, 100, 149, 149, false]);
  expect(s.p50).toBeCloseTo(124.038, 3);
  expect(s.mean).toBeCloseTo(124.49975500244997, 9);
  expect(past.sendReturn.master.summary()).toEqual({ count: 100_001, min: 20, mean: 20, p50: 20, p99: 20, max: 20, exact: false });
  // What the log holds: 100,000 records and, per statistic, one bucket per latency seen.
  expect([past.oneWay.master.held, past.sendReturn.master.held, past.oneWay.remote.held]).toEqual([50, 1, 0]);
});

test('more undelivered sends than any ring holds: the oldest is forgotten, the next delivery pairs with the one after it', () => {
  // 32,768 (RL_MAX_BUFFER_COUNT) + 1 sends from the master at ticks 0, 10, 20, …, none delivered
  // (the remote is not this app's): message 0 is dropped from the pending queue, so the
  // remote's first logged delivery, at 1,000,000, is message 1's: latency 1,000,000 - 10.
  const log = newMessageLog();
  for (let k = 0; k <= RL_MAX_BUFFER_COUNT; k++) log.sent(log.sending('master', 10 * k), 10 * k + 5);
  log.delivered('remote', 1_000_000);
  expect(RL_MAX_BUFFER_COUNT).toBe(32_768);
  expect([log.records[0]!.delivered, log.records[1]!.delivered, log.records[2]!.delivered]).toEqual([-1, 1_000_000, -1]);
  expect(log.oneWay.master.summary()).toEqual({ count: 1, min: 999_990, mean: 999_990, p50: 999_990, p99: 999_990, max: 999_990, exact: true });
});

test('keepFirst keeps the first 100,000 values, in order, and drops the rest', () => {
  const list: number[] = [];
  for (let i = 0; i <= MESSAGE_LOG_LIMIT; i++) keepFirst(list, i);
  expect([list.length, list[0], list[99_999]]).toEqual([100_000, 0, 99_999]);
});

test('records read between changes are the same array; a send, a return or a delivery makes the next read new', () => {
  const log = newMessageLog();
  const a = log.sending('master', 10);
  const first = log.records;
  expect(log.records).toBe(first);
  expect(first).toEqual([{ id: 0, from: 'master', sendCall: 10, sendReturn: -1, delivered: -1 }]);
  log.sent(a, 20);
  expect(log.records).not.toBe(first);
  expect(log.records[0]).toEqual({ id: 0, from: 'master', sendCall: 10, sendReturn: 20, delivered: -1 });
  log.delivered('remote', 30);
  expect(log.records[0]!.delivered).toBe(30);
  log.sending('remote', 40);
  expect(log.records.map((r) => r.id)).toEqual([0, 1]);
});
