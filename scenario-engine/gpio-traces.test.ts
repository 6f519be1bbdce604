// The cores' measuring pins in the trace views, on a real run (ping-pong with pin: true on
// the i.MX RT1170): each pin a 1-bit VCD wire in its core's scope whose changes are exactly
// the 'gpio' records of its block, port and pin; the same file through GTKWave's own tools
// (vcd2fst, then fst2vcd back) when they are installed (.ci/run installs them); and the pins
// in the text and Perfetto views.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringOutput } from '../sim/trace/output';
import { PerfettoWriter } from '../sim/trace/perfetto';
import { TextWriter } from '../sim/trace/text';
import { VcdTimescale, VcdWriter } from '../sim/trace/vcd';
import { type TraceEvent, parseVcd } from '../sim/trace/fixtures';
import type { TraceRecord } from '../sim/trace/trace';
import { tracedPingPong } from './test-support';

/** The gpio records of GPIO9 pin `pin` as [time in VCD units, value]. */
function expectedWave(records: TraceRecord[], pin: number, timescale: VcdTimescale): [bigint, string][] {
  return records.filter((r) => r.kind === 'gpio' && r.component === 'gpio9' && r.pin === pin).map((r) => [timescale.toUnits(r.t), r.kind === 'gpio' && r.level ? '1' : '0']);
}

/** A lenient VCD reader for another tool's output: the changes of the wire `scope.name`. */
function wireChanges(text: string, scope: string, name: string): [bigint, string][] {
  const [head, body] = text.split('$enddefinitions $end') as [string, string];
  const tokens = head.split(/\s+/);
  const path: string[] = [];
  let id: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === '$scope') path.push(tokens[i + 2]!);
    if (tokens[i] === '$upscope') path.pop();
    if (tokens[i] === '$var' && [...path, tokens[i + 4]].join('.') === `${scope}.${name}`) id = tokens[i + 3];
  }
  expect(id).toBeDefined();
  const out: [bigint, string][] = [];
  let time = 0n;
  for (const line of body.split('\n')) {
    if (line.startsWith('#')) time = BigInt(line.slice(1));
    else if (line === `0${id}` || line === `1${id}`) out.push([time, line[0]!]);
  }
  return out;
}

function tool(name: string): boolean {
  return spawnSync(name, ['--help'], { stdio: 'ignore' }).error === undefined;
}

describe('VCD', () => {
  const vcd = new StringOutput();
  const { header, records } = tracedPingPong({ count: 3, payloadSize: 4, pin: true, sinks: (h) => [new VcdWriter(vcd, h)] });
  const timescale = new VcdTimescale(header.tickHz);

  test("each core's pin is a wire in its scope, changing exactly at its gpio records", () => {
    const parsed = parseVcd(vcd.text());
    const cm7 = parsed.vars.get('rpmsg_sim.cm7.pin_cm7')!;
    const cm4 = parsed.vars.get('rpmsg_sim.cm4.pin_cm4')!;
    expect([cm7.type, cm7.width, cm4.type, cm4.width]).toEqual(['wire', 1, 'wire', 1]);
    const wave = (id: string) => parsed.changes.get(id)!.map((c) => [c.time, c.value]);
    // three round trips: the master's pin (GPIO9 pin 3) up and down three times, the
    // remote's (pin 4) likewise; both low from the start (the board's pin set-up)
    const cm7Wave = expectedWave(records, 3, timescale);
    const cm4Wave = expectedWave(records, 4, timescale);
    expect(cm7Wave.map(([, v]) => v).join('')).toBe('101010');
    expect(cm4Wave.map(([, v]) => v).join('')).toBe('101010');
    expect(wave(cm7.id)).toEqual([[0n, '0'], ...cm7Wave]);
    expect(wave(cm4.id)).toEqual([[0n, '0'], ...cm4Wave]);
    // the header names the pins as the platform does
    expect(header.pins).toEqual([
      { name: 'cm7', core: 'cm7', block: 'gpio9', port: 0, pin: 3 },
      { name: 'cm4', core: 'cm4', block: 'gpio9', port: 0, pin: 4 },
    ]);
  });

  test("GTKWave's vcd2fst takes the file, and fst2vcd gives the same pin waveforms back (when GTKWave is installed)", () => {
    const ours = wireChanges(vcd.text(), 'rpmsg_sim.cm4', 'pin_cm4');
    // our lenient reader agrees with the strict one, whatever tools are present
    expect(ours).toEqual([[0n, '0'], ...expectedWave(records, 4, timescale)]);
    if (!tool('vcd2fst') || !tool('fst2vcd')) return; // .ci/run installs gtkwave; elsewhere this part needs it
    const dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-vcd-'));
    try {
      writeFileSync(join(dir, 'run.vcd'), vcd.text());
      const toFst = spawnSync('vcd2fst', [join(dir, 'run.vcd'), join(dir, 'run.fst')], { encoding: 'utf8' });
      expect(toFst.status).toBe(0);
      const back = spawnSync('fst2vcd', [join(dir, 'run.fst')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(back.status).toBe(0);
      for (const [core, pin] of [['cm7', 3], ['cm4', 4]] as const) {
        expect(wireChanges(back.stdout, `rpmsg_sim.${core}`, `pin_${core}`)).toEqual([[0n, '0'], ...expectedWave(records, pin, timescale)]);
      }
      expect(readFileSync(join(dir, 'run.fst')).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('text and Perfetto', () => {
  test('the text view names the pin; Perfetto shows it as a counter on its core', () => {
    const text = new StringOutput();
    const json = new StringOutput();
    const { records } = tracedPingPong({ count: 1, payloadSize: 4, pin: true, sinks: (h) => [new TextWriter(text, h), new PerfettoWriter(json, h)] });
    const gpio = records.filter((r) => r.kind === 'gpio');
    expect(gpio.map((r) => r.kind === 'gpio' && `${r.pin}=${r.level ? 1 : 0}`)).toEqual(['3=1', '4=1', '4=0', '3=0']);
    const lines = text.text().split('\n').filter((l) => l.includes('gpio9'));
    expect(lines.map((l) => l.replace(/^\s*\S+ µs\s+/, '').replace(/\s+/g, ' '))).toEqual([
      'gpio9 pin cm7 (0.3) rises',
      'gpio9 pin cm4 (0.4) rises',
      'gpio9 pin cm4 (0.4) falls',
      'gpio9 pin cm7 (0.3) falls',
    ]);
    const events = (JSON.parse(json.text()) as { traceEvents: TraceEvent[] }).traceEvents.filter((e) => e.name.startsWith('pin '));
    expect(events.map((e) => [e.name, e.ph, e.pid, e.args])).toEqual([
      ['pin cm7', 'C', 1, { level: 1 }],
      ['pin cm4', 'C', 2, { level: 1 }],
      ['pin cm4', 'C', 2, { level: 0 }],
      ['pin cm7', 'C', 1, { level: 0 }],
    ]);
  });
});
