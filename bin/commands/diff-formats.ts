// What `rpmsg-sim diff` is given: the format of each file, told from its first bytes (not its
// name), and the comparison of two VCD files. The formats are those rpmsg-sim writes
// (sim/trace/writers.ts, docs/traces.md) and the other files that sit beside them:
//   jsonl     the canonical trace, JSON Lines (run --trace x.jsonl; golden/*.jsonl)   compared
//   vcd       Value Change Dump, IEEE 1364 §18 (run --trace x.vcd)                    compared
//   perfetto  Chrome/Perfetto trace event JSON (run --trace x.json)
//   gtkw      GTKWave save file (written beside a VCD)
//   text      the narrative text trace (run --trace x.txt, --trace -)
//   summary   a run summary, JSON (run --json, golden/*.summary.json)
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
export type FileFormat = 'jsonl' | 'vcd' | 'perfetto' | 'gtkw' | 'text' | 'summary' | 'json' | 'junit' | 'svg' | 'html' | 'xml' | 'binary';

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

/** One signal's changes, in time order, at most one per time (the last one given there). */
interface Changes {
  /** Femtoseconds. */
  times: bigint[];
  values: string[];
}

export interface ParsedVcd {
  /** "1 fs", "100 ps", … as declared ("1 s" when none is). */
  timescale: string;
  /** Femtoseconds per time unit. */
  unitFs: bigint;
  /** In declaration order, each name once. */
  signals: VcdSignal[];
  changes: Map<string, Changes>;
  /** Value changes read (all signals). */
  changeCount: number;
}

const UNIT_FS: Record<string, bigint> = { s: 10n ** 15n, ms: 10n ** 12n, us: 10n ** 9n, ns: 10n ** 6n, ps: 10n ** 3n, fs: 1n };

/** A logic value as one canonical string: lower case, without the leading digits that left-extension gives back (IEEE 1364 §18.2.1). */
function canonicalBits(bits: string): string {
  let v = bits.toLowerCase();
  let i = 0;
  while (i < v.length - 1 && ((v[i] === '0' && (v[i + 1] === '0' || v[i + 1] === '1')) || ((v[i] === 'x' || v[i] === 'z') && v[i + 1] === v[i]))) i++;
  v = v.slice(i);
  return v;
}

