// The sweep engine: the grid's axes and order, the rows of 4 platforms × 7 sizes run in this
// thread and in 2 worker threads (the sources' worker, bundled in memory), shards merged
// into the whole grid's bytes, the merge's refusals, and the charts as well-formed SVG.

import { DOMParser } from '@xmldom/xmldom';
import { join } from 'node:path';
import { readScenarioFile } from '../files';
import { runScenarioAsync } from '../run';
import { type Axis, SweepInputError, axesOf, parseShard, pointAt, pointCount, settingsOf, shardPoints } from './grid';
import { type SweepResults, mergeResults, parseResults, resultsCharts, resultsCsv, resultsJson } from './results';
import { Worker } from 'node:worker_threads';
import { WorkerInternalError, runSweep } from './sweep';
import { sweepWorkers } from './workers';

const FILE = join('scenario-engine', 'sweep', 'fixtures', 'ping-pong-short.yaml');
const PLATFORMS = 'imxrt1170,lpc55s69,imx8mm,lpc54114';
const SIZES = '8,16,32,64,128,256,512';

const axes = (): Axis[] => axesOf({ platform: PLATFORMS, size: SIZES });
const everything = (r: SweepResults) => ({ json: resultsJson(r), csv: resultsCsv(r), charts: resultsCharts(r) });

let full: SweepResults;
beforeAll(async () => {
  full = await runSweep({ file: FILE, axes: axes(), shard: null, jobs: 1 });
}, 60_000);

describe('the grid', () => {
  test('axes in product order (platform, env, buffers, size, then each --set), each with its paths', () => {
    const a = axesOf({ size: '16, 32B', set: ['master.params.count=3,4'], buffers: '2,4', env: 'bm,rtos', platform: 'lpc55s69' });
    expect(a).toEqual([
      { name: 'platform', paths: ['platform'], values: ['lpc55s69'] },
      { name: 'env', paths: ['master.environment', 'remote.environment'], values: ['bare-metal', 'rtos'] },
      { name: 'buffers', paths: ['rpmsg.buffer-count'], values: [2, 4] },
      { name: 'size', paths: ['master.params.payload-size'], values: [16, 32] },
      { name: 'master.params.count', paths: ['master.params.count'], values: ['3', '4'] },
    ]);
    expect(pointCount(a)).toBe(16);
    // the last axis varies fastest
    expect(pointAt(a, 0).values).toEqual({ platform: 'lpc55s69', env: 'bare-metal', buffers: 2, size: 16, 'master.params.count': '3' });
    expect(pointAt(a, 1).values).toEqual({ platform: 'lpc55s69', env: 'bare-metal', buffers: 2, size: 16, 'master.params.count': '4' });
    expect(pointAt(a, 15).values).toEqual({ platform: 'lpc55s69', env: 'rtos', buffers: 4, size: 32, 'master.params.count': '4' });
    expect(settingsOf(a, pointAt(a, 11))).toEqual([
      'platform=lpc55s69',
      'master.environment=rtos',
      'remote.environment=rtos',
      'rpmsg.buffer-count=2',
      'master.params.payload-size=32B',
      'master.params.count=4',
    ]);
    expect(pointCount([])).toBe(1);
  });

  test.each([
    [{ platform: 'imxrt1170,lpc55s96' }, '--platform: unknown platform "lpc55s96" (did you mean lpc55s69?); the platforms are imxrt1170, lpc55s69, imx8mm, lpc54114'],
    [{ size: '16,,32' }, '--size 16,,32: value 2 is empty; expected a comma-separated list, e.g. --size 16,64,256'],
    [{ size: '16,0' }, '--size 16,0: "0" is not a whole number of bytes of at least 1, e.g. --size 16,64,256'],
    [{ size: '1.5' }, '--size 1.5: "1.5" is not a whole number of bytes of at least 1, e.g. --size 16,64,256'],
    [{ buffers: '2,4B' }, '--buffers 2,4B: "4B" is not a whole number of buffers of at least 1, e.g. --buffers 2,4,8'],
    [{ buffers: '2,2' }, '--buffers 2,2: 2 is given twice; each value is one point of the grid'],
    [{ env: 'bm,freertos' }, '--env: unknown environment "freertos" (did you mean rtos?); the environments are bare-metal, rtos, zephyr (bm for bare-metal)'],
    [{ env: 'bm,bare-metal' }, '--env bm,bare-metal: bare-metal is given twice'],
    [{ set: ['stop.time'] }, '--set stop.time: expected path=value or path=v1,v2,… (e.g. --set master.params.count=5,10)'],
    [{ size: '16', set: ['master.params.payload-size=8B'] }, '--set master.params.payload-size sets master.params.payload-size, which --size sets already; give each path once'],
  ])('bad axis %j: %s', (options, message) => {
    expect(() => axesOf(options)).toThrow(new SweepInputError(message));
  });

  test('shards: i/n takes the points whose index % n is i - 1', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/2', '3/2', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(`--shard ${bad}: expected i/n with 1 <= i <= n`);
    expect(shardPoints(7, { index: 2, count: 3 })).toEqual([1, 4]);
    expect(shardPoints(3, null)).toEqual([0, 1, 2]);
  });
});

