import { InternalError } from '../kernel';
import { TINY_HEADER, TINY_RECORDS, rec } from './fixtures';
import { JsonlWriter, TraceReadError, headerToJsonl, readJsonl, recordToJsonl } from './jsonl';
import { StringOutput } from './output';
import { RECORD_KINDS, type TraceRecord } from './trace';

function jsonlOf(records = TINY_RECORDS): string {
  const out = new StringOutput();
  const w = new JsonlWriter(out, TINY_HEADER);
  for (const r of records) w.record(r);
  w.close();
  return out.text();
}

test('a hand-made record list gives exactly these lines: fixed key order whatever the objects', () => {
  const lines = jsonlOf().split('\n');
  expect(lines[0]).toBe(
    '{"format":"rpmsg-sim-trace","version":1,"scenario":"tiny","platform":"imxrt1170","tickHz":1000000000,' +
      '"cores":[{"name":"cm7","role":"master","hz":500000000,"periodTicks":2},{"name":"cm4","role":"remote","hz":250000000,"periodTicks":4}],' +
      '"sharedMemory":{"base":539754496,"size":8192},' +
      '"vrings":[{"index":0,"dir":"r2m","availIdx":539754530,"usedIdx":539754546},{"index":1,"dir":"m2r","availIdx":539754610,"usedIdx":539754626}],' +
      '"mailboxes":[{"name":"mu.a","base":1086619648,"size":40,"registers":[{"name":"CR","offset":36}]}],' +
      '"irqLines":[{"name":"mu.a.irq","core":"cm7","line":118},{"name":"mu.b.irq","core":"cm4","line":118}],"pins":[]}',
  );
  expect(lines.slice(1)).toEqual([
    '{"t":0,"component":"cm7","kind":"rl-call","fn":"rpmsg_lite_send"}',
    '{"t":10,"component":"cm7","kind":"burst","op":"write","address":539755696,"size":64,"target":"ocram","beats":16,"cycles":20,"stall":0}',
    '{"t":20,"component":"cm7","kind":"rl-enqueue","dir":"m2r","msg":0,"src":1,"dst":30,"len":64,"buffer":539755680}',
    '{"t":24,"component":"cm7","kind":"bus","op":"write","address":539754610,"size":2,"value":1,"target":"ocram","cycles":8,"stall":1}',
    '{"t":30,"component":"cm7","kind":"bus","op":"write","address":1086619684,"size":4,"value":524288,"target":"mu.a","cycles":6,"stall":0}',
    '{"t":32,"component":"mu.b.irq","kind":"irq-line","level":true}',
    '{"t":36,"component":"cm4.nvic","kind":"irq-pending","line":118}',
    '{"t":36,"component":"cm4","kind":"irq-entry","line":118,"tailChained":false}',
    '{"t":40,"component":"cm7","kind":"rl-return","fn":"rpmsg_lite_send","code":0}',
    '{"t":40,"component":"cm7","kind":"sleep"}',
    '{"t":84,"component":"cm4","kind":"handler-start","line":118,"priority":2}',
    '{"t":90,"component":"mu.b.irq","kind":"irq-line","level":false}',
    '{"t":120,"component":"cm4","kind":"rl-deliver","dir":"m2r","msg":0,"src":1,"dst":30,"len":64,"buffer":539755680,"ept":30}',
    '{"t":124,"component":"cm4","kind":"bus","op":"write","address":539754626,"size":2,"value":1,"target":"ocram","cycles":4,"stall":0}',
    '{"t":140,"component":"cm4","kind":"handler-end","line":118}',
    '{"t":168,"component":"cm4","kind":"exception-return","resumes":-16}',
    '',
  ]);
});

