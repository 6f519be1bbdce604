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