describe('4 platforms × 7 sizes', () => {
  test('one row per point, in point order, each with its axes; a payload larger than the buffer is a row with its error', () => {
    expect(full.points).toBe(28);
    expect(full.rows.map((r) => r.point)).toEqual(Array.from({ length: 28 }, (_, i) => i));
    expect(full.rows.map((r) => `${r.values['platform']}:${r.values['size']}`)).toEqual(PLATFORMS.split(',').flatMap((p) => SIZES.split(',').map((s) => `${p}:${s}`)));
    const errors = full.rows.filter((r) => r.status === 'error');
    expect(errors.map((r) => r.point)).toEqual([6, 13, 20, 27]);
    for (const r of errors) {
      expect(r.error).toBe('payload size 512 B is larger than the buffer payload of 496 B (rpmsg.buffer-payload-size)');
      expect([r.latency, r.throughput, r.bus, r.cores]).toEqual([null, null, null, null]);
    }
    for (const r of full.rows.filter((x) => x.status !== 'error')) {
      expect(r.status).toBe('ok');
      expect([r.latency!.oneWayMasterToRemote.count, r.latency!.oneWayRemoteToMaster.count, r.latency!.roundTrip.count]).toEqual([5, 6, 5]);
    }
    expect(full.rows.filter((r) => r.status === 'ok').map((r) => `${r.cores!.master.name}/${r.cores!.remote.name}`)).toEqual(
      ['cm7/cm4', 'core0/core1', 'a53/m4', 'cm4/cm0plus'].flatMap((c) => Array<string>(6).fill(c)),
    );
  });

  test("a row's figures are the run's summary at that point (run --set the same values)", async () => {
    const row = full.rows[8]!; // lpc55s69, 16 B
    expect(row.values).toEqual({ platform: 'lpc55s69', size: 16 });
    const scenario = readScenarioFile(FILE, ['platform=lpc55s69', 'master.params.payload-size=16B']).scenario!;
    const s = await runScenarioAsync(scenario);
    const m2r = s.latency.oneWay.masterToRemote;
    expect(row.latency!.oneWayMasterToRemote.ns).toEqual({ min: m2r.ns.min, p50: m2r.ns.p50, p90: m2r.ns.p90, p99: m2r.ns.p99, max: m2r.ns.max, mean: m2r.ns.mean });
    expect(row.latency!.oneWayMasterToRemote.remoteCycles.p50).toBe(m2r.cycles['core1']!.p50);
    expect(row.latency!.roundTrip.ns.max).toBe(s.latency.roundTrip.ns.max);
    expect(row.throughput).toEqual(s.throughput);
    expect(row.bus).toEqual(Object.fromEntries(s.bus.map((b) => [b.port, b.utilisation])));
    expect(row.simulatedNs).toBe(s.simulatedNs);
    // bigger payloads take longer: p50 one-way grows with the size on every platform
    for (let p = 0; p < 4; p++) {
      const p50s = full.rows.slice(p * 7, p * 7 + 6).map((r) => r.latency!.oneWayMasterToRemote.ns.p50!);
      expect([...p50s].sort((a, b) => a - b)).toEqual(p50s);
      expect(p50s[5]!).toBeGreaterThan(p50s[0]!);
    }
  });

  test('the CSV: a header and one line per point; an error row has its message quoted and empty figures', () => {
    const lines = resultsCsv(full).split('\n');
    expect(lines).toHaveLength(30); // header, 28 rows, the final newline
    expect(lines[29]).toBe('');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 11)).toEqual(['point', 'platform', 'size', 'status', 'error', 'stop_reason', 'simulated_ns', 'master_core', 'master_hz', 'remote_core', 'remote_hz']);
    expect(header).toContain('one_way_m2r_p90_ns');
    expect(header).toContain('round_trip_p99_remote_cycles');
    // 11 columns, 19 per latency (count, 6 statistics in ns and in each core's cycles), 2 of throughput, then the bus ports
    expect(header.slice(11 + 3 * 19, 11 + 3 * 19 + 2)).toEqual(['throughput_messages_per_s', 'throughput_bytes_per_s']);
    const ports = [...new Set(full.rows.flatMap((r) => Object.keys(r.bus ?? {})))];
    expect(header.slice(11 + 3 * 19 + 2)).toEqual(ports.map((p) => `bus_${p}_utilisation`));
    expect(ports.length).toBeGreaterThan(0);
    expect(lines[7]).toBe(`6,imxrt1170,512,error,payload size 512 B is larger than the buffer payload of 496 B (rpmsg.buffer-payload-size)${','.repeat(header.length - 5)}`);
    const row8 = lines[9]!.split(',');
    expect(row8.slice(0, 4)).toEqual(['8', 'lpc55s69', '16', 'ok']);
    expect(Number(row8[header.indexOf('one_way_m2r_p50_ns')])).toBe(full.rows[8]!.latency!.oneWayMasterToRemote.ns.p50);
    expect(row8).toHaveLength(header.length);
  });

  test('the same bytes from 2 worker threads as from this one', async () => {
    const two = await runSweep({ file: FILE, axes: axes(), shard: null, jobs: 2, workers: sweepWorkers() });
    expect(everything(two)).toEqual(everything(full));
  }, 60_000);

  test('shard 1/2 and 2/2, merged from their results.json, give the bytes of the whole grid', async () => {
    const parts = await Promise.all([1, 2].map((index) => runSweep({ file: FILE, axes: axes(), shard: { index, count: 2 }, jobs: 1 })));
    expect(parts.map((p) => p.rows.length)).toEqual([14, 14]);
    expect(parts[0]!.rows.every((r) => r.point % 2 === 0)).toBe(true);
    // the histogram's point (0) is in shard 1
    expect([parts[0]!.histogram?.point, parts[1]!.histogram]).toEqual([0, null]);
    const read = parts.map((p, i) => ({ file: `part${i + 1}.json`, results: parseResults(`part${i + 1}.json`, resultsJson(p)) }));
    // in either order
    expect(everything(mergeResults(read))).toEqual(everything(full));
    expect(everything(mergeResults([read[1]!, read[0]!]))).toEqual(everything(full));
  }, 60_000);
});

