// Where a writer's bytes go. Every output is an OutputBuffer, one reused block of memory
// that writers format records into directly (the JSON Lines writer puts ASCII bytes in it
// without building a string) or append text to; when it is full it is drained to the
// destination and reused, so memory stays flat and no record costs an allocation.
//
// FileOutput streams to disk as the run goes (each full buffer is one fs.writeSync) and
// never leaves a half-written file behind (docs/design.md "Errors", docs/reliability.md "Output
// files"): it writes `<file>.tmp-<pid>` in the target's directory (created exclusively, so
// never through a link someone put there) and renames it over the target on close(), an
// atomic step on one file system; abort() and every failure remove the temporary file, and
// sim/trace/temporaries.ts removes what is left when the process exits or is stopped by a
// signal. It does not fsync: the rename already gives "a failed run leaves the old target or
// nothing", which is the promise; surviving a power cut is not (docs/traces.md "Streaming
// and atomic files").
// Only a regular file is ever replaced: a directory, a device (/dev/null), a FIFO or a socket
// at the target is refused before the run and again just before the rename. A symbolic link
// is followed to the file it leads to, which is replaced in its own folder (the link stays).
// An old target is unlinked just before the rename rather than renamed over: ext4 (its
// default auto_da_alloc) takes a rename over an existing file as "replace" and writes the new
// file's data out before the rename returns, which measured 0.1 to 0.6 s at the end of a
// 245 MB trace (the 50,000-message flood), 15 % of its run in one profile. Between the
// unlink and the rename there is no target at all, which the promise allows.
// Failures are classified by whose fault they are: a path that cannot be written is a
// ConfigError (the user's input), a disk that fails while writing (ENOSPC, EDQUOT, EIO,
// EFBIG) an OutputIOError.
// "-" is standard output, streamed as is (a pipe cannot be taken back, so there is no
// atomicity there).

import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, SimError } from '../kernel';
import { STORE_SLACK } from './ascii';
import { BackgroundWriteError, BackgroundWriter } from './background-write';
import { addTemporary, dropTemporary } from './temporaries';
import type { TraceRecord, TraceSink } from './trace';

/** Bytes collected before one write system call (256 KiB: few calls, little memory). */
export const DEFAULT_CHUNK = 256 * 1024;

/** Writing to an output that was already closed or aborted: a bug in the caller. */
export class TraceOutputClosedError extends SimError {
  override name = 'TraceOutputClosedError';
}

/**
 * The reused block a writer formats into. A writer asks room(n) for the most bytes it may
 * put next, then writes them at `bytes[pos]`, `bytes[pos + 1]`, … (or through `view`) and
 * advances `pos`; only bytes before `pos` are ever drained, so a piece may be formatted in
 * several steps. room() drains the block when the piece would not fit, and grows it for a
 * piece larger than the whole block. Past the room asked for there are always STORE_SLACK
 * more bytes, for the tails of word stores (sim/trace/ascii.ts).
 */
export class OutputBuffer {
  bytes: Buffer;
  /** The same bytes, for 16- and 32-bit stores. */
  view: DataView;
  pos = 0;
  /** room() keeps pos + n at most this (the block's length less the slack). */
  private limit: number;
  private closedAs: string | null = null;

  constructor(
    chunkBytes: number,
    /** Takes `bytes[0 .. length)`; the block is reused afterwards. */
    private readonly drain: (bytes: Buffer, length: number) => void,
  ) {
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes < 1) throw new ConfigError(`trace output chunk: expected a whole number of bytes >= 1, got ${chunkBytes}`);
    this.limit = chunkBytes;
    this.bytes = Buffer.allocUnsafe(chunkBytes + STORE_SLACK);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** Makes sure `n` more bytes fit at `pos` (draining what is there first if they do not). */
  room(n: number): void {
    if (this.pos + n > this.limit) this.makeRoom(n);
  }

