// The one place where scenario values with units are parsed (the project keeps one parser per kind of value): durations
// ("10us", "2.5 ms", "3000 cycles@cm7"), sizes ("64B", "4 KiB", "512"), frequencies
// ("400MHz", "32.768kHz") and rpmsg-lite timeouts ("10ms", 0, "block").
//
// Results are data, never exceptions: `{ ok: true, value }` or `{ ok: false, message, note? }`,
// the message saying what was expected and what was written. Arithmetic is exact: decimal
// digits are scaled with BigInt, so "2.5us" is 2500 ns, not 2499.9999…, and a value that
// does not come out whole in the base unit is refused rather than rounded.

import type { Duration } from './types';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; note?: string };

/** The largest value kept exact (ns, bytes, Hz, cycles all travel as JS numbers). */
const LIMIT = BigInt(Number.MAX_SAFE_INTEGER);

const DURATION_SCALE: Readonly<Record<string, number>> = { ns: 0, us: 3, µs: 3, ms: 6, s: 9 };
const SIZE_SCALE: Readonly<Record<string, bigint>> = { B: 1n, KiB: 1024n, MiB: 1024n ** 2n, GiB: 1024n ** 3n };
const FREQUENCY_SCALE: Readonly<Record<string, number>> = { Hz: 0, kHz: 3, MHz: 6, GHz: 9 };

// A decimal number then a unit; spaces between them are allowed ("2.5 ms").
const DECIMAL_WITH_UNIT = /^(\d+)(?:\.(\d+))?\s*([A-Za-zµ]*)$/;
const CYCLES = /^(\d+(?:\.\d+)?)\s*cycles?\s*(?:@\s*(\S*))?$/;
const CORE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** What a duration looks like, for messages; `core` makes the cycles example name a real core. */
export function durationExpectation(core = 'cm4'): string {
  return `a duration like 10us, 2ms or 100 cycles@${core}`;
}
export const SIZE_EXPECTATION = 'a size like 64B, 4KiB or 512 (bytes)';
export const FREQUENCY_EXPECTATION = 'a frequency like 400MHz, 1.8GHz or 32.768kHz';
export const TIMEOUT_EXPECTATION = 'a timeout like 10ms, 0 (do not wait) or block';

/**
 * A duration: whole nanoseconds, or whole cycles of a named core ("3000 cycles@cm7").
 * The core's existence is the caller's check (units know no platform).
 */
export function parseDuration(input: unknown, exampleCore = 'cm4'): Parsed<Duration> {
  const expected = durationExpectation(exampleCore);
  if (typeof input === 'number') {
    return fail(expected, input, `a duration needs a unit: ${input}ns, ${input}us, ${input}ms, ${input}s or ${input} cycles@${exampleCore}`);
  }
  if (typeof input !== 'string') return fail(expected, input);
  const text = input.trim();
  const cycles = CYCLES.exec(text);
  if (cycles !== null) {
    const [, count, core] = cycles;
    if (core === undefined || core === '') {
      return fail(expected, input, `say whose clock counts the cycles: ${count} cycles@${exampleCore}`);
    }
    if (!CORE_NAME.test(core)) return fail(expected, input);
    if (!/^\d+$/.test(count!)) return { ok: false, message: `cycles are whole, got ${describeInput(input)}` };
    const value = BigInt(count!);
    if (value > LIMIT) return tooLarge(input);
    return { ok: true, value: { cycles: Number(value), core } };
  }
  const match = DECIMAL_WITH_UNIT.exec(text);
  const scale = match === null ? undefined : DURATION_SCALE[match[3]!];
  if (match === null || scale === undefined) {
    const note = match !== null && match[3] === '' ? `a duration needs a unit: ns, us, ms, s or cycles@${exampleCore}` : undefined;
    return fail(expected, input, note);
  }
  const ns = scaleDecimal(match[1]!, match[2] ?? '', scale, 1n);
  if (ns === null) {
    return { ok: false, message: `durations are whole nanoseconds, got ${describeInput(input)}`, note: 'the simulator does not time anything shorter than 1ns here' };
  }
  if (ns > LIMIT) return tooLarge(input);
  return { ok: true, value: { ns: Number(ns) } };
}

/** A size in bytes: "64B", "4 KiB", "1.5KiB", "512", or a plain whole number. */
export function parseSize(input: unknown): Parsed<number> {
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input) && input >= 0) return { ok: true, value: input };
    return fail(SIZE_EXPECTATION, input, input < 0 ? undefined : 'a size is a whole number of bytes');
  }
  if (typeof input !== 'string') return fail(SIZE_EXPECTATION, input);
  const match = DECIMAL_WITH_UNIT.exec(input.trim());
  const unit = match === null ? undefined : match[3] === '' ? 'B' : match[3]!;
  const multiplier = unit === undefined ? undefined : SIZE_SCALE[unit];
  if (match === null || multiplier === undefined) {
    return fail(SIZE_EXPECTATION, input, unit !== undefined ? sizeUnitNote(unit) : undefined);
  }
  const bytes = scaleDecimal(match[1]!, match[2] ?? '', 0, multiplier);
  if (bytes === null) return { ok: false, message: `a size is a whole number of bytes, got ${describeInput(input)}` };
  if (bytes > LIMIT) return tooLarge(input);
  return { ok: true, value: Number(bytes) };
}

