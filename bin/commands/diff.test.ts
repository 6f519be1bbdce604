// `rpmsg-sim diff`: each file's format told from its contents (diff-formats.ts), two VCD files
// compared by signal and value in time, and one located line for a file of a format diff does
// not compare or for two files of different formats. Hand-made VCD files for the rules, the
// real CLI on files `run --trace` writes for the messages.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareVcd, fsText, readVcd, sniffFormat } from './diff-formats';

const root = join(__dirname, '..', '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
let dir = '';

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, ...args, '--no-color'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-diff-'));
  const ping = join(root, 'scenarios', 'ping-pong.yaml');
  const r = cli('run', ping, '--trace', 'a.vcd', '--trace', 'a.jsonl', '--trace', 'a.json', '--trace', 'a.txt', '--json');
  if (r.status !== 0) throw new Error(r.stderr);
  writeFileSync(join(dir, 'summary.json'), r.stdout);
  writeFileSync(join(dir, 'summary.txt'), cli('run', ping).stdout);
  cli('run', ping, '--trace', 'same.vcd');
  cli('run', ping, '--set', 'master.params.count=5', '--trace', 'five.vcd');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const A = [
  '$date today $end',
  '$timescale 1 ns $end',
  '$scope module top $end',
  '$var wire 1 ! clk $end',
  '$var reg 8 " bus [7:0] $end',
  '$var string 1 # mode $end',
  '$upscope $end',
  '$enddefinitions $end',
  '#0',
  '$dumpvars',
  '0!',
  'bx "',
  'sidle #',
  '$end',
  '#10',
  '1!',
  'b101 "',
  '#20',
  '0!',
  'srun #',
  '',
].join('\n');

/** A in other words: another timescale, other identifier codes and order, leading zeros, a repeated value, comments. */
const A_AGAIN = [
  '$comment another writer $end',
  '$timescale 100 ps $end',
  '$scope module top $end',
  '$var string 1 a mode $end',
  '$var reg 8 b bus [7:0] $end',
  '$var wire 1 c clk $end',
  '$upscope $end',
  '$enddefinitions $end',
  '#0',
  'xb',
  '0c',
  'sidle a',
  '#50',
  '0c',
  '#100',
  'b00000101 b',
  '1c',
  '#200',
  '0c',
  'srun a',
  '$comment the end $end',
  '',
].join('\n');

describe('VCD files compared by signal and value in time', () => {
  test('the same value changes in other words are equal', () => {
    const r = compareVcd('a.vcd', readVcd(A), 'b.vcd', readVcd(A_AGAIN));
    expect(r).toEqual({ equal: true, lines: ['equal: a.vcd and b.vcd have the same value changes (3 signals)', 'timescales: 1 ns in a.vcd, 100 ps in b.vcd'] });
  });

  test('the first difference: its time in both timescales, the signal, both values; then which signals differ and the counts', () => {
    const b = A_AGAIN.replace('b00000101 b', 'b110 b').replace('srun a', 'sstop a');
    expect(compareVcd('a.vcd', readVcd(A), 'b.vcd', readVcd(b)).lines).toEqual([
      'different: at 10 ns (#10 at 1 ns in a.vcd, #100 at 100 ps in b.vcd), top.bus[7:0] is b101 (0x5) in a.vcd and b110 (0x6) in b.vcd',
      'signals that differ: 2 of 3 (top.bus[7:0], top.mode)',
      'value changes: 7 in a.vcd, 8 in b.vcd',
    ]);
  });

  test('reals compare as numbers, strings as written', () => {
    const withReal = (value: string, text: string) => `$timescale 1 ns $end\n$var real 64 ! v $end\n$var string 1 " s $end\n$enddefinitions $end\n#0\n${value} !\n${text} "\n`;
    expect(compareVcd('a.vcd', readVcd(withReal('r1.5', 'sA')), 'b.vcd', readVcd(withReal('R1.50e0', 'sA'))).equal).toBe(true);
    expect(compareVcd('a.vcd', readVcd(withReal('r1.5', 'sA')), 'b.vcd', readVcd(withReal('r1.5', 'sa'))).lines[0]).toBe('different: at 0 ns (#0 at 1 ns), s is sA in a.vcd and sa in b.vcd');
  });

  test('a change that only one file has, a signal only one file declares, a time that falls between units', () => {
    const later = A.replace('#20\n0!', '#20\n1!');
    expect(compareVcd('a.vcd', readVcd(A), 'c.vcd', readVcd(later)).lines[0]).toBe('different: at 20 ns (#20 at 1 ns), top.clk is 0 in a.vcd and 1 in c.vcd');
    const extra = A.replace('$upscope', '$var wire 1 $ rst $end\n$upscope');
    expect(compareVcd('a.vcd', readVcd(A), 'd.vcd', readVcd(extra)).lines).toEqual([
      'different: the files declare different signals; the 3 they share have the same value changes',
      'signals only in d.vcd: top.rst',
      'value changes: 7 in a.vcd, 7 in d.vcd',
    ]);
    const fine = A_AGAIN.replace('#200\n0c', '#195\n0c');
    expect(compareVcd('a.vcd', readVcd(A), 'e.vcd', readVcd(fine)).lines[0]).toBe('different: at 19.5 ns (between #19 and #20 at 1 ns in a.vcd, #195 at 100 ps in e.vcd), top.clk is 1 in a.vcd and 0 in e.vcd');
    expect([fsText(1_046_595_381_526n), fsText(0n), fsText(1n)]).toEqual(['1046595.381526 ns', '0 ns', '0.000001 ns']);
  });

  test('a file that is not VCD after all: the line and column, and what was expected', () => {
    const cases: [string, string][] = [
      [A.replace('b101 "', 'b101 ?'), 'line 17, column 1: a value change of "?", which no $var declares'],
      [A.replace('b101 "', 'b102 "'), 'line 17, column 1: expected a binary value (b followed by 0, 1, x, z), got "b102"'],
      [A.replace('#20', '#5'), 'line 18, column 1: time #5 goes back (the one before was #10)'],
      [A.replace('$timescale 1 ns', '$timescale 2 ns'), 'line 2, column 1: $timescale 2ns: expected 1, 10 or 100 and one of s, ms, us, ns, ps, fs'],
      [A.replace('$enddefinitions $end', '$enddefinitions'), 'line 9, column 1: expected $end after $enddefinitions, got "#0"'],
      [A.replace('$enddefinitions $end\n', '').replace(/\n#0[^]*$/, '\n$comment cut'), 'line 8, column 1: $comment has no $end'],
      [A.replace('#10', '@10'), 'line 15, column 1: expected a time (#…), a value change or a command, got "@10"'],
      [A.split('$enddefinitions')[0]!, 'line 8, column 1: no $enddefinitions: the file ends in its declarations'],
      ['$scope module top $end\n  $wire 1 ! x $end\n', 'line 2, column 3: expected a declaration command ($scope, $var, $timescale, $enddefinitions, …), got "$wire"'],
    ];
    // declarations are read at once, value changes as the comparison walks them
    for (const [text, message] of cases) expect(() => compareVcd('x.vcd', readVcd(text), 'a.vcd', readVcd(A))).toThrow(message);
  });
});

describe('formats told from the contents', () => {
  test('each format rpmsg-sim writes, and the others that sit beside them', () => {
    const of = (text: string | Buffer) => sniffFormat(Buffer.isBuffer(text) ? text : Buffer.from(text));
    expect(of(readFileSync(join(dir, 'a.jsonl')))).toEqual({ format: 'jsonl', line: 1, column: 1 });
    expect(of(readFileSync(join(dir, 'a.vcd')))).toEqual({ format: 'vcd', line: 1, column: 1 });
    expect(of(readFileSync(join(dir, 'a.json')))).toEqual({ format: 'perfetto', line: 1, column: 1 });
    expect(of(readFileSync(join(dir, 'a.gtkw')))).toEqual({ format: 'gtkw', line: 1, column: 1 });
    expect(of(readFileSync(join(dir, 'a.txt')))).toEqual({ format: 'text', line: 1, column: 1 });
    expect(of(readFileSync(join(dir, 'summary.json')))).toEqual({ format: 'summary', line: 1, column: 1 });
    expect(of(readFileSync(join(dir, 'summary.txt')))).toEqual({ format: 'report', line: 1, column: 1 });
    expect(of('\n\n  {\n  "x": 1\n}\n')).toEqual({ format: 'json', line: 3, column: 3 });
    expect(of('[{"ph":"B"}]')).toEqual({ format: 'perfetto', line: 1, column: 1 });
    expect(of('<?xml version="1.0"?>\n<testsuites>\n')).toEqual({ format: 'junit', line: 1, column: 1 });
    expect(of('<svg xmlns="http://www.w3.org/2000/svg">')).toEqual({ format: 'svg', line: 1, column: 1 });
    expect(of('<!DOCTYPE html>\n<html>')).toEqual({ format: 'html', line: 1, column: 1 });
    expect(of('<a/>')).toEqual({ format: 'xml', line: 1, column: 1 });
    expect(of(Buffer.from([0x41, 0x0a, 0x42, 0x00, 0x43]))).toEqual({ format: 'binary', line: 2, column: 2 });
    expect(of(Buffer.from([0x41, 0xff]))).toEqual({ format: 'binary', line: 1, column: 2 });
    // not told: read as a canonical trace, whose reader says where it is wrong
    expect(of('')).toEqual({ format: 'jsonl', line: 1, column: 1 });
    expect(of('{"t":1')).toEqual({ format: 'jsonl', line: 1, column: 1 });
    expect(of('{\n"t":')).toEqual({ format: 'jsonl', line: 1, column: 1 });
    expect(of('hello')).toEqual({ format: 'jsonl', line: 1, column: 1 });
  });
});

describe('rpmsg-sim diff on the files run --trace writes', () => {
  const ACCEPTS = 'two canonical traces (.jsonl, from run --trace FILE.jsonl) or two VCD files (.vcd, from run --trace FILE.vcd)';

  test('two VCD files of the same run: equal, exit 0; of another run: the first difference, exit 1', () => {
    expect(cli('diff', 'a.vcd', 'same.vcd')).toEqual({ status: 0, stdout: 'equal: a.vcd and same.vcd have the same value changes (42 signals)\n', stderr: '' });
    const d = cli('diff', 'a.vcd', 'five.vcd');
    expect([d.status, d.stderr]).toEqual([1, '']);
    expect(d.stdout.split('\n')).toEqual([
      'different: at 1046595.381526 ns (#1046595381526 at 1 fs), rpmsg_sim.cm7.state is b0 (0x0) in a.vcd and b10 (0x2) in five.vcd',
      'signals that differ: 18 of 42 (rpmsg_sim.cm7.state, rpmsg_sim.cm7.state_name, rpmsg_sim.cm7.active_irq, rpmsg_sim.cm7.irq118_mu_a_irq, rpmsg_sim.cm4.state and 13 more)',
      'value changes: 720 in a.vcd, 240 in five.vcd',
      '',
    ]);
  });

  test('a format diff does not compare: one line, located, saying what it got and what diff takes (exit 2)', () => {
    const no = (file: string, what: string, instead: string) => expect(cli('diff', file, file)).toEqual({ status: 2, stdout: '', stderr: `rpmsg-sim: error: ${file}:1:1: this is ${what}; diff compares ${ACCEPTS}${instead}\n` });
    no('a.json', 'a Perfetto/Chrome trace (JSON, as run --trace FILE.json writes)', ': write the runs with --trace FILE.jsonl (or FILE.vcd) and compare those');
    no('a.gtkw', 'a GTKWave save file (.gtkw)', ': compare the .vcd files it names');
    no('a.txt', 'a text trace (as run --trace FILE.txt writes)', ': write the runs with --trace FILE.jsonl and compare those');
    no('summary.json', 'a run summary (JSON, as run --json writes)', ": compare the runs' .jsonl traces: diff lists the summary metrics that moved");
    no('summary.txt', 'a run summary (text, as run prints it)', ": compare the runs' .jsonl traces: diff lists the summary metrics that moved");
    writeFileSync(join(dir, 'r.xml'), '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n</testsuites>\n');
    no('r.xml', 'a JUnit XML report', '');
    // the second file is told too, before anything is compared
    expect(cli('diff', 'a.vcd', 'a.json').stderr).toBe(`rpmsg-sim: error: a.json:1:1: this is a Perfetto/Chrome trace (JSON, as run --trace FILE.json writes); diff compares ${ACCEPTS}: write the runs with --trace FILE.jsonl (or FILE.vcd) and compare those\n`);
  });

  test('two files of different formats: one line naming both (exit 2)', () => {
    expect(cli('diff', 'a.jsonl', 'a.vcd')).toEqual({
      status: 2,
      stdout: '',
      stderr: `rpmsg-sim: error: a.vcd:1:1: this is a VCD file (Value Change Dump), but a.jsonl is a canonical trace (JSON Lines); diff compares two files of one format: ${ACCEPTS}\n`,
    });
  });

  test('a broken VCD file: its line and column (exit 2)', () => {
    writeFileSync(join(dir, 'cut.vcd'), readFileSync(join(dir, 'a.vcd'), 'utf8').replace('\n#3437500000\n', '\n#3437500000\nb1 ~\n'));
    expect(cli('diff', 'a.vcd', 'cut.vcd')).toEqual({ status: 2, stdout: '', stderr: 'rpmsg-sim: error: cut.vcd:107:1: a value change of "~", which no $var declares\n' });
  });
});
