// Generators of fuzz cases (fast-check): structure-aware scenario files made from the shipped
// ones, and command lines around them.
//
// fast-check draws a plan (plain numbers and choices); build functions here turn a plan into a
// FuzzCase deterministically, reading the shipped files. So the same seed gives the same cases,
// and a case is only built when it is about to run (a few thousand plans are cheap; a few
// thousand 30 KB goldens in memory are not).
//
// Families (the weights are in `caseArbitrary`):
//   mutate    a shipped scenario with keys and values changed: extreme but valid values (0, 1,
//             2^31, 2^32, 2^53, negative, fractional, huge strings, unit suffixes), wrong types,
//             keys added and removed, anchors and aliases (recursion included), values wrapped
//   corrupt   the same, then its bytes damaged: bit flips, truncation, NUL, invalid UTF-8,
//             CRLF, tabs, a byte-order mark, lines duplicated or swapped
//   alias     alias bombs (levels of lists of aliases to the level before) and self-references
//   set       `--set` paths and values: real paths and broken ones, YAML syntax in values,
//             aliases, the argument's own forms (--set=…, --set.x=1, no value)
//   options   repeated options, options without values, unknown ones
//   outputs   output paths: a missing folder, a file as a folder, a folder, a FIFO, a device,
//             names too long; stdout on a full disk; SIGINT/SIGTERM mid-run (child processes)
//   module    firmware modules that throw at import, throw non-Errors, loop, export wrong things
//   golden    `check` with corrupted golden files
//   trace     `diff` with corrupted traces
//   layout    `layout` and `shmem` with extreme rpmsg-lite options and random images
//   pair      `validate` then `run` on the same file: what validate accepts, run must run

import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { type Document, type Node, type Scalar, type YAMLMap, isAlias, isCollection, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { parseDuration } from '../scenario-engine/units';
import type { CaseEntry, FuzzCase } from './case';

// ---- the shipped files --------------------------------------------------------------------

export interface Seed {
  /** Relative to the root, e.g. scenarios/ping-pong.yaml. */
  path: string;
  text: string;
}

export interface Corpus {
  scenarios: Seed[];
  /** Scenarios with small golden files (check and diff cases), and their goldens' texts. */
  goldens: { scenario: Seed; name: string; trace: string; summary: string }[];
  /** Every mapping key seen in the scenarios (for keys added in the right places). */
  keys: string[];
}

const SCENARIO_FOLDERS = ['scenarios', 'scenarios/lessons', 'bench'];

/** Scenarios whose goldens are small (< 40 KB), for check and diff cases. */
const GOLDEN_SEEDS = ['scenarios/master-init.yaml', 'scenarios/oversize-send.yaml', 'scenarios/late-remote.yaml', 'scenarios/stale-dcache.yaml', 'scenarios/lessons/one-message.yaml', 'scenarios/flood-no-mem.yaml'];

export function loadCorpus(root: string): Corpus {
  const scenarios: Seed[] = [];
  for (const folder of SCENARIO_FOLDERS) {
    for (const name of readdirSync(join(root, folder)).sort()) {
      if (!name.endsWith('.yaml')) continue;
      const path = `${folder}/${name}`;
      // a module path is relative to the scenario's folder: point it at the shipped module
      const text = readFileSync(join(root, path), 'utf8').replace(/^(\s*module:\s*)\.\/(\S+)/gm, `$1@ROOT@/${folder}/$2`);
      scenarios.push({ path, text });
    }
  }
  const keys = new Set<string>();
  for (const s of scenarios) collectKeys(parseDocument(s.text).contents, keys);
  const goldens = GOLDEN_SEEDS.map((path) => {
    const scenario = scenarios.find((s) => s.path === path)!;
    const name = basename(path, '.yaml');
    const dir = join(root, path, '..', 'golden');
    return { scenario, name, trace: readFileSync(join(dir, `${name}.jsonl`), 'utf8'), summary: readFileSync(join(dir, `${name}.summary.json`), 'utf8') };
  });
  return { scenarios, goldens, keys: [...keys].sort() };
}

function collectKeys(node: unknown, keys: Set<string>): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key)) keys.add(String(pair.key.value));
      collectKeys(pair.value, keys);
    }
  } else if (isSeq(node)) for (const item of node.items) collectKeys(item, keys);
}

// ---- values ---------------------------------------------------------------------------------

const NUMBERS = [0, 1, -1, 2, 3, 0.5, 1.5, -0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e21, 1e308, -1e308, 5e-324, -0, 4096, 32768, 65536, 497, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const NUMBER_TEXT = ['0', '1', '-1', '0.5', '1.5', '2147483648', '4294967296', '9007199254740992', '9007199254740993', '18446744073709551616', '1e21', '1e400', '-0', '0x10', '0x', '1_000', '+5', '.5', '5.', '1e-9', '00012', '٣'];
const UNITS = ['ns', 'us', 'µs', 'ms', 's', ' s', 'B', ' B', 'KiB', 'MiB', 'GiB', 'TiB', 'KB', 'MB', 'Hz', 'kHz', 'MHz', 'GHz', ' cycles@cm7', ' cycles@cm4', ' cycles@core0', ' cycles@nope', ' cycles@', 'cycles', 'x', '', 'ms ms'];
const STRINGS = ['', ' ', 'block', 'true', 'null', '~', '__proto__', 'constructor', 'a\u0000b', '\u0000', '\u202etxet', '💥', '\ufffd', 'x'.repeat(33), 'x'.repeat(4097), '../../../etc/passwd', '${HOME}', '%s%s%n', 'ping-pong', 'flood', 'rtos', 'bare-metal', 'cm7', 'cm4', 'RL_SUCCESS', 'master', 'remote', '\t', 'a: b', '- x', '*x', '&x'];
const BIG_STRINGS = [100_000, 1_100_000];
/** Values as text for --set and for text insertion: YAML syntax itself. */
const YAML_FRAGMENTS = ['*a', '&a', '&a 1', '*', '[', ']', '{', '}', '[1,', '{a: 1', '"unterminated', "'x", '!!binary AAAA', '!!int x', '!!float 1', '!!str', '!!map', '!!js/function "f"', '!custom 1', '? x', '- a', 'a: b', 'a: *b', '<<: *a', '%YAML 1.2', '---', '...', '#', '|', '>', '|-\n  x', '@x', '`x`', '{a: &b [*b]}', '&x [*x]', '[*x, *x]', '\u0000', ''];

type Value = unknown;

/** Amounts for values that keep their kind: the edges of 8-, 16-, 32- and 53-bit counters, and small ones. */
const AMOUNTS = [0, 1, 2, 3, 7, 8, 255, 256, 497, 4095, 4096, 65535, 65536, 32768, 1e6, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 0.5, 1.5, 1e-3];

const numberArb = fc.constantFrom(...NUMBERS);
const unitValueArb = fc.tuple(fc.constantFrom(...NUMBER_TEXT, ...NUMBERS.filter(Number.isFinite).map(String)), fc.constantFrom(...UNITS)).map(([n, u]) => `${n}${u}`);
const stringArb = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...BIG_STRINGS).map((n) => 'y'.repeat(n)), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 }));
const wrongTypeArb = fc.constantFrom<Value>(true, false, null, [], {}, [1, 2, 3], { a: 1 }, [[[]]], [null], { '': '' });

/** A value to put in a scenario: mostly extreme but valid-looking, some wrong types. */
export const valueArb: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: unitValueArb },
  { weight: 3, arbitrary: numberArb },
  { weight: 2, arbitrary: stringArb },
  { weight: 2, arbitrary: wrongTypeArb },
);

/** A value as it is typed on the command line (after --set path=). */
const valueTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: unitValueArb },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBER_TEXT) },
  { weight: 3, arbitrary: fc.constantFrom(...YAML_FRAGMENTS) },
  { weight: 1, arbitrary: fc.constantFrom(...STRINGS.filter((s) => !s.includes('\u0000') && s.length < 100)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).filter((s) => !s.includes('\u0000')) },
);

