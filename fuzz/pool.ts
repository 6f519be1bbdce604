// Runs fuzz cases against the CLI bundle (dist/rpmsg-sim.mjs) and returns their outcomes.
//
// Two ways, measured on this machine (2 cores; bench `fuzz` prints its own figures):
//   in-process  main() of bin/cli.ts in a worker thread that imported the bundle once: a
//               validate case in a few milliseconds, where a child process costs 0.2-0.3 s of
//               Node start-up and bundle loading before the command even begins.
//   child       `node bin/rpmsg-sim …` in the case's folder: for what a thread cannot show —
//               a signal, stdout on a full disk or read as a pipe, `process.exit`, and a
//               firmware module (it runs in the CLI's process, may leave files in TMPDIR,
//               which a thread shares with every other thread of the harness).
// A case past its deadline is a hang: its thread is terminated (a new one takes its place) or
// its child killed. A thread has a heap cap and a child a resident-memory cap: growing past
// it is the `memory` failure rather than the machine's problem.

import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type FuzzCase, caseFolder, listTree, materialize, removeFolder, substitute } from './case';
import { type Outcome, type Verdict, classify } from './classify';

export interface PoolOptions {
  /** The project's root (bin/rpmsg-sim, dist/rpmsg-sim.mjs, fuzz/worker.mjs). */
  root: string;
  /** Where case folders are made (removed after each case). */
  work: string;
  /** Worker threads (and child processes) at once. */
  threads: number;
  /** A case's deadline unless it has its own. */
  deadlineMs: number;
  /** Heap cap of a thread and resident-memory cap of a child, MiB. */
  memoryMb?: number;
  /** Every case runs as a child process (to compare with in-process). */
  allChild?: boolean;
  /** The CLI bundle a thread imports (default dist/rpmsg-sim.mjs) and the script a child runs (default bin/rpmsg-sim): the harness's own tests give stand-ins. */
  bundle?: string;
  launcher?: string;
}

export interface CaseResult {
  index: number;
  case: FuzzCase;
  outcome: Outcome;
  verdict: Verdict;
  mode: 'thread' | 'child';
}

interface Reply {
  id: number;
  exit: number | null;
  stdout: string;
  stderr: string;
  crash?: string;
  polluted?: string;
}

class Thread {
  worker: Worker;
  ready: Promise<void>;
  private pending: ((r: Reply | { died: string }) => void) | null = null;

  constructor(bundle: string, script: string, memoryMb: number) {
    this.worker = new Worker(script, {
      workerData: { bundle },
      env: { ...process.env, FORCE_COLOR: '0' },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      stdout: false,
      stderr: false,
    });
    // a thread stuck in a system call (terminate() cannot stop it) must not keep the process alive
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', (m: { ready?: boolean }) => (m.ready === true ? resolve() : reject(new Error('worker: unexpected first message'))));
      this.worker.once('error', reject);
    });
    this.worker.on('message', (m: Reply) => {
      if ('id' in m) this.settle(m);
    });
    this.worker.on('error', (e: Error & { code?: string }) => this.settle({ died: `${e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out of memory' : 'thread died'}: ${e.stack ?? e.message}` }));
    this.worker.on('exit', (code) => this.settle({ died: `thread exited (process.exit(${code}) or terminated)` }));
  }

  private settle(r: Reply | { died: string }): void {
    const p = this.pending;
    this.pending = null;
    p?.(r);
  }

  run(id: number, argv: string[]): Promise<Reply | { died: string }> {
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage({ id, argv });
    });
  }
}

export class Pool {
  private threads: (Thread | null)[];
  private readonly bundle: string;
  private readonly launcher: string;
  private readonly script: string;
  private readonly memoryMb: number;

  constructor(private readonly options: PoolOptions) {
    this.bundle = options.bundle ?? join(options.root, 'dist', 'rpmsg-sim.mjs');
    this.launcher = options.launcher ?? join(options.root, 'bin', 'rpmsg-sim');
    this.script = join(options.root, 'fuzz', 'worker.mjs');
    this.memoryMb = options.memoryMb ?? 1024;
    this.threads = Array.from({ length: options.threads }, () => null);
    mkdirSync(options.work, { recursive: true });
    this.cwd = join(options.work, 'cwd');
  }

  /**
   * Threads share the process's working folder (a thread cannot change it): while the pool
   * runs, it is a folder of the pool's own, so that what a command writes to a relative path
   * (an empty file name's temporary, `.tmp-PID`) is seen and charged to the case.
   */
  private readonly cwd: string;
  private previousCwd: string | undefined;

  private enterCwd(): void {
    if (this.previousCwd !== undefined) return;
    mkdirSync(this.cwd, { recursive: true });
    this.previousCwd = process.cwd();
    process.chdir(this.cwd);
  }

  private async thread(slot: number): Promise<Thread> {
    let t = this.threads[slot];
    if (t === null || t === undefined) {
      t = new Thread(this.bundle, this.script, this.memoryMb);
      this.threads[slot] = t;
    }
    await t.ready;
    return t;
  }

