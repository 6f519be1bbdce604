// What `rpmsg-sim diff` is given: the format of each file, told from its first bytes (not its
// name), and the comparison of two VCD files. The formats are those rpmsg-sim writes
// (sim/trace/writers.ts, docs/traces.md) and the other files that sit beside them:
//   jsonl     the canonical trace, JSON Lines (run --trace x.jsonl; golden/*.jsonl)   compared
//   vcd       Value Change Dump, IEEE 1364 §18 (run --trace x.vcd)                    compared
//   perfetto  Chrome/Perfetto trace event JSON (run --trace x.json)
//   gtkw      GTKWave save file (written beside a VCD)
//   text      the narrative text trace (run --trace x.txt, --trace -)
//   summary   a run summary, JSON (run --json, golden/*.summary.json)
//   report    a run summary as text (what run prints: summary-format.ts)
//   junit, svg, html, xml, binary: reports, layouts, pages, shared-memory dumps
// A file that is none of these is read as a canonical trace, whose reader then says which
// line and column is wrong.
//
// Two VCD files are compared by signal (scope path and name, as declared) and by value in
// absolute time (each file's timescale applied), not by bytes: comments, $date and $version
// do not count, nor do identifier codes, declaration order, a vector written with fewer
// leading zeros ("b0" and "b0000" are one value, IEEE 1364 §18.2.1's left-extension) or a
// change that repeats the value a signal already has.

/** A format diff tells. */
export type FileFormat = 'jsonl' | 'vcd' | 'perfetto' | 'gtkw' | 'text' | 'summary' | 'report' | 'json' | 'junit' | 'svg' | 'html' | 'xml' | 'binary';

export interface Sniffed {
  format: FileFormat;
  /** Where the telling bytes start (1-based), for the message. */
  line: number;
  column: number;
}

/** In words, for messages. */
export const FORMAT_NAMES: Record<FileFormat, string> = {
  jsonl: 'a canonical trace (JSON Lines)',
  vcd: 'a VCD file (Value Change Dump)',
  perfetto: 'a Perfetto/Chrome trace (JSON, as run --trace FILE.json writes)',
  gtkw: 'a GTKWave save file (.gtkw)',
  text: 'a text trace (as run --trace FILE.txt writes)',
  summary: 'a run summary (JSON, as run --json writes)',
  report: 'a run summary (text, as run prints it)',
  json: 'a JSON document, not JSON Lines',
  junit: 'a JUnit XML report',
  svg: 'an SVG image',
  html: 'an HTML page',
  xml: 'an XML document',
  binary: 'binary data, not text',
};

/** What to do instead, for a format diff does not compare. */
const INSTEAD: Partial<Record<FileFormat, string>> = {
  perfetto: 'write the runs with --trace FILE.jsonl (or FILE.vcd) and compare those',
  gtkw: 'compare the .vcd files it names',
  text: 'write the runs with --trace FILE.jsonl and compare those',
  summary: 'compare the runs\' .jsonl traces: diff lists the summary metrics that moved',
  report: 'compare the runs\' .jsonl traces: diff lists the summary metrics that moved',
};

/** The formats diff compares, in words. */
const ACCEPTED_FORMATS = 'two canonical traces (.jsonl, from run --trace FILE.jsonl) or two VCD files (.vcd, from run --trace FILE.vcd)';
export const ACCEPTED = `diff compares ${ACCEPTED_FORMATS}`;

/** The bytes looked at to tell a format. */
const SNIFF_BYTES = 4096;

const GTKW_DIRECTIVE = /^\[(\*|dumpfile|dumpfile_mtime|dumpfile_size|savefile|timestart|size|pos|sst_width|signals_width|sst_expanded|sst_vpaned_height|treeopen|color|pattern_trace)\]/;

