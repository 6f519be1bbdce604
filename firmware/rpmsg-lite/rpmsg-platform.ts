// The platform layer rpmsg-lite calls (rpmsg_platform.h). Each SoC's port lives beside its
// hardware in platforms/<soc>/port.ts and implements this for one core.

import type { Firmware, FirmwareStep } from '../../sim/hw/core';

/** What the platform's IRQ handler calls for a decoded vq id (env_isr). */
export type VqIsr = (vqId: number) => FirmwareStep<void>;

export interface RlPlatformPort {
  /** Platform name ("imxrt1170"). */
  readonly name: string;
  /** VRING_ALIGN of this port's header. */
  readonly vringAlign: number;
  /** VRING_SIZE for a buffer count (computed for MCU ports, 0x8000 for Linux-facing ones). */
  vringSize(bufferCount: number): number;
  /**
   * How it rings the other core and decodes a ring (e.g. `mu-general-interrupt`): two ports
   * of one link must agree, or neither sees the other's notifications. None: not checked.
   */
  readonly doorbell?: string;
  /** RL_PLATFORM_HIGHEST_LINK_ID. */
  readonly highestLinkId: number;

  /** platform_init / platform_deinit. */
  init(): Firmware<void>;
  deinit(): Firmware<void>;
  /**
   * platform_init_interrupt: registers `isr` for `vqId` (env_register_isr) and, on first use,
   * enables the mailbox interrupt source and sets its NVIC priority.
   */
  initInterrupt(vqId: number, isr: VqIsr): Firmware<void>;
  /** platform_deinit_interrupt. */
  deinitInterrupt(vqId: number): Firmware<void>;
  /** platform_interrupt_enable / _disable: the NVIC line with a counter shared by both vqs. */
  interruptEnable(vqId: number): Firmware<void>;
  interruptDisable(vqId: number): Firmware<void>;
  /** platform_notify: ring the other core's doorbell for `vqId`. */
  notify(vqId: number): Firmware<void>;
  /**
   * platform_cache_flush / platform_cache_invalidate of [address, address + length): called
   * (through env_cache_flush / env_cache_invalidate) only when RL_USE_DCACHE is on.
   */
  cacheFlush(address: number, length: number): Firmware<void>;
  cacheInvalidate(address: number, length: number): Firmware<void>;
  /** platform_vatopa / platform_patova (identity on these ports). */
  vatopa(address: number): number;
  patova(address: number): number;
  /** platform_in_isr. */
  inIsr(): boolean;
}
