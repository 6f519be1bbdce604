// What every Cortex-M rpmsg-lite port here shares (rpmsg_platform.c of lpc55s69, imxrt1170,
// imx8mm_m4): the ISR table (env_register_isr), the NVIC line with a disable counter shared
// by both vqs, identity address translation. A subclass says how to ring the doorbell, how
// to enable the mailbox source and how its IRQ handler decodes the vq ids.

import type { Core, Firmware } from '../../sim/hw/core';
import { maintainRange } from './cache-hooks';
import { type ResolvedPlatform, mailboxWindowOf } from '../description/load';
import type { CoreCosts } from '../../firmware/costs/table';
import type { RlPlatformPort, VqIsr } from '../../firmware/rpmsg-lite/rpmsg-platform';
import { LINUX_VRING, mcuVringSize } from '../../firmware/rpmsg-lite/virtio-ring';

export interface PortSetup {
  platform: ResolvedPlatform;
  core: Core;
  /** The core's cost table (its `port.*` entries): the one rpmsg-lite and the environment of that core charge. */
  costs: CoreCosts;
  /**
   * The core's startup resets its side of the mailbox at platform_init (as an MU reset,
   * CR.MUR, would): a doorbell rung before then is lost instead of latched. Not what the
   * rpmsg-lite ports do; it shows why the remote must be ready before the master's kick.
   */
  resetMailboxOnInit?: boolean;
}

export abstract class CortexMPort implements RlPlatformPort {
  readonly name: string;
  readonly highestLinkId: number = 0;
  readonly vringAlign: number;
  protected readonly core: Core;
  readonly costs: CoreCosts;
  /** Mailbox registers as this core sees them. */
  protected readonly mailboxBase: number;
  protected readonly irqLine: number;
  protected readonly irqPriority: number;
  private readonly isrTable = new Map<number, VqIsr>();
  private disableCounter = 0;
  protected readonly resetMailboxOnInit: boolean;
  private registered = 0;
  /** Messages dispatched by the ISR, per vq id (statistics). */
  readonly dispatched = new Map<number, number>();

  constructor(
    setup: PortSetup,
    /** Linux-facing ports use VRING_ALIGN 0x1000 and VRING_SIZE 0x8000. */
    private readonly linuxVrings: boolean,
  ) {
    const { platform, core } = setup;
    this.name = platform.name;
    this.core = core;
    this.costs = setup.costs;
    this.mailboxBase = mailboxWindowOf(platform, core.name).base;
    this.irqLine = platform.mailbox.sides[core.name]!.irq;
    this.irqPriority = platform.rpmsg.irqPriority[core.name] ?? 0;
    this.vringAlign = linuxVrings ? LINUX_VRING.align : 0x10;
    this.resetMailboxOnInit = setup.resetMailboxOnInit ?? false;
  }

  vringSize(bufferCount: number): number {
    return this.linuxVrings ? LINUX_VRING.size : mcuVringSize(bufferCount, this.vringAlign);
  }

  /** platform_init: installs the IRQ handler (the vector table entry) and the mailbox setup. */
  *init(): Firmware<void> {
    this.core.setHandler(this.irqLine, () => this.irqHandler());
    yield* this.initMailbox();
  }

  *deinit(): Firmware<void> {
    this.core.nvic.disable(this.irqLine);
  }

  *initInterrupt(vqId: number, isr: VqIsr): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.initInterrupt'));
    this.isrTable.set(vqId, isr);
    if (this.registered++ === 0) {
      this.core.nvic.setPriority(this.irqLine, this.irqPriority);
      yield* this.enableSource(vqId, true);
    } else {
      yield* this.enableSource(vqId, false);
    }
  }

  *deinitInterrupt(vqId: number): Firmware<void> {
    this.isrTable.delete(vqId);
    if (this.registered > 0 && --this.registered === 0) {
      yield* this.disableSource();
      this.core.nvic.disable(this.irqLine);
    }
  }

  /** The line is enabled when the counter returns to 0, with interrupts masked around it. */
  *interruptEnable(_vqId: number): Firmware<void> {
    yield* this.core.disableInterrupts();
    yield* this.core.run(this.costs.charge('port.interruptToggle'));
    if (this.disableCounter > 0) {
      this.disableCounter--;
      if (this.disableCounter === 0) this.core.nvic.enable(this.irqLine);
    }
    yield* this.core.enableInterrupts();
  }

  /** The line is disabled when the counter goes 0 → 1. */
  *interruptDisable(_vqId: number): Firmware<void> {
    yield* this.core.disableInterrupts();
    yield* this.core.run(this.costs.charge('port.interruptToggle'));
    if (this.disableCounter === 0) this.core.nvic.disable(this.irqLine);
    this.disableCounter++;
    yield* this.core.enableInterrupts();
  }

  /**
   * platform_cache_flush: the shipped ports' hook is empty; on a core with a data cache this
   * port cleans the range by address as CMSIS SCB_CleanDCache_by_Addr does (the hook a board
   * with cacheable shared memory needs; firmware/costs/cache-cycles.ts).
   */
  *cacheFlush(address: number, length: number): Firmware<void> {
    yield* maintainRange(this.core, this.costs, 'clean', address, length);
  }

  /** platform_cache_invalidate: SCB_InvalidateDCache_by_Addr on a core with a data cache, else empty. */
  *cacheInvalidate(address: number, length: number): Firmware<void> {
    yield* maintainRange(this.core, this.costs, 'invalidate', address, length);
  }

  vatopa(address: number): number {
    return address;
  }

  patova(address: number): number {
    return address;
  }

  inIsr(): boolean {
    return this.core.inHandler;
  }

  /** env_isr(vector): runs the registered virtqueue's callback. */
  protected *envIsr(vqId: number): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.envIsr'));
    this.dispatched.set(vqId, (this.dispatched.get(vqId) ?? 0) + 1);
    const isr = this.isrTable.get(vqId);
    if (isr !== undefined) yield* isr(vqId);
  }

  private *irqHandler(): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.isr'));
    yield* this.decodeAndDispatch();
    yield* this.core.dataBarrier(); // __DSB() before exit (Arm erratum 838869)
  }

  abstract notify(vqId: number): Firmware<void>;
  /** Mailbox setup at platform_init (e.g. nothing, or MU_Init). */
  protected abstract initMailbox(): Firmware<void>;
  /** Enables the mailbox interrupt source for a vq (first: the first registration). */
  protected abstract enableSource(vqId: number, first: boolean): Firmware<void>;
  protected abstract disableSource(): Firmware<void>;
  /** The IRQ handler body: read status, clear, env_isr per vq. */
  protected abstract decodeAndDispatch(): Firmware<void>;
}
