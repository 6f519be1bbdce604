import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ConfigError, Kernel } from '../kernel';
import { TINY_HEADER, TINY_RECORDS } from './fixtures';
import { TraceHeaderError } from './header';
import { FileOutput, OutputIOError, type OutputFs, StdoutClosedError, StringOutput, TraceOutputClosedError, closeTogether, outputPath, writeFileWhole } from './output';
import { liveTemporaries } from './temporaries';
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

test('a target that is a directory is refused before anything is created', () => {
  const target = path.join(dir, 'sub.jsonl');
  fs.mkdirSync(target);
  expect(() => new FileOutput(target)).toThrow(ConfigError);
  expect(() => new FileOutput(target)).toThrow(`cannot write the trace "${target}": it is a directory, not a regular file (rpmsg-sim replaces only regular files)`);
  expect(fs.readdirSync(dir)).toEqual(['sub.jsonl']);
});

test('a directory made at the target during the run is refused at close(), and the temporary file is removed', () => {
  const target = path.join(dir, 'late.jsonl');
  const out = new FileOutput(target);
  out.write('x');
  fs.mkdirSync(target);
  expect(() => out.close()).toThrow(`cannot write the trace "${target}": it is a directory, not a regular file (rpmsg-sim replaces only regular files)`);
  expect(fs.readdirSync(dir)).toEqual(['late.jsonl']);
  expect(fs.readdirSync(target)).toEqual([]);
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
    const [a, b] = [new FileOutput(path.join(dir, 'b.vcd')), new FileOutput(path.join(dir, 'b.gtkw'))];
    a.write('vcd');
    b.write('gtkw');
    fs.mkdirSync(path.join(dir, 'b.gtkw')); // a directory where the save file should go, made during the run
    expect(() => closeTogether([a, b])).toThrow(`cannot write the trace "${path.join(dir, 'b.gtkw')}": it is a directory, not a regular file (rpmsg-sim replaces only regular files)`);
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

  test('a save file that cannot be written takes the VCD with it', () => {
    fs.mkdirSync(path.join(dir, 'out.gtkw'));
    expect(() => createTraceWriter(path.join(dir, 'out.vcd'), TINY_HEADER)).toThrow(
      `cannot write the trace "${path.join(dir, 'out.gtkw')}": it is a directory, not a regular file (rpmsg-sim replaces only regular files)`,
    );
    expect(fs.readdirSync(dir)).toEqual(['out.gtkw']);
  });

  test('an upper-case .VCD gets .gtkw', () => {
    const w = createTraceWriter(path.join(dir, 'WAVE.VCD'), TINY_HEADER);
    w.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['WAVE.VCD', 'WAVE.gtkw']);
  });
});

const REFUSED = 'not a regular file (rpmsg-sim replaces only regular files)';

