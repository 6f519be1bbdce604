import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../kernel';
import { BackgroundWriteError, BackgroundWriter, SLOTS } from './background-write';
import { FileOutput } from './output';

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

test('a write the worker could not make (a full disk) fails the output with the system reason, and removes the file', () => {
  // The temporary file's name made a link to /dev/full: every write(2) to it fails with ENOSPC.
  const target = path.join(dir, 'full.jsonl');
  fs.symlinkSync('/dev/full', `${target}.tmp-${process.pid}`);
  const out = new FileOutput(target, { chunkBytes: 64, backgroundAfter: 0 });
  let failure: unknown;
  try {
    for (let i = 0; i < 2000; i++) out.write(piece(i)); // fails here, at a later block, or at close()
    out.close();
  } catch (error) {
    failure = error;
    out.abort();
  }
  expect(failure).toBeInstanceOf(ConfigError);
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
