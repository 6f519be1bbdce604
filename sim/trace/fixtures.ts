// A tiny hand-made header and record list shared by the writers' tests: 1 ns ticks, two
// cores, one message each way. Field objects are written in a scrambled key order on
// purpose: writers must follow RECORD_FIELDS, not the order of the object they get.

import type { TraceHeaderInput } from './header';
import type { RecordFields, RecordKind, TraceRecord } from './trace';

export const TINY_HEADER: TraceHeaderInput = {
  scenario: 'tiny',
  platform: 'imxrt1170',
  tickHz: 1_000_000_000,
  cores: [
    { name: 'cm7', role: 'master', hz: 500_000_000, periodTicks: 2 },
    { name: 'cm4', role: 'remote', hz: 250_000_000, periodTicks: 4 },
  ],
  sharedMemory: { base: 0x202c0000, size: 0x2000 },
  vrings: [
    { index: 0, dir: 'r2m', availIdx: 0x202c0022, usedIdx: 0x202c0032 },
    { index: 1, dir: 'm2r', availIdx: 0x202c0072, usedIdx: 0x202c0082 },
  ],
  mailboxes: [{ name: 'mu.a', base: 0x40c48000, size: 0x28, registers: [{ name: 'CR', offset: 0x24 }] }],
  irqLines: [
    { name: 'mu.a.irq', core: 'cm7', line: 118 },
    { name: 'mu.b.irq', core: 'cm4', line: 118 },
  ],
};

export function rec<K extends RecordKind>(t: number, component: string, kind: K, fields: RecordFields[K]): TraceRecord {
  return { t, component, kind, ...fields } as TraceRecord;
}

/** cm7 sends m2r#0 to cm4, whose ISR delivers it; then cm7 sleeps. */
export const TINY_RECORDS: TraceRecord[] = [
  rec(0, 'cm7', 'rl-call', { fn: 'rpmsg_lite_send' }),
  rec(10, 'cm7', 'burst', { stall: 0, cycles: 20, beats: 16, target: 'ocram', size: 64, address: 0x202c04b0, op: 'write' }),
  rec(20, 'cm7', 'rl-enqueue', { len: 64, buffer: 0x202c04a0, msg: 0, dir: 'm2r', dst: 30, src: 1 }),
  rec(24, 'cm7', 'bus', { value: 1, op: 'write', size: 2, address: 0x202c0072, target: 'ocram', stall: 1, cycles: 8 }),
  rec(30, 'cm7', 'bus', { op: 'write', address: 0x40c48024, size: 4, value: 0x80000, target: 'mu.a', cycles: 6, stall: 0 }),
  rec(32, 'mu.b.irq', 'irq-line', { level: true }),
  rec(36, 'cm4.nvic', 'irq-pending', { line: 118 }),
  rec(36, 'cm4', 'irq-entry', { tailChained: false, line: 118 }),
  rec(40, 'cm7', 'rl-return', { code: 0, fn: 'rpmsg_lite_send' }),
  rec(40, 'cm7', 'sleep', {}),
  rec(84, 'cm4', 'handler-start', { priority: 2, line: 118 }),
  rec(90, 'mu.b.irq', 'irq-line', { level: false }),
  rec(120, 'cm4', 'rl-deliver', { ept: 30, dir: 'm2r', msg: 0, src: 1, dst: 30, len: 64, buffer: 0x202c04a0 }),
  rec(124, 'cm4', 'bus', { op: 'write', address: 0x202c0082, size: 2, value: 1, target: 'ocram', cycles: 4, stall: 0 }),
  rec(140, 'cm4', 'handler-end', { line: 118 }),
  rec(168, 'cm4', 'exception-return', { resumes: -16 }),
];

/** What the text writer says for a return code of the tiny records (0 is the only one they return). */
export function describeTinyReturn(_fn: string, code: number): string {
  return code === 0 ? 'RL_SUCCESS' : String(code);
}

