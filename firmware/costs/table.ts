// The cost table of one core: every cycle the firmware charges for its own computation (not
// its bus accesses, barriers or exceptions, which the hardware models time) comes from here.
//
// A table is data: entries, each a count with its unit and its source (a described value,
// like Param). Instruction counts belong to a basis (the compiler build they were measured
// on: -mcpu, hence the ISA, and -O level; builds.ts) and a libc (libc.ts), and become cycles
// through the core type's cycles per instruction; other entries are cycles already.
// `CoreCosts.cost` is the one place a count becomes `Cycles`. registry.ts puts the builds,
// the libcs and the core types together; a table is built once per core when the system is
// built (platforms/system.ts), with the core's -O level, libc and overrides, and handed to
// rpmsg-lite, the port, the environment and the RTOS of that core.

import { ConfigError, type Cycles, InternalError, cycles } from '../../sim/kernel';
import type { CoreTypeName } from '../../sim/hw/core-types';
import type { Work } from '../../sim/hw/core';
import type { CodeFootprint } from '../../sim/hw/fetch';
import { type CodeLayout, footprintOf } from './footprint';
import { closestWords } from '../../sim/text/did-you-mean';
import { type Isa, type LibcModel, type LibcName, LIBC_NAMES, libcEntries } from './libc';

/** What a count counts. Instructions are of the table's basis. */
export type CostUnit = 'instructions' | 'instructions/byte' | 'cycles' | 'cycles/instruction' | 'bytes/instruction';

/** A described count: its value, its unit and where it comes from. */
export interface CostEntry {
  readonly value: number;
  readonly unit: CostUnit;
  /** Where the value comes from; "Assumption: …" when nothing was published. */
  readonly source: string;
}

/** The paths rpmsg-lite charges (rpmsg_lite.c, rpmsg_ns.c). */
export type RlCostName =
  | 'sendMaster'
  | 'sendRemote'
  | 'rxRemoteRelease'
  | 'rxMasterRelease'
  | 'rxRemoteHold'
  | 'rxMasterHold'
  | 'allocTxBuffer'
  | 'sendNocopyMaster'
  | 'sendNocopyRemote'
  | 'releaseRemote'
  | 'releaseMaster'
  | 'txCallback'
  | 'masterInit'
  | 'remoteInit'
  | 'createEpt'
  | 'endpointListNode'
  | 'destroyEpt'
  | 'nsBind'
  | 'nsAnnounce'
  | 'nsRxCallback'
  | 'deinit'
  | 'isLinkUp';

/** The functions of a Cortex-M rpmsg-lite port (rpmsg_platform.c). */
export type PortCostName = 'notify' | 'isr' | 'envIsr' | 'interruptToggle' | 'initInterrupt';

/** The bare-metal environment (rpmsg_env_bm.c). */
export type EnvCostName = 'lockMutex' | 'unlockMutex' | 'delayLoopIteration';

/** The libc routines charged by size (memcpy of a payload). */
export type LibcCostName = 'memcpyBase' | 'memcpyPerByte' | 'memcpySubWordTail' | 'memcpySrcUnalignedBase' | 'memcpySrcUnalignedPerByte' | 'memsetBase' | 'memsetPerByte';

/** The RTOS's own code (FreeRTOS tasks.c, queue.c, event_groups.c, port.c). */
export type RtosCostName = 'contextSwitch' | 'tickHandler' | 'tickPerUnblock' | 'apiCall' | 'apiCallFromIsr' | 'objectCreate' | 'schedulerStart';

