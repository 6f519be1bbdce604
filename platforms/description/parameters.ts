// The parameters of a platform, each declared once: where it sits (the path), what it must
// be (type and check), how `rpmsg-sim platforms NAME` shows it. The override settings, the
// validation with its sources map and the description text are all derived from PLATFORM
// (declaration.ts); the resolved platform is what sim/hw/soc.ts builds from. Rules between
// values (windows that overlap, priorities against priority bits, ...) follow as named
// functions, run after every value was checked on its own.

import { ROLES } from '../../firmware/rpmsg-lite/constants';
import { ConfigError, MAX_TICKS, Timebase, formatHz } from '../../sim/kernel';
import { hexAddress } from '../../sim/text/hex';
import { CORE_TIMING } from '../../sim/hw/core-types';
import { MAILBOX_KINDS, MAILBOX_MODELS, isMailboxKind } from '../../sim/hw/mailboxes';
import { GPIO_KINDS, GPIO_MODELS, isGpioKind } from '../../sim/hw/gpios';
import { PINS_PER_PORT } from '../../sim/hw/gpio';
import { CACHE_POLICIES } from '../../sim/hw/data-cache';
import { type Decl, type Draft, type GroupDecl, type MapKeys, type Resolved, describePlain } from './declaration';
import type { Arbitration, CacheKind, CoreTypeName, PlatformDescription, Replacement } from './types';

/** The window target every address map uses for the mailbox's registers. */
export const MAILBOX_TARGET = 'mailbox';

/** What checks consult besides the value: the names the description declares. */
export interface PlatformContext {
  /** Every clock the description declares, valid or not (a bad frequency is reported once, not again at each user). */
  readonly clocks: readonly string[];
  readonly memories: readonly string[];
  /** Core names, master first (as the resolved platform lists them). */
  readonly cores: readonly string[];
  /** The mailbox kind as given (its model lists the sides). */
  readonly mailboxKind: unknown;
  /** The GPIO blocks' names (window targets besides the memories and the mailbox). */
  readonly gpioBlocks: readonly string[];
}

const CORE_TYPES = Object.keys(CORE_TIMING).filter((t): t is CoreTypeName => Object.hasOwn(CORE_TIMING, t));
const ARBITRATIONS: readonly Arbitration[] = ['round-robin', 'fixed-priority'];
const CACHE_KINDS: readonly CacheKind[] = ['icache', 'dcache'];
const REPLACEMENTS: readonly Replacement[] = ['lru', 'round-robin'];
const ADDRESS_SPACE = 2 ** 32;
const MAX_PRIORITY_BITS = 8;
/**
 * Interrupt lines of a core's controller: an Armv7-M / Armv8-M NVIC has at most 496 external
 * interrupts (Armv7-M ARM DDI 0403E B3.4.1: ICTR.INTLINESNUM up to 15, "up to 496"); the same
 * bound is taken for the A53's GIC model (an assumption: it allows up to 988 SPIs, and no
 * SoC here has more than 218 lines). Without a bound, 2^32 lines made arrays Node cannot hold.
 */
const MAX_INTERRUPT_LINES = 496;

// ---- checks ---------------------------------------------------------------------------------

const isWhole = (n: number): boolean => Number.isInteger(n);

const positiveWhole = (n: number): string | undefined =>
  isWhole(n) && n > 0 ? undefined : `must be a positive whole number, got ${n}`;

const nonNegativeWhole =
  (what: string) =>
  (n: number): string | undefined =>
    isWhole(n) && n >= 0 ? undefined : `${what} must be a non-negative whole number, got ${n}`;

const frequency = (hz: number): string | undefined =>
  isWhole(hz) && hz > 0 && hz <= MAX_TICKS ? undefined : `frequency must be a positive whole number of Hz, got ${hz}`;

const address32 = (n: number): string | undefined =>
  isWhole(n) && n >= 0 && n < ADDRESS_SPACE ? undefined : `must be a whole number from 0 to 0xFFFFFFFF, got ${describePlain(n)}`;

