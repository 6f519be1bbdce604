// The package as a user gets it (issue 13): `npm pack`, an install of the tarball into an
// empty folder, and from there the CLI on a scenario, a scenario whose firmware module
// imports 'rpmsg-sim/firmware', the embedding example, and a type check of user code against
// the installed declarations.
//
// The install runs offline, from npm's cache: a fresh CI machine has run `npm ci` in the
// checkout, which put esbuild's tarballs there. `npm install TARBALL --offline` is not
// enough there: npm 11 resolves a new dependency from the registry's full metadata, which
// `npm ci` does not cache (ENOTCACHED). So the folder gets the package-lock.json that
// `npm install TARBALL` would write (the tarball, esbuild and its platform packages, the
// last two as the checkout's own lock file pins them) and `npm ci --offline` installs it:
// the same node_modules, from the cache alone.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const repoPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const TARBALL = `rpmsg-sim-${repoPackage.version}.tgz`;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command; FORCE_COLOR off so output is plain text. */
function sh(command: string, args: readonly string[], cwd: string): Ran {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout: 120_000 });
  if (r.error !== undefined) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** sh, failing the test with the command's output unless it exits 0. */
function ok(command: string, args: readonly string[], cwd: string): Ran {
  const r = sh(command, args, cwd);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r;
}

let tmp: string;
let app: string;
let packed: { files: { path: string }[]; size: number; unpackedSize: number };
let installed: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'rpmsg-sim-package-'));
  mkdirSync(join(tmp, 'pack'));
  // prepack builds dist/ afresh, with the declarations.
  packed = JSON.parse(ok('npm', ['pack', '--json', '--pack-destination', join(tmp, 'pack')], ROOT).stdout)[0];

  app = join(tmp, 'app');
  mkdirSync(app);
  const spec = `file:../pack/${TARBALL}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(join(tmp, 'pack', TARBALL))).digest('base64')}`;
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies: { 'rpmsg-sim': spec } },
    'node_modules/rpmsg-sim': { version: repoPackage.version, resolved: spec, integrity, license: 'MIT', dependencies: repoPackage.dependencies, bin: repoPackage.bin },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== 'node_modules/esbuild' && !path.startsWith('node_modules/@esbuild/')) continue;
    const { dev: _dev, ...rest } = entry;
    packages[path] = rest;
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { 'rpmsg-sim': spec } }, null, 2));
  writeFileSync(join(app, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  ok('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);
  installed = join(app, 'node_modules', 'rpmsg-sim');

  writeFileSync(
    join(app, 'one-send.yaml'),
    [
      'name: one-send',
      'platform: lpc55s69',
      'master:',
      '  steps:',
      '    - init',
      '    - create-endpoint: {name: tx, addr: 1}',
      '    - delay: 50us',
      '    - send: {from: tx, to: 30, data: hello}',
      'remote:',
      '  steps:',
      '    - init',
      '    - create-endpoint: {name: rx, addr: 30}',
      '    - receive: {endpoint: rx, count: 1}',
      'stop:',
      '  time: 1ms',
      'expect:',
      '  messages: {master-to-remote: 1}',
      '',
    ].join('\n'),
  );
  // The shipped example, as a user starts from it: copied out of the package.
  for (const name of ['echo-firmware.ts', 'echo.yaml', 'embed.mjs']) copyFileSync(join(installed, 'examples', name), join(app, name));
}, 180_000);

afterAll(() => {
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

test('the tarball carries the built CLI and API, their declarations, the examples, a license; no tests, CI files, fixtures or sources', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const f of [
    'LICENSE',
    'README.md',
    'package.json',
    'bin/rpmsg-sim',
    'dist/rpmsg-sim.mjs',
    'dist/index.mjs',
    'dist/firmware.mjs',
    'dist/types/scenario-engine/api.d.ts',
    'dist/types/firmware/index.d.ts',
    'examples/echo-firmware.ts',
    'examples/echo.yaml',
    'examples/embed.mjs',
    'scenarios/schema.json',
    'docs/api.md',
  ]) {
    expect(files).toContain(f);
  }
  expect(files.filter((f) => /\.test\.ts$|^\.ci\/|fixtures\/|golden\/|^bench\/|^tools\/|^dist\/bench\.|^node_modules\//.test(f))).toEqual([]);
  // TypeScript in the package: declarations, the examples and the lesson module of scenarios/lessons; no sources.
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('examples/'))).toEqual(['scenarios/lessons/release-race.ts']);
  const license = readFileSync(join(installed, 'LICENSE'), 'utf8');
  expect(license.split('\n').slice(0, 3)).toEqual(['MIT License', '', `Copyright (c) 2026 the rpmsg-sim authors`]);
});

test('the installed package is public, MIT, and needs esbuild alone; the install holds nothing else', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  expect(pkg.private).toBeUndefined();
  expect(pkg.license).toBe('MIT');
  expect(Object.keys(pkg.dependencies)).toEqual(['esbuild']);
  expect(Object.keys(pkg.exports)).toEqual(['.', './firmware', './package.json']);
  expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.')).sort()).toEqual(['@esbuild', 'esbuild', 'rpmsg-sim']);
});

