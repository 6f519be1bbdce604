import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, Kernel } from '../kernel';
import { TINY_HEADER, TINY_RECORDS } from './fixtures';
import { TraceHeaderError } from './header';
import { FileOutput, StringOutput, TraceOutputClosedError, closeTogether } from './output';
import { Tracer } from './trace';
import { createTraceWriter } from './writers';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpmsg-sim-trace-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const tempOf = (target: string): string => `${target}.tmp-${process.pid}`;

test('nothing is at the target until close(); the text streams into a temporary file beside it', () => {
  const target = path.join(dir, 'out.jsonl');
  const out = new FileOutput(target, { chunkBytes: 16 });
  out.write('0123456789');
  expect(fs.readFileSync(tempOf(target), 'utf8')).toBe(''); // still buffered: 10 of 16 bytes
  out.write('abcdefghij');
  expect(fs.readFileSync(tempOf(target), 'utf8')).toBe('0123456789'); // 10 + 10 > 16: the first 10 went to disk
  out.write('tail');
  expect(fs.readFileSync(tempOf(target), 'utf8')).toBe('0123456789'); // 10 + 4 <= 16: buffered
  expect(fs.existsSync(target)).toBe(false);
  out.close();
  expect(fs.readFileSync(target, 'utf8')).toBe('0123456789abcdefghijtail');
  expect(fs.existsSync(tempOf(target))).toBe(false);
});

test('a piece larger than the block is written whole, UTF-8 included', () => {
  const target = path.join(dir, 'out.txt');
  const out = new FileOutput(target, { chunkBytes: 8 });
  out.write('abc');
  // 40 characters, 41 bytes ("µ" is 2 bytes in UTF-8): the 3 buffered bytes go first, the block grows
  const long = `${'x'.repeat(19)}µ${'y'.repeat(20)}`;
  out.write(long);
  expect(fs.readFileSync(tempOf(target), 'utf8')).toBe('abc');
  out.write('µs'); // 3 bytes, past the 41-byte block's end: the long piece is drained
  expect(fs.readFileSync(tempOf(target), 'utf8')).toBe(`abc${long}`);
  out.close();
  expect(fs.readFileSync(target, 'utf8')).toBe(`abc${long}µs`);
});

test('the block size must be a whole number of bytes >= 1', () => {
  expect(() => new FileOutput(path.join(dir, 'x.jsonl'), { chunkBytes: 0 })).toThrow('trace output chunk: expected a whole number of bytes >= 1, got 0');
  expect(() => new StringOutput({ chunkBytes: 1.5 })).toThrow(ConfigError);
});

test('a writer formatting into the block of a closed output is a caller bug too', () => {
  const target = path.join(dir, 'out.jsonl');
  const out = new FileOutput(target);
  out.close();
  expect(() => out.buffer.room(1)).toThrow(TraceOutputClosedError);
  expect(() => out.buffer.room(1)).toThrow(`trace output "${target}" is closed`);
});

test('abort() removes the temporary file and leaves an older target as it was', () => {
  const target = path.join(dir, 'out.vcd');
  fs.writeFileSync(target, 'the previous run\n');
  const out = new FileOutput(target, { chunkBytes: 4 });
  out.write('half of a new trace');
  expect(fs.existsSync(tempOf(target))).toBe(true);
  out.abort();
  expect(fs.existsSync(tempOf(target))).toBe(false);
  expect(fs.readFileSync(target, 'utf8')).toBe('the previous run\n');
  expect(fs.readdirSync(dir)).toEqual(['out.vcd']);
});

test('close() replaces an older target (unlinked first, then the temporary file renamed in) and leaves nothing else', () => {
  const target = path.join(dir, 'out.jsonl');
  fs.writeFileSync(target, 'the previous run, longer than the new one\n');
  const keep = path.join(dir, 'kept-link');
  fs.linkSync(target, keep); // a second name of the old file keeps its bytes
  const out = new FileOutput(target, { chunkBytes: 4 });
  out.write('new\n');
  out.close();
  expect(fs.readFileSync(target, 'utf8')).toBe('new\n');
  expect(fs.readFileSync(keep, 'utf8')).toBe('the previous run, longer than the new one\n');
  expect(fs.readdirSync(dir).sort()).toEqual(['kept-link', 'out.jsonl']);
});

test('close() after finish() publishes what was finished (and leaves no temporary file)', () => {
  const target = path.join(dir, 'two-step.jsonl');
  const out = new FileOutput(target, { chunkBytes: 4 });
  out.write('finished first\n');
  out.finish();
  expect(fs.existsSync(target)).toBe(false);
  out.close();
  expect(fs.readFileSync(target, 'utf8')).toBe('finished first\n');
  expect(fs.readdirSync(dir)).toEqual(['two-step.jsonl']);
});

test('close and abort happen once; writing afterwards is a caller bug', () => {
  const target = path.join(dir, 'out.txt');
  const out = new FileOutput(target);
  out.write('done\n');
  out.close();
  out.abort(); // no effect: the file is complete
  out.close();
  expect(fs.readFileSync(target, 'utf8')).toBe('done\n');
  expect(() => out.write('more')).toThrow(TraceOutputClosedError);
  expect(() => out.write('more')).toThrow(`trace output "${target}" is closed`);
});

test('a target in a missing directory is a configuration error that names it', () => {
  const target = path.join(dir, 'no', 'such', 'x.jsonl');
  expect(() => new FileOutput(target)).toThrow(ConfigError);
  expect(() => new FileOutput(target)).toThrow(`cannot write the trace "${target}": its directory does not exist`);
});