describe('the merge refuses', () => {
  const shard = (index: number, count: number, over: Partial<SweepResults> = {}): { file: string; results: SweepResults } => ({
    file: `s${index}of${count}.json`,
    results: { ...full, shard: { index, count }, rows: full.rows.filter((r) => r.point % count === index - 1), ...over },
  });
  test.each([
    ['a missing shard', () => [shard(1, 3), shard(3, 3)], 'merge: shard 2/3 is missing'],
    ['a shard twice', () => [shard(1, 2), shard(1, 2)], 'merge: s1of2.json and s1of2.json are both shard 1/2; they overlap'],
    ['shards of two splits', () => [shard(1, 2), shard(2, 3)], 'merge: s2of3.json is shard 2/3, s1of2.json one of 2; merge shards of one split'],
    ['another grid', () => [shard(1, 2), shard(2, 2, { axes: axesOf({ platform: PLATFORMS, size: '8,16' }) })], 'merge: s2of2.json and s1of2.json are results of different grids (their axes differ)'],
    ['another scenario', () => [shard(1, 2), shard(2, 2, { scenario: 'other.yaml' })], 'merge: s2of2.json and s1of2.json are results of different grids (their scenario differ)'],
    ['the whole grid with a shard', () => [{ file: 'all.json', results: full }, shard(2, 2)], 'merge: all.json holds the whole grid already; it overlaps every shard'],
    ['a shard without its rows', () => [shard(1, 2), shard(2, 2, { rows: [] })], 'merge: s2of2.json does not hold the rows of its shard (expected points 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27)'],
  ])('%s', (_, parts, message) => {
    expect(() => mergeResults(parts())).toThrow(new SweepInputError(message));
  });
  test('files that are not sweep results', () => {
    expect(() => parseResults('x.json', '{')).toThrow(/^x\.json: not valid JSON \(.*\); expected the results\.json of rpmsg-sim sweep$/);
    expect(() => parseResults('x.json', '{"scenario": "s"}')).toThrow(new SweepInputError('x.json: not the results of rpmsg-sim sweep (no "format": "rpmsg-sim-sweep")'));
    expect(() => parseResults('x.json', '{"format": "rpmsg-sim-sweep", "version": 9}')).toThrow(new SweepInputError('x.json: results of version 9; this rpmsg-sim reads version 1'));
  });
});

