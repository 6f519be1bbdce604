// Long runs stream: a writer keeps no records, so memory stays flat however long the run.
// Heap growth is measured loosely (garbage not yet collected counts too); no timing is asserted.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TINY_HEADER, TINY_RECORDS } from './fixtures';
import { JsonlWriter } from './jsonl';
import { OutputBuffer, type TraceOutput, type TraceWriter } from './output';
import { PerfettoWriter } from './perfetto';
import { TextWriter } from './text';
import type { TraceRecord } from './trace';
import { VcdWriter } from './vcd';

const RECORDS = 1_000_000;
const MAX_GROWTH = 50 * 1024 * 1024;

/** Counts what it is given and keeps nothing. */
class CountingOutput implements TraceOutput {
  bytes = 0;
  readonly buffer = new OutputBuffer(64 * 1024, (_bytes, length) => {
    this.bytes += length;
  });
  write(text: string): void {
    this.buffer.write(text);
  }
  close(): void {
    this.buffer.flush();
  }
  abort(): void {}
}

/** The hand-made exchange over and over, later each time, one message number per round. */
function feed(w: TraceWriter): void {
  const round = TINY_RECORDS.length;
  for (let i = 0; i < RECORDS; i++) {
    const base = TINY_RECORDS[i % round]!;
    const n = Math.floor(i / round);
    const r = { ...base, t: n * 200 + base.t } as TraceRecord;
    if (r.kind === 'rl-enqueue' || r.kind === 'rl-deliver') r.msg = n;
    w.record(r);
  }
  w.close();
}

function heapGrowth(run: () => void): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  run();
  gc?.();
  return process.memoryUsage().heapUsed - before;
}

test('JSON Lines: a million records stream to disk with flat memory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpmsg-sim-stream-'));
  try {
    const target = path.join(dir, 'long.jsonl');
    const growth = heapGrowth(() => feed(new JsonlWriter(target, TINY_HEADER)));
    expect(growth).toBeLessThan(MAX_GROWTH);
    // all of it reached the file: the header line plus one line per record
    const fd = fs.openSync(target, 'r');
    let lines = 0;
    const chunk = Buffer.alloc(1 << 20);
    for (let n; (n = fs.readSync(fd, chunk)) > 0; ) {
      for (let i = chunk.indexOf(10); i >= 0 && i < n; i = chunk.indexOf(10, i + 1)) lines++;
    }
    fs.closeSync(fd);
    expect(lines).toBe(RECORDS + 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test.each([
  ['VCD', (out: TraceOutput) => new VcdWriter(out, TINY_HEADER)],
  ['Perfetto', (out: TraceOutput) => new PerfettoWriter(out, TINY_HEADER)],
  ['text', (out: TraceOutput) => new TextWriter(out, TINY_HEADER)],
])('%s: a million records with flat memory', (_name, make) => {
  const out = new CountingOutput();
  const growth = heapGrowth(() => feed(make(out)));
  expect(growth).toBeLessThan(MAX_GROWTH);
  expect(out.bytes).toBeGreaterThan(RECORDS); // it did write
}, 60_000);
