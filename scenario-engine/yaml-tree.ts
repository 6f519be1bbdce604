// The located tree a scenario file is read from, and the file's errors: the YAML is parsed
// with `yaml` (eemeli) into its node tree, which keeps source offsets; that tree is turned
// into a small tree of maps, lists and scalars with their offsets, which the section readers
// walk. Every problem is reported at an offset and becomes a ScenarioError with its line,
// column and line text (esbuild's messages, zod's issue lists).

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

/** A scenario file being read: its text, and the problems found in it so far. */
export class ScenarioText {
  private readonly found: ScenarioError[] = [];
  private readonly unreadable = new Set<number>();
  private readonly lineCounter = new LineCounter();
  private readonly lines: string[];

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    this.lines = text.split(/\r\n|\r|\n/);
  }

  get errorCount(): number {
    return this.found.length;
  }

  sortedErrors(): ScenarioError[] {
    // Stable: errors at one place keep the order they were found in.
    return this.found
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
      .map(({ e }) => e);
  }

  /** Parses the text into the located tree; undefined (with errors reported) when the YAML itself is broken. */
  parse(): LNode | undefined {
    const doc = parseDocument(this.text, { lineCounter: this.lineCounter, prettyErrors: false, uniqueKeys: false });
    const reported = new Set<number>();
    for (const problem of [...doc.errors, ...doc.warnings]) {
      const { line } = this.lineCounter.linePos(problem.pos[0]);
      // The parser often reports one slip as several tokens on a line: keep the first.
      if (reported.has(line)) continue;
      reported.add(line);
      const message =
        problem.code === 'MULTIPLE_DOCS'
          ? 'a scenario file holds one YAML document; remove this "---" or split the file'
          : `invalid YAML: ${problem.message}`;
      this.error(problem.pos[0], [], message);
    }
    if (this.found.length > 0) return undefined;
    if (doc.contents === null) {
      this.error(0, [], 'the file is empty', 'a scenario needs at least master, remote and stop');
      return undefined;
    }
    // Problems found while building the tree (duplicate keys, …) are local: go on validating.
    return this.build(doc.contents, doc, 0, []);
  }

  error(offset: number, path: Path, message: string, note?: string): void {
    // A node that could not be read (an unknown alias, …) gets one message, not one per reader.
    if (this.unreadable.has(offset)) return;
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
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  lineOf(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }

  // -- YAML nodes to the located tree --

  private build(node: unknown, doc: Document, fallback: number, path: Path, depth = 0): LNode {
    if (depth > 100) {
      this.error(fallback, path, 'the document nests too deeply (an alias that contains itself?)');
      return { kind: 'scalar', offset: fallback, value: null };
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) {
        const offset = node.range?.[0] ?? fallback;
        this.error(offset, path, `unknown alias *${node.source}`, 'define the anchor (&name) before using it');
        this.unreadable.add(offset);
        return { kind: 'scalar', offset, value: null };
      }
      return this.build(target, doc, node.range?.[0] ?? fallback, path, depth + 1);
    }
    if (isMap(node)) {
      const offset = node.range?.[0] ?? fallback;
      const entries: Entry[] = [];
      const firstAt = new Map<string, number>();
      for (const pair of node.items) {
        const keyNode = pair.key;
        const keyOffset = (isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? keyNode.range?.[0] : undefined) ?? offset;
        if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
          this.error(keyOffset, path, 'a key must be a plain name, not a map or a list');
          continue;
        }
        const key = String(keyNode.value);
        const first = firstAt.get(key);
        if (first !== undefined) {
          this.error(keyOffset, [...path, key], `duplicate key "${key}"`, `it is already set at line ${this.lineCounter.linePos(first).line}`);
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
      const offset = node.range?.[0] ?? fallback;
      return { kind: 'seq', offset, items: node.items.map((item, i) => this.build(item, doc, offset, [...path, i], depth + 1)) };
    }
    if (isScalar(node)) {
      const start = node.range?.[0] ?? fallback;
      const end = node.range?.[1] ?? start;
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

/**
 * Errors as text, one block per error:
 *
 *     file:line:column: message
 *       12 |     interval: 10 parsecs
 *          |               ^
 *       note: …
 */
export function formatErrors(errors: readonly ScenarioError[]): string {
  return errors
    .map((e) => {
      const number = String(e.line);
      const gutter = ' '.repeat(number.length);
      // Keep tabs in the padding so the caret lines up under tabbed text. Columns count
      // UTF-16 units, as the YAML parser's offsets do.
      const pad = e.lineText.slice(0, Math.max(0, e.column - 1)).replace(/[^\t]/g, ' ');
      const lines = [`${e.file}:${e.line}:${e.column}: ${e.message}`, `  ${number} | ${e.lineText}`, `  ${gutter} | ${pad}^`];
      if (e.note !== undefined) lines.push(`  note: ${e.note}`);
      return lines.join('\n') + '\n';
    })
    .join('');
}
