// The located tree a scenario file is read from, and the file's errors: the YAML is parsed
// with `yaml` (eemeli) into its node tree, which keeps source offsets; that tree is turned
// into a small tree of maps, lists and scalars with their offsets, which the section readers
// walk. Every problem is reported at an offset and becomes a ScenarioError with its line,
// column and line text (esbuild's messages, zod's issue lists).
//
// `--set path=value` arguments are grafted onto that tree (each value parsed as YAML of its
// own), so a set value goes through the same checks as one written in the file, and a
// problem in it is reported in the argument (its number and column), not in a rewritten
// file that is not on disk. Offsets past the file's text address the arguments: argument k
// occupies [base(k), base(k) + its length], base(0) = the text's length + 1.

import { type Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { ScenarioError, SourceLocation } from './types';
import { describeInput } from './units';

export type Path = (string | number)[];
export type ScalarValue = string | number | boolean | null;
export interface MapNode {
  kind: 'map';
  offset: number;
  entries: Entry[];
}
export interface SeqNode {
  kind: 'seq';
  offset: number;
  items: LNode[];
}
export interface ScalarNode {
  kind: 'scalar';
  offset: number;
  value: ScalarValue;
}
export type LNode = MapNode | SeqNode | ScalarNode;
export interface Entry {
  key: string;
  keyOffset: number;
  value: LNode;
}

/**
 * At most this many nodes may be copied by aliases (`*name`) in one scenario: an "alias
 * bomb" (each level a list of ten aliases of the one before) or an alias inside the node it
 * names would expand without bound. No shipped scenario uses an alias; the largest
 * (scenarios/lessons/two-endpoints.yaml) has 129 YAML nodes, so 10,000 copied nodes (77
 * times that scenario) leaves room for any honest reuse of a block (an assumption).
 */
export const MAX_ALIAS_NODES = 10_000;

/** A `--set` argument as the tree reads it: where each key of its path and its value start in the argument. */
export type SettingSource =
  | { argument: string; keys: { key: string; at: number }[]; valueAt: number }
  | { argument: string; problem: { at: number; message: string; note?: string } };

export function describeNode(node: LNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  return describeInput(node.value);
}

/** A map being read: its entries, where it is, and where to report a missing key. */
export class Fields {
  constructor(
    readonly node: MapNode,
    readonly path: Path,
    /** "master", "the send step": how messages name this map. */
    readonly where: string,
    /** Offset of the key that introduced the map (missing keys are reported there). */
    readonly anchor: number,
  ) {}
  entry(key: string): Entry | undefined {
    return this.node.entries.find((e) => e.key === key);
  }
  get(key: string): LNode | undefined {
    return this.entry(key)?.value;
  }
  at(key: string): Path {
    return [...this.path, key];
  }
}

/** A scenario file being read: its text, the --set arguments applied to it, and the problems found so far. */
export class ScenarioText {
  private readonly found: ScenarioError[] = [];
  private readonly unreadable = new Set<number>();
  private readonly lineCounter = new LineCounter();
  private readonly lines: string[];
  /** Where each --set argument starts in the offset space (see the top of the file). */
  private readonly bases: number[] = [];
  /** While a --set value is built: added to its parser's offsets. */
  private shift = 0;
  /** The YAML nodes being built (an alias to one of them contains itself). */
  private readonly building = new Set<unknown>();
  /** The aliases being expanded, outermost first. */
  private readonly aliases: { name: string; offset: number }[] = [];
  /** Nodes copied by aliases so far (MAX_ALIAS_NODES). */
  private aliasNodes = 0;
  private exhausted = false;

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly settings: readonly SettingSource[] = [],
  ) {
    this.lines = text.split(/\r\n|\r|\n/);
    let base = text.length + 1;
    for (const s of settings) {
      this.bases.push(base);
      base += s.argument.length + 1;
    }
  }

  get errorCount(): number {
    return this.found.length;
  }

  sortedErrors(): ScenarioError[] {
    // Stable: errors at one place keep the order they were found in. The file's errors come
    // first, then each --set argument's, in the order given.
    const setting = (e: ScenarioError) => e.setting?.index ?? 0;
    return this.found
      .map((e, i) => ({ e, i }))
      .sort((a, b) => setting(a.e) - setting(b.e) || a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
      .map(({ e }) => e);
  }

  /**
   * Parses the text into the located tree and applies the --set arguments; undefined (with
   * errors reported) when the YAML itself is broken. A broken file is reported alone: its
   * settings are not applied.
   */
  parse(): LNode | undefined {
    const doc = this.parseYaml(this.text, 0);
    if (doc === undefined) return undefined;
    if (doc.contents === null) {
      this.error(0, [], 'the file is empty', 'a scenario needs at least master, remote and stop');
      return undefined;
    }
    // Problems found while building the tree (duplicate keys, …) are local: go on validating.
    let root: LNode | undefined = this.build(doc.contents, doc, 0, []);
    for (let k = 0; k < this.settings.length && root !== undefined; k++) root = this.applySetting(root, k);
    return this.exhausted ? undefined : root;
  }

  /** The YAML document of a text (the file's, or a --set value at `shift`); undefined when it has errors (reported). */
  private parseYaml(text: string, shift: number): Document | undefined {
    const lineCounter = shift === 0 ? this.lineCounter : new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    const reported = new Set<number>();
    let ok = true;
    for (const problem of [...doc.errors, ...doc.warnings]) {
      const { line } = lineCounter.linePos(problem.pos[0]);
      // The parser often reports one slip as several tokens on a line: keep the first.
      if (reported.has(line)) continue;
      reported.add(line);
      const message =
        problem.code === 'MULTIPLE_DOCS'
          ? shift === 0
            ? 'a scenario file holds one YAML document; remove this "---" or split the file'
            : 'a --set value is one YAML value; remove this "---"'
          : `invalid YAML: ${problem.message}`;
      this.error(problem.pos[0] + shift, [], message);
      ok = false;
    }
    return ok ? doc : undefined;
  }

  error(offset: number, path: Path, message: string, note?: string): void {
    // A node that could not be read (an unknown alias, …) gets one message, not one per reader.
    if (this.unreadable.has(offset)) return;
    const k = this.settingAt(offset);
    if (k !== undefined) {
      const argument = this.settings[k]!.argument;
      this.found.push({
        file: this.file,
        line: 1,
        column: Math.min(offset - this.bases[k]!, argument.length) + 1,
        message,
        path,
        ...(note !== undefined && { note }),
        lineText: argument,
        setting: { index: k + 1, argument },
      });
      return;
    }
    const { line, col } = this.lineCounter.linePos(Math.min(offset, this.text.length));
    this.found.push({
      file: this.file,
      line,
      column: col,
      message,
      path,
      ...(note !== undefined && { note }),
      lineText: this.lines[line - 1] ?? '',
    });
  }

  location(offset: number): SourceLocation {
    const k = this.settingAt(offset);
    if (k !== undefined) return { file: settingName(k + 1, this.settings[k]!.argument), line: 1, column: offset - this.bases[k]! + 1 };
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  /** The line of an offset in the file (1 for one in a --set argument, which has one line). */
  lineOf(offset: number): number {
    return this.settingAt(offset) === undefined ? this.lineCounter.linePos(offset).line : 1;
  }

  /** Where an offset is, for a message: "line 12" in the file, "--set #2" in an argument. */
  placeOf(offset: number): string {
    const k = this.settingAt(offset);
    return k === undefined ? `line ${this.lineCounter.linePos(offset).line}` : `--set #${k + 1}`;
  }

  /** The --set argument (0-based) an offset falls in; undefined for the file. */
  private settingAt(offset: number): number | undefined {
    if (offset <= this.text.length) return undefined;
    for (let k = this.bases.length - 1; k >= 0; k--) if (offset >= this.bases[k]!) return k;
    return undefined;
  }

  // -- --set arguments --

  /** Grafts the value of --set argument k onto the tree at its path; returns the root (a new one when the path is empty). */
  private applySetting(root: LNode, k: number): LNode {
    const setting = this.settings[k]!;
    const base = this.bases[k]!;
    if ('problem' in setting) {
      this.error(base + setting.problem.at, [], setting.problem.message, setting.problem.note);
      return root;
    }
    const doc = this.parseYaml(setting.argument.slice(setting.valueAt), base + setting.valueAt);
    if (doc === undefined) return root;
    const path: Path = [];
    this.shift = base + setting.valueAt;
    const value: LNode =
      doc.contents === null ? { kind: 'scalar', offset: base + setting.valueAt, value: null } : this.build(doc.contents, doc, base + setting.valueAt, path);
    this.shift = 0;
    let node = root;
    for (let i = 0; i < setting.keys.length; i++) {
      const { key, at } = setting.keys[i]!;
      const last = i === setting.keys.length - 1;
      const offset = base + at;
      const shown = path.length === 0 ? 'the scenario' : path.join('.');
      if (node.kind === 'map') {
        path.push(key);
        const entry = node.entries.find((e) => e.key === key);
        if (last) {
          if (entry === undefined) node.entries.push({ key, keyOffset: offset, value });
          else Object.assign(entry, { keyOffset: offset, value });
        } else if (entry === undefined) {
          const child: MapNode = { kind: 'map', offset, entries: [] };
          node.entries.push({ key, keyOffset: offset, value: child });
          node = child;
        } else {
          node = entry.value;
        }
      } else if (node.kind === 'seq') {
        const index = /^\d+$/.test(key) ? Number(key) : undefined;
        if (index === undefined || index > node.items.length) {
          const range = node.items.length === 0 ? 'it is empty: 0 adds an item' : `0 to ${node.items.length - 1}, or ${node.items.length} to add an item`;
          const problem = index === undefined ? `${shown} is a list: "${key}" is not an index` : `${shown} has ${node.items.length} item${node.items.length === 1 ? '' : 's'}: index ${index} is past its end`;
          this.error(offset, [...path, key], problem, `give an index, ${range}`);
          return root;
        }
        path.push(index);
        if (last) node.items[index] = value;
        else if (index === node.items.length) node.items.push((node = { kind: 'map', offset, entries: [] }));
        else node = node.items[index]!;
      } else {
        this.error(offset, [...path, key], `${shown} is ${describeNode(node)}, not a map or a list: there is no "${key}" in it`, 'a --set path names maps and list items of the scenario, e.g. master.params.count');
        return root;
      }
    }
    return setting.keys.length === 0 ? value : root;
  }

  // -- YAML nodes to the located tree --

  private at(position: number | undefined, fallback: number): number {
    return position === undefined ? fallback : position + this.shift;
  }

  private build(node: unknown, doc: Document, fallback: number, path: Path, depth = 0): LNode {
    if (this.exhausted) return { kind: 'scalar', offset: fallback, value: null };
    if (this.aliases.length > 0 && ++this.aliasNodes > MAX_ALIAS_NODES) {
      // Reported at the alias written in the document's own text that is being expanded.
      const outer = this.aliases[0]!;
      this.error(
        outer.offset,
        path,
        `alias *${outer.name} takes the document past the limit of ${MAX_ALIAS_NODES.toLocaleString('en-US')} nodes copied by aliases`,
        'an alias (*name) repeats a node, and aliases of lists of aliases multiply; expected a scenario that repeats a few blocks at most: write the values out',
      );
      this.exhausted = true;
      return { kind: 'scalar', offset: fallback, value: null };
    }
    if (depth > 100) {
      this.error(fallback, path, 'the document nests too deeply (an alias that contains itself?)');
      return { kind: 'scalar', offset: fallback, value: null };
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const offset = this.at(node.range?.[0], fallback);
      if (target === undefined) {
        this.error(offset, path, `unknown alias *${node.source}`, 'define the anchor (&name) before using it');
        this.unreadable.add(offset);
        return { kind: 'scalar', offset, value: null };
      }
      if (this.building.has(target)) {
        this.error(offset, path, `alias *${node.source} is inside the node it names (&${node.source}): it would repeat without end`, 'an alias can only repeat a node that is complete before it');
        this.unreadable.add(offset);
        return { kind: 'scalar', offset, value: null };
      }
      this.aliases.push({ name: node.source, offset });
      try {
        return this.build(target, doc, offset, path, depth + 1);
      } finally {
        this.aliases.pop();
      }
    }
    this.building.add(node);
    try {
      return this.buildNode(node, doc, fallback, path, depth);
    } finally {
      this.building.delete(node);
    }
  }

  private buildNode(node: unknown, doc: Document, fallback: number, path: Path, depth: number): LNode {
    if (isMap(node)) {
      const offset = this.at(node.range?.[0], fallback);
      const entries: Entry[] = [];
      const firstAt = new Map<string, number>();
      for (const pair of node.items) {
        const keyNode = pair.key;
        const keyOffset = isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? this.at(keyNode.range?.[0], offset) : offset;
        if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
          this.error(keyOffset, path, 'a key must be a plain name, not a map or a list');
          continue;
        }
        const key = String(keyNode.value);
        const first = firstAt.get(key);
        if (first !== undefined) {
          this.error(keyOffset, [...path, key], `duplicate key "${key}"`, `it is already set at ${this.placeOf(first)}`);
          continue;
        }
        firstAt.set(key, keyOffset);
        // An empty value ("key:") is reported at its key, where the reader looks.
        const value = pair.value === null ? ({ kind: 'scalar', offset: keyOffset, value: null } as const) : undefined;
        entries.push({ key, keyOffset, value: value ?? this.build(pair.value, doc, keyOffset, [...path, key], depth + 1) });
      }
      return { kind: 'map', offset, entries };
    }
    if (isSeq(node)) {
      const offset = this.at(node.range?.[0], fallback);
      return { kind: 'seq', offset, items: node.items.map((item, i) => this.build(item, doc, offset, [...path, i], depth + 1)) };
    }
    if (isScalar(node)) {
      const start = this.at(node.range?.[0], fallback);
      const end = this.at(node.range?.[1], start);
      const offset = node.value === null && end === start ? fallback : start;
      const v = node.value;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        return { kind: 'scalar', offset, value: v };
      }
      this.error(offset, path, `unsupported YAML value${node.tag !== undefined ? ` (tag ${node.tag})` : ''}`, 'write plain numbers, text, true or false');
      this.unreadable.add(offset);
      return { kind: 'scalar', offset, value: null };
    }
    return { kind: 'scalar', offset: fallback, value: null };
  }
}