test('the header line does not depend on the key order the caller used', () => {
  const shuffled = {
    irqLines: TINY_HEADER.irqLines,
    vrings: TINY_HEADER.vrings.map((v) => ({ usedIdx: v.usedIdx, availIdx: v.availIdx, dir: v.dir, index: v.index })),
    tickHz: TINY_HEADER.tickHz,
    cores: TINY_HEADER.cores.map((c) => ({ periodTicks: c.periodTicks, hz: c.hz, role: c.role, name: c.name })),
    sharedMemory: { size: 0x2000, base: 0x202c0000 },
    platform: 'imxrt1170',
    mailboxes: TINY_HEADER.mailboxes,
    scenario: 'tiny',
  };
  expect(headerToJsonl(shuffled)).toBe(headerToJsonl(TINY_HEADER));
});

test('strings are escaped as JSON; a number that is not a whole number is a simulator bug', () => {
  expect(recordToJsonl(rec(5, 'cm4', 'lockup', { reason: 'bus fault at "0x0"\n' }))).toBe(
    '{"t":5,"component":"cm4","kind":"lockup","reason":"bus fault at \\"0x0\\"\\n"}',
  );
  const bad = rec(7, 'cm7', 'irq-pending', { line: 1.5 });
  expect(() => recordToJsonl(bad)).toThrow(InternalError);
  expect(() => recordToJsonl(bad)).toThrow('trace record irq-pending at 7: field "line" must be a whole number, got 1.5');
});

test('readJsonl gives back the hand-made records, keys in canonical order', () => {
  const { header, records } = readJsonl(jsonlOf());
  expect(header.scenario).toBe('tiny');
  expect(records.map(recordToJsonl)).toEqual(TINY_RECORDS.map(recordToJsonl));
  expect(Object.keys(records[1]!)).toEqual(['t', 'component', 'kind', 'op', 'address', 'size', 'target', 'beats', 'cycles', 'stall']);
});