  /** Appends text as UTF-8. */
  write(text: string): void {
    const n = text.length;
    if (this.pos + 3 * n > this.limit) {
      // (UTF-8 takes at most 3 bytes per UTF-16 unit: only near the end is the exact count needed)
      this.room(Buffer.byteLength(text));
      this.pos += this.bytes.write(text, this.pos);
      return;
    }
    if (n > 64) {
      this.pos += this.bytes.write(text, this.pos);
      return;
    }
    // short text: a loop beats the call into the encoder while it is ASCII
    const u = this.bytes;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        this.pos += u.write(text, this.pos);
        return;
      }
      u[p++] = c;
    }
    this.pos = p;
  }

  /** Drains what is buffered. */
  flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    this.pos = 0;
    this.drain(this.bytes, n);
  }

  /** No more bytes: a later room() or write() is a TraceOutputClosedError naming `what`. */
  close(what: string): void {
    this.pos = 0;
    this.closedAs = what;
    this.limit = 0;
  }

  private makeRoom(n: number): void {
    if (this.closedAs !== null) throw new TraceOutputClosedError(this.closedAs);
    this.flush();
    if (n > this.limit) {
      this.limit = n;
      this.bytes = Buffer.allocUnsafe(n + STORE_SLACK);
      this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    }
  }
}

/** Bytes of a writer and where they end up. */
export interface TraceOutput {
  /** The block the writer formats into. */
  readonly buffer: OutputBuffer;
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

export interface OutputOptions {
  /** Size of the reused block, the bytes of one write system call (default DEFAULT_CHUNK). */
  chunkBytes?: number;
  /** What the file is, in error messages ("cannot write the trace …"): default "the trace". */
  what?: string;
  /**
   * Bytes after which a file's writes move to a worker thread (sim/trace/background-write.ts);
   * 0: from the first block; false: never. Default BACKGROUND_AFTER. Standard output is
   * always written by the run's own thread.
   */
  backgroundAfter?: number | false;
  /** The system calls on the file (default node:fs): tests put a full disk here. */
  fs?: OutputFs;
}

/** The system calls a FileOutput makes on its file descriptor (a seam: tests inject ENOSPC, EACCES, …). */
export interface OutputFs {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  closeSync(fd: number): void;
}

/**
 * The disk failed while a file was written (no space left, a quota, an input/output error):
 * not the user's input and not a bug (the CLI's exit code 74, EX_IOERR of sysexits.h).
 */
export class OutputIOError extends SimError {
  override name = 'OutputIOError';
}

/** Standard output's reader went away (`run … --trace - | head`): the CLI ends quietly, as `head`'s writers do. */
export class StdoutClosedError extends SimError {
  override name = 'StdoutClosedError';
}

/** The error codes of a disk that failed while writing (OutputIOError); any other is a path that cannot be written (ConfigError). */
const IO_FAILURES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG']);

/**
 * The error for a failed system call on an output, by whose fault it is: an OutputIOError
 * (the disk), a StdoutClosedError (EPIPE), else a ConfigError (the path); its message is
 * `cannot` ("cannot write the trace "x"") and the cause in words.
 */
export function outputFailure(cannot: string, error: unknown): SimError {
  const code = (error as NodeJS.ErrnoException).code;
  const text = `${cannot}: ${reason(error)}`;
  if (code === 'EPIPE') return new StdoutClosedError(text);
  if (code !== undefined && IO_FAILURES.has(code)) return new OutputIOError(text);
  return new ConfigError(text);
}

/**
 * A file's first 256 MiB are written by the run's own thread: below that the page cache takes
 * the writes cheaply (docs/traces.md), and a worker's start (80 to 130 ms here until it runs,
 * measured with a worker that only signals back) would cost more than it saves.
 */
export const BACKGROUND_AFTER = 256 * 1024 * 1024;

/** Symbolic links followed from a target at most (Linux's own limit, MAXSYMLINKS in fs/namei.c, is 40). */
const MAX_LINKS = 40;

/** Names tried for the temporary file when `<file>.tmp-<pid>` is taken (a leftover of an earlier process with the same id). */
const TEMP_NAMES = 10;

/** "a directory", "a character device", …: what a file that is not a regular one is. */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(cannot: string, st: fs.Stats, via: string | null): ConfigError {
  const link = via === null ? '' : `is a symbolic link to "${via}", which `;
  return new ConfigError(`${cannot}: it ${link}is ${kindOf(st)}, not a regular file (rpmsg-sim replaces only regular files)`);
}

/**
 * Where the bytes meant for `target` go: the target itself, or for a symbolic link the file
 * it leads to (followed, so that the link goes on pointing at the new file, as a shell's `>`
 * writes through it). Refused, as a ConfigError naming `target`: anything there that is not a
 * regular file (a directory, a device such as /dev/null, a FIFO, a socket), a path through a
 * regular file, a loop of links, a new file in a folder that does not exist or that this
 * process may not write. `what` names the file as in OutputOptions.what. (Commands call it
 * before a run for the files they write after it.)
 */
export function outputPath(target: string, what = 'the trace'): string {
  const cannot = `cannot write ${what} "${target}"`;
  if (target === '') throw new ConfigError(`${cannot}: no file name given`);
  // `out/`, `.`, `..`: a folder's name, whatever is there now (a missing `out/` is no file to create either)
  if (/(^|\/)\.{0,2}$/.test(target)) throw new ConfigError(`${cannot}: the name ends in a folder, not a file name`);
  let path = target;
  for (let links = 0; ; links++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw outputFailure(cannot, error);
      // a new file: its folder must exist and take it
      try {
        fs.accessSync(dirname(path), fs.constants.W_OK);
      } catch (folder) {
        throw outputFailure(cannot, folder);
      }
      return path;
    }
    if (st.isFile()) return path;
    if (!st.isSymbolicLink()) throw notRegular(cannot, st, path === target ? null : path);
    if (links === MAX_LINKS) throw new ConfigError(`${cannot}: more than ${MAX_LINKS} symbolic links in a row (a loop?)`);
    path = resolve(dirname(path), fs.readlinkSync(path));
  }
}

