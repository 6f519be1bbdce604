// The trace header: what a reader needs to interpret the records (the tick length, the
// cores and their clocks, where the vrings and mailbox registers are), written first by
// every writer. It holds nothing host-dependent (docs/traces.md "Determinism"): no date, no path, no
// tool version, so two runs of a scenario anywhere give the same bytes. The scenario
// runner builds it from the platform and the rpmsg-lite layout; this layer only checks it.

import { SimError } from '../kernel';

/** The `format` value of every rpmsg-sim trace. */
export const TRACE_FORMAT = 'rpmsg-sim-trace';
/** Bumped when a record kind or field changes meaning; readers refuse other versions. */
export const TRACE_FORMAT_VERSION = 1;

export interface TraceCore {
  name: string;
  role: 'master' | 'remote';
  /** Clock frequency in Hz. */
  hz: number;
  /** Clock period in ticks (rounded only in the 1 ps fallback timebase). */
  periodTicks: number;
}

/** Addresses (as the cores see them) of the two index fields of one vring. */
export interface TraceVring {
  /** 0 or 1, as rpmsg-lite numbers them. */
  index: number;
  /** The direction of the messages it carries: vring 0 remote→master, vring 1 master→remote. */
  dir: 'm2r' | 'r2m';
  /** Address of avail.idx (16 bits). */
  availIdx: number;
  /** Address of used.idx (16 bits). */
  usedIdx: number;
}

export interface TraceMailboxRegister {
  name: string;
  /** Byte offset in the mailbox's register window. */
  offset: number;
}

/** A mailbox register window, named as bus records name their target ("mu.a", "mailbox"). */
export interface TraceMailbox {
  name: string;
  /** Where the cores see the window (the same address for every core that reaches it). */
  base: number;
  /** Bytes of the register window. */
  size: number;
  /** Registers to show; empty: every 32-bit word of the window. */
  registers: TraceMailboxRegister[];
}

/** An interrupt request line, named as its irq-line records are, and where it is wired. */
export interface TraceIrqLine {
  name: string;
  core: string;
  /** The interrupt controller input (IRQ number) it drives. */
  line: number;
}

/**
 * A GPIO pin a core measures with (the platform's `gpio.pins`), named as scenarios name it;
 * its 'gpio' records come from the component `block` with this port and pin.
 */
export interface TracePin {
  name: string;
  core: string;
  block: string;
  port: number;
  pin: number;
}

/** What a caller passes to a writer. */
export interface TraceHeaderInput {
  /** Scenario name (a name, not a file path: paths differ between machines). */
  scenario: string;
  platform: string;
  /** Ticks per second. */
  tickHz: number;
  /** Master first. */
  cores: TraceCore[];
  sharedMemory: { base: number; size: number };
  vrings: TraceVring[];
  mailboxes?: TraceMailbox[];
  irqLines?: TraceIrqLine[];
  pins?: TracePin[];
}

/** The header as written: format and version first, every field present, in this key order. */
export interface TraceHeader extends Required<TraceHeaderInput> {
  format: typeof TRACE_FORMAT;
  version: number;
}

/** A header that cannot be written or read: lists every problem found. */
export class TraceHeaderError extends SimError {
  override name = 'TraceHeaderError';
  constructor(readonly problems: readonly string[]) {
    super(`bad trace header: ${problems.join('; ')}`);
  }
}

/**
 * Checks a header (from a caller, or parsed from a file) and returns it in canonical form:
 * a fresh object with the keys in the documented order, so its JSON is the same bytes
 * whatever order the caller built it in. Throws TraceHeaderError listing every problem.
 */
