// The rpmsg-lite platform port for Zephyr (porting/platform/<soc>/rpmsg_platform_zephyr_ipm.c,
// the same file for imxrt1170, lpc5411x and lpc55s69) over Zephyr's IPM driver of the SoC's
// mailbox, on the core's Zephyr kernel (firmware/rtos/zephyr-kernel.ts):
//
//   send     platform_notify (link 0 only): env_lock_mutex(platform_lock), data = 1 << q,
//            ipm_send(ipm_handle, wait 0, id 0, &data, 4) → the driver's send → its register
//            writes, env_unlock_mutex. The return value is ignored, as the C does.
//   receive  the mailbox IRQ → _isr_wrapper → the driver's ISR (its register reads/clears) →
//            the registered IPM callback platform_ipm_callback: bit 0 → env_isr(0), bit 1 →
//            env_isr(1) → z_arm_int_exit.
//   enable   platform_interrupt_enable/disable: cpsid, a counter shared by both vqs (no guard,
//            as the C: it may go negative), ipm_set_enabled(1/0) when it reaches 0 / leaves
//            0, cpsie. platform_init_interrupt only registers the vq and counts it under
//            platform_lock; it does not touch the mailbox.
//
// Drivers (zephyrproject-rtos/zephyr drivers/ipm/): ipm_mcux.c for the LPC mailbox ("nxp,lpc-
// mailbox": lpc55s69, lpc54114); ipm_imx.c for the MU ("nxp,imx-mu" in nxp_rt11xx_cm7.dtsi,
// the rev-1 driver) with the default CONFIG_IPM_IMX_MAX_DATA_SIZE_16: one message id, four
// data registers, only RIE3 enabled. The i.MX 8M Mini has no Zephyr rpmsg-lite port (no
// rpmsg_platform_zephyr_ipm.c in rpmsg-lite), so no entry here.
//
// The driver's init runs at PRE_KERNEL_1, before main: its IRQ_CONNECT (the wrapper as the
// line's handler), irq_enable and priority are done here at platform_init, uncharged (MU_Init
// / MAILBOX_Init's clock and reset handling is not modelled). The IRQ priority is the
// devicetree's 0 (nxp_rt11xx_cm7.dtsi mailbox_a `interrupts = <118 0>`, the LPC55S69
// mailbox0 `<31 0>`; Assumption: the same on the lpc54114) plus _IRQ_PRIO_OFFSET
// (arch/arm/include/cortex_m/exception.h): 1 on Armv7-M/Armv8-M mainline, where priority 0
// is reserved above the BASEPRI lock, 0 on Armv6-M.

import type { Core, Firmware } from '../../sim/hw/core';
import { FirmwareError } from '../../sim/kernel';
import { MU_CR, MU_REG, MU_SR } from '../../sim/hw/nxp-mu';
import type { CoreCosts } from '../../firmware/costs/table';
import { rlGetQId } from '../../firmware/rpmsg-lite/constants';
import type { RlPlatformPort, VqIsr } from '../../firmware/rpmsg-lite/rpmsg-platform';
import { mcuVringSize } from '../../firmware/rpmsg-lite/virtio-ring';
import { K_FOREVER, type ZephyrKernel, type ZephyrSem } from '../../firmware/rtos';
import { RL_ENV_MAX_MUTEX_COUNT, type ZephyrPlatformPort } from '../../firmware/env/rpmsg-env-zephyr';
import { type ResolvedPlatform, mailboxWindowOf } from '../description/load';
import { maintainRange } from './cache-hooks';
import type { PortSetup } from './cortex-m-port';
import { lpcMailboxRegisters } from './mailbox-ports';

/** The IPM callback the port registers (ipm_callback_t without dev and context): the data word. */
type IpmCallback = (word: number) => Firmware<void>;

/** A Zephyr IPM driver as the port uses it. */
export interface IpmDriver {
  /** The driver's name, as Zephyr's source file. */
  readonly name: string;
  /** ipm_send(dev, 0, 0, &word, 4): 0, or a negative errno. */
  send(word: number): Firmware<number>;
  /** ipm_set_enabled. */
  setEnabled(enable: boolean): Firmware<void>;
  /** The driver's ISR: reads and clears the mailbox, calls `callback` with the data word. */
  isr(callback: IpmCallback): Firmware<void>;
}