export class FileOutput implements TraceOutput {
  /** The path written while the run goes (null for stdout). */
  readonly tempPath: string | null;
  /** The file the temporary file becomes: the target, or the file a symbolic link at the target leads to. */
  readonly path: string;
  readonly buffer: OutputBuffer;
  private fd: number;
  private state: 'open' | 'finished' | 'closed' | 'aborted' = 'open';
  /** The worker writing the blocks, once BACKGROUND_AFTER bytes are written (null before, and for stdout). */
  private background: BackgroundWriter | null = null;
  /** Bytes written by this thread; the worker takes over past `backgroundAfter`. */
  private written = 0;
  private readonly backgroundAfter: number | false;
  /** "cannot write the trace "<target>"", or of what options.what names. */
  private readonly cannot: string;
  private readonly fs: OutputFs;

  constructor(
    /** The file to produce, or "-" for standard output. */
    readonly target: string,
    options: OutputOptions = {},
  ) {
    const chunk = options.chunkBytes ?? DEFAULT_CHUNK;
    const what = options.what ?? 'the trace';
    this.cannot = target === STDOUT ? `cannot write ${what} to standard output` : `cannot write ${what} "${target}"`;
    this.fs = options.fs ?? fs;
    this.backgroundAfter = target === STDOUT ? false : (options.backgroundAfter ?? BACKGROUND_AFTER);
    this.buffer = new OutputBuffer(chunk, (bytes, length) => this.drain(bytes, length, chunk));
    if (target === STDOUT) {
      this.tempPath = null;
      this.path = STDOUT;
      this.fd = 1;
      return;
    }
    this.path = outputPath(target, what);
    const opened = this.openTemporary();
    this.tempPath = opened.path;
    this.fd = opened.fd;
    addTemporary(this.tempPath, target);
  }

