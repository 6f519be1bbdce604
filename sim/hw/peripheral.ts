// A memory-mapped peripheral as the bus sees it: a register file reached through an
// offset from the base address where the platform maps it. The bus model owns the
// timing (peripheral bus latency); a peripheral only answers, at the moment the access
// reaches it, and recomputes its interrupt outputs in one place after any change.

import type { Kernel, Ticks } from '../kernel';
import type { IrqLine } from './signal';
import { hex } from '../text/hex';

/** Access size in bytes. */
export type AccessSize = 1 | 2 | 4;

/** What a register access can end in besides a value: a bus error the core sees as a fault. */
export interface RegisterFault {
  fault: string;
}

export interface Peripheral {
  /** Name for traces and errors ("mu.a", "mailbox"). */
  readonly name: string;
  /** Size in bytes of the register window (accesses at or past it are bus faults). */
  readonly windowSize: number;
  /** Reads a register; may have side effects (a read that clears a flag). */
  read(offset: number, size: AccessSize): number | RegisterFault;
  /** Writes a register. */
  write(offset: number, value: number, size: AccessSize): RegisterFault | undefined;
}

/**
 * The check of a peripheral whose registers are all 32 bits wide: an access outside the
 * window, narrower than a word or misaligned is refused (a bus error).
 */
export function checkWordAccess(windowName: string, windowSize: number, offset: number, size: AccessSize): RegisterFault | undefined {
  if (offset < 0 || offset + size > windowSize) {
    return { fault: `${windowName}: offset ${hex(offset)} is outside the register window (${hex(windowSize)} bytes)` };
  }
  if (size !== 4) return { fault: `${windowName}: registers are 32-bit; a ${size}-byte access is refused` };
  if (offset % 4 !== 0) return { fault: `${windowName}: offset ${hex(offset)} is not 32-bit aligned` };
  return undefined;
}

// ---- mailbox models -------------------------------------------------------------------------
// What the mailbox registry (mailboxes.ts) holds per kind: enough to validate a platform's
// `mailbox` section, build the device and name its registers in trace headers.

/** One register of a mailbox window, for trace headers (VCD signals, text-view names). */
export interface MailboxRegister {
  readonly name: string;
  /** Byte offset in the register window. */
  readonly offset: number;
}

/** What a platform calls a core's side of a mailbox: 'A'/'B' on an MU, a CPU slot 0/1 on the LPC mailbox. */
export type MailboxSideValue = string | number;

/**
 * What fault injection (scenario-engine/faults.ts) does to one doorbell, a register write that
 * requests the other side's interrupt (an MU GIRn or TRn write, an LPC IRQnSET write): let it
 * through, lose it (the request never reaches the other side, and the writer's side reads as
 * if it had been taken: GIRn and TEn return to their idle values), or let it land later.
 */
export type DoorbellFate = 'pass' | 'drop' | { delay: Ticks };

/** Asked for each doorbell: `to` is the side whose interrupt it requests, `register` the register written (`mu.a.CR`, `mailbox.IRQ0SET`). */
export type DoorbellHook = (to: MailboxSideValue, register: string) => DoorbellFate;

/** A built mailbox: the register window and the interrupt line of each core, by core name. */
export interface MailboxInstance {
  /** Cores that share one register file get the same object. */
  readonly windows: Readonly<Record<string, Peripheral>>;
  readonly irqs: Readonly<Record<string, IrqLine>>;
  /** Installs (or, with null, removes) the fault-injection hook asked for every doorbell. */
  setDoorbellHook(hook: DoorbellHook | null): void;
  /**
   * What the mailbox does when the core on `side` is reset alone (fault injection's `reset`):
   * returns that side to its reset values ('reset'), or keeps everything ('latched').
   */
  coreReset(side: MailboxSideValue): 'reset' | 'latched';
}

export interface MailboxModel<Side extends MailboxSideValue = MailboxSideValue> {
  /** The values a platform may give as `mailbox.sides.<core>.side`. */
  readonly sides: readonly Side[];
  /** Name of the device; its windows and lines are named after it ("mu.a", "mailbox.irq0"). */
  readonly deviceName: string;
  /** The registers of a window, for trace headers (the window's size is its peripheral's `windowSize`). */
  readonly registers: readonly MailboxRegister[];
  /** Makes the device, named `deviceName`; `sideOf` gives the side of each core that uses it. */
  build(kernel: Kernel, crossing: Ticks, sideOf: Readonly<Record<string, Side>>): MailboxInstance;
}

/** A built mailbox from what each side gives: its window and its line. */
export function mailboxInstance<Side>(
  sideOf: Readonly<Record<string, Side>>,
  ofSide: (side: Side) => readonly [Peripheral, IrqLine],
  setDoorbellHook: (hook: DoorbellHook | null) => void,
  coreReset: (side: MailboxSideValue) => 'reset' | 'latched',
): MailboxInstance {
  const windows: Record<string, Peripheral> = {};
  const irqs: Record<string, IrqLine> = {};
  for (const [core, side] of Object.entries(sideOf)) [windows[core], irqs[core]] = ofSide(side);
  return { windows, irqs, setDoorbellHook, coreReset };
}

/** The registers of an offset table (its numeric entries; helper functions left out). */
export function registersOf(table: Readonly<Record<string, unknown>>): MailboxRegister[] {
  return Object.entries(table)
    .filter((e): e is [string, number] => typeof e[1] === 'number')
    .map(([name, offset]) => ({ name, offset }));
}