// ---- structure-aware mutation ----------------------------------------------------------------

type Path = (string | number)[];

interface Located {
  path: Path;
  node: unknown;
}

function nodesOf(doc: Document): Located[] {
  const out: Located[] = [];
  const walk = (node: unknown, path: Path, depth: number) => {
    if (depth > 12) return;
    out.push({ path, node });
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (typeof key === 'string' || typeof key === 'number') walk(pair.value, [...path, key], depth + 1);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i], depth + 1));
  };
  walk(doc.contents, [], 0);
  return out;
}

export type DocOp =
  | { op: 'replace'; at: number; value: Value }
  /** The scalar keeps its kind (a size stays a size, a count a number) with an extreme amount: a valid file more often. */
  | { op: 'extreme'; at: number; amount: number }
  | { op: 'delete'; at: number }
  | { op: 'add'; at: number; key: number | string; value: Value }
  | { op: 'alias'; at: number; target: number }
  | { op: 'recurse'; at: number }
  | { op: 'wrap'; at: number; how: 'seq' | 'map' }
  | { op: 'merge'; at: number; target: number };

const docOpArb = (keys: string[]): fc.Arbitrary<DocOp> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: valueArb }) },
    { weight: 10, arbitrary: fc.record({ op: fc.constant('extreme' as const), at: fc.nat(), amount: fc.nat({ max: AMOUNTS.length - 1 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...keys, '__proto__', '<<', '', 'faults'), fc.string({ maxLength: 6 }), fc.constantFrom(0, -1, 1.5)), value: valueArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('alias' as const), at: fc.nat(), target: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('recurse' as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('wrap' as const), at: fc.nat(), how: fc.constantFrom('seq' as const, 'map' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('merge' as const), at: fc.nat(), target: fc.nat() }) },
  );

let anchors = 0;

function applyDocOp(doc: Document, op: DocOp): void {
  const nodes = nodesOf(doc);
  const pick = (i: number) => nodes[i % nodes.length]!;
  const here = pick(op.at);
  switch (op.op) {
    case 'replace':
      if (here.path.length === 0) return;
      doc.setIn(here.path, doc.createNode(op.value));
      return;
    case 'delete':
      if (here.path.length === 0) return;
      doc.deleteIn(here.path);
      return;
    case 'extreme': {
      const scalars = nodes.filter((n) => isScalar(n.node) && n.path.length > 0 && (typeof (n.node as Scalar).value === 'number' || AMOUNT_WITH_UNIT.test(String((n.node as Scalar).value))));
      if (scalars.length === 0) return;
      const s = scalars[op.at % scalars.length]!;
      const value = (s.node as Scalar).value;
      const amount = AMOUNTS[op.amount]!;
      doc.setIn(s.path, doc.createNode(typeof value === 'number' ? amount : String(value).replace(AMOUNT_WITH_UNIT, (_m, _n, space: string, unit: string) => `${amount}${space}${unit}`)));
      return;
    }
    case 'add': {
      const maps = nodes.filter((n) => isMap(n.node));
      if (maps.length === 0) return;
      const m = maps[op.at % maps.length]!.node as YAMLMap;
      m.set(doc.createNode(op.key), doc.createNode(op.value));
      return;
    }
    case 'alias': {
      const target = pick(op.target);
      if (here.path.length === 0 || target.path.length === 0 || !isNodeLike(target.node)) return;
      const t = target.node as Node;
      if (t.anchor === undefined) t.anchor = `a${anchors++}`;
      doc.setIn(here.path, doc.createAlias(t as never));
      return;
    }
    case 'recurse': {
      // a collection that contains an alias to itself
      const collections = nodes.filter((n) => isCollection(n.node) && n.path.length > 0);
      if (collections.length === 0) return;
      const c = collections[op.at % collections.length]!;
      const node = c.node as YAMLMap;
      if (node.anchor === undefined) node.anchor = `r${anchors++}`;
      if (isMap(node)) node.set(doc.createNode('self'), doc.createAlias(node as never));
      else (node as unknown as { items: unknown[] }).items.push(doc.createAlias(node as never));
      return;
    }
    case 'wrap': {
      if (here.path.length === 0) return;
      const v = doc.getIn(here.path, true);
      doc.setIn(here.path, op.how === 'seq' ? doc.createNode([v]) : doc.createNode({ x: v }));
      return;
    }
    case 'merge': {
      const maps = nodes.filter((n) => isMap(n.node) && n.path.length > 0);
      if (maps.length < 1) return;
      const into = maps[op.at % maps.length]!.node as YAMLMap;
      const from = maps[op.target % maps.length]!.node as YAMLMap;
      if (from.anchor === undefined) from.anchor = `m${anchors++}`;
      into.set(doc.createNode('<<'), doc.createAlias(from as never));
      return;
    }
  }
}

/** A value such as 20ms, 4 KiB, 400MHz, 3000 cycles@cm7, 0x202C0000. */
const AMOUNT_WITH_UNIT = /^(\d+(?:\.\d+)?|0x[0-9a-fA-F]+)(\s*)((?:[a-zA-Zµ]+(?:@\w+)?)?)$/;

function isNodeLike(n: unknown): boolean {
  return isScalar(n) || isCollection(n) || isAlias(n);
}

/** The mutated document as text; undefined when the yaml library cannot write it. */
function mutate(text: string, ops: readonly DocOp[], runSafe: boolean): string {
  anchors = 0;
  const doc = parseDocument(text, { uniqueKeys: false });
  for (const op of ops) {
    try {
      applyDocOp(doc, op);
    } catch {
      // an op the document does not allow (a path through a scalar): skip it
    }
  }
  if (runSafe) keepRunShort(doc);
  try {
    return doc.toString({ lineWidth: 0 });
  } catch {
    // The ops left a document the yaml library cannot write: the seed unchanged, but still
    // cut short (a shipped benchmark runs for minutes of wall time: slow, not hung).
    if (!runSafe) return text;
    try {
      const plain = parseDocument(text, { uniqueKeys: false });
      keepRunShort(plain);
      return plain.toString({ lineWidth: 0 });
    } catch {
      return text;
    }
  }
}

/** Simulated time past which a run case is cut to RUN_STOP (wall time grows with it). */
const RUN_STOP_NS = 20e6;
const RUN_STOP = '20ms';
/** Durations past this are beyond any platform's tick range (2^53 ticks at 996 GHz is 9,043 s): kept, they must be refused at once. */
const BEYOND_TICKS_NS = 1e13;

/**
 * Cases that run a scenario must end in seconds: a valid stop time longer than RUN_STOP is
 * cut to it (a 10 s simulated run takes minutes and is no hang). Times beyond every tick
 * range stay: they must be refused before anything runs.
 */
function runSafeDuration(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const d = parseDuration(value);
  if (!d.ok) return undefined;
  // no core modelled runs above 1 GHz, so n cycles last at least n ns
  const ns = 'ns' in d.value ? d.value.ns : d.value.cycles;
  if (ns > RUN_STOP_NS && ns < BEYOND_TICKS_NS) return RUN_STOP;
  return undefined;
}

function keepRunShort(doc: Document): void {
  const stop = doc.get('stop', true);
  if (isMap(stop)) {
    const cut = runSafeDuration(stop.get('time'));
    if (cut !== undefined) stop.set('time', cut);
    if (!stop.has('time')) stop.set('time', RUN_STOP);
  }
}

// ---- text corruption ------------------------------------------------------------------------

export type TextOp =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'insert'; at: number; bytes: number }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'crlf' }
  | { op: 'tabs'; line: number }
  | { op: 'bom' }
  | { op: 'dup-line'; line: number }
  | { op: 'swap-lines'; a: number; b: number }
  | { op: 'indent'; line: number; by: number };

