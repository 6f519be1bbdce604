import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_REPORTED_ERRORS, MAX_SCENARIO_BYTES, firstNonUtf8, parseSettings, readInputBytes, readScenarioFile } from './files';
import { formatErrors, loadScenario } from './load';
import { MAX_ALIAS_NODES, settingName } from './yaml-tree';

const PING_PONG =
  'platform: imxrt1170\n' +
  'master:\n  app: ping-pong\n  params: {count: 20, payload-size: 4B}\n' +
  'remote: {app: ping-pong}\n' +
  'stop:\n  time: 10ms\n';

const STEPS = 'master:\n  steps:\n    - init\nremote:\n  steps: [init]\nstop: {time: 1ms}\n';

/** The scenario of `text` with `settings` applied, or its errors as formatted text. */
function withSettings(text: string, settings: string[]) {
  const { scenario, errors } = loadScenario('s.yaml', text, parseSettings(settings));
  return { scenario, report: formatErrors(errors) };
}

describe('--set arguments are split for the tree', () => {
  test('dotted keys, with their columns; one key under overrides. and <role>.costs.', () => {
    expect(parseSettings(['master.params.count=5', 'overrides.clocks.cm4=200MHz', 'master.costs.rl.sendMaster=180'])).toEqual([
      { argument: 'master.params.count=5', keys: [{ key: 'master', at: 0 }, { key: 'params', at: 7 }, { key: 'count', at: 14 }], valueAt: 20 },
      { argument: 'overrides.clocks.cm4=200MHz', keys: [{ key: 'overrides', at: 0 }, { key: 'clocks.cm4', at: 10 }], valueAt: 21 },
      { argument: 'master.costs.rl.sendMaster=180', keys: [{ key: 'master', at: 0 }, { key: 'costs', at: 7 }, { key: 'rl.sendMaster', at: 13 }], valueAt: 27 },
    ]);
  });

  test('no "=", no path, an empty key: a problem at its column', () => {
    expect(parseSettings(['stop.time', '=1', 'stop..time=1'])).toEqual([
      { argument: 'stop.time', problem: { at: 9, message: 'expected path=value', note: 'e.g. --set stop.time=2ms' } },
      { argument: '=1', problem: { at: 0, message: 'expected a path before "="', note: 'e.g. --set stop.time=2ms, --set master.params.count=10' } },
      { argument: 'stop..time=1', problem: { at: 5, message: 'empty key in the path "stop..time"', note: 'e.g. --set stop.time=2ms, --set master.params.count=10' } },
    ]);
  });
});

