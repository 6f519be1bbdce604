// Writes a trace file's bytes on a second thread, so that the simulation and the kernel's
// write path run side by side. Writing a multi-gigabyte file is much CPU work in the kernel
// once the page cache fills: the 10^6-message flood's 4.9 GB JSON Lines trace spent 7.9 to
// 12.7 s in system time (/usr/bin/time, four runs), and with those writes on a worker thread
// the run took 36.5 and 38.2 s instead of 45.9 and 46.4 s (alternated runs, docs/traces.md).
//
// How: a SharedArrayBuffer of SLOTS blocks. The run's thread copies each full block of its
// OutputBuffer into the next free slot and publishes it (Atomics); the worker writes slots in
// order with fs.writeSync on the same file descriptor (descriptors belong to the process) and
// hands them back. Only when every slot is waiting to be written does the run's thread wait
// (Atomics.wait), so memory stays at SLOTS blocks whatever the trace's size. The bytes and
// their order are those of the synchronous path: one producer, one consumer, slots in order.
//
// Errors: a failed write (a full disk) is kept in the shared block as its message; the run's
// thread throws it at its next block or at finish(). abort() asks the worker to drop what is
// left and waits until it has stopped, so nothing is written after the caller removes the file.
//
// A worker that ends without finishing (terminated from outside, process.exit() in it) must
// not leave the run's thread waiting for ever. How it is seen: its `exit` event (delivered
// when the run's thread lets the event loop turn), its own `exit` listener (process.exit()),
// and, while the run's thread waits synchronously and can see neither, a deadline on
// progress: no block written for STALL_MS while blocks wait is a failure. (worker.terminate()
// runs neither `finally` blocks nor `exit` listeners in the worker: tried on Node 20.)

import { Worker } from 'node:worker_threads';

/** Blocks in flight between the two threads. */
export const SLOTS = 8;

// Control words (Int32): blocks published, blocks written, the worker's state, the length of
// an error message (bytes, in the error area), the stop request, and a signal count the run's
// thread bumps after each publication and the stop request (the worker waits on it with the
// count it read before looking at the others, so no wake-up is lost in between).
const PUBLISHED = 0;
const WRITTEN = 1;
const STATE = 2;
const ERROR_LENGTH = 3;
const STOP = 4;
const SIGNAL = 5;
const CONTROL_WORDS = 8;
const ERROR_BYTES = 1024;

/** STATE values: the worker has not run yet, runs, or has ended (however it ended). */
const NOT_STARTED = 0;
const RUNNING = 1;
const STOPPED = 2;

/** STOP values. */
const FINISH = 1;
const DROP = 2;

/** How long abort() waits for the worker to stop (it stops within one write). */
const STOP_WAIT_MS = 10_000;
/** How long the run's thread waits for a worker that has not started before it gives up (it starts in about 0.1 s). */
const START_WAIT_MS = 60_000;
/**
 * How long the worker may go without writing a block, while blocks wait, before the run's
 * thread takes it for dead: a block is at most 256 KiB (DEFAULT_CHUNK), which a disk that
 * writes 5 KiB/s still takes within the minute; slower than that, the disk is broken too.
 */
export const STALL_MS = 60_000;

