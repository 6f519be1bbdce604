// Turns a platform description (data with sources) into a validated `ResolvedPlatform` of
// plain values, after applying overrides by dotted path ("clocks.cm7", "memories.ocram.
// readWaitStates", "cores.cm4.nvic.priorityBits": cores and memories by name, not index).
//
// Validation collects every problem before failing, as zod does: one `PlatformConfigError`
// (a `ConfigError`) lists each as "platform <name>: <path>: <what is wrong>" on its own line.
//
// The registry of platforms lives above this layer (platforms/index.ts); it is passed in
// (`createPlatformCatalog`) so hardware code never imports a particular SoC.

import { ConfigError, MAX_TICKS, Timebase, formatHz } from '../../sim/kernel';
import { closestWords } from '../../sim/text/did-you-mean';
import type {
  Arbitration,
  CoreDescription,
  CoreTypeName,
  MailboxKind,
  MailboxSide,
  MemoryDescription,
  Param,
  PlatformDescription,
  RegionDescription,
} from './types';
import { MAILBOX_KINDS, MAILBOX_MODELS } from '../../sim/hw/mailboxes';

export type OverrideValue = number | string;
export type PlatformOverrides = Readonly<Record<string, OverrideValue>>;
export type PlatformRegistry = Readonly<Record<string, PlatformDescription>>;

export interface ResolvedRegion {
  readonly base: number;
  readonly size: number;
  readonly target: string;
  readonly targetOffset: number;
}

export interface ResolvedCore {
  readonly name: string;
  readonly type: CoreTypeName;
  readonly clock: string;
  readonly role: 'master' | 'remote';
  readonly nvic: { readonly lines: number; readonly priorityBits: number };
  readonly addressMap: readonly ResolvedRegion[];
}

export interface ResolvedMemory {
  readonly name: string;
  readonly clock: string;
  readonly size: number;
  readonly dataWidthBytes: number;
  readonly readWaitStates: number;
  readonly writeWaitStates: number;
}

export type { MailboxKind, MailboxSide };

export interface ResolvedPlatform {
  readonly name: string;
  readonly title: string;
  /** Hz by clock name. */
  readonly clocks: Readonly<Record<string, number>>;
  /** Master first. */
  readonly cores: readonly [ResolvedCore, ResolvedCore];
  readonly memories: readonly ResolvedMemory[];
  readonly interconnect: {
    readonly arbitration: Arbitration;
    /** Core names, highest first; empty for round-robin. */
    readonly priorityOrder: readonly string[];
    readonly syncCycles: number;
    readonly responseSyncCycles: number;
  };
  readonly peripheralBus: { readonly clock: string; readonly accessCycles: number };
  readonly mailbox: {
    readonly kind: MailboxKind;
    readonly clock: string;
    /** Mailbox-clock cycles for an event to reach the other side. */
    readonly crossingCycles: number;
    readonly sides: Readonly<Record<string, { readonly side: MailboxSide; readonly irq: number }>>;
  };
  readonly rpmsg: {
    readonly sharedMemoryBase: number;
    readonly sharedMemorySize: number;
    readonly linkId: number;
    readonly irqPriority: Readonly<Record<string, number>>;
  };
  /** Where each number comes from, by dotted path (the same paths overrides use). */
  readonly sources: Readonly<Record<string, string>>;
}

/** One problem found in a platform: where (dotted path) and what. */
export interface PlatformIssue {
  readonly path: string;
  readonly message: string;
}

/** A platform that cannot be simulated as described; lists every problem found. */
export class PlatformConfigError extends ConfigError {
  constructor(
    readonly platform: string,
    readonly issues: readonly PlatformIssue[],
  ) {
    super(issues.map((i) => `platform ${platform}: ${i.path}: ${i.message}`).join('\n'));
  }
}

export interface PlatformCatalog {
  /** The platform `name` with `overrides` applied, validated; throws a `ConfigError` otherwise. */
  loadPlatform(name: string, overrides?: PlatformOverrides): ResolvedPlatform;
  /** Platform names, in registry order. */
  listPlatforms(): string[];
  /** A multi-line description of platform `name`: every value with its source and override path. */
  describePlatform(name: string, overrides?: PlatformOverrides): string;
}