describe('the charts', () => {
  const parse = (svg: string) => {
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, msg) => errors.push(`${level}: ${msg}`) }).parseFromString(svg, 'image/svg+xml');
    expect(errors).toEqual([]);
    return doc;
  };
  const texts = (doc: ReturnType<typeof parse>, cls?: string) =>
    Array.from(doc.getElementsByTagName('text'))
      .filter((t) => cls === undefined || t.getAttribute('class') === cls)
      .map((t) => t.textContent);

  test('latency vs size, the histogram and the CDF (no buffers axis: no throughput chart)', () => {
    expect(resultsCharts(full).map((c) => c.file)).toEqual(['latency-vs-size.svg', 'latency-histogram.svg', 'latency-cdf.svg']);
  });

  test('each is well-formed SVG with a title, two axes with ticks, axis labels with units and a legend, and nothing fetched', () => {
    const labels: Record<string, string[]> = {
      'latency-vs-size.svg': ['payload size (bytes, log scale)', 'one-way latency master→remote, p50 (µs)'],
      'latency-histogram.svg': ['latency (µs)', 'values per bin (count)'],
      'latency-cdf.svg': ['latency (µs)', 'fraction at or below (0 to 1)'],
    };
    for (const chart of resultsCharts(full)) {
      expect(chart.svg).not.toMatch(/href|url\(|<script|<image|@import/);
      const doc = parse(chart.svg);
      const root = doc.documentElement!;
      expect([root.nodeName, root.getAttribute('xmlns')]).toEqual(['svg', 'http://www.w3.org/2000/svg']);
      expect(texts(doc, 'title')).toHaveLength(1);
      expect(texts(doc, 'axis-label')).toEqual(labels[chart.file]);
      const groups = Array.from(doc.getElementsByTagName('g')).map((g) => g.getAttribute('class'));
      expect(groups).toEqual(expect.arrayContaining(['axis x-axis', 'axis y-axis', 'legend']));
      expect(texts(doc, 'tick').length).toBeGreaterThanOrEqual(6);
    }
  });

  test('latency vs size: one line per platform, ticks at the sizes, the legend names the platforms', () => {
    const doc = parse(resultsCharts(full)[0]!.svg);
    expect(texts(doc, 'title')).toEqual(['Latency vs payload size']);
    const lines = Array.from(doc.getElementsByTagName('g')).filter((g) => g.getAttribute('class') === 'line');
    expect(lines).toHaveLength(4);
    // 6 sizes ran per platform (512 B did not): 6 markers and one polyline each
    for (const g of lines) {
      expect(g.getElementsByTagName('circle').length).toBe(6);
      expect(g.getElementsByTagName('polyline').length).toBe(1);
    }
    const legend = Array.from(doc.getElementsByTagName('g')).find((g) => g.getAttribute('class') === 'legend')!;
    expect(Array.from(legend.getElementsByTagName('text')).map((t) => t.textContent)).toEqual(['Legend', ...PLATFORMS.split(',')]);
    const x = Array.from(doc.getElementsByTagName('g')).find((g) => g.getAttribute('class') === 'axis x-axis')!;
    expect(Array.from(x.getElementsByTagName('text')).filter((t) => t.getAttribute('class') === 'tick').map((t) => t.textContent)).toEqual(SIZES.split(','));
  });

  test('the histogram and CDF of point 0: one series per latency, named with its count', () => {
    const [, hist, cdf] = resultsCharts(full);
    for (const svg of [hist!.svg, cdf!.svg]) {
      const doc = parse(svg);
      const legend = Array.from(doc.getElementsByTagName('g')).find((g) => g.getAttribute('class') === 'legend')!;
      expect(Array.from(legend.getElementsByTagName('text')).map((t) => t.textContent)).toEqual(['Legend', 'master→remote (5)', 'remote→master (6)', 'round trip (5)']);
      expect(texts(doc, 'subtitle')).toEqual([`${FILE}, point 0: platform=imxrt1170, size=8 B`]);
    }
    expect(parse(hist!.svg).getElementsByTagName('path').length).toBe(3);
  });

  test('throughput vs buffers: one line per platform, the other axes held at their first value', async () => {
    const r = await runSweep({ file: FILE, axes: axesOf({ platform: 'imxrt1170,lpc55s69', buffers: '2,4', size: '16,32' }), shard: null, jobs: 1 });
    const charts = resultsCharts(r);
    expect(charts.map((c) => c.file)).toEqual(['latency-vs-size.svg', 'throughput-vs-buffers.svg', 'latency-histogram.svg', 'latency-cdf.svg']);
    const doc = parse(charts[1]!.svg);
    expect(texts(doc, 'title')).toEqual(['Throughput vs buffer count']);
    expect(texts(doc, 'subtitle')).toEqual([`${FILE}; size=16 B`]);
    expect(texts(doc, 'axis-label')).toEqual(['buffers per direction (log scale)', 'throughput (kmessages/s)']);
    expect(texts(parse(charts[0]!.svg), 'subtitle')).toEqual([`${FILE}; buffers=2`]);
  }, 30_000);
});

describe('worker threads that fail', () => {
  const options = () => ({ file: FILE, axes: axesOf({ size: '8,16,32' }), shard: null, jobs: 2 });
  test("a bug of rpmsg-sim in a worker rejects the sweep with the worker's stack, naming the point", async () => {
    const code = "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => { if (m.task.point.index === 1) parentPort.postMessage({ id: m.id, internal: 'TypeError: boom\\n    at model' }); });";
    await expect(runSweep({ ...options(), workers: () => new Worker(code, { eval: true }) })).rejects.toEqual(new WorkerInternalError('point 1: TypeError: boom\n    at model'));
  });
  test('a worker that ends before answering rejects the sweep with its exit code', async () => {
    const code = "require('node:worker_threads').parentPort.on('message', () => process.exit(3));";
    await expect(runSweep({ ...options(), workers: () => new Worker(code, { eval: true }) })).rejects.toEqual(new WorkerInternalError('a sweep worker ended with exit code 3'));
  });
  test('--histogram-point outside the grid is refused before anything runs', async () => {
    await expect(runSweep({ ...options(), histogramPoint: 3 })).rejects.toEqual(new SweepInputError('--histogram-point 3: expected a point index from 0 to 2 (the grid has 3 points)'));
  });
});
