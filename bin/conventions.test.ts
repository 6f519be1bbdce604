// The CLI's conventions (issue 13): `wrote FILE (size)` lines, --quiet, examples in --help,
// suggestions for unknown commands and options, shell completion. The real launcher as a
// child process, stdout and stderr exactly.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wroteLine } from '../sim/text/quantity';

const root = join(__dirname, '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
const tmp = mkdtempSync(join(tmpdir(), 'rpmsg-sim-conventions-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [launcher, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const wrote = (file: string) => `${wroteLine(file, statSync(join(tmp, file)).size)}\n`;

beforeAll(() => {
  // Test the current sources, not whatever bundle an earlier build left in dist/.
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  copyFileSync(join(root, 'scenarios', 'ping-pong.yaml'), join(tmp, 'ping-pong.yaml'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const usage = 'Run rpmsg-sim --help for usage.\n';

describe('wrote FILE (size)', () => {
  test('run: one line per trace and shared-memory dump, in the order written, the size the disk has', () => {
    const r = cli('run', 'ping-pong.yaml', '--trace', 'w.jsonl', '--trace', 'w.vcd', '--dump-shmem', 'w.bin', '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(wrote('w.bin') + wrote('w.jsonl') + wrote('w.vcd'));
    expect(r.stderr).toMatch(/^wrote w\.bin \(\d+\.\d (KiB|MiB)\)\nwrote w\.jsonl \(\d+\.\d KiB\)\n/);
    expect(JSON.parse(r.stdout).scenario).toBe('ping-pong');
  });

  test('--trace - writes no file and says nothing', () => {
    const r = cli('run', 'ping-pong.yaml', '--trace', '-', '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('--quiet (or -q) silences them; the files are written all the same', () => {
    const r = cli('run', 'ping-pong.yaml', '--trace', 'q.jsonl', '--quiet', '--json');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(statSync(join(tmp, 'q.jsonl')).size).toBeGreaterThan(0);
    const l = cli('layout', '--svg', 'q.svg', '-q');
    expect([l.status, l.stderr]).toEqual([0, '']);
    expect(readdirSync(tmp)).toContain('q.svg');
  });

  test('check --junit and --update say what they wrote', () => {
    const r = cli('check', 'ping-pong.yaml', '--update', '--junit', 'report.xml');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('updated ping-pong\n');
    expect(r.stderr).toBe(wrote('golden/ping-pong.jsonl') + wrote('golden/ping-pong.summary.json') + wrote('report.xml'));
  });

  test('a bad input writes nothing and says no wrote line', () => {
    const r = cli('run', 'no-such.yaml', '--trace', 'never.jsonl');
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('wrote');
    expect(readdirSync(tmp)).not.toContain('never.jsonl');
  });
});