/** Exact for every safe integer (`n & (n - 1)` works on 32 bits: it took 2^32 for a power of two). */
const isPowerOfTwo = (n: number): boolean => isWhole(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;

const powerOfTwo = (n: number): string | undefined =>
  isPowerOfTwo(n) ? undefined : `must be a power of two number of bytes (1, 2, 4, 8, ...), got ${n}`;

/** A memory's bytes are held in one array and reached through 32-bit addresses: at most 4 GiB (2^53 bytes made an array Node cannot hold). */
const memorySize = (n: number): string | undefined =>
  isWhole(n) && n > 0 && n <= ADDRESS_SPACE ? undefined : `must be a whole number of bytes from 1 to 4 GiB (the 32-bit address space), got ${describePlain(n)}`;

const interruptLines = (n: number): string | undefined =>
  isWhole(n) && n >= 1 && n <= MAX_INTERRUPT_LINES ? undefined : `must be a whole number from 1 to ${MAX_INTERRUPT_LINES}, got ${describePlain(n)}`;

const priorityBits = (n: number): string | undefined =>
  isWhole(n) && n >= 1 && n <= MAX_PRIORITY_BITS ? undefined : `must be a whole number from 1 to ${MAX_PRIORITY_BITS}, got ${n}`;

const oneOf =
  (what: string, allowed: readonly unknown[]) =>
  (value: unknown): string | undefined =>
    allowed.includes(value) ? undefined : `unknown ${what} ${describePlain(value)}; expected one of ${allowed.join(', ')}`;

const clockName = (value: unknown, ctx: PlatformContext): string | undefined =>
  typeof value === 'string' && ctx.clocks.includes(value) ? undefined : `no clock named ${describePlain(value)} (clocks: ${ctx.clocks.join(', ')})`;

const windowTarget = (value: unknown, ctx: PlatformContext): string | undefined =>
  typeof value === 'string' && (value === MAILBOX_TARGET || ctx.memories.includes(value) || ctx.gpioBlocks.includes(value))
    ? undefined
    : `no memory named ${describePlain(value)} (memories: ${ctx.memories.join(', ')}; or "${MAILBOX_TARGET}"` +
      `${ctx.gpioBlocks.length > 0 ? `, or a GPIO block: ${ctx.gpioBlocks.join(', ')}` : ''})`;

const gpioBlockName = (value: unknown, ctx: PlatformContext): string | undefined =>
  typeof value === 'string' && ctx.gpioBlocks.includes(value) ? undefined : `no GPIO block named ${describePlain(value)} (blocks: ${ctx.gpioBlocks.join(', ')})`;

const pinNumber = (n: number): string | undefined =>
  isWhole(n) && n >= 0 && n < PINS_PER_PORT ? undefined : `must be a pin from 0 to ${PINS_PER_PORT - 1}, got ${n}`;

const targetOffset = (value: unknown): string | undefined =>
  typeof value === 'number' && isWhole(value) && value >= 0 ? undefined : `must be a non-negative whole number, got ${describePlain(value)}`;

/** A side of the kind's model (the mailbox registry lists them); not judged when the kind is unknown. */
const mailboxSide = (value: unknown, ctx: PlatformContext): string | undefined => {
  if (!isMailboxKind(ctx.mailboxKind)) return undefined;
  const allowed: readonly unknown[] = MAILBOX_MODELS[ctx.mailboxKind].sides;
  if (allowed.includes(value)) return undefined;
  return `a ${ctx.mailboxKind} side is ${allowed.map(describePlain).join(' or ')}, got ${describePlain(value)}`;
};

const yesOrNo = (value: unknown): string | undefined => (typeof value === 'boolean' ? undefined : `must be true or false, got ${describePlain(value)}`);

const notEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? undefined : 'missing');

// ---- formats --------------------------------------------------------------------------------

/** "8 KiB (0x2000)", "16 MiB (0x1000000)", "100 bytes (0x64)". */
export function formatBytes(n: number): string {
  const raw = `0x${n.toString(16).toUpperCase()}`;
  if (n % 0x100000 === 0) return `${n / 0x100000} MiB (${raw})`;
  if (n % 0x400 === 0) return `${n / 0x400} KiB (${raw})`;
  return `${n} bytes (${raw})`;
}

/** Path keys of a core's windows: the target's name, numbered "#2", "#3" when a target repeats. */
export function windowKeys(windows: readonly unknown[]): string[] {
  const seen = new Map<string, number>();
  return windows.map((w) => {
    const target = String(w !== null && typeof w === 'object' && 'target' in w ? w.target : undefined);
    const n = (seen.get(target) ?? 0) + 1;
    seen.set(target, n);
    return n === 1 ? target : `${target}#${n}`;
  });
}

/** Path keys of a core's caches: their kind ("icache", "dcache"). */
export function cacheKeys(caches: readonly unknown[]): string[] {
  return caches.map((c, i) => {
    const kind = c !== null && typeof c === 'object' && 'kind' in c ? c.kind : undefined;
    return typeof kind === 'string' && kind !== '' ? kind : `#${i + 1}`;
  });
}

/** Path keys of a data cache's regions: their base address ("0x202C0000"). */
export function regionKeys(regions: readonly unknown[]): string[] {
  return regions.map((r, i) => {
    const base = r !== null && typeof r === 'object' && 'base' in r ? r.base : undefined;
    // A Param as written, or its value once resolved (the description text walks resolved values).
    const value = base !== null && typeof base === 'object' && 'value' in base ? base.value : base;
    return typeof value === 'number' ? hexAddress(value) : `#${i + 1}`;
  });
}

// ---- the declaration ------------------------------------------------------------------------

type D<T> = Decl<T, PlatformContext>;

const perCore = (missing: string): MapKeys<PlatformContext> => ({
  expected: (ctx) => ctx.cores,
  unknown: (name) => `no core named "${name}"`,
  missing,
});

const FETCH_PATHS = ['direct', 'buffer', 'cache'] as const;
const REGION_KINDS = ['tcm', 'sram', 'flash', 'xip', 'ddr'] as const;
const ON_OFF = ['on', 'off'] as const;

