// The NXP Messaging Unit (MU) of the i.MX RT1170 and i.MX 8M Mini: two register maps, one
// per side (A and B), over one shared state. What one side writes the other side sees.
//
// Sources (the register layout of this MU generation, the same map on both sides):
// - i.MX RT1170 Reference Manual (IMXRT1170RM), chapter "Messaging Unit (MU)";
// - i.MX 8M Mini Reference Manual (IMX8MMRM), chapter "Messaging Unit (MU)";
// - offsets and bit positions as the SDK device headers give them:
//   zephyrproject-rtos/hal_nxp mcux/mcux-sdk-ng/devices/RT/RT1170/periph/PERI_MU.h
//   ("Update header files to align with IMXRT1170RM Rev.0") and
//   mcux/mcux-sdk-ng/devices/i.MX/i.MX8MM/periph/PERI_MU.h;
// - behaviour as the SDK driver relies on it: nxp-mcuxpresso/mcux-sdk drivers/mu/fsl_mu.h
//   and fsl_mu.c, and the rpmsg-lite ports nxp-mcuxpresso/rpmsg-lite
//   lib/rpmsg_lite/porting/platform/{imxrt1170,imx8mm_m4}/rpmsg_platform.c.
//
// Register map (each side; 32-bit registers):
//   0x00-0x0C TR0-TR3  transmit: a write sends the word to the other side's RRn
//   0x10-0x1C RR0-RR3  receive (read-only): a read takes the word the other side sent
//   0x20      SR       status
//   0x24      CR       control
//
// SR fields (RT1170 and 8MM headers agree):
//   31-28 GIP0-GIP3  general interrupt n pending (set by the other side's GIRn; write 1 to clear)
//   27-24 RF0-RF3    RRn full (set when the other side writes TRn; cleared by reading RRn)
//   23-20 TE0-TE3    TRn empty (cleared by writing TRn; set when the other side reads its RRn); reset 1
//   19-11           reserved (8MM side A: bit 9 BRDIP "B side out of reset" - not modelled)
//   10    RAIP, 9 RDIP  other side entered / left reset (i.MX7ULP generation only - not modelled)
//   8     FUP       flags update pending: this side's CR.Fn is still on its way to the other side
//   7     RS        the other side is in reset (fsl_mu.h: kMU_OtherSideInResetFlag); always 0 here
//   6-5   PM        other processor's power mode (8MM: APM; not on RT1170); always 0 (run)
//   4     EP        event pending: an event of this side (TR write, RR read, GIR, GIP clear, Fn)
//                   has not yet reached the other side
//   3     NMIC      (i.MX7ULP generation only) not modelled
//   2-0   F0-F2     the other side's CR.Fn flags
// CR fields:
//   31-28 GIE0-GIE3  general interrupt n enable
//   27-24 RIE0-RIE3  receive (RFn) interrupt enable
//   23-20 TIE0-TIE3  transmit (TEn) interrupt enable
//   19-16 GIR0-GIR3  general interrupt n request to the other side; reads 1 until the other
//                    side clears its GIPn (fsl_mu.c MU_TriggerInterrupts fails while it is 1)
//   15-6  reserved on RT1170 (8MM side A: bit 6 BRDIE; i.MX7ULP: RSTH, CLKE, BBOOT, RAIE) - not modelled
//   5     MUR       MU reset, both sides; self-clearing
//   4     8MM: BHR (side A, hardware reset of processor B) / HRM (side B) - not modelled
//   3     NMI       (i.MX7ULP generation only) not modelled
//   2-0   F0-F2     flags shown in the other side's SR.Fn
// Bits marked "not modelled" read 0 and ignore writes: neither the rpmsg-lite ports nor the
// fsl_mu calls they make touch them.
//
// Not confirmed from the RM text (no copy at hand; taken from the driver's use instead):
// - a TRn write while TEn is 0 replaces the unread word (fsl_mu.h only says the caller must
//   check TEn first); counted in `stats.transmitOverwrites`;
// - GIRn written 1 while already 1 is not a second request, and written 0 does not withdraw
//   one (MU_TriggerInterrupts refuses while GIRn is 1; every fsl_mu CR write masks GIRn to 0);
// - EP is modelled as "an event of this side is still crossing", FUP as "a CR.Fn update is
//   still crossing"; with no crossing delay both always read 0;
// - byte/half-word accesses are refused as bus errors (the SDK only makes word accesses);
// - writes to RRn are ignored (counted in `stats.ignoredWrites`).
//
// Interrupt output of a side: OR over n of (TEn & TIEn) | (RFn & RIEn) | (GIPn & GIEn).
// The enable bits sit at the same positions in CR as their flags in SR, so the output is
// simply (SR & CR & 0xFFF00000) != 0 (the GIR bits 19-16 fall outside that mask).

