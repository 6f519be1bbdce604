import { InternalError } from '../kernel';
import { TINY_HEADER, TINY_RECORDS, rec } from './fixtures';
import { JsonlWriter, TraceReadError, headerToJsonl, readJsonl, recordToJsonl } from './jsonl';
import { StringOutput } from './output';

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
