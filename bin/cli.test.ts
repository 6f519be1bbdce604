// The CLI as a user meets it: the real launcher, run as a child process.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wroteLine } from '../sim/text/quantity';

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
    expect(r.stdout).not.toContain('Firmware costs');
    const withCosts = run('platforms', 'lpc55s69', '--costs', '--no-color').stdout.split('\n');
    expect(withCosts).toContain('Firmware costs of core0 (cortex-m33; override with master.costs.<path>)');
    expect(withCosts).toContain(
      '  build: cortex-m33/gcc-12.2.1-Os (armv8-m.main, -Os), libc newlib-nano: -Os and newlib-nano by default, MCUXpresso SDK armgcc release build (nxp-mcuxpresso/mcux-sdk-examples, multicore_examples/rpmsg_lite_pingpong*/…/armgcc/flags.cmake: CMAKE_C_FLAGS_RELEASE -Os; CMAKE_EXE_LINKER_FLAGS_RELEASE --specs=nano.specs --specs=nosys.specs; e.g. evkmimxrt1170 cm4, lpcxpresso54114 cm0plus)',
    );
    expect(withCosts).toContain(
      '  rl.sendMaster = 151 instructions (cortex-m33/gcc-12.2.1-Os): cortex-m33 -Os, COSTS §7: 168 lib-only ("send m→r P=4") − 14 shared accesses (7 L / 7 S: vrings §5, header §5) − 3 dsb = 151',
    );
    const bad = run('platforms', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('rpmsg-sim: error: platforms "nope": unknown platform; known platforms: imxrt1170, lpc55s69, imx8mm, lpc54114\n');
  });
});

