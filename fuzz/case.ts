// One fuzz case: the files it needs in a folder of its own and the command line to run there.
// A case is plain data (JSON), so that the first reproducer of each failure class can be
// written to disk and replayed (`npm run bench -- fuzz --replay FILE`).
//
// Paths in a case are relative to its folder; in the command line, @CASE@ stands for the
// folder (absolute: in-process runs share the process's working directory, and a worker
// thread cannot change it) and @ROOT@ for the project's root.

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';

export type CaseEntry =
  | { path: string; text: string }
  /** Bytes that are not valid UTF-8 (invalid sequences, NUL). */
  | { path: string; base64: string }
  | { path: string; dir: true }
  | { path: string; fifo: true }
  /** A character device node (mknod; root only): 1,3 is null, 1,5 zero, 1,7 full. */
  | { path: string; device: [number, number] }
  | { path: string; symlink: string };

export interface FuzzCase {
  /** The generator that made it (alias-bomb, mutate, set, options, module, golden, …). */
  family: string;
  files: CaseEntry[];
  /** The CLI's arguments (after the script name), with @CASE@ and @ROOT@. */
  argv: string[];
  /** Files the command may write (relative): each may exist afterwards, with names that start with it (x-end.bin, x.gtkw). */
  outputs: string[];
  /** Outputs among those written on bad input (exit 2) too: check's JUnit report, where a scenario with errors is an error case. */
  reports?: string[];
  /** Input files whose text has lines (relative): an exit-2 message about one of them must name a line and column. */
  inputs: string[];
  /** Run as a child process (stdout/stderr to a device, a signal, `-` as an output). */
  child?: { stdout?: 'pipe' | 'full'; signal?: { name: 'SIGINT' | 'SIGTERM'; afterMs: number } };
  /** A second command line, run in the same folder after the first (validate, then run). */
  then?: string[];
  /** A deadline of its own (a module that loops without yielding waits for the CLI's wall-time watchdog). */
  deadlineMs?: number;
}

export function substitute(arg: string, caseDir: string, root: string): string {
  return arg.replaceAll('@CASE@', caseDir).replaceAll('@ROOT@', root);
}

let mknodWorks: boolean | undefined;

/** Writes the case's files into `dir` (which exists and is empty). */
export function materialize(c: FuzzCase, dir: string, root: string): void {
  for (const e of c.files) {
    const p = join(dir, e.path);
    mkdirSync(dirname(p), { recursive: true });
    if ('text' in e) writeFileSync(p, substitute(e.text, dir, root));
    else if ('base64' in e) writeFileSync(p, Buffer.from(e.base64, 'base64'));
    else if ('dir' in e) mkdirSync(p, { recursive: true });
    else if ('fifo' in e) execFileSync('mkfifo', [p]);
    else if ('symlink' in e) symlinkSync(substitute(e.symlink, dir, root), p);
    else {
      if (mknodWorks !== false) {
        try {
          execFileSync('mknod', [p, 'c', String(e.device[0]), String(e.device[1])], { stdio: 'ignore' });
          mknodWorks = true;
          continue;
        } catch {
          mknodWorks = false;
        }
      }
      // Not root: a FIFO is the nearest thing that is not a regular file.
      execFileSync('mkfifo', [p]);
    }
  }
}

/** Every path under `dir`, relative, folders included (with a trailing /). */
export function listTree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(join(dir, prefix)).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    let st;
    try {
      st = lstatSync(join(dir, rel));
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      out.push(`${rel}/`);
      out.push(...listTree(dir, rel));
    } else out.push(rel);
  }
  return out;
}

/** A fresh folder for one case under `parent`. */
export function caseFolder(parent: string, label: string): string {
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${label}-`));
}

/** Removes a case folder, whatever the case left in it (read-only folders included). */
export function removeFolder(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    for (const p of listTree(dir)) {
      try {
        if (p.endsWith('/')) chmodSync(join(dir, p), 0o755);
      } catch {
        // best effort
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