/** Byte strings a corruption inserts. */
const INSERTS: Buffer[] = [
  Buffer.from([0]),
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  Buffer.from('\t'),
  Buffer.from('\r'),
  Buffer.from('\n'),
  Buffer.from(':'),
  Buffer.from(': '),
  Buffer.from('- '),
  Buffer.from('&a '),
  Buffer.from('*a'),
  Buffer.from('"'),
  Buffer.from("'"),
  Buffer.from('{'),
  Buffer.from('['),
  Buffer.from('#'),
  Buffer.from('!!'),
  Buffer.from('\n---\n'),
  Buffer.from('\n...\n'),
  Buffer.from('%YAML 1.1\n'),
  Buffer.from('\u2028'),
  Buffer.from('\ufeff'),
  Buffer.from('\n  '),
];

const textOpArb: fc.Arbitrary<TextOp> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.nat({ max: INSERTS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tabs' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bom' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dup-line' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }) },
);

function lines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x0a) {
      out.push(b.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < b.length) out.push(b.subarray(start));
  return out;
}

export function corrupt(input: Buffer, ops: readonly TextOp[]): Buffer {
  let b = Buffer.from(input);
  for (const op of ops) {
    const n = b.length;
    switch (op.op) {
      case 'flip':
        if (n > 0) b[op.at % n] = b[op.at % n]! ^ (1 << op.bit);
        break;
      case 'insert': {
        const at = n === 0 ? 0 : op.at % (n + 1);
        b = Buffer.concat([b.subarray(0, at), INSERTS[op.bytes]!, b.subarray(at)]);
        break;
      }
      case 'delete': {
        const at = n === 0 ? 0 : op.at % n;
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + op.length)]);
        break;
      }
      case 'truncate':
        b = b.subarray(0, n === 0 ? 0 : op.at % n);
        break;
      case 'crlf':
        b = Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
        break;
      case 'bom':
        b = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
        break;
      default: {
        const ls = lines(b);
        if (ls.length === 0) break;
        const i = ('line' in op ? op.line : op.a) % ls.length;
        if (op.op === 'tabs') ls[i] = Buffer.from(ls[i]!.toString('latin1').replace(/^( {2})+/, (m) => '\t'.repeat(m.length / 2)), 'latin1');
        else if (op.op === 'dup-line') ls.splice(i, 0, ls[i]!);
        else if (op.op === 'swap-lines') {
          const j = op.b % ls.length;
          [ls[i], ls[j]] = [ls[j]!, ls[i]!];
        } else {
          const t = ls[i]!.toString('latin1');
          ls[i] = Buffer.from(op.by > 0 ? ' '.repeat(op.by) + t : t.replace(new RegExp(`^ {0,${-op.by}}`), ''), 'latin1');
        }
        b = Buffer.concat(ls);
      }
    }
  }
  return b;
}

// ---- alias bombs ----------------------------------------------------------------------------

export interface BombPlan {
  kind: 'levels' | 'self' | 'mutual' | 'merge-chain' | 'deep';
  levels: number;
  width: number;
  /** Where the last level is used: an unknown key of its own, or a real key's value. */
  use: 'own-key' | 'description' | 'params' | 'expect' | 'steps' | 'none';
}

const bombArb: fc.Arbitrary<BombPlan> = fc.record({
  kind: fc.constantFrom('levels' as const, 'levels' as const, 'self' as const, 'mutual' as const, 'merge-chain' as const, 'deep' as const),
  levels: fc.integer({ min: 1, max: 10 }),
  width: fc.integer({ min: 2, max: 12 }),
  use: fc.constantFrom('own-key' as const, 'description' as const, 'params' as const, 'expect' as const, 'steps' as const, 'none' as const),
});

/** A scenario text with an alias bomb in it. */
export function bombText(seed: string, plan: BombPlan): string {
  const head: string[] = [];
  let last = 'b0';
  switch (plan.kind) {
    case 'levels':
      head.push(`x-b0: &b0 [${Array(plan.width).fill('lol').join(', ')}]`);
      for (let i = 1; i <= plan.levels; i++) head.push(`x-b${i}: &b${i} [${Array(plan.width).fill(`*b${i - 1}`).join(', ')}]`);
      last = `b${plan.levels}`;
      break;
    case 'self':
      head.push('x-b0: &b0 [*b0, *b0]');
      break;
    case 'mutual':
      head.push('x-b0: &b0 {a: &b1 [*b0, *b1]}');
      break;
    case 'merge-chain':
      head.push('x-b0: &b0 {k0: 0}');
      for (let i = 1; i <= plan.levels; i++) head.push(`x-b${i}: &b${i} {<<: [${Array(Math.min(plan.width, 4)).fill(`*b${i - 1}`).join(', ')}], k${i}: ${i}}`);
      last = `b${plan.levels}`;
      break;
    case 'deep':
      head.push(`x-b0: ${'['.repeat(plan.levels * 100)}${']'.repeat(plan.levels * 100)}`);
      break;
  }
  let body = seed;
  const use = `*${last}`;
  switch (plan.use) {
    case 'own-key':
      head.push(`x-use: ${use}`);
      break;
    case 'description':
      body = /^description:/m.test(body) ? body.replace(/^description:(?:.*)(?:\n {2,}.*)*/m, `description: ${use}`) : `${body}\ndescription: ${use}\n`;
      break;
    case 'params':
      body = body.replace(/^(master:\n)/m, `$1  params: ${use}\n`);
      break;
    case 'expect':
      body = /^expect:/m.test(body) ? body.replace(/^expect:.*$/m, `expect: ${use}\nx-old-expect:`) : `${body}\nexpect: ${use}\n`;
      break;
    case 'steps':
      body = body.replace(/^(remote:\n)/m, `$1  steps: ${use}\n`);
      break;
    case 'none':
      break;
  }
  return `${head.join('\n')}\n${body}`;
}

// ---- --set ----------------------------------------------------------------------------------

export interface SetPlan {
  /** A real path of the scenario (its n-th node), or one of BROKEN_PATHS. */
  path: { real: number; mangle: number } | { broken: number };
  value: string;
  form: 'separate' | 'equals' | 'no-equals' | 'dotted' | 'dangling' | 'empty';
}

const BROKEN_PATHS = ['', '.', '..', 'a..b', 'stop.', '.stop', 'stop.time.x', 'master.params.count.x', 'master.steps.999', 'master.steps.-1', 'master.steps.0.send.repeat', '__proto__.polluted', 'constructor.prototype.polluted', 'master.__proto__.x', 'stop.__proto__', 'overrides.', 'overrides.nope.x', 'overrides.clocks.cm4', 'master.costs.rl.sendMaster', 'master.costs.', 'faults', 'faults.0', 'x'.repeat(300), 'stop.time', 'stop.messages', 'rpmsg.buffer-count', 'rpmsg.vring-size', 'rpmsg.vring-align', 'rpmsg.buffer-payload-size', 'master.params.payload-size', 'platform', 'name', '0', '0.0', 'expect.codes.RL_SUCCESS', 'placement.master.shared', 'remote.environment'];

const setArb: fc.Arbitrary<SetPlan> = fc.record({
  path: fc.oneof(fc.record({ real: fc.nat(), mangle: fc.nat({ max: 9 }) }), fc.record({ broken: fc.nat({ max: BROKEN_PATHS.length - 1 }) })),
  value: valueTextArb,
  form: fc.constantFrom('separate' as const, 'separate' as const, 'separate' as const, 'equals' as const, 'no-equals' as const, 'dotted' as const, 'dangling' as const, 'empty' as const),
});