export function canonicalHeader(value: unknown): TraceHeader {
  const problems: string[] = [];
  const h = asObject(value, 'header', problems);
  if (h === null) throw new TraceHeaderError(problems);
  if ('format' in h && h.format !== TRACE_FORMAT) problems.push(`format: expected "${TRACE_FORMAT}", got ${show(h.format)}`);
  if ('version' in h && h.version !== TRACE_FORMAT_VERSION) {
    problems.push(`version: this reader knows version ${TRACE_FORMAT_VERSION}, got ${show(h.version)}`);
  }
  const known = new Set(['format', 'version', 'scenario', 'platform', 'tickHz', 'cores', 'sharedMemory', 'vrings', 'mailboxes', 'irqLines', 'pins']);
  for (const key of Object.keys(h)) if (!known.has(key)) problems.push(`${key}: unknown field`);

  const scenario = str(h.scenario, 'scenario', problems);
  if (/[/\\]/.test(scenario)) problems.push(`scenario: "${scenario}" looks like a path; give the scenario's name (paths differ between machines)`);
  const platform = str(h.platform, 'platform', problems);
  const tickHz = int(h.tickHz, 'tickHz', problems, 1);
  const cores = list(h.cores, 'cores', problems, (c, p) => {
    const role = c.role;
    if (role !== 'master' && role !== 'remote') problems.push(`${p}.role: expected "master" or "remote", got ${show(role)}`);
    return {
      name: str(c.name, `${p}.name`, problems),
      role: role as 'master' | 'remote',
      hz: int(c.hz, `${p}.hz`, problems, 1),
      periodTicks: int(c.periodTicks, `${p}.periodTicks`, problems, 1),
    };
  }, ['name', 'role', 'hz', 'periodTicks']);
  const shm = asObject(h.sharedMemory, 'sharedMemory', problems);
  const sharedMemory = { base: 0, size: 0 };
  if (shm !== null) {
    sharedMemory.base = int(shm.base, 'sharedMemory.base', problems);
    sharedMemory.size = int(shm.size, 'sharedMemory.size', problems);
    extraKeys(shm, ['base', 'size'], 'sharedMemory', problems);
  }
  const vrings = list(h.vrings, 'vrings', problems, (v, p) => {
    if (v.dir !== 'm2r' && v.dir !== 'r2m') problems.push(`${p}.dir: expected "m2r" or "r2m", got ${show(v.dir)}`);
    return {
      index: int(v.index, `${p}.index`, problems),
      dir: v.dir as 'm2r' | 'r2m',
      availIdx: int(v.availIdx, `${p}.availIdx`, problems),
      usedIdx: int(v.usedIdx, `${p}.usedIdx`, problems),
    };
  }, ['index', 'dir', 'availIdx', 'usedIdx']);
  const mailboxes = list(h.mailboxes ?? [], 'mailboxes', problems, (m, p) => ({
    name: str(m.name, `${p}.name`, problems),
    base: int(m.base, `${p}.base`, problems),
    size: int(m.size, `${p}.size`, problems, 1),
    registers: list(m.registers ?? [], `${p}.registers`, problems, (r, q) => ({
      name: str(r.name, `${q}.name`, problems),
      offset: int(r.offset, `${q}.offset`, problems),
    }), ['name', 'offset']),
  }), ['name', 'base', 'size', 'registers']);
  const irqLines = list(h.irqLines ?? [], 'irqLines', problems, (l, p) => ({
    name: str(l.name, `${p}.name`, problems),
    core: str(l.core, `${p}.core`, problems),
    line: int(l.line, `${p}.line`, problems),
  }), ['name', 'core', 'line']);
  const pins = list(h.pins ?? [], 'pins', problems, (p, q) => ({
    name: str(p.name, `${q}.name`, problems),
    core: str(p.core, `${q}.core`, problems),
    block: str(p.block, `${q}.block`, problems),
    port: int(p.port, `${q}.port`, problems),
    pin: int(p.pin, `${q}.pin`, problems),
  }), ['name', 'core', 'block', 'port', 'pin']);
  const coreNames = new Set(cores.map((c) => c.name));
  if (coreNames.size !== cores.length) problems.push('cores: two cores have the same name');
  irqLines.forEach((l, i) => {
    if (l.core !== '' && !coreNames.has(l.core)) problems.push(`irqLines[${i}].core: no core named "${l.core}"`);
  });
  pins.forEach((p, i) => {
    if (p.core !== '' && !coreNames.has(p.core)) problems.push(`pins[${i}].core: no core named "${p.core}"`);
  });
  if (problems.length > 0) throw new TraceHeaderError(problems);
  return {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    scenario,
    platform,
    tickHz,
    cores,
    sharedMemory,
    vrings,
    mailboxes,
    irqLines,
    pins,
  };
}

/** The core a component belongs to ("cm7" for "cm7" and "cm7.nvic"), or null. */
export function coreOf(header: TraceHeader, component: string): TraceCore | null {
  for (const c of header.cores) {
    if (component === c.name || component.startsWith(`${c.name}.`)) return c;
  }
  return null;
}

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function asObject(v: unknown, path: string, problems: string[]): Obj | null {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Obj;
  problems.push(`${path}: expected an object, got ${show(v)}`);
  return null;
}

function str(v: unknown, path: string, problems: string[]): string {
  if (typeof v === 'string' && v !== '') return v;
  problems.push(`${path}: expected a non-empty string, got ${show(v)}`);
  return '';
}

function int(v: unknown, path: string, problems: string[], min = 0): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= min) return v;
  problems.push(`${path}: expected a whole number >= ${min}, got ${show(v)}`);
  return 0;
}

function extraKeys(o: Obj, allowed: string[], path: string, problems: string[]): void {
  for (const key of Object.keys(o)) if (!allowed.includes(key)) problems.push(`${path}.${key}: unknown field`);
}

function list<T>(v: unknown, path: string, problems: string[], item: (o: Obj, path: string) => T, keys: string[]): T[] {
  if (!Array.isArray(v)) {
    problems.push(`${path}: expected a list, got ${show(v)}`);
    return [];
  }
  const out: T[] = [];
  v.forEach((entry, i) => {
    const o = asObject(entry, `${path}[${i}]`, problems);
    if (o === null) return;
    extraKeys(o, keys, `${path}[${i}]`, problems);
    out.push(item(o, `${path}[${i}]`));
  });
  return out;
}