/** Raising or lowering a pin (firmware/costs/gpio-cycles.ts): the instructions besides the register accesses. */
export type GpioCostName = 'setClear' | 'readModifyWrite';
/** rpmsg-lite's cache hooks with RL_USE_DCACHE (cache-cycles.ts). */
export type CacheCostName = 'emptyHook' | 'maintainCall' | 'maintainPerLine';
/** The Zephyr kernel, driver and port paths (firmware/costs/zephyr-cycles.ts). */
export type ZephyrCostName =
  | 'semTake'
  | 'semTakeBlock'
  | 'semGive'
  | 'semGiveWake'
  | 'msgqPut'
  | 'msgqPutWake'
  | 'msgqGet'
  | 'msgqGetWake'
  | 'msgqGetBlock'
  | 'eventPost'
  | 'eventPostWake'
  | 'eventWait'
  | 'eventWaitBlock'
  | 'sleep'
  | 'tick'
  | 'tickPerUnblock'
  | 'isrWrapper'
  | 'contextSwitch'
  | 'kernelStart'
  | 'objectInit'
  | 'envWrapper'
  | 'platformNotify'
  | 'ipmMcuxSend'
  | 'ipmMcuxIsr'
  | 'ipmImxSend'
  | 'ipmImxIsr'
  | 'ipmSetEnabled';

export type CostSection<Name extends string> = Readonly<Record<Name, CostEntry>>;

/** The instruction counts of one basis: the same compiled code on whatever core runs it. */
export interface InstructionTable {
  /** E.g. "Cortex-M4 Thumb-2, arm-none-eabi-gcc 12.2 -O2, newlib 3.3". */
  readonly basis: string;
  /** The compiler build: -mcpu, -O level, and the instruction set it targets. */
  readonly cpu: string;
  readonly opt: string;
  readonly isa: Isa;
  readonly rl: CostSection<RlCostName>;
  readonly port: CostSection<PortCostName>;
  readonly env: CostSection<EnvCostName>;
  /**
   * Code bytes of each function of this build (its static size, `nm -S` of the object), for
   * laying the code out and fetching it; functions not listed take their path's instruction
   * count × `bytesPerInstruction`.
   */
  readonly code?: { readonly functions: Readonly<Record<string, number>>; readonly bytesPerInstruction: CostEntry };
  /**
   * Private (non-shared) loads and stores of each path, stack included: they wait on the data
   * region's memory when that is slower than the core (COSTS §2 notes "all memory operations"
   * minus the shared-region accesses of §5).
   */
  readonly data?: Readonly<Partial<Record<CostPath, { readonly loads: number; readonly stores: number; readonly source: string }>>>;
}

/** Where one core's code and private data sit, as the costs need it. */
export interface CostPlacement {
  /** The address the core's code is laid out from (its code region). */
  readonly codeBase: number;
  /** Core cycles one private load / store waits beyond zero-wait memory (0 in TCM or a cache). */
  readonly privateLoadCycles: number;
  readonly privateStoreCycles: number;
}

/** What a core type brings: the build its code is compiled for, its cycles per instruction, and the RTOS's cycles on it. */
export interface CoreTypeCosts {
  /** The basis (instruction table key) of each -O level this core type runs. */
  readonly bases: Readonly<Record<string, string>>;
  /** Cycles per instruction of this core type (on every -O level of its build). */
  readonly cyclesPerInstruction: CostEntry;
  readonly rtos: CostSection<RtosCostName>;
  readonly gpio: CostSection<GpioCostName>;
  readonly cache: CostSection<CacheCostName>;
  readonly zephyr: CostSection<ZephyrCostName>;
}

/** The defaults of a core's build, with their source. */
export interface BuildDefaults {
  readonly opt: string;
  readonly libc: LibcName;
  readonly source: string;
}

/** A dotted path to one entry: `rl.sendMaster`, `port.notify`, `rtos.contextSwitch`, `cyclesPerInstruction`. */
export type CostPath =
  | 'cyclesPerInstruction'
  | `rl.${RlCostName}`
  | `port.${PortCostName}`
  | `env.${EnvCostName}`
  | `libc.${LibcCostName}`
  | `rtos.${RtosCostName}`
  | `gpio.${GpioCostName}`
  | `cache.${CacheCostName}`
  | `zephyr.${ZephyrCostName}`;