describe('--set applied to the scenario', () => {
  test('values go in as if written in the file: params, overrides in base units, costs, a new key', () => {
    const { scenario, report } = withSettings(PING_PONG, ['master.params.count=5', 'overrides.clocks.cm4=200MHz', 'master.costs.rl.sendMaster=180', 'stop.messages=3']);
    expect(report).toBe('');
    expect(scenario!.master.firmware).toEqual({ kind: 'app', app: 'ping-pong', params: { count: 5, payloadSize: 4 } });
    expect(scenario!.overrides).toEqual({ 'clocks.cm4': 200_000_000 });
    expect(scenario!.master.costs).toEqual({ 'rl.sendMaster': 180 });
    expect(scenario!.stop.messages).toBe(3);
  });

  test('a list item by index, and one past the end adds an item', () => {
    const { scenario, report } = withSettings(STEPS, ['remote.steps.1={delay: 5us}', 'remote.steps.1.delay=7us']);
    expect(report).toBe('');
    expect(scenario!.remote.firmware).toEqual({
      kind: 'steps',
      steps: [{ kind: 'init' }, { kind: 'delay', duration: { ns: 7000 } }],
      // A step from a --set argument is located in it (run-time messages name it so).
      stepLocations: [
        { file: 's.yaml', line: 5, column: 11 },
        { file: "--set #1 'remote.steps.1={delay: 5us}'", line: 1, column: 16 },
      ],
    });
  });

  test('a value error names the argument and the column in it, not a line of a rewritten file', () => {
    expect(withSettings(PING_PONG, ['stop.time=2ms', 'stop.time=10 parsecs']).report).toBe(
      "s.yaml: --set #2 'stop.time=10 parsecs', column 11: expected a duration like 10us, 2ms or 100 cycles@cm4, got \"10 parsecs\"\n" +
        '  --set #2 | stop.time=10 parsecs\n' +
        '           |           ^\n',
    );
  });

  test('an alias in the value is YAML of its own: an unknown alias, located (the issue: "Unresolved alias")', () => {
    expect(withSettings(PING_PONG, ['stop.time=*a']).report).toBe(
      "s.yaml: --set #1 'stop.time=*a', column 11: unknown alias *a\n" +
        '  --set #1 | stop.time=*a\n' +
        '           |           ^\n' +
        '  note: define the anchor (&name) before using it\n',
    );
  });

  test('YAML syntax errors in the value, and an alias inside its own node', () => {
    expect(withSettings(PING_PONG, ["master.params={count: 3", 'stop.time=&a [*a]']).report).toBe(
      "s.yaml: --set #1 'master.params={count: 3', column 24: invalid YAML: Flow map must end with a }\n" +
        "  --set #1 | master.params={count: 3\n" +
        '           |                        ^\n' +
        "s.yaml: --set #2 'stop.time=&a [*a]', column 14: expected a duration like 10us, 2ms or 100 cycles@cm4, got a list\n" +
        '  --set #2 | stop.time=&a [*a]\n' +
        '           |              ^\n' +
        "s.yaml: --set #2 'stop.time=&a [*a]', column 15: alias *a is inside the node it names (&a): it would repeat without end\n" +
        '  --set #2 | stop.time=&a [*a]\n' +
        '           |               ^\n' +
        '  note: an alias can only repeat a node that is complete before it\n',
    );
  });

  test('a path through a scalar, a word index, an index past the end of a list', () => {
    expect(withSettings(STEPS, ['stop.time.x=1', 'remote.steps.first=1', 'remote.steps.3=init']).report).toBe(
      "s.yaml: --set #1 'stop.time.x=1', column 11: stop.time is \"1ms\", not a map or a list: there is no \"x\" in it\n" +
        '  --set #1 | stop.time.x=1\n' +
        '           |           ^\n' +
        '  note: a --set path names maps and list items of the scenario, e.g. master.params.count\n' +
        "s.yaml: --set #2 'remote.steps.first=1', column 14: remote.steps is a list: \"first\" is not an index\n" +
        '  --set #2 | remote.steps.first=1\n' +
        '           |              ^\n' +
        '  note: give an index, 0 to 0, or 1 to add an item\n' +
        "s.yaml: --set #3 'remote.steps.3=init', column 14: remote.steps has 1 item: index 3 is past its end\n" +
        '  --set #3 | remote.steps.3=init\n' +
        '           |              ^\n' +
        '  note: give an index, 0 to 0, or 1 to add an item\n',
    );
  });

  test('messages that refer to another place say "line N" in the file and "--set #k" in an argument', () => {
    const heads = (r: string) => r.split('\n').filter((l) => !l.startsWith(' ') && l !== '');
    expect(heads(withSettings(STEPS, ['master.steps.1=init', 'remote.steps=[init, init]']).report)).toEqual([
      "s.yaml: --set #1 'master.steps.1=init', column 16: init again: the master is already initialised at line 3",
      "s.yaml: --set #2 'remote.steps=[init, init]', column 21: init again: the remote is already initialised at --set #2",
    ]);
  });

  test('a file with a YAML error is reported alone, at its own lines: the settings are not applied', () => {
    expect(withSettings('name: x\nmaster: [\n', ['stop.time=2ms']).report).toBe(
      's.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n' + '  3 | \n' + '    | ^\n',
    );
  });

  test('the file’s own errors keep their lines and come before the settings’ errors', () => {
    const { report } = withSettings(PING_PONG.replace('10ms', '10 parsecs'), ['stop.messages=many']);
    expect(report.split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      's.yaml:7:9: expected a duration like 10us, 2ms or 100 cycles@cm4, got "10 parsecs"',
      "s.yaml: --set #1 'stop.messages=many', column 15: expected a whole number, at least 1, got \"many\"",
      '',
    ]);
  });
});

test('an override named __proto__ (file or --set) is an unknown setting, not silently dropped', () => {
  const lines = (r: string) => r.split('\n').filter((l) => !l.startsWith(' '));
  expect(lines(withSettings(`${PING_PONG}overrides:\n  __proto__: 1\n`, []).report)).toEqual(['s.yaml:9:3: imxrt1170 has no setting "__proto__"', '']);
  expect(lines(withSettings(PING_PONG, ['overrides.__proto__=1']).report)).toEqual(["s.yaml: --set #1 'overrides.__proto__=1', column 11: imxrt1170 has no setting \"__proto__\"", '']);
});

test('an argument is named quoted for the shell, control characters shown as ·, a long one cut', () => {
  expect(settingName(2, "name=it's")).toBe("--set #2 'name=it'\\''s'");
  expect(settingName(1, 'a=1\n---')).toBe("--set #1 'a=1·---'");
  expect(settingName(1, `stop.time=${'['.repeat(100)}`)).toBe(`--set #1 'stop.time=${'['.repeat(49)}…'`);
});

describe('aliases are bounded', () => {
  test('an alias inside the node it names (the issue: x: &x [*x, *x] ran forever)', () => {
    const { errors } = loadScenario('self.yaml', 'x: &x [*x, *x]\n');
    expect(errors.filter((e) => e.message.startsWith('alias')).map((e) => `${e.line}:${e.column}: ${e.message}`)).toEqual([
      '1:8: alias *x is inside the node it names (&x): it would repeat without end',
      '1:12: alias *x is inside the node it names (&x): it would repeat without end',
    ]);
  });

  test('a 7x10 alias bomb stops at the limit, at the alias that passes it, with nothing else reported', () => {
    const lines = ['l0: &l0 [a, a, a, a, a, a, a, a, a, a]'];
    for (let i = 1; i < 7; i++) lines.push(`l${i}: &l${i} [${Array.from({ length: 10 }, () => `*l${i - 1}`).join(', ')}]`);
    const { errors } = loadScenario('bomb.yaml', `${lines.join('\n')}\n`);
    expect(MAX_ALIAS_NODES).toBe(10_000);
    expect(formatErrors(errors)).toBe(
      'bomb.yaml:4:45: alias *l2 takes the document past the limit of 10,000 nodes copied by aliases\n' +
        `  4 | ${lines[3]}\n` +
        '    |                                             ^\n' +
        '  note: an alias (*name) repeats a node, and aliases of lists of aliases multiply; expected a scenario that repeats a few blocks at most: write the values out\n',
    );
  });

  test('a few aliases are fine', () => {
    const text = 'master: &core {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong}\nstop: {time: &t 1ms}\nexpect: {}\n';
    expect(formatErrors(loadScenario('a.yaml', text).errors)).toBe('');
  });
});

