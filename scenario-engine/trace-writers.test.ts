// The trace writers on real simulated runs: a traced ping-pong through each writer, with
// the header the scenario runner writes (trace-header.ts). The writers' own tests, on
// hand-made records, stay in sim/trace/; these need the platforms and firmware above it.

import { JsonlWriter, readJsonl } from '../sim/trace/jsonl';
import { StringOutput } from '../sim/trace/output';
import { PERFETTO_TID, PerfettoWriter } from '../sim/trace/perfetto';
import { TextWriter } from '../sim/trace/text';
import { VcdTimescale, VcdWriter } from '../sim/trace/vcd';
import { type TraceEvent, checkSlices, parseVcd } from '../sim/trace/fixtures';
import { describeRlReturn } from '../firmware/rpmsg-lite/constants';
import { tracedPingPong } from './test-support';

describe('jsonl', () => {
  test('the JSONL of a traced ping-pong is byte-identical over two runs and round-trips through readJsonl', () => {
    const run = (): string => {
      const out = new StringOutput();
      tracedPingPong({ count: 5, payloadSize: 64, sinks: (h) => [new JsonlWriter(out, h)] });
      return out.text();
    };
    const first = run();
    const second = run();
    expect(second).toBe(first);
    const { header, records } = readJsonl(first);
    expect(header.platform).toBe('imxrt1170');
    expect(records.filter((r) => r.kind === 'rl-deliver')).toHaveLength(11); // 5 round trips and the greeting
    // writing what was read gives the same bytes
    const again = new StringOutput();
    const w = new JsonlWriter(again, header);
    for (const r of records) w.record(r);
    w.close();
    expect(again.text()).toBe(first);
  });
});

describe('text', () => {
  test('a ping-pong reads as a story, with picosecond times at 996 GHz ticks', () => {
    const out = new StringOutput();
    tracedPingPong({ count: 1, sinks: (h) => [new TextWriter(out, h, { describeReturn: describeRlReturn })] });
    const lines = out.text().split('\n');
    expect(lines[0]).toBe('rpmsg-sim trace of "ping-pong" on imxrt1170: cm7 (master, 996 MHz) and cm4 (remote, 400 MHz)');
    expect(lines.map((l) => l.trimStart())).toContain('1014.591365 µs  cm7       message r2m#0 delivered to ept 53 (40 B), 9253.865 ns after its send, 9216 cm7 cycles');
    expect(lines.filter((l) => l.includes('delivered'))).toHaveLength(3);
  });
});

describe('vcd', () => {
  test('a traced ping-pong: valid header, increasing time stamps, vring indices change at the ticks of their accesses', () => {
    const out = new StringOutput();
    const { header, records } = tracedPingPong({ count: 3, sinks: (h) => [new VcdWriter(out, h)] });
    const text = out.text();
    const ts = new VcdTimescale(header.tickHz);
    expect(text).toMatch(/^\$comment rpmsg-sim trace format 1: scenario "ping-pong" on imxrt1170 \$end\n/);
    expect(text).toContain('$timescale 1 fs $end\n');
    const { vars, stamps, changes } = parseVcd(text);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    expect(stamps[0]).toBe(0n);
    expect(stamps[stamps.length - 1]).toBe(ts.toUnits(records[records.length - 1]!.t));

    for (const v of header.vrings) {
      for (const [field, address] of [['avail_idx', v.availIdx], ['used_idx', v.usedIdx]] as const) {
        const id = vars.get(`rpmsg_sim.vrings.vring${v.index}_${v.dir}_${field}`)!.id;
        const seen = changes.get(id)!.filter((c) => c.time > 0n && c.value !== 'bx');
        const accesses = records.filter((r) => r.kind === 'bus' && r.address === address);
        expect(accesses.filter((r) => r.kind === 'bus' && r.op === 'write').length).toBeGreaterThan(0);
        // every change is an access of that field, at its tick, with its value
        for (const c of seen) {
          const r = accesses.find((a) => ts.toUnits(a.t) === c.time);
          expect(r).toBeDefined();
          expect(c.value).toBe(`b${(r as { value: number }).value.toString(2)}`);
        }
        // and every write that changed the value shows up as a change at its tick
        let last = 0;
        for (const r of accesses) {
          if (r.kind !== 'bus' || r.op !== 'write') continue;
          if (r.value !== last) expect(seen.some((c) => c.time === ts.toUnits(r.t))).toBe(true);
          last = r.value;
        }
      }
    }
    // after 3 round trips (and the greeting) both rings have moved on
    const final = (name: string): string => changes.get(vars.get(name)!.id)!.at(-1)!.value;
    expect(final('rpmsg_sim.rpmsg.m2r_delivered')).toBe('b11');
    expect(final('rpmsg_sim.rpmsg.r2m_delivered')).toBe('b100');
  });
});