describe('readJsonl errors name the line and what is wrong', () => {
  const head = headerToJsonl(TINY_HEADER);
  const errorOf = (text: string): string => {
    try {
      readJsonl(text);
    } catch (e) {
      expect(e).toBeInstanceOf(TraceReadError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  test.each([
    ['', 'line 1: empty file: expected the trace header'],
    ['{"t":0}\n', 'line 1: not an rpmsg-sim trace: the first line has no "format"'],
    [
      '{"format":"other","version":2,"scenario":"a/b.yaml","platform":"x","tickHz":0.5,"cores":[],"sharedMemory":{"base":0,"size":1},"vrings":[],"extra":1}\n',
      'line 1: bad trace header: format: expected "rpmsg-sim-trace", got "other"; version: this reader knows version 1, got 2; ' +
        'extra: unknown field; scenario: "a/b.yaml" looks like a path; give the scenario\'s name (paths differ between machines); ' +
        'tickHz: expected a whole number >= 1, got 0.5',
    ],
    [`${head}\n{"t":0,"component":"cm7","kind":"sleep"}\n{"t":1,\n`, 'line 3: not valid JSON: {"t":1,'],
    [`${head}\n\n`, 'line 2: empty line'],
    [`${head}\n[1,2]\n`, 'line 2: expected a JSON object, got [1,2]'],
    [`${head}\n{"t":-1,"component":"cm7","kind":"sleep"}\n`, 'line 2: "t" must be a whole number of ticks >= 0, got -1'],
    [`${head}\n{"t":5,"component":"cm7","kind":"sleep"}\n{"t":4,"component":"cm7","kind":"wake"}\n`, "line 3: time 4 is before the previous record's 5"],
    [`${head}\n{"t":0,"component":"cm7","kind":"nap"}\n`, 'line 2: unknown record kind "nap"'],
    [`${head}\n{"t":0,"component":"cm7","kind":"irq-pending"}\n`, 'line 2: irq-pending record without "line"'],
    [`${head}\n{"t":0,"component":"cm7","kind":"irq-pending","line":"7"}\n`, 'line 2: "line" of a irq-pending record must be a whole number, got "7"'],
    [`${head}\n{"t":0,"component":"cm7","kind":"rl-enqueue","dir":"up","msg":0,"src":1,"dst":2,"len":3,"buffer":4}\n`, 'line 2: "dir" of a rl-enqueue record must be "m2r" or "r2m", got "up"'],
    [`${head}\n{"t":0,"component":"cm7","kind":"sleep","why":1}\n`, 'line 2: unknown field "why" in a sleep record'],
  ])('%#', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });
});

describe('the writer formats bytes itself: the same lines as recordToJsonl', () => {
  const BIG_T = 2 ** 53 - 1;
  /** A record of every kind, each enumerated value both ways, the widest numbers, strings to escape. */
  const EVERY_KIND: TraceRecord[] = [
    rec(0, 'cm7', 'bus', { op: 'read', address: 0x202c0072, size: 2, value: 0, target: 'ocram', cycles: 8, stall: 0 }),
    rec(1, 'cm7', 'bus', { op: 'write', address: 0xffffffff, size: 4, value: 0xffffffff, target: 'mu.a', cycles: 1, stall: 3 }),
    rec(2, 'cm4', 'burst', { op: 'read', address: 0x20200000, size: 32, target: 'ocram', beats: 8, cycles: 20, stall: 2 }),
    rec(3, 'cm4', 'burst', { op: 'write', address: 0, size: 64, target: 'dtcm', beats: 16, cycles: 16, stall: 0 }),
    rec(4, 'cm7', 'bus-fault', { op: 'read', address: 0x60000000, size: 4, reason: 'no slave "here"\t' }),
    rec(5, 'cm7', 'bus-fault', { op: 'write', address: 4, size: 1, reason: 'read-only' }),
    rec(6, 'mu.b.irq', 'irq-line', { level: true }),
    rec(7, 'mu.b.irq', 'irq-line', { level: false }),
    rec(8, 'cm4.nvic', 'irq-pending', { line: 118 }),
    rec(9, 'cm4', 'irq-entry', { line: -2, tailChained: true }),
    rec(10, 'cm4', 'irq-entry', { line: 118, tailChained: false }),
    rec(11, 'cm4', 'irq-late-arrival', { line: -1, replaced: 118 }),
    rec(12, 'cm4', 'handler-start', { line: 118, priority: 0 }),
    rec(13, 'cm4', 'handler-end', { line: 118 }),
    rec(14, 'cm4', 'exception-return', { resumes: -16 }),
    rec(15, 'cm4', 'sleep', {}),
    rec(16, 'cm4', 'wake', {}),
    rec(17, 'cm4', 'lockup', { reason: 'HardFault: ünhandled' }),
    rec(18, 'cm7', 'rl-call', { fn: 'rpmsg_lite_send' }),
    rec(19, 'cm7', 'rl-return', { fn: 'rpmsg_lite_send', code: -(2 ** 53 - 1) }),
    rec(20, 'cm7', 'rl-enqueue', { dir: 'm2r', msg: 0, src: 1024, dst: 30, len: 496, buffer: 0x202c0400 }),
    rec(21, 'cm4', 'rl-enqueue', { dir: 'r2m', msg: 2 ** 32, src: 30, dst: 1024, len: 0, buffer: 0 }),
    rec(22, 'cm4', 'rl-deliver', { dir: 'm2r', msg: 0, src: 1024, dst: 30, len: 496, buffer: 0x202c0400, ept: 30 }),
    rec(23, 'cm7', 'rl-deliver', { dir: 'r2m', msg: 1, src: 30, dst: 99, len: 4, buffer: 0x202c0800, ept: -1 }),
    rec(24, 'cm7', 'rl-notify', { vq: 1 }),
    rec(25, 'cm4', 'rl-callback-return', { dir: 'm2r', msg: 0, result: 0 }),
    rec(26, 'cm7', 'rl-callback-return', { dir: 'r2m', msg: 7, result: 1 }),
    rec(27, 'cm7', 'rl-link-up', {}),
    rec(28, 'gpio1', 'gpio', { port: 1, pin: 31, level: true }),
    rec(28, 'shmem', 'fault', { fault: 'flip', target: 'vring1.avail.idx', trigger: 'message 4 "m2r#3"', effect: '0x3 → 0x1 at 0x202c0072' }),
    rec(29, 'watchdog', 'watchdog', { reason: 'simulated time did not advance', report: 'core cm7: "a"\ncore cm4: b' }),
    rec(BIG_T, 'gpio1', 'gpio', { port: 0, pin: 0, level: false }),
  ];

  const writerText = (records: TraceRecord[], chunkBytes?: number): string => {
    const out = new StringOutput(chunkBytes === undefined ? {} : { chunkBytes });
    const w = new JsonlWriter(out, TINY_HEADER);
    for (const r of records) w.record(r);
    w.close();
    return out.text();
  };
  const reference = (records: TraceRecord[]): string => [headerToJsonl(TINY_HEADER), ...records.map(recordToJsonl), ''].join('\n');

  test('every kind, in its canonical key order', () => {
    expect(new Set(EVERY_KIND.map((r) => r.kind))).toEqual(new Set(RECORD_KINDS));
    expect(writerText(EVERY_KIND)).toBe(reference(EVERY_KIND));
    // one line checked by hand too: the widest time and the last kind
    expect(writerText(EVERY_KIND).split('\n').at(-2)).toBe('{"t":9007199254740991,"component":"gpio1","kind":"gpio","port":0,"pin":0,"level":false}');
  });

  test('records straddle block boundaries anywhere: every block size from 1 to 200 bytes gives the same bytes', () => {
    const expected = reference(EVERY_KIND);
    for (let chunk = 1; chunk <= 200; chunk++) expect([chunk, writerText(EVERY_KIND, chunk)]).toEqual([chunk, expected]);
  });

  test('a string longer than the block (a lockup reason of 100 kB) is written whole', () => {
    const long = [rec(1, 'cm7', 'lockup', { reason: 'x'.repeat(100_000) }), rec(2, 'cm7', 'wake', {})];
    expect(writerText(long, 4096)).toBe(reference(long));
  });

  test('values the fast path does not know (an op or dir outside the vocabulary) are formatted by recordToJsonl', () => {
    const odd = [
      rec(1, 'cm7', 'bus', { op: 'fetch' as 'read', address: 1, size: 4, value: 2, target: 'itcm', cycles: 1, stall: 0 }),
      rec(2, 'cm7', 'rl-enqueue', { dir: 'm2m' as 'm2r', msg: 0, src: 1, dst: 2, len: 3, buffer: 4 }),
      rec(3, 'cm7', 'sleep', {}),
    ];
    expect(writerText(odd)).toBe(reference(odd));
    expect(writerText(odd).split('\n')[1]).toBe('{"t":1,"component":"cm7","kind":"bus","op":"fetch","address":1,"size":4,"value":2,"target":"itcm","cycles":1,"stall":0}');
  });

  test.each([
    [rec(7, 'cm7', 'bus', { op: 'read', address: 1, size: 4, value: 0.5, target: 'itcm', cycles: 1, stall: 0 }), 'trace record bus at 7: field "value" must be a whole number, got 0.5'],
    [rec(1.5, 'cm7', 'sleep', {}), 'trace record sleep at 1.5: field "t" must be a whole number, got 1.5'],
    [rec(8, 'cm7', 'irq-line', { level: null as unknown as boolean }), 'trace record irq-line at 8: field "level" is missing or not a number, boolean or string'],
    [rec(9, 'cm7', 'rl-call', { fn: undefined as unknown as string }), 'trace record rl-call at 9: field "fn" is missing or not a number, boolean or string'],
    [{ t: 10, component: 'cm7', kind: 'nap' } as unknown as TraceRecord, 'trace record of unknown kind "nap"'],
  ])('a bad record is an InternalError naming the field, and leaves no partial line (%#)', (bad, message) => {
    const out = new StringOutput();
    const w = new JsonlWriter(out, TINY_HEADER);
    w.record(EVERY_KIND[0]!);
    expect(() => w.record(bad)).toThrow(InternalError);
    expect(() => w.record(bad)).toThrow(message);
    w.record(EVERY_KIND[1]!);
    w.close();
    expect(out.text()).toBe(reference(EVERY_KIND.slice(0, 2)));
  });
});