import { InternalError, type Kernel, type Ticks, ZERO_TICKS } from '../kernel';
import {
  type AccessSize,
  type DoorbellHook,
  type MailboxModel,
  type Peripheral,
  type RegisterFault,
  checkWordAccess,
  mailboxInstance,
  registersOf,
} from './peripheral';
import { DelayLine, Postponed } from './delay-line';
import { IrqLine } from './signal';

/** Number of TR/RR pairs and of general interrupts per side. */
export const MU_CHANNELS = 4;

/** Register offsets, the same on side A and side B (IMXRT1170RM / IMX8MMRM MU memory map). */
export const MU_REG = {
  TR0: 0x00,
  TR1: 0x04,
  TR2: 0x08,
  TR3: 0x0c,
  RR0: 0x10,
  RR1: 0x14,
  RR2: 0x18,
  RR3: 0x1c,
  SR: 0x20,
  CR: 0x24,
  /** TRn offset. */
  TR: (n: number): number => 0x00 + 4 * channel(n),
  /** RRn offset. */
  RR: (n: number): number => 0x10 + 4 * channel(n),
} as const;

/** Bytes of one side's register window: CR at 0x24 is the last register. */
export const MU_WINDOW_SIZE = 0x28;

/** SR bits. Channel n counts down from the top of each nibble (GIP0 is bit 31, RF0 bit 27, TE0 bit 23). */
export const MU_SR = {
  GIP: (n: number): number => bit(31 - channel(n)),
  RF: (n: number): number => bit(27 - channel(n)),
  TE: (n: number): number => bit(23 - channel(n)),
  GIP_MASK: 0xf000_0000,
  RF_MASK: 0x0f00_0000,
  TE_MASK: 0x00f0_0000,
  FUP: bit(8),
  RS: bit(7),
  EP: bit(4),
  F_MASK: 0x7,
} as const;

/** CR bits, laid out like SR's: GIE0 bit 31, RIE0 bit 27, TIE0 bit 23, GIR0 bit 19. */
export const MU_CR = {
  GIE: (n: number): number => bit(31 - channel(n)),
  RIE: (n: number): number => bit(27 - channel(n)),
  TIE: (n: number): number => bit(23 - channel(n)),
  GIR: (n: number): number => bit(19 - channel(n)),
  GIE_MASK: 0xf000_0000,
  RIE_MASK: 0x0f00_0000,
  TIE_MASK: 0x00f0_0000,
  GIR_MASK: 0x000f_0000,
  MUR: bit(5),
  F_MASK: 0x7,
} as const;

/** SR after reset: every transmit register empty, nothing else (IMXRT1170RM reset values). */
export const MU_SR_RESET: number = MU_SR.TE_MASK;

/** Flags that, with their enables at the same CR positions, drive a side's interrupt line. */
const INTERRUPT_FLAGS = MU_SR.GIP_MASK | MU_SR.RF_MASK | MU_SR.TE_MASK;
/** CR bits stored as written (enables and flags); GIRn and MUR have their own rules. */
const CR_PLAIN_BITS = MU_CR.GIE_MASK | MU_CR.RIE_MASK | MU_CR.TIE_MASK | MU_CR.F_MASK;

export type MuSideName = 'A' | 'B';