/** A frequency in whole Hz, more than 0: "400MHz", "1.8GHz", "32.768kHz", "150000000Hz". */
export function parseFrequency(input: unknown): Parsed<number> {
  if (typeof input === 'number') {
    return fail(FREQUENCY_EXPECTATION, input, `a frequency needs a unit: ${input}Hz, ${input}kHz, ${input}MHz or ${input}GHz`);
  }
  if (typeof input !== 'string') return fail(FREQUENCY_EXPECTATION, input);
  const match = DECIMAL_WITH_UNIT.exec(input.trim());
  const scale = match === null ? undefined : FREQUENCY_SCALE[match[3]!];
  if (match === null || scale === undefined) {
    // "mhz" would be millihertz: case matters, so say which spellings are meant.
    const note = match !== null ? 'units: Hz, kHz, MHz, GHz (case matters)' : undefined;
    return fail(FREQUENCY_EXPECTATION, input, note);
  }
  const hz = scaleDecimal(match[1]!, match[2] ?? '', scale, 1n);
  if (hz === null) return { ok: false, message: `a frequency is a whole number of Hz, got ${describeInput(input)}` };
  if (hz === 0n) return { ok: false, message: `a frequency must be more than 0Hz, got ${describeInput(input)}` };
  if (hz > LIMIT) return tooLarge(input);
  return { ok: true, value: Number(hz) };
}

/**
 * An rpmsg-lite timeout argument: whole milliseconds (the library counts in ms), 0 for
 * RL_DONT_BLOCK, or "block" for RL_BLOCK.
 */
export function parseTimeoutMs(input: unknown): Parsed<number | 'block'> {
  if (input === 'block') return { ok: true, value: 'block' };
  if (input === 0) return { ok: true, value: 0 };
  if (typeof input === 'number') {
    return fail(TIMEOUT_EXPECTATION, input, `a timeout other than 0 needs a unit: ${input}ms`);
  }
  if (typeof input !== 'string') return fail(TIMEOUT_EXPECTATION, input);
  const duration = parseDuration(input);
  if (!duration.ok) return fail(TIMEOUT_EXPECTATION, input, duration.note);
  if (!('ns' in duration.value)) {
    return { ok: false, message: `rpmsg-lite timeouts are in milliseconds, not cycles, got ${describeInput(input)}` };
  }
  const ns = duration.value.ns;
  if (ns % 1_000_000 !== 0) {
    return { ok: false, message: `rpmsg-lite timeouts are whole milliseconds, got ${describeInput(input)}` };
  }
  return { ok: true, value: ns / 1_000_000 };
}

/** A value as quoted in "got …": strings in double quotes, lists and maps by kind. */
export function describeInput(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (input === null || input === undefined) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  return String(input);
}

/** A duration as people write it, in the largest unit that keeps it whole: 3000ns is "3us", 2500ns stays "2500ns". */
export function formatDuration(d: Duration): string {
  if ('cycles' in d) return `${d.cycles} cycles@${d.core}`;
  for (const [unit, scale] of [['s', 1e9], ['ms', 1e6], ['us', 1e3]] as const) {
    if (d.ns !== 0 && d.ns % scale === 0) return `${d.ns / scale}${unit}`;
  }
  return `${d.ns}ns`;
}

// ---- helpers ----

function fail(expected: string, input: unknown, note?: string): Parsed<never> {
  return { ok: false, message: `expected ${expected}, got ${describeInput(input)}`, ...(note !== undefined && { note }) };
}

function tooLarge(input: unknown): Parsed<never> {
  return { ok: false, message: `${describeInput(input)} is too large (at most ${Number.MAX_SAFE_INTEGER} in the base unit)` };
}

/** digits.fraction × 10^exponent × multiplier, or null when the result is not whole. */
function scaleDecimal(whole: string, fraction: string, exponent: number, multiplier: bigint): bigint | null {
  const numerator = BigInt(whole + fraction) * multiplier;
  const shift = exponent - fraction.length;
  if (shift >= 0) return numerator * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return numerator % divisor === 0n ? numerator / divisor : null;
}

function sizeUnitNote(unit: string): string {
  const binary: Record<string, string> = { k: 'KiB', K: 'KiB', KB: 'KiB', kB: 'KiB', kiB: 'KiB', M: 'MiB', MB: 'MiB', G: 'GiB', GB: 'GiB' };
  const meant = binary[unit];
  if (meant !== undefined) return `write ${meant} for multiples of 1024 bytes ("${unit}" is ambiguous)`;
  return 'units: B, KiB, MiB, GiB';
}