function setArgs(text: string, plans: readonly SetPlan[], runSafe: boolean): string[] {
  const out: string[] = [];
  let paths: string[] = [];
  try {
    paths = nodesOf(parseDocument(text)).map((n) => n.path.join('.')).filter((p) => p !== '');
  } catch {
    // a text the yaml library cannot read: broken paths only
  }
  for (const plan of plans) {
    let path: string;
    if ('real' in plan.path && paths.length > 0) {
      path = paths[plan.path.real % paths.length]!;
      // 0-5: as is; 6: a child of it; 7: a sibling that does not exist; 8: upper case; 9: an index
      if (plan.path.mangle === 6) path = `${path}.x`;
      else if (plan.path.mangle === 7) path = `${path}-nope`;
      else if (plan.path.mangle === 8) path = path.toUpperCase();
      else if (plan.path.mangle === 9) path = `${path}.3`;
    } else path = BROKEN_PATHS['broken' in plan.path ? plan.path.broken : 0]!;
    let value = plan.value;
    if (runSafe && path === 'stop.time') value = runSafeDuration(value) ?? value;
    switch (plan.form) {
      case 'separate':
        out.push('--set', `${path}=${value}`);
        break;
      case 'equals':
        out.push(`--set=${path}=${value}`);
        break;
      case 'no-equals':
        out.push('--set', path);
        break;
      case 'dotted':
        out.push(`--set.${path}=${value}`);
        break;
      case 'dangling':
        out.push('--set');
        break;
      case 'empty':
        out.push('--set', '');
        break;
    }
  }
  return out;
}

// ---- output targets ---------------------------------------------------------------------------

/** What an output option is given; the entries the case needs for it. */
const TARGETS: { arg: string; files: CaseEntry[]; child?: boolean }[] = [
  { arg: 'out', files: [] },
  { arg: 'nodir/out', files: [] },
  { arg: 'afile/out', files: [{ path: 'afile', text: 'a regular file\n' }] },
  { arg: 'adir', files: [{ path: 'adir', dir: true }] },
  { arg: 'afifo', files: [{ path: 'afifo', fifo: true }] },
  { arg: 'anull', files: [{ path: 'anull', device: [1, 3] }] },
  { arg: 'alink', files: [{ path: 'alink', symlink: 'anull' }, { path: 'anull', device: [1, 3] }] },
  { arg: 'dangling-link', files: [{ path: 'dangling-link', symlink: 'nowhere/x' }] },
  { arg: 'existing', files: [{ path: 'existing.jsonl', text: 'old contents\n' }] },
  { arg: 'ro/out', files: [{ path: 'ro', dir: true }] },
  { arg: `${'n'.repeat(300)}`, files: [] },
  { arg: 'with space/out', files: [{ path: 'with space', dir: true }] },
  { arg: 'out/', files: [] },
  { arg: '', files: [] },
  { arg: '-', files: [], child: true },
];

export interface OutputPlan {
  option: 'trace' | 'dump-shmem' | 'json';
  target: number;
  ext: number;
}

const TRACE_EXTS = ['.jsonl', '.vcd', '.json', '.txt', '.bin', '', '.JSONL', '.jsonl.gz'];

const outputArb: fc.Arbitrary<OutputPlan> = fc.record({
  option: fc.constantFrom('trace' as const, 'trace' as const, 'dump-shmem' as const, 'json' as const),
  target: fc.nat({ max: TARGETS.length - 1 }),
  ext: fc.nat({ max: TRACE_EXTS.length - 1 }),
});

function targetPath(target: (typeof TARGETS)[number], ext: string): string {
  if (target.arg === '' || target.arg === '-' || target.arg.endsWith('/') || ['adir', 'afifo', 'anull', 'alink', 'dangling-link'].includes(target.arg)) return target.arg;
  if (target.arg === 'existing') return 'existing.jsonl';
  return `${target.arg}${ext}`;
}

// ---- modules ----------------------------------------------------------------------------------

/** Firmware modules (TypeScript or JavaScript) that misbehave, one per entry. */
/** (The two infinite JS loops wait for the CLI's wall-time watchdog: its default is 10 s, docs/reliability.md.) */
export const MODULES: { name: string; source: string; deadlineMs?: number }[] = [
  { name: 'throws-at-import', source: "throw new Error('fuzz: thrown at import');\nexport function* master() {}\n" },
  { name: 'throws-number-at-import', source: 'throw 42;\nexport function* master() {}\n' },
  { name: 'throws-null-at-import', source: 'throw null;\nexport function* master() {}\n' },
  { name: 'throws-object-at-import', source: "throw { message: 'not an Error' };\nexport function* master() {}\n" },
  { name: 'type-error-at-import', source: 'const x: any = null;\nx.field = 1;\nexport function* master() {}\n' },
  { name: 'recursion-at-import', source: 'function f(): number { return f() + 1; }\nf();\nexport function* master() {}\n' },
  { name: 'no-export', source: 'export const other = 1;\n' },
  { name: 'export-number', source: 'export const master = 5;\n' },
  { name: 'export-null', source: 'export const master = null;\n' },
  { name: 'export-default-only', source: 'export default function* () {}\n' },
  { name: 'export-plain-function', source: 'export function master() { return 1; }\n' },
  { name: 'export-async', source: 'export async function master() { return 1; }\n' },
  { name: 'export-class', source: 'export class master {}\n' },
  { name: 'syntax-error', source: 'export function* master( {\n' },
  { name: 'type-only', source: 'export type master = number;\n' },
  { name: 'missing-import', source: "import { nothing } from './does-not-exist';\nexport function* master() { nothing(); }\n" },
  { name: 'throws-in-program', source: "export function* master(): Generator<never, void, unknown> { throw new Error('fuzz: thrown by the program'); }\n" },
  { name: 'throws-string-in-program', source: "export function* master(): Generator<never, void, unknown> { throw 'a string'; }\n" },
  { name: 'throws-undefined-in-program', source: 'export function* master(): Generator<never, void, unknown> { throw undefined; }\n' },
  { name: 'type-error-in-program', source: 'export function* master(ctx: any) { yield* ctx.nothing.here(); }\n' },
  { name: 'yields-garbage', source: 'export function* master() { yield 5; yield null; yield { op: "nope" }; }\n' },
  { name: 'yields-undefined', source: 'export function* master() { for (let i = 0; i < 3; i++) yield undefined; }\n' },
  { name: 'exec-negative', source: 'export function* master(ctx: any) { yield* ctx.core.exec(-1); yield* ctx.core.exec(Number.NaN); yield* ctx.core.exec(2 ** 60); }\n' },
  { name: 'exec-fraction', source: 'export function* master(ctx: any) { yield* ctx.core.exec(0.5); yield* ctx.core.exec(1e300); }\n' },
  { name: 'returns-value', source: 'export function* master() { return 42; }\n' },
  { name: 'same-instant-loop', source: 'export function* master(ctx: any) { for (;;) yield* ctx.core.exec(0); }\n' },
  { name: 'wfi-masked-loop', source: 'export function* master(ctx: any) { yield* ctx.core.disableInterrupts(); for (;;) yield* ctx.core.waitForInterrupt(); }\n' },
  { name: 'busy-progress', source: 'export function* master(ctx: any) { for (;;) yield* ctx.core.exec(1000); }\n' },
  { name: 'js-infinite-loop', source: 'export function* master() { for (;;) {} }\n', deadlineMs: 15_000 },
  { name: 'js-infinite-loop-at-import', source: 'for (;;) {}\nexport function* master() {}\n', deadlineMs: 15_000 },
  { name: 'process-exit', source: 'export function* master() { process.exitCode = 3; }\n' },
  { name: 'pollutes', source: "(Object.prototype as any).fuzzPolluted = 1;\nexport function* master() {}\n" },
];

export interface ModulePlan {
  module: number;
  ext: '.ts' | '.js' | '.mjs' | '.tsx' | '';
  role: 'master' | 'remote' | 'both';
  exportName: 'default' | 'given' | 'wrong';
  command: 'run' | 'validate' | 'check' | 'explain';
}

const moduleArb: fc.Arbitrary<ModulePlan> = fc.record({
  module: fc.nat({ max: MODULES.length - 1 }),
  ext: fc.oneof({ weight: 12, arbitrary: fc.constant('.ts' as const) }, { weight: 4, arbitrary: fc.constant('.js' as const) }, { weight: 1, arbitrary: fc.constantFrom('.mjs' as const, '.tsx' as const, '' as const) }),
  role: fc.constantFrom('master' as const, 'master' as const, 'remote' as const, 'both' as const),
  exportName: fc.constantFrom('default' as const, 'default' as const, 'given' as const, 'wrong' as const),
  command: fc.constantFrom('run' as const, 'run' as const, 'validate' as const, 'check' as const, 'explain' as const),
});

