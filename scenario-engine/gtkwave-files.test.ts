// A real run's VCD and its GTKWave save file, as `rpmsg-sim run --trace out.vcd` writes
// them (the late-remote lesson on the i.MX RT1170): the vring indices hold their real value
// from init on (no `x` after the memset), the save file names only signals the VCD has, and
// GTKWave itself, when it can run headless here (xvfb-run), opens the save file alone from
// another directory and shows exactly those signals.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModules, readScenarioFile } from './files';
import { runScenario } from './run';
import { gtkwaveNames, parseVcd, signalsOfGtkw } from '../sim/trace/fixtures';
import { StringOutput, type TraceWriter } from '../sim/trace/output';
import { VcdWriter } from '../sim/trace/vcd';
import { createTraceWriter } from '../sim/trace/writers';

const LESSON = join('scenarios', 'lessons', 'late-remote.yaml');

let dir: string;
let vcd: string;
let gtkw: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-gtkw-'));
  const scenario = readScenarioFile(LESSON).scenario!;
  const modules = await compileModules(scenario);
  const writers: TraceWriter[] = [];
  // as bin/commands/run.ts does for --trace out.vcd
  runScenario(scenario, { modules, sinks: (header, memory) => (writers.push(createTraceWriter(join(dir, 'out.vcd'), header, { memory })), writers) });
  vcd = readFileSync(join(dir, 'out.vcd'), 'utf8');
  gtkw = readFileSync(join(dir, 'out.gtkw'), 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The changes of a VCD variable by full name: [time in fs, value]. */
function changesOf(text: string, name: string): [bigint, string][] {
  const parsed = parseVcd(text);
  const v = parsed.vars.get(name)!;
  return parsed.changes.get(v.id)!.map((c) => [c.time, c.value]);
}

const INDICES = ['vring0_r2m_avail_idx', 'vring0_r2m_used_idx', 'vring1_m2r_avail_idx', 'vring1_m2r_used_idx'].map((n) => `rpmsg_sim.vrings.${n}`);

test('--trace out.vcd writes out.vcd and out.gtkw beside it, and nothing else', () => {
  expect(readdirSync(dir).sort()).toEqual(['out.gtkw', 'out.vcd']);
});

test('the vring indices hold their real value from the start: 0 through the memset, then what init and the message write', () => {
  expect(INDICES.map((n) => changesOf(vcd, n))).toEqual([
    // the master fills vring 0's avail ring with its two receive buffers
    [[0n, 'b0'], [25_115_461_847n, 'b1'], [25_511_044_177n, 'b10']],
    // the remote never sends: vring 0's used.idx stays 0 (the memset wrote 0, nothing else does)
    [[0n, 'b0']],
    // the master's one send
    [[0n, 'b0'], [359_173_694_779n, 'b1']],
    // the master's transmit pool: both buffers put on the used ring at init (1, 2); the
    // remote gives back the one the message came in (3)
    [[0n, 'b0'], [25_923_694_779n, 'b1'], [26_335_341_365n, 'b10'], [360_222_500_000n, 'b11']],
  ]);
});

test('without the memory reader the same run shows x after the memset, where no access follows', () => {
  const out = new StringOutput();
  const scenario = readScenarioFile(LESSON).scenario!;
  runScenario(scenario, { sinks: (header) => [new VcdWriter(out, header)] });
  const unknownAt = (name: string) => changesOf(out.text(), name).filter(([, v]) => v === 'bx').length;
  // every index goes x at its ring's memset; vring 0's used.idx never comes back
  expect(INDICES.map(unknownAt)).toEqual([1, 1, 1, 1]);
  expect(changesOf(out.text(), INDICES[1]!).at(-1)![1]).toBe('bx');
});

test('every signal of the save file is a VCD variable under the name GTKWave gives it', () => {
  const names = gtkwaveNames(vcd);
  expect(signalsOfGtkw(gtkw).filter((s) => !names.has(s))).toEqual([]);
  // the registers the run wrote: the master's CR, the remote's CR and SR (clearing the request)
  expect(signalsOfGtkw(gtkw).filter((s) => s.includes('.mu_'))).toEqual(['rpmsg_sim.mu_a.CR[31:0]', 'rpmsg_sim.mu_b.SR[31:0]', 'rpmsg_sim.mu_b.CR[31:0]']);
  expect(signalsOfGtkw(gtkw)).toHaveLength(21);
});

function tool(name: string, args: string[]): boolean {
  return spawnSync(name, args, { stdio: 'ignore' }).error === undefined;
}

test('GTKWave opens the save file alone, from another directory, and shows its signals (when xvfb-run and gtkwave are installed)', () => {
  if (!tool('xvfb-run', ['--help']) || !tool('gtkwave', ['--version'])) return; // neither is needed elsewhere; .ci/run installs gtkwave only
  writeFileSync(join(dir, 'shown.tcl'), 'puts "SHOWN [gtkwave::getDisplayedSignals]"\ngtkwave::/File/Quit\n');
  const r = spawnSync('xvfb-run', ['-a', 'gtkwave', '-S', join(dir, 'shown.tcl'), join(dir, 'out.gtkw')], { cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 });
  const shown = /^SHOWN (.*)$/m.exec(r.stdout)?.[1]?.trim().split(' ');
  expect(shown).toEqual(signalsOfGtkw(gtkw));
}, 90_000);
