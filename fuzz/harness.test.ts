// The fuzz harness itself (fuzz/classify.ts, fuzz/pool.ts, fuzz/generate.ts): that it sees each
// failure class, in a thread and in a child process, with a stand-in CLI that misbehaves on
// purpose (fuzz/fixtures/fake-cli.mjs), and that generation is deterministic. The property
// test over the real CLI is fuzz/fuzz.test.ts.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Outcome, classify, unlocated } from './classify';
import type { FuzzCase } from './case';
import { buildCase, corrupt, loadCorpus, samplePlans } from './generate';
import { Pool } from './pool';

const root = join(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'rpmsg-sim-fuzz-harness-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const facts = { argv: ['run', '/tmp/k9/s.yaml', '--trace', '/tmp/k9/t.jsonl'], inputs: ['/tmp/k9/s.yaml'], outputs: ['t.jsonl'], caseDir: '/tmp/k9' };
const outcome = (o: Partial<Outcome>): Outcome => ({ exit: 0, stdout: '', stderr: '', timedOut: false, after: [], before: [], tmpLeft: [], seconds: 0.1, ...o });

describe('classify', () => {
  test('a clean exit passes; exit 70 and undocumented codes are internal', () => {
    expect(classify(outcome({}), facts)).toEqual({ failures: [], details: [] });
    expect(classify(outcome({ exit: 70, stderr: 'rpmsg-sim: internal error: x\n' }), facts).details).toEqual(['internal: exit 70: rpmsg-sim: internal error: x']);
    expect(classify(outcome({ exit: 3 }), facts).failures).toEqual(['internal']);
    expect(classify(outcome({ exit: 74, stderr: '/tmp/k9/t.jsonl: no space left\n' }), facts).failures).toEqual([]);
  });

  test('a stack frame anywhere is a stack trace, whatever the exit code; prose with "at" is not', () => {
    expect(classify(outcome({ exit: 1, stderr: 'failed\n    at run (/x/bin/cli.ts:42:11)\n' }), facts).details).toEqual(['stack-trace: failed … at run (/x/bin/cli.ts:42:11)']);
    expect(classify(outcome({ exit: 1, stdout: '    at node:internal/fs/utils:356:3\n' }), facts).failures).toEqual(['stack-trace']);
    expect(classify(outcome({ exit: 1, stdout: '  ✗ latency p50: at most 2us, got 3us\n    at most 20us\n' }), facts).failures).toEqual([]);
  });

  test('temporaries, files in TMPDIR, strays and outputs on bad input are debris', () => {
    expect(classify(outcome({ exit: 1, before: ['s.yaml'], after: ['s.yaml', 't.jsonl.tmp-77'] }), facts).details).toEqual(['debris: temporary left: t.jsonl.tmp-77']);
    expect(classify(outcome({ exit: 1, tmpLeft: ['rpmsg-sim-module-x/'] }), facts).details).toEqual(['debris: left in TMPDIR: rpmsg-sim-module-x/']);
    expect(classify(outcome({ exit: 0, before: ['s.yaml'], after: ['s.yaml', 'stray.bin'] }), facts).details).toEqual(['debris: unexpected file: stray.bin']);
    expect(classify(outcome({ exit: 0, before: ['s.yaml'], after: ['s.yaml', 't.jsonl', 't.gtkw'] }), facts).failures).toEqual([]);
    expect(
      classify(outcome({ exit: 2, stderr: 'rpmsg-sim: error: --trace: bad\n', before: ['s.yaml'], after: ['s.yaml', 't.jsonl'] }), facts).details,
    ).toEqual(['debris: exit 2 but wrote t.jsonl']);
  });

  test("check's JUnit report, written on bad input too (the bad scenario is an error case in it), is no debris; another new file still is", () => {
    const check = { argv: ['check', '/tmp/k9/s.yaml', '--junit', '/tmp/k9/r.xml'], inputs: ['/tmp/k9/s.yaml'], outputs: ['r.xml'], reports: ['r.xml'], caseDir: '/tmp/k9' };
    const stderr = '/tmp/k9/s.yaml:1:1: missing required key "stop" in the scenario\nrpmsg-sim: error: the scenario has errors (see above)\n';
    expect(classify(outcome({ exit: 2, stderr, before: ['s.yaml'], after: ['r.xml', 's.yaml'] }), check).failures).toEqual([]);
    expect(classify(outcome({ exit: 2, stderr, before: ['s.yaml'], after: ['golden/', 'golden/s.jsonl', 'r.xml', 's.yaml'] }), { ...check, outputs: ['r.xml', 'golden/'] }).details).toEqual(['debris: exit 2 but wrote golden/s.jsonl']);
  });

  test('an exit-2 message must name a line and column of an input, or a command-line argument', () => {
    expect(unlocated('/tmp/k9/s.yaml:3:7: expected a size\n', facts)).toBeUndefined();
    expect(unlocated('rpmsg-sim: error: --trace: cannot tell the format\n', facts)).toBeUndefined();
    expect(unlocated('rpmsg-sim: error: Unknown argument: bogus\n', facts)).toBeUndefined();
    expect(unlocated('rpmsg-sim: error: Not enough arguments following: trace\n', facts)).toBeUndefined();
    expect(unlocated('rpmsg-sim: error: cannot write the trace "/tmp/k9/t.jsonl": its directory does not exist\n', facts)).toBeUndefined();
    expect(unlocated('rpmsg-sim: error: /tmp/k9/s.yaml: the file is empty\n', facts)).toBe('names @CASE@/s.yaml but no line:column in it');
    expect(unlocated('rpmsg-sim: error: line 1: empty file: expected the trace header\n', facts)).toBe('names no file, line, column or command-line argument');
    expect(unlocated('', facts)).toBe('exit 2 with nothing on stderr');
    // an input that is not on the command line (a module the scenario names)
    expect(unlocated('rpmsg-sim: error: /tmp/k9/m.ts: exports no function "x"\n', { ...facts, inputs: ['/tmp/k9/s.yaml', '/tmp/k9/m.ts'] })).toBe('names @CASE@/m.ts but no line:column in it');
  });

  test('an engine error reported as a failed run is one, unless a module of the case threw it', () => {
    const stderr = "rpmsg-sim: the simulation of s.yaml failed: Cannot read properties of null (reading 'x')\n";
    expect(classify(outcome({ exit: 1, stderr }), facts).failures).toEqual(['engine-error']);
    const withModule = { ...facts, inputs: ['/tmp/k9/s.yaml', '/tmp/k9/m.ts'] };
    expect(classify(outcome({ exit: 1, stderr: `rpmsg-sim: TypeError at /tmp/k9/m.ts:1:5: x is null\n` }), withModule).failures).toEqual([]);
  });

  test('hangs, memory, signals and crashes', () => {
    expect(classify(outcome({ exit: null, timedOut: true, seconds: 10 }), facts).details).toEqual(['hang: no exit after 10.0 s']);
    expect(classify(outcome({ exit: null, memoryExceeded: true }), facts).failures).toEqual(['memory']);
    expect(classify(outcome({ exit: null, signal: 'SIGTERM' }), facts).details).toEqual(['signal: died of SIGTERM instead of exiting (no handler)']);
    expect(classify(outcome({ exit: null, crash: 'main() threw: TypeError: x\n    at y (/a.js:1:1)' }), facts).details).toEqual(['crash: main() threw: TypeError: x']);
  });
});

describe('the pool, with a stand-in CLI', () => {
  const fixture = (name: string) => join(root, 'fuzz', 'fixtures', name);
  const pool = new Pool({ root, work, threads: 1, deadlineMs: 3000, memoryMb: 96, bundle: fixture('fake-cli.mjs'), launcher: fixture('fake-launcher.mjs') });
  afterAll(async () => {
    await pool.close();
    expect(process.cwd()).toBe(cwd);
    // every case folder gone, then the pool's own folder
    expect(existsSync(work)).toBe(false);
  });
  const cwd = process.cwd();
  const fake = (what: string, extra: Partial<FuzzCase> = {}): FuzzCase => ({ family: 'fake', files: [{ path: 's.yaml', text: 'x: 1\n' }], argv: [what, '@CASE@'], outputs: ['out.jsonl'], inputs: ['s.yaml'], ...extra });

  test.each([
    ['ok', []],
    ['internal', ['internal', 'stack-trace']],
    ['stack-on-1', ['stack-trace']],
    ['temporary', ['debris']],
    ['output-on-bad-input', ['debris']],
    ['unlocated', ['unlocated']],
    ['located', []],
    ['engine', ['engine-error']],
  ])('%s: the same verdict in a thread and in a child process', async (what, failures) => {
    const thread = await pool.runOne(fake(what), 0);
    const child = await pool.runOne(fake(what, { child: {} }), 1);
    expect([thread.mode, thread.verdict.failures]).toEqual(['thread', failures]);
    expect([child.mode, child.verdict.failures]).toEqual(['child', failures]);
  });

  test('a thread past its deadline is a hang, terminated and replaced; so is a child', async () => {
    const hung = await pool.runOne(fake('hang', { deadlineMs: 500 }), 2);
    expect(hung.verdict.failures).toEqual(['hang']);
    expect((await pool.runOne(fake('ok'), 3)).verdict.failures).toEqual([]);
    const child = await pool.runOne(fake('hang', { deadlineMs: 800, child: {} }), 4);
    expect([child.mode, child.verdict.failures]).toEqual(['child', ['hang']]);
  });

  test('what escapes main(), a polluted prototype and a heap past the cap', async () => {
    const thrown = await pool.runOne(fake('throw'), 5);
    expect(thrown.verdict.details).toEqual(['crash: main() threw: TypeError: escaped main']);
    // in a child, the same escape is Node's report of an unhandled rejection: a stack, exit 1
    expect((await pool.runOne(fake('throw', { child: {} }), 11)).verdict.failures).toEqual(['stack-trace', 'engine-error']);
    expect((await pool.runOne(fake('pollute'), 6)).verdict.details).toEqual(['polluted: Object.prototype gained fuzzFixture']);
    expect((await pool.runOne(fake('ok'), 7)).verdict.failures).toEqual([]);
    expect((await pool.runOne(fake('memory'), 8)).verdict.failures).toEqual(['memory']);
    expect((await pool.runOne(fake('memory', { child: {} }), 9)).verdict.failures).toEqual(['memory']);
  });

  test('a cross-check runs a thread case again as a child: a different pass/fail is a mode mismatch', async () => {
    const seen: string[][] = [];
    await pool.runAll([fake('ok'), fake('fd-2'), fake('internal')], (r) => seen[r.index] = r.verdict.failures, 1);
    expect(seen).toEqual([[], ['mode-mismatch'], ['internal', 'stack-trace']]);
  });

  test('a signal the CLI does not handle, and the case folder removed afterwards', async () => {
    const r = await pool.runOne(fake('signal', { child: { signal: { name: 'SIGTERM', afterMs: 300 } } }), 10);
    // sent once the temporary exists: the process dies of it and leaves the temporary
    expect(r.verdict.failures).toEqual(['signal', 'debris']);
    expect(r.outcome.signal).toBe('SIGTERM');
    // threads share the working folder: a file written to a relative path there is the case's
    const relative = await pool.runOne(fake('relative-temporary'), 12);
    expect(relative.verdict.details).toEqual(['debris: left behind: (working folder)/.tmp-1']);
    expect(process.cwd()).not.toBe(root);
    // every case so far made its folder (and a child's TMPDIR) under `work`: none is left, only
    // the pool's working folder (removed by close())
    expect(readdirSync(work)).toEqual(['cwd']);
  });
});

describe('generation', () => {
  const corpus = loadCorpus(root);

  test('the same seed gives the same plans and the same cases; another seed others', () => {
    const a = samplePlans(corpus, 5, 40);
    expect(samplePlans(corpus, 5, 40)).toEqual(a);
    expect(a.map((p) => buildCase(p, corpus))).toEqual(samplePlans(corpus, 5, 40).map((p) => buildCase(p, corpus)));
    expect(samplePlans(corpus, 6, 40)).not.toEqual(a);
  });

  test('every family comes up in a few hundred plans, and no argument holds a NUL (a shell cannot pass one)', () => {
    const built = samplePlans(corpus, 1, 400).map((p) => buildCase(p, corpus));
    expect([...new Set(built.map((c) => c.family.split(':')[0]))].sort()).toEqual(['alias', 'corrupt', 'golden', 'input', 'layout', 'module', 'mutate', 'options', 'outputs', 'pair', 'set', 'shmem', 'trace']);
    expect(built.filter((c) => c.argv.some((a) => a.includes('\u0000')))).toEqual([]);
  });

  test('text corruption: flips, inserts, truncation, CRLF, a byte-order mark', () => {
    const b = Buffer.from('a: 1\nb: 2\n');
    expect(corrupt(b, [{ op: 'flip', at: 0, bit: 0 }]).toString()).toBe('`: 1\nb: 2\n');
    expect(corrupt(b, [{ op: 'insert', at: 1, bytes: 0 }])).toEqual(Buffer.from('a\u0000: 1\nb: 2\n'));
    expect(corrupt(b, [{ op: 'truncate', at: 7 }]).toString()).toBe('a: 1\nb:');
    expect(corrupt(b, [{ op: 'crlf' }]).toString()).toBe('a: 1\r\nb: 2\r\n');
    expect([...corrupt(b, [{ op: 'bom' }]).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(corrupt(b, [{ op: 'swap-lines', a: 0, b: 1 }]).toString()).toBe('b: 2\na: 1\n');
  });
});
