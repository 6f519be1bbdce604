// Runs that go wrong, as the CLI reports them (issue 12, classes 8 and 9): the watchdog's
// end of a run that makes no progress, errors of a module's code, and JavaScript errors
// inside rpmsg-sim's models. The real launcher, run as a child process.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const launcher = join(root, 'bin', 'rpmsg-sim');
const run = (...args: string[]) => spawnSync(process.execPath, [launcher, ...args, '--no-color'], { encoding: 'utf8', cwd: root });
const fixture = (name: string) => `bin/fixtures/run-errors-${name}.yaml`;

beforeAll(() => {
  // Test the current sources, not whatever bundle an earlier build left in dist/.
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
});

const ENDLESS =
  'process "core0" (the master\'s module run-errors.ts, export endless) ran for 300 ms of wall time at 666.667 ns (tick 2000) without returning to the kernel (an endless loop in firmware?)';

test('an endless JS loop in a module: the wall-time watchdog ends the run, the report on stdout, exit 1, no stack', () => {
  const r = run('run', fixture('endless'), '--watchdog-wall', '0.3');
  expect(r.status).toBe(1);
  expect(r.stderr).toBe(`rpmsg-sim: the watchdog ended the run of ${fixture('endless')}: ${ENDLESS}\n`);
  expect(r.stdout.split('\n')[0]).toBe('run-errors-endless on lpc55s69: stopped (watchdog) at 666.667 ns simulated');
  expect(r.stdout).toContain(
    `\nThe watchdog ended the run: ${ENDLESS}\n\nWhat each core was doing:\n` +
      '  core core0: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 disabled\n' +
      '  core core1: in thread mode, asleep in WFI, PRIMASK clear, pending: none; mailbox interrupt IRQ 31 disabled\n',
  );
});

test('--json carries stopReason watchdog, the reason and the report', () => {
  const r = run('run', fixture('endless'), '--watchdog-wall', '0.3', '--json');
  expect(r.status).toBe(1);
  const s = JSON.parse(r.stdout);
  expect([s.stopReason, s.watchdog, s.ok]).toEqual(['watchdog', ENDLESS, false]);
  expect(s.blocked).toHaveLength(2);
});

test('--watchdog-wall takes seconds, 0 or more: anything else is bad input (exit 2)', () => {
  const r = run('run', fixture('endless'), '--watchdog-wall', '-1');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('rpmsg-sim: error: --watchdog-wall: expected a number of seconds from 0 to 4294967.295, got -1\n');
  // past what node:vm takes (2^32 - 1 ms): bad input, not an internal error
  expect(run('run', fixture('endless'), '--watchdog-wall', '5000000').stderr).toBe('rpmsg-sim: error: --watchdog-wall: expected a number of seconds from 0 to 4294967.295, got 5000000\n');
});

test("a TypeError in the module's own code is the user's: exit 1, the module's file:line:column, no stack", () => {
  const r = run('run', fixture('ownError'));
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(
    `rpmsg-sim: the firmware module of ${fixture('ownError')} failed: TypeError: Cannot read properties of undefined (reading 'call') ` +
      'at bin/fixtures/run-errors.ts:17:11 (process "core0" at 666.667 ns, tick 2000). This is an error in the module\'s code, not a bug of rpmsg-sim.\n',
  );
});

test("a TypeError inside rpmsg-sim's model is an internal error: exit 70, the process, the simulated time and the stack", () => {
  const r = run('run', fixture('modelError'));
  expect(r.status).toBe(70);
  const lines = r.stderr.split('\n');
  expect(lines[0]).toBe(
    `rpmsg-sim: internal error: InternalError: the simulation of ${fixture('modelError')} failed inside rpmsg-sim ` +
      `(process "core0" at 28980.000 ns, tick 86940): TypeError: Cannot read properties of null (reading 'addr')`,
  );
  expect(lines[1]).toMatch(/^ {4}at _?RpmsgLite\.sendImpl \(.*firmware\/rpmsg-lite\/rpmsg-lite\.ts:\d+:\d+\)$/);
});

