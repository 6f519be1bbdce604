// Byte-level formatting for the trace writers: constant text encoded once into packed
// 32-bit words, decimal integers written two digits at a time, all straight into an output
// block (sim/trace/output.ts OutputBuffer) without making a string. Word stores are what
// makes this fast (a byte loop costs about four times as much per byte in V8); they may
// write up to 3 bytes past the piece, which the block's slack holds and the next piece
// overwrites. Exact: the digits are those of String(v) for every safe integer.

/**
 * Thrown by the byte formatters for a value they do not take (putInteger: not a safe
 * integer); the caller formats that piece the slow way, which also reports a bad value.
 */
export const UNUSUAL_VALUE: unique symbol = Symbol('unusual value');

/** Most bytes a safe integer takes in decimal: "-9007199254740991". */
export const MAX_INTEGER_BYTES = 17;

/** Bytes a formatter may store past the end of what it put (a word store's tail). */
export const STORE_SLACK = 3;

/** Text packed for word stores: its UTF-8 bytes in little-endian words, then the byte count. */
export type Packed = Uint32Array;

/** Packs text (UTF-8) for put(). */
export function pack(text: string): Packed {
  const bytes = Buffer.from(text, 'utf8');
  const words = Math.ceil(bytes.length / 4);
  const packed = new Uint32Array(words + 1);
  new Uint8Array(packed.buffer).set(bytes);
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
    // a big-endian host: the words were filled in memory order, turn them into values
    for (let i = 0; i < words; i++) packed[i] = bswap(packed[i]!);
  }
  packed[words] = bytes.length;
  return packed;
}

function bswap(w: number): number {
  return (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
}

/** The text of packed bytes (tests, messages). */
export function unpack(packed: Packed): string {
  const n = packed[packed.length - 1]!;
  const bytes = Buffer.alloc(4 * (packed.length - 1));
  for (let i = 0; i < packed.length - 1; i++) bytes.writeUInt32LE(packed[i]!, 4 * i);
  return bytes.toString('utf8', 0, n);
}

/** Stores packed text at `p` (and up to STORE_SLACK bytes of filler after it); returns the position after it. */
export function put(dv: DataView, p: number, c: Packed): number {
  const n = c.length - 1;
  for (let i = 0; i < n; i++) dv.setUint32(p + 4 * i, c[i]!, true);
  return p + c[n]!;
}

/** "00" .. "99" as little-endian 16-bit words. */
const PAIRS = new Uint16Array(100);
for (let i = 0; i < 100; i++) PAIRS[i] = (48 + Math.floor(i / 10)) | ((48 + (i % 10)) << 8);

/**
 * Writes `v` in decimal at `p`, as String(v) would; returns the position after it. Throws
 * UNUSUAL_VALUE (before writing anything) when `v` is not a safe integer.
 */
export function putInteger(u: Uint8Array, dv: DataView, p: number, v: unknown): number {
  if ((v as number) >>> 0 === v) return putUint32(u, dv, p, v);
  return putWide(u, dv, p, v);
}

/** 0 <= v < 2^32. */
function putUint32(u: Uint8Array, dv: DataView, p: number, v: number): number {
  if (v < 10) {
    u[p] = 48 + v;
    return p + 1;
  }
  const end = p + digitsOf(v);
  let e = end;
  while (v >= 100) {
    const q = (v / 100) >>> 0;
    e -= 2;
    dv.setUint16(e, PAIRS[v - q * 100]!, true);
    v = q;
  }
  if (v >= 10) dv.setUint16(e - 2, PAIRS[v]!, true);
  else u[e - 1] = 48 + v;
  return end;
}

function digitsOf(v: number): number {
  return v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
}

/** Negative numbers, 2^32 and above (long runs' times), and everything that is not a safe integer. */
function putWide(u: Uint8Array, dv: DataView, p: number, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw UNUSUAL_VALUE;
  let n = v;
  if (n < 0) {
    u[p++] = 45; // '-'
    n = -n;
  }
  if (n < 4294967296) return putUint32(u, dv, p, n);
  // n < 2^53: eight low digits and at most eight high ones, each part exact in a double
  let hi = Math.floor(n / 1e8);
  let lo = n - hi * 1e8;
  if (lo < 0) {
    // the division rounded up to the next whole number
    hi -= 1;
    lo += 1e8;
  } else if (lo >= 1e8) {
    hi += 1;
    lo -= 1e8;
  }
  p = putUint32(u, dv, p, hi);
  for (let e = p + 6; e >= p; e -= 2) {
    const q = (lo / 100) >>> 0;
    dv.setUint16(e, PAIRS[lo - q * 100]!, true);
    lo = q;
  }
  return p + 8;
}