// ---- goldens and traces -------------------------------------------------------------------------

export type GoldenOp =
  | { op: 'empty' }
  | { op: 'truncate'; at: number }
  | { op: 'bytes'; text: TextOp[] }
  | { op: 'line'; line: number; with: number }
  | { op: 'drop-line'; line: number }
  | { op: 'missing' };

const GOLDEN_LINES = ['', 'not json', '{', '[]', 'null', '{}', '{"t":-1}', '{"t":1e400,"component":"x","kind":"y"}', '{"t":"0","component":5}', '{"format":"rpmsg-sim-trace","version":99}', '\u0000', '{"t":0,"component":"x","kind":"y","fields":null}', '{"t":9007199254740993,"component":"core.cm7","kind":"exec"}', '{"__proto__":{"x":1}}', '"just a string"'];
const SUMMARIES = ['', 'not json', '[]', 'null', '{}', '{"scenario": 5}', '{"scenario":"x","messages":null}', '{"__proto__": {"polluted": 1}}', '1e400', '{'];

const goldenOpArb: fc.Arbitrary<GoldenOp> = fc.oneof(
  fc.constant({ op: 'empty' as const }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('bytes' as const), text: fc.array(textOpArb, { minLength: 1, maxLength: 3 }) }),
  fc.record({ op: fc.constant('line' as const), line: fc.nat(), with: fc.nat({ max: GOLDEN_LINES.length - 1 }) }),
  fc.record({ op: fc.constant('drop-line' as const), line: fc.nat() }),
  fc.constant({ op: 'missing' as const }),
);

/** A small VCD file of the shape vcd.ts writes, for diff's VCD comparison. */
const VCD_SAMPLE = [
  '$comment rpmsg-sim trace format 1 $end',
  '$timescale 1 ns $end',
  '$scope module rpmsg_sim $end',
  '$scope module cm7 $end',
  '$var reg 2 ! state $end',
  '$var string 1 " state_name $end',
  '$var wire 1 # pin_cm7 $end',
  '$upscope $end',
  '$scope module mu_a $end',
  '$var reg 32 $ CR $end',
  '$var wire 1 # irq $end',
  '$upscope $end',
  '$upscope $end',
  '$enddefinitions $end',
  '#0',
  '$dumpvars',
  'b0 !',
  'sthread "',
  '0#',
  'bx $',
  '$end',
  '#3437',
  'b10000000000000000000000000000000 $',
  '#5000',
  'b1 !',
  'shandler "',
  '1#',
  '#7000',
  '$comment fault: drop-doorbell $end',
  'b0 !',
  'sthread "',
  '0#',
  '',
].join('\n');

function corruptGolden(text: string, op: GoldenOp): Buffer | undefined {
  const b = Buffer.from(text);
  switch (op.op) {
    case 'empty':
      return Buffer.alloc(0);
    case 'truncate':
      return b.subarray(0, op.at % Math.max(1, b.length));
    case 'bytes':
      return corrupt(b, op.text);
    case 'line':
    case 'drop-line': {
      const ls = text.split('\n');
      const i = op.line % Math.max(1, ls.length - 1);
      if (op.op === 'line') ls[i] = GOLDEN_LINES[op.with]!;
      else ls.splice(i, 1);
      return Buffer.from(ls.join('\n'));
    }
    case 'missing':
      return undefined;
  }
}

function entry(path: string, bytes: Buffer): CaseEntry {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) && !text.includes('@CASE@') && !text.includes('@ROOT@') ? { path, text } : { path, base64: bytes.toString('base64') };
}

// ---- scenario files that are not regular files, or barely ----------------------------------------

/** What stands at the scenario's path: the entries the case makes there (s.yaml). */
const INPUT_KINDS: { name: string; files: (seed: string) => CaseEntry[] }[] = [
  { name: 'missing', files: () => [] },
  { name: 'empty', files: () => [{ path: 's.yaml', text: '' }] },
  { name: 'only-a-comment', files: () => [{ path: 's.yaml', text: '# nothing here\n' }] },
  { name: 'folder', files: () => [{ path: 's.yaml', dir: true }] },
  { name: 'fifo', files: () => [{ path: 's.yaml', fifo: true }] },
  { name: 'null-device', files: () => [{ path: 's.yaml', device: [1, 3] }] },
  { name: 'zero-device', files: () => [{ path: 's.yaml', device: [1, 5] }] },
  { name: 'symlink-to-seed', files: (seed) => [{ path: 'real.yaml', text: seed }, { path: 's.yaml', symlink: 'real.yaml' }] },
  { name: 'dangling-symlink', files: () => [{ path: 's.yaml', symlink: 'nowhere.yaml' }] },
  { name: 'symlink-loop', files: () => [{ path: 's.yaml', symlink: 's.yaml' }] },
  { name: 'two-documents', files: (seed) => [{ path: 's.yaml', text: `${seed}\n---\n${seed}` }] },
  { name: 'huge-comment', files: (seed) => [{ path: 's.yaml', text: `${seed}\n${'# padding\n'.repeat(300_000)}` }] },
  { name: 'huge-key-count', files: (seed) => [{ path: 's.yaml', text: `${seed}\nx-many-keys: {${Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join(', ')}}\n` }] },
  { name: 'utf16', files: (seed) => [{ path: 's.yaml', base64: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seed, 'utf16le')]).toString('base64') }] },
  { name: 'json', files: (seed) => [{ path: 's.yaml', text: JSON.stringify(parseDocument(seed).toJS()) }] },
];

// ---- plans -----------------------------------------------------------------------------------

const COMMANDS_ON_A_FILE = ['validate', 'validate', 'validate', 'run', 'run', 'run', 'explain', 'view', 'layout', 'check'] as const;
type FileCommand = (typeof COMMANDS_ON_A_FILE)[number];

export type Plan =
  | { family: 'mutate' | 'corrupt'; seed: number; command: FileCommand; ops: DocOp[]; text: TextOp[]; sets: SetPlan[]; outputs: OutputPlan[] }
  | { family: 'alias'; seed: number; command: FileCommand; bomb: BombPlan }
  | { family: 'set'; seed: number; command: FileCommand; sets: SetPlan[]; brokenFile: boolean; text: TextOp[] }
  | { family: 'options'; seed: number; variant: number; value: string }
  | { family: 'outputs'; seed: number; outputs: OutputPlan[]; child: 'none' | 'full' | 'SIGINT' | 'SIGTERM'; afterMs: number }
  | { family: 'module'; seed: number; module: ModulePlan }
  | { family: 'golden'; seed: number; trace: GoldenOp; summary: GoldenOp | null; junit: number | null; update: boolean; text: TextOp[] }
  | { family: 'trace'; seed: number; a: GoldenOp | null; b: GoldenOp | null; special: number }
  | { family: 'layout'; seed: number; variant: number; values: string[]; image: { length: number; fill: number } }
  | { family: 'pair'; seed: number; ops: DocOp[] }
  | { family: 'input'; seed: number; kind: number; command: FileCommand };

const commandArb = fc.constantFrom(...COMMANDS_ON_A_FILE);