const region: D<PlatformDescription['cores'][number]['regions'][string]> = {
  kind: 'group',
  heading: (r, name) => `${name}: ${r.kind} region ${hexAddress(r.base)}..${hexAddress(r.base + r.size - 1)}, ${formatBytes(r.size)}, fetch ${r.fetch}`,
  fields: {
    kind: { kind: 'field', type: 'string', check: oneOf('region kind', REGION_KINDS) },
    base: { kind: 'param', type: 'number', check: address32, show: { label: 'base', format: hexAddress } },
    size: { kind: 'param', type: 'number', check: positiveWhole, unit: 'bytes', show: { label: 'size', format: formatBytes } },
    fetch: { kind: 'param', type: 'string', check: oneOf('fetch path', FETCH_PATHS), show: { label: 'code fetch' } },
    // Their ranges depend on the fetch path: rule lineStoresAreCaches.
    lineBytes: { kind: 'param', type: 'number', check: nonNegativeWhole('line bytes'), unit: 'bytes', show: { label: 'line bytes' } },
    lines: { kind: 'param', type: 'number', check: nonNegativeWhole('lines'), show: { label: 'lines' } },
    ways: { kind: 'param', type: 'number', check: nonNegativeWhole('ways'), show: { label: 'ways' } },
    prefetch: { kind: 'param', type: 'string', check: oneOf('prefetch setting', ON_OFF), show: { label: 'prefetch' } },
    refillCycles: { kind: 'param', type: 'number', check: nonNegativeWhole('refill cycles'), show: { label: 'line refill (core cycles; 0: over the bus)' } },
    loadStallCycles: { kind: 'param', type: 'number', check: nonNegativeWhole('stall cycles'), show: { label: 'private load stall (core cycles)' } },
    storeStallCycles: { kind: 'param', type: 'number', check: nonNegativeWhole('stall cycles'), show: { label: 'private store stall (core cycles)' } },
  },
};

type CoreDecl = PlatformDescription['cores'][number];

const cache: D<NonNullable<CoreDecl['caches']>[number]> = {
  kind: 'group',
  heading: (c) =>
    `${c.kind === 'icache' ? 'instruction' : 'data'} cache: ${formatBytes(c.sizeBytes)}, ${c.ways}-way, ${c.lineBytes}-byte lines, ` +
    `${c.replacement}, hit ${c.hitCycles} cycle${c.hitCycles === 1 ? '' : 's'}, ${c.enabled ? 'enabled' : 'disabled'} by the SDK`,
  indentChildren: false,
  fields: {
    kind: { kind: 'field', type: 'string', isKey: true, check: oneOf('cache kind', CACHE_KINDS) },
    sizeBytes: { kind: 'param', type: 'number', check: powerOfTwo, unit: 'bytes', show: {} },
    lineBytes: { kind: 'param', type: 'number', check: powerOfTwo, unit: 'bytes', show: {} },
    ways: { kind: 'param', type: 'number', check: positiveWhole, show: {} },
    hitCycles: { kind: 'param', type: 'number', check: nonNegativeWhole('hit cycles'), show: {} },
    replacement: { kind: 'param', type: 'string', check: oneOf('replacement', REPLACEMENTS), show: {} },
    enabled: { kind: 'param', type: 'either', check: yesOrNo, show: {} },
    regions: {
      kind: 'list',
      optional: true,
      keys: { byItems: regionKeys },
      item: {
        kind: 'group',
        heading: (r) => `  ${hexAddress(r.base)}..${hexAddress(r.base + r.size - 1)} ${r.policy}`,
        indentChildren: false,
        fields: {
          base: { kind: 'param', type: 'number', check: address32, show: {} },
          size: { kind: 'param', type: 'number', check: positiveWhole, unit: 'bytes', show: {} },
          policy: { kind: 'param', type: 'string', check: oneOf('cache policy', CACHE_POLICIES), show: {} },
        },
      },
    },
  },
};

const core: D<PlatformDescription['cores'][number]> = {
  kind: 'group',
  heading: (c) => `${c.name}: ${c.type}, rpmsg-lite ${c.role}, clock ${c.clock}`,
  fields: {
    name: { kind: 'field', type: 'string', isKey: true },
    type: { kind: 'field', type: 'string', check: oneOf('core type', CORE_TYPES) },
    clock: { kind: 'field', type: 'string', check: clockName },
    role: { kind: 'field', type: 'string', check: oneOf('role', ROLES) },
    nvic: {
      kind: 'group',
      fields: {
        lines: { kind: 'param', type: 'number', check: interruptLines, show: { label: 'interrupt lines' } },
        priorityBits: { kind: 'param', type: 'number', check: priorityBits, show: { label: 'priority bits' } },
      },
    },
    addressMap: {
      kind: 'list',
      keys: { byItems: windowKeys },
      item: {
        kind: 'group',
        heading: (w) =>
          `window ${hexAddress(w.base)}..${hexAddress(w.base + w.size - 1)}, ${formatBytes(w.size)} -> ${w.target}` +
          (w.targetOffset === 0 ? '' : ` + ${hexAddress(w.targetOffset)}`),
        indentChildren: false,
        fields: {
          base: { kind: 'param', type: 'number', check: address32, show: {} },
          size: { kind: 'param', type: 'number', check: positiveWhole, unit: 'bytes', show: {} },
          target: { kind: 'field', type: 'string', check: windowTarget },
          targetOffset: { kind: 'field', type: 'number', default: 0, check: targetOffset },
        },
      },
    },
    regions: { kind: 'map', title: () => 'Code and data regions', entry: region },
    placement: {
      kind: 'group',
      fields: {
        // Each names a region of this core: rule placementNamesRegions.
        code: { kind: 'param', type: 'string', show: { label: 'code in' } },
        data: { kind: 'param', type: 'string', show: { label: 'private data in' } },
      },
    },
    caches: { kind: 'list', optional: true, keys: { byItems: cacheKeys }, item: cache },
  },
};