/** Overrides of one core's table: dotted path → value in the entry's unit. */
export type CostOverrides = Readonly<Record<string, number>>;

export interface CostRegistry {
  readonly instructionTables: Readonly<Record<string, InstructionTable>>;
  readonly coreTypes: Readonly<Record<CoreTypeName, CoreTypeCosts>>;
  readonly libcs: Readonly<Record<LibcName, Readonly<Record<Isa, LibcModel>>>>;
  readonly defaults: BuildDefaults;
}

export interface CoreCostsOptions {
  /** The compiler optimisation level of the core's build (a key of its type's `bases`); default the registry's. */
  opt?: string;
  /** The libc the core's build links; default the registry's. */
  libc?: string;
  overrides?: CostOverrides;
  /** Names the core in error messages, e.g. `cm7 (master)`. */
  owner?: string;
  /** Where the core's code and data sit; none: code and data are free (zero-wait), no footprints. */
  placement?: CostPlacement;
}

/** One core's cost table: the entries by path, and the conversion of a count into cycles. */
export class CoreCosts {
  /** Every entry by its dotted path, in table order. */
  readonly entries: ReadonlyMap<CostPath, CostEntry>;
  private readonly cpi: number;
  private readonly works = new Map<CostPath, Work>();

  constructor(
    readonly coreType: CoreTypeName,
    /** The key of the instruction table (e.g. `cortex-m4/gcc-12.2.1-Os`). */
    readonly basis: string,
    /** The build's instruction set (ARMv6-M accesses the packed rpmsg header byte by byte). */
    readonly isa: Isa,
    /** The build's -O level and libc. */
    readonly opt: string,
    readonly libcModel: LibcModel,
    entries: ReadonlyMap<CostPath, CostEntry>,
    /** Where each function's code sits (none: code is free to fetch). */
    readonly layout: CodeLayout | null = null,
    private readonly table: InstructionTable | null = null,
    private readonly placement: CostPlacement | null = null,
    /** Where the build's -O level and libc come from (the defaults' source, or the system's choice). */
    readonly buildSource = '',
  ) {
    this.entries = entries;
    this.cpi = this.entry('cyclesPerInstruction').value;
  }

  /**
   * The work of an entry run `times` times: its cycles (as `cost`), the code it fetches (the
   * functions on the path, footprint.ts) and its waits on private data.
   */
  charge(path: CostPath, times = 1): Work {
    if (times === 1) {
      let w = this.works.get(path);
      if (w === undefined) {
        w = this.work(this.cost(path), path, 1);
        this.works.set(path, w);
      }
      return w;
    }
    return this.work(this.cost(path, times), path, times);
  }

  /** The libc this core links. */
  get libc(): LibcName {
    return this.libcModel.libc;
  }

  /** The work of a memcpy of `bytes` (see `memcpy`): libc's memcpy code. */
  chargeMemcpy(bytes: number, options: MemcpyOptions = {}): Work {
    return { cycles: this.memcpy(bytes, options), code: this.footprint('libc.memcpyBase'), dataStall: cycles(0) };
  }

  /** `remainder`, as work (the same path's code, its lines most likely still in). */
  chargeRemainder(whole: CostPath, part: CostPath): Work {
    return { cycles: this.remainder(whole, part), code: this.footprint(whole), dataStall: cycles(0) };
  }

  /** The code footprint of a path, or null without a layout. */
  footprint(path: CostPath): CodeFootprint | null {
    return this.layout === null ? null : this.layout.footprint(path);
  }

  private work(c: Cycles, path: CostPath, times: number): Work {
    let dataStall = 0;
    const d = this.table?.data?.[path];
    if (d !== undefined && this.placement !== null) {
      dataStall = Math.round(times * (d.loads * this.placement.privateLoadCycles + d.stores * this.placement.privateStoreCycles));
    }
    return { cycles: c, code: this.footprint(path), dataStall: cycles(dataStall) };
  }