/** The format of a file from its first bytes. */
export function sniffFormat(bytes: Uint8Array): Sniffed {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SNIFF_BYTES));
  const text = head.toString('utf8');
  const start = text.search(/\S/);
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  if (start < 0) return { format: 'jsonl', line: 1, column: 1 };
  const rest = text.slice(start);
  const here = at(start);
  const first = rest.split('\n', 1)[0]!.trimEnd();
  if (rest.startsWith('{')) {
    if (/^\{\s*"traceEvents"\s*:/.test(rest)) return { format: 'perfetto', ...here };
    if (first === '{') {
      // A JSON document over several lines: a summary (scenario, stopReason) or another one.
      const whole = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
      try {
        const value: unknown = JSON.parse(whole);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          return { format: 'stopReason' in value && 'scenario' in value ? 'summary' : 'json', ...here };
        }
      } catch {
        // not JSON after all: the trace reader says where
      }
    }
    return { format: 'jsonl', ...here };
  }
  if (rest.startsWith('$')) return { format: 'vcd', ...here };
  if (GTKW_DIRECTIVE.test(rest)) return { format: 'gtkw', ...here };
  if (/^\[\s*(\{|\])/.test(rest)) return { format: 'perfetto', ...here };
  if (rest.startsWith('rpmsg-sim trace of ')) return { format: 'text', ...here };
  // "ping-pong on imxrt1170: stopped (finished) at 1093.095 µs simulated"
  if (/^\S.* on \S+: stopped \(/.test(first)) return { format: 'report', ...here };
  if (rest.startsWith('<')) {
    const lower = rest.slice(0, 1024).toLowerCase();
    if (/<testsuites?[\s>]/.test(lower)) return { format: 'junit', ...here };
    if (/<svg[\s>]/.test(lower)) return { format: 'svg', ...here };
    if (/^<!doctype html|<html[\s>]/.test(lower)) return { format: 'html', ...here };
    return { format: 'xml', ...here };
  }
  const nul = head.indexOf(0);
  const bad = nul >= 0 ? nul : firstInvalidUtf8(head);
  if (bad !== undefined) {
    const before = head.subarray(0, bad).toString('utf8').split('\n');
    return { format: 'binary', line: before.length, column: before[before.length - 1]!.length + 1 };
  }
  return { format: 'jsonl', ...here };
}

/** The offset of the first byte that is not part of valid UTF-8 (a sequence cut at the end of the bytes looked at is not counted), or undefined. */
function firstInvalidUtf8(bytes: Buffer): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0) return i;
    if (i + n > bytes.length) return undefined;
    for (let k = 1; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += n;
  }
  return undefined;
}

/** The one-line message for a file diff does not compare. */
export function unsupportedText(file: string, s: Sniffed): string {
  const instead = INSTEAD[s.format];
  return `${file}:${s.line}:${s.column}: this is ${FORMAT_NAMES[s.format]}; ${ACCEPTED}${instead === undefined ? '' : `: ${instead}`}`;
}

/** The one-line message for two files of different formats. */
export function mismatchText(a: string, sa: Sniffed, b: string, sb: Sniffed): string {
  return `${b}:${sb.line}:${sb.column}: this is ${FORMAT_NAMES[sb.format]}, but ${a} is ${FORMAT_NAMES[sa.format]}; diff compares two files of one format: ${ACCEPTED_FORMATS}`;
}

// ---------------------------------------------------------------------------------------------
// VCD

/** A VCD file that cannot be read, located. */
export class VcdReadError extends Error {
  override name = 'VcdReadError';
  /** The file, as readVcd was told it ("" when it was not). */
  file = '';
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`line ${line}, column ${column}: ${problem}`);
  }
}

export interface VcdSignal {
  /** Scope path and reference, with the declared range if any: "rpmsg_sim.mu_a.CR", "top.bus[7:0]". */
  name: string;
  id: string;
  type: string;
  width: number;
}

/** The value changes of one time: (identifier code, canonical value) in file order. */
export interface VcdBlock {
  /** Femtoseconds. */
  time: bigint;
  changes: [string, string][];
}

export interface ParsedVcd {
  /** "1 fs", "100 ps", … as declared ("1 s" when none is). */
  timescale: string;
  /** Femtoseconds per time unit. */
  unitFs: bigint;
  /** In declaration order, each name once (a code declared under two names is two signals). */
  signals: VcdSignal[];
  /**
   * The value changes, one time after the other, read as they are asked for (once): memory
   * stays flat whatever the file's length. A problem in them throws VcdReadError.
   */
  blocks: Generator<VcdBlock, void, undefined>;
}

const UNIT_FS: Record<string, bigint> = { s: 10n ** 15n, ms: 10n ** 12n, us: 10n ** 9n, ns: 10n ** 6n, ps: 10n ** 3n, fs: 1n };

/** A logic value as one canonical string: lower case, without the leading digits that left-extension gives back (IEEE 1364 §18.2.1). */
function canonicalBits(bits: string): string {
  if (bits.length === 1 || (bits[0] === '1' && !/[XZ]/.test(bits))) return bits.length === 1 ? bits.toLowerCase() : bits;
  const v = bits.toLowerCase();
  let i = 0;
  while (i < v.length - 1 && ((v[i] === '0' && (v[i + 1] === '0' || v[i + 1] === '1')) || ((v[i] === 'x' || v[i] === 'z') && v[i + 1] === v[i]))) i++;
  return v.slice(i);
}