const memory: D<PlatformDescription['memories'][number]> = {
  kind: 'group',
  heading: (m) => `${m.name}: clock ${m.clock}`,
  fields: {
    name: { kind: 'field', type: 'string', isKey: true },
    clock: { kind: 'field', type: 'string', check: clockName },
    size: { kind: 'param', type: 'number', check: memorySize, unit: 'bytes', show: { label: 'size', format: formatBytes } },
    dataWidthBytes: { kind: 'param', type: 'number', check: powerOfTwo, unit: 'bytes', show: { label: 'beat width', format: (n) => `${n} bytes` } },
    readWaitStates: { kind: 'param', type: 'number', check: nonNegativeWhole('wait states'), show: { label: 'read wait states' } },
    burstReadWaitStates: {
      kind: 'param',
      type: 'number',
      check: nonNegativeWhole('wait states'),
      show: { label: 'wait states of each further beat of a line fill' },
    },
    writeWaitStates: { kind: 'param', type: 'number', check: nonNegativeWhole('wait states'), show: { label: 'write wait states' } },
  },
};

/** Every parameter of a platform description. */
export const PLATFORM: GroupDecl<PlatformDescription, PlatformContext> = {
  kind: 'group',
  heading: (p) => `${p.title} [${p.name}]`,
  indentChildren: false,
  fields: {
    name: { kind: 'field', type: 'string', fixed: true, check: notEmpty },
    title: { kind: 'field', type: 'string', fixed: true, check: notEmpty },
    clocks: {
      kind: 'map',
      title: (clocks) => {
        const tick = Timebase.forFrequencies(Object.values(clocks));
        return `Clocks (kernel tick ${formatHz(tick.tickHz)}: ${tick.reason})`;
      },
      entry: { kind: 'param', type: 'number', check: frequency, unit: 'hz', show: { label: (name) => name, format: formatHz } },
    },
    cores: { kind: 'list', title: () => 'Cores', keys: { byName: 'core' }, item: core },
    memories: {
      kind: 'list',
      title: () => 'Memories (wait states are extra memory-clock cycles per beat)',
      keys: { byName: 'memory' },
      item: memory,
    },
    interconnect: {
      kind: 'group',
      title: () => 'Interconnect',
      fields: {
        arbitration: {
          kind: 'param',
          type: 'string',
          check: oneOf('arbitration', ARBITRATIONS),
          show: {
            label: 'arbitration',
            format: (a, ic) => {
              const order = Array.isArray(ic.priorityOrder) ? ic.priorityOrder : [];
              return a + (order.length > 0 ? ` (${order.join(' > ')})` : '');
            },
          },
        },
        priorityOrder: { kind: 'field', type: 'list', default: [] },
        syncCycles: {
          kind: 'param',
          type: 'number',
          check: nonNegativeWhole('synchroniser cycles'),
          show: { label: 'synchroniser cycles into a target' },
        },
        responseSyncCycles: {
          kind: 'param',
          type: 'number',
          check: nonNegativeWhole('synchroniser cycles'),
          show: { label: 'synchroniser cycles back to the core' },
        },
      },
    },
    peripheralBus: {
      kind: 'group',
      title: (bus) => `Peripheral bus: clock ${bus.clock}`,
      fields: {
        clock: { kind: 'field', type: 'string', check: clockName },
        accessCycles: { kind: 'param', type: 'number', check: positiveWhole, show: { label: 'cycles per register access' } },
      },
    },
    mailbox: {
      kind: 'group',
      title: (mb) => `Mailbox: ${mb.kind}, clock ${mb.clock}`,
      fields: {
        kind: { kind: 'field', type: 'string', check: oneOf('mailbox kind', MAILBOX_KINDS) },
        clock: { kind: 'field', type: 'string', check: clockName },
        crossingCycles: {
          kind: 'param',
          type: 'number',
          check: nonNegativeWhole('crossing cycles'),
          show: { label: 'crossing to the other side (cycles)' },
        },
        sides: {
          kind: 'map',
          keys: perCore('missing: every core needs a mailbox side and an interrupt line'),
          entry: {
            kind: 'group',
            fields: {
              side: { kind: 'param', type: 'either', check: mailboxSide, show: { label: (c) => `${c} side` } },
              // Its range is the core's interrupt controller: rule mailboxLinesExist.
              irq: { kind: 'param', type: 'number', show: { label: (c) => `${c} interrupt line` } },
            },
          },
        },
      },
    },
    gpio: {
      kind: 'group',
      title: () => 'GPIO (pins the cores raise and lower to measure)',
      fields: {
        blocks: {
          kind: 'list',
          keys: { byName: 'GPIO block' },
          item: {
            kind: 'group',
            heading: (b) => `${b.name}: ${b.kind}${isGpioKind(b.kind) ? ` (${formatBytes(GPIO_MODELS[b.kind].windowSize)} of registers)` : ''}`,
            fields: {
              name: { kind: 'field', type: 'string', isKey: true },
              kind: { kind: 'field', type: 'string', check: oneOf('GPIO kind', GPIO_KINDS) },
            },
          },
        },
        pins: {
          kind: 'map',
          keys: perCore('missing: every core needs the pin it measures with'),
          entry: {
            kind: 'group',
            fields: {
              block: { kind: 'field', type: 'string', check: gpioBlockName },
              // Its range is the block's ports: rule pinsExist.
              port: { kind: 'param', type: 'number', check: nonNegativeWhole('port'), show: { label: (c) => `${c} measuring pin: port` } },
              pin: { kind: 'param', type: 'number', check: pinNumber, show: { label: (c) => `${c} measuring pin: pin` } },
            },
          },
        },
      },
    },
    rpmsg: {
      kind: 'group',
      title: () => 'Shared memory (rpmsg-lite)',
      fields: {
        sharedMemoryBase: { kind: 'param', type: 'number', check: address32, show: { label: 'base', format: hexAddress } },
        sharedMemorySize: { kind: 'param', type: 'number', check: positiveWhole, unit: 'bytes', show: { label: 'size', format: formatBytes } },
        linkId: { kind: 'param', type: 'number', check: nonNegativeWhole('link id'), show: { label: 'link id' } },
        irqPriority: {
          kind: 'map',
          keys: perCore('missing: the priority the port gives the mailbox interrupt on this core'),
          // Its range is the core's priority bits: rule prioritiesFitPriorityBits.
          entry: { kind: 'param', type: 'number', show: { label: (c) => `${c} mailbox interrupt priority` } },
        },
      },
    },
  },
};

