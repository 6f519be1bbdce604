// The canonical trace: JSON Lines, the header on the first line, then one line per record
// with a fixed key order (t, component, kind, then the kind's fields as RECORD_FIELDS lists
// them). Numbers are decimal integers, and nothing depends on the host, so identical runs
// give identical bytes and two traces compare with `diff` (docs/design.md "Traces").
//
// Two formatters give the same bytes: recordToJsonl, the plain reference (a string per
// record, driven by RECORD_FIELDS), and the writer's formatRecord, which puts each record
// straight into the output block with pre-encoded constants and no string at all (the hot
// path of a traced run; docs/traces.md "Streaming and atomic files"). A test compares the
// two for every kind; values the fast path does not take go to the reference.

import { InternalError, SimError } from '../kernel';
import { type TraceHeader, type TraceHeaderInput, TraceHeaderError, canonicalHeader } from './header';
import { MAX_INTEGER_BYTES, type Packed, UNUSUAL_VALUE, pack, put, putInteger } from './ascii';
import { FileOutput, type OutputBuffer, type OutputOptions, type TraceOutput, type TraceWriter } from './output';
import { RECORD_FIELDS, RECORD_KINDS, type RecordKind, type TraceRecord } from './trace';

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

/**
 * JSON text of a string field with its key before it (`,"target":"ocram"`), as bytes, made
 * once per distinct string (bounded: past the bound a string is encoded each time).
 */
class QuotedField {
  private readonly cache = new Map<unknown, Packed>();

  constructor(private readonly key: string) {}

  bytes(v: unknown): Packed {
    const cached = this.cache.get(v);
    if (cached !== undefined) return cached;
    if (typeof v !== 'string') throw UNUSUAL_VALUE; // not a string: the slow path says so
    const b = pack(`,"${this.key}":${JSON.stringify(v)}`);
    if (this.cache.size < 4096) this.cache.set(v, b);
    return b;
  }
}

const COMPONENT = new QuotedField('component');
const TARGET = new QuotedField('target');
const FN = new QuotedField('fn');
const REASON = new QuotedField('reason');

/** `,"name":` */
const key = (name: string): Packed => pack(`,"${name}":`);
const T = pack('{"t":');
const END = pack('}\n');
const TRUE = pack('true');
const FALSE = pack('false');
const SIZE = key('size');
const VALUE = key('value');
const CYCLES = key('cycles');
const STALL = key('stall');
const BEATS = key('beats');
const TAIL_CHAINED = key('tailChained');
const REPLACED = key('replaced');
const PRIORITY = key('priority');
const CODE = key('code');
const SRC = key('src');
const DST = key('dst');
const LEN = key('len');
const BUFFER = key('buffer');
const EPT = key('ept');
const PIN = key('pin');
const LEVEL = key('level');
const RESULT = key('result');

/** `,"kind":"<kind>"` and the first key after it (with an enumerated first value, each variant). */
const head = (kind: RecordKind, rest = ''): Packed => pack(`,"kind":"${kind}"${rest}`);
const BUS_READ = head('bus', ',"op":"read","address":');
const BUS_WRITE = head('bus', ',"op":"write","address":');
const BURST_READ = head('burst', ',"op":"read","address":');
const BURST_WRITE = head('burst', ',"op":"write","address":');
const FAULT_READ = head('bus-fault', ',"op":"read","address":');
const FAULT_WRITE = head('bus-fault', ',"op":"write","address":');
const IRQ_LINE = head('irq-line', ',"level":');
const IRQ_PENDING = head('irq-pending', ',"line":');
const IRQ_ENTRY = head('irq-entry', ',"line":');
const LATE_ARRIVAL = head('irq-late-arrival', ',"line":');
const HANDLER_START = head('handler-start', ',"line":');
const HANDLER_END = head('handler-end', ',"line":');
const EXCEPTION_RETURN = head('exception-return', ',"resumes":');
const SLEEP = head('sleep', '}\n');
const WAKE = head('wake', '}\n');
const LOCKUP = head('lockup');
const RL_CALL = head('rl-call');
const RL_RETURN = head('rl-return');
const ENQUEUE_M2R = head('rl-enqueue', ',"dir":"m2r","msg":');
const ENQUEUE_R2M = head('rl-enqueue', ',"dir":"r2m","msg":');
const DELIVER_M2R = head('rl-deliver', ',"dir":"m2r","msg":');
const DELIVER_R2M = head('rl-deliver', ',"dir":"r2m","msg":');
const NOTIFY = head('rl-notify', ',"vq":');
const CALLBACK_M2R = head('rl-callback-return', ',"dir":"m2r","msg":');
const CALLBACK_R2M = head('rl-callback-return', ',"dir":"r2m","msg":');
const LINK_UP = head('rl-link-up', '}\n');
const GPIO = head('gpio', ',"port":');

