// Builds the simulated chip (cores, interrupt controllers, memories, ports, address maps)
// from plain numbers. The field names are those of a resolved platform description
// (platforms/description), so a resolved platform is a `SocSpec` as it stands; tests build
// small ones by hand. Peripherals are made by the caller (the platform knows which mailbox
// it has) and passed in by the name the address maps use: one window shared by every
// core, or one per core (the two sides of an NXP MU).

import { ConfigError, type Kernel } from '../kernel';
import { type Arbitration, BusMaster, Memory, Port, type Target } from './bus';
import { CORE_TIMING } from './core-types';
import { Core, type CoreTimingValues } from './core';
import { type FetchSpec, FetchUnit } from './fetch';
import type { Replacement } from './cache';
import { type CachePolicy, DataCache } from './data-cache';
import { InterruptController } from './nvic';
import type { Peripheral } from './peripheral';
import type { CoreTypeName } from './core-types';
import type { Tracer } from '../trace/trace';

export interface SocCoreSpec {
  readonly name: string;
  readonly type: CoreTypeName;
  readonly clock: string;
  /** Interrupt controller: external lines and implemented priority bits. */
  readonly nvic: { readonly lines: number; readonly priorityBits: number };
  /** Overrides of the core type's timing, in cycles. */
  readonly timing?: Partial<CoreTimingValues & { irqSample: number }>;
  readonly addressMap: readonly { readonly base: number; readonly size: number; readonly target: string; readonly targetOffset?: number }[];
  /** Where code and private data can sit (none: both in zero-wait memory, nothing fetched or stalled). */
  readonly regions?: Readonly<Record<string, SocRegionSpec>>;
  /** The regions the code and the private data are in. */
  readonly placement?: { readonly code: string; readonly data: string };
  /** L1 caches; an enabled 'dcache' is built in front of the bus master (the fetch unit of a 'cache' code region uses the 'icache'). */
  readonly caches?: readonly SocCacheSpec[];
}

/** A code/data region (platforms/description/types.ts PlacementRegionDescription, resolved). */
export interface SocRegionSpec {
  readonly kind: string;
  readonly base: number;
  readonly size: number;
  readonly fetch: 'direct' | 'buffer' | 'cache';
  readonly lineBytes: number;
  readonly lines: number;
  readonly ways: number;
  readonly prefetch: string;
  readonly refillCycles: number;
  readonly loadStallCycles: number;
  readonly storeStallCycles: number;
}

/**
 * Bytes one instruction fetch brings in when no cache or buffer stands between the core and
 * its code: 64 bits on the Cortex-M7 (DDI 0489F §5.1: the 64-bit ITCM and AXIM interfaces),
 * 32 on the Cortex-M0+, M4 and M33 (their 32-bit AHB code interfaces: "all fetches are word
 * wide", DDI 0337 §12.3), 128 on the Cortex-A53 (Assumption: its L1 instruction fetch width).
 */
const FETCH_WIDTH_BYTES: Readonly<Record<CoreTypeName, number>> = {
  'cortex-m0+': 4,
  'cortex-m4': 4,
  'cortex-m33': 4,
  'cortex-m7': 8,
  'cortex-a53': 16,
};

/** Words of the exception frame the core pushes and pops (Armv7-M ARM B1.5.6: r0-r3, r12, lr, pc, xPSR). */
export const EXCEPTION_FRAME_WORDS = 8;