const CORE_TYPES: readonly CoreTypeName[] = ['cortex-m0+', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-a53'];
const ARBITRATIONS: readonly Arbitration[] = ['round-robin', 'fixed-priority'];
/** The window target every address map uses for the mailbox's registers. */
export const MAILBOX_TARGET = 'mailbox';
const ADDRESS_SPACE = 2 ** 32;
const MAX_PRIORITY_BITS = 8;

export function createPlatformCatalog(registry: PlatformRegistry): PlatformCatalog {
  const lookUp = (name: string): PlatformDescription => {
    const description = Object.hasOwn(registry, name) ? registry[name] : undefined;
    if (description === undefined) {
      throw new ConfigError(`unknown platform "${name}"; known platforms: ${Object.keys(registry).join(', ')}`);
    }
    if (description.name !== name) {
      throw new PlatformConfigError(name, [
        { path: 'name', message: `the registry lists this platform as "${name}" but it is named "${description.name}"` },
      ]);
    }
    return description;
  };
  return {
    loadPlatform: (name, overrides = {}) => resolvePlatform(lookUp(name), overrides),
    listPlatforms: () => Object.keys(registry),
    describePlatform: (name, overrides = {}) => describeResolvedPlatform(resolvePlatform(lookUp(name), overrides)),
  };
}

/** Applies overrides to a description and validates the result (all problems reported at once). */
export function resolvePlatform(description: PlatformDescription, overrides: PlatformOverrides = {}): ResolvedPlatform {
  const platformName = typeof description.name === 'string' && description.name !== '' ? description.name : '(unnamed)';
  // Overrides edit a copy: the registered description is shared by every load.
  const working = structuredClone(description);
  const issues: PlatformIssue[] = [];
  const overrideNotes = applyOverrides(working, overrides, issues);
  const resolved = new Resolver(issues, overrideNotes).resolve(working);
  if (issues.length > 0 || resolved === null) throw new PlatformConfigError(platformName, issues);
  return deepFreeze(resolved);
}

// ---- overrides ----------------------------------------------------------------------------

/** One overridable value of a description, reached by its dotted path. */
interface Setting {
  readonly path: string;
  /** What an override must be: a number, or a string (a list is a comma-separated string). */
  readonly type: 'number' | 'string';
  /** Writes the value; returns a note for the sources map. */
  set(value: OverrideValue): string;
}

function applyOverrides(d: PlatformDescription, overrides: PlatformOverrides, issues: PlatformIssue[]): Map<string, string> {
  const notes = new Map<string, string>();
  const entries = Object.entries(overrides);
  if (entries.length === 0) return notes;
  const settings = settingsOf(d);
  const byPath = new Map(settings.map((s) => [s.path, s]));
  for (const [path, value] of entries) {
    const setting = byPath.get(path);
    if (setting === undefined) {
      const nearest = closestWords(path, settings.map((s) => s.path), 3);
      issues.push({ path, message: `no such setting; nearest valid paths: ${nearest.join(', ')}` });
      continue;
    }
    if (typeof value !== setting.type) {
      issues.push({ path, message: `expected a ${setting.type}, got ${describeValue(value)}` });
      continue;
    }
    notes.set(path, setting.set(value));
  }
  return notes;
}

/** Every overridable value, in description order (which is also the order of suggestions). */
function settingsOf(d: PlatformDescription): Setting[] {
  const out: Setting[] = [];
  const param = (path: string, p: Param<unknown> | undefined): void => {
    if (p === undefined || p === null || typeof p !== 'object') return;
    const type = typeof p.value === 'string' ? 'string' : 'number';
    out.push({
      path,
      type,
      set: (value) => {
        const note = `override (the platform says ${describePlain(p.value)}: ${p.source})`;
        p.value = value;
        p.source = note;
        return note;
      },
    });
  };
  const field = <K extends string>(path: string, owner: Record<K, unknown>, key: K): void => {
    out.push({
      path,
      type: 'string',
      set: (value) => {
        const note = `override (the platform says ${describePlain(owner[key])})`;
        owner[key] = value;
        return note;
      },
    });
  };
  for (const [name, p] of Object.entries(d.clocks ?? {})) param(`clocks.${name}`, p);
  for (const core of d.cores ?? []) {
    const at = `cores.${core.name}`;
    field(`${at}.type`, core, 'type');
    field(`${at}.clock`, core, 'clock');
    field(`${at}.role`, core, 'role');
    param(`${at}.nvic.lines`, core.nvic?.lines);
    param(`${at}.nvic.priorityBits`, core.nvic?.priorityBits);
    windowKeys(core.addressMap ?? []).forEach((key, i) => {
      const window = core.addressMap[i]!;
      const w = `${at}.addressMap.${key}`;
      param(`${w}.base`, window.base);
      param(`${w}.size`, window.size);
      field(`${w}.target`, window, 'target');
      out.push({
        path: `${w}.targetOffset`,
        type: 'number',
        set: (value) => {
          const note = `override (the platform says ${window.targetOffset ?? 0})`;
          window.targetOffset = value as number;
          return note;
        },
      });
    });
  }
  for (const memory of d.memories ?? []) {
    const at = `memories.${memory.name}`;
    field(`${at}.clock`, memory, 'clock');
    param(`${at}.size`, memory.size);
    param(`${at}.dataWidthBytes`, memory.dataWidthBytes);
    param(`${at}.readWaitStates`, memory.readWaitStates);
    param(`${at}.writeWaitStates`, memory.writeWaitStates);
  }
  if (d.interconnect !== undefined) {
    const ic = d.interconnect;
    param('interconnect.arbitration', ic.arbitration);
    out.push({
      path: 'interconnect.priorityOrder',
      type: 'string',
      set: (value) => {
        const note = `override (the platform says ${(ic.priorityOrder ?? []).join(',') || 'nothing'})`;
        ic.priorityOrder = String(value)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        return note;
      },
    });
    param('interconnect.syncCycles', ic.syncCycles);
    param('interconnect.responseSyncCycles', ic.responseSyncCycles);
  }
  if (d.peripheralBus !== undefined) {
    field('peripheralBus.clock', d.peripheralBus, 'clock');
    param('peripheralBus.accessCycles', d.peripheralBus.accessCycles);
  }
  if (d.mailbox !== undefined) {
    field('mailbox.kind', d.mailbox, 'kind');
    field('mailbox.clock', d.mailbox, 'clock');
    param('mailbox.crossingCycles', d.mailbox.crossingCycles);
    for (const [core, side] of Object.entries(d.mailbox.sides ?? {})) {
      param(`mailbox.sides.${core}.side`, side?.side);
      param(`mailbox.sides.${core}.irq`, side?.irq);
    }
  }
  if (d.rpmsg !== undefined) {
    param('rpmsg.sharedMemoryBase', d.rpmsg.sharedMemoryBase);
    param('rpmsg.sharedMemorySize', d.rpmsg.sharedMemorySize);
    param('rpmsg.linkId', d.rpmsg.linkId);
    for (const [core, p] of Object.entries(d.rpmsg.irqPriority ?? {})) param(`rpmsg.irqPriority.${core}`, p);
  }
  return out;
}

/** Path keys of a core's windows: the target's name, numbered "#2", "#3" when a target repeats. */
function windowKeys(windows: readonly ({ readonly target: unknown } | undefined)[]): string[] {
  const seen = new Map<string, number>();
  return windows.map((w) => {
    const target = String(w?.target);
    const n = (seen.get(target) ?? 0) + 1;
    seen.set(target, n);
    return n === 1 ? target : `${target}#${n}`;
  });
}


// ---- validation ---------------------------------------------------------------------------

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

/** Reads a description into plain values, recording every problem and every source. */
class Resolver {
  private readonly sources: Record<string, string> = {};
  /** Every clock the description declares, valid or not: a bad frequency is reported once, not again at each user. */
  private declaredClocks: readonly string[] = [];

  constructor(
    private readonly issues: PlatformIssue[],
    private readonly overrideNotes: ReadonlyMap<string, string>,
  ) {}

  resolve(d: PlatformDescription): Mutable<ResolvedPlatform> | null {
    const name = this.text(d.name, 'name');
    const title = this.text(d.title, 'title');
    const clocks = this.clocks(d);
    const memories = this.memories(d);
    const cores = this.cores(d, memories);
    const interconnect = this.interconnect(d, cores);
    const peripheralBus = this.peripheralBus(d);
    const mailbox = this.mailbox(d, cores);
    const rpmsg = this.rpmsg(d, cores, memories);
    for (const [path, note] of this.overrideNotes) this.sources[path] ??= note;
    if (this.issues.length > 0 || cores.length !== 2) return null;
    return {
      name: name ?? '',
      title: title ?? '',
      clocks,
      cores: [cores[0]!, cores[1]!],
      memories,
      interconnect,
      peripheralBus,
      mailbox,
      rpmsg,
      sources: this.sources,
    };
  }

  // -- sections --

  private clocks(d: PlatformDescription): Record<string, number> {
    const clocks: Record<string, number> = {};
    const given = this.object(d.clocks, 'clocks');
    if (given === undefined) return clocks;
    if (Object.keys(given).length === 0) this.issue('clocks', 'at least one clock is needed');
    this.declaredClocks = Object.keys(given);
    for (const [name, p] of Object.entries(given)) {
      const path = `clocks.${name}`;
      const hz = this.number(p, path);
      if (hz === undefined) continue;
      if (!Number.isInteger(hz) || hz <= 0 || hz > MAX_TICKS) {
        this.issue(path, `frequency must be a positive whole number of Hz, got ${hz}`);
        continue;
      }
      clocks[name] = hz;
    }
    // The kernel must find a tick for the set (it refuses a clock too fast even for 1 ps ticks).
    try {
      Timebase.forFrequencies(Object.values(clocks));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.issue('clocks', error.message);
    }
    return clocks;
  }

  private memories(d: PlatformDescription): Mutable<ResolvedMemory>[] {
    const out: Mutable<ResolvedMemory>[] = [];
    const given = this.array<MemoryDescription>(d.memories, 'memories');
    if (given === undefined) return out;
    const names = new Set<string>();
    given.forEach((m, i) => {
      const name = typeof m?.name === 'string' && m.name !== '' ? m.name : undefined;
      const at = `memories.${name ?? `#${i + 1}`}`;
      if (name === undefined) this.issue(at, 'a memory needs a name');
      else if (name === MAILBOX_TARGET) this.issue(at, `"${MAILBOX_TARGET}" is the mailbox's window target; name the memory otherwise`);
      else if (names.has(name)) this.issue(at, `two memories are named "${name}"; memory names must differ`);
      if (name !== undefined) names.add(name);
      const clock = this.clockName(m?.clock, `${at}.clock`);
      const size = this.positiveWhole(m?.size, `${at}.size`);
      const width = this.number(m?.dataWidthBytes, `${at}.dataWidthBytes`);
      if (width !== undefined && !(Number.isInteger(width) && width > 0 && (width & (width - 1)) === 0)) {
        this.issue(`${at}.dataWidthBytes`, `must be a power of two number of bytes (1, 2, 4, 8, ...), got ${width}`);
      }
      const read = this.waitStates(m?.readWaitStates, `${at}.readWaitStates`);
      const write = this.waitStates(m?.writeWaitStates, `${at}.writeWaitStates`);
      out.push({
        name: name ?? '',
        clock: clock ?? '',
        size: size ?? 0,
        dataWidthBytes: width ?? 0,
        readWaitStates: read ?? 0,
        writeWaitStates: write ?? 0,
      });
    });
    return out;
  }

  private cores(d: PlatformDescription, memories: readonly ResolvedMemory[]): Mutable<ResolvedCore>[] {
    const given = this.array<CoreDescription>(d.cores, 'cores');
    if (given === undefined) return [];
    if (given.length !== 2) this.issue('cores', `expected exactly two cores, got ${given.length}`);
    const out: Mutable<ResolvedCore>[] = [];
    const names = new Set<string>();
    given.forEach((c, i) => {
      const name = typeof c?.name === 'string' && c.name !== '' ? c.name : undefined;
      const at = `cores.${name ?? `#${i + 1}`}`;
      if (name === undefined) this.issue(at, 'a core needs a name');
      else if (names.has(name)) this.issue('cores', `two cores are named "${name}"; core names must differ`);
      if (name !== undefined) names.add(name);
      const type = this.oneOf(c?.type, `${at}.type`, CORE_TYPES, 'core type');
      const clock = this.clockName(c?.clock, `${at}.clock`);
      const role = this.oneOf(c?.role, `${at}.role`, ['master', 'remote'] as const, 'role');
      const lines = this.positiveWhole(c?.nvic?.lines, `${at}.nvic.lines`);
      const bits = this.number(c?.nvic?.priorityBits, `${at}.nvic.priorityBits`);
      if (bits !== undefined && !(Number.isInteger(bits) && bits >= 1 && bits <= MAX_PRIORITY_BITS)) {
        this.issue(`${at}.nvic.priorityBits`, `must be a whole number from 1 to ${MAX_PRIORITY_BITS}, got ${bits}`);
      }
      const addressMap = this.addressMap(c?.addressMap, `${at}.addressMap`, memories);
      out.push({
        name: name ?? '',
        type: type ?? 'cortex-m4',
        clock: clock ?? '',
        role: role ?? 'remote',
        nvic: { lines: lines ?? 0, priorityBits: bits ?? 0 },
        addressMap,
      });
    });
    const roles = given.map((c) => c?.role);
    if (given.length === 2 && roles.every((r) => r === 'master' || r === 'remote') && roles[0] === roles[1]) {
      this.issue('cores', `expected one master and one remote, got ${roles[0]} and ${roles[1]}`);
    }
    // Master first, whatever order the description (or a role override) gave.
    return out.sort((a, b) => (a.role === b.role ? 0 : a.role === 'master' ? -1 : 1));
  }

  private addressMap(given: unknown, at: string, memories: readonly ResolvedMemory[]): ResolvedRegion[] {
    const windows = this.array<RegionDescription>(given, at);
    if (windows === undefined) return [];
    const memorySizes = new Map(memories.map((m) => [m.name, m.size]));
    const out: (ResolvedRegion & { key: string })[] = [];
    windowKeys(windows).forEach((key, i) => {
      const w = windows[i];
      const path = `${at}.${key}`;
      const base = this.number(w?.base, `${path}.base`);
      const size = this.positiveWhole(w?.size, `${path}.size`);
      const target = w?.target;
      const offset = w?.targetOffset ?? 0;
      let ok = size !== undefined;
      if (base !== undefined && !(Number.isInteger(base) && base >= 0 && base < ADDRESS_SPACE)) {
        this.issue(`${path}.base`, `must be a whole number from 0 to 0xFFFFFFFF, got ${describePlain(base)}`);
        ok = false;
      } else if (base !== undefined && size !== undefined && base + size > ADDRESS_SPACE) {
        this.issue(`${path}.size`, `the window ${hex(base)} + ${hex(size)} runs past the 32-bit address space`);
        ok = false;
      }
      if (typeof target !== 'string' || (target !== MAILBOX_TARGET && !memorySizes.has(target))) {
        const known = [...memorySizes.keys()].join(', ');
        this.issue(`${path}.target`, `no memory named ${describePlain(target)} (memories: ${known}; or "${MAILBOX_TARGET}")`);
        ok = false;
      }
      if (!(typeof offset === 'number' && Number.isInteger(offset) && offset >= 0)) {
        this.issue(`${path}.targetOffset`, `must be a non-negative whole number, got ${describePlain(offset)}`);
        ok = false;
      } else if (typeof target === 'string' && size !== undefined && memorySizes.has(target)) {
        const memorySize = memorySizes.get(target)!;
        if (memorySize > 0 && offset + size > memorySize) {
          this.issue(
            `${path}.size`,
            `${hex(size)} bytes from offset ${hex(offset)} run past the end of memory "${target}" (${hex(memorySize)} bytes)`,
          );
          ok = false;
        }
      }
      if (ok && base !== undefined && size !== undefined && typeof target === 'string') {
        out.push({ key, base, size, target, targetOffset: offset });
      }
    });
    const sorted = [...out].sort((a, b) => a.base - b.base);
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      if (after.base < before.base + before.size) {
        this.issue(at, `windows ${describeWindow(before)} and ${describeWindow(after)} overlap`);
      }
    }
    if (windows.length > 0 && !windows.some((w) => w?.target === MAILBOX_TARGET)) {
      this.issue(at, 'no window maps the mailbox, so this core could not signal the other');
    }
    return out.map(({ base, size, target, targetOffset }) => ({ base, size, target, targetOffset }));
  }

  private interconnect(d: PlatformDescription, cores: readonly ResolvedCore[]): Mutable<ResolvedPlatform['interconnect']> {
    const ic = this.object(d.interconnect, 'interconnect');
    const arbitrationValue = this.paramValue(ic?.arbitration, 'interconnect.arbitration');
    const arbitration = this.oneOf(arbitrationValue, 'interconnect.arbitration', ARBITRATIONS, 'arbitration', true);
    const sync = this.waitStates(ic?.syncCycles, 'interconnect.syncCycles', 'synchroniser cycles');
    const responseSync = this.waitStates(ic?.responseSyncCycles, 'interconnect.responseSyncCycles', 'synchroniser cycles');
    const order = Array.isArray(ic?.priorityOrder) ? ic.priorityOrder.map(String) : [];
    const coreNames = cores.map((c) => c.name);
    if (arbitration === 'fixed-priority') {
      const namesBoth = order.length === coreNames.length && coreNames.every((n) => order.filter((o) => o === n).length === 1);
      if (!namesBoth) {
        this.issue(
          'interconnect.priorityOrder',
          `a fixed-priority order must name each core once (${coreNames.join(', ')}), got ${order.length > 0 ? order.join(', ') : 'none'}`,
        );
      }
    }
    return {
      arbitration: arbitration ?? 'round-robin',
      priorityOrder: arbitration === 'fixed-priority' ? order : [],
      syncCycles: sync ?? 0,
      responseSyncCycles: responseSync ?? 0,
    };
  }

  private peripheralBus(d: PlatformDescription): Mutable<ResolvedPlatform['peripheralBus']> {
    const bus = this.object(d.peripheralBus, 'peripheralBus');
    const clock = bus === undefined ? undefined : this.clockName(bus.clock, 'peripheralBus.clock');
    const accessCycles = bus === undefined ? undefined : this.positiveWhole(bus.accessCycles, 'peripheralBus.accessCycles');
    return { clock: clock ?? '', accessCycles: accessCycles ?? 0 };
  }

  private mailbox(d: PlatformDescription, cores: readonly ResolvedCore[]): Mutable<ResolvedPlatform['mailbox']> {
    const sides: Record<string, { side: MailboxSide; irq: number }> = {};
    const mb = this.object(d.mailbox, 'mailbox');
    if (mb === undefined) return { kind: 'nxp-mu', clock: '', crossingCycles: 0, sides };
    const kind = this.oneOf(mb.kind, 'mailbox.kind', MAILBOX_KINDS, 'mailbox kind');
    const clock = this.clockName(mb.clock, 'mailbox.clock');
    const crossingCycles = this.waitStates(mb.crossingCycles, 'mailbox.crossingCycles', 'crossing cycles');
    const given = this.object(mb.sides, 'mailbox.sides') ?? {};
    const allowed: readonly MailboxSide[] | undefined = kind === undefined ? undefined : MAILBOX_MODELS[kind].sides;
    for (const name of Object.keys(given)) {
      if (!cores.some((c) => c.name === name)) this.issue(`mailbox.sides.${name}`, `no core named "${name}"`);
    }
    for (const core of cores) {
      const at = `mailbox.sides.${core.name}`;
      const entry = given[core.name];
      if (entry === undefined) {
        this.issue(at, 'missing: every core needs a mailbox side and an interrupt line');
        continue;
      }
      const side = this.paramValue(entry.side, `${at}.side`);
      if (side !== undefined && allowed !== undefined && !allowed.includes(side as MailboxSide)) {
        this.issue(`${at}.side`, `a ${kind} side is ${allowed.map((s) => describePlain(s)).join(' or ')}, got ${describePlain(side)}`);
      }
      const irq = this.number(entry.irq, `${at}.irq`);
      const lines = core.nvic.lines;
      if (irq !== undefined && !(Number.isInteger(irq) && irq >= 0 && (lines <= 0 || irq < lines))) {
        this.issue(`${at}.irq`, `must be a line from 0 to ${lines - 1} of ${core.name}'s interrupt controller, got ${irq}`);
      }
      sides[core.name] = { side: side as MailboxSide, irq: irq ?? 0 };
    }
    const used = cores.map((c) => sides[c.name]?.side).filter((s) => s !== undefined);
    if (used.length === 2 && used[0] === used[1]) {
      this.issue('mailbox.sides', `both cores use side ${describePlain(used[0])}; each core needs its own side`);
    }
    return { kind: kind ?? 'nxp-mu', clock: clock ?? '', crossingCycles: crossingCycles ?? 0, sides };
  }

  private rpmsg(
    d: PlatformDescription,
    cores: readonly ResolvedCore[],
    memories: readonly ResolvedMemory[],
  ): Mutable<ResolvedPlatform['rpmsg']> {
    const irqPriority: Record<string, number> = {};
    const r = this.object(d.rpmsg, 'rpmsg');
    if (r === undefined) return { sharedMemoryBase: 0, sharedMemorySize: 0, linkId: 0, irqPriority };
    const base = this.number(r.sharedMemoryBase, 'rpmsg.sharedMemoryBase');
    const size = this.positiveWhole(r.sharedMemorySize, 'rpmsg.sharedMemorySize');
    const linkId = this.waitStates(r.linkId, 'rpmsg.linkId', 'link id');
    if (base !== undefined && !(Number.isInteger(base) && base >= 0 && base < ADDRESS_SPACE)) {
      this.issue('rpmsg.sharedMemoryBase', `must be a whole number from 0 to 0xFFFFFFFF, got ${describePlain(base)}`);
    } else if (base !== undefined && size !== undefined) {
      const master = cores.find((c) => c.role === 'master');
      const memoryNames = new Set(memories.map((m) => m.name));
      const inside = master?.addressMap.some(
        (w) => memoryNames.has(w.target) && base >= w.base && base + size <= w.base + w.size,
      );
      if (master !== undefined && !inside) {
        this.issue(
          'rpmsg.sharedMemoryBase',
          `the shared memory ${hex(base)}..${hex(base + size - 1)} is not inside any memory window of the master ${master.name}`,
        );
      }
    }
    const given = this.object(r.irqPriority, 'rpmsg.irqPriority') ?? {};
    for (const name of Object.keys(given)) {
      if (!cores.some((c) => c.name === name)) this.issue(`rpmsg.irqPriority.${name}`, `no core named "${name}"`);
    }
    for (const core of cores) {
      const at = `rpmsg.irqPriority.${core.name}`;
      if (given[core.name] === undefined) {
        this.issue(at, 'missing: the priority the port gives the mailbox interrupt on this core');
        continue;
      }
      const priority = this.number(given[core.name], at);
      if (priority === undefined) continue;
      const bits = core.nvic.priorityBits;
      const highest = 2 ** bits - 1;
      // An invalid bit count is reported at the core; do not judge priorities against it.
      if (bits > 0 && !(Number.isInteger(priority) && priority >= 0 && priority <= highest)) {
        this.issue(at, `must be a whole number from 0 to ${highest} (${core.name} implements ${bits} priority bit${bits === 1 ? '' : 's'}), got ${priority}`);
      }
      irqPriority[core.name] = priority;
    }
    return { sharedMemoryBase: base ?? 0, sharedMemorySize: size ?? 0, linkId: linkId ?? 0, irqPriority };
  }

  // -- primitives: each records a problem and returns undefined when the value is unusable --

  private issue(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  private text(value: unknown, path: string): string | undefined {
    if (typeof value === 'string' && value !== '') return value;
    this.issue(path, 'missing');
    return undefined;
  }

  private object<T extends object>(value: T | undefined | null, path: string): T | undefined {
    if (value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
    this.issue(path, 'missing');
    return undefined;
  }

  private array<T>(value: unknown, path: string): readonly (T | undefined)[] | undefined {
    if (Array.isArray(value)) return value as (T | undefined)[];
    this.issue(path, 'missing');
    return undefined;
  }

  /** The value of a `Param`, with its source recorded; any type. */
  private paramValue(p: Param<unknown> | undefined, path: string): unknown {
    if (p === undefined || p === null || typeof p !== 'object' || !('value' in p) || p.value === undefined) {
      this.issue(path, 'missing');
      return undefined;
    }
    if (typeof p.source !== 'string' || p.source.trim() === '') {
      this.issue(path, 'has no source; say where it comes from (document and section, SDK file, or "Assumption: ... because ...")');
    } else {
      this.sources[path] = p.source;
    }
    return p.value;
  }

  private number(p: Param<unknown> | undefined, path: string): number | undefined {
    const value = this.paramValue(p, path);
    if (value === undefined) return undefined;
    if (typeof value !== 'number') {
      this.issue(path, `expected a number, got ${describeValue(value)}`);
      return undefined;
    }
    return value;
  }

  private positiveWhole(p: Param<unknown> | undefined, path: string): number | undefined {
    const value = this.number(p, path);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value <= 0) {
      this.issue(path, `must be a positive whole number, got ${value}`);
      return undefined;
    }
    return value;
  }

  private waitStates(p: Param<unknown> | undefined, path: string, what = 'wait states'): number | undefined {
    const value = this.number(p, path);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < 0) {
      this.issue(path, `${what} must be a non-negative whole number, got ${value}`);
      return undefined;
    }
    return value;
  }

  private clockName(value: unknown, path: string): string | undefined {
    if (typeof value === 'string' && this.declaredClocks.includes(value)) return value;
    if (value === undefined) {
      this.issue(path, 'missing');
      return undefined;
    }
    this.issue(path, `no clock named ${describePlain(value)} (clocks: ${this.declaredClocks.join(', ')})`);
    return undefined;
  }

  /** A string from a fixed set; `undefined` is reported as missing unless a Param read already did. */
  private oneOf<T extends string>(
    value: unknown,
    path: string,
    allowed: readonly T[],
    what: string,
    missingReported = false,
  ): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    if (value !== undefined) {
      this.issue(path, `unknown ${what} ${describePlain(value)}; expected one of ${allowed.join(', ')}`);
    } else if (!missingReported) {
      this.issue(path, 'missing');
    }
    return undefined;
  }
}

