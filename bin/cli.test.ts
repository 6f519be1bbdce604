// The CLI as a user meets it: the real launcher, run as a child process.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
const packageVersion: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // Test the current bin/cli.ts, not whatever bundle an earlier build left in dist/.
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
});

test('--version prints exactly the version of package.json', () => {
  const { status, stdout, stderr } = cli('--version');
  expect(stderr).toBe('');
  expect(stdout).toBe(`${packageVersion}\n`);
  expect(status).toBe(0);
});

test('--help prints the usage', () => {
  const { status, stdout } = cli('--help');
  expect(stdout).toContain('Usage: rpmsg-sim');
  expect(stdout).toContain('--version');
  expect(status).toBe(0);
});

test('an unknown option is bad input: exit code 2, a message on stderr, no stack trace', () => {
  const { status, stdout, stderr } = cli('--frobnicate');
  expect(status).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toBe('rpmsg-sim: error: Unknown argument: frobnicate\nRun rpmsg-sim --help for usage.\n');
  expect(stderr).not.toContain('    at ');
});

test('an unknown dashed option is named once, as typed', () => {
  const { status, stderr } = cli('--trace-outt', 'x.jsonl', '--bogus');
  expect(status).toBe(2);
  expect(stderr).toBe('rpmsg-sim: error: Unknown arguments: trace-outt, bogus\nRun rpmsg-sim --help for usage.\n');
});

test('an unknown command is bad input too', () => {
  const { status, stderr } = cli('no-such-command');
  expect(status).toBe(2);
  expect(stderr).toContain('no-such-command');
  expect(stderr).not.toContain('    at ');
});

describe('platforms', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [launcher, ...args], { encoding: 'utf8' });

  test('lists the four platforms, the default marked', () => {
    const r = run('platforms', '--no-color');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(/\s+/)[0])).toEqual(['imxrt1170', 'lpc55s69', 'imx8mm', 'lpc54114']);
    expect(r.stdout).toContain('(default)');
  });

  test('describes one with sources; an unknown name is exit 2 with the list', () => {
    const r = run('platforms', 'imxrt1170', '--no-color');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('clocks.cm7');
    const bad = run('platforms', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no platform "nope" (platforms: imxrt1170, lpc55s69, imx8mm, lpc54114)');
  });
});
