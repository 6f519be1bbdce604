import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../kernel';
import { BackgroundWriteError, BackgroundWriter, SLOTS } from './background-write';
import { FileOutput, OutputIOError } from './output';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpmsg-sim-bg-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Piece i of a test stream: its number and a run of letters, 1 to 40 bytes. */
const piece = (i: number): string => `${i}:${'abcdefghijklmnopqrstuvwxyz'.repeat(2).slice(0, i % 37)};`;

test('a file written by the worker thread has exactly the bytes, in order, of the same writes made synchronously', () => {
  const pieces = Array.from({ length: 5000 }, (_, i) => piece(i));
  const expected = pieces.join('');
  for (const backgroundAfter of [false, 0, 1000] as const) {
    const target = path.join(dir, `out-${String(backgroundAfter)}.txt`);
    // 64-byte blocks: about 1,300 of them, so the run's thread waits for free slots (SLOTS) many times.
    const out = new FileOutput(target, { chunkBytes: 64, backgroundAfter });
    for (const p of pieces) out.write(p);
    out.close();
    expect(fs.readFileSync(target, 'utf8')).toBe(expected);
  }
  expect(fs.readdirSync(dir).sort()).toEqual(['out-0.txt', 'out-1000.txt', 'out-false.txt']);
  expect(expected.length).toBeGreaterThan(64 * SLOTS * 10);
});

test('a piece larger than a slot is split across slots and arrives whole', () => {
  const target = path.join(dir, 'big.txt');
  const out = new FileOutput(target, { chunkBytes: 16, backgroundAfter: 0 });
  const big = 'x'.repeat(1000) + 'é' + 'y'.repeat(333);
  out.write('head;');
  out.write(big);
  out.write(';tail');
  out.close();
  expect(fs.readFileSync(target, 'utf8')).toBe(`head;${big};tail`);
});

test('abort() with the worker writing stops it before the descriptor is closed and the file removed', async () => {
  const target = path.join(dir, 'aborted.jsonl');
  const out = new FileOutput(target, { chunkBytes: 64, backgroundAfter: 0 });
  for (let i = 0; i < 2000; i++) out.write(piece(i));
  expect(fs.existsSync(out.tempPath!)).toBe(true);
  out.abort();
  expect(fs.readdirSync(dir)).toEqual([]);
  // The next file opened takes the freed descriptor number: a worker still writing would
  // write the aborted trace's blocks into it.
  const next = path.join(dir, 'next.txt');
  const fd = fs.openSync(next, 'w');
  await new Promise((resolve) => setTimeout(resolve, 100));
  fs.closeSync(fd);
  expect(fs.readFileSync(next, 'utf8')).toBe('');
  expect(fs.readdirSync(dir)).toEqual(['next.txt']);
});

/** node:fs, except that the file a FileOutput opens is created and then swapped for /dev/full: every write(2) fails with ENOSPC. */
const fullDisk = {
  ...fs,
  openSync: (file: string, flags: string) => {
    fs.closeSync(fs.openSync(file, flags));
    return fs.openSync('/dev/full', 'w');
  },
};

test('a write the worker could not make (a full disk) fails the output with the system reason, and removes the file', () => {
  const target = path.join(dir, 'full.jsonl');
  const out = new FileOutput(target, { chunkBytes: 64, backgroundAfter: 0, fs: fullDisk });
  let failure: unknown;
  try {
    for (let i = 0; i < 2000; i++) out.write(piece(i)); // fails here, at a later block, or at close()
    out.close();
  } catch (error) {
    failure = error;
    out.abort();
  }
  expect(failure).toBeInstanceOf(OutputIOError);
  expect((failure as Error).message).toBe(`cannot write the trace "${target}": no space left on the device`);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('BackgroundWriter: blocks are written in order; a failed write is reported with its code at the next call', () => {
  const file = path.join(dir, 'direct.bin');
  const fd = fs.openSync(file, 'w');
  const w = new BackgroundWriter(fd, 4);
  const block = new Uint8Array(8);
  for (let i = 0; i < 40; i++) {
    block.fill(65 + (i % 26));
    w.write(block, 1 + (i % 4));
  }
  w.finish();
  w.finish(); // once
  fs.closeSync(fd);
  const expected = Array.from({ length: 40 }, (_, i) => String.fromCharCode(65 + (i % 26)).repeat(1 + (i % 4))).join('');
  expect(fs.readFileSync(file, 'latin1')).toBe(expected);

  const full = fs.openSync('/dev/full', 'w');
  const f = new BackgroundWriter(full, 4);
  f.write(block, 4);
  let failure: unknown;
  try {
    f.finish();
  } catch (error) {
    failure = error;
  }
  fs.closeSync(full);
  expect(failure).toBeInstanceOf(BackgroundWriteError);
  expect((failure as BackgroundWriteError).code).toBe('ENOSPC');
});

describe('a worker that ends from outside does not leave the run waiting', () => {
  test('its exit seen (the event loop turned): the next write fails at once; finish() too', async () => {
    const fd = fs.openSync(path.join(dir, 'ended.bin'), 'w');
    const w = new BackgroundWriter(fd, 4);
    const block = new Uint8Array(4).fill(65);
    w.write(block, 4);
    await w.terminateWorker();
    await new Promise((resolve) => setImmediate(resolve)); // the exit event
    expect(() => w.write(block, 4)).toThrow('the thread writing the file ended before it had written everything');
    expect(() => w.finish()).toThrow('the thread writing the file ended before it had written everything');
    fs.closeSync(fd);
  });

  test('not seen (the run thread never lets the loop turn): no block written for stallMs while blocks wait is a failure, in write() and in finish()', () => {
    for (const at of ['write', 'finish'] as const) {
      const file = path.join(dir, `stalled-${at}.bin`);
      const fd = fs.openSync(file, 'w');
      const w = new BackgroundWriter(fd, 4, { stallMs: 200 });
      const block = new Uint8Array(4).fill(66);
      w.write(block, 4);
      const pause = new Int32Array(new SharedArrayBuffer(4));
      while (fs.statSync(file).size < 4) Atomics.wait(pause, 0, 0, 5); // the worker runs: it wrote the first block
      void w.terminateWorker(); // no await: from here on this thread stays synchronous
      Atomics.wait(pause, 0, 0, 100); // (the thread ends meanwhile)
      let failure: unknown;
      try {
        if (at === 'write') for (let i = 0; i < 10 * SLOTS; i++) w.write(block, 4);
        else {
          for (let i = 0; i < SLOTS - 1; i++) w.write(block, 4);
          w.finish();
        }
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(BackgroundWriteError);
      expect((failure as Error).message).toBe('the thread writing the file wrote nothing for 0.2 s');
      w.abort(); // returns (it does not wait 10 s for a worker that is gone)
      fs.closeSync(fd);
    }
  });

  test('a FileOutput whose worker ended: an I/O failure naming the file, and its temporary file removed', async () => {
    const target = path.join(dir, 'killed.jsonl');
    const out = new FileOutput(target, { chunkBytes: 64, backgroundAfter: 0 });
    for (let i = 0; i < 100; i++) out.write(piece(i));
    expect(out.backgroundWriter).not.toBeNull();
    await out.backgroundWriter!.terminateWorker();
    await new Promise((resolve) => setImmediate(resolve));
    let failure: unknown;
    try {
      for (let i = 0; i < 100; i++) out.write(piece(i));
      out.close();
    } catch (error) {
      failure = error;
      out.abort();
    }
    expect(failure).toBeInstanceOf(OutputIOError);
    expect((failure as Error).message).toBe(`cannot write the trace "${target}": the thread writing the file ended before it had written everything`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
