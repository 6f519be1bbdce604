// The fault scenarios (scenarios/faults/*.yaml, docs/reliability.md "Faults"): each runs, meets
// its expectations and reproduces its golden trace and summary byte for byte (the check of
// `rpmsg-sim check scenarios/faults/*.yaml`); the lesson of each, read off its golden trace;
// and a fault record as every trace writer shows it.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { readScenarioFile } from '../../scenario-engine/files';
import { goldenDifferences, traceAndSummary } from '../../scenario-engine/golden';
import { runScenario } from '../../scenario-engine/run';
import { readJsonl } from '../../sim/trace/jsonl';
import { StringOutput } from '../../sim/trace/output';
import { PerfettoWriter } from '../../sim/trace/perfetto';
import { TextWriter } from '../../sim/trace/text';
import { VcdWriter } from '../../sim/trace/vcd';
import type { TraceRecord } from '../../sim/trace/trace';
import { ticksToDecimal } from '../../sim/trace/tick-format';

const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

test('one scenario per fault kind', () => {
  expect(files).toEqual([
    'bus-hold.yaml',
    'corrupt-avail-idx.yaml',
    'corrupt-header-len.yaml',
    'halted-remote.yaml',
    'late-boot.yaml',
    'late-doorbell.yaml',
    'late-interrupt.yaml',
    'lost-doorbell.yaml',
    'reset-remote.yaml',
    'skipped-invalidate.yaml',
  ]);
  const kinds = new Set(files.flatMap((f) => readScenarioFile(join('scenarios', 'faults', f)).scenario!.faults!.map((x) => x.kind)));
  expect([...kinds].sort()).toEqual(['delay-doorbell', 'delay-interrupt', 'drop-doorbell', 'flip', 'halt', 'hold-bus', 'late-boot', 'reset', 'skip-cache-maintenance', 'write']);
});

// the editors' schema (scenarios/schema.json) takes them too
const validate = new Ajv2020({ allErrors: true, strictSchema: true, strictTypes: false, strictRequired: false }).compile(
  JSON.parse(readFileSync(join(__dirname, '..', 'schema.json'), 'utf8')),
);