/**
 * Most bytes of a record besides its strings: `{"t":`, the time, the kind, every key with
 * the widest value (an integer: enumerated strings and booleans are shorter), `}` and the
 * newline. The strings' cached bytes (key included) are added to it.
 */
const RECORD_ROOM =
  5 + MAX_INTEGER_BYTES + `,"kind":"${RECORD_KINDS.reduce((a, k) => (k.length > a.length ? k : a), '')}"`.length +
  Math.max(...RECORD_KINDS.map((k) => RECORD_FIELDS[k].reduce((n, name) => n + name.length + 4 + MAX_INTEGER_BYTES, 0))) + 2;

function bool(dv: DataView, p: number, v: unknown): number {
  if (v === true) return put(dv, p, TRUE);
  if (v === false) return put(dv, p, FALSE);
  throw UNUSUAL_VALUE;
}

/**
 * Writes one record's line into the block, byte for byte what recordToJsonl gives (tested
 * for every kind). Throws UNUSUAL_VALUE for a field the fast path does not take (not a safe
 * integer, not a string, an op other than read and write, …) before moving `pos`. One small
 * function per kind, so that V8 inlines the stores into each.
 */
function formatRecord(b: OutputBuffer, r: TraceRecord): void {
  const component = COMPONENT.bytes(r.component);
  switch (r.kind) {
    case 'bus':
      return bus(b, r, component);
    case 'burst':
      return burst(b, r, component);
    case 'irq-line':
      return irqLine(b, r, component);
    case 'irq-pending':
      return oneInteger(b, r.t, component, IRQ_PENDING, r.line);
    case 'handler-end':
      return oneInteger(b, r.t, component, HANDLER_END, r.line);
    case 'exception-return':
      return oneInteger(b, r.t, component, EXCEPTION_RETURN, r.resumes);
    case 'rl-notify':
      return oneInteger(b, r.t, component, NOTIFY, r.vq);
    case 'irq-entry':
      return irqEntry(b, r, component);
    case 'handler-start':
      return twoIntegers(b, r.t, component, HANDLER_START, r.line, PRIORITY, r.priority);
    case 'irq-late-arrival':
      return twoIntegers(b, r.t, component, LATE_ARRIVAL, r.line, REPLACED, r.replaced);
    case 'sleep':
      return headOnly(b, r.t, component, SLEEP);
    case 'wake':
      return headOnly(b, r.t, component, WAKE);
    case 'rl-link-up':
      return headOnly(b, r.t, component, LINK_UP);
    case 'rl-call':
      return oneString(b, r.t, component, RL_CALL, FN.bytes(r.fn));
    case 'lockup':
      return oneString(b, r.t, component, LOCKUP, REASON.bytes(r.reason));
    case 'rl-return':
      return rlReturn(b, r, component);
    case 'rl-enqueue':
      return message(b, r, component, r.dir === 'm2r' ? ENQUEUE_M2R : r.dir === 'r2m' ? ENQUEUE_R2M : slow());
    case 'rl-deliver':
      return message(b, r, component, r.dir === 'm2r' ? DELIVER_M2R : r.dir === 'r2m' ? DELIVER_R2M : slow());
    case 'rl-callback-return':
      return twoIntegers(b, r.t, component, r.dir === 'm2r' ? CALLBACK_M2R : r.dir === 'r2m' ? CALLBACK_R2M : slow(), r.msg, RESULT, r.result);
    case 'bus-fault':
      return busFault(b, r, component);
    case 'gpio':
      return gpio(b, r, component);
    default:
      return slow();
  }
}

