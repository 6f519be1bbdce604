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
  // (bash's completion script: yargs writes zsh's when $SHELL or $ZSH_NAME names zsh)
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', SHELL: '/bin/bash' };
  delete env['ZSH_NAME'];
  const r = spawnSync(process.execPath, [launcher, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const wrote = (file: string) => `${wroteLine(file, statSync(join(tmp, file)).size)}\n`;

// Test the current sources, not whatever bundle an earlier build left in dist/ (built as the
// file loads: the list of commands --help is tested for comes from the bundle).
execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });

beforeAll(() => {
  copyFileSync(join(root, 'scenarios', 'ping-pong.yaml'), join(tmp, 'ping-pong.yaml'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const usage = 'Run rpmsg-sim --help for usage.\n';

describe('wrote FILE (size)', () => {
  test("run: one line per trace (a VCD's save file too) and shared-memory dump, in the order written, the size the disk has", () => {
    const r = cli('run', 'ping-pong.yaml', '--trace', 'w.jsonl', '--trace', 'w.vcd', '--dump-shmem', 'w.bin', '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(wrote('w.bin') + wrote('w.jsonl') + wrote('w.vcd') + wrote('w.gtkw'));
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

describe('--help', () => {
  // Every command the top level lists (a new command needs its examples: bin/examples.ts or its builder's .example()).
  const listed = (text: string) => [...text.matchAll(/^  rpmsg-sim ([a-z-]+)/gm)].map((m) => m[1]!);
  const top = spawnSync(process.execPath, [launcher, '--help'], { encoding: 'utf8' }).stdout;
  const names = [...new Set(listed(top.slice(top.indexOf('\nCommands:\n'), top.indexOf('\nOptions:\n'))))].filter((n) => n !== 'completion');

  test('the commands of the top level', () => {
    expect(names).toEqual(expect.arrayContaining(['run', 'validate', 'platforms', 'diff', 'check', 'explain', 'layout', 'shmem', 'view']));
  });

  test.each(names)('%s --help ends with examples, and shows no [default: []]', (name) => {
    const r = cli(name, '--help');
    expect([r.status, r.stderr]).toEqual([0, '']);
    const examples = r.stdout.slice(r.stdout.indexOf('\nExamples:\n'));
    expect(examples).toMatch(/^\nExamples:\n  rpmsg-sim /);
    expect(examples).toContain(`  rpmsg-sim ${name} `);
    expect(r.stdout).not.toContain('[default: []]');
    expect(r.stdout).not.toContain('[default: false]');
  });

  test('the top level lists the commands, completion among them, with examples', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\n  rpmsg-sim completion ');
    expect(r.stdout).toContain('\nExamples:\n  rpmsg-sim run scenarios/ping-pong.yaml ');
    expect(r.stdout).toContain('Tab completion:\nrpmsg-sim completion >> ~/.bashrc\n');
  });

  test('the examples of run --help run as they say (exit 0)', () => {
    // "other values": the file's expectations (20 messages) would fail a run of 5 round trips; expect={} drops them
    const r = cli('run', 'ping-pong.yaml', '--set', 'master.params.count=5', 'overrides.clocks.cm4=200MHz', 'expect={}');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^ping-pong on imxrt1170: stopped \(finished\) at /);
    expect(r.stdout).toContain('  master→remote          5');
  });
});

describe('suggestions', () => {
  test.each([
    [['rnu', 'ping-pong.yaml'], 'Unknown command: rnu (did you mean "run"?)'],
    [['chek'], 'Unknown command: chek (did you mean "check"?)'],
    [['validat'], 'Unknown command: validat (did you mean "validate"?)'],
    [['frob'], 'Unknown command: frob; the commands: run, validate, platforms, diff, check, explain, layout, shmem, view, sweep, completion'],
    [['run', 'ping-pong.yaml', '--trce', 't.jsonl'], 'Unknown argument: trce (did you mean "--trace"?)'],
    [['run', 'ping-pong.yaml', '--jsn'], 'Unknown argument: jsn (did you mean "--json"?)'],
    [['platforms', '--cost', '--bogus'], 'Unknown arguments: cost (did you mean "--costs"?), bogus'],
    [['layout', '--buffercount', '4'], 'Unknown argument: buffercount (did you mean "--buffer-count"?)'],
    [['--colr', 'platforms'], 'Unknown argument: colr (did you mean "--color"?)'],
    [['--frobnicate'], 'Unknown argument: frobnicate'],
    [['run', 'ping-pong.yaml', '-x'], 'Unknown argument: x'],
  ])('%j: exit 2, the suggestion', (args, message) => {
    expect(cli(...args)).toEqual({ status: 2, stdout: '', stderr: `rpmsg-sim: error: ${message}\n${usage}` });
  });
});

describe('shell completion', () => {
  test('completion prints the bash script that asks rpmsg-sim for the words', () => {
    const r = cli('completion');
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^###-begin-rpmsg-sim-completions-###\n/);
    expect(r.stdout).toContain('# Installation: rpmsg-sim completion >> ~/.bashrc\n');
    expect(r.stdout).toContain('rpmsg-sim --get-yargs-completions "${args[@]}"');
    expect(r.stdout).toContain('complete -o bashdefault -o default -F _rpmsg-sim_yargs_completions rpmsg-sim\n');
    expect(r.stdout).toMatch(/###-end-rpmsg-sim-completions-###\n+$/);
  });

  test('completion with anything after it is bad input', () => {
    expect(cli('completion', 'x')).toEqual({ status: 2, stdout: '', stderr: 'rpmsg-sim: error: completion takes no arguments: rpmsg-sim completion >> ~/.bashrc\n' });
  });

  test('the words the script asks for: the commands, then a command\'s options', () => {
    const commands = cli('--get-yargs-completions', 'rpmsg-sim', '');
    expect(commands.status).toBe(0);
    expect(commands.stdout.split('\n').filter((w) => w !== '')).toEqual(['completion', 'run', 'validate', 'platforms', 'diff', 'check', 'explain', 'layout', 'shmem', 'view', 'sweep']);
    const options = cli('--get-yargs-completions', 'rpmsg-sim', 'run', '--');
    expect(options.status).toBe(0);
    expect(options.stdout.split('\n')).toEqual(expect.arrayContaining(['--trace', '--json', '--set', '--fault', '--quiet', '--watchdog-wall', '--dump-shmem']));
  });
});