export function planArbitrary(corpus: Corpus): fc.Arbitrary<Plan> {
  const seed = fc.nat();
  const ops = fc.array(docOpArb(corpus.keys), { minLength: 1, maxLength: 3 });
  return fc.oneof(
    { weight: 26, arbitrary: fc.record({ family: fc.constant('mutate' as const), seed, command: commandArb, ops, text: fc.constant<TextOp[]>([]), sets: fc.oneof({ weight: 5, arbitrary: fc.constant<SetPlan[]>([]) }, { weight: 1, arbitrary: fc.array(setArb, { minLength: 1, maxLength: 1 }) }), outputs: fc.array(outputArb, { maxLength: 1 }) }) },
    { weight: 14, arbitrary: fc.record({ family: fc.constant('corrupt' as const), seed, command: commandArb, ops: fc.array(docOpArb(corpus.keys), { maxLength: 2 }), text: fc.array(textOpArb, { minLength: 1, maxLength: 3 }), sets: fc.constant<SetPlan[]>([]), outputs: fc.constant<OutputPlan[]>([]) }) },
    { weight: 6, arbitrary: fc.record({ family: fc.constant('alias' as const), seed, command: commandArb, bomb: bombArb }) },
    { weight: 12, arbitrary: fc.record({ family: fc.constant('set' as const), seed, command: commandArb, sets: fc.array(setArb, { minLength: 1, maxLength: 3 }), brokenFile: fc.boolean(), text: fc.array(textOpArb, { minLength: 1, maxLength: 2 }) }) },
    { weight: 8, arbitrary: fc.record({ family: fc.constant('options' as const), seed, variant: fc.nat(), value: valueTextArb }) },
    { weight: 7, arbitrary: fc.record({ family: fc.constant('outputs' as const), seed, outputs: fc.array(outputArb, { minLength: 1, maxLength: 2 }), child: fc.constantFrom('none' as const, 'none' as const, 'none' as const, 'full' as const, 'SIGINT' as const, 'SIGTERM' as const), afterMs: fc.integer({ min: 150, max: 600 }) }) },
    { weight: 6, arbitrary: fc.record({ family: fc.constant('module' as const), seed, module: moduleArb }) },
    { weight: 7, arbitrary: fc.record({ family: fc.constant('golden' as const), seed, trace: goldenOpArb, summary: fc.option(goldenOpArb, { nil: null }), junit: fc.option(fc.nat({ max: TARGETS.length - 1 }), { nil: null }), update: fc.boolean(), text: fc.array(textOpArb, { maxLength: 1 }) }) },
    { weight: 5, arbitrary: fc.record({ family: fc.constant('trace' as const), seed, a: fc.option(goldenOpArb, { nil: null }), b: fc.option(goldenOpArb, { nil: null }), special: fc.nat({ max: 11 }) }) },
    { weight: 5, arbitrary: fc.record({ family: fc.constant('layout' as const), seed, variant: fc.nat(), values: fc.array(valueTextArb, { minLength: 4, maxLength: 4 }), image: fc.record({ length: fc.constantFrom(0, 1, 100, 8191, 8192, 8193, 65536, 300_000), fill: fc.nat({ max: 255 }) }) }) },
    { weight: 4, arbitrary: fc.record({ family: fc.constant('pair' as const), seed, ops }) },
    { weight: 2, arbitrary: fc.record({ family: fc.constant('input' as const), seed, kind: fc.nat({ max: INPUT_KINDS.length - 1 }), command: commandArb }) },
  );
}

// ---- building a case from a plan --------------------------------------------------------------

const RUN_LIKE = new Set(['run', 'explain', 'view', 'check']);

function commandLine(command: FileCommand, file: string): { argv: string[]; outputs: string[] } {
  switch (command) {
    case 'validate':
      return { argv: ['validate', file], outputs: [] };
    case 'run':
      return { argv: ['run', file], outputs: [] };
    case 'explain':
      return { argv: ['explain', file], outputs: [] };
    case 'view':
      return { argv: ['view', file, '-o', '@CASE@/page.html'], outputs: ['page.html'] };
    case 'layout':
      return { argv: ['layout', file, '--svg', '@CASE@/map.svg'], outputs: ['map.svg'] };
    case 'check':
      // --update writes golden/<the scenario's name>.jsonl and .summary.json beside the file
      return { argv: ['check', file, '--update'], outputs: ['golden/'] };
  }
}

export function buildCase(plan: Plan, corpus: Corpus): FuzzCase {
  const c = buildRaw(plan, corpus);
  // a shell cannot pass a NUL in an argument (execve ends the string there)
  c.argv = c.argv.map((a) => a.replaceAll('\u0000', ''));
  if (c.then !== undefined) c.then = c.then.map((a) => a.replaceAll('\u0000', ''));
  return c;
}

function buildRaw(plan: Plan, corpus: Corpus): FuzzCase {
  const seedOf = (n: number) => corpus.scenarios[n % corpus.scenarios.length]!;
  switch (plan.family) {
    case 'mutate':
    case 'corrupt': {
      const seed = seedOf(plan.seed);
      const runSafe = RUN_LIKE.has(plan.command);
      const text = corrupt(Buffer.from(mutate(seed.text, plan.ops, runSafe)), plan.text);
      const { argv, outputs } = commandLine(plan.command, '@CASE@/s.yaml');
      const files: CaseEntry[] = [entry('s.yaml', text)];
      if (plan.command === 'run') addOutputs(argv, outputs, files, plan.outputs);
      argv.push(...setArgs(text.toString('utf8'), plan.sets, runSafe));
      return { family: plan.family, files, argv, outputs, inputs: ['s.yaml'] };
    }
    case 'alias': {
      const seed = seedOf(plan.seed);
      const { argv, outputs } = commandLine(plan.command, '@CASE@/s.yaml');
      return { family: 'alias', files: [{ path: 's.yaml', text: bombText(seed.text, plan.bomb) }], argv, outputs, inputs: ['s.yaml'] };
    }
    case 'set': {
      const seed = seedOf(plan.seed);
      const runSafe = RUN_LIKE.has(plan.command);
      const base = runSafe ? mutate(seed.text, [], true) : seed.text;
      const text = plan.brokenFile ? corrupt(Buffer.from(base), plan.text) : Buffer.from(base);
      const { argv, outputs } = commandLine(plan.command, '@CASE@/s.yaml');
      argv.push(...setArgs(base, plan.sets, runSafe));
      return { family: 'set', files: [entry('s.yaml', text)], argv, outputs, inputs: ['s.yaml'] };
    }
    case 'options':
      return optionsCase(plan.variant, plan.value, mutate(seedOf(plan.seed).text, [], true));
    case 'outputs': {
      const text = mutate(seedOf(plan.seed).text, [], true);
      const argv = ['run', '@CASE@/s.yaml'];
      const outputs: string[] = [];
      const files: CaseEntry[] = [{ path: 's.yaml', text }];
      const child = addOutputs(argv, outputs, files, plan.outputs);
      const c: FuzzCase = { family: 'outputs', files, argv, outputs, inputs: ['s.yaml'] };
      if (plan.child === 'full') c.child = { stdout: 'full' };
      else if (plan.child !== 'none') {
        // long enough to be mid-run when the signal comes: the flood for 1000 s of simulated time
        files[0] = { path: 's.yaml', text: corpus.scenarios.find((s) => s.path === 'bench/flood-1m.yaml')!.text };
        if (!argv.includes('--trace')) {
          argv.push('--trace', '@CASE@/t.jsonl');
          outputs.push('t.jsonl');
        }
        c.child = { signal: { name: plan.child, afterMs: plan.afterMs } };
        c.deadlineMs = 20_000;
      } else if (child) c.child = {};
      return c;
    }
    case 'module':
      return moduleCase(plan.module, seedOf(plan.seed));
    case 'golden': {
      const g = corpus.goldens[plan.seed % corpus.goldens.length]!;
      const files: CaseEntry[] = [entry(`${g.name}.yaml`, corrupt(Buffer.from(mutate(g.scenario.text, [], true)), plan.text))];
      const trace = corruptGolden(g.trace, plan.trace);
      if (trace !== undefined) files.push(entry(`golden/${g.name}.jsonl`, trace));
      const summary = plan.summary === null ? Buffer.from(g.summary) : plan.summary.op === 'line' ? Buffer.from(SUMMARIES[plan.summary.with % SUMMARIES.length]!) : corruptGolden(g.summary, plan.summary);
      if (summary !== undefined) files.push(entry(`golden/${g.name}.summary.json`, summary));
      const argv = ['check', `@CASE@/${g.name}.yaml`];
      const outputs: string[] = [];
      const reports: string[] = [];
      if (plan.update) {
        argv.push('--update');
        outputs.push('golden/');
      }
      if (plan.junit !== null) {
        const t = TARGETS[plan.junit]!;
        const p = targetPath(t, '.xml');
        files.push(...t.files);
        argv.push('--junit', p === '' || p === '-' ? p : `@CASE@/${p}`);
        outputs.push(p);
        reports.push(p);
      }
      return { family: 'golden', files, argv, outputs, reports, inputs: [`${g.name}.yaml`, `golden/${g.name}.jsonl`, `golden/${g.name}.summary.json`] };
    }
    case 'trace': {
      const g = corpus.goldens[plan.seed % corpus.goldens.length]!;
      const files: CaseEntry[] = [];
      const side = (name: string, op: GoldenOp | null) => {
        const bytes = op === null ? Buffer.from(g.trace) : corruptGolden(g.trace, op);
        if (bytes !== undefined) files.push(entry(name, bytes));
        return `@CASE@/${name}`;
      };
      if (plan.special >= 10) {
        // 10: two VCD files (diff compares them by signal); 11: a trace and a VCD file (two formats)
        const vcd = (name: string, op: GoldenOp | null) => {
          const bytes = op === null ? Buffer.from(VCD_SAMPLE) : corruptGolden(VCD_SAMPLE, op);
          if (bytes !== undefined) files.push(entry(name, bytes));
          return `@CASE@/${name}`;
        };
        const a = plan.special === 10 ? vcd('a.vcd', plan.a) : side('a.jsonl', plan.a);
        const b = vcd('b.vcd', plan.b);
        return { family: 'trace', files, argv: ['diff', a, b], outputs: [], inputs: [plan.special === 10 ? 'a.vcd' : 'a.jsonl', 'b.vcd'] };
      }
      let a = side('a.jsonl', plan.a);
      let b = side('b.jsonl', plan.b);
      // 0-5: two traces; 6: a folder; 7: a FIFO; 8: a device; 9: the same file twice
      if (plan.special === 6) {
        files.push({ path: 'adir', dir: true });
        b = '@CASE@/adir';
      } else if (plan.special === 7) {
        files.push({ path: 'afifo', fifo: true });
        b = '@CASE@/afifo';
      } else if (plan.special === 8) {
        files.push({ path: 'anull', device: [1, 3] });
        a = '@CASE@/anull';
      } else if (plan.special === 9) b = a;
      return { family: 'trace', files, argv: ['diff', a, b], outputs: [], inputs: ['a.jsonl', 'b.jsonl'] };
    }
    case 'layout':
      return layoutCase(plan.variant, plan.values, plan.image, seedOf(plan.seed));
    case 'input': {
      const kind = INPUT_KINDS[plan.kind]!;
      const { argv, outputs } = commandLine(plan.command, '@CASE@/s.yaml');
      const files = kind.files(RUN_LIKE.has(plan.command) ? mutate(seedOf(plan.seed).text, [], true) : seedOf(plan.seed).text);
      return { family: `input:${kind.name}`, files, argv, outputs, inputs: files.filter((f) => 'text' in f).map((f) => f.path), ...(kind.name === 'zero-device' && { deadlineMs: 20_000 }) };
    }
    case 'pair': {
      const text = mutate(seedOf(plan.seed).text, plan.ops, true);
      return { family: 'pair', files: [{ path: 's.yaml', text }], argv: ['validate', '@CASE@/s.yaml'], then: ['run', '@CASE@/s.yaml'], outputs: [], inputs: ['s.yaml'] };
    }
  }
}