/** The context of a description's checks (after overrides). */
export function contextOf(d: PlatformDescription): PlatformContext {
  const names = (items: unknown): string[] =>
    Array.isArray(items) ? items.map((i: { name?: unknown } | undefined) => i?.name).filter((n): n is string => typeof n === 'string' && n !== '') : [];
  const coreList: readonly ({ name?: unknown; role?: unknown } | undefined)[] = Array.isArray(d.cores) ? d.cores : [];
  const masterFirst = [...coreList].sort((a, b) => rank(a?.role) - rank(b?.role));
  return {
    clocks: d.clocks !== null && typeof d.clocks === 'object' ? Object.keys(d.clocks) : [],
    memories: names(d.memories),
    cores: names(masterFirst),
    mailboxKind: d.mailbox?.kind,
    gpioBlocks: names(d.gpio?.blocks),
  };
}

/** Master first; the order of the description otherwise. */
function rank(role: unknown): number {
  return role === 'master' ? 0 : 1;
}

// ---- rules between values -------------------------------------------------------------------

export type PlatformDraft = Draft<Resolved<PlatformDescription>>;
/** Records a problem at a path. */
type Report = (path: string, message: string) => void;
type Rule = (p: PlatformDraft, issue: Report) => void;
type DraftCore = NonNullable<PlatformDraft['cores']>[number];
type DraftWindow = NonNullable<NonNullable<DraftCore>['addressMap']>[number];

const coresOf = (p: PlatformDraft): readonly NonNullable<DraftCore>[] => (p.cores ?? []).filter((c) => c !== undefined);

function clocksDeclared(p: PlatformDraft, issue: Report): void {
  if (p.clocks !== undefined && Object.keys(p.clocks).length === 0) issue('clocks', 'at least one clock is needed');
}

/** The kernel must find a tick for the set (it refuses a clock too fast even for 1 ps ticks). */
function clocksHaveATick(p: PlatformDraft, issue: Report): void {
  const valid = Object.values(p.clocks ?? {}).filter((hz) => hz !== undefined);
  try {
    Timebase.forFrequencies(valid);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issue('clocks', error.message);
  }
}

function memoryNamesDiffer(p: PlatformDraft, issue: Report): void {
  const seen = new Set<string>();
  for (const b of p.gpio?.blocks ?? []) {
    const name = b?.name;
    if (name === undefined || name === '') continue;
    const at = `gpio.blocks.${name}`;
    if (name === MAILBOX_TARGET) issue(at, `"${MAILBOX_TARGET}" is the mailbox's window target; name the GPIO block otherwise`);
    else if (seen.has(name)) issue(at, `two GPIO blocks are named "${name}"; block names must differ`);
    seen.add(name);
  }
  for (const m of p.memories ?? []) {
    const name = m?.name;
    if (name === undefined || name === '') continue;
    const at = `memories.${name}`;
    if (name === MAILBOX_TARGET) issue(at, `"${MAILBOX_TARGET}" is the mailbox's window target; name the memory otherwise`);
    else if (seen.has(name)) issue(at, `"${name}" names two memories, or a memory and a GPIO block; window targets must differ`);
    seen.add(name);
  }
}

function exactlyTwoCores(p: PlatformDraft, issue: Report): void {
  if (p.cores !== undefined && p.cores.length !== 2) issue('cores', `expected exactly two cores, got ${p.cores.length}`);
}