/** The fetch unit of code in `region` (none for direct fetch), and where exceptions find vector and frame. */
export function codePath(
  kernel: Kernel,
  core: Core,
  code: SocRegionSpec,
  data: SocRegionSpec,
  icache?: SocCacheSpec,
): void {
  if (code.fetch !== 'direct') {
    // A 'cache' region fetches through the core's instruction cache; with none enabled, every
    // fetch goes to the memory, one fetch-width word at a time, the core's prefetcher running
    // ahead. A 'buffer' has its own lines.
    const cached = code.fetch === 'cache' && icache !== undefined && icache.enabled;
    const width = FETCH_WIDTH_BYTES[core.type];
    const lines = cached
      ? { sizeBytes: icache.sizeBytes, lineBytes: icache.lineBytes, ways: icache.ways }
      : code.fetch === 'cache'
        ? { sizeBytes: width, lineBytes: width, ways: 1 }
        : { sizeBytes: code.lineBytes * code.lines, lineBytes: code.lineBytes, ways: code.ways };
    const spec: FetchSpec = {
      lines,
      // NXP publishes no replacement policy for its flash accelerators' buffers: least recently used.
      replacement: cached ? icache.replacement : 'lru',
      refill: code.refillCycles > 0 ? { kind: 'cycles', cycles: code.refillCycles } : { kind: 'bus' },
      prefetch: code.fetch === 'cache' && !cached ? true : code.prefetch === 'on',
    };
    core.fetch = new FetchUnit(kernel, `${core.name}.${code.fetch === 'cache' ? 'icache' : 'fetch-buffer'}`, spec, core.clock, core.bus);
  }
  core.exceptionMemory = {
    vectorTable: code.base,
    stackingCycles: EXCEPTION_FRAME_WORDS * data.storeStallCycles,
    unstackingCycles: EXCEPTION_FRAME_WORDS * data.loadStallCycles,
    // ARMv6-M's Cortex-M0+ has one bus for code and data; the others fetch the vector beside the stacking.
    parallel: core.type !== 'cortex-m0+',
  };
}

export interface SocCacheSpec {
  readonly kind: 'icache' | 'dcache';
  readonly sizeBytes: number;
  readonly lineBytes: number;
  readonly ways: number;
  readonly hitCycles: number;
  readonly replacement: Replacement;
  readonly enabled: boolean;
  readonly regions?: readonly { readonly base: number; readonly size: number; readonly policy: CachePolicy }[];
}

export interface SocMemorySpec {
  readonly name: string;
  readonly clock: string;
  readonly size: number;
  /** Bytes per beat. */
  readonly dataWidthBytes: number;
  readonly readWaitStates: number;
  /** Wait states of each beat after the first of a line fill (default: readWaitStates). */
  readonly burstReadWaitStates?: number;
  readonly writeWaitStates: number;
}

export interface SocSpec {
  readonly cores: readonly SocCoreSpec[];
  readonly memories: readonly SocMemorySpec[];
  readonly interconnect: {
    readonly arbitration: Arbitration;
    /** For fixed priority: core names, highest first; absent or empty: the cores' order. */
    readonly priorityOrder?: readonly string[];
    readonly syncCycles: number;
    readonly responseSyncCycles: number;
  };
  readonly peripheralBus: { readonly clock: string; readonly accessCycles: number };
}

/** How to build, beside what: not hardware. */
export interface SocOptions {
  /** Arbitrate every beat of a burst (the reference for the fast path); default false. */
  beatByBeat?: boolean;
  /** Where the cores, controllers and bus masters send trace records; none by default. */
  tracer?: Tracer;
}

export interface Soc {
  kernel: Kernel;
  cores: Core[];
  core(name: string): Core;
  memories: Map<string, Memory>;
  ports: Map<string, Port>;
}

/** A peripheral every core sees alike, or a different window per core name. */
export type PeripheralWindows = Peripheral | Readonly<Record<string, Peripheral>>;

function isPeripheral(p: PeripheralWindows): p is Peripheral {
  return typeof (p as Peripheral).read === 'function';
}

