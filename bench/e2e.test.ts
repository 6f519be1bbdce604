// The e2e benchmark's arithmetic and text (bench/e2e.ts) and the anchors' output parser
// (bench/anchors.ts), on hand-made child results: no process is started, no clock read.

import { parseAnchorOutput } from './anchors';
import type { ChildResult } from './e2e-child';
import { extensionOf, floodSettings, formatE2e, median, netRow, pingPongSettings } from './e2e';

const run = (over: Partial<ChildResult>): ChildResult => ({
  stopReason: 'finished',
  simulatedNs: 0,
  masterToRemote: 1,
  remoteToMaster: 2,
  wallSeconds: 0,
  peakHeapBytes: 0,
  peakRssBytes: 0,
  gcCount: 0,
  traceBytes: 0,
  ...over,
});

test('median: the middle value, or the mean of the middle two', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([7])).toBe(7);
  expect(() => median([])).toThrow(RangeError);
});

test('netRow subtracts the start-up run from the measured one, wall and simulated time alike', () => {
  // measured: 5001 round trips (the count 5001 keeps the arithmetic round), 2.25 s wall,
  // 18.0 ms simulated; start-up: 1 round trip, 0.25 s wall, 1.0 ms simulated.
  // net wall 2.25 - 0.25 = 2 s; net simulated 18 - 1 = 17 ms; RTF 0.017 / 2 = 0.0085;
  // round trips/s (5001 - 1) / 2 = 2500.
  // The RSS is the measured run's (120 MB), the heap and the GCs the heap run's (48 MB, 300).
  const big = run({ masterToRemote: 5001, wallSeconds: 2.25, simulatedNs: 18e6, peakHeapBytes: null, peakRssBytes: 120 * 1024 * 1024, gcCount: null, traceBytes: 4096 });
  const tiny = run({ masterToRemote: 1, wallSeconds: 0.25, simulatedNs: 1e6 });
  const heapRun = run({ masterToRemote: 5001, peakHeapBytes: 48 * 1024 * 1024, peakRssBytes: 200 * 1024 * 1024, gcCount: 300 });
  const row = netRow({ workload: 'ping-pong', platform: 'imxrt1170', trace: 'jsonl', count: 5001 }, [big], [tiny], [heapRun], (r) => r.masterToRemote);
  expect(row.wallSeconds).toBe(2);
  expect(row.totalWallSeconds).toBe(2.25);
  expect(row.startupSeconds).toBe(0.25);
  expect(row.simulatedSeconds).toBeCloseTo(0.017, 15);
  expect(row.rtf).toBeCloseTo(0.0085, 15);
  expect(row.perSecond).toBe(2500);
  expect([row.peakHeapMB, row.peakRssMB, row.gcCount, row.traceBytes]).toEqual([48, 120, 300, 4096]);
});

test('netRow with repeats: medians of the times, the highest of the memory figures', () => {
  // walls 3, 1, 2 -> median 2; start-ups 0.5, 1, 0 -> median 0.5; net 1.5 s.
  // messages 301 each, start-up 1: (301 - 1) / 1.5 = 200 per second.
  const mb = 1024 * 1024;
  const runs = [3, 1, 2].map((w, i) => run({ wallSeconds: w, masterToRemote: 301, peakRssBytes: [100, 130, 110][i]! * mb }));
  const startups = [0.5, 1, 0].map((w) => run({ wallSeconds: w }));
  const heapRuns = [40, 50, 30].map((h) => run({ masterToRemote: 301, peakHeapBytes: h * mb, gcCount: h }));
  const row = netRow({ workload: 'flood', platform: 'imxrt1170', trace: 'none', count: 301 }, runs, startups, heapRuns, (r) => r.masterToRemote);
  expect(row.wallSeconds).toBe(1.5);
  expect(row.perSecond).toBe(200);
  expect(row.peakRssMB).toBe(130);
  expect(row.peakHeapMB).toBe(50);
  expect(row.gcCount).toBe(50);
});

test('a run no longer than its start-up has no rate (NaN, printed n/a); no heap runs (--no-heap) give no heap', () => {
  const row = netRow({ workload: 'ping-pong', platform: 'imx8mm', trace: 'none', count: 10 }, [run({ wallSeconds: 0.3, masterToRemote: 10 })], [run({ wallSeconds: 0.3 })], [], (r) => r.masterToRemote);
  expect(row.wallSeconds).toBe(0);
  expect(row.rtf).toBeNaN();
  expect(row.perSecond).toBeNaN();
  expect(row.peakHeapMB).toBeNull();
  expect(row.gcCount).toBeNull();
  const text = formatE2e({ node: 'v20', repeats: 1, startupCount: 1, method: 'm', pingPong: [row], flood: [] });
  // platform, trace, sim s, wall s, start-up s, total s, RTF, round trips/s, trace MB, heap MB, RSS MB, GCs
  expect(text).toContain('imx8mm    none       0       0       0.300    0.300  n/a            n/a         -        -       0    -');
  expect(text).toContain('note: 1 run(s) lasted less than their start-up or 0.5 s net');
});

test('the settings of the runs: the count, and stop times out of reach', () => {
  // 5000 round trips x 100 us + 10 ms = 510 ms = 510000 us
  expect(pingPongSettings(5000)).toEqual(['master.params.count=5000', 'stop.time=510000us']);
  expect(floodSettings(100_000)).toEqual(['master.params.count=100000', 'expect.messages.master-to-remote=100000']);
  // above 10^6 the file's 1000 s no longer covers 1 ms per message: 2 000 000 + 1000 ms
  expect(floodSettings(2_000_000)).toEqual(['master.params.count=2000000', 'expect.messages.master-to-remote=2000000', 'stop.time=2001000ms']);
});

test('each trace format has the extension that selects it', () => {
  expect(['jsonl', 'vcd', 'perfetto', 'text'].map((f) => extensionOf(f as 'jsonl'))).toEqual(['.jsonl', '.vcd', '.json', '.txt']);
});

test('the anchors: result lines are read, other lines ignored', () => {
  const out = 'Info: something\nsystemc timers events=2000000 seconds=0.309028 events_per_s=6.472e+06\nsimpy pingpong events=800000 seconds=0.9276 events_per_s=8.624e+05\n';
  expect(parseAnchorOutput(out)).toEqual([
    { kernel: 'systemc', workload: 'timers', events: 2_000_000, seconds: 0.309028, eventsPerSecond: 6.472e6 },
    { kernel: 'simpy', workload: 'pingpong', events: 800_000, seconds: 0.9276, eventsPerSecond: 8.624e5 },
  ]);
});