function coreNamesDiffer(p: PlatformDraft, issue: Report): void {
  const seen = new Set<string>();
  for (const c of coresOf(p)) {
    if (c.name === undefined || c.name === '') continue;
    if (seen.has(c.name)) issue('cores', `two cores are named "${c.name}"; core names must differ`);
    seen.add(c.name);
  }
}

function oneMasterOneRemote(p: PlatformDraft, issue: Report): void {
  const roles = coresOf(p).map((c) => c.role);
  if (p.cores?.length === 2 && roles.length === 2 && roles.every((r) => r !== undefined) && roles[0] === roles[1]) {
    issue('cores', `expected one master and one remote, got ${roles[0]} and ${roles[1]}`);
  }
}

/** A window whose every value passed, with its path. */
interface CheckedWindow {
  readonly path: string;
  readonly key: string;
  readonly base: number;
  readonly size: number;
  readonly target: string;
  readonly targetOffset: number;
}

function windowsOf(c: NonNullable<DraftCore>): CheckedWindow[] {
  const map: readonly DraftWindow[] = c.addressMap ?? [];
  const keys = windowKeys(map);
  const out: CheckedWindow[] = [];
  map.forEach((w, i) => {
    if (w?.base === undefined || w.size === undefined || w.target === undefined || w.targetOffset === undefined) return;
    out.push({ path: `cores.${c.name}.addressMap.${keys[i]}`, key: keys[i]!, base: w.base, size: w.size, target: w.target, targetOffset: w.targetOffset });
  });
  return out;
}

const memorySizes = (p: PlatformDraft): Map<string, number> =>
  new Map((p.memories ?? []).flatMap((m) => (m?.name !== undefined && m.size !== undefined ? [[m.name, m.size] as const] : [])));

/** What keeps a window from fitting the address space and its memory (reported by windowsFit; such a window counts for no other rule). */
function windowProblems(w: CheckedWindow, sizes: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  if (w.base + w.size > ADDRESS_SPACE) problems.push(`the window ${hexAddress(w.base)} + ${hexAddress(w.size)} runs past the 32-bit address space`);
  const memorySize = sizes.get(w.target);
  if (memorySize !== undefined && w.targetOffset + w.size > memorySize) {
    problems.push(`${hexAddress(w.size)} bytes from offset ${hexAddress(w.targetOffset)} run past the end of memory "${w.target}" (${hexAddress(memorySize)} bytes)`);
  }
  return problems;
}

const fits = (w: CheckedWindow, sizes: ReadonlyMap<string, number>): boolean => windowProblems(w, sizes).length === 0;

function windowsFit(p: PlatformDraft, issue: Report): void {
  const sizes = memorySizes(p);
  for (const c of coresOf(p)) {
    for (const w of windowsOf(c)) for (const problem of windowProblems(w, sizes)) issue(`${w.path}.size`, problem);
  }
}

function windowsDoNotOverlap(p: PlatformDraft, issue: Report): void {
  const sizes = memorySizes(p);
  for (const c of coresOf(p)) {
    const sorted = windowsOf(c)
      .filter((w) => fits(w, sizes))
      .sort((a, b) => a.base - b.base);
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      if (after.base < before.base + before.size) {
        issue(`cores.${c.name}.addressMap`, `windows ${describeWindow(before)} and ${describeWindow(after)} overlap`);
      }
    }
  }
}

/** An empty address map too (a missing one is reported as missing). */
function everyCoreMapsTheMailbox(p: PlatformDraft, issue: Report): void {
  for (const c of coresOf(p)) {
    if (c.addressMap !== undefined && !c.addressMap.some((w) => w?.target === MAILBOX_TARGET)) {
      issue(`cores.${c.name}.addressMap`, 'no window maps the mailbox, so this core could not signal the other');
    }
  }
}

/** A core's pin: its block has the port, and the core maps the block's whole register window. */
function pinsExist(p: PlatformDraft, issue: Report): void {
  const kinds = new Map((p.gpio?.blocks ?? []).flatMap((b) => (b?.name !== undefined && isGpioKind(b.kind) ? [[b.name, b.kind] as const] : [])));
  for (const c of coresOf(p)) {
    const pin = c.name === undefined ? undefined : p.gpio?.pins?.[c.name];
    if (pin?.block === undefined) continue;
    const kind = kinds.get(pin.block);
    if (kind === undefined) continue;
    const model = GPIO_MODELS[kind];
    if (pin.port !== undefined && pin.port >= model.ports) {
      issue(`gpio.pins.${c.name}.port`, `${kind} blocks have port${model.ports === 1 ? ' 0 only' : `s 0 to ${model.ports - 1}`}, got ${pin.port}`);
    }
    const windows = windowsOf(c).filter((w) => w.target === pin.block);
    if (c.addressMap !== undefined && windows.length === 0) {
      issue(`gpio.pins.${c.name}.block`, `${c.name} maps no window to GPIO block "${pin.block}", so it could not drive its pin`);
    }
    for (const w of windows) {
      if (w.targetOffset + model.windowSize > w.size) {
        issue(`${w.path}.size`, `${formatBytes(w.size)} from offset ${hexAddress(w.targetOffset)} do not reach all ${formatBytes(model.windowSize)} of ${kind} registers`);
      }
    }
  }
}