/** Reads a VCD file's declarations and value changes. */
export function readVcd(text: string): ParsedVcd {
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
  const widths = new Map<string, VcdSignal>();
  let definitions = true;
  let time = 0n;
  const changes = new Map<string, Changes>();
  let changeCount = 0;

  const change = (t: Token, id: string, value: string) => {
    const signal = widths.get(id);
    if (signal === undefined) throw new VcdReadError(t.line, t.column, `a value change of "${id}", which no $var declares`);
    let c = changes.get(id);
    if (c === undefined) changes.set(id, (c = { times: [], values: [] }));
    const last = c.times.length - 1;
    if (last >= 0 && c.times[last] === time) c.values[last] = value;
    else {
      c.times.push(time);
      c.values.push(value);
    }
    changeCount++;
  };

  for (let t = next(); t !== undefined; t = next()) {
    const w = t.word;
    if (definitions) {
      switch (w) {
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
          const signal = { name, id: id!, type: type!, width };
          if (!widths.has(id!)) widths.set(id!, signal);
          if (!names.has(name)) {
            names.add(name);
            signals.push(signal);
          }
          break;
        }
        case '$enddefinitions':
          noWords(t);
          definitions = false;
          break;
        default:
          throw new VcdReadError(t.line, t.column, `expected a declaration command ($scope, $var, $timescale, $enddefinitions, …), got "${w.slice(0, 40)}"`);
      }
      continue;
    }
    const c = w[0]!;
    if (c === '#') {
      if (!/^#[0-9]+$/.test(w)) throw new VcdReadError(t.line, t.column, `expected a time as #digits, got "${w.slice(0, 40)}"`);
      const now = BigInt(w.slice(1)) * unitFs;
      if (now < time) throw new VcdReadError(t.line, t.column, `time ${w} goes back (the one before was #${time / unitFs})`);
      time = now;
    } else if (c === '$') {
      if (w === '$comment') untilEnd(t);
      else if (!['$dumpvars', '$dumpall', '$dumpon', '$dumpoff', '$end'].includes(w)) throw new VcdReadError(t.line, t.column, `unexpected command "${w.slice(0, 40)}" among the value changes`);
    } else if (/^[01xzXZ]/.test(c)) {
      if (w.length < 2) throw new VcdReadError(t.line, t.column, `a value change "${w}" without an identifier code`);
      change(t, w.slice(1), canonicalBits(c));
    } else if (c === 'b' || c === 'B' || c === 'r' || c === 'R' || c === 's' || c === 'S') {
      const id = next();
      if (id === undefined) throw new VcdReadError(t.line, t.column, `the value "${w.slice(0, 40)}" has no identifier code after it`);
      if (c === 'b' || c === 'B') {
        if (!/^[bB][01xzXZ]+$/.test(w)) throw new VcdReadError(t.line, t.column, `expected a binary value (b followed by 0, 1, x, z), got "${w.slice(0, 40)}"`);
        change(t, id.word, canonicalBits(w.slice(1)));
      } else change(t, id.word, `${c.toLowerCase()}${w.slice(1)}`);
    } else {
      throw new VcdReadError(t.line, t.column, `expected a time (#…), a value change or a command, got "${w.slice(0, 40)}"`);
    }
  }
  if (definitions) {
    const lines = text.split('\n');
    throw new VcdReadError(lines.length, lines[lines.length - 1]!.length + 1, 'no $enddefinitions: the file ends in its declarations');
  }
  return { timescale, unitFs, signals, changes, changeCount };
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

/** The time (fs) at which a signal first has different values in the two files, or undefined. */
function firstDifference(a: Changes | undefined, b: Changes | undefined, unknown: string): { time: bigint; va: string | undefined; vb: string | undefined } | undefined {
  const at = a ?? { times: [], values: [] };
  const bt = b ?? { times: [], values: [] };
  let i = 0;
  let j = 0;
  let va: string | undefined;
  let vb: string | undefined;
  const same = (x: string | undefined, y: string | undefined) => (x ?? unknown) === (y ?? unknown);
  while (i < at.times.length || j < bt.times.length) {
    const ta = i < at.times.length ? at.times[i]! : undefined;
    const tb = j < bt.times.length ? bt.times[j]! : undefined;
    const t = ta === undefined ? tb! : tb === undefined ? ta : ta < tb ? ta : tb;
    if (ta === t) va = at.values[i++];
    if (tb === t) vb = bt.values[j++];
    if (!same(va, vb)) return { time: t, va, vb };
  }
  return undefined;
}

/** At most `n` names, then "and N more". */
function some(names: readonly string[], n = 5): string {
  return names.length <= n ? names.join(', ') : `${names.slice(0, n).join(', ')} and ${names.length - n} more`;
}

/** Compares two VCD files by signal and value in time. */
export function compareVcd(aName: string, a: ParsedVcd, bName: string, b: ParsedVcd): VcdComparison {
  const byNameB = new Map(b.signals.map((s) => [s.name, s]));
  const byNameA = new Map(a.signals.map((s) => [s.name, s]));
  const onlyA = a.signals.filter((s) => !byNameB.has(s.name)).map((s) => s.name);
  const onlyB = b.signals.filter((s) => !byNameA.has(s.name)).map((s) => s.name);
  let first: { time: bigint; signal: VcdSignal; va: string | undefined; vb: string | undefined } | undefined;
  const differing: string[] = [];
  for (const sa of a.signals) {
    const sb = byNameB.get(sa.name);
    if (sb === undefined) continue;
    // An unset logic signal is x (IEEE 1364 §18.2.1: every variable starts unknown).
    const unknown = sa.type === 'real' || sa.type === 'string' ? '' : 'x';
    const d = firstDifference(a.changes.get(sa.id), b.changes.get(sb.id), unknown);
    if (d === undefined) continue;
    differing.push(sa.name);
    if (first === undefined || d.time < first.time) first = { ...d, signal: sa };
  }
  const common = a.signals.length - onlyA.length;
  const lines: string[] = [];
  if (first === undefined && onlyA.length === 0 && onlyB.length === 0) {
    lines.push(`equal: ${aName} and ${bName} have the same value changes (${common} signal${common === 1 ? '' : 's'})`);
    if (a.timescale !== b.timescale) lines.push(`timescales: ${a.timescale} in ${aName}, ${b.timescale} in ${bName}`);
    return { equal: true, lines };
  }
  if (first !== undefined) {
    const { time, signal, va, vb } = first;
    const units = (v: ParsedVcd) => (time % v.unitFs === 0n ? `#${time / v.unitFs}` : `between #${time / v.unitFs} and #${time / v.unitFs + 1n}`);
    const where = a.timescale === b.timescale ? `${units(a)} at ${a.timescale}` : `${units(a)} at ${a.timescale} in ${aName}, ${units(b)} at ${b.timescale} in ${bName}`;
    lines.push(`different: at ${fsText(time)} (${where}), ${signal.name} is ${valueText(va, signal)} in ${aName} and ${valueText(vb, byNameB.get(signal.name)!)} in ${bName}`);
    lines.push(`signals that differ: ${differing.length} of ${common} (${some(differing)})`);
  } else {
    lines.push(`different: the files declare different signals; the ${common} they share have the same value changes`);
  }
  if (onlyA.length > 0) lines.push(`signals only in ${aName}: ${some(onlyA)}`);
  if (onlyB.length > 0) lines.push(`signals only in ${bName}: ${some(onlyB)}`);
  lines.push(`value changes: ${a.changeCount} in ${aName}, ${b.changeCount} in ${bName}`);
  return { equal: false, lines };
}
