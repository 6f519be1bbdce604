// The inter-CPU mailbox of the LPC5411x and LPC55S6x: one register file both CPUs see, with
// one 32-bit interrupt-request word per CPU. Any set bit in a CPU's word requests that CPU's
// mailbox interrupt; what the bits mean is up to software.
//
// Sources:
// - LPC5411x User Manual UM10914 and LPC55S6x User Manual UM11126, chapter "Inter-CPU mailbox";
// - offsets and field text as the SDK device header gives them: the LPC55S6x PERI_MAILBOX.h of
//   mcux-sdk-ng ("Initial A1 version based on v1.3UM"): MBOXIRQ[2] at 0x0 with step 0x10,
//   each {IRQ +0x0, IRQSET +0x4 (write-only), IRQCLR +0x8 (write-only), reserved +0xC},
//   216 reserved bytes, then MUTEX at 0xF8 ("EX - Cleared when read, set when written");
// - behaviour as the SDK driver and rpmsg-lite use it: nxp-mcuxpresso/mcux-sdk
//   drivers/mailbox/fsl_mailbox.h (MAILBOX_SetValue/GetValue/SetValueBits/ClearValueBits,
//   MAILBOX_GetMutex/SetMutex) and nxp-mcuxpresso/rpmsg-lite
//   lib/rpmsg_lite/porting/platform/lpc55s69/rpmsg_platform.c.
//
// Register map (32-bit registers):
//   0x000 IRQ0     request word of CPU slot 0 (read/write: a write sets the whole word)
//   0x004 IRQ0SET  write-only: 1 bits are ORed into IRQ0
//   0x008 IRQ0CLR  write-only: 1 bits are cleared in IRQ0
//   0x00C          reserved
//   0x010 IRQ1     request word of CPU slot 1
//   0x014 IRQ1SET  write-only
//   0x018 IRQ1CLR  write-only
//   0x01C-0x0F4    reserved
//   0x0F8 MUTEX    bit 0 EX: a read returns EX and clears it (1 = the reader took the mutex);
//                  a write sets it (releases). Reset 1 (available).
//
// Which CPU a slot interrupts differs by part (fsl_mailbox.h, enum mailbox_cpu_id_t, the index
// used for MBOXIRQ[]): on the LPC5411x slot 0 is the Cortex-M0+ and slot 1 the Cortex-M4; on the
// LPC55S69 slot 0 is CM33 core 1 and slot 1 is CM33 core 0. See LPC_MAILBOX_SLOT.
//
// Not confirmed from the UMs (no copy at hand): reads of the write-only and reserved offsets
// (modelled as 0, writes to reserved offsets ignored), and whether a write of 0 to MUTEX also
// releases it (modelled as the header says: any write sets EX).

import { InternalError, type Kernel, type Ticks, ZERO_TICKS } from '../kernel';
import {
  type DoorbellHook,
  type AccessSize,
  type MailboxModel,
  type Peripheral,
  type RegisterFault,
  checkWordAccess,
  mailboxInstance,
  registersOf,
} from './peripheral';
import { DelayLine, Postponed } from './delay-line';
import { IrqLine } from './signal';

/** Number of request words (CPU slots). */
export const LPC_MAILBOX_SLOTS = 2;

/** Register offsets (UM10914 / UM11126 "Inter-CPU mailbox"; LPC55S6x PERI_MAILBOX.h). */
export const LPC_MAILBOX_REG = {
  IRQ0: 0x000,
  IRQ0SET: 0x004,
  IRQ0CLR: 0x008,
  IRQ1: 0x010,
  IRQ1SET: 0x014,
  IRQ1CLR: 0x018,
  MUTEX: 0x0f8,
  /** IRQn offset. */
  IRQ: (n: number): number => 0x10 * slot(n),
  /** IRQnSET offset. */
  IRQSET: (n: number): number => 0x10 * slot(n) + 0x4,
  /** IRQnCLR offset. */
  IRQCLR: (n: number): number => 0x10 * slot(n) + 0x8,
} as const;

/** MUTEX.EX, bit 0 (MAILBOX_MUTEX_EX_MASK). */
export const LPC_MAILBOX_MUTEX_EX = 0x1;

/** Bytes of the register window: MUTEX at 0xF8 is the last register. */
export const LPC_MAILBOX_WINDOW_SIZE = 0xfc;

/** Which slot (IRQn word) interrupts which CPU: fsl_mailbox.h, enum mailbox_cpu_id_t. */
export const LPC_MAILBOX_SLOT = {
  /** LPC5411x: kMAILBOX_CM0Plus = 0, kMAILBOX_CM4 = 1. */
  lpc5411x: { cm0plus: 0, cm4: 1 },
  /** LPC55S69: kMAILBOX_CM33_Core1 = 0, kMAILBOX_CM33_Core0 = 1. */
  lpc55s69: { core1: 0, core0: 1 },
} as const;

export class LpcMailbox {
  /** The register file; both CPUs map the same one. */
  readonly registers: Peripheral;
  /** Writes to reserved offsets, ignored (a firmware mistake worth a trace warning). */
  ignoredWrites = 0;

