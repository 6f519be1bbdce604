// The canonical trace: JSON Lines, the header on the first line, then one line per record
// with a fixed key order (t, component, kind, then the kind's fields as RECORD_FIELDS lists
// them). Numbers are decimal integers, and nothing depends on the host, so identical runs
// give identical bytes and two traces compare with `diff` (DESIGN.md "Traces").

import { InternalError, SimError } from '../kernel';
import { type TraceHeader, type TraceHeaderInput, TraceHeaderError, canonicalHeader } from './header';
import { FileOutput, type TraceOutput, type TraceWriter } from './output';
import { RECORD_FIELDS, type RecordKind, type TraceRecord } from './trace';

/** The header line (without its newline). */
export function headerToJsonl(header: TraceHeaderInput): string {
  return JSON.stringify(canonicalHeader(header));
}

/** Per kind: its field names and the text before each value (`,"address":`), made once. */
const KIND_LAYOUT = new Map<string, { names: readonly string[]; keys: string[]; head: string }>(
  Object.entries(RECORD_FIELDS).map(([kind, names]) => [
    kind,
    { names, keys: names.map((n) => `,"${n}":`), head: `,"kind":"${kind}"` },
  ]),
);

/** JSON text of the strings records repeat (components, targets, function names); bounded. */
const quoted = new Map<string, string>();
function quote(s: string): string {
  let q = quoted.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (quoted.size < 4096) quoted.set(s, q);
  }
  return q;
}

/** One record as its canonical line (without the newline). */
export function recordToJsonl(r: TraceRecord): string {
  const layout = KIND_LAYOUT.get(r.kind);
  if (layout === undefined) throw new InternalError(`trace record of unknown kind ${JSON.stringify(r.kind)}`);
  const values = r as unknown as Record<string, unknown>;
  let line = `{"t":${integer(r.t, 't', r)},"component":${quote(r.component)}${layout.head}`;
  const { names, keys } = layout;
  for (let i = 0; i < names.length; i++) line += keys[i]! + value(values[names[i]!], names[i]!, r);
  return `${line}}`;
}

function integer(v: unknown, name: string, r: TraceRecord): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  // a model emitted a fraction, NaN or a missing field: a simulator bug, not a user error
  throw new InternalError(`trace record ${r.kind} at ${r.t}: field "${name}" must be a whole number, got ${String(v)}`);
}

function value(v: unknown, name: string, r: TraceRecord): string {
  switch (typeof v) {
    case 'number':
      return integer(v, name, r);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return quote(v);
    default:
      throw new InternalError(`trace record ${r.kind} at ${r.t}: field "${name}" is missing or not a number, boolean or string`);
  }
}

export class JsonlWriter implements TraceWriter {
  private readonly out: TraceOutput;

  constructor(target: string | TraceOutput, header: TraceHeaderInput) {
    const headerLine = headerToJsonl(header); // checked before any file is created
    this.out = typeof target === 'string' ? new FileOutput(target) : target;
    this.out.write(`${headerLine}\n`);
  }

  record(r: TraceRecord): void {
    this.out.write(`${recordToJsonl(r)}\n`);
  }

  close(): void {
    this.out.close();
  }

  abort(): void {
    this.out.abort();
  }
}

// ---- reading ---------------------------------------------------------------------------------

