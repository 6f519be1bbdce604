// What the table tools share (phase-table.mjs, latency-table.mjs): the commit they ran at,
// and writing a generated block between two markers of a document, atomically (a temporary
// file renamed over it), or printing it with --print.

import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The short hash of HEAD, or "unknown" outside a git checkout. */
export function commitOf(root) {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/** Prints `block` (with --print) or puts it in place of the block between `begin` and `end` of `docPath` (relative to root). */
export function writeBlock(root, docPath, begin, end, block) {
  if (process.argv.includes('--print')) {
    process.stdout.write(`${block}\n`);
    return;
  }
  const doc = join(root, docPath);
  const text = readFileSync(doc, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${docPath} has no ${begin} … ${end} block`);
  const tmp = `${doc}.tmp-${process.pid}`;
  writeFileSync(tmp, text.slice(0, a) + block + text.slice(b + end.length));
  renameSync(tmp, doc);
  process.stdout.write(`wrote ${docPath}\n`);
}