export interface IpmStats {
  /** ipm_send calls that returned -EBUSY (the MU's transmit registers still full): the notification is lost. */
  busy: number;
}

/** -EBUSY. */
const EBUSY = -16;

/** drivers/ipm/ipm_mcux.c on the LPC mailbox: one 32-bit word per CPU, set/clear registers. */
export class McuxMailboxIpm implements IpmDriver {
  readonly name = 'ipm_mcux.c';
  private readonly ownWord: number;
  private readonly ownClear: number;
  private readonly peerSet: number;

  constructor(
    private readonly kernel: ZephyrKernel,
    private readonly base: number,
    ownSide: number,
  ) {
    ({ ownWord: this.ownWord, ownClear: this.ownClear, peerSet: this.peerSet } = lpcMailboxRegisters(ownSide));
  }

  /** mcux_mailbox_ipm_send: irq_lock, MAILBOX_SetValueBits(other CPU, word), irq_unlock. */
  *send(word: number): Firmware<number> {
    yield* this.kernel.charge('ipmMcuxSend');
    yield* this.kernel.core.write32(this.base + this.peerSet, word);
    return 0;
  }

  /** mcux_mailbox_ipm_set_enabled: "nothing to be done". */
  *setEnabled(): Firmware<void> {
    yield* this.kernel.charge('ipmSetEnabled');
  }

  /** mcux_mailbox_isr: value = MAILBOX_GetValue(this CPU); MAILBOX_ClearValueBits(value); callback; dsb on a Cortex-M4. */
  *isr(callback: IpmCallback): Firmware<void> {
    const core = this.kernel.core;
    yield* this.kernel.charge('ipmMcuxIsr');
    const value = yield* core.read32(this.base + this.ownWord);
    yield* core.write32(this.base + this.ownClear, value);
    yield* callback(value);
    if (core.type === 'cortex-m4') yield* core.dataBarrier(); // __CORTEX_M == 4: Arm erratum 838869
  }
}

/** drivers/ipm/ipm_imx.c on the MU, CONFIG_IPM_IMX_MAX_DATA_SIZE_16: id 0 uses TR0-TR3 / RR0-RR3. */
export class ImxMuIpm implements IpmDriver {
  readonly name = 'ipm_imx.c';
  static readonly DATA_REGS = 4;

  constructor(
    private readonly kernel: ZephyrKernel,
    private readonly base: number,
    private readonly stats: IpmStats,
  ) {}

  /**
   * imx_mu_ipm_send: the 4-byte message is copied into a 16-byte buffer (words 1-3 are
   * whatever the stack held: sent as 0 here; the receiver's callback reads word 0 only), then
   * MU_TrySendMsg for each register: TEn clear → -EBUSY at once (the words before it were sent).
   */
  *send(word: number): Firmware<number> {
    const core = this.kernel.core;
    yield* this.kernel.charge('ipmImxSend');
    for (let i = 0; i < ImxMuIpm.DATA_REGS; i++) {
      const sr = yield* core.read32(this.base + MU_REG.SR);
      if ((sr & MU_SR.TE(i)) === 0) {
        this.stats.busy++;
        return EBUSY;
      }
      yield* core.write32(this.base + MU_REG.TR(i), i === 0 ? word : 0);
    }
    return 0;
  }

  /** imx_mu_ipm_set_enabled: MU_EnableRxFullInt / MU_DisableRxFullInt(base, 3), a CR read-modify-write. */
  *setEnabled(enable: boolean): Firmware<void> {
    const core = this.kernel.core;
    yield* this.kernel.charge('ipmSetEnabled');
    const cr = yield* core.read32(this.base + MU_REG.CR);
    yield* core.write32(this.base + MU_REG.CR, (enable ? cr | MU_CR.RIE(3) : cr & ~MU_CR.RIE(3)) >>> 0);
  }