test('npx rpmsg-sim run one-send.yaml runs there, and --json prints the summary', () => {
  const r = sh('npx', ['--no', 'rpmsg-sim', 'run', 'one-send.yaml'], app);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.split('\n')[0]).toMatch(/^one-send on lpc55s69: stopped \(time\) at /);
  expect(r.stdout).toContain('✓ messages master→remote: expected 1, got 1');
  const json = sh('npx', ['--no', 'rpmsg-sim', 'run', 'one-send.yaml', '--json'], app);
  expect(json.status).toBe(0);
  const summary = JSON.parse(json.stdout);
  expect([summary.scenario, summary.platform, summary.ok, summary.messages.masterToRemote.delivered]).toEqual(['one-send', 'lpc55s69', true, 1]);
});

test("npx rpmsg-sim sweep runs there in worker threads (the package's dist/sweep-worker.mjs), the same CSV as in one thread", () => {
  const grid = ['--no', 'rpmsg-sim', 'sweep', 'one-send.yaml', '--platform', 'lpc55s69,imxrt1170'];
  const two = sh('npx', [...grid, '--jobs', '2'], app);
  expect([two.status, two.stderr]).toEqual([0, '']);
  const lines = two.stdout.trim().split('\n');
  expect(lines.length).toBe(3);
  expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['0,lpc55s69,ok', '1,imxrt1170,ok']);
  const one = sh('npx', [...grid, '--jobs', '1'], app);
  expect([one.status, one.stdout]).toEqual([0, two.stdout]);
});

