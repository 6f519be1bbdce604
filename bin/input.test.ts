// Issue 12's reproducers of bad input (classes 1, 2, 3, 5, 9), as a user meets them: the real
// launcher as a child process. Each ends with exit 2 (or 1 for a broken golden) and a one-line
// or located message naming its file or option, never a stack trace (exit 70) or a hang (the
// spawn's timeout fails the test: before the fix, these ran for minutes and grew to gigabytes).

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
const tmp = mkdtempSync(join(tmpdir(), 'rpmsg-sim-input-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [launcher, ...args, '--no-color'], { cwd: tmp, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the shipped ping-pong in the temporary folder (relative paths in messages). */
const PING_PONG = 'ping-pong.yaml';

beforeAll(() => {
  // Test the current sources, not whatever bundle an earlier build left in dist/.
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  copyFileSync(join(root, 'scenarios', 'ping-pong.yaml'), join(tmp, PING_PONG));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const usage = 'Run rpmsg-sim --help for usage.\n';

describe('class 1: alias expansion and input size are bounded', () => {
  test('x: &x [*x, *x] (ran forever, 1.2 GB after 60 s)', () => {
    writeFileSync(join(tmp, 'self.yaml'), 'x: &x [*x, *x]\n');
    const r = cli('validate', 'self.yaml');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('self.yaml:1:'))).toEqual([
      'self.yaml:1:1: unknown key "x" in the scenario',
      'self.yaml:1:1: missing required key "master" in the scenario',
      'self.yaml:1:1: missing required key "remote" in the scenario',
      'self.yaml:1:1: missing required key "stop" in the scenario',
      'self.yaml:1:8: alias *x is inside the node it names (&x): it would repeat without end',
      'self.yaml:1:12: alias *x is inside the node it names (&x): it would repeat without end',
    ]);
  });

  test('a 7x10 alias bomb (22 s and 850 MB)', () => {
    const lines = ['l0: &l0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 7; i++) lines.push(`l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
    writeFileSync(join(tmp, 'bomb.yaml'), `${lines.join('\n')}\n`);
    const r = cli('validate', 'bomb.yaml');
    expect(r).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'bomb.yaml:4:45: alias *l2 takes the document past the limit of 10,000 nodes copied by aliases\n' +
        `  4 | ${lines[3]}\n` +
        '    |                                             ^\n' +
        '  note: an alias (*name) repeats a node, and aliases of lists of aliases multiply; expected a scenario that repeats a few blocks at most: write the values out\n',
    });
  });

  test('validate /dev/zero (grew without end) and a directory are refused before reading', () => {
    expect(cli('validate', '/dev/zero')).toEqual({ status: 2, stdout: '', stderr: '/dev/zero: cannot read the scenario file: it is a character device, not a regular file\n' });
    expect(cli('run', '.')).toEqual({
      status: 2,
      stdout: '',
      stderr: '.: cannot read the scenario file: it is a directory, not a file\nrpmsg-sim: error: the scenario has errors (see above)\n',
    });
  });

  test('a 2 MiB scenario file', () => {
    writeFileSync(join(tmp, 'huge.yaml'), readFileSync(join(tmp, PING_PONG), 'utf8') + `# ${'x'.repeat(1021)}\n`.repeat(2048));
    expect(cli('validate', 'huge.yaml')).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'huge.yaml:1045:349: the file passes the limit of 1,048,576 bytes for a scenario file here (it has 2,097,828 bytes)\n' +
        `  1045 | …${'x'.repeat(120)}\n` +
        `       | ${' '.repeat(120)}^\n` +
        '  note: a scenario is a few kilobytes of YAML (the largest shipped has 1,843 bytes): split the file, or generate fewer steps\n',
    });
  });
});

