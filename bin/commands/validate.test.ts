// `validate` refuses what `run` would (issue 12, classes 4 and 7): the real launcher, run as a
// child process on scenarios written to a temporary folder; both commands exit 2 with the
// same located message, and no stack trace.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
let dir = '';

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [launcher, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-validate-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A module scenario on lpc55s69 whose module file has `source`. */
function moduleScenario(name: string, source: string): string {
  writeFileSync(join(dir, `${name}.js`), source);
  writeFileSync(join(dir, `${name}.yaml`), `platform: lpc55s69\nmaster: {module: ./${name}.js}\nremote: {module: ./${name}.js}\nstop: {time: 1ms}\n`);
  return `${name}.yaml`;
}

const PROGRAMS = 'export function* master() {}\nexport function* remote() {}\n';

describe('a module that fails as it is loaded or exports the wrong thing: exit 2 from validate and run, naming the module', () => {
  test.each([
    ['an Error', "throw new Error('no board support here');", 'Error: no board support here'],
    ['a string', "throw 'a string';", '"a string"'],
    ['undefined', 'throw undefined;', 'undefined'],
    ['an object', 'throw { code: 42 };', '{"code":42}'],
  ])('a module that throws %s at import', (name, statement, shown) => {
    const file = moduleScenario(`throws-${name.replace(/ /g, '-')}`, `${statement}\n${PROGRAMS}`);
    const message = `${file}:2:18: ${file.replace('.yaml', '.js')}: the module throws when it is loaded: ${shown}`;
    expect(cli('validate', file)).toEqual({ status: 2, stdout: '', stderr: `${message}\n` });
    expect(cli('run', file)).toEqual({ status: 2, stdout: '', stderr: `rpmsg-sim: error: ${message}\n` });
  });

  test('an export that is not a function, and one that is missing', () => {
    const file = moduleScenario('not-a-function', 'export const master = 42;\nexport const helper = 1;\n');
    const message = `${file}:2:18: not-a-function.js: exports no function "master" (the master's program); "master" is 42`;
    expect(cli('validate', file)).toEqual({ status: 2, stdout: '', stderr: `${message}\n` });
    expect(cli('run', file).stderr).toBe(`rpmsg-sim: error: ${message}\n`);
    const missing = moduleScenario('missing', 'export function* master() {}\nexport const helper = 1;\n');
    expect(cli('validate', missing).stderr).toBe(`${missing}:3:18: missing.js: exports no function "remote" (the remote's program); it exports "helper", "master"\n`); // esbuild lists the exports sorted
  });

  test('a module that changes a built-in prototype as it is loaded: refused, and undone (the next build still works)', () => {
    const file = moduleScenario('pollutes', `(Object.prototype as any).fuzzPolluted = 1;\n${PROGRAMS}`.replace(' as any', ''));
    const message = `${file}:2:18: pollutes.js: the module changes Object.prototype.fuzzPolluted as it is loaded: firmware modules must leave JavaScript's built-in prototypes alone (the change is undone)`;
    expect(cli('validate', file, file)).toEqual({ status: 2, stdout: '', stderr: `${message}\n${message}\n` });
    expect(cli('run', file).stderr).toBe(`rpmsg-sim: error: ${message}\n`);
  });

  test('an export that is a class, and a module that does not compile: located at the module: value', () => {
    const file = moduleScenario('a-class', 'export class master {}\nexport function* remote() {}\n');
    const message = `${file}:2:18: a-class.js: "master" is a class, not the master's program (write it as a generator function: export function* master(ctx) { ... })`;
    expect(cli('validate', file)).toEqual({ status: 2, stdout: '', stderr: `${message}\n` });
    expect(cli('run', file).stderr).toBe(`rpmsg-sim: error: ${message}\n`);
    const broken = moduleScenario('broken', 'export function* master( {\nexport function* remote() {}\n');
    expect(cli('validate', broken)).toEqual({ status: 2, stdout: '', stderr: `${broken}:2:18: broken.js:2:8: Expected "}" but found "function"\n` });
  });

  test('a program that returns no generator: run exits 2 when it starts (validate cannot call it)', () => {
    const file = moduleScenario('not-generator', 'export const master = () => 42;\nexport function* remote() {}\n');
    expect(cli('validate', file)).toEqual({ status: 0, stdout: `ok ${file}\n`, stderr: '' });
    expect(cli('run', file)).toEqual({
      status: 2,
      stdout: '',
      stderr: `rpmsg-sim: error: ${file}:2:18: not-generator.js: master(ctx), the master's program, returned 42, not a generator (write it as a generator function: export function* name(ctx) { ... })\n`,
    });
  });
});

describe('what run would refuse, validate refuses with the same located message', () => {
  test('stop: {time: 10000s} on imxrt1170 (was exit 70 from run)', () => {
    writeFileSync(join(dir, 'long.yaml'), 'platform: imxrt1170\nmaster: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong}\nstop: {time: 10000s}\n');
    const located =
      'long.yaml:4:14: 10000s is past the tick range: the simulated time ends at 2^53 ticks of 1/996 GHz on imxrt1170, 9043.372 s\n' +
      '  4 | stop: {time: 10000s}\n' +
      '    |              ^\n';
    expect(cli('validate', 'long.yaml')).toEqual({ status: 2, stdout: '', stderr: located });
    expect(cli('run', 'long.yaml')).toEqual({ status: 2, stdout: '', stderr: `${located}rpmsg-sim: error: the scenario has errors (see above)\n` });
  });

  test('rpmsg: {buffer-count: 32768} (was exit 1, "Cannot read properties of null")', () => {
    writeFileSync(join(dir, 'many.yaml'), 'rpmsg: {buffer-count: 32768}\nmaster: {app: ping-pong, params: {count: 1, payload-size: 4B}}\nremote: {app: ping-pong}\nstop: {time: 1ms}\n');
    const { status, stderr } = cli('run', 'many.yaml');
    expect(status).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      'many.yaml:1:23: rpmsg_lite_master_init would return NULL: 8192 B of shared memory hold the 2 vrings (VRING_SIZE 852000 B each) and 0 buffers of 512 B, not 2 × RL_BUFFER_COUNT = 65536',
    );
    expect(stderr).not.toContain('    at ');
  });
});