  private drop(slot: number): void {
    const t = this.threads[slot];
    this.threads[slot] = null;
    if (t) void t.worker.terminate();
  }

  /**
   * Runs every case, `threads` at a time; `done` sees each result as it comes. With
   * `crossCheckEvery` n, every n-th case that ran in a thread runs again as a child process: a
   * thread cannot see everything a process does (a signal, process.exit, fd 1 itself), so the
   * two verdicts must agree on pass or fail (else the case gets `mode-mismatch`).
   */
  async runAll(cases: AsyncIterable<FuzzCase> | Iterable<FuzzCase>, done: (r: CaseResult) => void, crossCheckEvery = 0, stopped: () => boolean = () => false): Promise<void> {
    const iterator = (Symbol.asyncIterator in cases ? cases[Symbol.asyncIterator]() : (cases as Iterable<FuzzCase>)[Symbol.iterator]()) as AsyncIterator<FuzzCase> | Iterator<FuzzCase>;
    let index = 0;
    const lane = async (slot: number) => {
      for (;;) {
        if (stopped()) return;
        const next = await iterator.next();
        if (next.done === true) return;
        const i = index++;
        const r = await this.runOne(next.value, i, slot);
        if (crossCheckEvery > 0 && r.mode === 'thread' && i % crossCheckEvery === 0) {
          const again = await this.runOne(next.value, i, slot, true);
          if ((again.verdict.failures.length === 0) !== (r.verdict.failures.length === 0)) {
            r.verdict.failures.push('mode-mismatch');
            r.verdict.details.push(`mode-mismatch: in a thread ${r.verdict.failures.length === 1 ? 'passes' : r.verdict.failures.slice(0, -1).join(',')}, as a child process ${again.verdict.failures.length === 0 ? 'passes' : again.verdict.details.join('; ')}`);
          }
        }
        done(r);
      }
    };
    await Promise.all(this.threads.map((_, slot) => lane(slot)));
  }

  async runOne(c: FuzzCase, index: number, slot = 0, forceChild = false): Promise<CaseResult> {
    const dir = caseFolder(this.options.work, `case${index}`);
    const tmp = join(this.options.work, `tmp${index}-${slot}`);
    try {
      materialize(c, dir, this.options.root);
      // a module runs in the CLI's process; a FIFO or a device may block a read or an open, which
      // terminating a thread cannot interrupt (a child can be killed); an empty argument may make
      // a path relative to the working folder, which threads share (a child's is the case's)
      const child =
        forceChild ||
        c.child !== undefined ||
        this.options.allChild === true ||
        [...c.argv, ...(c.then ?? [])].includes('') ||
        c.files.some((f) => /\.[cm]?[jt]sx?$/.test(f.path) || 'fifo' in f || 'device' in f || 'symlink' in f);
      const first = await this.runLine(c, c.argv, index, slot, dir, tmp, child);
      if (c.then === undefined) return { index, case: c, ...first, mode: child ? 'child' : 'thread' };
      const second = await this.runLine(c, c.then, index, slot, dir, tmp, child);
      const verdict: Verdict = { failures: [...first.verdict.failures], details: [...first.verdict.details] };
      for (const [i, f] of second.verdict.failures.entries()) {
        if (!verdict.failures.includes(f)) {
          verdict.failures.push(f);
          verdict.details.push(`${second.verdict.details[i]} (second command)`);
        }
      }
      // what validate accepts, run must not refuse as bad input (issue 12, classes 4 and 7)
      if (first.outcome.exit === 0 && second.outcome.exit === 2) {
        verdict.failures.push('validate-gap');
        verdict.details.push(`validate-gap: validate exit 0, ${c.then[0]} exit 2: ${second.outcome.stderr.split('\n')[0]!.replaceAll(dir, '@CASE@').slice(0, 300)}`);
      }
      return { index, case: c, outcome: second.outcome, verdict, mode: child ? 'child' : 'thread' };
    } finally {
      removeFolder(dir);
      removeFolder(tmp);
    }
  }