  /**
   * Creates `<file>.tmp-<pid>` beside the file, exclusively (O_EXCL: never through a link or
   * a file someone else put there); a name already taken gets `-1`, `-2`, … after it.
   */
  private openTemporary(): { path: string; fd: number } {
    const base = `${this.path}.tmp-${process.pid}`;
    for (let i = 0; ; i++) {
      const path = i === 0 ? base : `${base}-${i}`;
      try {
        return { path, fd: this.fs.openSync(path, 'wx') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || i === TEMP_NAMES - 1) throw outputFailure(this.cannot, error);
      }
    }
  }

  write(text: string): void {
    if (this.state !== 'open') throw new TraceOutputClosedError(`trace output "${this.target}" is ${this.closedWord()}`);
    this.buffer.write(text);
  }

  /** Appends bytes as they are. */
  writeBytes(bytes: Uint8Array): void {
    if (this.state !== 'open') throw new TraceOutputClosedError(`trace output "${this.target}" is ${this.closedWord()}`);
    this.buffer.room(bytes.length);
    this.buffer.bytes.set(bytes, this.buffer.pos);
    this.buffer.pos += bytes.length;
  }

  /** The worker thread writing the blocks, once it has taken over (null before; tests stop it from outside). */
  get backgroundWriter(): BackgroundWriter | null {
    return this.background;
  }