/** One side's registers. */
class MuSideState {
  /** TRn as this side last wrote them (TR reads back; fsl_mu.h declares TR read/write). */
  readonly transmit = new Uint32Array(MU_CHANNELS);
  /** RRn: the words the other side sent. */
  readonly receive = new Uint32Array(MU_CHANNELS);
  /** SR without EP and FUP, which are derived from what is in flight. */
  status: number = MU_SR_RESET;
  /** CR: enables, GIRn, Fn. */
  control = 0;
  /** Events of this side not yet landed on the other side (SR.EP). */
  eventsInFlight = 0;
  /** CR.Fn updates not yet landed (SR.FUP). */
  flagUpdatesInFlight = 0;

  reset(): void {
    this.transmit.fill(0);
    this.receive.fill(0);
    this.status = MU_SR_RESET;
    this.control = 0;
    this.eventsInFlight = 0;
    this.flagUpdatesInFlight = 0;
  }
}

/** Counters of firmware behaviour the hardware tolerates but that loses data or does nothing. */
export interface MuStats {
  /** TRn writes while TEn was 0: the unread word on the other side was replaced. */
  transmitOverwrites: number;
  /** Writes to read-only registers (RRn), ignored. */
  ignoredWrites: number;
}

export class NxpMessagingUnit {
  /** Side A's register window (on the RT1170 the CM7's, on the 8MM the Cortex-A53's). */
  readonly sideA: Peripheral;
  /** Side B's register window (the CM4's on both SoCs). */
  readonly sideB: Peripheral;
  /** Side A's interrupt request (MUA_IRQn on the RT1170). */
  readonly irqA: IrqLine;
  /** Side B's interrupt request (MUB_IRQn on the RT1170, MU_M4_IRQn on the 8MM). */
  readonly irqB: IrqLine;
  readonly stats: MuStats = { transmitOverwrites: 0, ignoredWrites: 0 };

  private readonly stateA = new MuSideState();
  private readonly stateB = new MuSideState();
  private readonly crossing: DelayLine;
  /** Fault injection: asked for every doorbell (a GIRn request, a TRn write); null: all pass. */
  doorbellHook: DoorbellHook | null = null;
  /** Doorbells a fault delays (made when the first is). */
  private postponed: Postponed | null = null;

  constructor(
    private readonly kernel: Kernel,
    readonly name = 'mu',
    /**
     * Ticks for an event of one side to reach the other (the MU synchronises between the two
     * sides' clock domains). 0: at once. The writing side's own state changes at once either way.
     */
    readonly crossingDelay: Ticks = ZERO_TICKS,
  ) {
    // The interrupt outputs are recomputed once the effects due at a tick have landed.
    this.crossing = new DelayLine(kernel, name, crossingDelay, () => this.updateInterrupts());
    this.sideA = new MuSideWindow(this, 'A', `${name}.a`);
    this.sideB = new MuSideWindow(this, 'B', `${name}.b`);
    this.irqA = new IrqLine(`${name}.a.irq`);
    this.irqB = new IrqLine(`${name}.b.irq`);
  }

  /** The window of a side by name. */
  side(side: MuSideName): Peripheral {
    return side === 'A' ? this.sideA : this.sideB;
  }

  /** Returns the MU to its reset state (as CR.MUR does): drops everything in flight. */
  reset(): void {
    this.stateA.reset();
    this.stateB.reset();
    this.crossing.clear();
    this.postponed?.clear();
    this.updateInterrupts();
  }

  /**
   * The core of one side is reset alone (fault injection). Assumption (no RM text at hand on
   * a one-sided reset of this MU generation): that side's registers return to their reset
   * values, the words it had received are gone, and the other side's requests towards it
   * (GIRn) drop and its transmit registers read empty (TEn), as if the reset side had taken
   * them; effects still crossing land as they would.
   */
  resetSide(side: MuSideName): void {
    const [self, other] = this.pair(side);
    self.reset();
    other.control &= ~MU_CR.GIR_MASK;
    other.status |= MU_SR.TE_MASK;
    this.updateInterrupts();
  }