/** The first characters of a scalar value change ("0!", "x#"). */
const SCALAR = new Set(['0', '1', 'x', 'z', 'X', 'Z']);

/** The commands that may stand among the value changes (a $comment is skipped whole). */
const DUMP_COMMANDS = new Set(['$dumpvars', '$dumpall', '$dumpon', '$dumpoff', '$end']);

/** Reads a VCD file's declarations now, and its value changes as `blocks` is iterated; a VcdReadError names `file`. */
export function readVcd(text: string, file = ''): ParsedVcd {
  try {
    const parsed = readVcdText(text);
    return { ...parsed, blocks: named(parsed.blocks, file) };
  } catch (error) {
    if (error instanceof VcdReadError) error.file = file;
    throw error;
  }
}

function* named(blocks: Generator<VcdBlock, void, undefined>, file: string): Generator<VcdBlock, void, undefined> {
  try {
    yield* blocks;
  } catch (error) {
    if (error instanceof VcdReadError) error.file = file;
    throw error;
  }
}

function readVcdText(text: string): ParsedVcd {
  const tokens = /\S+/g;
  let line = 1;
  let lineStart = 0;
  let newline = text.indexOf('\n');
  /** The next token and where it starts, or undefined at the end. */
  const next = (): { word: string; line: number; column: number } | undefined => {
    const m = tokens.exec(text);
    if (m === null) return undefined;
    while (newline >= 0 && newline < m.index) {
      line++;
      lineStart = newline + 1;
      newline = text.indexOf('\n', newline + 1);
    }
    return { word: m[0], line, column: m.index - lineStart + 1 };
  };
  type Token = NonNullable<ReturnType<typeof next>>;
  /** The words of a command up to its $end. */
  const untilEnd = (command: Token): Token[] => {
    const words: Token[] = [];
    for (;;) {
      const t = next();
      if (t === undefined) throw new VcdReadError(command.line, command.column, `${command.word} has no $end`);
      if (t.word === '$end') return words;
      words.push(t);
    }
  };
  /** A command that takes nothing before its $end. */
  const noWords = (command: Token): void => {
    const t = next();
    if (t === undefined) throw new VcdReadError(command.line, command.column, `${command.word} has no $end`);
    if (t.word !== '$end') throw new VcdReadError(t.line, t.column, `expected $end after ${command.word}, got "${t.word.slice(0, 40)}"`);
  };

  let timescale = '1 s';
  let unitFs = UNIT_FS.s!;
  const scopes: string[] = [];
  const signals: VcdSignal[] = [];
  const names = new Set<string>();
  const declared = new Set<string>();
  let definitions = true;
  while (definitions) {
    const t = next();
    if (t === undefined) {
      const lines = text.split('\n');
      throw new VcdReadError(lines.length, lines[lines.length - 1]!.length + 1, 'no $enddefinitions: the file ends in its declarations');
    }
    switch (t.word) {
      case '$comment':
      case '$date':
      case '$version':
        untilEnd(t);
        break;
      case '$timescale': {
        const words = untilEnd(t).map((x) => x.word).join('');
        const m = /^(1|10|100)(s|ms|us|ns|ps|fs)$/.exec(words);
        if (m === null) throw new VcdReadError(t.line, t.column, `$timescale ${words}: expected 1, 10 or 100 and one of s, ms, us, ns, ps, fs`);
        timescale = `${m[1]} ${m[2]}`;
        unitFs = BigInt(m[1]!) * UNIT_FS[m[2]!]!;
        break;
      }
      case '$scope': {
        const words = untilEnd(t);
        if (words.length !== 2) throw new VcdReadError(t.line, t.column, '$scope: expected a scope type and a name before $end');
        scopes.push(words[1]!.word);
        break;
      }
      case '$upscope':
        noWords(t);
        if (scopes.pop() === undefined) throw new VcdReadError(t.line, t.column, '$upscope without a $scope');
        break;
      case '$var': {
        const words = untilEnd(t);
        if (words.length < 4) throw new VcdReadError(t.line, t.column, '$var: expected a type, a size, an identifier code and a reference before $end');
        const [type, size, id, ...reference] = words.map((x) => x.word);
        const width = Number(size);
        if (!/^[0-9]+$/.test(size!) || width < 1) throw new VcdReadError(words[1]!.line, words[1]!.column, `$var: expected a size of 1 or more bits, got "${size}"`);
        const name = [...scopes, reference.join('')].join('.');
        declared.add(id!);
        if (!names.has(name)) {
          names.add(name);
          signals.push({ name, id: id!, type: type!, width });
        }
        break;
      }
      case '$enddefinitions':
        noWords(t);
        definitions = false;
        break;
      default:
        throw new VcdReadError(t.line, t.column, `expected a declaration command ($scope, $var, $timescale, $enddefinitions, …), got "${t.word.slice(0, 40)}"`);
    }
  }

  function* blocks(): Generator<VcdBlock, void, undefined> {
    let block: VcdBlock = { time: 0n, changes: [] };
    const change = (t: Token, id: string, value: string) => {
      if (!declared.has(id)) throw new VcdReadError(t.line, t.column, `a value change of "${id}", which no $var declares`);
      block.changes.push([id, value]);
    };
    for (let t = next(); t !== undefined; t = next()) {
      const w = t.word;
      const c = w[0]!;
      if (SCALAR.has(c)) {
        if (w.length < 2) throw new VcdReadError(t.line, t.column, `a value change "${w}" without an identifier code`);
        change(t, w.slice(1), c === '0' || c === '1' ? c : c.toLowerCase());
      } else if (c === '#') {
        if (!/^#[0-9]+$/.test(w)) throw new VcdReadError(t.line, t.column, `expected a time as #digits, got "${w.slice(0, 40)}"`);
        const now = BigInt(w.slice(1)) * unitFs;
        if (now < block.time) throw new VcdReadError(t.line, t.column, `time ${w} goes back (the one before was #${block.time / unitFs})`);
        if (now !== block.time) {
          if (block.changes.length > 0) yield block;
          block = { time: now, changes: [] };
        }
      } else if (c === '$') {
        if (w === '$comment') untilEnd(t);
        else if (!DUMP_COMMANDS.has(w)) throw new VcdReadError(t.line, t.column, `unexpected command "${w.slice(0, 40)}" among the value changes`);
      } else if (c === 'b' || c === 'B' || c === 'r' || c === 'R' || c === 's' || c === 'S') {
        const id = next();
        if (id === undefined) throw new VcdReadError(t.line, t.column, `the value "${w.slice(0, 40)}" has no identifier code after it`);
        if (c === 'b' || c === 'B') {
          if (!/^[bB][01xzXZ]+$/.test(w)) throw new VcdReadError(t.line, t.column, `expected a binary value (b followed by 0, 1, x, z), got "${w.slice(0, 40)}"`);
          change(t, id.word, canonicalBits(w.slice(1)));
        } else if (c === 'r' || c === 'R') {
          // a real as its number: "r1.50" and "r1.5e0" are one value
          const v = Number(w.slice(1));
          change(t, id.word, `r${Number.isNaN(v) ? w.slice(1) : String(v)}`);
        } else change(t, id.word, `s${w.slice(1)}`);
      } else {
        throw new VcdReadError(t.line, t.column, `expected a time (#…), a value change or a command, got "${w.slice(0, 40)}"`);
      }
    }
    if (block.changes.length > 0) yield block;
  }

  return { timescale, unitFs, signals, blocks: blocks() };
}

/** Femtoseconds as a time for people: "3437.5 ns", "0 ns". */
export function fsText(fs: bigint): string {
  const ns = fs / 1_000_000n;
  const frac = (fs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${ns}${frac === '' ? '' : `.${frac}`} ns`;
}

/** A value as the file writes it, with the number of a binary vector without x or z: "b101 (0x5)". */
function valueText(value: string | undefined, signal: VcdSignal): string {
  if (value === undefined) return 'no value yet';
  if (value[0] === 'r' || value[0] === 's') return value;
  if (signal.width === 1 && value.length === 1) return value;
  return /^[01]+$/.test(value) ? `b${value} (0x${BigInt(`0b${value}`).toString(16)})` : `b${value}`;
}

export interface VcdComparison {
  equal: boolean;
  /** Lines for people, the first one the verdict. */
  lines: string[];
}

/** At most `n` names, then "and N more". */
function some(names: readonly string[], n = 5): string {
  return names.length <= n ? names.join(', ') : `${names.slice(0, n).join(', ')} and ${names.length - n} more`;
}

/**
 * Compares two VCD files by signal and value in time: both are walked together, one time
 * after the other, keeping each signal's current value; at every time where either file
 * changes a signal they share, its two values are compared. Reads both to the end (a read
 * error anywhere is reported, and every differing signal counted).
 */
export function compareVcd(aName: string, a: ParsedVcd, bName: string, b: ParsedVcd): VcdComparison {
  const byNameB = new Map(b.signals.map((s) => [s.name, s]));
  const byNameA = new Map(a.signals.map((s) => [s.name, s]));
  const onlyA = a.signals.filter((s) => !byNameB.has(s.name)).map((s) => s.name);
  const onlyB = b.signals.filter((s) => !byNameA.has(s.name)).map((s) => s.name);
  /** The shared signals, in a's declaration order, as [a's code, b's code, the unset value]. */
  const shared = a.signals.filter((s) => byNameB.has(s.name)).map((s) => ({ name: s.name, a: s, b: byNameB.get(s.name)!, unknown: s.type === 'real' || s.type === 'string' ? '' : 'x' }));
  // An unset logic signal is x (IEEE 1364 §18.2.1: every variable starts unknown).
  const byCodeA = new Map<string, number[]>();
  const byCodeB = new Map<string, number[]>();
  shared.forEach((s, i) => {
    (byCodeA.get(s.a.id) ?? byCodeA.set(s.a.id, []).get(s.a.id)!).push(i);
    (byCodeB.get(s.b.id) ?? byCodeB.set(s.b.id, []).get(s.b.id)!).push(i);
  });
  const valuesA = new Map<string, string>();
  const valuesB = new Map<string, string>();
  const differs = new Array<boolean>(shared.length).fill(false);
  let first: { time: bigint; index: number; va: string | undefined; vb: string | undefined } | undefined;
  let countA = 0;
  let countB = 0;
  let na = a.blocks.next();
  let nb = b.blocks.next();
  // The shared signals changed at the current time, each once (stamped with the step).
  const touched: number[] = [];
  const stamp = new Array<number>(shared.length).fill(-1);
  const touch = (indices: readonly number[] | undefined, step: number) => {
    if (indices === undefined) return;
    for (const i of indices) {
      if (stamp[i] === step) continue;
      stamp[i] = step;
      touched.push(i);
    }
  };
  for (let step = 0; !na.done || !nb.done; step++) {
    const time = na.done ? nb.value!.time : nb.done ? na.value.time : na.value.time < nb.value.time ? na.value.time : nb.value.time;
    touched.length = 0;
    if (!na.done && na.value.time === time) {
      for (const [id, v] of na.value.changes) {
        valuesA.set(id, v);
        touch(byCodeA.get(id), step);
      }
      countA += na.value.changes.length;
      na = a.blocks.next();
    }
    if (!nb.done && nb.value.time === time) {
      for (const [id, v] of nb.value.changes) {
        valuesB.set(id, v);
        touch(byCodeB.get(id), step);
      }
      countB += nb.value.changes.length;
      nb = b.blocks.next();
    }
    if (touched.length > 1) touched.sort((x, y) => x - y);
    for (const i of touched) {
      const s = shared[i]!;
      const va = valuesA.get(s.a.id);
      const vb = valuesB.get(s.b.id);
      if ((va ?? s.unknown) === (vb ?? s.unknown)) continue;
      differs[i] = true;
      first ??= { time, index: i, va, vb };
    }
  }
  const differing = shared.filter((_, i) => differs[i]).map((s) => s.name);
  const lines: string[] = [];
  if (first === undefined && onlyA.length === 0 && onlyB.length === 0) {
    lines.push(`equal: ${aName} and ${bName} have the same value changes (${shared.length} signal${shared.length === 1 ? '' : 's'})`);
    if (a.timescale !== b.timescale) lines.push(`timescales: ${a.timescale} in ${aName}, ${b.timescale} in ${bName}`);
    return { equal: true, lines };
  }
  if (first !== undefined) {
    const { time, va, vb } = first;
    const s = shared[first.index]!;
    const units = (v: ParsedVcd) => (time % v.unitFs === 0n ? `#${time / v.unitFs}` : `between #${time / v.unitFs} and #${time / v.unitFs + 1n}`);
    const where = a.timescale === b.timescale ? `${units(a)} at ${a.timescale}` : `${units(a)} at ${a.timescale} in ${aName}, ${units(b)} at ${b.timescale} in ${bName}`;
    lines.push(`different: at ${fsText(time)} (${where}), ${s.name} is ${valueText(va, s.a)} in ${aName} and ${valueText(vb, s.b)} in ${bName}`);
    lines.push(`signals that differ: ${differing.length} of ${shared.length} (${some(differing)})`);
  } else {
    lines.push(`different: the files declare different signals; the ${shared.length} they share have the same value changes`);
  }
  if (onlyA.length > 0) lines.push(`signals only in ${aName}: ${some(onlyA)}`);
  if (onlyB.length > 0) lines.push(`signals only in ${bName}: ${some(onlyB)}`);
  lines.push(`value changes: ${countA} in ${aName}, ${countB} in ${bName}`);
  return { equal: false, lines };
}
