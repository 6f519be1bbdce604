// Every command of README.md's "A tour of the command line" runs as written and exits with
// the code the README gives it: 0, or the N of an "(exit N" in the line's comment. The
// commands run as a user runs them (node bin/rpmsg-sim, the built bundle) in an empty
// folder that holds the repository's scenarios/ and examples/ (symbolic links), so the files
// they write (out.jsonl, shm.bin, report.xml, ...) land there and a later command can read
// them. Two run at a time; a command that names a file an earlier one wrote waits for every
// earlier one.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

interface TourCommand {
  /** The line as the README has it. */
  readonly line: string;
  /** The words after `npx rpmsg-sim`, quotes removed, globs not yet expanded. */
  readonly args: readonly string[];
  readonly exitCode: number;
}

/** Splits a shell line into words: single and double quotes, a `#` comment at a word's start. */
export function shellWords(line: string): { words: string[]; comment: string } {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      return { words, comment: line.slice(i + 1).trim() };
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return { words, comment: '' };
}

function tourCommands(): TourCommand[] {
  const section = readme.split(/^## A tour of the command line$/m)[1];
  if (section === undefined) throw new Error('README.md has no "## A tour of the command line"');
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(section);
  if (block === null) throw new Error('the tour has no ```sh block');
  return block[1]!
    .split('\n')
    .filter((line) => line.startsWith('npx rpmsg-sim '))
    .map((line) => {
      const { words, comment } = shellWords(line);
      const code = /\(exit (\d+)/.exec(comment);
      return { line, args: words.slice(2), exitCode: code === null ? 0 : Number(code[1]) };
    });
}

/** `scenarios/*.yaml` as the shell expands it (one `*`, in the last part of the path). */
function expandGlob(word: string, cwd: string): string[] {
  if (!word.includes('*')) return [word];
  const slash = word.lastIndexOf('/');
  const dir = slash < 0 ? '.' : word.slice(0, slash);
  const [head, tail] = word.slice(slash + 1).split('*') as [string, string];
  const names = readdirSync(join(cwd, dir))
    .filter((n) => n.startsWith(head) && n.endsWith(tail))
    .sort();
  return names.map((n) => (slash < 0 ? n : `${dir}/${n}`));
}

function runCli(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'rpmsg-sim'), ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const commands = tourCommands();
let dir = '';
const results = new Map<string, { code: number | null; stderr: string }>();

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'tools', 'build.mjs')], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'rpmsg-sim-tour-'));
  for (const name of ['scenarios', 'examples']) symlinkSync(join(root, name), join(dir, name), 'dir');
  const running: Promise<void>[] = [];
  const earlierWords = new Set<string>();
  for (const command of commands) {
    const args = command.args.flatMap((w) => expandGlob(w, dir));
    const readsEarlierOutput = args.some((w) => earlierWords.has(w) && !w.startsWith('scenarios/') && !w.startsWith('examples/') && !w.startsWith('-'));
    if (readsEarlierOutput || running.length >= 2) await Promise.all(readsEarlierOutput ? running : [running.shift()!]);
    if (readsEarlierOutput) running.length = 0;
    running.push(runCli(args, dir).then((r) => void results.set(command.line, r)));
    for (const w of args) earlierWords.add(w);
  }
  await Promise.all(running);
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

test('the tour has its commands', () => {
  expect(commands.length).toBeGreaterThanOrEqual(25);
  expect(commands.map((c) => c.args[0])).toEqual(expect.arrayContaining(['run', 'validate', 'platforms', 'diff', 'check', 'view', 'explain', 'layout', 'shmem']));
});

test('shellWords splits as a shell does', () => {
  expect(shellWords(`npx rpmsg-sim run a.yaml --fault '{kind: x, on: {n: 3}}' --set "b=#1"   # comment (exit 1)`)).toEqual({
    words: ['npx', 'rpmsg-sim', 'run', 'a.yaml', '--fault', '{kind: x, on: {n: 3}}', '--set', 'b=#1'],
    comment: 'comment (exit 1)',
  });
});

test.each(commands.map((c) => [c.line, c] as const))('%s', (_line, command) => {
  const result = results.get(command.line);
  expect(result).toBeDefined();
  expect({ code: result!.code, stderr: result!.code === command.exitCode ? '' : result!.stderr }).toEqual({ code: command.exitCode, stderr: '' });
});
