// Numbers in hexadecimal, the two ways messages and traces write them.

/** A 32-bit address as data sheets print it: 0x202C0000. */
export function hexAddress(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
}

/** A short value or offset: 0x24, 0x202c04a0. */
export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