// The worker, as source (a worker from a file would need the file beside the bundle). It
// only writes what it is given: the descriptor and the shared block come in workerData.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { shared, fd, slots, slotBytes } = workerData;
const ctl = new Int32Array(shared, 0, ${CONTROL_WORDS});
const lengths = new Int32Array(shared, ${CONTROL_WORDS * 4}, slots);
const errorArea = new Uint8Array(shared, ${CONTROL_WORDS * 4} + 4 * slots, ${ERROR_BYTES});
const data = new Uint8Array(shared, ${CONTROL_WORDS * 4} + 4 * slots + ${ERROR_BYTES}, slots * slotBytes);
let written = 0;
let failed = false;
const fail = (error) => {
  if (failed) return;
  failed = true;
  const text = Buffer.from((error && error.code ? error.code : '') + '\\n' + (error && error.message ? error.message : String(error))).subarray(0, ${ERROR_BYTES});
  errorArea.set(text);
  Atomics.store(ctl, ${ERROR_LENGTH}, text.length);
};
Atomics.store(ctl, ${STATE}, ${RUNNING});
process.on('exit', () => {
  Atomics.store(ctl, ${STATE}, ${STOPPED});
  Atomics.notify(ctl, ${STATE});
  Atomics.notify(ctl, ${WRITTEN});
});
try {
  for (;;) {
    const signal = Atomics.load(ctl, ${SIGNAL});
    const stop = Atomics.load(ctl, ${STOP});
    if (stop === ${DROP}) break;
    const published = Atomics.load(ctl, ${PUBLISHED});
    if (published === written) {
      if (stop === ${FINISH}) break;
      Atomics.wait(ctl, ${SIGNAL}, signal);
      continue;
    }
    if (!failed) {
      const slot = written % slots;
      const end = slot * slotBytes + lengths[slot];
      let at = slot * slotBytes;
      try {
        while (at < end) at += fs.writeSync(fd, data, at, end - at);
      } catch (error) {
        fail(error);
      }
    }
    written++;
    Atomics.store(ctl, ${WRITTEN}, written);
    Atomics.notify(ctl, ${WRITTEN});
  }
} catch (error) {
  fail(error);
} finally {
  Atomics.store(ctl, ${STATE}, ${STOPPED});
  Atomics.notify(ctl, ${STATE});
  Atomics.notify(ctl, ${WRITTEN});
}
`;

/** A write that failed on the worker: the system's error code ("ENOSPC") and message. */
const ENDED = 'the thread writing the file ended before it had written everything';

/** "60 s", "0.2 s". */
function formatSeconds(ms: number): string {
  return `${ms / 1000} s`;
}

export class BackgroundWriteError extends Error {
  override name = 'BackgroundWriteError';
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class BackgroundWriter {
  private readonly ctl: Int32Array;
  private readonly lengths: Int32Array;
  private readonly errorArea: Uint8Array;
  private readonly data: Uint8Array;
  private readonly worker: Worker;
  private published = 0;
  private ended = false;
  /** The worker's `exit` event came (seen only when the event loop has turned since). */
  private exited = false;
  private readonly stallMs: number;

  constructor(
    fd: number,
    /** The largest block write() is given. */
    private readonly slotBytes: number,
    options: { stallMs?: number } = {},
  ) {
    this.stallMs = options.stallMs ?? STALL_MS;
    const shared = new SharedArrayBuffer(CONTROL_WORDS * 4 + 4 * SLOTS + ERROR_BYTES + SLOTS * slotBytes);
    this.ctl = new Int32Array(shared, 0, CONTROL_WORDS);
    this.lengths = new Int32Array(shared, CONTROL_WORDS * 4, SLOTS);
    this.errorArea = new Uint8Array(shared, CONTROL_WORDS * 4 + 4 * SLOTS, ERROR_BYTES);
    this.data = new Uint8Array(shared, CONTROL_WORDS * 4 + 4 * SLOTS + ERROR_BYTES, SLOTS * slotBytes);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { shared, fd, slots: SLOTS, slotBytes } });
    this.worker.on('exit', () => {
      this.exited = true;
    });
    // It never keeps the process alive: finish() and abort() wait for it themselves.
    this.worker.unref();
  }

  /** Ends the worker thread from outside, as a crash would (tests: the run's thread must not wait for it). */
  terminateWorker(): Promise<number> {
    return this.worker.terminate();
  }

  /** Hands `bytes[0 .. length)` over (copied: the caller reuses its block); throws an earlier write's failure. */
  write(bytes: Uint8Array, length: number): void {
    if (length > this.slotBytes) {
      for (let at = 0; at < length; at += this.slotBytes) this.write(bytes.subarray(at), Math.min(this.slotBytes, length - at));
      return;
    }
    this.throwIfFailed();
    if (this.exited) throw new BackgroundWriteError(undefined, ENDED);
    const ctl = this.ctl;
    // Wait for a free slot: the worker has written all but SLOTS - 1 of the published blocks.
    const progress = this.progress();
    for (;;) {
      const written = Atomics.load(ctl, WRITTEN);
      if (this.published - written < SLOTS) break;
      this.checkAlive(progress);
      Atomics.wait(ctl, WRITTEN, written, Math.min(1000, this.stallMs));
    }
    const slot = this.published % SLOTS;
    this.data.set(bytes.subarray(0, length), slot * this.slotBytes);
    this.lengths[slot] = length;
    this.published++;
    Atomics.store(ctl, PUBLISHED, this.published);
    this.signal();
  }

  /** Waits until every block is written and the worker has stopped; throws a write's failure. */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.stop(FINISH, Infinity);
    this.throwIfFailed();
    const written = Atomics.load(this.ctl, WRITTEN);
    if (written !== this.published) throw new BackgroundWriteError(undefined, `the thread writing the file stopped with ${this.published - written} of ${this.published} blocks not written`);
  }

  /** Drops what is not written yet and waits (a bounded time) until the worker has stopped. */
  abort(): void {
    if (this.ended) return;
    this.ended = true;
    this.stop(DROP, STOP_WAIT_MS);
  }

  private stop(how: number, timeoutMs: number): void {
    const ctl = this.ctl;
    Atomics.store(ctl, STOP, how);
    this.signal();
    const since = Date.now();
    const deadline = since + timeoutMs;
    const progress = this.progress();
    for (;;) {
      const state = Atomics.load(ctl, STATE);
      if (state === STOPPED) break;
      const left = deadline - Date.now();
      const gone = left <= 0 ? 'the thread writing the file did not stop' : this.deadReason(progress);
      if (gone !== null) {
        void this.worker.terminate();
        if (how === FINISH) throw new BackgroundWriteError(undefined, gone);
        return;
      }
      Atomics.wait(ctl, STATE, state, Math.min(left, 1000, this.stallMs));
    }
    void this.worker.terminate();
  }

  /** Where the worker's progress was last seen: the blocks written, and when. */
  private progress(): { written: number; at: number } {
    return { written: Atomics.load(this.ctl, WRITTEN), at: Date.now() };
  }

  /** While waiting for a slot: a worker that ended, never started or stalled will not free one. */
  private checkAlive(progress: { written: number; at: number }): void {
    if (Atomics.load(this.ctl, STATE) === STOPPED) {
      this.throwIfFailed();
      throw new BackgroundWriteError(undefined, 'the thread writing the file stopped');
    }
    const dead = this.deadReason(progress);
    if (dead !== null) {
      void this.worker.terminate();
      throw new BackgroundWriteError(undefined, dead);
    }
  }

  /**
   * Why a worker that has not stopped by itself will not go on (null: it may): its `exit`
   * event came, it has not started for START_WAIT_MS, or it has written nothing for
   * stallMs while blocks wait. `progress` is updated when a block was written since.
   */
  private deadReason(progress: { written: number; at: number }): string | null {
    const now = Date.now();
    const state = Atomics.load(this.ctl, STATE);
    if (this.exited) return ENDED;
    if (state === NOT_STARTED) return now - progress.at > START_WAIT_MS ? 'the thread writing the file did not start' : null;
    const written = Atomics.load(this.ctl, WRITTEN);
    if (written !== progress.written) {
      progress.written = written;
      progress.at = now;
      return null;
    }
    if (written === this.published) return null;
    return now - progress.at > this.stallMs ? `the thread writing the file wrote nothing for ${formatSeconds(this.stallMs)}` : null;
  }

  private signal(): void {
    Atomics.add(this.ctl, SIGNAL, 1);
    Atomics.notify(this.ctl, SIGNAL);
  }

  private throwIfFailed(): void {
    const n = Atomics.load(this.ctl, ERROR_LENGTH);
    if (n === 0) return;
    const text = Buffer.from(this.errorArea.subarray(0, n)).toString();
    const cut = text.indexOf('\n');
    throw new BackgroundWriteError(cut > 0 ? text.slice(0, cut) : undefined, text.slice(cut + 1));
  }
}