/** How messages name --set argument `index` (1-based): `--set #2 'stop.time=2ms'`, quoted for a POSIX shell; a long one cut to 60 characters. */
export function settingName(index: number, argument: string): string {
  const shown = argument.length <= 60 ? argument : `${argument.slice(0, 59)}…`;
  return `--set #${index} '${shown.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '\u00b7').replace(/'/g, "'\\''")}'`;
}

/**
 * Errors as text, one block per error:
 *
 *     file:line:column: message
 *       12 |     interval: 10 parsecs
 *          |               ^
 *       note: …
 *
 * and for one in a --set argument (its number, the argument, the column in it):
 *
 *     file: --set #2 'stop.time=*a', column 11: unknown alias *a
 *       --set #2 | stop.time=*a
 *                |           ^
 */
export function formatErrors(errors: readonly ScenarioError[]): string {
  return errors
    .map((e) => {
      const shown = shownLine(e.lineText, e.column);
      const gutter = e.setting === undefined ? String(e.line) : `--set #${e.setting.index}`;
      // Keep tabs in the padding so the caret lines up under tabbed text. Columns count
      // UTF-16 units, as the YAML parser's offsets do.
      const pad = shown.text.slice(0, Math.max(0, shown.column - 1)).replace(/[^\t]/g, ' ');
      const where = e.setting === undefined ? `${e.file}:${e.line}:${e.column}` : `${e.file}: ${settingName(e.setting.index, e.setting.argument)}, column ${e.column}`;
      const lines = [`${where}: ${e.message}`, `  ${gutter} | ${shown.text}`, `  ${' '.repeat(gutter.length)} | ${pad}^`];
      if (e.note !== undefined) lines.push(`  note: ${e.note}`);
      return lines.join('\n') + '\n';
    })
    .join('');
}

/** Longer lines are shown as this many characters around the column. */
const SHOWN_LINE = 120;

/** The part of a line shown under a message: all of it, or a window around the column; control characters as "·". */
function shownLine(text: string, column: number): { text: string; column: number } {
  // The window first: a long line is shown once per error on it.
  const visible = (t: string) => t.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '\u00b7');
  if (text.length <= SHOWN_LINE) return { text: visible(text), column };
  const start = Math.max(0, Math.min(column - 1 - SHOWN_LINE / 2, text.length - SHOWN_LINE));
  const head = start > 0 ? '…' : '';
  const tail = start + SHOWN_LINE < text.length ? '…' : '';
  return { text: head + visible(text.slice(start, start + SHOWN_LINE)) + tail, column: column - start + head.length };
}