describe('only a regular file is ever replaced', () => {
  test('a device (/dev/null, /dev/full) is refused before anything is created, by name and kind', () => {
    const before = fs.readdirSync('/dev').filter((f) => f.includes('.tmp-'));
    for (const device of ['/dev/null', '/dev/full']) {
      expect(() => new FileOutput(device, { what: 'the shared-memory dump' })).toThrow(`cannot write the shared-memory dump "${device}": it is a character device, ${REFUSED}`);
    }
    expect(fs.readdirSync('/dev').filter((f) => f.includes('.tmp-'))).toEqual(before);
  });

  test('a FIFO is refused (opening it for writing would block until a reader came)', () => {
    const fifo = path.join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(() => new FileOutput(fifo)).toThrow(`cannot write the trace "${fifo}": it is a FIFO (named pipe), ${REFUSED}`);
    expect(fs.readdirSync(dir)).toEqual(['pipe.jsonl']);
  });

  test('a symbolic link is followed: the file it leads to is replaced (its temporary file beside it) and the link stays a link', () => {
    const real = path.join(dir, 'real');
    fs.mkdirSync(real);
    fs.writeFileSync(path.join(real, 'trace.jsonl'), 'old\n');
    const link = path.join(dir, 'trace.jsonl');
    fs.symlinkSync(path.join('real', 'trace.jsonl'), link);
    const out = new FileOutput(link);
    expect(out.path).toBe(path.join(real, 'trace.jsonl'));
    expect(out.tempPath).toBe(`${path.join(real, 'trace.jsonl')}.tmp-${process.pid}`);
    out.write('new\n');
    out.close();
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(link, 'utf8')).toBe('new\n');
    expect(fs.readdirSync(real)).toEqual(['trace.jsonl']);
    expect(fs.readdirSync(dir).sort()).toEqual(['real', 'trace.jsonl']);
  });

  test('a link to a device is refused, naming both; a link to a missing file creates that file; a loop of links is refused', () => {
    const toNull = path.join(dir, 'null.jsonl');
    fs.symlinkSync('/dev/null', toNull);
    expect(() => new FileOutput(toNull)).toThrow(`cannot write the trace "${toNull}": it is a symbolic link to "/dev/null", which is a character device, ${REFUSED}`);

    const dangling = path.join(dir, 'later.jsonl');
    fs.symlinkSync('made-by-the-run.jsonl', dangling);
    writeFileWhole(dangling, 'x\n', 'the trace');
    expect(fs.readFileSync(path.join(dir, 'made-by-the-run.jsonl'), 'utf8')).toBe('x\n');
    expect(fs.lstatSync(dangling).isSymbolicLink()).toBe(true);

    const loop = path.join(dir, 'loop.jsonl');
    fs.symlinkSync('loop.jsonl', loop);
    expect(() => new FileOutput(loop)).toThrow(`cannot write the trace "${loop}": more than 40 symbolic links in a row (a loop?)`);
    expect(fs.readdirSync(dir).sort()).toEqual(['later.jsonl', 'loop.jsonl', 'made-by-the-run.jsonl', 'null.jsonl']);
  });

  test('outputPath: the file a target leads to, or the refusal', () => {
    fs.writeFileSync(path.join(dir, 'a.txt'), '');
    fs.symlinkSync('a.txt', path.join(dir, 'b.txt'));
    fs.symlinkSync('b.txt', path.join(dir, 'c.txt'));
    expect(outputPath(path.join(dir, 'c.txt'))).toBe(path.join(dir, 'a.txt'));
    expect(outputPath(path.join(dir, 'new.txt'))).toBe(path.join(dir, 'new.txt'));
    expect(() => outputPath(dir, 'the page')).toThrow(`cannot write the page "${dir}": it is a directory, ${REFUSED}`);
    // an empty name (`--junit ''`) was "its directory does not exist", after a `.tmp-PID` had been made in the working folder
    expect(() => new FileOutput('', { what: 'the JUnit report' })).toThrow('cannot write the JUnit report "": no file name given');
    // a folder's name (check --update --junit out/ wrote the goldens, then failed on the report)
    for (const name of ['out/', '.', '..', 'a/..']) expect(() => outputPath(name, 'the JUnit report')).toThrow(`cannot write the JUnit report "${name}": the name ends in a folder, not a file name`);
  });

  test('a temporary name that is taken (a leftover, or a link planted there) is not written through: the next name is used', () => {
    const target = path.join(dir, 'out.jsonl');
    const planted = path.join(dir, 'planted');
    fs.writeFileSync(planted, 'not yours\n');
    fs.symlinkSync('planted', `${target}.tmp-${process.pid}`);
    const out = new FileOutput(target);
    expect(out.tempPath).toBe(`${target}.tmp-${process.pid}-1`);
    out.write('trace\n');
    out.close();
    expect(fs.readFileSync(target, 'utf8')).toBe('trace\n');
    expect(fs.readFileSync(planted, 'utf8')).toBe('not yours\n');
    expect(fs.readdirSync(dir).sort()).toEqual(['out.jsonl', `out.jsonl.tmp-${process.pid}`, 'planted']);
  });
});

/** node:fs with one system call failing as the system would, with `code`. */
function failing(call: keyof OutputFs, code: string): OutputFs {
  const error = Object.assign(new Error(`${code}: simulated failure, ${call}`), { code });
  return {
    openSync: call === 'openSync' ? () => { throw error; } : (file, flags) => fs.openSync(file, flags),
    writeSync: call === 'writeSync' ? () => { throw error; } : (fd, bytes, offset, length) => fs.writeSync(fd, bytes, offset, length),
    closeSync: call === 'closeSync' ? (fd) => { fs.closeSync(fd); throw error; } : (fd) => fs.closeSync(fd),
  };
}