  private drain(bytes: Buffer, length: number, chunk: number): void {
    if (this.background === null && this.backgroundAfter !== false && this.written >= this.backgroundAfter) {
      try {
        this.background = new BackgroundWriter(this.fd, chunk);
      } catch (error) {
        throw new OutputIOError(`${this.cannot}: its writer thread did not start (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    if (this.background === null) {
      this.writeAll(bytes, length);
      this.written += length;
      return;
    }
    try {
      this.background.write(bytes, length);
    } catch (error) {
      throw this.writeFailed(error);
    }
  }

  /** writeSync may write less than asked (pipes), or refuse for now (a non-blocking stdout). */
  private writeAll(bytes: Buffer, length: number): void {
    let offset = 0;
    while (offset < length) {
      try {
        offset += this.fs.writeSync(this.fd, bytes, offset, length - offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw outputFailure(this.cannot, error);
      }
    }
  }

  private writeFailed(error: unknown): unknown {
    if (!(error instanceof BackgroundWriteError)) return error;
    // (a worker that stopped or hung is the system's failure too, not the user's input)
    return error.code === undefined ? new OutputIOError(`${this.cannot}: ${error.message}`) : outputFailure(this.cannot, error);
  }

  close(): void {
    // (after finish() alone, close() publishes what it finished)
    this.finish();
    this.publish();
  }

  /**
   * The first half of close(): flushes and closes the temporary file, which is not yet at
   * the target (closeTogether publishes several files only once all are finished). A
   * failure discards it and throws.
   */
  finish(): void {
    if (this.state !== 'open') return;
    try {
      this.buffer.flush();
      if (this.tempPath === null) return;
      try {
        this.background?.finish();
      } catch (error) {
        throw this.writeFailed(error);
      }
      const fd = this.fd;
      this.fd = -1;
      this.fs.closeSync(fd);
    } catch (error) {
      this.discard();
      throw error instanceof SimError ? error : outputFailure(this.cannot, error);
    } finally {
      if (this.state === 'open') this.state = 'finished';
      this.buffer.close(`trace output "${this.target}" is ${this.closedWord()}`);
    }
  }

  /**
   * The second half of close(): the finished temporary file becomes the file (a failure
   * discards it and throws). What is at the file's path is looked at again first: it may
   * have changed during the run, and only a regular file is replaced.
   */
  publish(): void {
    if (this.state !== 'finished') return;
    try {
      if (this.tempPath === null) return;
      this.removeOld();
      fs.renameSync(this.tempPath, this.path);
      dropTemporary(this.tempPath);
    } catch (error) {
      this.discard();
      throw error instanceof SimError ? error : outputFailure(this.cannot, error);
    } finally {
      if (this.state === 'finished') this.state = 'closed';
    }
  }

  /** Unlinks an old regular file at the path (see the header); refuses anything else that is there. */
  private removeOld(): void {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (!st.isFile()) throw notRegular(this.cannot, st, this.path === this.target ? null : this.path);
    fs.unlinkSync(this.path);
  }

  /** Removes the file this output published (closeTogether's undo when a later file fails). */
  unpublish(): void {
    if (this.state !== 'closed' || this.tempPath === null) return;
    fs.rmSync(this.path, { force: true });
    this.state = 'aborted';
  }

  abort(): void {
    if (this.state !== 'open' && this.state !== 'finished') return;
    this.discard();
  }

  /** What a writer is told once the output takes no more bytes. */
  private closedWord(): 'aborted' | 'closed' {
    return this.state === 'aborted' ? 'aborted' : 'closed';
  }

  private discard(): void {
    this.state = 'aborted';
    this.buffer.close(`trace output "${this.target}" is aborted`);
    if (this.tempPath === null) return;
    // Nothing may be written after the file is removed: the worker stops first.
    this.background?.abort();
    if (this.fd >= 0) {
      try {
        this.fs.closeSync(this.fd);
      } catch {
        // already unusable; removing the file below is what matters
      }
      this.fd = -1;
    }
    fs.rmSync(this.tempPath, { force: true });
    dropTemporary(this.tempPath);
  }
}

/**
 * Closes several outputs as one (a VCD and its GTKWave save file): every file is finished
 * first, then each is published; if any step fails, none of the targets is left (those
 * already published are removed again) and the error is thrown. Outputs that are not
 * files are closed once the files are published.
 */
export function closeTogether(outputs: readonly TraceOutput[]): void {
  const files = outputs.filter((o): o is FileOutput => o instanceof FileOutput);
  const others = outputs.filter((o) => !(o instanceof FileOutput));
  try {
    for (const f of files) f.finish();
  } catch (error) {
    for (const o of outputs) o.abort();
    throw error;
  }
  const published: FileOutput[] = [];
  for (const f of files) {
    try {
      f.publish();
      published.push(f);
    } catch (error) {
      for (const p of published) p.unpublish();
      for (const o of outputs) o.abort();
      throw error;
    }
  }
  for (const o of others) o.close();
}

/** Keeps the bytes in memory (tests, and callers that want a string). */
export class StringOutput implements TraceOutput {
  readonly buffer: OutputBuffer;
  private parts: Buffer[] = [];
  closed = false;
  aborted = false;

  constructor(options: OutputOptions = {}) {
    this.buffer = new OutputBuffer(options.chunkBytes ?? 16 * 1024, (bytes, length) => this.parts.push(Buffer.from(bytes.subarray(0, length))));
  }

  write(text: string): void {
    this.buffer.write(text);
  }

  close(): void {
    this.buffer.flush();
    this.closed = true;
  }

  abort(): void {
    this.aborted = true;
    this.buffer.pos = 0;
    this.parts = [];
  }

  /** Everything written so far (UTF-8 decoded). */
  text(): string {
    this.buffer.flush();
    return Buffer.concat(this.parts).toString('utf8');
  }
}

/**
 * Writes `data` to `file` whole or not at all (a FileOutput: a temporary file renamed into
 * place); a failure is a ConfigError "cannot write <what> "<file>": <reason>" (an
 * OutputIOError when the disk failed).
 */
export function writeFileWhole(file: string, data: string | Uint8Array, what: string, options: Pick<OutputOptions, 'fs'> = {}): void {
  const out = new FileOutput(file, { ...options, what });
  try {
    if (typeof data === 'string') out.write(data);
    else out.writeBytes(data);
  } catch (error) {
    out.abort();
    throw error;
  }
  out.close();
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'its directory does not exist';
    case 'ENOTDIR':
      return 'a part of its path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EISDIR':
      return 'it is a directory';
    case 'EEXIST':
      return 'a file of that name is in the way';
    case 'ENAMETOOLONG':
      return 'its name is too long';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    case 'EFBIG':
      return 'the file is larger than the system allows';
    case 'EIO':
      return 'an input/output error on the device';
    case 'EPIPE':
      return 'the reading end of the pipe was closed';
    default:
      return e.message ?? String(error);
  }
}
