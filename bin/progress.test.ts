// The progress line (bin/progress.ts): its text, when it is drawn and erased (a fake terminal
// and clock), the engine's hook, and the CLI under a real pseudo-terminal (util-linux's
// `script`), piped, and with --quiet.

import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { readScenarioFile } from '../scenario-engine/files';
import { type RunProgress, runScenario, runScenarioAsync } from '../scenario-engine/run';
import { type ProgressStream, REDRAW_MS, SHOW_AFTER_MS, formatProgress, eraseStatusLine, formatWall, fractionDone, progressLine } from './progress';

const root = join(__dirname, '..');
const ERASE = '\r\x1b[K';

describe('the text', () => {
  test('wall time: seconds with a tenth, then minutes and seconds, then hours and minutes', () => {
    expect([0, 420, 42_049, 59_949, 60_000, 365_400, 3_599_400, 3_600_000, 3_720_000, 90_000_000].map(formatWall)).toEqual([
      '0.0 s',
      '0.4 s',
      '42.0 s',
      '59.9 s',
      '1m 00s',
      '6m 05s',
      '59m 59s',
      '1h 00m',
      '1h 02m',
      '25h 00m',
    ]);
  });

  const flood: RunProgress = { simulatedNs: 7_533_000_000, messages: 60_000, stopNs: 1e12, stopMessages: undefined };

  test('a time stop: the share beside the simulated time, the estimate from the rate so far', () => {
    // 0.7533 % done in 3.2 s: the rest takes 3.2 s × (1 - f) / f = 421.6 s
    expect(formatProgress('flood-1m', flood, 3200)).toBe('flood-1m: 7.533 s of 1000 s simulated (0.8%), 60000 messages, 3.2 s wall, ETA ≤ 7m 02s');
  });

  test('a message stop nearer than the time stop: the share beside the messages', () => {
    const p: RunProgress = { ...flood, stopMessages: 100_000 };
    expect(fractionDone(p)).toBe(0.6);
    expect(formatProgress('flood-1m', p, 3000)).toBe('flood-1m: 7.533 s of 1000 s simulated, 60000 of 100000 messages (60.0%), 3.0 s wall, ETA ≤ 2.0 s');
  });

  test('a message stop alone; nothing done yet: no estimate', () => {
    const p: RunProgress = { simulatedNs: 1256.918, messages: 0, stopNs: undefined, stopMessages: 10 };
    expect(formatProgress('s', p, 1500)).toBe('s: 1.257 µs simulated, 0 of 10 messages (0.0%), 1.5 s wall, ETA -');
    expect(fractionDone({ ...p, stopMessages: undefined })).toBeUndefined();
  });
});

/** A terminal that records what is written to it. */
function fakeTerminal(columns?: number): ProgressStream & { text: string } {
  const t = { isTTY: true, text: '', write: (s: string) => ((t.text += s), true), ...(columns !== undefined && { columns }) };
  return t;
}

