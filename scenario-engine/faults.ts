// Fault injection (docs/reliability.md "Faults", docs/scenario-format.md `faults:`): what an
// engineer does to a board to test failures, as a scenario section. Each fault has a kind, a
// trigger and parameters; the loader reads them here (`readFaults`, `parseFaultArgument` for
// the CLI's `--fault`), the runner installs them on the built system (`installFaults`) through
// the hooks the hardware models offer (mailbox doorbells, the NVIC, the core, the bus ports,
// the data cache), and the expectations engineers check under faults are evaluated here too
// (`faultExpectations`). Every fault that fires is a `fault` trace record.
//
// Triggers, each deterministic (simulated time and counts, never wall time):
//   at: 120us            at that simulated time (a gate kind: the first event at or after it)
//   on: {doorbell: 3}    the 3rd doorbell to the fault's core (every doorbell for a fault with none)
//   on: {interrupt: 2}   the 2nd rise of the core's mailbox interrupt line
//   on: {cache-op: 1}    the 1st clean/invalidate by address of the core
//   on: {message: 5}     when the 5th message is enqueued, before its buffer is on the ring (rl-enqueue, both
//                        directions counted in time order; `from: master` counts one), before its kick
// Gate kinds (drop-doorbell, delay-doorbell, delay-interrupt, skip-cache-maintenance) act on
// the event that triggers them and the `count - 1` next ones; the others act once, at once.

import type { RpmsgSystem } from '../platforms/system';
import { startPrograms } from '../platforms/system';
import type { Program } from '../firmware/program';
import { ConfigError, type Ticks } from '../sim/kernel';
import type { MailboxSideValue } from '../sim/hw/peripheral';
import type { MaintenanceOp } from '../sim/hw/data-cache';
import type { TraceRecord, TraceSink, Tracer } from '../sim/trace/trace';
import { hex } from '../sim/text/hex';
import { shmemLayout } from '../firmware/rpmsg-lite/virtio-ring';
import { RPMSG_HDR } from '../firmware/rpmsg-lite/constants';
import { loadPlatform } from '../platforms/registry';
import { Reader } from './read-values';
import type { Duration, Role, Scenario, ScenarioError, SourceLocation } from './types';
import { type Fields, type LNode, type Path, ScenarioText, describeNode, formatErrors } from './yaml-tree';