  private async runLine(c: FuzzCase, line: readonly string[], index: number, slot: number, dir: string, tmp: string, child: boolean): Promise<{ outcome: Outcome; verdict: Verdict }> {
    const before = listTree(dir);
    const argv = line.map((a) => substitute(a, dir, this.options.root));
    const deadline = c.deadlineMs ?? this.options.deadlineMs;
    const started = process.hrtime.bigint();
    let partial: Omit<Outcome, 'after' | 'before' | 'tmpLeft' | 'seconds'>;
    if (child) {
      mkdirSync(tmp, { recursive: true });
      partial = await this.runChild(c, argv, dir, tmp, deadline);
    } else {
      partial = await this.runThread(slot, index, argv, deadline);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const outcome: Outcome = { ...partial, before, after: listTree(dir), tmpLeft: child ? listTree(tmp) : this.takeCwdLeftovers(), seconds };
    // an input that is missing (or is no regular file) has no lines to name: naming it is enough
    const inputs = c.inputs.map((p) => join(dir, p)).filter((p) => isRegularFile(p));
    const verdict = classify(outcome, { argv, inputs, outputs: c.outputs, ...(c.reports !== undefined && { reports: c.reports }), caseDir: dir });
    return { outcome, verdict };
  }

  /** What is in the working folder (see enterCwd), removed once seen. */
  private takeCwdLeftovers(): string[] {
    const names = readdirSync(this.cwd);
    // (the folder itself stays: it is the process's working folder)
    for (const name of names) removeFolder(join(this.cwd, name));
    return names.sort().map((name) => `(working folder)/${name}`);
  }

  private async runThread(slot: number, index: number, argv: string[], deadlineMs: number): Promise<Omit<Outcome, 'after' | 'before' | 'tmpLeft' | 'seconds'>> {
    this.enterCwd();
    const t = await this.thread(slot);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), deadlineMs);
    });
    const reply = await Promise.race([t.run(index, argv), timeout]);
    clearTimeout(timer);
    if (reply === 'timeout') {
      this.drop(slot);
      return { exit: null, stdout: '', stderr: '', timedOut: true };
    }
    if ('died' in reply) {
      this.drop(slot);
      const oom = reply.died.startsWith('out of memory');
      return { exit: null, stdout: '', stderr: '', timedOut: false, ...(oom ? { memoryExceeded: true } : { crash: reply.died }) };
    }
    if (reply.polluted !== undefined || reply.crash !== undefined) this.drop(slot);
    return {
      exit: reply.exit,
      stdout: reply.stdout,
      stderr: reply.stderr,
      timedOut: false,
      ...(reply.crash !== undefined && { crash: reply.crash }),
      ...(reply.polluted !== undefined && { polluted: reply.polluted }),
    };
  }

  private runChild(c: FuzzCase, argv: string[], dir: string, tmp: string, deadlineMs: number): Promise<Omit<Outcome, 'after' | 'before' | 'tmpLeft' | 'seconds'>> {
    return new Promise((resolve) => {
      const full = c.child?.stdout === 'full' ? openSync('/dev/full', 'w') : undefined;
      const proc: ChildProcess = spawn(process.execPath, [this.launcher, ...argv], {
        cwd: dir,
        env: { ...process.env, FORCE_COLOR: '0', TMPDIR: tmp },
        stdio: ['ignore', full ?? 'pipe', 'pipe'],
      });
      if (full !== undefined) closeSync(full);
      track(proc);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      proc.stdout?.on('data', (b: Buffer) => stdout.push(b));
      proc.stderr?.on('data', (b: Buffer) => stderr.push(b));
      let timedOut = false;
      let memoryExceeded = false;
      const capKb = this.memoryMb * 1024 * 1.5;
      const kill = setTimeout(() => {
        timedOut = true;
        proc.kill('SIGKILL');
      }, deadlineMs);
      const watch = setInterval(() => {
        const rss = residentKb(proc.pid);
        if (rss !== undefined && rss > capKb) {
          memoryExceeded = true;
          proc.kill('SIGKILL');
        }
      }, 100);
      // The signal goes once the run is writing (a temporary output exists in the folder), at
      // least afterMs after the start and at the latest SIGNAL_LATEST_MS: mid-run, where the
      // CLI must remove its temporaries; a process killed while Node starts has none.
      const signal = c.child?.signal;
      const started = Date.now();
      const signalTimer =
        signal === undefined
          ? undefined
          : setInterval(() => {
              const elapsed = Date.now() - started;
              if (elapsed < signal.afterMs) return;
              if (elapsed < SIGNAL_LATEST_MS && !listTree(dir).some((p) => /\.tmp/.test(p))) return;
              clearInterval(signalTimer);
              proc.kill(signal.name);
            }, 20);
      proc.on('close', (code, sig) => {
        clearTimeout(kill);
        clearInterval(watch);
        if (signalTimer !== undefined) clearInterval(signalTimer);
        const killedByUs = timedOut || memoryExceeded;
        resolve({
          exit: killedByUs ? null : code,
          signal: sig,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          timedOut,
          ...(memoryExceeded && { memoryExceeded }),
        });
      });
    });
  }

  async close(): Promise<void> {
    const stopping = this.threads.map((t) => t?.worker.terminate());
    this.threads = this.threads.map(() => null);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(stopping), new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
    clearTimeout(timer);
    if (this.previousCwd !== undefined) {
      process.chdir(this.previousCwd);
      this.previousCwd = undefined;
      removeFolder(this.cwd);
    }
    // the pool's own folder (its cases' folders are gone by now): nothing of a run stays in TMPDIR
    removeFolder(this.options.work);
  }
}

/** A case's signal goes at the latest this long after its start (see runChild). */
const SIGNAL_LATEST_MS = 3000;

/** Children still running: killed when the harness's process exits (else an orphan flood runs on). */
const liveChildren = new Set<ChildProcess>();
let exitHook = false;

function track(proc: ChildProcess): void {
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of liveChildren) p.kill('SIGKILL');
    });
  }
  liveChildren.add(proc);
  proc.once('close', () => liveChildren.delete(proc));
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

function residentKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}
