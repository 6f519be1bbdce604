// A platform is data: the description of one SoC's hardware, each number with the place
// it comes from. `platforms/<soc>/hardware.ts` holds one of these; `sim/hw/soc.ts`
// builds the simulated chip from it. Nothing here knows about rpmsg beyond where the
// shared memory sits (the port in platforms/<soc>/ reads that).

import type { Arbitration } from '../../sim/hw/bus';
import type { Replacement } from '../../sim/hw/cache';
import type { CachePolicy } from '../../sim/hw/data-cache';
import type { CoreTypeName } from '../../sim/hw/core-types';
import type { GpioKind } from '../../sim/hw/gpios';
import type { MailboxKind, MailboxSide } from '../../sim/hw/mailboxes';
import type { Param } from '../../sim/hw/param';
import type { Role } from '../../firmware/rpmsg-lite/constants';

export type { Arbitration, CachePolicy, CoreTypeName, GpioKind, MailboxKind, MailboxSide, Param, Replacement };

/** Which L1 cache: instruction fetches or loads and stores. */
export type CacheKind = 'icache' | 'dcache';

/** The memory attribute of one address range as a core's start-up code sets it (an MPU region, a page attribute). */
export interface CacheRegionDescription {
  base: Param;
  size: Param;
  policy: Param<CachePolicy>;
}

/** One L1 cache of a core. */
export interface CacheDescription {
  /** Its key: 'icache' or 'dcache' (each at most once per core). */
  kind: CacheKind;
  sizeBytes: Param;
  lineBytes: Param;
  ways: Param;
  /** Core cycles of an access that hits. */
  hitCycles: Param;
  replacement: Param<Replacement>;
  /** Whether the SDK's start-up code turns it on. */
  enabled: Param<boolean>;
  /**
   * A data cache's memory attributes by address range (later ranges win, as higher-numbered
   * MPU regions do); an address outside every range is not cached.
   */
  regions?: CacheRegionDescription[];
}

/** One window of a core's address map. */
export interface RegionDescription {
  /** Base address as the core sees it. */
  base: Param;
  /** Size in bytes. */
  size: Param;
  /** What answers: a memory's name, 'mailbox', or a GPIO block's name. */
  target: string;
  /** Offset inside the target of the window's first byte (default 0). */
  targetOffset?: number;
}

export interface CoreDescription {
  /** Short name used everywhere ("cm7", "cm4", "core0"). */
  name: string;
  type: CoreTypeName;
  /** Name of its clock in `clocks`. */
  clock: string;
  /** rpmsg-lite role of the firmware on it. */
  role: Role;
  /** Interrupt controller: number of external lines and implemented priority bits. */
  nvic: { lines: Param; priorityBits: Param };
  /** The core's address map; accesses outside every window are bus faults. */
  addressMap: RegionDescription[];
  /** Where this core's code and private data can sit, by name (itcm, flash, ocram, ...). */
  regions: Record<string, PlacementRegionDescription>;
  /** Where they sit unless a scenario says otherwise: the SDK linker script's choice. */
  placement: { code: Param<string>; data: Param<string> };
  /** Its L1 caches (none listed: the core has none, or none modelled). */
  caches?: CacheDescription[];
}

/** How code is fetched from a region: straight from zero-wait memory, or through a line store. */
export type FetchPath = 'direct' | 'buffer' | 'cache';

/**
 * A memory a core can run its code from or keep its private data (stack, statics) in, and
 * what that costs it. TCMs are private to the core (no window, no bus); other regions are
 * windows of the core's address map onto a memory of the platform.
 */
export interface PlacementRegionDescription {
  /** tcm, sram, flash, xip (external flash, FlexSPI/QSPI), ddr. */
  kind: string;
  /** First byte as the core sees it: the vector table, then the code, are laid out from here. */
  base: Param;
  size: Param;
  /**
   * 'direct': every fetch goes to the memory and costs nothing beyond the zero-wait pipeline
   * (TCM); 'buffer': an accelerator's line buffers in front of flash; 'cache': an instruction cache.
   */
  fetch: Param<FetchPath>;
  /** The line store of 'buffer' and 'cache': bytes per line, lines in all, ways (lines per set). */
  lineBytes: Param;
  lines: Param;
  ways: Param;
  /** Whether the next sequential line is fetched while the current one executes ('on' / 'off'). */
  prefetch: Param<string>;
  /** Core cycles to refill a missed line; 0: a burst read over the bus from the window's memory. */
  refillCycles: Param;
  /** Core cycles a private load / store waits beyond zero-wait memory (stack and statics here). */
  loadStallCycles: Param;
  storeStallCycles: Param;
}

