import { ConfigError } from '../kernel';
import { TINY_HEADER } from './fixtures';
import { JsonlWriter } from './jsonl';
import { FileOutput, StringOutput } from './output';
import { PerfettoWriter } from './perfetto';
import { TextWriter } from './text';
import { VcdWriter } from './vcd';
import { TRACE_FORMATS, createTraceWriter, formatOf } from './writers';

test('the format comes from the extension; "-" is the text narrative on standard output', () => {
  expect(formatOf('out.jsonl')).toBe('jsonl');
  expect(formatOf('golden/ping-pong.JSONL')).toBe('jsonl');
  expect(formatOf('wave.vcd')).toBe('vcd');
  expect(formatOf('timeline.json')).toBe('perfetto');
  expect(formatOf('story.txt')).toBe('text');
  expect(formatOf('-')).toBe('text');
  expect(new FileOutput('-').tempPath).toBeNull();
});

test('an unknown extension is a configuration error that lists the known ones', () => {
  expect(() => formatOf('trace.csv')).toThrow(ConfigError);
  expect(() => formatOf('trace.csv')).toThrow(
    'cannot tell the trace format of "trace.csv" from its extension: use .jsonl (canonical JSON Lines), ' +
      '.vcd (Value Change Dump waveform), .json (Chrome/Perfetto trace events), .txt (text narrative), or - (text on standard output)',
  );
});

test('each format makes its writer; a given format overrides the extension', () => {
  const made = TRACE_FORMATS.map((entry) => entry.create(new StringOutput(), TINY_HEADER, {}));
  expect(made.map((w) => w.constructor)).toEqual([JsonlWriter, VcdWriter, PerfettoWriter, TextWriter]);
  const out = new StringOutput();
  const w = TRACE_FORMATS.find((e) => e.format === 'jsonl')!.create(out, TINY_HEADER, {});
  w.close();
  expect(out.text().startsWith('{"format":"rpmsg-sim-trace"')).toBe(true);
  expect(() => createTraceWriter('x.jsonl', TINY_HEADER, { format: 'svg' as never })).toThrow(
    'unknown trace format "svg": use jsonl, vcd, perfetto, text',
  );
});