describe('reading a scenario file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['a device (/dev/zero: the issue, it grew without end)', '/dev/zero', '/dev/zero: cannot read the scenario file: it is a character device, not a regular file'],
    ['an empty name', '', '"": cannot read the scenario file: the file name is empty'],
  ])('%s is refused before anything is read', (_what, file, report) => {
    expect(readScenarioFile(file).report).toBe(`${report}\n`);
  });

  test('a directory, a missing file, a FIFO (refused without blocking)', () => {
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(readScenarioFile(dir).report).toBe(`${dir}: cannot read the scenario file: it is a directory, not a file\n`);
    expect(readScenarioFile(join(dir, 'none.yaml')).report).toBe(`${dir}/none.yaml: cannot read the scenario file: no such file\n`);
    expect(readScenarioFile(fifo).report).toBe(`${fifo}: cannot read the scenario file: it is a FIFO (named pipe), not a regular file\n`);
  });

  test('a file over 1 MiB is refused; one of exactly 1 MiB is read', () => {
    expect(MAX_SCENARIO_BYTES).toBe(1_048_576);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, PING_PONG + '#'.repeat(MAX_SCENARIO_BYTES - PING_PONG.length - 1) + '\n');
    expect(readScenarioFile(big).report).toBe('');
    // One byte more: located at that byte (the last line's newline), the line shown as read.
    writeFileSync(big, PING_PONG + '#'.repeat(MAX_SCENARIO_BYTES - PING_PONG.length) + '\n');
    const report = readScenarioFile(big).report.split('\n');
    expect(report[0]).toBe(`${big}:8:${MAX_SCENARIO_BYTES - PING_PONG.length + 1}: the file passes the limit of 1,048,576 bytes for a scenario file here (it has 1,048,577 bytes)`);
    expect(report[1]).toMatch(/^ {2}8 \| …#{120}$/);
    expect(report.slice(2)).toEqual([
      `    | ${' '.repeat(121)}^`,
      '  note: a scenario is a few kilobytes of YAML (the largest shipped has 1,843 bytes): split the file, or generate fewer steps',
      '',
    ]);
  });

  test('a file that is not UTF-8 (a binary, a Latin-1 text): located at the first bad byte, nothing else reported', () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from('master: {app: ping-pong}\r\nstop: {time: '), Buffer.from([0xb5]), Buffer.from('s}\n')]));
    expect(readScenarioFile(file).report).toBe(
      `${file}:2:14: the file is not UTF-8 text: byte 0xb5 at offset 39\n` + '  2 | stop: {time: \ufffds}\n' + '    |              ^\n' + '  note: a scenario file is YAML text in UTF-8\n',
    );
    expect(firstNonUtf8(Buffer.from([0x61, 0xe2, 0x82, 0xac, 0x62]))).toBeUndefined();
    expect(firstNonUtf8(Buffer.from([0x61, 0xe2, 0x82, 0x62]))).toBe(1);
    expect(firstNonUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1);
    expect(firstNonUtf8(Buffer.from([0x61, 0x62, 0xf0, 0x9f]))).toBe(2);
  });

  test('at most 100 errors are printed, then how many more; all are in errors', () => {
    const file = join(dir, 'many.yaml');
    writeFileSync(file, `master:\n  steps: [${'init, '.repeat(151)}]\nremote: {steps: [init]}\nstop: {time: 1ms}\n`);
    const loaded = readScenarioFile(file);
    expect(MAX_REPORTED_ERRORS).toBe(100);
    expect(loaded.errors.length).toBe(150);
    const heads = loaded.report.split('\n').filter((l) => l.startsWith(file));
    expect(heads.length).toBe(101);
    expect(heads[0]).toBe(`${file}:2:17: init again: the master is already initialised at line 2`);
    expect(heads[100]).toBe(`${file}: 50 more errors not shown (150 in all)`);
  });

  test('a file read to its end even when its size says 0 (/proc); the limit holds there too', () => {
    expect(readInputBytes('/proc/self/status', 'status', 1 << 20).toString('utf8')).toMatch(/^Name:\t/);
    expect(() => readInputBytes('/proc/self/status', 'status', 10)).toThrow('/proc/self/status: cannot read the status: it has 11 bytes or more; a status may have at most 10 bytes');
  });
});