/** A malformed trace file: says which line and what is wrong with it. */
export class TraceReadError extends SimError {
  override name = 'TraceReadError';
  constructor(
    /** 1-based line number. */
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

type FieldType = 'integer' | 'boolean' | 'string' | readonly string[];

/** The type of every field name (a name means the same in every kind that has it). */
const FIELD_TYPES: Readonly<Record<string, FieldType>> = {
  op: ['read', 'write'],
  address: 'integer',
  size: 'integer',
  value: 'integer',
  target: 'string',
  cycles: 'integer',
  stall: 'integer',
  beats: 'integer',
  reason: 'string',
  level: 'boolean',
  line: 'integer',
  tailChained: 'boolean',
  replaced: 'integer',
  priority: 'integer',
  resumes: 'integer',
  fn: 'string',
  code: 'integer',
  dir: ['m2r', 'r2m'],
  msg: 'integer',
  src: 'integer',
  dst: 'integer',
  len: 'integer',
  buffer: 'integer',
  ept: 'integer',
  port: 'integer',
  pin: 'integer',
  vq: 'integer',
  result: 'integer',
};

/** Parses the header line (line 1). */
export function parseHeaderLine(text: string): TraceHeader {
  const value = parseJson(text, 1);
  if (!('format' in value)) throw new TraceReadError(1, 'not an rpmsg-sim trace: the first line has no "format"');
  try {
    return canonicalHeader(value);
  } catch (error) {
    if (error instanceof TraceHeaderError) throw new TraceReadError(1, error.message);
    throw error;
  }
}

/** Parses one record line; `previousT` checks that time never goes back. */
export function parseRecordLine(text: string, lineNumber: number, previousT = 0): TraceRecord {
  const o = parseJson(text, lineNumber);
  const fail = (problem: string): never => {
    throw new TraceReadError(lineNumber, problem);
  };
  const { t, component, kind } = o;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) fail(`"t" must be a whole number of ticks >= 0, got ${show(t)}`);
  if ((t as number) < previousT) fail(`time ${t as number} is before the previous record's ${previousT}`);
  if (typeof component !== 'string' || component === '') fail(`"component" must be a non-empty string, got ${show(component)}`);
  if (typeof kind !== 'string' || !Object.hasOwn(RECORD_FIELDS, kind)) fail(`unknown record kind ${show(kind)}`);
  const fields = RECORD_FIELDS[kind as RecordKind] as readonly string[];
  const record: Record<string, unknown> = { t, component, kind };
  for (const name of fields) {
    if (!(name in o)) fail(`${kind as string} record without "${name}"`);
    const v = o[name];
    const type = FIELD_TYPES[name]!;
    const ok =
      type === 'integer'
        ? typeof v === 'number' && Number.isSafeInteger(v)
        : type === 'boolean' || type === 'string'
          ? typeof v === type
          : typeof v === 'string' && type.includes(v);
    if (!ok) fail(`"${name}" of a ${kind as string} record must be ${describeType(type)}, got ${show(v)}`);
    record[name] = v;
  }
  for (const key of Object.keys(o)) {
    if (key !== 't' && key !== 'component' && key !== 'kind' && !fields.includes(key)) fail(`unknown field "${key}" in a ${kind as string} record`);
  }
  return record as TraceRecord;
}

/**
 * Reads a whole canonical trace. Records come back with their keys in canonical order.
 * Throws TraceReadError (with the line number) at the first malformed line.
 */
export function readJsonl(text: string): { header: TraceHeader; records: TraceRecord[] } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // the last line's newline
  if (lines.length === 0) throw new TraceReadError(1, 'empty file: expected the trace header');
  const header = parseHeaderLine(lines[0]!);
  const records: TraceRecord[] = [];
  let previousT = 0;
  for (let i = 1; i < lines.length; i++) {
    const r = parseRecordLine(lines[i]!, i + 1, previousT);
    previousT = r.t;
    records.push(r);
  }
  return { header, records };
}

function parseJson(text: string, lineNumber: number): Record<string, unknown> {
  if (text.trim() === '') throw new TraceReadError(lineNumber, 'empty line');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TraceReadError(lineNumber, `not valid JSON: ${excerpt(text)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TraceReadError(lineNumber, `expected a JSON object, got ${excerpt(text)}`);
  }
  return value as Record<string, unknown>;
}

function describeType(type: FieldType): string {
  if (type === 'integer') return 'a whole number';
  if (type === 'boolean') return 'true or false';
  if (type === 'string') return 'a string';
  return type.map((v) => `"${v}"`).join(' or ');
}

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function excerpt(text: string): string {
  return text.length <= 60 ? text : `${text.slice(0, 57)}...`;
}