// ---- description text ---------------------------------------------------------------------

/** A multi-line description: every value with its override path and its source. */
export function describeResolvedPlatform(p: ResolvedPlatform): string {
  const lines: string[] = [];
  const entry = (indent: string, label: string, value: string, path?: string): void => {
    lines.push(`${indent}${label} = ${value}`);
    if (path !== undefined) lines.push(`${indent}    ${path}: ${p.sources[path] ?? '(no source)'}`);
  };
  const tick = Timebase.forFrequencies(Object.values(p.clocks));

  lines.push(`${p.title} [${p.name}]`, '');
  lines.push(`Clocks (kernel tick ${formatHz(tick.tickHz)}: ${tick.reason})`);
  for (const [name, hz] of Object.entries(p.clocks)) entry('  ', name, formatHz(hz), `clocks.${name}`);

  lines.push('', 'Cores');
  for (const core of p.cores) {
    const at = `cores.${core.name}`;
    lines.push(`  ${core.name}: ${core.type}, rpmsg-lite ${core.role}, clock ${core.clock}`);
    entry('    ', 'interrupt lines', String(core.nvic.lines), `${at}.nvic.lines`);
    entry('    ', 'priority bits', String(core.nvic.priorityBits), `${at}.nvic.priorityBits`);
    const keys = windowKeys(core.addressMap);
    core.addressMap.forEach((w, i) => {
      const wp = `${at}.addressMap.${keys[i]}`;
      const offset = w.targetOffset === 0 ? '' : ` + ${hex(w.targetOffset)}`;
      lines.push(`    window ${hex(w.base)}..${hex(w.base + w.size - 1)}, ${formatBytes(w.size)} -> ${w.target}${offset}`);
      lines.push(`        ${wp}.base: ${p.sources[`${wp}.base`] ?? '(no source)'}`);
      lines.push(`        ${wp}.size: ${p.sources[`${wp}.size`] ?? '(no source)'}`);
    });
  }

  lines.push('', 'Memories (wait states are extra memory-clock cycles per beat)');
  for (const m of p.memories) {
    const at = `memories.${m.name}`;
    lines.push(`  ${m.name}: clock ${m.clock}`);
    entry('    ', 'size', formatBytes(m.size), `${at}.size`);
    entry('    ', 'beat width', `${m.dataWidthBytes} bytes`, `${at}.dataWidthBytes`);
    entry('    ', 'read wait states', String(m.readWaitStates), `${at}.readWaitStates`);
    entry('    ', 'write wait states', String(m.writeWaitStates), `${at}.writeWaitStates`);
  }

  const ic = p.interconnect;
  lines.push('', 'Interconnect');
  entry('  ', 'arbitration', ic.arbitration + (ic.priorityOrder.length > 0 ? ` (${ic.priorityOrder.join(' > ')})` : ''), 'interconnect.arbitration');
  entry('  ', 'synchroniser cycles into a target', String(ic.syncCycles), 'interconnect.syncCycles');
  entry('  ', 'synchroniser cycles back to the core', String(ic.responseSyncCycles), 'interconnect.responseSyncCycles');

  lines.push('', `Peripheral bus: clock ${p.peripheralBus.clock}`);
  entry('  ', 'cycles per register access', String(p.peripheralBus.accessCycles), 'peripheralBus.accessCycles');

  lines.push('', `Mailbox: ${p.mailbox.kind}, clock ${p.mailbox.clock}`);
  entry('  ', 'crossing to the other side (cycles)', String(p.mailbox.crossingCycles), 'mailbox.crossingCycles');
  for (const core of p.cores) {
    const side = p.mailbox.sides[core.name];
    if (side === undefined) continue;
    entry('  ', `${core.name} side`, String(side.side), `mailbox.sides.${core.name}.side`);
    entry('  ', `${core.name} interrupt line`, String(side.irq), `mailbox.sides.${core.name}.irq`);
  }

  const r = p.rpmsg;
  lines.push('', 'Shared memory (rpmsg-lite)');
  entry('  ', 'base', hex(r.sharedMemoryBase), 'rpmsg.sharedMemoryBase');
  entry('  ', 'size', formatBytes(r.sharedMemorySize), 'rpmsg.sharedMemorySize');
  entry('  ', 'link id', String(r.linkId), 'rpmsg.linkId');
  for (const core of p.cores) {
    entry('  ', `${core.name} mailbox interrupt priority`, String(r.irqPriority[core.name]), `rpmsg.irqPriority.${core.name}`);
  }
  return lines.join('\n') + '\n';
}

// ---- helpers ------------------------------------------------------------------------------

function hex(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** "8 KiB (0x2000)", "16 MiB (0x1000000)", "100 bytes (0x64)". */
function formatBytes(n: number): string {
  const raw = `0x${n.toString(16).toUpperCase()}`;
  if (n % 0x100000 === 0) return `${n / 0x100000} MiB (${raw})`;
  if (n % 0x400 === 0) return `${n / 0x400} KiB (${raw})`;
  return `${n} bytes (${raw})`;
}

function describeWindow(w: { key: string; base: number; size: number }): string {
  return `"${w.key}" (${hex(w.base)}..${hex(w.base + w.size - 1)})`;
}

/** For "expected …, got …": the type and the value. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string "${value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (value === null) return 'null';
  return `a value of type ${typeof value}`;
}

/** A value as written in a message: strings quoted. */
function describePlain(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