describe('drawing', () => {
  const p: RunProgress = { simulatedNs: 2e9, messages: 5, stopNs: 4e9, stopMessages: undefined };

  test('nothing in the first second; then at most once per REDRAW_MS, in place; erased by eraseStatusLine (what out() and err() call) and end', () => {
    let now = 0;
    const tty = fakeTerminal();
    const line = progressLine({ label: 'x', stream: tty, now: () => now, env: {}, signals: false });
    now = SHOW_AFTER_MS - 1;
    line.update(p);
    expect(tty.text).toBe('');
    now = SHOW_AFTER_MS;
    line.update(p);
    expect(tty.text).toBe('\rx: 2 s of 4 s simulated (50.0%), 5 messages, 1.0 s wall, ETA ≤ 1.0 s\x1b[K');
    tty.text = '';
    now += REDRAW_MS - 1;
    line.update(p);
    expect(tty.text).toBe('');
    now += 1;
    line.update(p);
    expect(tty.text).toBe('\rx: 2 s of 4 s simulated (50.0%), 5 messages, 1.1 s wall, ETA ≤ 1.1 s\x1b[K');
    tty.text = '';
    eraseStatusLine();
    eraseStatusLine();
    expect(tty.text).toBe(ERASE);
    tty.text = '';
    now += REDRAW_MS;
    line.update(p);
    line.end();
    now += REDRAW_MS;
    line.update(p);
    line.end();
    expect(tty.text).toMatch(/^\rx: .*\x1b\[K\r\x1b\[K$/);
  });

  test('a signal erases the line and leaves the signal to the handler that ends the process (here a stand-in)', () => {
    let now = 0;
    const tty = fakeTerminal();
    const before = process.listenerCount('SIGTERM');
    const beforeInt = process.listenerCount('SIGINT');
    const seen: string[] = [];
    // (the output files' handler, sim/trace/temporaries.ts, would end the process; with none, the line raises the signal again)
    const standIn = () => seen.push(tty.text.endsWith(ERASE) ? 'erased first' : 'not erased');
    process.on('SIGTERM', standIn);
    try {
      const line = progressLine({ label: 'x', stream: tty, now: () => now, env: {} });
      now = SHOW_AFTER_MS;
      line.update(p);
      expect(process.listenerCount('SIGTERM')).toBe(before + 2);
      expect(process.listenerCount('SIGINT')).toBe(beforeInt + 1);
      process.emit('SIGTERM', 'SIGTERM');
      expect(seen).toEqual(['erased first']);
      expect(tty.text).toMatch(/^\rx: .*\x1b\[K\r\x1b\[K$/);
      // the line is gone for good, its listeners too
      expect(process.listenerCount('SIGTERM')).toBe(before + 1);
      expect(process.listenerCount('SIGINT')).toBe(beforeInt);
      now += REDRAW_MS;
      line.update(p);
      expect(tty.text).toMatch(/\r\x1b\[K$/);
    } finally {
      process.removeListener('SIGTERM', standIn);
    }
  });

  test('a line wider than the terminal is cut one column short of it (a full line would wrap)', () => {
    let now = SHOW_AFTER_MS;
    const tty = fakeTerminal(30);
    const line = progressLine({ label: 'x', stream: tty, now: () => now, env: {}, signals: false });
    now += SHOW_AFTER_MS;
    line.update(p);
    expect(tty.text).toBe('\rx: 2 s of 4 s simulated (50.…\x1b[K');
    expect('x: 2 s of 4 s simulated (50.…'.length).toBe(29);
  });

  test.each([
    ['not a terminal', { ...fakeTerminal(), isTTY: false }, {}, false],
    ['--quiet', fakeTerminal(), {}, true],
    ['TERM=dumb', fakeTerminal(), { TERM: 'dumb' }, false],
  ])('%s: nothing at all', (_, stream, env, quiet) => {
    let now = 0;
    const line = progressLine({ label: 'x', stream, now: () => now, env, quiet, signals: false });
    for (now = 0; now < 5000; now += 50) line.update(p);
    line.end();
    expect((stream as { text: string }).text).toBe('');
  });
});

describe('the engine hook', () => {
  const loaded = readScenarioFile(join(root, 'bench', 'flood-1m.yaml'), ['master.params.count=6000', 'expect.messages.master-to-remote=6000', 'stop.messages=6000']);
  const scenario = loaded.scenario!;

  test('onProgress sees the run advance towards its stop, and changes nothing in it', async () => {
    expect(loaded.report).toBe('');
    const seen: RunProgress[] = [];
    const summary = await runScenarioAsync(scenario, { onProgress: (p) => seen.push({ ...p }) });
    // (how many calls depends on the wall clock: about one every 50 ms of it)
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) {
      expect(p.stopNs).toBe(1e12);
      expect(p.stopMessages).toBe(6000);
      expect(p.messages).toBeLessThan(6000);
      expect(p.simulatedNs).toBeLessThan(summary.simulatedNs);
    }
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.simulatedNs).toBeGreaterThanOrEqual(seen[i - 1]!.simulatedNs);
      expect(seen[i]!.messages).toBeGreaterThanOrEqual(seen[i - 1]!.messages);
    }
    expect(summary.stopReason).toBe('messages');
    expect(JSON.stringify(summary)).toBe(JSON.stringify(runScenario(scenario)));
  });
});

describe('the CLI', () => {
  beforeAll(() => {
    // Test the current sources, not whatever bundle an earlier build left in dist/.
    execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  });

  // A flood of 60,000 messages: 2 to 4 s of wall time here (about 30,000 messages a second), past SHOW_AFTER_MS.
  const args = ['run', 'bench/flood-1m.yaml', '--set', 'master.params.count=60000', 'expect.messages.master-to-remote=60000', 'stop.messages=80000', '--no-color'];
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

  /** The CLI on a pseudo-terminal (stdout and stderr both on it): everything the terminal received. */
  function onTerminal(...extra: string[]): { status: number | null; text: string } {
    const command = [process.execPath, join(root, 'bin', 'rpmsg-sim'), ...args, ...extra].map(quote).join(' ');
    const r = spawnSync('script', ['-qfec', command, '/dev/null'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', TERM: 'xterm' }, timeout: 60_000 });
    return { status: r.status, text: r.stdout };
  }

  test('on a terminal: the line with its fields, redrawn in place, erased before the summary', () => {
    const { status, text } = onTerminal();
    expect(status).toBe(0);
    const first = text.indexOf('flood-1m on imxrt1170: stopped (finished) at ');
    expect(first).toBeGreaterThan(0);
    const before = text.slice(0, first);
    // the terminal turns each \n into \r\n; the line has none
    expect(before).toMatch(/^(\rflood-1m: [\d.]+ [mµn]?s of 1000 s simulated, \d+ of 80000 messages \(\d+\.\d%\), \d+\.\d s wall, ETA ≤ [^\x1b]+\x1b\[K)+\r\x1b\[K$/);
    expect(text.slice(first)).not.toContain('\x1b[K');
  });

  test('--quiet on a terminal: no line', () => {
    const { status, text } = onTerminal('--quiet');
    expect(status).toBe(0);
    expect(text).toMatch(/^flood-1m on imxrt1170: stopped \(finished\) at /);
    expect(text).not.toContain('\x1b[K');
  });

  test('--trace - on the same terminal: no line (it would cut into the trace)', () => {
    // (a trace of watchdog records only: its header alone, as long a run as the others)
    const { status, text } = onTerminal('--set', 'trace.kinds=[watchdog]', '--trace', '-');
    expect(status).toBe(0);
    expect(text).toMatch(/^rpmsg-sim trace of "flood-1m" on imxrt1170: .*\r\nflood-1m on imxrt1170: stopped \(finished\) at /);
    expect(text).not.toContain('\x1b[K');
  });

  test('check on a terminal: scenarios done of all between the result lines, each erased before the next line', () => {
    // the scenario library (36 files) twice over: about 4 s here, past SHOW_AFTER_MS
    const library = ['scenarios', 'scenarios/lessons', 'scenarios/faults'].flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(d, f)));
    const files = [...library, ...library];
    const command = [process.execPath, join(root, 'bin', 'rpmsg-sim'), 'check', ...files, '--no-color'].map(quote).join(' ');
    const r = spawnSync('script', ['-qfec', command, '/dev/null'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', TERM: 'xterm' }, timeout: 60_000 });
    expect(r.status).toBe(0);
    // every drawing of the line is erased (`\r ESC[K`) before the next result line
    const drawings = [...r.stdout.matchAll(/\r(check: [^\r\n]*)\x1b\[K\r\x1b\[K/g)].map((m) => m[1]!);
    expect(drawings.length).toBeGreaterThan(0);
    for (const d of drawings) expect(d).toMatch(new RegExp(`^check: [1-9]\\d* of ${files.length} scenarios, \\d+\\.\\d s wall, ETA \\d+\\.\\d s$`));
    // what remains once the line's drawings are taken out: the result lines alone, one per scenario
    const rest = r.stdout.replace(/\r(check: [^\r\n]*)\x1b\[K\r\x1b\[K/g, '');
    expect(rest.split('\r\n').filter((l) => l !== '')).toHaveLength(files.length);
    expect(rest).not.toContain('\x1b[K');
  });

  test('stderr piped: not a byte of progress', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'rpmsg-sim'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^flood-1m on imxrt1170: stopped \(finished\) at /);
  });
});