describe('perfetto', () => {
  test('a traced ping-pong: valid JSON, matching B/E, one flow start and finish per delivered message', () => {
    const out = new StringOutput();
    const { records } = tracedPingPong({ count: 5, sinks: (h) => [new PerfettoWriter(out, h)] });
    const doc = JSON.parse(out.text()) as { traceEvents: TraceEvent[] };
    const events = doc.traceEvents;
    const enclosing = checkSlices(events);
    const delivered = records.filter((r) => r.kind === 'rl-deliver');
    expect(delivered).toHaveLength(11);
    const starts = events.filter((e) => e.ph === 's');
    const finishes = events.filter((e) => e.ph === 'f');
    expect(starts).toHaveLength(delivered.length);
    expect(finishes).toHaveLength(delivered.length);
    expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
    for (const s of starts) {
      const f = finishes.filter((e) => e.id === s.id);
      expect(f).toHaveLength(1);
      expect(f[0]!.name).toBe(s.name);
      expect(f[0]!.pid).not.toBe(s.pid); // from one core to the other
      expect(f[0]!.ts!).toBeGreaterThan(s.ts!);
      expect(enclosing.get(s)).toBe('rpmsg_lite_send');
      expect(enclosing.get(f[0]!)).toBe('ISR 118');
    }
    // ISR slices: one per handler-start, on the handlers track
    const isrs = events.filter((e) => e.ph === 'B' && e.name.startsWith('ISR '));
    expect(isrs).toHaveLength(records.filter((r) => r.kind === 'handler-start').length);
    expect(new Set(isrs.map((e) => e.tid))).toEqual(new Set([PERFETTO_TID.handlers]));
    // timestamps are microseconds: the last record's tick / 996 GHz, to the picosecond
    const lastT = records.at(-1)!.t;
    expect(Math.max(...events.filter((e) => e.ts !== undefined).map((e) => e.ts!))).toBeCloseTo(lastT / 996e3, 6);
  });

  test('the JSON is the same bytes on every run', () => {
    const run = (): string => {
      const out = new StringOutput();
      tracedPingPong({ count: 2, sinks: (h) => [new PerfettoWriter(out, h)] });
      return out.text();
    };
    expect(run()).toBe(run());
  });
});

describe('the header names the mailbox registers (from the mailbox registry)', () => {
  const MU_REGISTERS = ['TR0', 'TR1', 'TR2', 'TR3', 'RR0', 'RR1', 'RR2', 'RR3', 'SR', 'CR'];

  test('imxrt1170: one window per MU side, each with the MU register map', () => {
    const { header } = tracedPingPong({ count: 1 });
    expect(header.mailboxes!.map((m) => [m.name, m.base, m.size])).toEqual([
      ['mu.a', 0x40c48000, 0x28],
      ['mu.b', 0x40c4c000, 0x28],
    ]);
    for (const m of header.mailboxes!) {
      expect(m.registers.map((r) => r.name)).toEqual(MU_REGISTERS);
      expect(m.registers.find((r) => r.name === 'CR')!.offset).toBe(0x24);
    }
    expect(header.irqLines).toEqual([
      { name: 'mu.a.irq', core: 'cm7', line: 118 },
      { name: 'mu.b.irq', core: 'cm4', line: 118 },
    ]);
  });

  test('lpc55s69: the one register file both cores map, listed once', () => {
    const { header } = tracedPingPong({ platform: 'lpc55s69', count: 1 });
    expect(header.mailboxes).toEqual([
      {
        name: 'mailbox',
        base: 0x4008b000,
        size: 0xfc,
        registers: [
          { name: 'IRQ0', offset: 0x0 },
          { name: 'IRQ0SET', offset: 0x4 },
          { name: 'IRQ0CLR', offset: 0x8 },
          { name: 'IRQ1', offset: 0x10 },
          { name: 'IRQ1SET', offset: 0x14 },
          { name: 'IRQ1CLR', offset: 0x18 },
          { name: 'MUTEX', offset: 0xf8 },
        ],
      },
    ]);
  });

  test('VCD signals and the verbose text view carry the register names, not reg_0x.. words', () => {
    const vcd = new StringOutput();
    const text = new StringOutput();
    tracedPingPong({
      count: 1,
      sinks: (h) => [new VcdWriter(vcd, h), new TextWriter(text, h, { describeReturn: describeRlReturn, verbose: true })],
    });
    const { vars } = parseVcd(vcd.text());
    expect([...vars.keys()].filter((k) => k.startsWith('rpmsg_sim.mu_b.'))).toEqual([
      ...MU_REGISTERS.map((r) => `rpmsg_sim.mu_b.${r}`),
      'rpmsg_sim.mu_b.irq',
    ]);
    expect(vcd.text()).not.toContain('reg_0x');
    // the CM7 rings with CR.GIRn on side A; the CM4's ISR reads SR on side B
    expect(text.text()).toMatch(/write32 0x40c48024 ← 0x[0-9a-f]+ {2}mu\.a \(CR\)/);
    expect(text.text()).toMatch(/read32 0x40c4c020 → 0x[0-9a-f]+ {2}mu\.b \(SR\)/);
  });
});