describe('class 2: --set is validated like the file, located in the command line', () => {
  test('on a file with a YAML error: the file’s error, at its own line ("Document with errors cannot be stringified")', () => {
    writeFileSync(join(tmp, 'broken.yaml'), 'name: x\nmaster: [\n');
    expect(cli('validate', 'broken.yaml', '--set', 'stop.time=2ms')).toEqual({
      status: 2,
      stdout: '',
      stderr: 'broken.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n  3 | \n    | ^\n',
    });
  });

  test("--set 'stop.time=*a' (\"Unresolved alias\")", () => {
    expect(cli('run', PING_PONG, '--set', 'master.params.count=2', '--set', 'stop.time=*a')).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "ping-pong.yaml: --set #2 'stop.time=*a', column 11: unknown alias *a\n" +
        '  --set #2 | stop.time=*a\n' +
        '           |           ^\n' +
        '  note: define the anchor (&name) before using it\n' +
        'rpmsg-sim: error: the scenario has errors (see above)\n',
    });
  });

  test('--set.x=1 ("settings is not iterable") and --set.a.b=2 after a good one', () => {
    expect(cli('validate', PING_PONG, '--set.x=1')).toEqual({
      status: 2,
      stdout: '',
      stderr: `rpmsg-sim: error: --set.x=1: a dot after --set makes another option; write --set x=1 (a space after --set)\n${usage}`,
    });
    expect(cli('run', PING_PONG, '--set', 'stop.time=1ms', '--set.a.b=2').stderr).toBe(
      `rpmsg-sim: error: --set.a.b=2: a dot after --set makes another option; write --set a.b=2 (a space after --set)\n${usage}`,
    );
  });

  test('an empty path, a path through a scalar', () => {
    const r = cli('validate', PING_PONG, '--set', '=1', '--set', 'name.x=1');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      "ping-pong.yaml: --set #1 '=1', column 1: expected a path before \"=\"",
      "ping-pong.yaml: --set #2 'name.x=1', column 6: name is \"ping-pong\", not a map or a list: there is no \"x\" in it",
      '',
    ]);
  });
});