  /** @internal A register read from side `side`. */
  readRegister(side: MuSideName, windowName: string, offset: number, size: AccessSize): number | RegisterFault {
    const fault = checkWordAccess(windowName, MU_WINDOW_SIZE, offset, size);
    if (fault !== undefined) return fault;
    const [self, other] = this.pair(side);
    if (offset < MU_REG.RR0) return self.transmit[offset >> 2];
    if (offset < MU_REG.SR) {
      const n = (offset - MU_REG.RR0) >> 2;
      const word = self.receive[n];
      if ((self.status & MU_SR.RF(n)) !== 0) {
        self.status &= ~MU_SR.RF(n);
        this.cross(self, () => {
          other.status |= MU_SR.TE(n);
        });
        this.updateInterrupts();
      }
      return word;
    }
    if (offset === MU_REG.SR) return statusOf(self);
    return self.control >>> 0;
  }

  /** @internal A register write from side `side`. */
  writeRegister(side: MuSideName, windowName: string, offset: number, value: number, size: AccessSize): RegisterFault | undefined {
    const fault = checkWordAccess(windowName, MU_WINDOW_SIZE, offset, size);
    if (fault !== undefined) return fault;
    const [self, other] = this.pair(side);
    const word = value >>> 0;
    if (offset < MU_REG.RR0) this.writeTransmit(self, other, offset >> 2, word, side);
    else if (offset < MU_REG.SR) this.stats.ignoredWrites++;
    else if (offset === MU_REG.SR) this.writeStatus(self, other, word);
    else this.writeControl(self, other, word, side);
    this.updateInterrupts();
    return undefined;
  }

  private writeTransmit(self: MuSideState, other: MuSideState, n: number, word: number, side: MuSideName): void {
    // Writing while TEn is 0 replaces the unread word (fsl_mu.h: MU_SendMsgNonBlocking "does
    // not check whether the TX register is empty"; the upper layer must): the model keeps
    // the newest word and counts the loss.
    if ((self.status & MU_SR.TE(n)) === 0) this.stats.transmitOverwrites++;
    self.transmit[n] = word;
    self.status &= ~MU_SR.TE(n);
    this.ring(self, side, `TR${n}`, () => {
      other.receive[n] = word;
      other.status |= MU_SR.RF(n);
    }, () => {
      // lost: the word never reaches RRn, and TEn comes back as if the other side had read it
      self.status |= MU_SR.TE(n);
    });
  }

  private writeStatus(self: MuSideState, other: MuSideState, word: number): void {
    // Only GIPn is write-1-to-clear (fsl_mu.h MU_ClearStatusFlags); the rest is read-only.
    for (let n = 0; n < MU_CHANNELS; n++) {
      const pending = MU_SR.GIP(n);
      if ((word & pending) === 0 || (self.status & pending) === 0) continue;
      self.status &= ~pending;
      // The other side's request bit drops once the clear has crossed.
      this.cross(self, () => {
        other.control &= ~MU_CR.GIR(n);
      });
    }
  }

  private writeControl(self: MuSideState, other: MuSideState, word: number, side: MuSideName): void {
    if ((word & MU_CR.MUR) !== 0) {
      // MUR resets both sides and clears itself (fsl_mu.h MU_ResetBothSides).
      this.reset();
      return;
    }
    // Flags cannot change while an update is on its way (fsl_mu.h MU_SetFlags waits for FUP).
    const flags = self.flagUpdatesInFlight > 0 ? self.control & MU_CR.F_MASK : word & MU_CR.F_MASK;
    const flagsChanged = flags !== (self.control & MU_CR.F_MASK);
    // GIRn: writing 1 requests; writing 0 does not withdraw a pending request (fsl_mu.h
    // writes every CR with GIRn masked to 0 and would otherwise cancel requests).
    const requested = word & MU_CR.GIR_MASK & ~self.control;
    self.control = (word & CR_PLAIN_BITS & ~MU_CR.F_MASK) | flags | (self.control & MU_CR.GIR_MASK) | requested;
    for (let n = 0; n < MU_CHANNELS; n++) {
      if ((requested & MU_CR.GIR(n)) === 0) continue;
      this.ring(self, side, 'CR', () => {
        other.status |= MU_SR.GIP(n);
      }, () => {
        // lost: GIPn is never set, and GIRn drops as if the other side had cleared it
        self.control &= ~MU_CR.GIR(n);
      });
    }
    if (flagsChanged) {
      self.flagUpdatesInFlight++;
      this.cross(self, () => {
        self.flagUpdatesInFlight--;
        other.status = (other.status & ~MU_SR.F_MASK) | flags;
      });
    }
  }

