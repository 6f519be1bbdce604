// The CLI's process handlers in a real process (bin/fixtures/hold-output.ts, bundled here):
// a signal while an output is unfinished removes its temporary file and ends with 128 + the
// signal's number; so do process.exit() and an uncaught exception (without the message);
// a standard output that fails is one line and exit 74.

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string;
let bundle: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-signals-'));
  bundle = join(dir, 'hold-output.cjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  esbuild.buildSync({ entryPoints: [join(__dirname, 'fixtures', 'hold-output.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(dir, 'case-'));
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(mode: string, target: string, stdout: 'pipe' | number = 'pipe'): { child: ChildProcess; ready: Promise<void>; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [bundle, mode, target], { stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
  let out = '';
  let err = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n')) onReady();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const ended = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err })));
  return { child, ready, ended };
}

test.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const)('%s while an output is unfinished: its temporary file removed, one line, exit %d', async (signal, code) => {
  const target = join(work, 'trace.jsonl');
  const p = start('wait', target);
  await p.ready;
  expect(readdirSync(work)).toEqual([`trace.jsonl.tmp-${p.child.pid}`]);
  p.child.kill(signal);
  const end = await p.ended;
  expect(end).toEqual({ code, signal: null, stdout: 'ready\n', stderr: `rpmsg-sim: interrupted by ${signal}; not written: "${target}"\n` });
  expect(readdirSync(work)).toEqual([]);
});

test('a listed scratch folder is removed with what it holds (and not named: it was never an output)', async () => {
  const target = join(work, 'trace.jsonl');
  const p = start('folder', target);
  await p.ready;
  expect(readdirSync(work).sort()).toEqual([`trace.jsonl.d`, `trace.jsonl.tmp-${p.child.pid}`]);
  p.child.kill('SIGINT');
  const end = await p.ended;
  expect([end.code, end.stderr]).toEqual([130, `rpmsg-sim: interrupted by SIGINT; not written: "${target}"\n`]);
  expect(readdirSync(work)).toEqual([]);
});

test('before any output was started a signal keeps its default action (the process ends at once, nothing to clean)', async () => {
  const p = start('none', join(work, 'unused'));
  await p.ready;
  p.child.kill('SIGTERM');
  expect(await p.ended).toEqual({ code: null, signal: 'SIGTERM', stdout: 'ready\n', stderr: '' });
});

test('process.exit() and an uncaught exception with an output unfinished: the temporary file is removed on the way out', async () => {
  const exited = await start('exit', join(work, 'a.jsonl')).ended;
  expect([exited.code, exited.stderr]).toEqual([3, '']);
  const thrown = await start('throw', join(work, 'b.jsonl')).ended;
  expect(thrown.code).toBe(1);
  expect(thrown.stderr).toContain('a bug after the output was started');
  expect(readdirSync(work)).toEqual([]);
});

test('a standard output that fails (a full disk: /dev/full): one line naming it, exit 74, the temporary file removed', async () => {
  const full = openSync('/dev/full', 'w');
  try {
    const end = await start('stdout', join(work, 'c.jsonl'), full).ended;
    expect(end).toEqual({ code: 74, signal: null, stdout: '', stderr: 'rpmsg-sim: error: cannot write to standard output: no space left on the device\n' });
  } finally {
    closeSync(full);
  }
  expect(readdirSync(work)).toEqual([]);
});