// Readers the writers' tests share (here and in scenario-engine/trace-writers.test.ts).

/** A Chrome trace-event as the Perfetto writer writes it. */
export interface TraceEvent {
  name: string;
  ph: string;
  ts?: number;
  pid: number;
  tid?: number;
  id?: number;
  bp?: string;
  s?: string;
  cat?: string;
  args?: Record<string, unknown>;
}


/**
 * Replays B/E per track as a viewer does: every E must close the innermost open slice of
 * its track, with the same name. Returns, for each flow event, the slice enclosing it.
 */
export function checkSlices(events: TraceEvent[]): Map<TraceEvent, string | undefined> {
  const stacks = new Map<string, string[]>();
  const enclosing = new Map<TraceEvent, string | undefined>();
  for (const e of events) {
    const key = `${e.pid}/${e.tid}`;
    const stack = stacks.get(key) ?? [];
    stacks.set(key, stack);
    if (e.ph === 'B') stack.push(e.name);
    if (e.ph === 'E') expect([key, stack.pop()]).toEqual([key, e.name]);
    if (e.ph === 's' || e.ph === 'f') enclosing.set(e, stack[stack.length - 1]);
  }
  for (const [key, stack] of stacks) expect([key, stack]).toEqual([key, []]);
  return enclosing;
}


/** A small VCD reader for the tests: declarations by full name, and every change. */
export function parseVcd(text: string): {
  timescale: string;
  vars: Map<string, { id: string; type: string; width: number }>;
  stamps: bigint[];
  changes: Map<string, { time: bigint; value: string }[]>;
} {
  const [head, body] = text.split('$enddefinitions $end\n') as [string, string];
  const timescale = /\$timescale (.*?) \$end/.exec(head)![1]!;
  const vars = new Map<string, { id: string; type: string; width: number }>();
  const scope: string[] = [];
  for (const line of head.split('\n')) {
    let m = /^\$scope module (\S+) \$end$/.exec(line);
    if (m) scope.push(m[1]!);
    if (line === '$upscope $end') scope.pop();
    m = /^\$var (\S+) (\d+) (\S+) (\S+) \$end$/.exec(line);
    if (m) vars.set([...scope, m[4]].join('.'), { type: m[1]!, width: Number(m[2]), id: m[3]! });
  }
  expect(scope).toEqual([]);
  const stamps: bigint[] = [];
  const changes = new Map<string, { time: bigint; value: string }[]>();
  let time = -1n;
  for (const line of body.split('\n')) {
    if (line === '' || line === '$dumpvars' || line === '$end' || line.startsWith('$comment')) continue;
    if (line.startsWith('#')) {
      time = BigInt(line.slice(1));
      stamps.push(time);
      continue;
    }
    const m = /^(?:([bs]\S*) (\S+)|([01xz])(\S+))$/.exec(line);
    expect(m).not.toBeNull();
    const value = m![1] ?? m![3]!;
    const id = m![2] ?? m![4]!;
    if (!changes.has(id)) changes.set(id, []);
    changes.get(id)!.push({ time, value });
  }
  return { timescale, vars, stamps, changes };
}

/**
 * The full names GTKWave gives a VCD's variables (checked against GTKWave 3.3.118's
 * gtkwave::getFacName): scopes joined with ".", and a vector declared without a range
 * (a `reg` wider than 1 bit) gets "[width-1:0]"; wires, integers and strings keep their name.
 */
export function gtkwaveNames(vcd: string): Set<string> {
  const names = new Set<string>();
  for (const [name, v] of parseVcd(vcd).vars) names.add(v.type === 'reg' && v.width > 1 ? `${name}[${v.width - 1}:0]` : name);
  return names;
}

/** The signals a GTKWave save file shows: its lines that are not directives, flags, comments or labels. */
export function signalsOfGtkw(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !/^[[@*\-]/.test(line));
}
