// The three ways the rpmsg-lite Cortex-M ports use their mailbox (docs/sources.md "Platform ports"):
//   - MU general-purpose interrupts (imxrt1170): CR.GIRn rings, SR.GIPn (write 1 to clear);
//   - MU data channel 1 (imx8mm_m4, and the Linux side's imx_rproc_kick): vq_id << 16 in TR1;
//   - the LPC mailbox (lpc55s69, lpc5411x): bit q in the other CPU's word, cleared by the receiver.

import type { Firmware } from '../../sim/hw/core';
import { LPC_MAILBOX_REG } from '../../sim/hw/lpc-mailbox';
import { MU_CR, MU_REG, MU_SR } from '../../sim/hw/nxp-mu';
import { rlGetQId } from '../../firmware/rpmsg-lite/constants';
import { CortexMPort, type PortSetup } from './cortex-m-port';

/** i.MX RT1170 style: general-purpose interrupt q for vring q. */
export class MuGeneralInterruptPort extends CortexMPort {
  readonly doorbell = 'mu-general-interrupt';
  constructor(setup: PortSetup) {
    super(setup, false);
  }

  protected *initMailbox(): Firmware<void> {
    // MU_Init is not called by rpmsg-lite (MCMGR or the application does it).
    if (this.resetMailboxOnInit) yield* this.core.write32(this.mailboxBase + MU_REG.CR, MU_CR.MUR);
  }

  /** MU_EnableInterrupts(1 << (31 − vq_id)): GIE0 for vq 0, GIE1 for vq 1 (CR writes keep GIRn at 0). */
  protected *enableSource(vqId: number): Firmware<void> {
    const cr = yield* this.core.read32(this.mailboxBase + MU_REG.CR);
    yield* this.core.write32(this.mailboxBase + MU_REG.CR, ((cr & ~MU_CR.GIR_MASK) | MU_CR.GIE(rlGetQId(vqId))) >>> 0);
  }

  protected *disableSource(): Firmware<void> {
    const cr = yield* this.core.read32(this.mailboxBase + MU_REG.CR);
    yield* this.core.write32(this.mailboxBase + MU_REG.CR, (cr & ~MU_CR.GIR_MASK & ~(MU_CR.GIE(0) | MU_CR.GIE(1))) >>> 0);
  }

  /** MU_TriggerInterrupts(1 << (19 − q)): nothing new if the request is still pending. */
  *notify(vqId: number): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.notify'));
    const gir = MU_CR.GIR(rlGetQId(vqId));
    const cr = yield* this.core.read32(this.mailboxBase + MU_REG.CR);
    if ((cr & gir) !== 0) return;
    yield* this.core.write32(this.mailboxBase + MU_REG.CR, ((cr & ~MU_CR.GIR_MASK) | gir) >>> 0);
  }

  /** Read SR; for GIP0 then GIP1: clear it (write 1), env_isr(q). */
  protected *decodeAndDispatch(): Firmware<void> {
    const sr = yield* this.core.read32(this.mailboxBase + MU_REG.SR);
    for (const q of [0, 1]) {
      if ((sr & MU_SR.GIP(q)) === 0) continue;
      yield* this.core.write32(this.mailboxBase + MU_REG.SR, MU_SR.GIP(q));
      yield* this.envIsr(q);
    }
  }
}

/** i.MX 8M Mini style: MU channel 1 carries vq_id << 16; RIE1 enables the receive interrupt. */
export class MuDataChannelPort extends CortexMPort {
  readonly doorbell = 'mu-channel-1';
  constructor(setup: PortSetup) {
    super(setup, true);
  }

  protected *initMailbox(): Firmware<void> {
    if (this.resetMailboxOnInit) yield* this.core.write32(this.mailboxBase + MU_REG.CR, MU_CR.MUR);
  }

  /** The first platform_init_interrupt sets CR.RIE1. */
  protected *enableSource(_vqId: number, first: boolean): Firmware<void> {
    if (!first) return;
    const cr = yield* this.core.read32(this.mailboxBase + MU_REG.CR);
    yield* this.core.write32(this.mailboxBase + MU_REG.CR, ((cr & ~MU_CR.GIR_MASK) | MU_CR.RIE(1)) >>> 0);
  }

