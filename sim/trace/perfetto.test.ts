import { TINY_HEADER, TINY_RECORDS, type TraceEvent, checkSlices, rec } from './fixtures';
import { StringOutput } from './output';
import { PERFETTO_TID, PerfettoWriter } from './perfetto';
import type { TraceRecord } from './trace';

function eventsOf(records: TraceRecord[], header = TINY_HEADER): { doc: Record<string, unknown>; events: TraceEvent[] } {
  const out = new StringOutput();
  const w = new PerfettoWriter(out, header);
  for (const r of records) w.record(r);
  w.close();
  const doc = JSON.parse(out.text()) as Record<string, unknown>;
  return { doc, events: doc.traceEvents as TraceEvent[] };
}

test('hand-made records: process and track names, slices, instants, one flow from enqueue to delivery', () => {
  const { doc, events } = eventsOf(TINY_RECORDS);
  expect(doc.displayTimeUnit).toBe('ns');
  expect(JSON.parse((doc.otherData as { header: string }).header).scenario).toBe('tiny');
  const names = events.filter((e) => e.ph === 'M' && e.name.endsWith('_name')).map((e) => [e.pid, e.tid, e.args!.name]);
  expect(names).toEqual([
    [1, 0, 'cm7 (master, 500 MHz)'],
    [1, 1, 'thread mode'],
    [1, 2, 'handlers'],
    [1, 3, 'rpmsg API'],
    [2, 0, 'cm4 (remote, 250 MHz)'],
    [2, 1, 'thread mode'],
    [2, 2, 'handlers'],
    [2, 3, 'rpmsg API'],
  ]);
  const timeline = events.filter((e) => e.ph !== 'M').map((e) => `${e.ph} ${e.ts} ${e.pid}/${e.tid ?? '-'} ${e.name}`);
  expect(timeline).toEqual([
    'B 0 1/3 rpmsg_lite_send',
    'i 0.02 1/3 enqueue m2r#0',
    's 0.02 1/3 m2r#0',
    'C 0.032 2/- mu.b.irq',
    'i 0.036 2/2 IRQ 118 pending',
    'B 0.036 2/2 exception entry',
    'E 0.04 1/3 rpmsg_lite_send',
    'B 0.04 1/1 asleep (WFI)',
    'E 0.084 2/2 exception entry',
    'B 0.084 2/2 ISR 118',
    'C 0.09 2/- mu.b.irq',
    'i 0.12 2/2 deliver m2r#0 to ept 30',
    'f 0.12 2/2 m2r#0',
    'E 0.14 2/2 ISR 118',
    'B 0.14 2/2 exit',
    'E 0.168 2/2 exit',
    'E 0.168 1/1 asleep (WFI)',
  ]);
  const enclosing = checkSlices(events);
  const [start, finish] = events.filter((e) => e.ph === 's' || e.ph === 'f');
  expect([start!.id, finish!.id, finish!.bp]).toEqual([0, 0, 'e']);
  expect([enclosing.get(start!), enclosing.get(finish!)]).toEqual(['rpmsg_lite_send', 'ISR 118']);
  // the slice left open at the end is closed there and says so
  expect(events.at(-1)!.args).toEqual({ unfinished: true });
});

test('thread-mode calls that do not nest (two RTOS tasks) go on separate API tracks; calls from an ISR nest', () => {
  const { events } = eventsOf([
    rec(0, 'cm7', 'rl-call', { fn: 'rpmsg_lite_send' }), // task A blocks inside
    rec(10, 'cm7', 'rl-call', { fn: 'rpmsg_lite_alloc_tx_buffer' }), // task B
    rec(20, 'cm7', 'handler-start', { line: 5, priority: 1 }),
    rec(22, 'cm7', 'rl-call', { fn: 'rpmsg_lite_release_rx_buffer' }),
    rec(24, 'cm7', 'rl-return', { fn: 'rpmsg_lite_release_rx_buffer', code: 0 }),
    rec(26, 'cm7', 'handler-end', { line: 5 }),
    rec(28, 'cm7', 'exception-return', { resumes: -16 }),
    rec(30, 'cm7', 'rl-return', { fn: 'rpmsg_lite_send', code: 0 }), // A returns first
    rec(40, 'cm7', 'rl-return', { fn: 'rpmsg_lite_alloc_tx_buffer', code: 0 }),
  ]);
  checkSlices(events);
  const api = events.filter((e) => e.ph === 'B' || e.ph === 'E').filter((e) => e.tid! >= PERFETTO_TID.api);
  expect(api.map((e) => `${e.ph} ${e.tid} ${e.name}`)).toEqual([
    'B 3 rpmsg_lite_send',
    'B 4 rpmsg_lite_alloc_tx_buffer',
    'B 3 rpmsg_lite_release_rx_buffer',
    'E 3 rpmsg_lite_release_rx_buffer',
    'E 3 rpmsg_lite_send',
    'E 4 rpmsg_lite_alloc_tx_buffer',
  ]);
  expect(events.find((e) => e.ph === 'M' && e.tid === 4 && e.name === 'thread_name')!.args).toEqual({ name: 'rpmsg API (task 2)' });
});