  /**
   * A doorbell from `side`: crosses as any event, unless the fault hook drops it (then `lost`
   * runs on the writer's side, after the crossing) or delays it (it lands that much later).
   */
  private ring(self: MuSideState, side: MuSideName, register: string, land: () => void, lost: () => void): void {
    const fate = this.doorbellHook?.(side === 'A' ? 'B' : 'A', `${this.side(side).name}.${register}`) ?? 'pass';
    if (fate === 'pass') this.cross(self, land);
    else if (fate === 'drop') this.cross(self, lost);
    else {
      this.postponed ??= new Postponed(this.kernel, `${this.name}.doorbells`, () => this.updateInterrupts());
      this.postponed.push(fate.delay, () => this.cross(self, land));
    }
  }

  /** Applies `land` on the far side now, or after the crossing delay. */
  private cross(from: MuSideState, land: () => void): void {
    if (this.crossingDelay === 0) {
      land();
      return;
    }
    from.eventsInFlight++;
    this.crossing.push(() => {
      from.eventsInFlight--;
      land();
    });
  }

  /** The one place both interrupt outputs are computed, after any change. */
  private updateInterrupts(): void {
    this.irqA.set((this.stateA.status & this.stateA.control & INTERRUPT_FLAGS) !== 0);
    this.irqB.set((this.stateB.status & this.stateB.control & INTERRUPT_FLAGS) !== 0);
  }

  private pair(side: MuSideName): [MuSideState, MuSideState] {
    return side === 'A' ? [this.stateA, this.stateB] : [this.stateB, this.stateA];
  }
}

/** The MU as the mailbox registry knows it (mailboxes.ts): each core on a side of its own. */
export const NXP_MU_MODEL: MailboxModel<MuSideName> = {
  sides: ['A', 'B'],
  deviceName: 'mu',
  registers: registersOf(MU_REG),
  build(kernel, crossing, sideOf) {
    const mu = new NxpMessagingUnit(kernel, NXP_MU_MODEL.deviceName, crossing);
    return mailboxInstance(
      sideOf,
      (side) => [mu.side(side), side === 'A' ? mu.irqA : mu.irqB],
      (hook) => {
        mu.doorbellHook = hook;
      },
      (side) => {
        mu.resetSide(side === 'A' ? 'A' : 'B');
        return 'reset';
      },
    );
  },
};

/** One side's register window, as the bus sees it. */
class MuSideWindow implements Peripheral {
  readonly windowSize: number = MU_WINDOW_SIZE;
  constructor(
    private readonly mu: NxpMessagingUnit,
    private readonly side: MuSideName,
    readonly name: string,
  ) {}

  read(offset: number, size: AccessSize): number | RegisterFault {
    return this.mu.readRegister(this.side, this.name, offset, size);
  }

  write(offset: number, value: number, size: AccessSize): RegisterFault | undefined {
    return this.mu.writeRegister(this.side, this.name, offset, value, size);
  }
}

function statusOf(side: MuSideState): number {
  let status = side.status;
  if (side.eventsInFlight > 0) status |= MU_SR.EP;
  if (side.flagUpdatesInFlight > 0) status |= MU_SR.FUP;
  return status >>> 0;
}

/**
 * The MU is a 32-bit peripheral: the RMs list every register as 32 bits wide and the SDK
 * only makes word accesses. Narrower or misaligned accesses, and offsets past CR, are bus
 * errors here.
 */

function channel(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= MU_CHANNELS) throw new InternalError(`MU channel ${n} does not exist (0..3)`);
  return n;
}

/** Bit `b` as an unsigned 32-bit value (1 << 31 is negative in JS). */
function bit(b: number): number {
  return (1 << b) >>> 0;
}