export function buildSoc(
  kernel: Kernel,
  spec: SocSpec,
  peripherals: Readonly<Record<string, PeripheralWindows>> = {},
  options: SocOptions = {},
): Soc {
  const ic = spec.interconnect;
  const index = new Map(spec.cores.map((c, i) => [c.name, i]));
  const named = ic.priorityOrder !== undefined && ic.priorityOrder.length > 0 ? ic.priorityOrder : spec.cores.map((c) => c.name);
  const order = named.map((n) => index.get(n) ?? -1);
  const ports = new Map<string, Port>();
  const memories = new Map<string, Memory>();
  const targets = new Map<string, Target>();
  for (const m of spec.memories) {
    const memory = new Memory(m.name, m.size);
    const port = new Port(kernel, m.name, kernel.clock(m.clock), ic.arbitration, order, !options.beatByBeat);
    memories.set(m.name, memory);
    ports.set(m.name, port);
    targets.set(m.name, {
      kind: 'memory',
      memory,
      port,
      readWaitStates: m.readWaitStates,
      burstReadWaitStates: m.burstReadWaitStates ?? m.readWaitStates,
      writeWaitStates: m.writeWaitStates,
      widthBytes: m.dataWidthBytes,
    });
  }
  const peripheralPort = new Port(kernel, 'peripheral-bus', kernel.clock(spec.peripheralBus.clock), ic.arbitration, order, true);
  ports.set('peripheral-bus', peripheralPort);
  const targetFor = (name: string, core: string): Target | undefined => {
    const windows = peripherals[name];
    if (windows === undefined) return targets.get(name);
    const peripheral = isPeripheral(windows) ? windows : windows[core];
    if (peripheral === undefined) return undefined;
    return { kind: 'peripheral', peripheral, port: peripheralPort, accessCycles: spec.peripheralBus.accessCycles };
  };
  const cores = spec.cores.map((c, i) => {
    const clock = kernel.clock(c.clock);
    const typeTiming = CORE_TIMING[c.type];
    const timing: CoreTimingValues = {
      irqEntry: c.timing?.irqEntry ?? typeTiming.irqEntry.value,
      irqExit: c.timing?.irqExit ?? typeTiming.irqExit.value,
      tailChain: c.timing?.tailChain ?? typeTiming.tailChain.value,
      lateArrivalWindow: c.timing?.lateArrivalWindow ?? typeTiming.lateArrivalWindow.value,
      dsb: c.timing?.dsb ?? typeTiming.dsb.value,
      cps: c.timing?.cps ?? typeTiming.cps.value,
    };
    const nvic = new InterruptController(
      kernel,
      `${c.name}.nvic`,
      clock,
      c.nvic.lines,
      c.nvic.priorityBits,
      c.timing?.irqSample ?? typeTiming.irqSample.value,
    );
    const bus = new BusMaster(kernel, c.name, i, clock, {
      syncCycles: ic.syncCycles,
      responseSyncCycles: ic.responseSyncCycles,
    });
    for (const w of c.addressMap) {
      const target = targetFor(w.target, c.name);
      if (target === undefined) throw new ConfigError(`core ${c.name}: window target "${w.target}" does not exist`);
      bus.map(w.base, w.size, target, w.targetOffset ?? 0);
    }
    const core = new Core(kernel, c.name, c.type, clock, timing, nvic, bus);
    if (c.regions !== undefined && c.placement !== undefined) {
      const code = c.regions[c.placement.code];
      const data = c.regions[c.placement.data];
      if (code === undefined || data === undefined) throw new ConfigError(`core ${c.name}: placement names a region it does not have`);
      codePath(kernel, core, code, data, c.caches?.find((x) => x.kind === 'icache'));
    }
    const dc = c.caches?.find((x) => x.kind === 'dcache');
    if (dc !== undefined && dc.enabled) {
      core.dcache = new DataCache(
        `${c.name}.dcache`,
        {
          geometry: { sizeBytes: dc.sizeBytes, lineBytes: dc.lineBytes, ways: dc.ways },
          replacement: dc.replacement,
          hitCycles: dc.hitCycles,
          regions: dc.regions ?? [],
        },
        clock,
        bus,
      );
    }
    if (options.tracer !== undefined) {
      core.tracer = options.tracer;
      nvic.tracer = options.tracer;
      bus.tracer = options.tracer;
    }
    return core;
  });
  return {
    kernel,
    cores,
    core(name: string): Core {
      const c = cores.find((x) => x.name === name);
      if (c === undefined) throw new ConfigError(`no core "${name}"`);
      return c;
    },
    memories,
    ports,
  };
}