/** Adds output options to a run's command line; true when one needs a child process (stdout). */
function addOutputs(argv: string[], outputs: string[], files: CaseEntry[], plans: readonly OutputPlan[]): boolean {
  let child = false;
  for (const o of plans) {
    if (o.option === 'json') {
      argv.push('--json');
      continue;
    }
    const t = TARGETS[o.target]!;
    const p = targetPath(t, TRACE_EXTS[o.ext]!);
    for (const f of t.files) if (!files.some((e) => e.path === f.path)) files.push(f);
    argv.push(`--${o.option}`, p === '' || p === '-' ? p : `@CASE@/${p}`);
    if (p !== '-' && p !== '') outputs.push(p);
    if (t.child === true) child = true;
  }
  return child;
}

/** Command lines that abuse options: repeated, without values, unknown, in odd forms. */
function optionsCase(variant: number, value: string, scenario: string): FuzzCase {
  const s = '@CASE@/s.yaml';
  const lines: { argv: string[]; outputs: string[] }[] = [
    { argv: ['run', s, '--trace', '@CASE@/a.jsonl', '--trace', '@CASE@/b.vcd'], outputs: ['a.jsonl', 'b.vcd'] },
    { argv: ['run', s, '--trace', '@CASE@/a.jsonl', '--trace', '@CASE@/a.jsonl'], outputs: ['a.jsonl'] },
    { argv: ['run', s, '--dump-shmem', '@CASE@/a.bin', '--dump-shmem', '@CASE@/b.bin'], outputs: ['a.bin', 'b.bin'] },
    { argv: ['run', s, '--json', '--json'], outputs: [] },
    { argv: ['run', s, '--json', '--no-json'], outputs: [] },
    { argv: ['run', s, '--json=maybe'], outputs: [] },
    { argv: ['run', s, '--trace'], outputs: [] },
    { argv: ['run', s, '--trace='], outputs: [] },
    { argv: ['run', s, '--trace', value], outputs: [] },
    { argv: ['run', s, '--dump-shmem'], outputs: [] },
    { argv: ['run', s, s, '--trace', '@CASE@/t.jsonl'], outputs: ['t.jsonl'] },
    { argv: ['run', s, s], outputs: [] },
    { argv: ['run'], outputs: [] },
    { argv: ['run', s, '--set.x=1'], outputs: [] },
    { argv: ['run', s, '--set.stop.time=1ms'], outputs: [] },
    { argv: ['run', s, '--set', '--json'], outputs: [] },
    { argv: ['run', s, '--no-set'], outputs: [] },
    { argv: ['run', s, '--set', `x=${value}`, '--set', `x=${value}`], outputs: [] },
    { argv: ['run', s, `--${value}`], outputs: [] },
    { argv: ['run', s, '--trace', '@CASE@/t.jsonl', '--dump-shmem', '@CASE@/t.jsonl'], outputs: ['t.jsonl'] },
    { argv: ['check', s, '--junit', '@CASE@/a.xml', '--junit', '@CASE@/b.xml'], outputs: ['a.xml', 'b.xml', 'golden/'] },
    { argv: ['check', s, '--junit'], outputs: [] },
    { argv: ['check', s, '--update', '--update', '--no-update'], outputs: ['golden/'] },
    { argv: ['check', s, '--update=' + value], outputs: ['golden/'] },
    { argv: ['validate', s, '--set'], outputs: [] },
    { argv: ['validate', s, '--set', value], outputs: [] },
    { argv: ['validate', s, '--json'], outputs: [] },
    { argv: ['validate'], outputs: [] },
    { argv: ['view', s], outputs: [] },
    { argv: ['view', s, '-o', '@CASE@/a.html', '-o', '@CASE@/b.html'], outputs: ['a.html', 'b.html'] },
    { argv: ['view', s, '-o', '@CASE@/a.html', '--output', '@CASE@/b.html'], outputs: ['a.html', 'b.html'] },
    { argv: ['view', s, '-o', '@CASE@/a.html', '--records', value], outputs: ['a.html'] },
    { argv: ['view', s, '-o', '@CASE@/a.html', '--records', '1', '--records', '2'], outputs: ['a.html'] },
    { argv: ['view', s, '-o', '@CASE@/a.html', '--from', value], outputs: ['a.html'] },
    { argv: ['view', s, '-o', '@CASE@/a.html', '--message', value], outputs: ['a.html'] },
    { argv: ['view', s, '-o', '@CASE@/a.html', '--from', '1us', '--from', '2us'], outputs: ['a.html'] },
    { argv: ['explain', s, '--from', value], outputs: [] },
    { argv: ['explain', s, '--to', value], outputs: [] },
    { argv: ['explain', s, '--message', value], outputs: [] },
    { argv: ['explain', s, '--from', '1us', '--from', '2us'], outputs: [] },
    { argv: ['explain', s, '--message', 'm2r#0', '--message', 'm2r#1'], outputs: [] },
    { argv: ['explain', s, s], outputs: [] },
    { argv: ['layout', '--platform', 'imxrt1170', '--platform', 'lpc55s69'], outputs: [] },
    { argv: ['layout', '--platform', value], outputs: [] },
    { argv: ['layout', s, '--platform', 'imxrt1170'], outputs: [] },
    { argv: ['layout', s, '--svg', '@CASE@/a.svg', '--svg', '@CASE@/b.svg'], outputs: ['a.svg', 'b.svg'] },
    { argv: ['layout', '--buffer-count', '4', '--buffer-count', '8'], outputs: [] },
    { argv: ['layout', '--svg'], outputs: [] },
    { argv: ['shmem', s], outputs: [] },
    { argv: ['shmem', '@CASE@/s.yaml', '--platform', 'imxrt1170', '--payload-bytes', value], outputs: [] },
    { argv: ['diff', s], outputs: [] },
    { argv: ['diff', s, s, s], outputs: [] },
    { argv: ['platforms', value], outputs: [] },
    { argv: ['platforms', 'imxrt1170', 'lpc55s69'], outputs: [] },
    { argv: ['platforms', '--costs', '--costs'], outputs: [] },
    { argv: ['--version', '--version'], outputs: [] },
    { argv: ['--help', 'run', value], outputs: [] },
    { argv: [value], outputs: [] },
    { argv: ['run', s, '--color', '--no-color', '--color'], outputs: [] },
    // --fault (issue 12, Deliver 4): values of every kind, and times past the tick range
    { argv: ['run', s, '--fault', value], outputs: [] },
    { argv: ['run', s, '--fault', `{kind: drop-doorbell, to: remote, on: {doorbell: ${value}}}`], outputs: [] },
    { argv: ['run', s, '--fault', `{kind: write, field: ${value}, value: 400, at: 10us}`], outputs: [] },
    { argv: ['run', s, '--fault', `{kind: flip, field: vring1.avail.idx, bits: ${value}, at: 10us}`], outputs: [] },
    { argv: ['run', s, '--fault', `{kind: reset, core: remote, delay: ${value}, at: 10us}`], outputs: [] },
    { argv: ['run', s, '--fault', `{kind: hold-bus, port: ocram, for: ${value}, at: 10us}`], outputs: [] },
    { argv: ['run', s, '--fault', '{kind: halt, core: remote, at: 10us}', '--fault', '{kind: halt, core: remote, at: 10us}'], outputs: [] },
    { argv: ['run', s, '--fault', '{kind: late-boot, core: remote, at: 9044s}'], outputs: [] },
    { argv: ['run', s, '--fault', `{kind: hold-bus, at: 1us, for: ${value}}`], outputs: [] },
    { argv: ['run', s, '--', '--json'], outputs: [] },
    { argv: ['run', '--', s], outputs: [] },
  ];
  const line = lines[variant % lines.length]!;
  // (shmem reads s.yaml as an image of bytes: no lines to name)
  return { family: 'options', files: [{ path: 's.yaml', text: scenario }], argv: line.argv.filter((a) => !a.includes('\u0000')), outputs: line.outputs, inputs: line.argv[0] === 'shmem' ? [] : ['s.yaml'] };
}