export interface MemoryDescription {
  /** "ocram", "sram", "ddr". */
  name: string;
  /** Name of the clock the memory (its port) runs on. */
  clock: string;
  size: Param;
  /** Bytes per beat. */
  dataWidthBytes: Param;
  /** Extra cycles (of the memory clock) a read beat takes beyond the first. */
  readWaitStates: Param;
  /**
   * Extra cycles of each beat after the first of a line fill (a cache's or fetch unit's
   * burst read); the first beat takes `readWaitStates`. Equal to it where a burst costs no
   * less per beat than single reads (SRAM); less where the first word's latency dominates (DDR).
   */
  burstReadWaitStates: Param;
  /** Extra cycles a write beat takes beyond the first. */
  writeWaitStates: Param;
}

export interface InterconnectDescription {
  /** How simultaneous requests to one memory port are granted. */
  arbitration: Param<Arbitration>;
  /** For fixed priority: core names, highest first. */
  priorityOrder?: string[];
  /** Cycles of the target's clock to cross from a core's clock domain into the target's (synchroniser). */
  syncCycles: Param;
  /** Cycles of the core's clock for the response to cross back. */
  responseSyncCycles: Param;
}

export interface PeripheralBusDescription {
  /** Name of the peripheral bus clock. */
  clock: string;
  /** Cycles of that clock for one register access (address + data phase, bridge included). */
  accessCycles: Param;
}

export interface MailboxDescription {
  kind: MailboxKind;
  /** The mailbox's clock (its registers update on it). */
  clock: string;
  /**
   * Cycles of the mailbox clock for an event written on one side (a flag, a word, a general
   * interrupt) to reach the other side and its interrupt output.
   */
  crossingCycles: Param;
  /**
   * Per core: which side of the mailbox it uses (the kind's model lists the sides: MU 'A'
   * or 'B', LPC mailbox the CPU slot 0 or 1) and the NVIC line the mailbox interrupt arrives on.
   */
  sides: Record<string, { side: Param<MailboxSide>; irq: Param }>;
}

/** One GPIO register block (an i.MX GPIOn instance, the LPC GPIO): its name is the window target that maps it. */
export interface GpioBlockDescription {
  /** "gpio9", "gpio": how address maps name it and bus records name their target. */
  name: string;
  /** The register layout (sim/hw/gpios.ts). */
  kind: GpioKind;
}

/** The pin a core raises and lowers to measure, as on the bench with a logic analyser. */
export interface GpioPinDescription {
  /** The block's name. */
  block: string;
  /** Port inside the block (0 for an i.MX GPIO instance; PIO0/PIO1 on the LPC GPIO). */
  port: Param;
  /** Pin of the port, 0..31. */
  pin: Param;
}

export interface GpioDescription {
  blocks: GpioBlockDescription[];
  /** Per core: the pin it measures with by default (a board LED or header pin). */
  pins: Record<string, GpioPinDescription>;
}

export interface RpmsgPlacement {
  /** Shared-memory base address as the master sees it. */
  sharedMemoryBase: Param;
  /** Bytes reserved for rpmsg-lite. */
  sharedMemorySize: Param;
  /** rpmsg-lite link id of this platform's core pair. */
  linkId: Param;
  /** rpmsg-lite NVIC priority the port sets for the mailbox interrupt, per core. */
  irqPriority: Record<string, Param>;
}

export interface PlatformDescription {
  /** Folder name: "imxrt1170". */
  name: string;
  /** "NXP i.MX RT1170: Cortex-M7 at 996 MHz + Cortex-M4 at 400 MHz". */
  title: string;
  /** Clock frequencies in Hz, by name. */
  clocks: Record<string, Param>;
  /** The two cores: master first. */
  cores: [CoreDescription, CoreDescription];
  memories: MemoryDescription[];
  interconnect: InterconnectDescription;
  peripheralBus: PeripheralBusDescription;
  mailbox: MailboxDescription;
  gpio: GpioDescription;
  rpmsg: RpmsgPlacement;
}