function fixedPriorityOrderNamesEachCore(p: PlatformDraft, issue: Report): void {
  if (p.interconnect?.arbitration !== 'fixed-priority') return;
  const order = p.interconnect.priorityOrder ?? [];
  const names = coresOf(p).map((c) => c.name ?? '');
  const namesBoth = order.length === names.length && names.every((n) => order.filter((o) => o === n).length === 1);
  if (!namesBoth) {
    issue(
      'interconnect.priorityOrder',
      `a fixed-priority order must name each core once (${names.join(', ')}), got ${order.length > 0 ? order.join(', ') : 'none'}`,
    );
  }
}

function mailboxLinesExist(p: PlatformDraft, issue: Report): void {
  for (const c of coresOf(p)) {
    const irq = c.name === undefined ? undefined : p.mailbox?.sides?.[c.name]?.irq;
    if (irq === undefined) continue;
    const lines = c.nvic?.lines;
    if (!(isWhole(irq) && irq >= 0 && (lines === undefined || irq < lines))) {
      const range = lines === undefined ? 'a line' : `a line from 0 to ${lines - 1}`;
      issue(`mailbox.sides.${c.name}.irq`, `must be ${range} of ${c.name}'s interrupt controller, got ${irq}`);
    }
  }
}

function coresUseTheirOwnSide(p: PlatformDraft, issue: Report): void {
  const used = coresOf(p)
    .map((c) => (c.name === undefined ? undefined : p.mailbox?.sides?.[c.name]?.side))
    .filter((s) => s !== undefined);
  if (used.length === 2 && used[0] === used[1]) {
    issue('mailbox.sides', `both cores use side ${describePlain(used[0])}; each core needs its own side`);
  }
}

function sharedMemoryInsideTheMaster(p: PlatformDraft, issue: Report): void {
  const base = p.rpmsg?.sharedMemoryBase;
  const size = p.rpmsg?.sharedMemorySize;
  const master = coresOf(p).find((c) => c.role === 'master');
  if (base === undefined || size === undefined || master === undefined) return;
  const sizes = memorySizes(p);
  const memories = new Set((p.memories ?? []).map((m) => m?.name));
  const inside = windowsOf(master)
    .filter((w) => fits(w, sizes))
    .some((w) => memories.has(w.target) && base >= w.base && base + size <= w.base + w.size);
  if (!inside) {
    issue(
      'rpmsg.sharedMemoryBase',
      `the shared memory ${hexAddress(base)}..${hexAddress(base + size - 1)} is not inside any memory window of the master ${master.name}`,
    );
  }
}

function prioritiesFitPriorityBits(p: PlatformDraft, issue: Report): void {
  for (const c of coresOf(p)) {
    const priority = c.name === undefined ? undefined : p.rpmsg?.irqPriority?.[c.name];
    // An invalid bit count is reported at the core; priorities are not judged against it.
    const bits = c.nvic?.priorityBits;
    if (priority === undefined || bits === undefined) continue;
    const highest = 2 ** bits - 1;
    if (!(isWhole(priority) && priority >= 0 && priority <= highest)) {
      issue(
        `rpmsg.irqPriority.${c.name}`,
        `must be a whole number from 0 to ${highest} (${c.name} implements ${bits} priority bit${bits === 1 ? '' : 's'}), got ${priority}`,
      );
    }
  }
}

function placementNamesRegions(p: PlatformDraft, issue: Report): void {
  for (const c of coresOf(p)) {
    const names = Object.keys(c.regions ?? {});
    for (const what of ['code', 'data'] as const) {
      const name = c.placement?.[what];
      if (name === undefined) continue;
      if (!names.includes(name)) {
        issue(`cores.${c.name}.placement.${what}`, `no region named ${describePlain(name)} on ${c.name} (regions: ${names.join(', ')})`);
        continue;
      }
      const kind = c.regions?.[name]?.kind;
      if (what === 'data' && (kind === 'flash' || kind === 'xip')) {
        issue(`cores.${c.name}.placement.data`, `region ${describePlain(name)} is ${kind}, read-only: private data (stack, .data, .bss) needs RAM`);
      }
    }
  }
}