describe('run, validate, diff, check', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [launcher, ...args, '--no-color'], { encoding: 'utf8', cwd: root });
  const tmp = mkdtempSync(join(tmpdir(), 'rpmsg-sim-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('validate reports every mistake with line and column, exit 2', () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(
      file,
      ['platform: imxrt1170', 'master:', '  app: ping-pong', '  params: {count: 2, payload-size: 4 bytes}', 'remote:', '  app: ping-pong', '  colour: red', 'stop: {time: 10 parsecs}', ''].join('\n'),
    );
    const r = run('validate', file);
    expect(r.status).toBe(2);
    const heads = r.stderr.split('\n').filter((l) => l.startsWith(file));
    expect(heads.map((l) => l.slice(file.length).split(':').slice(1, 3).join(':'))).toEqual(['4:36', '7:3', '8:14']);
    expect(run('validate', 'scenarios/ping-pong.yaml').stdout).toContain('ok scenarios/ping-pong.yaml');
  });

  test('run --json prints the summary; a failed expectation exits 1', () => {
    const ok = run('run', 'scenarios/ping-pong-lpc55s69.yaml', '--json');
    expect(ok.status).toBe(0);
    const summary = JSON.parse(ok.stdout);
    expect(summary.messages.masterToRemote.delivered).toBe(20);
    // the phase breakdown, in its fixed key order (scenario-engine/phases.ts)
    expect(Object.keys(summary.phases)).toEqual(['masterToRemote', 'remoteToMaster', 'roundTrip']);
    expect(Object.keys(summary.phases.masterToRemote)).toEqual(['messages', 'complete', 'latencyNs', 'phases', 'callback']);
    expect(Object.keys(summary.phases.roundTrip.phases[0])).toEqual(['leg', 'phase', 'core', 'first', 'mean', 'parts']);
    expect(Object.keys(summary.phases.roundTrip.phases[0].parts.mean)).toEqual(['fetchStall', 'dataStall', 'busStall', 'exceptionMemory', 'cacheMaintenance']);
    const failing = run('run', 'scenarios/ping-pong-lpc55s69.yaml', '--set', 'expect.codes.RL_SUCCESS=40');
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('✗ RL_SUCCESS returned: expected 40 times, got 41 times');
    // the text summary's phase tables: 12 segments of a round trip and their sum (ns at 150 MHz)
    const lines = failing.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  round trip master→remote→master: 20'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 2]).toMatch(/^ {4}m→r send path +core0 +731\.0 +4873\.3 +731\.0 +4873\.3 +426\.0 +0\.0 +0\.0 +0\.0 +0\.0$/);
    expect(lines[at + 14]).toMatch(/^ {4}= round trip +12346\.7 +12346\.7$/);
  });

  test('the text trace names return codes as rpmsg-lite does', () => {
    const r = run('run', 'scenarios/oversize-send.yaml', '--trace=-');
    expect(r.status).toBe(0);
    const returns = r.stdout.split('\n').filter((l) => l.includes('rpmsg_lite_send →')).map((l) => l.slice(l.indexOf('rpmsg_lite_send')));
    expect(returns).toEqual(['rpmsg_lite_send → RL_ERR_BUFF_SIZE', expect.stringMatching(/^rpmsg_lite_send → RL_SUCCESS {2}\(/)]);
    expect(r.stdout).toContain('rpmsg_lite_master_init → a pointer');
  });

  test('the same scenario gives byte-identical traces; diff says equal, then where a change parts them', () => {
    const a = join(tmp, 'a.jsonl');
    const b = join(tmp, 'b.jsonl');
    const c = join(tmp, 'c.jsonl');
    expect(run('run', 'scenarios/str-echo.yaml', '--trace', a).status).toBe(0);
    expect(run('run', 'scenarios/str-echo.yaml', '--trace', b).status).toBe(0);
    expect(readFileSync(a)).toEqual(readFileSync(b));
    expect(run('diff', a, b).status).toBe(0);
    expect(run('run', 'scenarios/str-echo.yaml', '--trace', c, '--set', 'overrides.memories.ocram.readWaitStates=3').status).toBe(0);
    const d = run('diff', a, c);
    expect(d.status).toBe(1);
    expect(d.stdout).toMatch(/^different: record \d+ at [\d.]+ ns \(tick \d+\), cm7, bus: time/);
    expect(d.stdout).toContain('one-way latency p50 master→remote');
    // where it moved: the phases' means, from the records alone (slower OCRAM reads: the send path and the ISR)
    expect(d.stdout).toMatch(/\n {2}send path mean master→remote: [\d.]+ ns → [\d.]+ ns\n/);
    expect(d.stdout).toMatch(/\n {2}ISR and dispatch mean master→remote: [\d.]+ ns → [\d.]+ ns\n/);
    // The CM4's entry (code and stack in TCM) does not move; the CM7's may, by an edge.
    expect(d.stdout).not.toContain('interrupt entry mean master→remote');
  });

  test('run --trace out.vcd writes out.gtkw beside it; a save file that cannot be written leaves neither file, exit 2', () => {
    const wave = join(tmp, 'wave');
    mkdirSync(wave);
    const r = run('run', 'scenarios/lessons/two-endpoints.yaml', '--trace', join(wave, 'out.vcd'));
    expect(r.status).toBe(0);
    expect(readdirSync(wave).sort()).toEqual(['out.gtkw', 'out.vcd']);
    expect(readFileSync(join(wave, 'out.gtkw'), 'utf8').split('\n').slice(0, 3)).toEqual([
      '[*] rpmsg-sim signals of scenario "two-endpoints" on imxrt1170 (open with: gtkwave out.gtkw)',
      '[dumpfile] "out.vcd"',
      '[savefile] "out.gtkw"',
    ]);
    mkdirSync(join(wave, 'b.gtkw'));
    const bad = run('run', 'scenarios/lessons/two-endpoints.yaml', '--trace', join(wave, 'b.vcd'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`rpmsg-sim: error: cannot write the trace "${join(wave, 'b.gtkw')}": it is a directory, not a regular file (rpmsg-sim replaces only regular files)\n`);
    expect(readdirSync(wave).sort()).toEqual(['b.gtkw', 'out.gtkw', 'out.vcd']);
  });

  test('check passes on the library and writes JUnit; a missing trace file is bad input', () => {
    const junit = join(tmp, 'report.xml');
    const r = run('check', 'scenarios/ping-pong.yaml', 'scenarios/late-remote.yaml', '--junit', junit);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ok ping-pong\nok late-remote\n');
    expect(readFileSync(junit, 'utf8')).toMatch(/ name="rpmsg-sim check" timestamp="[^"]+" hostname="[^"]+" tests="2" failures="0" errors="0" skipped="0" /);
    const bad = run('diff', join(tmp, 'nope.jsonl'), join(tmp, 'a.jsonl'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('no such file');
  });
});

describe('firmware errors and configuration errors', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [launcher, ...args, '--no-color'], { encoding: 'utf8', cwd: root });
  const fixture = 'bin/fixtures/firmware-misuse.yaml';
  const paragraph =
    'core core0: env_lock_mutex called from an interrupt handler (process "core0" at 666.667 ns, tick 2000). ' +
    'The firmware misused rpmsg-lite, its environment or the RTOS; fix the firmware (this is not a bug of rpmsg-sim).';

  test('run: a FirmwareError thrown by firmware is one paragraph, no stack trace, exit 1 (the run failed)', () => {
    const r = run('run', fixture);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rpmsg-sim: firmware error in ${fixture}: ${paragraph}\n`);
  });

  test('check: the same firmware error fails the case, exit 1, and the JUnit report records it', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'rpmsg-sim-cli-'));
    try {
      const junit = join(tmp, 'report.xml');
      const r = run('check', fixture, '--junit', junit);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`${wroteLine(junit, statSync(junit).size)}\n`);
      expect(r.stdout).toBe(`FAIL firmware-misuse\n  firmware error: ${paragraph}\n`);
      expect(readFileSync(junit, 'utf8')).toMatch(/ tests="1" failures="1" errors="0" skipped="0" [^]*<failure message="firmware error: core core0: env_lock_mutex called from an interrupt handler [^"]*" type="firmware">/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a trace file of no known format is bad input, named with its option: exit 2, no stack trace', () => {
    const r = run('run', 'scenarios/str-echo.yaml', '--trace', 'out.unknown');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'rpmsg-sim: error: --trace out.unknown: cannot tell the trace format of "out.unknown" from its extension: use .jsonl (canonical JSON Lines), ' +
        '.vcd (Value Change Dump waveform), .json (Chrome/Perfetto trace events), .txt (text narrative), or - (text on standard output)\n',
    );
  });
});

describe('output files: a target that cannot be written is one line and no debris; a failing disk is exit 74', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [launcher, ...args, '--no-color'], { encoding: 'utf8', cwd: root });
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'rpmsg-sim-outputs-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const refused = 'not a regular file (rpmsg-sim replaces only regular files)';

  test('--dump-shmem into a missing folder (the issue: exit 70 and a stack): exit 2 before the run, nothing written', () => {
    const r = run('run', 'scenarios/ping-pong.yaml', '--dump-shmem', join(tmp, 'nodir', 'x.bin'));
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `rpmsg-sim: error: cannot write the shared-memory dump "${join(tmp, 'nodir', 'x.bin')}": its directory does not exist\n`]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test('a device, or a link to one, is never replaced: --dump-shmem /dev/null, --trace link.vcd -> /dev/full, view -o /dev/full', () => {
    const dump = run('run', 'scenarios/ping-pong.yaml', '--dump-shmem', '/dev/null');
    expect([dump.status, dump.stderr]).toEqual([2, `rpmsg-sim: error: cannot write the shared-memory dump "/dev/null": it is a character device, ${refused}\n`]);
    const link = join(tmp, 'link.vcd');
    symlinkSync('/dev/full', link);
    const trace = run('run', 'scenarios/ping-pong.yaml', '--trace', link);
    expect([trace.status, trace.stderr]).toEqual([2, `rpmsg-sim: error: cannot write the trace "${link}": it is a symbolic link to "/dev/full", which is a character device, ${refused}\n`]);
    const view = run('view', 'scenarios/ping-pong.yaml', '-o', '/dev/full');
    expect([view.status, view.stdout, view.stderr]).toEqual([2, '', `rpmsg-sim: error: cannot write the page "/dev/full": it is a character device, ${refused}\n`]);
    expect(readdirSync(tmp)).toEqual(['link.vcd']);
    expect(readdirSync('/dev').filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('--junit into a folder that cannot take it (a missing one, a path through a file): exit 2 before any scenario runs', () => {
    writeFileSync(join(tmp, 'file'), '');
    for (const [junit, cause] of [
      [join(tmp, 'nodir', 'r.xml'), 'its directory does not exist'],
      [join(tmp, 'file', 'r.xml'), 'a part of its path is not a directory'],
    ] as const) {
      const r = run('check', 'scenarios/ping-pong.yaml', '--junit', junit);
      expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `rpmsg-sim: error: cannot write the JUnit report "${junit}": ${cause}\n`]);
    }
    expect(readdirSync(tmp)).toEqual(['file']);
  });

  test('check --update where the golden folder cannot be made: exit 2 naming it, nothing written', () => {
    copyFileSync(join(root, 'scenarios', 'ping-pong.yaml'), join(tmp, 'ping-pong.yaml'));
    writeFileSync(join(tmp, 'golden'), 'a file where the golden folder goes\n');
    const r = run('check', join(tmp, 'ping-pong.yaml'), '--update');
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `rpmsg-sim: error: cannot create the golden folder "${join(tmp, 'golden')}": a file of that name is in the way\n`]);
    expect(readdirSync(tmp).sort()).toEqual(['golden', 'ping-pong.yaml']);
  });

  test('check --update writes both golden files through temporary files and leaves nothing else; check then passes', () => {
    copyFileSync(join(root, 'scenarios', 'ping-pong.yaml'), join(tmp, 'ping-pong.yaml'));
    const update = run('check', join(tmp, 'ping-pong.yaml'), '--update');
    const golden = (ext: string) => join(tmp, 'golden', `ping-pong${ext}`);
    const wrote = ['.jsonl', '.summary.json'].map((ext) => `${wroteLine(golden(ext), statSync(golden(ext)).size)}\n`).join('');
    expect([update.status, update.stdout, update.stderr]).toEqual([0, 'updated ping-pong\n', wrote]);
    expect(readdirSync(join(tmp, 'golden')).sort()).toEqual(['ping-pong.jsonl', 'ping-pong.summary.json']);
    expect(readFileSync(join(tmp, 'golden', 'ping-pong.jsonl'), 'utf8')).toBe(readFileSync(join(root, 'scenarios', 'golden', 'ping-pong.jsonl'), 'utf8'));
    expect(run('check', join(tmp, 'ping-pong.yaml')).stdout).toBe('ok ping-pong\n');
  });

  test('standard output on a full disk (run > /dev/full; the issue: an uncaught ENOSPC stack trace): one line, exit 74; so is a trace to -', () => {
    for (const extra of [[], ['--trace=-']]) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [launcher, 'run', 'scenarios/ping-pong.yaml', ...extra, '--no-color'], { encoding: 'utf8', cwd: root, stdio: ['ignore', full, 'pipe'] });
        const what = extra.length === 0 ? 'to standard output' : 'the trace to standard output';
        expect([r.status, r.stderr]).toEqual([74, `rpmsg-sim: error: cannot write ${what}: no space left on the device\n`]);
      } finally {
        closeSync(full);
      }
    }
    // stderr on a full disk too: nowhere to report, the exit code says it (no crash, no 70)
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [launcher, 'run', join(tmp, 'nope.yaml'), '--no-color'], { encoding: 'utf8', cwd: root, stdio: ['ignore', 'pipe', full] });
      expect([r.status, r.stdout]).toEqual([2, '']);
    } finally {
      closeSync(full);
    }
  });

  test('a reader that closes the pipe early (--trace=- | head -1) ends the run quietly with the exit code so far', async () => {
    // (2,000 messages of the flood: a text trace of megabytes, far more than a pipe holds)
    const flood = ['bench/flood-1m.yaml', '--set', 'master.params.count=2000', '--set', 'stop.time=100s'];
    const child = spawn(process.execPath, [launcher, 'run', ...flood, '--trace=-', '--no-color'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    // the code so far, as for the summary cut by `| head` (0: the run was stopped before its expectations were checked)
    expect([code, stderr]).toEqual([0, '']);
  });

  test('SIGTERM during a run with --trace: exit 143, no temporary file left, and never a half-written trace', async () => {
    // 10,000 messages of the flood: about 1 s, a 1.6 MB VCD and its .gtkw
    const args = ['run', 'bench/flood-1m.yaml', '--set', 'master.params.count=10000', '--set', 'stop.time=100s', '--set', 'expect.messages.master-to-remote=10000', '--no-color'];
    const wave = join(tmp, 'wave');
    mkdirSync(wave);
    const child = spawn(process.execPath, [launcher, ...args, '--trace', join(wave, 't.vcd')], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    while (!readdirSync(wave).some((f) => f.includes('.tmp-'))) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGTERM');
    expect(await closed).toBe(143);
    expect(readdirSync(wave).filter((f) => f.includes('.tmp-'))).toEqual([]);
    if (stderr.includes('not written')) {
      // the run let the event loop turn: it ended where it was, and neither file exists
      expect(stderr).toBe(`rpmsg-sim: interrupted by SIGTERM; not written: "${join(wave, 't.vcd')}", "${join(wave, 't.gtkw')}"\n`);
      expect(readdirSync(wave)).toEqual([]);
    } else {
      // a synchronous run sees the signal only once it has ended: then both files are whole
      expect(stderr).toBe('rpmsg-sim: interrupted by SIGTERM\n');
      const reference = join(tmp, 'reference');
      mkdirSync(reference);
      expect(run(...args, '--trace', join(reference, 't.vcd')).status).toBe(0);
      expect(readFileSync(join(wave, 't.vcd')).equals(readFileSync(join(reference, 't.vcd')))).toBe(true);
      expect(readFileSync(join(wave, 't.gtkw'), 'utf8')).toBe(readFileSync(join(reference, 't.gtkw'), 'utf8'));
      expect(readdirSync(wave).sort()).toEqual(['t.gtkw', 't.vcd']);
    }
  });
});

test('the examples of docs/reliability.md "Output files" are what the CLI prints', () => {
  const doc = readFileSync(join(root, 'docs', 'reliability.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Output files'), doc.indexOf('\n## ', doc.indexOf('## Output files') + 1));
  const lines = [...section.matchAll(/```\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.replace(/\n$/, '').split('\n'));
  // each "$ rpmsg-sim …" line, then what it prints on stderr
  const examples: { command: string; stderr: string[] }[] = [];
  for (const line of lines) {
    if (line.startsWith('$ ')) examples.push({ command: line.slice(2), stderr: [] });
    else examples[examples.length - 1]!.stderr.push(line);
  }
  expect(examples.map((e) => e.command.split(' ').slice(1, 2)[0])).toEqual(['run', 'run', 'check', 'run']);
  const tmp = mkdtempSync(join(tmpdir(), 'rpmsg-sim-docs-'));
  try {
    symlinkSync(join(root, 'scenarios'), join(tmp, 'scenarios'));
    writeFileSync(join(tmp, 'notes.txt'), 'a file, not a folder\n');
    for (const e of examples) {
      const words = e.command.split(' ');
      const toFull = words.at(-2) === '>' && words.at(-1) === '/dev/full';
      const args = toFull ? words.slice(1, -2) : words.slice(1);
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [launcher, ...args, '--no-color'], { cwd: tmp, encoding: 'utf8', stdio: ['ignore', toFull ? full : 'pipe', 'pipe'] });
        expect([e.command, r.stderr]).toEqual([e.command, `${e.stderr.join('\n')}\n`]);
      } finally {
        closeSync(full);
      }
    }
    expect(readdirSync(tmp).sort()).toEqual(['notes.txt', 'scenarios']);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