  /**
   * imx_mu_isr: `status = SR >>= RFn_SHIFT` (SR read, the shifted value written back: its low
   * bits are read-only or reserved, so the write changes nothing); for id 0, if bit 0 (RF3):
   * check RF0-RF3 (an SR read each, stopping at the first clear), read RR0-RR3, callback with
   * word 0; dsb on a Cortex-M4 or M7.
   */
  *isr(callback: IpmCallback): Firmware<void> {
    const core = this.kernel.core;
    yield* this.kernel.charge('ipmImxIsr');
    const sr = yield* core.read32(this.base + MU_REG.SR);
    const status = sr >>> 24;
    yield* core.write32(this.base + MU_REG.SR, status);
    if ((status & 1) !== 0) {
      let allFull = true;
      for (let i = 0; i < ImxMuIpm.DATA_REGS; i++) {
        if (((yield* core.read32(this.base + MU_REG.SR)) & MU_SR.RF(i)) === 0) {
          allFull = false;
          break;
        }
      }
      if (allFull) {
        const words: number[] = [];
        for (let i = 0; i < ImxMuIpm.DATA_REGS; i++) words.push(yield* core.read32(this.base + MU_REG.RR(i)));
        yield* callback(words[0]!);
      }
    }
    if (core.type === 'cortex-m4' || core.type === 'cortex-m7') yield* core.dataBarrier();
  }
}

/** Which IPM driver a platform's mailbox has under Zephyr. */
export type IpmDriverKind = 'mcux' | 'imx';

export class ZephyrIpmPort implements ZephyrPlatformPort {
  readonly zephyr = true;
  readonly name: string;
  readonly highestLinkId = 0;
  readonly vringAlign = 0x10;
  /** ipm_mcux.c sets bit q like the bare-metal LPC port; ipm_imx.c uses the MU data registers, unlike the bare-metal MU ports. */
  readonly doorbell: string;
  readonly costs: CoreCosts;
  readonly ipmStats: IpmStats = { busy: 0 };
  /** Messages dispatched by env_isr, per vq id (statistics). */
  readonly dispatched = new Map<number, number>();
  private readonly core: Core;
  private readonly platform: ResolvedPlatform;
  private readonly irqLine: number;
  private kernelOf: ZephyrKernel | null = null;
  private driverOf: IpmDriver | null = null;
  private platformLock: ZephyrSem | null = null;
  private readonly isrTable = new Map<number, VqIsr>();
  private isrCounter = 0;
  private disableCounter = 0;

  constructor(
    setup: PortSetup,
    private readonly driverKind: IpmDriverKind,
  ) {
    this.platform = setup.platform;
    this.name = setup.platform.name;
    this.core = setup.core;
    this.costs = setup.costs;
    this.irqLine = setup.platform.mailbox.sides[setup.core.name]!.irq;
    this.doorbell = driverKind === 'mcux' ? 'lpc-mailbox-bit' : 'mu-data-registers';
    if (setup.resetMailboxOnInit === true) throw new FirmwareError(`${this.name}: the Zephyr IPM port has no mailbox reset at platform_init`);
  }

  attachKernel(kernel: ZephyrKernel): void {
    this.kernelOf = kernel;
    const base = mailboxWindowOf(this.platform, this.core.name).base;
    this.driverOf =
      this.driverKind === 'mcux'
        ? new McuxMailboxIpm(kernel, base, Number(this.platform.mailbox.sides[this.core.name]!.side))
        : new ImxMuIpm(kernel, base, this.ipmStats);
  }

  /** The driver (after attachKernel). */
  get driver(): IpmDriver {
    return this.driverOf ?? this.unattached();
  }

  vringSize(bufferCount: number): number {
    return mcuVringSize(bufferCount, this.vringAlign);
  }

  /** platform_init: the driver's boot-time IRQ_CONNECT/irq_enable (see the header), ipm_register_callback, env_create_mutex(&platform_lock, 1). */
  *init(): Firmware<void> {
    const k = this.kernel;
    const nvic = this.core.nvic;
    this.core.setHandler(this.irqLine, () => k.isr(() => this.driver.isr((word) => this.ipmCallback(word))));
    nvic.setPriority(this.irqLine, this.core.type === 'cortex-m0+' ? 0 : 1);
    nvic.enable(this.irqLine);
    yield* k.charge('objectInit');
    this.platformLock = k.createSem('platform_lock', 1, RL_ENV_MAX_MUTEX_COUNT);
  }