/** A 'buffer' region's line store is a cache's geometry; a 'cache' region uses the core's instruction cache; 'direct' has none. */
function lineStoresAreCaches(p: PlatformDraft, issue: Report): void {
  for (const c of coresOf(p)) {
    for (const [name, r] of Object.entries(c.regions ?? {})) {
      if (r === undefined || r.fetch === undefined || r.fetch === 'direct') continue;
      const at = `cores.${c.name}.regions.${name}`;
      // A 'cache' region uses the core's instruction cache (none enabled: fetch-width words, sim/hw/soc.ts).
      if (r.fetch === 'cache') continue;
      const { lineBytes, lines, ways } = r;
      if (lineBytes !== undefined && !(isPowerOfTwo(lineBytes) && lineBytes >= 4)) issue(`${at}.lineBytes`, `a ${r.fetch} needs a power-of-two line of at least 4 bytes, got ${lineBytes}`);
      if (ways !== undefined && !isPowerOfTwo(ways)) issue(`${at}.ways`, `must be a power of two (1, 2, 4, ...), got ${ways}`);
      if (lines !== undefined && ways !== undefined && isPowerOfTwo(ways) && !(isPowerOfTwo(lines) && lines >= ways)) {
        issue(`${at}.lines`, `must be a power of two of at least the ${ways} ways, got ${lines}`);
      } else if (lines !== undefined && lineBytes !== undefined && r.size !== undefined && lines * lineBytes > r.size) {
        // The line store is held in arrays of lines × lineBytes (2^32 lines could not be allocated); no store is larger than what it holds.
        issue(`${at}.lines`, `${lines} lines of ${lineBytes} bytes hold more than the region's ${r.size} bytes`);
      }
    }
  }
}

/** A region refilled over the bus must be inside one of the core's windows onto a memory. */
function busRefilledRegionsAreMapped(p: PlatformDraft, issue: Report): void {
  const sizes = memorySizes(p);
  const memories = new Set((p.memories ?? []).map((m) => m?.name));
  for (const c of coresOf(p)) {
    const windows = windowsOf(c).filter((w) => fits(w, sizes) && memories.has(w.target));
    for (const [name, r] of Object.entries(c.regions ?? {})) {
      if (r === undefined || r.fetch === undefined || r.fetch === 'direct' || r.refillCycles !== 0) continue;
      if (r.base === undefined || r.size === undefined) continue;
      const { base, size } = r;
      if (!windows.some((w) => base >= w.base && base + size <= w.base + w.size)) {
        issue(`cores.${c.name}.regions.${name}`, `its lines refill over the bus (refillCycles 0), but ${hexAddress(base)}..${hexAddress(base + size - 1)} is not inside a window of ${c.name} onto a memory`);
      }
    }
  }
}

/** Each kind of cache at most once per core; a geometry the cache array can build; regions only on a data cache. */
function cachesFit(p: PlatformDraft, issue: Report): void {
  for (const c of coresOf(p)) {
    const caches = (c.caches ?? []).filter((x) => x !== undefined);
    const keys = cacheKeys(caches);
    const seen = new Set<string>();
    caches.forEach((cache, i) => {
      const at = `cores.${c.name}.caches.${keys[i]}`;
      if (cache.kind !== undefined && seen.has(cache.kind)) issue(`cores.${c.name}.caches`, `two caches of kind "${cache.kind}"; a core has at most one of each`);
      if (cache.kind !== undefined) seen.add(cache.kind);
      const { sizeBytes, lineBytes, ways } = cache;
      if (ways !== undefined && !isPowerOfTwo(ways)) issue(`${at}.ways`, `must be a power of two, got ${ways}`);
      if (lineBytes !== undefined && lineBytes < 4) issue(`${at}.lineBytes`, `must be at least 4 bytes, got ${lineBytes}`);
      if (sizeBytes !== undefined && lineBytes !== undefined && ways !== undefined && sizeBytes < lineBytes * ways) {
        issue(`${at}.sizeBytes`, `must be at least ways × line (${lineBytes * ways} bytes), got ${sizeBytes}`);
      }
      if (cache.kind === 'icache' && (cache.regions ?? []).length > 0) issue(`${at}.regions`, 'memory attribute regions belong to a data cache');
      for (const r of cache.regions ?? []) {
        if (r?.base !== undefined && r.size !== undefined && r.base + r.size > ADDRESS_SPACE) {
          issue(`${at}.regions.${hexAddress(r.base)}.size`, `the range ${hexAddress(r.base)} + ${hexAddress(r.size)} runs past the 32-bit address space`);
        }
      }
    });
  }
}

/** The rules between values, in the order their problems are listed. */
export const PLATFORM_RULES: readonly Rule[] = [
  clocksDeclared,
  clocksHaveATick,
  memoryNamesDiffer,
  exactlyTwoCores,
  coreNamesDiffer,
  oneMasterOneRemote,
  windowsFit,
  windowsDoNotOverlap,
  everyCoreMapsTheMailbox,
  pinsExist,
  fixedPriorityOrderNamesEachCore,
  mailboxLinesExist,
  coresUseTheirOwnSide,
  sharedMemoryInsideTheMaster,
  prioritiesFitPriorityBits,
  placementNamesRegions,
  lineStoresAreCaches,
  busRefilledRegionsAreMapped,
  cachesFit,
];

/** The draft as the rules and the resolved platform see it: master first; an order only for fixed priority. */
export function normalised(p: PlatformDraft): PlatformDraft {
  const cores = p.cores === undefined ? undefined : [...p.cores].sort((a, b) => rank(a?.role) - rank(b?.role));
  const ic = p.interconnect;
  const interconnect = ic === undefined ? undefined : { ...ic, priorityOrder: ic.arbitration === 'fixed-priority' ? ic.priorityOrder : [] };
  return { ...p, cores, interconnect };
}

function describeWindow(w: { key: string; base: number; size: number }): string {
  return `"${w.key}" (${hexAddress(w.base)}..${hexAddress(w.base + w.size - 1)})`;
}
