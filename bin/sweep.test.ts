// `rpmsg-sim sweep` as a user meets it: the real launcher and the bundled CLI, whose worker
// threads are dist/sweep-worker.mjs. One grid of 4 platforms × 7 sizes, written with 1 and
// with 2 workers, and in two shards merged; bad input; points that cannot run.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
const SCENARIO = 'scenario-engine/sweep/fixtures/ping-pong-short.yaml';
const GRID = ['--platform', 'imxrt1170,lpc55s69,imx8mm,lpc54114', '--size', '4,8,16,32,64,128,256'];
const FILES = ['latency-cdf.svg', 'latency-histogram.svg', 'latency-vs-size.svg', 'results.csv', 'results.json'];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [launcher, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
const files = (d: string) => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f), 'utf8')]));

beforeAll(() => {
  // Test the current sources, not whatever bundle an earlier build left in dist/.
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-sweep-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('4 platforms × 7 sizes: one row per point, the same bytes with 1 and 2 workers, a wrote line per file', () => {
  const one = cli('sweep', SCENARIO, ...GRID, '--jobs', '1', '-o', join(dir, 'one'));
  const two = cli('sweep', SCENARIO, ...GRID, '--jobs', '2', '-o', join(dir, 'two'));
  for (const r of [one, two]) {
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
  }
  const written = files(join(dir, 'one'));
  expect(Object.keys(written)).toEqual(FILES);
  // not a terminal: no progress, only the wrote lines (sizes as sim/text/quantity.ts prints them)
  const order = ['results.csv', 'results.json', 'latency-vs-size.svg', 'latency-histogram.svg', 'latency-cdf.svg'];
  const size = (f: string) => Buffer.byteLength(written[f]!);
  const kib = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`);
  expect(one.stderr).toBe(order.map((f) => `wrote ${join(dir, 'one', f)} (${kib(size(f))})\n`).join(''));
  expect(files(join(dir, 'two'))).toEqual(written);
  const csv = written['results.csv']!.trimEnd().split('\n');
  expect(csv).toHaveLength(29);
  expect(csv.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(
    ['imxrt1170', 'lpc55s69', 'imx8mm', 'lpc54114'].flatMap((p, i) => [4, 8, 16, 32, 64, 128, 256].map((s, j) => `${i * 7 + j},${p},${s},ok`)),
  );
  const json = JSON.parse(written['results.json']!);
  expect([json.points, json.rows.length, json.shard, json.histogramPoint, json.histogram.point]).toEqual([28, 28, null, 0, 0]);
});

test('--shard 1/2 and --shard 2/2 merged: the bytes of the whole grid; shards write no charts', () => {
  for (const i of [1, 2]) {
    const r = cli('sweep', SCENARIO, ...GRID, '--shard', `${i}/2`, '-o', join(dir, `part${i}`), '--quiet');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(readdirSync(join(dir, `part${i}`)).sort()).toEqual(['results.csv', 'results.json']);
  }
  const m = cli('sweep', '--merge', join(dir, 'part2', 'results.json'), join(dir, 'part1', 'results.json'), '-o', join(dir, 'merged'), '-q');
  expect([m.status, m.stderr]).toEqual([0, '']);
  expect(files(join(dir, 'merged'))).toEqual(files(join(dir, 'one')));
  const missing = cli('sweep', '--merge', join(dir, 'part2', 'results.json'), '-o', join(dir, 'merged-1'));
  expect([missing.status, missing.stderr]).toEqual([2, 'rpmsg-sim: error: merge: shard 1/2 is missing\n']);
  expect(existsSync(join(dir, 'merged-1'))).toBe(false);
});

test('without -o: the CSV on standard output', () => {
  const r = cli('sweep', SCENARIO, '--platform', 'lpc55s69', '--size', '16,32', '-j', '1');
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines.map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['point,platform,size,status', '0,lpc55s69,16,ok', '1,lpc55s69,32,ok']);
});

test('points that cannot run are rows with their error; exit 1, the points named', () => {
  const r = cli('sweep', SCENARIO, '--buffers', '2,3', '--size', '16,600', '-j', '2');
  expect(r.status).toBe(1);
  expect(r.stderr).toBe("rpmsg-sim: 3 of 4 points could not run (points 1, 2, 3; their rows say why)\n");
  const rows = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(0, 5).join(','));
  expect(rows).toEqual([
    '0,2,16,ok,',
    '1,2,600,error,payload size 600 B is larger than the buffer payload of 496 B (rpmsg.buffer-payload-size)',
    '2,3,16,error,"--set rpmsg.buffer-count=3: the buffer count must be a power of two (RL_BUFFER_COUNT)',
    '3,3,600,error,"--set rpmsg.buffer-count=3: the buffer count must be a power of two (RL_BUFFER_COUNT)',
  ]);
});

test.each([
  [['--platform', 'imxrt1170,imx8m'], '--platform: unknown platform "imx8m" (did you mean imx8mm?); the platforms are imxrt1170, lpc55s69, imx8mm, lpc54114'],
  [['--buffers', '2,big'], '--buffers 2,big: "big" is not a whole number of buffers of at least 1, e.g. --buffers 2,4,8'],
  [['--jobs', '0'], '--jobs 0: expected a whole number of worker threads, at least 1'],
  [['--shard', '3/2', '-o', 'x'], '--shard 3/2: expected i/n with 1 <= i <= n, e.g. --shard 1/4 (shard i runs the points whose index % n is i - 1)'],
  [['--shard', '1/2'], '--shard needs --out DIR: a shard writes its results.json there, for --merge'],
  [['--histogram-point', '5'], '--histogram-point 5: expected a point index from 0 to 1 (the grid has 2 points)'],
])('bad input %j: exit 2, one line, no stack, no output folder', (args, message) => {
  const out = join(dir, 'bad');
  const r = cli('sweep', SCENARIO, '--size', '16,32', ...args.map((a) => (a === 'x' ? out : a)));
  expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `rpmsg-sim: error: ${message}\n`]);
  expect(existsSync(out)).toBe(false);
});

test('a scenario with errors: its report, exit 2; --merge of a file that is not results: exit 2', () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'master: {app: ping-pong}\nremote: {app: ping-pong}\nstop: {time: 1 ms}\n');
  const r = cli('sweep', bad, '--size', '16');
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe(`${bad}:1:15: ping-pong needs params: count, payload-size`);
  expect(r.stderr.endsWith('\nrpmsg-sim: error: the scenario has errors (see above)\n')).toBe(true);
  const m = cli('sweep', '--merge', bad, '-o', join(dir, 'm'));
  expect([m.status, m.stderr]).toEqual([2, `rpmsg-sim: error: ${bad}: not valid JSON (Unexpected token 'm', "master: {a"... is not valid JSON); expected the results.json of rpmsg-sim sweep\n`]);
});

test('a chart an earlier sweep wrote into the folder, which this grid does not draw, is removed', () => {
  const out = join(dir, 'stale');
  expect(cli('sweep', SCENARIO, '--buffers', '2,4', '-o', out, '-q').status).toBe(0);
  expect(readdirSync(out).sort()).toEqual(['latency-cdf.svg', 'latency-histogram.svg', 'results.csv', 'results.json', 'throughput-vs-buffers.svg']);
  expect(cli('sweep', SCENARIO, '--size', '16,32', '-o', out, '-q').status).toBe(0);
  expect(readdirSync(out).sort()).toEqual(FILES);
});

test('--help shows examples', () => {
  const r = cli('sweep', '--help');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Examples:');
  expect(r.stdout).toContain('join the halves');
  expect(r.stdout).toContain('rpmsg-sim sweep scenarios/ping-pong.yaml');
});

test('on a terminal: a progress line (points done, wall time, ETA) on stderr, cleared at the end; --quiet: none', () => {
  // `script` (util-linux) runs the command on a pseudo-terminal
  const onTty = (...args: string[]) =>
    spawnSync('script', ['-qec', [process.execPath, launcher, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  // points long enough (about a second each) that the line, shown after a second of wall time, is drawn more than once
  const long = ['--set', 'master.params.count=8000', '--set', 'stop.time=100ms', '--set', 'expect={}'];
  const r = onTty('sweep', SCENARIO, '--size', '8,16,32,64', ...long, '-j', '1', '-o', join(dir, 'tty'));
  expect(r.status).toBe(0);
  const updates = r.stdout.split('\r').map((s) => s.replace(/\x1b\[K$/, '')).filter((s) => s.startsWith('sweep:'));
  expect(updates.length).toBeGreaterThanOrEqual(2);
  expect(updates[updates.length - 1]).toMatch(/^sweep: [1-4]\/4 points, [\d.]+ s wall(, ETA [\d.]+ s)?$/);
  for (const u of updates.slice(0, -1)) expect(u).toMatch(/^sweep: [1-3]\/4 points, [\d.]+ s wall, ETA [\d.]+ s$/);
  // the line is cleared before the wrote lines
  expect(r.stdout).toContain(`\r\x1b[Kwrote ${join(dir, 'tty', 'results.csv')} (`);
  const quiet = onTty('sweep', SCENARIO, '--size', '8,16,32,64', ...long, '-j', '1', '-o', join(dir, 'tty'), '--quiet');
  expect([quiet.status, quiet.stdout]).toEqual([0, '']);
});