  entry(path: CostPath): CostEntry {
    return this.entries.get(path)!;
  }

  /**
   * Cycles of an entry run `times` times: instructions × cycles per instruction, rounded to
   * whole cycles once for the whole count (the one conversion of the simulator).
   */
  cost(path: CostPath, times = 1): Cycles {
    const e = this.entry(path);
    return this.toCycles(e.value * times, e.unit);
  }

  /** What is left of `whole` once `part` was charged (each rounded on its own, as they are charged). */
  remainder(whole: CostPath, part: CostPath): Cycles {
    return cycles(Math.max(0, this.cost(whole) - this.cost(part)));
  }

  /**
   * The private instructions of a memcpy of `bytes` by the core's libc (libc.ts, COSTS §7
   * fits): aligned base + per byte × bytes, rounded, plus a sub-word tail when not a word
   * multiple; or the src+1 fit when the source is not word-aligned. The copy's accesses to
   * shared memory are bus accesses, timed by the bus, so they are subtracted (`sharedAccesses`;
   * default ⌈bytes/4⌉, a word copy's stores).
   */
  memcpy(bytes: number, options: MemcpyOptions = {}): Cycles {
    const aligned = options.srcAligned ?? true;
    const base = this.entry(aligned ? 'libc.memcpyBase' : 'libc.memcpySrcUnalignedBase').value;
    if (bytes === 0) return this.toCycles(base, 'instructions');
    const perByte = this.entry(aligned ? 'libc.memcpyPerByte' : 'libc.memcpySrcUnalignedPerByte').value;
    const tail = aligned && bytes % 4 !== 0 ? this.entry('libc.memcpySubWordTail').value : 0;
    const total = Math.round(base + perByte * bytes) + tail;
    return this.toCycles(Math.max(0, total - (options.sharedAccesses ?? Math.ceil(bytes / 4))), 'instructions');
  }

  /** The build (basis, ISA, -O level, libc), then one line per entry: path, value, unit, source. */
  describe(): string[] {
    const head = `build: ${this.basis} (${this.isa}, -${this.opt}), libc ${this.libc}${this.buildSource === '' ? '' : `: ${this.buildSource}`}`;
    return [head, ...[...this.entries].map(([path, e]) => `${path} = ${e.value} ${e.unit}${e.unit === 'instructions' ? ` (${this.basis})` : ''}: ${e.source}`)];
  }

  private toCycles(count: number, unit: CostUnit): Cycles {
    switch (unit) {
      case 'instructions':
        return cycles(Math.round(count * this.cpi));
      case 'cycles':
        return cycles(count);
      default:
        // Rates (per byte, per instruction) are factors of another count, never charged alone.
        throw new InternalError(`a ${unit} entry is not a cost of its own`);
    }
  }
}

export interface MemcpyOptions {
  /** The source is word-aligned (default true: rpmsg-lite's payload and the apps' buffers). */
  srcAligned?: boolean;
  /** How many of the copy's accesses go to shared memory (timed by the bus); default ⌈bytes/4⌉. */
  sharedAccesses?: number;
}

/** Sum of cycle counts (each already rounded where it was charged). */
export function plus(...parts: Cycles[]): Cycles {
  let sum = 0;
  for (const p of parts) sum += p;
  return cycles(sum);
}

/**
 * Builds the table of a core of `coreType` from the registry: the instruction counts of the
 * core type's build at the -O level, the libc's entries for the build's ISA, the core type's
 * cycles per instruction and RTOS cycles, then the overrides (a ConfigError for an unknown
 * -O level, libc or path, or a bad value).
 */
