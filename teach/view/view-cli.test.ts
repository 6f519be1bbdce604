// `rpmsg-sim view` as a user meets it: the real launcher and bundle (dist/, with the page
// script built into it by tools/build.mjs), run as a child process.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wroteLine } from '../../sim/text/quantity';
import { collectView, renderHtml } from './build';
import { ROOT, loadScenario } from './test-support';

const launcher = join(ROOT, 'bin', 'rpmsg-sim');
const pingPong = join(ROOT, 'scenarios', 'ping-pong.yaml');
let dir: string;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // the current sources, not whatever bundle an earlier build left in dist/
  execFileSync(process.execPath, [join(ROOT, 'tools', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-view-cli-'));
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('view writes the page: the same bytes as the page made from the sources, every time', () => {
  const file = join(dir, 'run.html');
  const first = cli('view', pingPong, '-o', file);
  expect(first).toEqual({ status: 0, stdout: '', stderr: `${wroteLine(file, statSync(file).size)}\n` });
  const bytes = readFileSync(file, 'utf8');
  // the bundle's page script (built by tools/build.mjs) is the one built from teach/view/page.ts here
  expect(bytes).toBe(renderHtml(collectView(loadScenario('scenarios/ping-pong.yaml'))));
  expect(cli('view', pingPong, '-o', file).status).toBe(0);
  expect(readFileSync(file, 'utf8')).toBe(bytes);
  expect(readdirSync(dir)).toEqual(['run.html']);
}, 30_000);

test('--records and --message choose the window', () => {
  const file = join(dir, 'window.html');
  expect(cli('view', pingPong, '-o', file, '--records', '40', '--message', 'm2r#3').status).toBe(0);
  const data = JSON.parse(/<script type="application\/json" id="view-data">([\s\S]*?)<\/script>/.exec(readFileSync(file, 'utf8'))![1]!);
  expect(data.records.length).toBe(40);
  expect(data.records[0]).toMatchObject({ kind: 'rl-enqueue', dir: 'm2r', msg: 3 });
}, 30_000);

test('a run that fails its expectations: the page is written, and the exit status is 1 (as run)', () => {
  const target = join(dir, 'failed.html');
  // 25 round trips do not fit ping-pong.yaml's expectations (20 and 21 messages)
  const r = cli('view', pingPong, '--set', 'master.params.count=25', '-o', target);
  expect([r.status, r.stdout, r.stderr]).toEqual([1, '', `${wroteLine(target, statSync(target).size)}\n`]);
  expect(readFileSync(target, 'utf8')).toMatch(/^<!DOCTYPE html>/);
  rmSync(target);
});

describe('bad input: exit 2, one line on stderr, no file written', () => {
  const target = () => join(dir, 'bad.html');
  test.each([
    [['--records', '0'], 'rpmsg-sim: error: --records: expected a whole number from 1 to 200000, got 0\n'],
    [['--records', '1.5'], 'rpmsg-sim: error: --records: expected a whole number from 1 to 200000, got 1.5\n'],
    [['--records', 'abc'], 'rpmsg-sim: error: --records: expected a whole number from 1 to 200000, got abc\n'],
    [['--message', 'm2r-3'], 'rpmsg-sim: error: --message: expected a message like m2r#3 or r2m#0, got "m2r-3"\n'],
    [['--message', 'm2r#999'], 'rpmsg-sim: error: --message: m2r#999 is never enqueued in this run\n'],
    [['--from', '30 cycles@cm7'], 'rpmsg-sim: error: --from: expected a time like 1500us or 2ms, got "30 cycles@cm7"\n'],
    [['--from', '100s'], 'rpmsg-sim: error: --from: the run has no record at or after 100s (it ends at 1.093 ms)\n'],
    [['--from', '1ms', '--message', 'm2r#1'], 'rpmsg-sim: error: --from and --message both choose where the window starts: give one\n'],
  ])('%j', (args, stderr) => {
    const r = cli('view', pingPong, '-o', target(), ...args);
    expect(r).toEqual({ status: 2, stdout: '', stderr });
    expect(readdirSync(dir)).not.toContain('bad.html');
  });

  test('a scenario file that does not exist', () => {
    const r = cli('view', 'no-such.yaml', '-o', target());
    expect(r).toEqual({ status: 2, stdout: '', stderr: 'no-such.yaml: cannot read the scenario file: no such file\nrpmsg-sim: error: the scenario has errors (see above)\n' });
  });

  test('no -o', () => {
    const r = cli('view', pingPong);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('rpmsg-sim: error: Missing required argument: output\nRun rpmsg-sim --help for usage.\n');
  });

  test('an output in a directory that does not exist, or a directory', () => {
    const missing = join(dir, 'no-dir', 'x.html');
    expect(cli('view', pingPong, '-o', missing)).toEqual({ status: 2, stdout: '', stderr: `rpmsg-sim: error: cannot write the page "${missing}": its directory does not exist\n` });
    expect(cli('view', pingPong, '-o', dir, '--records', '5')).toEqual({ status: 2, stdout: '', stderr: `rpmsg-sim: error: cannot write the page "${dir}": it is a directory, not a regular file (rpmsg-sim replaces only regular files)\n` });
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('a failed view leaves an older page as it was', () => {
    const file = join(dir, 'old.html');
    writeFileSync(file, 'old page');
    expect(cli('view', pingPong, '-o', file, '--message', 'r2m#500').status).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe('old page');
    rmSync(file);
  });
});