describe.each(files)('%s', (file) => {
  test('passes the schema', () => {
    const ok = validate(parse(readFileSync(join(__dirname, file), 'utf8')));
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  test('meets its expectations and matches its golden trace and summary', async () => {
    const loaded = readScenarioFile(join('scenarios', 'faults', file));
    expect(loaded.report).toBe('');
    const { trace, summary } = await traceAndSummary(loaded.scenario!);
    expect(summary.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(summary.expectations.some((e) => e.what === 'faults fired')).toBe(true);
    expect(goldenDifferences(loaded.scenario!, trace, summary)).toEqual([]);
  });
});

/** A golden trace's records, and its fault records as "µs component: fault on target (trigger): effect". */
function golden(name: string) {
  const { header, records } = readJsonl(readFileSync(join(__dirname, 'golden', `${name}.jsonl`), 'utf8'));
  /** A time in µs to the picosecond, as the text narrative writes it. */
  const us = (t: number) => ticksToDecimal(t, header.tickHz, 6, 6);
  const faults = records
    .filter((r): r is Extract<TraceRecord, { kind: 'fault' }> => r.kind === 'fault')
    .map((r) => `${us(r.t)} ${r.component}: ${r.fault} on ${r.target} (${r.trigger}): ${r.effect}`);
  const after = (t: number, kind: TraceRecord['kind']) => records.filter((r) => r.t >= t && r.kind === kind);
  return { records, faults, us, after };
}

describe('the lessons, off the golden traces', () => {
  test('lost-doorbell: after the lost doorbell the M4 takes no interrupt, and the M7 waits', () => {
    const g = golden('lost-doorbell');
    expect(g.faults).toEqual(['1034.712500 cm4: drop-doorbell on mu.a.CR → cm4 (doorbell 3 to cm4): the doorbell is lost: the other side never sees the request']);
    const fault = g.records.find((r) => r.kind === 'fault')!;
    expect(g.after(fault.t, 'handler-start').filter((r) => r.component === 'cm4')).toEqual([]);
    expect(g.after(fault.t, 'rl-deliver')).toEqual([]);
  });

  test('late-doorbell: the message waits in the ring and is delivered 50 us late', () => {
    const g = golden('late-doorbell');
    expect(g.faults).toEqual(['1034.712500 cm4: delay-doorbell on mu.a.CR → cm4 (doorbell 3 to cm4): the doorbell lands 50000 ns late']);
    const next = g.after(g.records.find((r) => r.kind === 'fault')!.t, 'rl-deliver')[0]!;
    expect([next.component, g.us(next.t)]).toEqual(['cm4', '1085.452500']);
  });

  test('late-interrupt: the NVIC pends the request 30 us after the line rose', () => {
    const g = golden('late-interrupt');
    expect(g.faults).toEqual(['1031.618750 cm4: delay-interrupt on IRQ 118 of cm4 (interrupt 2 of cm4): the controller sees the request 30000 ns late']);
    const t = g.records.find((r) => r.kind === 'fault')!.t;
    expect(g.us(g.after(t, 'irq-pending').find((r) => r.component === 'cm4.nvic')!.t)).toBe('1061.622500'); // 30 us, then the synchroniser: the next cm4 edge and its sample cycle
  });

  test('halted-remote: the 3rd message stays in vring 0 without a kick', () => {
    const g = golden('halted-remote');
    expect(g.faults).toEqual(['1036.535000 cm4: halt on cm4 (message 3 from the remote (r2m#2) enqueued): the core stops: no thread, no handler runs again']);
    const t = g.records.find((r) => r.kind === 'fault')!.t;
    expect(g.after(t, 'rl-notify').filter((r) => r.component === 'cm4')).toEqual([]);
    expect(g.records.filter((r) => r.component === 'cm4' && r.t > t)).toEqual([]);
  });

  test('reset-remote: the M4 inits again 100 us after the reset, and no link-up follows', () => {
    const g = golden('reset-remote');
    const t = g.records.find((r) => r.kind === 'fault')!.t;
    const again = g.after(t, 'rl-call').filter((r) => r.component === 'cm4').map((r) => r.kind === 'rl-call' && `${g.us(r.t)} ${r.fn}`);
    expect(again).toEqual(['1136.535000 rpmsg_lite_remote_init']);
    expect(g.after(t, 'rl-link-up')).toEqual([]);
  });

  test('late-boot: the M4 starts at 300 us and the latched kick brings its link up', () => {
    const g = golden('late-boot');
    expect(g.faults).toEqual(['300.000000 cm4: late-boot on cm4 (at 300000 ns): the core leaves reset and starts its firmware']);
    const up = g.records.find((r) => r.kind === 'rl-link-up' && r.component === 'cm4')!;
    expect(g.us(up.t)).toBe('303.970000'); // the M4's init and its interrupt enable, then the latched GIP0
  });

  test('bus-hold: the hold on OCRAM at the 5th message', () => {
    expect(golden('bus-hold').faults).toEqual(['1036.535000 ocram: hold-bus on ocram (message 5 (r2m#2) enqueued): another master holds ocram for 20000 ns']);
  });

  test("skipped-invalidate: the M7 skips the invalidate of vring 0's used.idx and never takes the 3rd message", () => {
    const g = golden('skipped-invalidate');
    expect(g.faults).toEqual([
      '1042.876506 cm7: skip-cache-maintenance on cm7.dcache (cache-op 58 of cm7, after message 3): invalidate of 2 B at 0x202c0032 skipped',
    ]);
    expect(g.records.filter((r) => r.kind === 'rl-deliver' && r.dir === 'r2m').length).toBe(2);
  });

  test('corrupt-avail-idx: the index drops from 3 to 1, and the M4 takes buffers never sent', () => {
    const g = golden('corrupt-avail-idx');
    expect(g.faults).toEqual(['1040.739960 shmem: flip on vring1.avail.idx (message 4 from the master (m2r#3) enqueued): 0x3 → 0x1 at 0x202c0072']);
    const enqueued = g.records.filter((r) => r.kind === 'rl-enqueue' && r.dir === 'm2r').length;
    const delivered = g.records.filter((r) => r.kind === 'rl-deliver' && r.dir === 'm2r').length;
    expect([enqueued, delivered]).toEqual([4, 78]);
  });

  test('corrupt-header-len: the M4 receives 400 bytes of a 4-byte message', () => {
    const g = golden('corrupt-header-len');
    expect(g.faults).toEqual(['1034.544177 shmem: write on buf[3].hdr.len (message 2 from the master (m2r#1) enqueued): 0x4 → 0x190 at 0x202c06ac']);
    const deliver = g.records.find((r) => r.kind === 'rl-deliver' && r.dir === 'm2r' && r.msg === 1)!;
    expect(deliver.kind === 'rl-deliver' && deliver.len).toBe(400);
  });
});

test('a fault record in every trace writer: text line, VCD comment, Perfetto instant', () => {
  const scenario = readScenarioFile(join('scenarios', 'faults', 'lost-doorbell.yaml')).scenario!;
  const text = new StringOutput();
  const vcd = new StringOutput();
  const perfetto = new StringOutput();
  runScenario(scenario, {
    sinks: (header, memory) => [new TextWriter(text, header), new VcdWriter(vcd, header, { memory }), new PerfettoWriter(perfetto, header)],
  });
  expect(text.text().split('\n').filter((l) => l.includes('FAULT'))).toEqual([
    ' 1034.712500 µs  cm4       FAULT drop-doorbell on mu.a.CR → cm4 (doorbell 3 to cm4): the doorbell is lost: the other side never sees the request',
  ]);
  const lines = vcd.text().split('\n');
  const at = lines.findIndex((l) => l.startsWith('$comment fault'));
  expect(lines[at]).toBe('$comment fault drop-doorbell on mu.a.CR → cm4 (doorbell 3 to cm4): the doorbell is lost: the other side never sees the request $end');
  // under the time stamp of its tick
  expect(lines.slice(0, at).reverse().find((l) => l.startsWith('#'))).toBe('#1034712500000'); // fs
  const events = (JSON.parse(perfetto.text()) as { traceEvents: { name: string; ph: string; s?: string; ts: number; pid: number; args?: Record<string, string> }[] }).traceEvents;
  expect(events.filter((e) => e.name.startsWith('FAULT'))).toEqual([
    {
      name: 'FAULT drop-doorbell',
      ph: 'i',
      s: 'p',
      ts: 1034.7125,
      pid: 2,
      tid: 0,
      args: { fault: 'drop-doorbell', target: 'mu.a.CR → cm4', trigger: 'doorbell 3 to cm4', effect: 'the doorbell is lost: the other side never sees the request' },
    },
  ]);
});