test('a mistake in a scenario is bad input there too: exit 2, located, no stack trace', () => {
  writeFileSync(join(app, 'bad.yaml'), 'name: bad\nplatform: nope\nmaster: {app: ping-pong}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n');
  const r = sh('npx', ['--no', 'rpmsg-sim', 'run', 'bad.yaml'], app);
  expect(r.status).toBe(2);
  expect(r.stderr.split('\n')[0]).toBe('bad.yaml:2:11: unknown platform "nope"; expected one of imxrt1170, lpc55s69, imx8mm, lpc54114');
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('a scenario whose firmware module imports rpmsg-sim/firmware runs from the installed CLI', () => {
  const r = sh('npx', ['--no', 'rpmsg-sim', 'run', 'echo.yaml', '--trace=echo-cli.jsonl'], app);
  expect(r.status).toBe(0);
  expect(r.stdout.split('\n')[0]).toMatch(/^echo on lpc55s69: stopped \(finished\) at /);
  expect(r.stdout).toContain('✓ messages master→remote: expected 3, got 3');
  expect(r.stdout).toContain('✓ messages remote→master: expected 3, got 3');
  expect(existsSync(join(app, 'echo-cli.jsonl'))).toBe(true);
});

test('the embedding example runs there, and its trace is the CLI’s, byte for byte', () => {
  const cli = sh('npx', ['--no', 'rpmsg-sim', 'run', 'echo.yaml', '--trace=echo-cli.jsonl'], app);
  expect(cli.status).toBe(0);
  const r = sh(process.execPath, ['embed.mjs', 'echo-api.jsonl'], app);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['imxrt1170 ok', 'lpc55s69 ok', 'imx8mm ok', 'lpc54114 ok', 'echo: 3']);
  expect(lines[4]).toBe('echo: 3 sent, 3 echoed, stopped (finished), trace in echo-api.jsonl');
  expect(readFileSync(join(app, 'echo-api.jsonl'), 'utf8')).toBe(readFileSync(join(app, 'echo-cli.jsonl'), 'utf8'));
});

test("a program importing both entries and a module's imports of them share one copy of the simulator", () => {
  writeFileSync(
    join(app, 'fw.ts'),
    [
      "import { type Firmware, type ProgramContext, RpmsgLite } from 'rpmsg-sim/firmware';",
      "import { listPlatforms } from 'rpmsg-sim';",
      '(globalThis as any).seen = { RpmsgLite, listPlatforms };',
      'export function* master(ctx: ProgramContext): Firmware<void> { yield* ctx.core.waitForInterrupt(); }',
      'export const remote = master;',
      '',
    ].join('\n'),
  );
  writeFileSync(join(app, 'fw.yaml'), 'name: fw\nmaster: {module: ./fw.ts}\nremote: {module: ./fw.ts}\nstop: {time: 1us}\n');
  writeFileSync(
    join(app, 'both.mjs'),
    [
      "import { listPlatforms, runFile } from 'rpmsg-sim';",
      "import { RpmsgLite } from 'rpmsg-sim/firmware';",
      "const summary = await runFile('fw.yaml');",
      'console.log(summary.stopReason, globalThis.seen.RpmsgLite === RpmsgLite, globalThis.seen.listPlatforms === listPlatforms);',
      '',
    ].join('\n'),
  );
  expect(sh(process.execPath, ['both.mjs'], app)).toEqual({ status: 0, stdout: 'time true true\n', stderr: '' });
});

test('user code type-checks against the installed declarations, and a wrong use fails', () => {
  writeFileSync(
    join(app, 'use-api.ts'),
    [
      "import { type RunSummary, listPlatforms, parseScenario, run } from 'rpmsg-sim';",
      'export async function p50(platform: string): Promise<number> {',
      "  const loaded = parseScenario({ name: 'x', platform, master: { app: 'ping-pong', params: { count: 2, 'payload-size': '4B' } }, remote: { app: 'ping-pong' }, stop: { time: '1ms' } });",
      '  if (loaded.scenario === undefined) throw new Error(loaded.report);',
      "  const summary: RunSummary = await run(loaded.scenario, { trace: 'x.jsonl' });",
      '  return summary.latency.oneWay.masterToRemote.ns.p50 + listPlatforms().length;',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(join(app, 'wrong.ts'), "import { RL_BLOCK, RpmsgLite } from 'rpmsg-sim/firmware';\nexport const s: string = RL_BLOCK;\nexport const r = RpmsgLite.masterInit();\n");
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const options = { target: 'ES2022', module: 'esnext', moduleResolution: 'bundler', strict: true, noEmit: true, skipLibCheck: false };
  // The firmware declarations stand alone (no Node types); the embedding API's refer to Node's (Buffer).
  writeFileSync(join(app, 'tsconfig.firmware.json'), JSON.stringify({ compilerOptions: { ...options, types: [] }, files: ['echo-firmware.ts'] }));
  writeFileSync(join(app, 'tsconfig.api.json'), JSON.stringify({ compilerOptions: { ...options, types: ['node'], typeRoots: [join(ROOT, 'node_modules', '@types')] }, files: ['use-api.ts'] }));
  writeFileSync(join(app, 'tsconfig.wrong.json'), JSON.stringify({ compilerOptions: { ...options, types: [] }, files: ['wrong.ts'] }));
  expect(sh(process.execPath, [tsc, '-p', 'tsconfig.firmware.json'], app)).toEqual({ status: 0, stdout: '', stderr: '' });
  expect(sh(process.execPath, [tsc, '-p', 'tsconfig.api.json'], app)).toEqual({ status: 0, stdout: '', stderr: '' });
  const wrong = sh(process.execPath, [tsc, '-p', 'tsconfig.wrong.json', '--pretty', 'false'], app);
  expect(wrong.status).toBe(1);
  expect(wrong.stdout.split('\n').filter((l) => l.startsWith('wrong.ts('))).toEqual([
    "wrong.ts(2,14): error TS2322: Type 'number' is not assignable to type 'string'.",
    'wrong.ts(3,28): error TS2554: Expected 4 arguments, but got 0.',
  ]);
});

test('an installed package whose dist/ is missing says so in one line and exits 70', () => {
  const bundle = join(installed, 'dist', 'rpmsg-sim.mjs');
  renameSync(bundle, `${bundle}.away`);
  try {
    const r = sh('npx', ['--no', 'rpmsg-sim', 'run', 'one-send.yaml'], app);
    expect(r).toEqual({ status: 70, stdout: '', stderr: 'rpmsg-sim: internal error: the package has no dist/rpmsg-sim.mjs (a broken install: install rpmsg-sim again)\n' });
  } finally {
    renameSync(`${bundle}.away`, bundle);
  }
});