type Of<K extends RecordKind> = Extract<TraceRecord, { kind: K }>;

/** Makes room for the record (its strings' packed words on top of RECORD_ROOM), then writes `{"t":<t>,"component":<c>`. */
function begin(b: OutputBuffer, t: number, component: Packed, strings: number): number {
  b.room(RECORD_ROOM + 4 * (component.length + strings));
  const dv = b.view;
  return put(dv, putInteger(b.bytes, dv, put(dv, b.pos, T), t), component);
}

function bus(b: OutputBuffer, r: Of<'bus'>, component: Packed): void {
  const target = TARGET.bytes(r.target);
  const head = r.op === 'read' ? BUS_READ : r.op === 'write' ? BUS_WRITE : slow();
  let p = begin(b, r.t, component, target.length);
  const u = b.bytes;
  const dv = b.view;
  p = putInteger(u, dv, put(dv, p, head), r.address);
  p = putInteger(u, dv, put(dv, p, SIZE), r.size);
  p = putInteger(u, dv, put(dv, p, VALUE), r.value);
  p = putInteger(u, dv, put(dv, put(dv, p, target), CYCLES), r.cycles);
  p = putInteger(u, dv, put(dv, p, STALL), r.stall);
  b.pos = put(dv, p, END);
}

function burst(b: OutputBuffer, r: Of<'burst'>, component: Packed): void {
  const target = TARGET.bytes(r.target);
  const head = r.op === 'read' ? BURST_READ : r.op === 'write' ? BURST_WRITE : slow();
  let p = begin(b, r.t, component, target.length);
  const u = b.bytes;
  const dv = b.view;
  p = putInteger(u, dv, put(dv, p, head), r.address);
  p = putInteger(u, dv, put(dv, p, SIZE), r.size);
  p = putInteger(u, dv, put(dv, put(dv, p, target), BEATS), r.beats);
  p = putInteger(u, dv, put(dv, p, CYCLES), r.cycles);
  p = putInteger(u, dv, put(dv, p, STALL), r.stall);
  b.pos = put(dv, p, END);
}

function busFault(b: OutputBuffer, r: Of<'bus-fault'>, component: Packed): void {
  const why = REASON.bytes(r.reason);
  const head = r.op === 'read' ? FAULT_READ : r.op === 'write' ? FAULT_WRITE : slow();
  let p = begin(b, r.t, component, why.length);
  const u = b.bytes;
  const dv = b.view;
  p = putInteger(u, dv, put(dv, p, head), r.address);
  p = putInteger(u, dv, put(dv, p, SIZE), r.size);
  b.pos = put(dv, put(dv, p, why), END);
}

function irqLine(b: OutputBuffer, r: Of<'irq-line'>, component: Packed): void {
  const p = begin(b, r.t, component, 0);
  const dv = b.view;
  b.pos = put(dv, bool(dv, put(dv, p, IRQ_LINE), r.level), END);
}

function irqEntry(b: OutputBuffer, r: Of<'irq-entry'>, component: Packed): void {
  let p = begin(b, r.t, component, 0);
  const dv = b.view;
  p = putInteger(b.bytes, dv, put(dv, p, IRQ_ENTRY), r.line);
  b.pos = put(dv, bool(dv, put(dv, p, TAIL_CHAINED), r.tailChained), END);
}

function headOnly(b: OutputBuffer, t: number, component: Packed, head: Packed): void {
  // the head ends the line
  b.pos = put(b.view, begin(b, t, component, 0), head);
}

function oneInteger(b: OutputBuffer, t: number, component: Packed, head: Packed, value: number): void {
  const p = begin(b, t, component, 0);
  const dv = b.view;
  b.pos = put(dv, putInteger(b.bytes, dv, put(dv, p, head), value), END);
}