  protected *disableSource(): Firmware<void> {
    const cr = yield* this.core.read32(this.mailboxBase + MU_REG.CR);
    yield* this.core.write32(this.mailboxBase + MU_REG.CR, (cr & ~MU_CR.GIR_MASK & ~MU_CR.RIE(1)) >>> 0);
  }

  /** MU_SendMsg(MU, 1, vq_id << 16): wait for TE1, then write TR1 (it blocks on a dead peer: issue #7). */
  *notify(vqId: number): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.notify'));
    for (;;) {
      const sr = yield* this.core.read32(this.mailboxBase + MU_REG.SR);
      if ((sr & MU_SR.TE(1)) !== 0) break;
    }
    yield* this.core.write32(this.mailboxBase + MU_REG.TR1, (vqId << 16) >>> 0);
  }

  /** If RF1: read RR1 (clears RF1) and env_isr(value >> 16). */
  protected *decodeAndDispatch(): Firmware<void> {
    const sr = yield* this.core.read32(this.mailboxBase + MU_REG.SR);
    if ((sr & MU_SR.RF(1)) === 0) return;
    const word = yield* this.core.read32(this.mailboxBase + MU_REG.RR1);
    yield* this.envIsr(word >>> 16);
  }
}

/** The LPC mailbox registers of the CPU on mailbox side `side` (fsl_mailbox.h's CPU id): its own word and clear register, the other CPU's set register. */
export function lpcMailboxRegisters(side: number): { ownWord: number; ownClear: number; peerSet: number } {
  return side === 0
    ? { ownWord: LPC_MAILBOX_REG.IRQ0, ownClear: LPC_MAILBOX_REG.IRQ0CLR, peerSet: LPC_MAILBOX_REG.IRQ1SET }
    : { ownWord: LPC_MAILBOX_REG.IRQ1, ownClear: LPC_MAILBOX_REG.IRQ1CLR, peerSet: LPC_MAILBOX_REG.IRQ0SET };
}

/** LPC55S69 / LPC5411x style: MAILBOX_SetValueBits on the other CPU's word, 1 << q. */
export class LpcMailboxPort extends CortexMPort {
  /** The Zephyr port's ipm_mcux.c rings the same way (bit q of the other CPU's word). */
  readonly doorbell = 'lpc-mailbox-bit';
  private readonly ownWord: number;
  private readonly ownClear: number;
  private readonly peerSet: number;

  constructor(setup: PortSetup) {
    super(setup, false);
    const sides = setup.platform.mailbox.sides;
    ({ ownWord: this.ownWord, ownClear: this.ownClear, peerSet: this.peerSet } = lpcMailboxRegisters(Number(sides[setup.core.name]!.side)));
  }

  protected *initMailbox(): Firmware<void> {
    if (this.resetMailboxOnInit) yield* this.core.write32(this.mailboxBase + this.ownClear, 0xffffffff);
  }
  protected *enableSource(): Firmware<void> {}
  protected *disableSource(): Firmware<void> {}

  /** platform_deinit: do not deinit while the other core still has a request pending (spin on its word). */
  override *deinit(): Firmware<void> {
    const peerWord = this.peerSet === LPC_MAILBOX_REG.IRQ0SET ? LPC_MAILBOX_REG.IRQ0 : LPC_MAILBOX_REG.IRQ1;
    while ((yield* this.core.read32(this.mailboxBase + peerWord)) !== 0) {
      // MAILBOX_GetValue in a loop
    }
    yield* super.deinit();
  }

  /** Only link 0 is handled; other link ids are ignored (the port's check). */
  *notify(vqId: number): Firmware<void> {
    yield* this.core.run(this.costs.charge('port.notify'));
    if (vqId >>> 1 !== 0) return;
    yield* this.core.write32(this.mailboxBase + this.peerSet, 1 << rlGetQId(vqId));
  }

  /** Read the own word; bit 0 → clear, env_isr(0); bit 1 → clear, env_isr(1). */
  protected *decodeAndDispatch(): Firmware<void> {
    const word = yield* this.core.read32(this.mailboxBase + this.ownWord);
    for (const q of [0, 1]) {
      if ((word & (1 << q)) === 0) continue;
      yield* this.core.write32(this.mailboxBase + this.ownClear, 1 << q);
      yield* this.envIsr(q);
    }
  }
}