export function buildCoreCosts(registry: CostRegistry, coreType: CoreTypeName, options: CoreCostsOptions = {}): CoreCosts {
  const owner = options.owner ?? coreType;
  const typeCosts = registry.coreTypes[coreType];
  const opt = options.opt ?? registry.defaults.opt;
  const basis = Object.hasOwn(typeCosts.bases, opt) ? typeCosts.bases[opt] : undefined;
  if (basis === undefined) {
    throw new ConfigError(`costs of ${owner}: unknown optimisation level "${opt}"; the levels are ${Object.keys(typeCosts.bases).join(', ')}`);
  }
  const table = Object.hasOwn(registry.instructionTables, basis) ? registry.instructionTables[basis] : undefined;
  if (table === undefined) throw new InternalError(`costs of ${owner}: no instruction table "${basis}"`);
  const libcName = options.libc ?? registry.defaults.libc;
  if (!(LIBC_NAMES as readonly string[]).includes(libcName)) {
    throw new ConfigError(`costs of ${owner}: unknown libc "${libcName}"; the libcs are ${LIBC_NAMES.join(', ')}`);
  }
  const libc = registry.libcs[libcName as LibcName][table.isa];

  const entries = new Map<CostPath, CostEntry>();
  entries.set('cyclesPerInstruction', typeCosts.cyclesPerInstruction);
  const sections = { rl: table.rl, port: table.port, env: table.env, libc: libcEntries(libc), rtos: typeCosts.rtos, gpio: typeCosts.gpio, cache: typeCosts.cache, zephyr: typeCosts.zephyr };
  for (const [section, values] of Object.entries(sections)) {
    for (const [name, entry] of Object.entries<CostEntry>(values)) entries.set(`${section}.${name}` as CostPath, entry);
  }
  applyOverrides(entries, options.overrides ?? {}, owner);
  const placement = options.placement ?? null;
  // The libc's routines are this build's too: their measured sizes join the table's.
  const withLibc: InstructionTable =
    table.code === undefined
      ? table
      : { ...table, code: { ...table.code, functions: { ...table.code.functions, memcpy: libc.sizes.memcpy, memset: libc.sizes.memset, ...(libc.sizes.strncpy !== undefined && { strncpy: libc.sizes.strncpy }) } } };
  const layout = placement === null ? null : footprintOf(withLibc, entries, placement.codeBase);
  const chosen = [options.opt !== undefined && `-${opt}`, options.libc !== undefined && libcName].filter((x) => x !== false);
  const defaulted = [options.opt === undefined && `-${opt}`, options.libc === undefined && libcName].filter((x) => x !== false);
  const buildSource = [chosen.length > 0 ? `${chosen.join(' and ')} chosen for this core` : '', defaulted.length > 0 ? `${defaulted.join(' and ')} by default, ${registry.defaults.source}` : '']
    .filter((x) => x !== '')
    .join('; ');
  return new CoreCosts(coreType, basis, table.isa, table.opt, libc, entries, layout, withLibc, placement, buildSource);
}

/** What is wrong with `value` as an override of `entry`, if anything. */
export function costValueProblem(entry: CostEntry, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return `${String(value)} is not a count (a finite number of 0 or more ${entry.unit})`;
  }
  if (entry.unit === 'cycles' && !Number.isInteger(value)) return `${value} is not a whole number of cycles`;
  return undefined;
}

function applyOverrides(entries: Map<CostPath, CostEntry>, overrides: CostOverrides, owner: string): void {
  const paths = [...entries.keys()];
  for (const [path, value] of Object.entries(overrides)) {
    const entry = entries.get(path as CostPath);
    if (entry === undefined) {
      throw new ConfigError(`costs of ${owner}: ${path}: no such cost; nearest valid paths: ${closestWords(path, paths, 3).join(', ')}`);
    }
    const problem = costValueProblem(entry, value);
    if (problem !== undefined) throw new ConfigError(`costs of ${owner}: ${path}: ${problem}`);
    entries.set(path as CostPath, { value, unit: entry.unit, source: `override (the table says ${entry.value} ${entry.unit}: ${entry.source})` });
  }
}