function twoIntegers(b: OutputBuffer, t: number, component: Packed, head: Packed, first: number, key: Packed, second: number): void {
  let p = begin(b, t, component, 0);
  const u = b.bytes;
  const dv = b.view;
  p = putInteger(u, dv, put(dv, p, head), first);
  b.pos = put(dv, putInteger(u, dv, put(dv, p, key), second), END);
}

function oneString(b: OutputBuffer, t: number, component: Packed, head: Packed, text: Packed): void {
  const p = begin(b, t, component, text.length);
  const dv = b.view;
  b.pos = put(dv, put(dv, put(dv, p, head), text), END);
}

function rlReturn(b: OutputBuffer, r: Of<'rl-return'>, component: Packed): void {
  const fn = FN.bytes(r.fn);
  const p = begin(b, r.t, component, fn.length);
  const dv = b.view;
  b.pos = put(dv, putInteger(b.bytes, dv, put(dv, put(dv, put(dv, p, RL_RETURN), fn), CODE), r.code), END);
}

function message(b: OutputBuffer, r: Of<'rl-enqueue'> | Of<'rl-deliver'>, component: Packed, head: Packed): void {
  let p = begin(b, r.t, component, 0);
  const u = b.bytes;
  const dv = b.view;
  p = putInteger(u, dv, put(dv, p, head), r.msg);
  p = putInteger(u, dv, put(dv, p, SRC), r.src);
  p = putInteger(u, dv, put(dv, p, DST), r.dst);
  p = putInteger(u, dv, put(dv, p, LEN), r.len);
  p = putInteger(u, dv, put(dv, p, BUFFER), r.buffer);
  if (r.kind === 'rl-deliver') p = putInteger(u, dv, put(dv, p, EPT), r.ept);
  b.pos = put(dv, p, END);
}

function gpio(b: OutputBuffer, r: Of<'gpio'>, component: Packed): void {
  let p = begin(b, r.t, component, 0);
  const u = b.bytes;
  const dv = b.view;
  p = putInteger(u, dv, put(dv, p, GPIO), r.port);
  p = putInteger(u, dv, put(dv, p, PIN), r.pin);
  b.pos = put(dv, bool(dv, put(dv, p, LEVEL), r.level), END);
}

/** A value the fast path does not format: recordToJsonl formats it, or says what is wrong. */
function slow(): never {
  throw UNUSUAL_VALUE;
}

export class JsonlWriter implements TraceWriter {
  private readonly out: TraceOutput;

  constructor(target: string | TraceOutput, header: TraceHeaderInput, options: OutputOptions = {}) {
    const headerLine = headerToJsonl(header); // checked before any file is created
    this.out = typeof target === 'string' ? new FileOutput(target, options) : target;
    this.out.write(`${headerLine}\n`);
  }

  record(r: TraceRecord): void {
    try {
      formatRecord(this.out.buffer, r);
    } catch (error) {
      if (error !== UNUSUAL_VALUE) throw error;
      // the rare path: the reference formatter throws the InternalError that names the field,
      // or (an unusual but valid value) gives the line
      this.out.write(`${recordToJsonl(r)}\n`);
    }
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
    /** 1-based column, where known (the character JSON.parse stopped at). */
    readonly column?: number,
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
  fault: 'string',
  trigger: 'string',
  effect: 'string',
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
  } catch (error) {
    throw new TraceReadError(lineNumber, `not valid JSON: ${excerpt(text)}`, jsonErrorColumn(error, text));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TraceReadError(lineNumber, `expected a JSON object, got ${excerpt(text)}`);
  }
  return value as Record<string, unknown>;
}

/** The column JSON.parse stopped at, from its message ("… at position 7", "Unexpected end of JSON input"); undefined when it does not say. */
export function jsonErrorColumn(error: unknown, text: string): number | undefined {
  const message = error instanceof Error ? error.message : '';
  const at = /at position (\d+)/.exec(message);
  if (at !== null) return Number(at[1]) + 1;
  if (/end of JSON input/.test(message)) return text.length + 1;
  return undefined;
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
