// The cost table of one core: every cycle the firmware charges for its own computation (not
// its bus accesses, barriers or exceptions, which the hardware models time) comes from here.
//
// A table is data: entries, each a count with its unit and its source (a described value,
// like Param). Instruction counts belong to a basis (an ISA, a compiler and its options, a
// libc: the build the counts were measured on) and become cycles through the core's cycles
// per instruction of that basis; other entries are cycles already. `CoreCosts.cost` is the
// one place a count becomes `Cycles`. The tables themselves are in registry.ts; a table is
// built once per core when the system is built (platforms/system.ts), with overrides, and
// handed to rpmsg-lite, the port, the environment and the RTOS of that core.

import { ConfigError, type Cycles, InternalError, cycles } from '../../sim/kernel';
import type { CoreTypeName } from '../../sim/hw/core-types';
import type { Work } from '../../sim/hw/core';
import type { CodeFootprint } from '../../sim/hw/fetch';
import { type CodeLayout, footprintOf } from './footprint';
import { closestWords } from '../../sim/text/did-you-mean';

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
export type LibcCostName = 'memcpyBase' | 'memcpyPerByte' | 'memcpyUnalignedTail';

/** The RTOS's own code (FreeRTOS tasks.c, queue.c, event_groups.c, port.c). */
export type RtosCostName = 'contextSwitch' | 'tickHandler' | 'tickPerUnblock' | 'apiCall' | 'apiCallFromIsr' | 'objectCreate' | 'schedulerStart';

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
  readonly rl: CostSection<RlCostName>;
  readonly port: CostSection<PortCostName>;
  readonly env: CostSection<EnvCostName>;
  readonly libc: CostSection<LibcCostName>;
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

/** What a core type brings: the cycles per instruction of each basis it runs, and the RTOS's cycles on it. */
export interface CoreTypeCosts {
  /** The basis a core of this type runs unless the system names another. */
  readonly defaultBasis: string;
  /** Cycles per instruction of each basis (its key) on this core type. */
  readonly cyclesPerInstruction: Readonly<Record<string, CostEntry>>;
  readonly rtos: CostSection<RtosCostName>;
  readonly zephyr: CostSection<ZephyrCostName>;
}

/** A dotted path to one entry: `rl.sendMaster`, `port.notify`, `rtos.contextSwitch`, `cyclesPerInstruction`. */
export type CostPath =
  | 'cyclesPerInstruction'
  | `rl.${RlCostName}`
  | `port.${PortCostName}`
  | `env.${EnvCostName}`
  | `libc.${LibcCostName}`
  | `rtos.${RtosCostName}`
  | `zephyr.${ZephyrCostName}`;

/** Overrides of one core's table: dotted path → value in the entry's unit. */
export type CostOverrides = Readonly<Record<string, number>>;

export interface CostRegistry {
  readonly instructionTables: Readonly<Record<string, InstructionTable>>;
  readonly coreTypes: Readonly<Record<CoreTypeName, CoreTypeCosts>>;
}

export interface CoreCostsOptions {
  /** The basis of the code this core runs (a key of the registry's instruction tables); default the core type's. */
  basis?: string;
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
    /** The key of the instruction table (e.g. `armv7e-m/gcc-12.2-O2/newlib-3.3`). */
    readonly basis: string,
    entries: ReadonlyMap<CostPath, CostEntry>,
    /** Where each function's code sits (none: code is free to fetch). */
    readonly layout: CodeLayout | null = null,
    private readonly table: InstructionTable | null = null,
    private readonly placement: CostPlacement | null = null,
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

  /** The work of a memcpy of `bytes` (see `memcpy`): libc's memcpy code. */
  chargeMemcpy(bytes: number): Work {
    return { cycles: this.memcpy(bytes), code: this.footprint('libc.memcpyBase'), dataStall: cycles(0) };
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
   * The private instructions of a memcpy of `bytes` (newlib memcpy-armv7m shape, COSTS §3):
   * base + per byte × bytes, rounded, plus a tail when not a word multiple; the ⌈bytes/4⌉
   * payload stores among them are bus accesses, timed by the bus, so they are subtracted.
   */
  memcpy(bytes: number): Cycles {
    const base = this.entry('libc.memcpyBase').value;
    if (bytes === 0) return this.toCycles(base, 'instructions');
    const total = base + Math.round(this.entry('libc.memcpyPerByte').value * bytes) + (bytes % 4 === 0 ? 0 : this.entry('libc.memcpyUnalignedTail').value);
    return this.toCycles(Math.max(0, total - Math.ceil(bytes / 4)), 'instructions');
  }

  /** One line per entry: path, value, unit, source. */
  describe(): string[] {
    return [...this.entries].map(([path, e]) => `${path} = ${e.value} ${e.unit}${e.unit === 'instructions' ? ` (${this.basis})` : ''}: ${e.source}`);
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

/** Sum of cycle counts (each already rounded where it was charged). */
export function plus(...parts: Cycles[]): Cycles {
  let sum = 0;
  for (const p of parts) sum += p;
  return cycles(sum);
}

/**
 * Builds the table of a core of `coreType` from the registry: the basis's instruction
 * counts, that basis's cycles per instruction on the core type, the RTOS cycles of the core
 * type, then the overrides (a ConfigError for an unknown path or a bad value).
 */
export function buildCoreCosts(registry: CostRegistry, coreType: CoreTypeName, options: CoreCostsOptions = {}): CoreCosts {
  const owner = options.owner ?? coreType;
  const typeCosts = registry.coreTypes[coreType];
  const basis = options.basis ?? typeCosts.defaultBasis;
  const table = Object.hasOwn(registry.instructionTables, basis) ? registry.instructionTables[basis] : undefined;
  if (table === undefined) {
    const known = Object.keys(registry.instructionTables);
    throw new ConfigError(`costs of ${owner}: unknown instruction basis "${basis}"; nearest: ${closestWords(basis, known, 3).join(', ')}`);
  }
  const cpi = Object.hasOwn(typeCosts.cyclesPerInstruction, basis) ? typeCosts.cyclesPerInstruction[basis] : undefined;
  if (cpi === undefined) throw new ConfigError(`costs of ${owner}: ${coreType} has no cycles per instruction for the basis "${basis}"`);

  const entries = new Map<CostPath, CostEntry>();
  entries.set('cyclesPerInstruction', cpi);
  const sections = { rl: table.rl, port: table.port, env: table.env, libc: table.libc, rtos: typeCosts.rtos, zephyr: typeCosts.zephyr };
  for (const [section, values] of Object.entries(sections)) {
    for (const [name, entry] of Object.entries<CostEntry>(values)) entries.set(`${section}.${name}` as CostPath, entry);
  }
  applyOverrides(entries, options.overrides ?? {}, owner);
  const placement = options.placement ?? null;
  const layout = placement === null ? null : footprintOf(table, entries, placement.codeBase);
  return new CoreCosts(coreType, basis, entries, layout, table, placement);
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