describe('class 3: repeated options', () => {
  test.each([
    [['check', PING_PONG, '--junit', 'a.xml', '--junit', 'b.xml'], '--junit is given 2 times ("a.xml", "b.xml"); it takes one value'],
    [['run', PING_PONG, '--dump-shmem', 'a.bin', '--dump-shmem', 'b.bin'], '--dump-shmem is given 2 times ("a.bin", "b.bin"); it takes one value'],
    [['layout', '--platform', 'imxrt1170', '--platform', 'lpc55s69'], '--platform is given 2 times ("imxrt1170", "lpc55s69"); it takes one value'],
    [['view', PING_PONG, '-o', 'a.html', '--output', 'b.html'], '--output is given 2 times ("a.html", "b.html"); it takes one value'],
    [['explain', PING_PONG, '--from', '1us', '--from', '2us'], '--from is given 2 times ("1us", "2us"); it takes one value'],
    [['run', PING_PONG, '--trace'], '--trace needs a value'],
    [['run', PING_PONG, '--no-trace'], '--no-trace: --trace takes a value; there is no --no-trace'],
    [['run', PING_PONG, '--trace', '-', '--trace', '-'], '--trace - is given twice; each --trace writes a file of its own'],
  ])('%j is an exit-2 error naming the option', (args, message) => {
    expect(cli(...args)).toEqual({ status: 2, stdout: '', stderr: `rpmsg-sim: error: ${message}\n${usage}` });
  });

  test('--trace - is the text story on standard output, as docs/teaching.md says (it was: cannot tell the trace format)', () => {
    const r = cli('run', PING_PONG, '--trace', '-');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('rpmsg-sim trace of "ping-pong" on imxrt1170: cm7 (master, 996 MHz) and cm4 (remote, 400 MHz)');
  });

  test('--trace a.jsonl --trace b.vcd writes both; one file twice is an error', () => {
    const r = cli('run', PING_PONG, '--trace', 'both.jsonl', '--trace', 'both.vcd');
    expect(r.status).toBe(0);
    expect(readFileSync(join(tmp, 'both.jsonl'), 'utf8')).toMatch(/^\{"format":"rpmsg-sim-trace",/);
    expect(readFileSync(join(tmp, 'both.vcd'), 'utf8')).toMatch(/^\$comment rpmsg-sim trace format 1/);
    expect(cli('run', PING_PONG, '--trace', 'twice.jsonl', '--trace', './twice.jsonl')).toEqual({
      status: 2,
      stdout: '',
      stderr: `rpmsg-sim: error: --trace ./twice.jsonl is given twice; each --trace writes a file of its own\n${usage}`,
    });
    expect(existsSync(join(tmp, 'twice.jsonl'))).toBe(false);
  });
});

describe('class 5: check on a corrupted golden, diff on corrupted traces', () => {
  const dir = join(tmp, 'golden-case');
  const golden = join(dir, 'golden', 'ping-pong.jsonl');
  let good: string;
  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(root, 'scenarios', 'ping-pong.yaml'), join(dir, PING_PONG));
    expect(cli('check', 'golden-case/ping-pong.yaml', '--update').status).toBe(0);
    good = readFileSync(golden, 'utf8');
  });

  test('a golden with one bad line fails the check (exit 1) at its line and column, with the command that regenerates it', () => {
    const lines = good.split('\n');
    lines[4] = '{"t":1,"component"';
    writeFileSync(golden, lines.join('\n'));
    expect(cli('check', 'golden-case/ping-pong.yaml')).toEqual({
      status: 1,
      stdout:
        'FAIL ping-pong\n' +
        '  the golden trace is unreadable: golden-case/golden/ping-pong.jsonl:5:19: not valid JSON: {"t":1,"component"; ' +
        'regenerate it with rpmsg-sim check --update golden-case/ping-pong.yaml\n',
      stderr: '',
    });
    writeFileSync(golden, good);
    expect(cli('check', 'golden-case/ping-pong.yaml').status).toBe(0);
  });

  test('diff on a truncated trace, an empty one, a VCD with a trace, a device: exit 2 with file, line and column', () => {
    writeFileSync(golden, good);
    writeFileSync(join(tmp, 'cut.jsonl'), good.slice(0, good.length - 30));
    writeFileSync(join(tmp, 'empty.jsonl'), '');
    const lastLine = good.split('\n').length - 1;
    const hint = ' (diff compares two canonical traces (.jsonl, from run --trace FILE.jsonl) or two VCD files (.vcd, from run --trace FILE.vcd))';
    const g = 'golden-case/golden/ping-pong.jsonl';
    expect(cli('diff', g, 'cut.jsonl').stderr).toMatch(new RegExp(`^rpmsg-sim: error: cut\\.jsonl:${lastLine}:\\d+: not valid JSON: \\{"t":`));
    expect(cli('diff', g, 'empty.jsonl')).toEqual({ status: 2, stdout: '', stderr: `rpmsg-sim: error: empty.jsonl:1: empty file: expected the trace header${hint}\n` });
    expect(cli('diff', 'both.vcd', g)).toEqual({
      status: 2,
      stdout: '',
      stderr:
        `rpmsg-sim: error: ${g}:1:1: this is a canonical trace (JSON Lines), but both.vcd is a VCD file (Value Change Dump); ` +
        'diff compares two files of one format: two canonical traces (.jsonl, from run --trace FILE.jsonl) or two VCD files (.vcd, from run --trace FILE.vcd)\n',
    });
    expect(cli('diff', g, '/dev/zero')).toEqual({ status: 2, stdout: '', stderr: 'rpmsg-sim: error: /dev/zero: cannot read the trace: it is a character device, not a regular file\n' });
  });
});

test('nothing is left behind in the folder but what the tests wrote', () => {
  expect(readdirSync(tmp).filter((f) => f.includes('.tmp')).sort()).toEqual([]);
});