  private readonly words = new Uint32Array(LPC_MAILBOX_SLOTS);
  private mutexFree = true;
  private readonly lines: IrqLine[] = [];
  /** Level each line is heading for (its current level, or the last one queued). */
  private readonly targetLevels: boolean[] = [];
  private readonly crossing: DelayLine;
  /** Fault injection: asked for every doorbell (an IRQnSET write); null: all pass. */
  doorbellHook: DoorbellHook | null = null;
  /** Doorbells a fault delays (made when the first is). */
  private postponed: Postponed | null = null;

  constructor(
    private readonly kernel: Kernel,
    readonly name = 'mailbox',
    /**
     * Ticks from a change of a request word to its line following it (the synchroniser into
     * the receiving CPU's clock domain). 0: at once. Register reads see the change at once.
     */
    readonly crossingDelay: Ticks = ZERO_TICKS,
  ) {
    this.crossing = new DelayLine(kernel, name, crossingDelay);
    for (let n = 0; n < LPC_MAILBOX_SLOTS; n++) {
      this.lines.push(new IrqLine(`${name}.irq${n}`));
      this.targetLevels.push(false);
    }
    this.registers = new LpcMailboxWindow(this, name);
  }

  /** The interrupt line of slot `n` (raised while IRQn is non-zero); see LPC_MAILBOX_SLOT for the CPU. */
  irq(n: number): IrqLine {
    return this.lines[slot(n)];
  }

  /** @internal */
  readRegister(offset: number, size: AccessSize): number | RegisterFault {
    const fault = checkWordAccess(this.name, LPC_MAILBOX_WINDOW_SIZE, offset, size);
    if (fault !== undefined) return fault;
    if (offset === LPC_MAILBOX_REG.MUTEX) {
      const taken = this.mutexFree;
      this.mutexFree = false;
      return taken ? LPC_MAILBOX_MUTEX_EX : 0;
    }
    const n = offset >> 4;
    // IRQn reads its word; IRQnSET/IRQnCLR are write-only and the gaps reserved: 0.
    return n < LPC_MAILBOX_SLOTS && (offset & 0xf) === 0 ? this.words[n] : 0;
  }

  /** @internal */
  writeRegister(offset: number, value: number, size: AccessSize): RegisterFault | undefined {
    const fault = checkWordAccess(this.name, LPC_MAILBOX_WINDOW_SIZE, offset, size);
    if (fault !== undefined) return fault;
    const word = value >>> 0;
    const n = offset >> 4;
    if (offset === LPC_MAILBOX_REG.MUTEX) this.mutexFree = true;
    else if (n >= LPC_MAILBOX_SLOTS || (offset & 0xf) === 0xc) this.ignoredWrites++;
    else if ((offset & 0xf) === 0x0) this.words[n] = word;
    else if ((offset & 0xf) === 0x4) this.setBits(n, word);
    else this.words[n] &= ~word;
    this.updateInterrupts();
    return undefined;
  }

  /** IRQnSET: a doorbell to the CPU of slot n, unless a fault drops or delays it. */
  private setBits(n: number, word: number): void {
    const fate = this.doorbellHook?.(n, `${this.name}.IRQ${n}SET`) ?? 'pass';
    if (fate === 'pass') this.words[n] |= word;
    else if (fate !== 'drop') {
      this.postponed ??= new Postponed(this.kernel, `${this.name}.doorbells`, () => this.updateInterrupts());
      this.postponed.push(fate.delay, () => {
        this.words[n] |= word;
      });
    }
  }

  /** The one place the lines are computed from the words, after any change. */
  private updateInterrupts(): void {
    for (let n = 0; n < LPC_MAILBOX_SLOTS; n++) {
      const level = this.words[n] !== 0;
      if (level === this.targetLevels[n]) continue;
      this.targetLevels[n] = level;
      const line = this.lines[n];
      this.crossing.push(() => line.set(level));
    }
  }
}

/** The LPC mailbox as the mailbox registry knows it (mailboxes.ts): one register file, a CPU slot per core. */
export const LPC_MAILBOX_MODEL: MailboxModel<0 | 1> = {
  sides: [0, 1],
  deviceName: 'mailbox',
  registers: registersOf(LPC_MAILBOX_REG),
  build(kernel, crossing, sideOf) {
    const mailbox = new LpcMailbox(kernel, LPC_MAILBOX_MODEL.deviceName, crossing);
    return mailboxInstance(
      sideOf,
      (slot) => [mailbox.registers, mailbox.irq(slot)],
      (hook) => {
        mailbox.doorbellHook = hook;
      },
      // One register file for both CPUs, reset with the system (UM11126 / UM10914 list no
      // per-CPU reset of it; an assumption for a reset of one core alone): requests stay latched.
      () => 'latched',
    );
  },
};

class LpcMailboxWindow implements Peripheral {
  readonly windowSize: number = LPC_MAILBOX_WINDOW_SIZE;
  constructor(
    private readonly mailbox: LpcMailbox,
    readonly name: string,
  ) {}

  read(offset: number, size: AccessSize): number | RegisterFault {
    return this.mailbox.readRegister(offset, size);
  }

  write(offset: number, value: number, size: AccessSize): RegisterFault | undefined {
    return this.mailbox.writeRegister(offset, value, size);
  }
}

/**
 * Every mailbox register is 32 bits wide (UM10914/UM11126 register tables; the SDK makes word
 * accesses only): narrower or misaligned accesses, and offsets past MUTEX, are bus errors here.
 */

function slot(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= LPC_MAILBOX_SLOTS) throw new InternalError(`mailbox slot ${n} does not exist (0..1)`);
  return n;
}

