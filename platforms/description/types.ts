// A platform is data: the description of one SoC's hardware, each number with the place
// it comes from. `platforms/<soc>/hardware.ts` holds one of these; `sim/hw/soc.ts`
// builds the simulated chip from it. Nothing here knows about rpmsg beyond where the
// shared memory sits (the port in platforms/<soc>/ reads that).

import type { Arbitration } from '../../sim/hw/bus';
import type { Replacement } from '../../sim/hw/cache';
import type { CachePolicy } from '../../sim/hw/data-cache';
import type { CoreTypeName } from '../../sim/hw/core-types';
import type { MailboxKind, MailboxSide } from '../../sim/hw/mailboxes';
import type { Param } from '../../sim/hw/param';
import type { Role } from '../../firmware/rpmsg-lite/constants';

export type { Arbitration, CachePolicy, CoreTypeName, MailboxKind, MailboxSide, Param, Replacement };

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
  /** What answers: a memory's name, or 'mailbox'. */
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
  /** Its L1 caches (none listed: the core has none, or none modelled). */
  caches?: CacheDescription[];
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
  rpmsg: RpmsgPlacement;
}
