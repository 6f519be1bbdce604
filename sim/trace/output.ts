// Where a writer's text goes. FileOutput streams to disk as the run goes (memory stays
// flat: text is buffered up to a chunk, then written with fs.writeSync) and never leaves a
// half-written file behind (DESIGN.md "Errors"): it writes `<file>.tmp-<pid>` in the
// target's directory and renames it over the target on close(), an atomic step on one
// file system; abort() removes the temporary file. "-" is standard output, streamed as
// is (a pipe cannot be taken back, so there is no atomicity there).

import * as fs from 'node:fs';
import { ConfigError, SimError } from '../kernel';
import type { TraceRecord, TraceSink } from './trace';

/** Text sink of a writer. */
export interface TraceOutput {
  write(text: string): void;
  /** Flushes and publishes the output. */
  close(): void;
  /** Drops the output (the run failed). */
  abort(): void;
}

/** A trace writer: a TraceSink whose output must be closed (or aborted) exactly once. */
export interface TraceWriter extends TraceSink {
  record(r: TraceRecord): void;
  close(): void;
  abort(): void;
}

/** The target that means standard output. */
export const STDOUT = '-';

/** Bytes collected before one write system call (64 KiB: few calls, little memory). */
const DEFAULT_CHUNK = 64 * 1024;

/** Writing to an output that was already closed or aborted: a bug in the caller. */
export class TraceOutputClosedError extends SimError {
  override name = 'TraceOutputClosedError';
}

export class FileOutput implements TraceOutput {
  /** The path written while the run goes (null for stdout). */
  readonly tempPath: string | null;
  private fd: number;
  private parts: string[] = [];
  private buffered = 0;
  private state: 'open' | 'closed' | 'aborted' = 'open';
  private readonly chunk: number;

  constructor(
    /** The file to produce, or "-" for standard output. */
    readonly target: string,
    options: { chunkBytes?: number } = {},
  ) {
    this.chunk = options.chunkBytes ?? DEFAULT_CHUNK;
    if (target === STDOUT) {
      this.tempPath = null;
      this.fd = 1;
      return;
    }
    this.tempPath = `${target}.tmp-${process.pid}`;
    try {
      this.fd = fs.openSync(this.tempPath, 'w');
    } catch (error) {
      throw new ConfigError(`cannot write the trace "${target}": ${reason(error)}`);
    }
  }

  write(text: string): void {
    if (this.state !== 'open') throw new TraceOutputClosedError(`trace output "${this.target}" is ${this.state}`);
    this.parts.push(text);
    this.buffered += text.length;
    if (this.buffered >= this.chunk) this.flush();
  }

  close(): void {
    if (this.state !== 'open') return;
    try {
      this.flush();
      if (this.tempPath === null) return;
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = -1;
      fs.renameSync(this.tempPath, this.target);
    } catch (error) {
      this.discard();
      throw error instanceof SimError ? error : new ConfigError(`cannot write the trace "${this.target}": ${reason(error)}`);
    } finally {
      if (this.state === 'open') this.state = 'closed';
    }
  }

  abort(): void {
    if (this.state !== 'open') return;
    this.parts = [];
    this.buffered = 0;
    this.discard();
  }

  private discard(): void {
    this.state = 'aborted';
    if (this.tempPath === null) return;
    if (this.fd >= 0) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already unusable; removing the file below is what matters
      }
      this.fd = -1;
    }
    fs.rmSync(this.tempPath, { force: true });
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const bytes = Buffer.from(this.parts.length === 1 ? this.parts[0]! : this.parts.join(''), 'utf8');
    this.parts = [];
    this.buffered = 0;
    writeAll(this.fd, bytes, this.target);
  }
}

/** Keeps the text in memory (tests, and callers that want a string). */
export class StringOutput implements TraceOutput {
  private parts: string[] = [];
  closed = false;
  aborted = false;

  write(text: string): void {
    this.parts.push(text);
  }

  close(): void {
    this.closed = true;
  }

  abort(): void {
    this.aborted = true;
    this.parts = [];
  }

  text(): string {
    return this.parts.join('');
  }
}

/** writeSync may write less than asked (pipes), or refuse for now (a non-blocking stdout). */
function writeAll(fd: number, bytes: Buffer, target: string): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw new ConfigError(`cannot write the trace "${target}": ${reason(error)}`);
    }
  }
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EPIPE':
      return 'the reading end of the pipe was closed';
    default:
      return e.message ?? String(error);
  }
}