  /** platform_deinit: env_delete_mutex(platform_lock) (k_sem_reset). */
  *deinit(): Firmware<void> {
    if (this.platformLock !== null) yield* this.platformLock.reset();
    this.platformLock = null;
  }

  *initInterrupt(vqId: number, isr: VqIsr): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.initInterrupt'));
    this.isrTable.set(vqId, isr);
    yield* this.lock();
    this.isrCounter++;
    yield* this.unlock();
  }

  *deinitInterrupt(vqId: number): Firmware<void> {
    yield* this.lock();
    this.isrCounter--;
    if (this.isrCounter === 0) yield* this.driver.setEnabled(false);
    this.isrTable.delete(vqId);
    yield* this.unlock();
  }

  *interruptEnable(_vqId: number): Firmware<void> {
    yield* this.core.disableInterrupts();
    yield* this.core.run(this.costs.charge('port.interruptToggle'));
    this.disableCounter--;
    if (this.disableCounter === 0) yield* this.driver.setEnabled(true);
    yield* this.core.enableInterrupts();
  }

  *interruptDisable(_vqId: number): Firmware<void> {
    yield* this.core.disableInterrupts();
    yield* this.core.run(this.costs.charge('port.interruptToggle'));
    if (this.disableCounter === 0) yield* this.driver.setEnabled(false);
    this.disableCounter++;
    yield* this.core.enableInterrupts();
  }

  /** platform_notify: link 0 only; the lock, ipm_send of 1 << q, the unlock. */
  *notify(vqId: number): Firmware<void> {
    if (vqId >>> 1 !== 0) return;
    yield* this.lock();
    yield* this.kernel.charge('platformNotify');
    yield* this.driver.send(1 << rlGetQId(vqId));
    yield* this.unlock();
  }

  /** platform_cache_flush / _invalidate with RL_USE_DCACHE: as the bare-metal ports (cache-hooks.ts). */
  *cacheFlush(address: number, length: number): Firmware<void> {
    yield* maintainRange(this.core, this.costs, 'clean', address, length);
  }

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
    return this.kernel.inIsr();
  }

  private get kernel(): ZephyrKernel {
    return this.kernelOf ?? this.unattached();
  }

  /** platform_ipm_callback: bit 0 → env_isr(0), bit 1 → env_isr(1). */
  private *ipmCallback(word: number): Firmware<void> {
    for (const q of [0, 1]) {
      if ((word & (1 << q)) !== 0) yield* this.envIsr(q);
    }
  }

  /** env_isr(vector): the registered virtqueue's callback. */
  private *envIsr(vqId: number): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.envIsr'));
    this.dispatched.set(vqId, (this.dispatched.get(vqId) ?? 0) + 1);
    const isr = this.isrTable.get(vqId);
    if (isr !== undefined) yield* isr(vqId);
  }

  /** env_lock_mutex(platform_lock): skipped in an ISR. */
  private *lock(): Firmware<void> {
    yield* this.kernel.charge('envWrapper');
    if (this.kernel.inIsr()) return;
    yield* this.lockSem().take(K_FOREVER);
  }

  private *unlock(): Firmware<void> {
    yield* this.kernel.charge('envWrapper');
    if (this.kernel.inIsr()) return;
    yield* this.lockSem().give();
  }

  private lockSem(): ZephyrSem {
    if (this.platformLock === null) throw new FirmwareError(`${this.name} on ${this.core.name}: platform_lock used before platform_init`);
    return this.platformLock;
  }

  private unattached(): never {
    throw new FirmwareError(`${this.name} on ${this.core.name}: the Zephyr IPM port runs only under the zephyr environment`);
  }
}

/** The Zephyr port of a platform whose mailbox has `driver` (its entry's `ports['zephyr-ipm']`). */
export const zephyrIpmPort =
  (driver: IpmDriverKind) =>
  (setup: PortSetup): ZephyrIpmPort =>
    new ZephyrIpmPort(setup, driver);
