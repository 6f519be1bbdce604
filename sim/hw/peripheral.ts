// A memory-mapped peripheral as the bus sees it: a register file reached through an
// offset from the base address where the platform maps it. The bus model owns the
// timing (peripheral bus latency); a peripheral only answers, at the moment the access
// reaches it, and recomputes its interrupt outputs in one place after any change.

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
    return { fault: `${windowName}: offset ${hexOffset(offset)} is outside the register window (${hexOffset(windowSize)} bytes)` };
  }
  if (size !== 4) return { fault: `${windowName}: registers are 32-bit; a ${size}-byte access is refused` };
  if (offset % 4 !== 0) return { fault: `${windowName}: offset ${hexOffset(offset)} is not 32-bit aligned` };
  return undefined;
}

function hexOffset(n: number): string {
  return `0x${n.toString(16)}`;
}