test('Ctrl-C during an endless loop takes effect when the wall-time watchdog ends the loop: exit 130, no trace and no temporary file left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-sigint-'));
  try {
    const trace = join(dir, 'out.jsonl');
    const child = spawn(process.execPath, [launcher, 'run', fixture('endless'), '--trace', trace, '--watchdog-wall', '1', '--no-color'], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The trace's temporary file exists once the run has begun; then the loop is under way soon.
    while (readdirSync(dir).length === 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe(`rpmsg-sim: interrupted by SIGINT; not written: "${trace}"\n`);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(trace)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("check: a module's own error fails its case (exit 1); one inside the model is an internal error (exit 70)", () => {
  const own = run('check', fixture('ownError'));
  expect(own.status).toBe(1);
  expect(own.stdout).toBe(
    'FAIL run-errors-ownError\n' +
      "  firmware module error: TypeError: Cannot read properties of undefined (reading 'call') at bin/fixtures/run-errors.ts:17:11 " +
      '(process "core0" at 666.667 ns, tick 2000). This is an error in the module\'s code, not a bug of rpmsg-sim.\n',
  );
  const model = run('check', fixture('modelError'));
  expect(model.status).toBe(70);
  expect(model.stderr.split('\n')[0]).toBe(
    `rpmsg-sim: internal error: InternalError: the simulation of ${fixture('modelError')} failed inside rpmsg-sim ` +
      `(process "core0" at 28980.000 ns, tick 86940): TypeError: Cannot read properties of null (reading 'addr')`,
  );
});

test('a remote in wait-link-up with stop: {messages: 1} ends at the tick limit with who waits on what (exit 0)', () => {
  const r = run('run', fixture('link-never-up'));
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.split('\n')[0]).toBe('run-errors-link-never-up on imxrt1170: stopped (tick-limit) at 9043.372 s simulated');
  expect(r.stdout).toContain(
    '\nSimulated time ran out (2^53 ticks); still waiting:\n' +
      '  core cm7: in thread mode, asleep in WFI, PRIMASK clear, pending: none; mailbox interrupt IRQ 118 disabled\n' +
      '  core cm7: every step has run (the last ended at 1000000.000 ns (tick 996000000))\n' +
      '  core cm4: in thread mode, running, PRIMASK clear, pending: none; mailbox interrupt IRQ 118 enabled\n' +
      '  core cm4: step 2 of 2, wait-link-up (for the link to come up, no timeout (RL_BLOCK)), since 3735.000 ns (tick 3720060)\n',
  );
});

test('a module whose top level never ends: stopped as it is loaded, exit 2 naming the module, no stack', () => {
  const r = run('run', fixture('loop-at-load'), '--watchdog-wall', '0.3');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    `rpmsg-sim: error: ${fixture('loop-at-load')}:4:11: bin/fixtures/run-errors-loop-at-load.ts: the module did not finish loading within 0.3 s of wall time (an endless loop at its top level?)\n`,
  );
});

test('a module that yields something that is not a core operation: a firmware error (exit 1), not an internal one', () => {
  const r = run('run', fixture('yieldsUndefined'));
  expect(r.status).toBe(1);
  expect(r.stderr).toBe(
    `rpmsg-sim: firmware error in ${fixture('yieldsUndefined')}: the firmware on core0 yielded undefined, which is not a core operation: ` +
      "firmware yields only what the core's methods make (yield* ctx.core.exec(n), yield* ctx.core.read32(address), yield* ctx.core.waitForInterrupt(), …) " +
      '(process "core0" at 0.000 ns, tick 0). The firmware misused rpmsg-lite, its environment or the RTOS; fix the firmware (this is not a bug of rpmsg-sim).\n',
  );
});

test('firmware whose steps are slow but return (600 steps of 5 ms): the 1 s wall-time watchdog does not fire', () => {
  const r = run('run', fixture('slowSteps'), '--watchdog-wall', '1', '--json');
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout).stopReason).toBe('time');
}, 30_000);