export const FAULT_KINDS = [
  'drop-doorbell',
  'delay-doorbell',
  'delay-interrupt',
  'halt',
  'reset',
  'late-boot',
  'write',
  'flip',
  'hold-bus',
  'skip-cache-maintenance',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that act on the event that triggers them (and `count - 1` next ones of its sort). */
const GATE_KINDS: readonly FaultKind[] = ['drop-doorbell', 'delay-doorbell', 'delay-interrupt', 'skip-cache-maintenance'];

/** The sort of event a gate kind acts on. */
function gateSort(kind: FaultKind): 'doorbell' | 'interrupt' | 'cache-op' {
  return kind === 'skip-cache-maintenance' ? 'cache-op' : kind === 'delay-interrupt' ? 'interrupt' : 'doorbell';
}

export const TRIGGER_EVENTS = ['doorbell', 'interrupt', 'cache-op', 'message'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export type FaultTrigger = { at: Duration } | { on: TriggerEvent; n: number; from?: Role };

export interface Fault {
  kind: FaultKind;
  trigger: FaultTrigger;
  /** The core it acts on (doorbell faults: whose interrupt the doorbell requests). */
  role?: Role;
  /** Gate kinds: how many events it acts on (default 1). */
  count: number;
  /** delay-doorbell, delay-interrupt: how late; reset: how long the core stays in reset; hold-bus: how long. */
  duration?: Duration;
  /** halt: whether interrupts are still taken (thread mode stops, handlers run). */
  interrupts?: boolean;
  /** write / flip: a named field (`vring1.avail.idx`, `buf[2].hdr.len`, `msg.hdr.len`) or an address and size. */
  field?: string;
  address?: number;
  size?: number;
  /** write: the value; flip: the bits to invert. */
  value?: number;
  /** hold-bus: the port (a memory's name or `peripheral-bus`); default the shared memory's. */
  port?: string;
  /** Where it was written (messages of later stages). */
  location: SourceLocation;
}

export const FAULT_KEYS = ['kind', 'at', 'on', 'core', 'to', 'count', 'delay', 'for', 'interrupts', 'field', 'address', 'size', 'value', 'bits', 'port'] as const;
const ON_KEYS = [...TRIGGER_EVENTS, 'from'] as const;
const ROLE_NAMES = ['master', 'remote'] as const;
/** Which keys each kind takes besides kind, at and on. */
const KIND_KEYS: Record<FaultKind, { required: readonly string[]; optional: readonly string[] }> = {
  'drop-doorbell': { required: ['to'], optional: ['count'] },
  'delay-doorbell': { required: ['to', 'delay'], optional: ['count'] },
  'delay-interrupt': { required: ['core', 'delay'], optional: ['count'] },
  halt: { required: ['core'], optional: ['interrupts'] },
  reset: { required: ['core'], optional: ['delay'] },
  'late-boot': { required: ['core'], optional: [] },
  write: { required: ['value'], optional: ['field', 'address', 'size'] },
  flip: { required: ['bits'], optional: ['field', 'address', 'size'] },
  'hold-bus': { required: ['for'], optional: ['port'] },
  'skip-cache-maintenance': { required: ['core'], optional: ['count'] },
};
/** Which trigger events make sense for each kind (`at` always does). */
const KIND_EVENTS: Record<FaultKind, readonly TriggerEvent[]> = {
  'drop-doorbell': ['doorbell', 'message'],
  'delay-doorbell': ['doorbell', 'message'],
  'delay-interrupt': ['interrupt', 'message'],
  halt: ['doorbell', 'interrupt', 'message'],
  reset: ['doorbell', 'interrupt', 'message'],
  'late-boot': [],
  write: ['doorbell', 'message'],
  flip: ['doorbell', 'message'],
  'hold-bus': ['doorbell', 'message'],
  'skip-cache-maintenance': ['cache-op', 'message'],
};

/** Field names the write and flip kinds take (indices are checked against the layout when the run is built). */
const FIELD_PATTERN =
  /^(vring[01]\.(desc\[\d+\]\.(addr|len|flags|next)|avail\.(flags|idx|ring\[\d+\]|used_event)|used\.(flags|idx|ring\[\d+\]\.(id|len)|avail_event))|(buf\[\d+\]|msg)\.hdr\.(src|dst|len|flags|reserved))$/;

/** Reads `faults:` (a list of faults); undefined when one is wrong (each problem reported). */
export function readFaults(r: Reader, node: LNode, path: Path): Fault[] | undefined {
  if (node.kind !== 'seq') {
    r.error(node.offset, path, `expected a list of faults, got ${describeNode(node)}`, 'e.g. faults: [{kind: drop-doorbell, to: remote, on: {doorbell: 2}}]');
    return undefined;
  }
  const out: Fault[] = [];
  let ok = true;
  node.items.forEach((item, i) => {
    const f = readFault(r, item, [...path, i]);
    if (f === undefined) ok = false;
    else out.push(f);
  });
  return ok ? out : undefined;
}

function readFault(r: Reader, node: LNode, path: Path): Fault | undefined {
  const f = r.fields(node, path, 'a fault', node.offset, FAULT_KEYS, ['kind']);
  if (f === undefined) return undefined;
  const kindNode = f.get('kind');
  if (kindNode === undefined) return undefined;
  const kind = r.choice(kindNode, f.at('kind'), FAULT_KINDS, 'fault kind');
  if (kind === undefined) return undefined;
  let ok = true;
  const keys = KIND_KEYS[kind];
  for (const e of f.node.entries) {
    if (e.key === 'kind' || e.key === 'at' || e.key === 'on' || !(FAULT_KEYS as readonly string[]).includes(e.key)) continue;
    if (!keys.required.includes(e.key) && !keys.optional.includes(e.key)) {
      r.error(e.keyOffset, f.at(e.key), `a ${kind} fault takes no "${e.key}"`, `its keys: kind, ${kind === 'late-boot' ? 'at' : 'at or on'}${[...keys.required, ...keys.optional].map((k) => `, ${k}`).join('')}`);
      ok = false;
    }
  }
  for (const key of keys.required) {
    if (f.get(key) === undefined) {
      r.error(node.offset, path, `a ${kind} fault needs "${key}"`);
      ok = false;
    }
  }
  const fault: Partial<Fault> & { kind: FaultKind } = { kind, count: 1, location: r.location(node.offset) };

  // the trigger
  const at = f.get('at');
  const on = f.entry('on');
  if ((at === undefined) === (on === undefined)) {
    r.error(node.offset, path, at === undefined ? `a ${kind} fault needs a trigger: at (a time) or on (an event count)` : 'give at or on, not both', 'e.g. at: 120us, or on: {doorbell: 3}');
    ok = false;
  } else if (at !== undefined) {
    const d = r.duration(at, f.at('at'));
    if (d === undefined) ok = false;
    else fault.trigger = { at: d };
  } else if (on !== undefined) {
    if (kind === 'late-boot') {
      r.error(on.keyOffset, f.at('on'), 'a late-boot fault boots the core at a time: give at', 'e.g. at: 200us');
      ok = false;
    } else {
      const g = r.fields(on.value, f.at('on'), 'a fault trigger', on.keyOffset, ON_KEYS);
      if (g === undefined) ok = false;
      else {
        const events = TRIGGER_EVENTS.filter((e) => g.get(e) !== undefined);
        if (events.length !== 1) {
          r.error(on.value.offset, f.at('on'), events.length === 0 ? `a trigger needs one of ${TRIGGER_EVENTS.join(', ')}` : `a trigger counts one event, got ${events.join(' and ')}`, `a ${kind} fault counts ${KIND_EVENTS[kind].join(' or ')}`);
          ok = false;
        } else {
          const event = events[0]!;
          const n = r.whole(g.get(event)!, g.at(event), 1);
          if (!KIND_EVENTS[kind].includes(event)) {
            r.error(g.entry(event)!.keyOffset, g.at(event), `a ${kind} fault cannot be triggered by a ${event} count`, `it counts ${KIND_EVENTS[kind].join(' or ')}`);
            ok = false;
          }
          const fromNode = g.get('from');
          const from = fromNode === undefined ? undefined : r.choice(fromNode, g.at('from'), ROLE_NAMES, 'role');
          if (fromNode !== undefined && event !== 'message') {
            r.error(g.entry('from')!.keyOffset, g.at('from'), '"from" counts the messages one core sends: it goes with message');
            ok = false;
          }
          if (n === undefined || (fromNode !== undefined && from === undefined)) ok = false;
          else fault.trigger = { on: event, n, ...(from !== undefined && { from }) };
        }
      }
    }
  }

  // a role, or the name of the core that plays it (cm4 on the i.MX RT1170)
  const role = (key: 'core' | 'to') => {
    const v = f.get(key);
    if (v === undefined) return;
    const named = ROLE_NAMES.find((x) => v.kind === 'scalar' && r.coreOf(x) !== undefined && r.coreOf(x) === v.value);
    if (named !== undefined) {
      fault.role = named;
      return;
    }
    const cores = ROLE_NAMES.map((x) => r.coreOf(x)).filter((c): c is string => c !== undefined);
    const x = r.choice(v, f.at(key), [...ROLE_NAMES, ...cores], 'core (a role or a core name)');
    if (x === undefined) ok = false;
    else fault.role = x as Role;
  };
  role('core');
  role('to');
  const countNode = f.get('count');
  if (countNode !== undefined) {
    const c = r.whole(countNode, f.at('count'), 1);
    if (c === undefined) ok = false;
    else fault.count = c;
  }
  for (const key of ['delay', 'for'] as const) {
    const v = f.get(key);
    if (v === undefined) continue;
    const d = r.duration(v, f.at(key));
    if (d === undefined) ok = false;
    else if (('ns' in d ? d.ns : d.cycles) === 0 && key === 'for') {
      r.error(v.offset, f.at(key), 'a bus hold of 0 holds nothing: give a duration above 0');
      ok = false;
    } else fault.duration = d;
  }
  const interrupts = f.get('interrupts');
  if (interrupts !== undefined) {
    const v = r.flag(interrupts, f.at('interrupts'));
    if (v === undefined) ok = false;
    else fault.interrupts = v;
  }
  if (kind === 'write' || kind === 'flip') {
    const field = f.get('field');
    const address = f.get('address');
    const size = f.get('size');
    if ((field === undefined) === (address === undefined)) {
      r.error(node.offset, path, `a ${kind} fault needs field or address (with size), not ${field === undefined ? 'neither' : 'both'}`, 'e.g. field: vring1.avail.idx, or address: 0x202c0000, size: 4');
      ok = false;
    }
    if (field !== undefined) {
      const name = r.string(field, f.at('field'), 'a field name');
      if (name !== undefined && !FIELD_PATTERN.test(name)) {
        r.error(field.offset, f.at('field'), `"${name}" is not a field of the shared memory`, 'e.g. vring1.avail.idx, vring0.desc[2].len, vring0.used.ring[1].id, buf[3].hdr.len, msg.hdr.len (the buffer of the triggering message)');
        ok = false;
      } else if (name !== undefined && name.startsWith('msg.') && !(fault.trigger !== undefined && 'on' in fault.trigger && fault.trigger.on === 'message')) {
        r.error(field.offset, f.at('field'), `"${name}" names the buffer of the triggering message: trigger the fault with on: {message: N}`);
        ok = false;
      } else if (name !== undefined) fault.field = name;
      if (size !== undefined) {
        r.error(f.entry('size')!.keyOffset, f.at('size'), 'a named field has its own size: give size only with address');
        ok = false;
      }
    }
    if (address !== undefined) {
      const a = address.kind === 'scalar' ? address.value : undefined;
      if (typeof a !== 'number' || !Number.isSafeInteger(a) || a < 0 || a > 0xffff_ffff) {
        r.error(address.offset, f.at('address'), `expected an address from 0 to 0xFFFFFFFF, got ${describeNode(address)}`);
        ok = false;
      } else fault.address = a;
      if (size === undefined) {
        r.error(node.offset, path, 'an address needs a size: 1, 2 or 4 bytes');
        ok = false;
      } else {
        const s = size.kind === 'scalar' ? size.value : undefined;
        if (s !== 1 && s !== 2 && s !== 4) {
          r.error(size.offset, f.at('size'), `expected a size of 1, 2 or 4 (bytes), got ${describeNode(size)}`);
          ok = false;
        } else fault.size = s;
      }
    }
    const valueKey = kind === 'write' ? 'value' : 'bits';
    const valueNode = f.get(valueKey);
    if (valueNode !== undefined) {
      const v = valueNode.kind === 'scalar' ? valueNode.value : undefined;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 0xffff_ffff) {
        r.error(valueNode.offset, f.at(valueKey), `expected a whole number from 0 to 0xFFFFFFFF, got ${describeNode(valueNode)}`);
        ok = false;
      } else if (kind === 'flip' && v === 0) {
        r.error(valueNode.offset, f.at(valueKey), 'flipping no bits changes nothing: give a mask such as 0x1');
        ok = false;
      } else fault.value = v;
    }
  }
  const port = f.get('port');
  if (port !== undefined) {
    const p = r.string(port, f.at('port'), 'a port name');
    if (p === undefined) ok = false;
    else fault.port = p;
  }
  if (!ok || fault.trigger === undefined) return undefined;
  return fault as Fault;
}

// ---- running --------------------------------------------------------------------------------

/** A fault that fired: when, and what its record said. */
export interface FiredFault {
  kind: FaultKind;
  tick: number;
  /** The fault's index in the scenario's list. */
  index: number;
}

/** What the runner keeps of the installed faults: their firings and the message census. */
export interface InstalledFaults {
  fired: FiredFault[];
  /** The sink that counts messages and deliveries (the runner adds it to the tracer). */
  sink: TraceSink;
  /** Per direction: messages enqueued (by number) and deliveries of each. */
  census: MessageCensus;
  /** Roles whose program a late-boot fault starts later (the runner does not start them at 0). */
  lateRoles: Set<Role>;
}

export interface MessageCensus {
  enqueued: Record<'m2r' | 'r2m', Set<number>>;
  deliveries: Record<'m2r' | 'r2m', Map<number, number>>;
  /** Delivery ticks, in order. */
  deliveryTicks: number[];
}

interface Ctx {
  sys: RpmsgSystem;
  tracer: Tracer;
  ticks: (d: Duration) => number;
  programs: Partial<Record<Role, Program>>;
  fired: FiredFault[];
}

/**
 * What only the built system can judge of `faults` (the runner asks before any trace writer
 * opens): a field index past the ring, an address in no memory, a port that does not exist,
 * no data cache to skip maintenance on, a reset of an RTOS core. A ConfigError naming the
 * fault's file, line and column.
 */
export function checkFaults(faults: readonly Fault[], sys: RpmsgSystem): void {
  for (const fault of faults) {
    const role = fault.role;
    if (fault.kind === 'write' || fault.kind === 'flip') resolveTarget(sys, fault, -1);
    if (fault.kind === 'hold-bus') portOf(sys, fault);
    if (fault.kind === 'reset' && sys[role!].env.kind !== 'bare-metal') {
      throw faultError(fault, `reset restarts bare-metal firmware only (an RTOS's timers and tasks are not modelled as reset); the ${role} runs ${sys[role!].env.kind}`);
    }
    if (fault.kind === 'skip-cache-maintenance' && sys[role!].core.dcache === null) {
      throw faultError(fault, `${sys[role!].core.name} (${role}) has no data cache on ${sys.soc.platform.name}: there is no cache maintenance to skip`);
    }
  }
}

/**
 * Installs `faults` on a built system: hooks on the hardware and a trace sink for the
 * message triggers. Call before the programs start; `programs` are the roles' programs
 * (for late boot and reset). Refuses (ConfigError) what only the built system can judge: a
 * field index past the ring, an address in no memory, a port that does not exist.
 */
export function installFaults(
  faults: readonly Fault[],
  sys: RpmsgSystem,
  tracer: Tracer,
  ticks: (d: Duration) => number,
  programs: Partial<Record<Role, Program>>,
): InstalledFaults {
  checkFaults(faults, sys);
  const ctx: Ctx = { sys, tracer, ticks, programs, fired: [] };
  const census: MessageCensus = { enqueued: { m2r: new Set(), r2m: new Set() }, deliveries: { m2r: new Map(), r2m: new Map() }, deliveryTicks: [] };
  const lateRoles = new Set<Role>();
  const k = sys.kernel;
  const coreOf = (role: Role) => sys[role].core;
  const sideRole = new Map<string, Role>();
  for (const [core, { side }] of Object.entries(sys.soc.platform.mailbox.sides)) {
    sideRole.set(String(side), core === sys.master.core.name ? 'master' : 'remote');
  }

  // Event counters, per core where the event belongs to one, and the gates open on them.
  type Gate = { fault: Fault; index: number; left: number; armed: boolean };
  const gates: Record<'doorbell' | 'interrupt' | 'cache-op', Gate[]> = { doorbell: [], interrupt: [], 'cache-op': [] };
  const counts = { doorbell: { master: 0, remote: 0, all: 0 }, interrupt: { master: 0, remote: 0, all: 0 }, 'cache-op': { master: 0, remote: 0, all: 0 } };
  const instantOn: { fault: Fault; index: number }[] = [];
  let messages = 0;
  const messagesFrom = { master: 0, remote: 0 };
  /** The buffer of the message that triggered the running fault. */
  let messageBuffer = -1;

  const emit = (fault: Fault, index: number, component: string, target: string, trigger: string, effect: string) => {
    ctx.fired.push({ kind: fault.kind, tick: k.now, index });
    tracer.emit(component, 'fault', { fault: fault.kind, target, trigger, effect });
  };

  // Gate kinds: the hooks decide at the event; a trigger arms the gate. Every gate of the
  // event's sort and core counts and arms on each event before any acts, so two gates on one
  // sort both fire; when several act on one event, each records it: delays add up, and a drop
  // (or a skip) wins over a delay.
  const eventGate = (kind: 'doorbell' | 'interrupt' | 'cache-op', role: Role): Gate[] => {
    counts[kind][role]++;
    counts[kind].all++;
    const acting: Gate[] = [];
    for (const g of gates[kind]) {
      if (g.left === 0 || g.fault.role !== role) continue;
      const t = g.fault.trigger;
      if (!g.armed) {
        if ('at' in t) g.armed = k.now >= ticks(t.at);
        else if (t.on === kind) g.armed = counts[kind][role] === t.n;
      }
      if (!g.armed) continue;
      g.left--;
      acting.push(g);
    }
    return acting;
  };
  const triggerText = (g: Gate, kind: string, role: Role): string => {
    const t = g.fault.trigger;
    const n = counts[kind as 'doorbell'][role];
    const event = `${kind} ${n} ${kind === 'doorbell' ? 'to' : 'of'} ${coreOf(role).name}`;
    if ('at' in t) return `${event}, the first at or after ${describeDuration(t.at)}`;
    if (t.on === 'message') return `${event}, after message ${t.n}`;
    return g.fault.count > 1 ? `${event} (${g.fault.count - g.left} of ${g.fault.count})` : event;
  };

  faults.forEach((fault, index) => {
    const role = fault.role;
    const isGate = GATE_KINDS.includes(fault.kind);
    if (isGate) {
      gates[gateSort(fault.kind)].push({ fault, index, left: fault.count, armed: false });
    } else if (fault.kind === 'late-boot') {
      lateRoles.add(role!);
    }
    const t = fault.trigger;
    if ('at' in t) {
      if (!isGate) k.task(`fault ${index}`, () => fire(fault, index, `at ${describeDuration(t.at)}`)).scheduleAt(ticks(t.at) as Ticks);
    } else if (!isGate || t.on === 'message') instantOn.push({ fault, index });
  });

  /** Acts now (instant kinds), or arms a gate (gate kinds triggered by a message). */
  function fire(fault: Fault, index: number, trigger: string): void {
    const role = fault.role;
    switch (fault.kind) {
      case 'drop-doorbell':
      case 'delay-doorbell':
      case 'delay-interrupt':
      case 'skip-cache-maintenance': {
        const g = gates[gateSort(fault.kind)].find((x) => x.index === index);
        if (g !== undefined) g.armed = true;
        return;
      }
      case 'halt': {
        const core = coreOf(role!);
        const mode = fault.interrupts === true ? 'thread' : 'all';
        core.halt(mode);
        emit(fault, index, core.name, core.name, trigger, mode === 'all' ? 'the core stops: no thread, no handler runs again' : 'thread mode stops; interrupts are still taken');
        return;
      }
      case 'reset': {
        const core = coreOf(role!);
        const delay = fault.duration === undefined ? 0 : ticks(fault.duration);
        core.halt('all');
        const side = sys.soc.platform.mailbox.sides[core.name]!.side;
        const mailbox = sys.soc.mailbox.coreReset(side);
        const held = delay > 0 ? `held in reset for ${describeDuration(fault.duration!)}, then` : '';
        emit(fault, index, core.name, core.name, trigger, `the core is reset: ${held} its firmware starts again from main(); its mailbox side is ${mailbox === 'reset' ? 'reset' : 'kept (requests stay latched)'}`.replace(':  ', ': '));
        const restart = (): void => {
          // the core stops at an operation boundary: an access still under way completes first
          if (!core.parked) {
            k.task(`fault ${index} restart`, restart).schedule(core.clock.period as Ticks);
            return;
          }
          // a core still waiting for its late boot stays in reset until then
          const waiting = !core.started && lateRoles.has(role!) && !ctx.fired.some((f) => f.kind === 'late-boot' && faults[f.index]!.role === role);
          core.resetToStart();
          sys.renewSide(role!);
          const program = programs[role!];
          if (program !== undefined && !waiting) startPrograms(sys, { [role!]: program });
        };
        k.task(`fault ${index} restart`, restart).schedule(delay as Ticks);
        return;
      }
      case 'late-boot': {
        const core = coreOf(role!);
        // (a reset fault may have started it already)
        if (core.started) {
          emit(fault, index, core.name, core.name, trigger, 'the core is already running: nothing to boot');
          return;
        }
        emit(fault, index, core.name, core.name, trigger, 'the core leaves reset and starts its firmware');
        startPrograms(sys, { [role!]: programs[role!] });
        return;
      }
      case 'write':
      case 'flip': {
        const target = resolveTarget(sys, fault, messageBuffer);
        const old = target.read();
        // (a 64-bit desc.addr: the bits flip in its low word, JavaScript's ^ being 32-bit)
        const low = old % 2 ** 32;
        const value = fault.kind === 'write' ? fault.value! : old - low + ((low ^ fault.value!) >>> 0);
        const mask = target.size >= 4 ? 0xffff_ffff : (1 << (8 * target.size)) - 1;
        const next = target.size > 4 ? value : (value & mask) >>> 0;
        target.write(next);
        emit(fault, index, 'shmem', target.name, trigger, `${hex(old)} → ${hex(next)} at ${hex(target.address)}`);
        return;
      }
      case 'hold-bus': {
        const port = portOf(sys, fault);
        const d = ticks(fault.duration!);
        port.hold('fault', 1000 + index, d as Ticks);
        emit(fault, index, port.name, port.name, trigger, `another master holds ${port.name} for ${describeDuration(fault.duration!)}`);
        return;
      }
    }
  }

  // hooks
  sys.soc.mailbox.setDoorbellHook((to: MailboxSideValue, register: string) => {
    const role = sideRole.get(String(to));
    if (role === undefined) return 'pass';
    const acting = eventGate('doorbell', role);
    fireOnCount('doorbell', role);
    if (acting.length === 0) return 'pass';
    const core = coreOf(role);
    const target = `${register} → ${core.name}`;
    const dropped = acting.some((g) => g.fault.kind === 'drop-doorbell');
    let delay = 0;
    for (const g of acting) {
      const trigger = triggerText(g, 'doorbell', role);
      if (g.fault.kind === 'drop-doorbell') emit(g.fault, g.index, core.name, target, trigger, 'the doorbell is lost: the other side never sees the request');
      else if (dropped) emit(g.fault, g.index, core.name, target, trigger, 'no delay: another fault drops this doorbell');
      else {
        delay += ticks(g.fault.duration!);
        emit(g.fault, g.index, core.name, target, trigger, `the doorbell lands ${describeDuration(g.fault.duration!)} late`);
      }
    }
    return dropped ? 'drop' : { delay: delay as Ticks };
  });
  for (const role of ['master', 'remote'] as const) {
    const core = coreOf(role);
    const mailboxLines = new Set(sys.soc.irqLines.filter((l) => l.core === core.name).map((l) => l.line));
    core.nvic.riseHook = (line) => {
      if (!mailboxLines.has(line)) return null;
      const acting = eventGate('interrupt', role);
      fireOnCount('interrupt', role);
      if (acting.length === 0) return null;
      let delay = 0;
      for (const g of acting) {
        delay += ticks(g.fault.duration!);
        emit(g.fault, g.index, core.name, `IRQ ${line} of ${core.name}`, triggerText(g, 'interrupt', role), `the controller sees the request ${describeDuration(g.fault.duration!)} late`);
      }
      return delay as Ticks;
    };
    const dcache = core.dcache;
    if (dcache !== null && gates['cache-op'].some((g) => g.fault.role === role)) {
      dcache.maintenanceHook = (op: MaintenanceOp, address: number, length: number) => {
        const acting = eventGate('cache-op', role);
        if (acting.length === 0) return 'run';
        for (const g of acting) emit(g.fault, g.index, core.name, `${core.name}.dcache`, triggerText(g, 'cache-op', role), `${op} of ${length} B at ${hex(address)} skipped`);
        return 'skip';
      };
    }
  }

  /** Instant kinds counted on doorbells or interrupts: fire at the count (in a task at this tick, after the access). */
  function fireOnCount(kind: 'doorbell' | 'interrupt', role: Role): void {
    for (const { fault, index } of instantOn) {
      const t = fault.trigger;
      if (!('on' in t) || t.on !== kind) continue;
      // a fault on a core counts that core's events; one on memory or a port counts every event
      if (fault.role !== undefined && fault.role !== role) continue;
      if ((fault.role === undefined ? counts[kind].all : counts[kind][role]) !== t.n) continue;
      const text = `${kind} ${t.n}${fault.role === undefined ? '' : ` ${kind === 'doorbell' ? 'to' : 'of'} ${coreOf(role).name}`}`;
      k.task(`fault ${index}`, () => fire(fault, index, text)).schedule(0 as Ticks);
    }
  }

  const sink: TraceSink = {
    kinds: ['rl-enqueue', 'rl-deliver'],
    record(r: TraceRecord): void {
      if (r.kind === 'rl-enqueue') {
        census.enqueued[r.dir].add(r.msg);
        messages++;
        const from: Role = r.dir === 'm2r' ? 'master' : 'remote';
        messagesFrom[from]++;
        for (const { fault, index } of instantOn) {
          const t = fault.trigger;
          if (!('on' in t) || t.on !== 'message') continue;
          if (t.n !== (t.from === undefined ? messages : t.from === from ? messagesFrom[from] : -1)) continue;
          const buffer = r.buffer;
          const text = `message ${t.n}${t.from === undefined ? '' : ` from the ${t.from}`} (${r.dir}#${r.msg}) enqueued`;
          // at once for a gate (the kick that follows is the one it acts on), else in a task at this tick
          if (GATE_KINDS.includes(fault.kind)) fire(fault, index, text);
          else
            k.task(`fault ${index}`, () => {
              messageBuffer = buffer;
              fire(fault, index, text);
              messageBuffer = -1;
            }).schedule(0 as Ticks);
        }
      } else if (r.kind === 'rl-deliver' && r.ept >= 0) {
        census.deliveries[r.dir].set(r.msg, (census.deliveries[r.dir].get(r.msg) ?? 0) + 1);
        census.deliveryTicks.push(r.t);
      }
    },
  };
  return { fired: ctx.fired, sink, census, lateRoles };
}

interface ResolvedTarget {
  name: string;
  address: number;
  size: number;
  read(): number;
  write(value: number): void;
}

/** The field or address of a write/flip fault, as the master maps it, with its memory's bytes. */
function resolveTarget(sys: RpmsgSystem, fault: Fault, messageBuffer: number): ResolvedTarget {
  let name: string;
  let address: number;
  let size: number;
  if (fault.field !== undefined) {
    const found = fieldAt(sys, fault.field.startsWith('msg.') ? `buf[0].${fault.field.slice(4)}` : fault.field);
    if (typeof found === 'string') throw faultError(fault, found);
    ({ address, size } = found);
    name = fault.field;
    if (fault.field.startsWith('msg.') && messageBuffer >= 0) {
      const layout = shmemLayout(sys.sharedMemory.base, sys.config, sys.sharedMemory.length);
      address = messageBuffer + (address - layout.buffer(0));
      name = `buf[${Math.round((messageBuffer - layout.buffer(0)) / layout.bufferSize)}].${fault.field.slice(4)}`;
    }
  } else {
    address = fault.address!;
    size = fault.size!;
    name = hex(address);
  }
  const mem = memoryAt(sys, address, size);
  if (mem === null) throw faultError(fault, `${hex(address)} (${size} B) is in no memory the master maps: a fault writes memory, not registers`);
  return {
    name,
    address,
    size,
    read: () => {
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = v * 256 + mem.bytes[mem.at + i]!;
      return v;
    },
    write: (value: number) => {
      let v = value;
      for (let i = 0; i < size; i++) {
        mem.bytes[mem.at + i] = v % 256;
        v = Math.floor(v / 256);
      }
    },
  };
}

/**
 * Where a field named as the teaching views name it (teach/fields.ts: `vring1.avail.idx`,
 * `vring0.desc[2].len`, `vring0.used.ring[1].id`, `buf[3].hdr.len`) sits in this run's shared
 * memory, from the layout rpmsg_lite_master_init makes (virtio-ring.ts shmemLayout), with its
 * size; or what is wrong with the name (an index past the ring or the buffers).
 */
export function fieldAt(sys: RpmsgSystem, field: string): { address: number; size: number } | string {
  const layout = shmemLayout(sys.sharedMemory.base, sys.config, sys.sharedMemory.length);
  const n = sys.config.bufferCount;
  const where = `in this run's shared memory (${n} descriptors per vring, buffers buf[0] to buf[${2 * n - 1}])`;
  const vring = /^vring([01])\.(.*)$/.exec(field);
  if (vring !== null) {
    const v = vring[1] === '0' ? layout.vring0 : layout.vring1;
    const rest = vring[2]!;
    const index = /\[(\d+)\]/.exec(rest);
    const i = index === null ? 0 : Number(index[1]);
    if (i >= n) return `no field "${field}" ${where}`;
    const desc = /^desc\[\d+\]\.(addr|len|flags|next)$/.exec(rest);
    if (desc !== null) return { address: v.desc(i)[desc[1] as 'addr'], size: { addr: 8, len: 4, flags: 2, next: 2 }[desc[1] as 'addr'] };
    const used = /^used\.ring\[\d+\]\.(id|len)$/.exec(rest);
    if (used !== null) return { address: used[1] === 'id' ? v.usedRingId(i) : v.usedRingLen(i), size: 4 };
    const fixed: Record<string, number> = {
      'avail.flags': v.availFlags,
      'avail.idx': v.availIdx,
      'avail.used_event': v.usedEvent,
      'used.flags': v.usedFlags,
      'used.idx': v.usedIdx,
      'used.avail_event': v.availEvent,
    };
    if (/^avail\.ring\[\d+\]$/.test(rest)) return { address: v.availRing(i), size: 2 };
    if (Object.hasOwn(fixed, rest)) return { address: fixed[rest]!, size: 2 };
    return `no field "${field}" ${where}`;
  }
  const buf = /^buf\[(\d+)\]\.hdr\.(src|dst|reserved|len|flags)$/.exec(field);
  if (buf !== null && Number(buf[1]) < 2 * n) {
    const at = { src: RPMSG_HDR.src, dst: RPMSG_HDR.dst, reserved: RPMSG_HDR.reservedRfu, len: RPMSG_HDR.len, flags: RPMSG_HDR.flags }[buf[2] as 'src'];
    return { address: layout.buffer(Number(buf[1])) + at, size: buf[2] === 'len' || buf[2] === 'flags' ? 2 : 4 };
  }
  return `no field "${field}" ${where}`;
}

/** The bytes behind `address` in the master's address map (a memory window), or null. */
function memoryAt(sys: RpmsgSystem, address: number, size: number): { bytes: Uint8Array; at: number } | null {
  const map = sys.soc.platform.cores[0].addressMap;
  const w = map.find((x) => x.base <= address && address + size <= x.base + x.size && sys.soc.memories.has(x.target));
  if (w === undefined) return null;
  return { bytes: sys.soc.memories.get(w.target)!.bytes, at: address - w.base + w.targetOffset };
}

function portOf(sys: RpmsgSystem, fault: Fault) {
  const ports = sys.soc.ports;
  let name = fault.port;
  if (name === undefined) {
    const map = sys.soc.platform.cores[0].addressMap;
    const base = sys.sharedMemory.base;
    name = map.find((w) => w.base <= base && base < w.base + w.size && ports.has(w.target))?.target;
  }
  const port = name === undefined ? undefined : ports.get(name);
  if (port === undefined) throw faultError(fault, `no bus port "${fault.port}" on ${sys.soc.platform.name} (ports: ${[...ports.keys()].join(', ')})`);
  return port;
}

function faultError(fault: Fault, message: string): ConfigError {
  const l = fault.location;
  return new ConfigError(`${l.file}:${l.line}:${l.column}: ${fault.kind} fault: ${message}`);
}

function describeDuration(d: Duration): string {
  return 'ns' in d ? `${d.ns} ns` : `${d.cycles} cycles of ${d.core}`;
}


// ---- expectations ---------------------------------------------------------------------------

/** The `expect` keys of faults (docs/scenario-format.md). */
export const FAULT_EXPECT_KEYS = ['faults-fired', 'messages-lost', 'messages-duplicated', 'recovery-within', 'locked-up'] as const;

/** Reads the fault expectations among `expect`'s entries; false when one is wrong. */
export function readFaultExpectations(r: Reader, f: Fields, out: FaultExpectations): boolean {
  let ok = true;
  const whole = (key: string, set: (n: number) => void) => {
    const node = f.get(key);
    if (node === undefined) return;
    const v = r.whole(node, f.at(key));
    if (v === undefined) ok = false;
    else set(v);
  };
  whole('faults-fired', (n) => (out.fired = n));
  whole('messages-lost', (n) => (out.lost = n));
  whole('messages-duplicated', (n) => (out.duplicated = n));
  const recovery = f.get('recovery-within');
  if (recovery !== undefined) {
    const d = r.duration(recovery, f.at('recovery-within'));
    if (d === undefined) ok = false;
    else out.recoveryWithin = d;
  }
  const locked = f.entry('locked-up');
  if (locked !== undefined) {
    const l = r.fields(locked.value, f.at('locked-up'), 'expect.locked-up', locked.keyOffset, ROLE_NAMES);
    if (l === undefined) ok = false;
    else {
      const lockedUp: Partial<Record<Role, boolean>> = {};
      for (const role of ROLE_NAMES) {
        const node = l.get(role);
        if (node === undefined) continue;
        const v = r.flag(node, l.at(role));
        if (v === undefined) ok = false;
        else lockedUp[role] = v;
      }
      out.lockedUp = lockedUp;
    }
  }
  return ok;
}

/**
 * The fault expectations against the run. Per direction, lost: messages enqueued (rl-enqueue)
 * beyond the deliveries by the end; duplicated: deliveries beyond the messages enqueued (the
 * receiver numbers what it takes off the ring; counts, not identities: a loss and a duplicate
 * in one direction cancel out, see docs/scenario-format.md). Recovery: after the last fault fired, the first delivery to an
 * endpoint comes within the bound.
 */
export function faultExpectations(
  want: FaultExpectations,
  installed: InstalledFaults | null,
  lockups: Record<Role, boolean>,
  ticks: (d: Duration) => number,
  toNs: (t: number) => number,
): { what: string; expected: string; actual: string; ok: boolean }[] {
  const out: { what: string; expected: string; actual: string; ok: boolean }[] = [];
  const check = (what: string, expected: string, actual: string, ok: boolean) => out.push({ what, expected, actual, ok });
  const fired = installed?.fired ?? [];
  const census = installed?.census;
  if (want.fired !== undefined) check('faults fired', String(want.fired), String(fired.length), fired.length === want.fired);
  let lost = 0;
  let duplicated = 0;
  if (census !== undefined) {
    for (const dir of ['m2r', 'r2m'] as const) {
      for (const n of census.enqueued[dir]) if (!census.deliveries[dir].has(n)) lost++;
      for (const [n, times] of census.deliveries[dir]) duplicated += census.enqueued[dir].has(n) ? times - 1 : times;
    }
  }
  if (want.lost !== undefined) check('messages lost', String(want.lost), String(lost), lost === want.lost);
  if (want.duplicated !== undefined) check('messages duplicated', String(want.duplicated), String(duplicated), duplicated === want.duplicated);
  if (want.recoveryWithin !== undefined) {
    const bound = ticks(want.recoveryWithin);
    const last = fired.length === 0 ? null : fired[fired.length - 1]!.tick;
    const next = last === null ? undefined : census?.deliveryTicks.find((t) => t >= last);
    const expected = `a delivery within ${describeDuration(want.recoveryWithin)} of the last fault`;
    if (last === null) check('recovery', expected, 'no fault fired', false);
    else if (next === undefined) check('recovery', expected, 'no delivery after it', false);
    else check('recovery', expected, `${Math.round(toNs(next - last) * 1000) / 1000} ns after it`, next - last <= bound);
  }
  for (const role of ROLE_NAMES) {
    const w = want.lockedUp?.[role];
    if (w !== undefined) check(`${role} locked up`, String(w), String(lockups[role]), lockups[role] === w);
  }
  return out;
}

/** Expectations under faults (`expect:` keys faults-fired, messages-lost, …). */
export interface FaultExpectations {
  fired?: number;
  lost?: number;
  duplicated?: number;
  recoveryWithin?: Duration;
  lockedUp?: Partial<Record<Role, boolean>>;
}

// ---- the CLI's --fault ----------------------------------------------------------------------

/**
 * A scenario with the faults of `--fault` arguments added after its own: each argument is
 * one item of `faults:` in YAML (a flow mapping), read as a file named `--fault N` so its
 * errors point into the argument (line 1, the column in the text). `report` lists every
 * problem (formatErrors' text), empty when all are good.
 */
export function withFaultArguments(scenario: Scenario, texts: readonly string[]): { scenario?: Scenario; report: string } {
  const added: Fault[] = [];
  const errors: ScenarioError[] = [];
  const platform = loadPlatform(scenario.platform, scenario.overrides);
  texts.forEach((text, i) => {
    const source = new ScenarioText(`--fault ${i + 1}`, text);
    const root = source.parse();
    const r = new Reader(source);
    r.usePlatform(scenario.platform, platform.cores.map((c) => c.name));
    const fault = root === undefined ? undefined : readFault(r, root, []);
    errors.push(...source.sortedErrors());
    if (fault !== undefined && source.errorCount === 0) added.push(fault);
  });
  if (errors.length > 0) return { report: formatErrors(errors) };
  return { scenario: { ...scenario, faults: [...(scenario.faults ?? []), ...added] }, report: '' };
}