function moduleCase(plan: ModulePlan, seed: Seed): FuzzCase {
  const m = MODULES[plan.module]!;
  // .js and .mjs hold JavaScript: type annotations removed
  const js = plan.ext === '.js' || plan.ext === '.mjs';
  let source = js ? m.source.replace(/: (?:any|number|Generator<[^>]*>)/g, '').replace(/ as any/g, '').replace(/^export type .*$/m, 'export const x = 1;') : m.source;
  const exportName = plan.exportName === 'wrong' ? 'nope' : 'master';
  if (plan.exportName !== 'wrong' && plan.role !== 'master') source = `${source}export { master as remote };\n`;
  const file = `m${plan.ext}`;
  const use = (role: 'master' | 'remote') => {
    const exp = plan.exportName === 'default' ? (role === 'master' ? '' : '\n  export: remote') : `\n  export: ${role === 'remote' && plan.exportName === 'given' ? 'remote' : exportName}`;
    return `${role}:\n  module: ./${file}${exp}\n`;
  };
  // the other core runs steps (an app would need its pair: ping-pong on both cores)
  const master = plan.role === 'remote' ? 'master:\n  steps:\n    - init\n    - delay: 100us\n' : use('master');
  const remote = plan.role === 'master' ? 'remote:\n  steps:\n    - init\n' : use('remote');
  const scenario = `name: m\nplatform: imxrt1170\n${master}${remote}stop:\n  time: 2ms\n`;
  const argv = plan.command === 'check' ? ['check', '@CASE@/m.yaml', '--update'] : [plan.command, '@CASE@/m.yaml'];
  void seed;
  return {
    family: `module:${m.name}`,
    files: [
      { path: 'm.yaml', text: scenario },
      { path: file, text: source },
    ],
    argv,
    outputs: plan.command === 'check' ? ['golden/'] : [],
    inputs: ['m.yaml', file],
    child: {},
    ...(m.deadlineMs !== undefined && { deadlineMs: m.deadlineMs }),
  };
}

const LAYOUT_OPTIONS = ['--buffer-count', '--payload-size', '--vring-align', '--vring-size'];
const PLATFORMS = ['imxrt1170', 'lpc55s69', 'imx8mm', 'lpc54114'];

function layoutCase(variant: number, values: readonly string[], image: { length: number; fill: number }, seed: Seed): FuzzCase {
  const argv: string[] = [];
  const files: CaseEntry[] = [];
  const outputs: string[] = [];
  const shmem = variant % 3 === 0;
  if (shmem) {
    const bytes = Buffer.alloc(image.length, image.fill);
    // some structure: the rings' indices where they would be, random elsewhere
    for (let i = 0; i < bytes.length; i += 97) bytes[i] = (i * 31 + image.fill) & 0xff;
    files.push({ path: 'img.bin', base64: bytes.toString('base64') });
    argv.push('shmem', '@CASE@/img.bin');
  } else argv.push('layout');
  if (variant % 5 === 1) {
    files.push({ path: 's.yaml', text: seed.text });
    argv.push('@CASE@/s.yaml');
  } else argv.push('--platform', PLATFORMS[variant % PLATFORMS.length]!);
  // which of the four rpmsg-lite options are given (a bit each), with the generated values
  const mask = (variant >> 3) % 16;
  LAYOUT_OPTIONS.forEach((o, i) => {
    if ((mask & (1 << i)) !== 0) argv.push(o, values[i]!);
  });
  if (shmem && variant % 7 === 0) argv.push('--payload-bytes', values[0]!);
  if (!shmem && variant % 4 === 2) {
    argv.push('--svg', '@CASE@/map.svg');
    outputs.push('map.svg');
  }
  return { family: shmem ? 'shmem' : 'layout', files, argv: argv.filter((a) => !a.includes('\u0000')), outputs, inputs: files.some((f) => f.path === 's.yaml') ? ['s.yaml'] : [] };
}

/** `count` plans drawn with `seed` (the same seed, the same plans). */
export function samplePlans(corpus: Corpus, seed: number, count: number): Plan[] {
  return fc.sample(planArbitrary(corpus), { seed, numRuns: count });
}

export function* cases(corpus: Corpus, plans: readonly Plan[]): Generator<FuzzCase> {
  for (const p of plans) yield buildCase(p, corpus);
}