test('a target that is a directory fails at close(), and the temporary file is removed', () => {
  const target = path.join(dir, 'sub.jsonl');
  fs.mkdirSync(target);
  const out = new FileOutput(target);
  out.write('x');
  expect(() => out.close()).toThrow(`cannot write the trace "${target}": it is a directory`);
  expect(fs.readdirSync(dir)).toEqual(['sub.jsonl']);
});

test('a bad header is refused before any file is created', () => {
  for (const ext of ['jsonl', 'vcd', 'json', 'txt']) {
    const target = path.join(dir, `out.${ext}`);
    expect(() => createTraceWriter(target, { ...TINY_HEADER, tickHz: 0 })).toThrow(TraceHeaderError);
  }
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('Tracer.abort() aborts every writer: a failed run leaves no output file', () => {
  const tracer = new Tracer(new Kernel());
  for (const ext of ['jsonl', 'vcd', 'json', 'txt']) tracer.addSink(createTraceWriter(path.join(dir, `out.${ext}`), TINY_HEADER));
  for (const r of TINY_RECORDS) tracer.emit(r.component, r.kind, r as never);
  tracer.abort();
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('Tracer.close() publishes every writer at once (a VCD file with its GTKWave save file)', () => {
  const tracer = new Tracer(new Kernel());
  for (const ext of ['jsonl', 'vcd', 'json', 'txt']) tracer.addSink(createTraceWriter(path.join(dir, `out.${ext}`), TINY_HEADER));
  tracer.close();
  expect(fs.readdirSync(dir).sort()).toEqual(['out.gtkw', 'out.json', 'out.jsonl', 'out.txt', 'out.vcd']);
});

describe('closeTogether: several files published as one (a VCD and its .gtkw)', () => {
  test('both targets appear only when both are published; an old pair is replaced', () => {
    fs.writeFileSync(path.join(dir, 'a.vcd'), 'old a');
    fs.writeFileSync(path.join(dir, 'a.gtkw'), 'old b');
    const [a, b] = [new FileOutput(path.join(dir, 'a.vcd')), new FileOutput(path.join(dir, 'a.gtkw'))];
    a.write('new a');
    b.write('new b');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.gtkw', `a.gtkw.tmp-${process.pid}`, 'a.vcd', `a.vcd.tmp-${process.pid}`]);
    closeTogether([a, b]);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.gtkw', 'a.vcd']);
    expect([fs.readFileSync(path.join(dir, 'a.vcd'), 'utf8'), fs.readFileSync(path.join(dir, 'a.gtkw'), 'utf8')]).toEqual(['new a', 'new b']);
    expect(() => a.write('x')).toThrow(`trace output "${path.join(dir, 'a.vcd')}" is closed`);
  });

  test('when the second cannot be published, the first is taken back: neither file, no temporary file', () => {
    fs.mkdirSync(path.join(dir, 'b.gtkw')); // a directory where the save file should go
    const [a, b] = [new FileOutput(path.join(dir, 'b.vcd')), new FileOutput(path.join(dir, 'b.gtkw'))];
    a.write('vcd');
    b.write('gtkw');
    expect(() => closeTogether([a, b])).toThrow(`cannot write the trace "${path.join(dir, 'b.gtkw')}": it is a directory`);
    expect(fs.readdirSync(dir)).toEqual(['b.gtkw']);
    expect(fs.readdirSync(path.join(dir, 'b.gtkw'))).toEqual([]);
  });

  test('outputs that are not files are closed after the files are published', () => {
    const file = new FileOutput(path.join(dir, 'c.vcd'));
    const text = new StringOutput();
    file.write('f');
    text.write('t');
    closeTogether([text, file]);
    expect([text.closed, fs.readFileSync(path.join(dir, 'c.vcd'), 'utf8')]).toEqual([true, 'f']);
  });
});

describe('a VCD file target gets its GTKWave save file beside it', () => {
  test('out.vcd and out.gtkw, both written at close()', () => {
    const w = createTraceWriter(path.join(dir, 'out.vcd'), TINY_HEADER);
    for (const r of TINY_RECORDS) w.record(r);
    expect(fs.readdirSync(dir).sort()).toEqual([`out.gtkw.tmp-${process.pid}`, `out.vcd.tmp-${process.pid}`]);
    w.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['out.gtkw', 'out.vcd']);
    expect(fs.readFileSync(path.join(dir, 'out.gtkw'), 'utf8').split('\n').slice(1, 3)).toEqual(['[dumpfile] "out.vcd"', '[savefile] "out.gtkw"']);
  });

  test('abort() leaves neither', () => {
    const w = createTraceWriter(path.join(dir, 'out.vcd'), TINY_HEADER);
    for (const r of TINY_RECORDS) w.record(r);
    w.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a save file that cannot be published takes the VCD with it', () => {
    fs.mkdirSync(path.join(dir, 'out.gtkw'));
    const w = createTraceWriter(path.join(dir, 'out.vcd'), TINY_HEADER);
    for (const r of TINY_RECORDS) w.record(r);
    expect(() => w.close()).toThrow(`cannot write the trace "${path.join(dir, 'out.gtkw')}": it is a directory`);
    expect(fs.readdirSync(dir)).toEqual(['out.gtkw']);
  });

  test('an upper-case .VCD gets .gtkw', () => {
    const w = createTraceWriter(path.join(dir, 'WAVE.VCD'), TINY_HEADER);
    w.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['WAVE.VCD', 'WAVE.gtkw']);
  });
});