describe('a target that cannot be written: one line naming the file and the cause, no temporary file left', () => {
  test('a missing folder, a path through a regular file, a folder without write permission: bad input (ConfigError)', () => {
    const missing = path.join(dir, 'nodir', 'x.bin');
    expect(() => writeFileWhole(missing, new Uint8Array(4), 'the shared-memory dump')).toThrow(`cannot write the shared-memory dump "${missing}": its directory does not exist`);
    fs.writeFileSync(path.join(dir, 'file'), '');
    const through = path.join(dir, 'file', 'x.xml');
    expect(() => writeFileWhole(through, 'x', 'the JUnit report')).toThrow(`cannot write the JUnit report "${through}": a part of its path is not a directory`);
    // (chmod 555 does not stop root, who runs these tests in CI: the refusal is injected)
    const denied = path.join(dir, 'x.xml');
    let error: unknown;
    try {
      writeFileWhole(denied, 'x', 'the JUnit report', { fs: failing('openSync', 'EACCES') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`cannot write the JUnit report "${denied}": permission denied`);
    expect(fs.readdirSync(dir)).toEqual(['file']);
    expect(liveTemporaries()).toEqual([]);
  });

  test('a full disk while writing, an I/O error when closing: an OutputIOError (not bad input), the temporary file removed, an older target kept', () => {
    const target = path.join(dir, 'out.jsonl');
    fs.writeFileSync(target, 'the previous run\n');
    const out = new FileOutput(target, { chunkBytes: 16, fs: failing('writeSync', 'ENOSPC') });
    out.write('0123456789');
    expect(() => out.write('abcdefghij')).toThrow(OutputIOError);
    out.abort();
    let error: unknown;
    try {
      writeFileWhole(target, 'short', 'the trace', { fs: failing('closeSync', 'EIO') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutputIOError);
    expect((error as Error).message).toBe(`cannot write the trace "${target}": an input/output error on the device`);
    expect(() => writeFileWhole(target, 'x'.repeat(300 * 1024), 'the trace', { fs: failing('writeSync', 'EDQUOT') })).toThrow(`cannot write the trace "${target}": the disk quota is exceeded`);
    // a shared-memory dump onto a full disk (the issue: a half-written temporary file was left)
    const dump = path.join(dir, 'shmem.bin');
    expect(() => writeFileWhole(dump, new Uint8Array(512 * 1024), 'the shared-memory dump', { fs: failing('writeSync', 'ENOSPC') })).toThrow(
      `cannot write the shared-memory dump "${dump}": no space left on the device`,
    );
    expect(fs.readdirSync(dir)).toEqual(['out.jsonl']);
    expect(fs.readFileSync(target, 'utf8')).toBe('the previous run\n');
    expect(liveTemporaries()).toEqual([]);
  });

  test('standard output: a full disk is an OutputIOError, a reader that went away a StdoutClosedError', () => {
    const full = new FileOutput('-', { chunkBytes: 4, fs: failing('writeSync', 'ENOSPC') });
    full.write('abc');
    expect(() => full.write('de')).toThrow(OutputIOError); // 3 + 2 > 4: the first 3 bytes are written
    expect(() => new FileOutput('-', { fs: failing('writeSync', 'ENOSPC') }).close()).not.toThrow(); // nothing to write
    const gone = new FileOutput('-', { chunkBytes: 4, fs: failing('writeSync', 'EPIPE') });
    gone.write('abc');
    expect(() => gone.close()).toThrow(StdoutClosedError);
    const again = new FileOutput('-', { chunkBytes: 4, fs: failing('writeSync', 'ENOSPC') });
    again.write('1234');
    expect(() => again.close()).toThrow('cannot write the trace to standard output: no space left on the device');
  });
});

describe('every temporary file is listed while it exists (for the removal on a signal or at exit)', () => {
  test('listed from creation, dropped when published, aborted or failed', () => {
    const a = new FileOutput(path.join(dir, 'a.jsonl'));
    const b = new FileOutput(path.join(dir, 'b.vcd'));
    expect(liveTemporaries()).toEqual([
      { path: a.tempPath, target: path.join(dir, 'a.jsonl') },
      { path: b.tempPath, target: path.join(dir, 'b.vcd') },
    ]);
    a.close();
    expect(liveTemporaries().map((t) => t.target)).toEqual([path.join(dir, 'b.vcd')]);
    b.abort();
    expect(liveTemporaries()).toEqual([]);
    const c = new FileOutput(path.join(dir, 'c.txt'));
    fs.mkdirSync(path.join(dir, 'c.txt'));
    expect(() => c.close()).toThrow(ConfigError);
    expect(liveTemporaries()).toEqual([]);
    expect(new FileOutput('-').tempPath).toBeNull();
    expect(liveTemporaries()).toEqual([]);
  });
});

test('writeFileWhole takes bytes as they are (a shared-memory dump)', () => {
  const target = path.join(dir, 'shmem.bin');
  const bytes = Uint8Array.from({ length: 70000 }, (_, i) => (i * 7) & 0xff);
  writeFileWhole(target, bytes, 'the shared-memory dump');
  expect(Buffer.compare(fs.readFileSync(target), Buffer.from(bytes))).toBe(0);
  expect(fs.readdirSync(dir)).toEqual(['shmem.bin']);
});
