// Timebase (what one tick is) and clock domains (cycles <-> ticks, clock edges).
//
// The tick choice, in order of preference:
//   1. tick frequency = least common multiple of every clock frequency and 1 GHz: every
//      clock period and every whole nanosecond is a whole number of ticks;
//   2. the same without 1 GHz: clocks exact, nanoseconds rounded to the nearest tick;
//   3. 1 ps ticks with each period rounded to the nearest picosecond (what gem5 does),
//      with a warning naming the clocks that are no longer exact.
// A choice is taken only if 2^53 ticks still cover at least `minSimulatedSeconds`
// (one hour by default). Examples: 996 MHz + 400 MHz + 1 GHz -> 498 GHz ticks (about
// 2.008 ps, 5 h of range); 150 MHz + 1 GHz -> 3 GHz; 1.8 GHz + 400 MHz + 1 GHz -> 18 GHz.
//
// All clocks have a rising edge at tick 0. Conversions happen here and nowhere else.

import { ConfigError, SchedulingError } from './errors';
import { type Cycles, MAX_TICKS, type Ticks } from './time';

/** Anything that knows the current time (the kernel). */
export interface TimeSource {
  readonly now: Ticks;
}

const ONE_GHZ = 1e9;
const ONE_THZ = 1e12;

export interface TimebaseOptions {
  /** Least simulated time 2^53 ticks must cover for an exact tick to be chosen (default 3600 s). */
  minSimulatedSeconds?: number;
}

export class Timebase {
  /** Every period of these clocks is a whole number of ticks (false only in the 1 ps fallback). */
  readonly clocksExact: boolean;
  /** Whole nanoseconds are whole numbers of ticks. */
  readonly nanosecondsExact: boolean;

  private constructor(
    /** Ticks per second. */
    readonly tickHz: number,
    /** Why the tick is what it is, for `docs` and `--verbose` output. */
    readonly reason: string,
    /** Anything the user should know (rounded clocks). Empty when all is exact. */
    readonly warnings: readonly string[],
  ) {
    this.nanosecondsExact = tickHz % ONE_GHZ === 0;
    this.clocksExact = warnings.length === 0;
  }

  /** A timebase with a tick of exactly `tickHz` per second (no clock checks). */
  static fixed(tickHz: number): Timebase {
    checkFrequency('tick', tickHz);
    return new Timebase(tickHz, `fixed tick of ${formatHz(tickHz)}`, []);
  }

  /** Chooses the tick for a set of clock frequencies (Hz), as described at the top of this file. */
  static forFrequencies(frequencies: Iterable<number>, options: TimebaseOptions = {}): Timebase {
    const minSeconds = options.minSimulatedSeconds ?? 3600;
    const freqs = [...new Set(frequencies)];
    for (const hz of freqs) checkFrequency('clock', hz);
    const limit = MAX_TICKS / minSeconds; // highest tick rate that still covers minSeconds
    const withNs = lcmAll([...freqs, ONE_GHZ]);
    if (withNs !== null && withNs <= limit) {
      return new Timebase(withNs, 'least common multiple of the clocks and 1 GHz', []);
    }
    const clocksOnly = lcmAll(freqs.length > 0 ? freqs : [ONE_GHZ]);
    if (clocksOnly !== null && clocksOnly <= limit) {
      return new Timebase(clocksOnly, 'least common multiple of the clocks (nanoseconds are rounded)', []);
    }
    const warnings: string[] = [];
    for (const hz of freqs) {
      if (hz > ONE_THZ / 2) {
        throw new ConfigError(
          `clock of ${formatHz(hz)} cannot be represented: no exact tick covers ${minSeconds} s ` +
            `and with 1 ps ticks its period would round to ${Math.round(ONE_THZ / hz)} ps`,
        );
      }
      if (ONE_THZ % hz !== 0) {
        const period = Math.round(ONE_THZ / hz);
        warnings.push(
          `clock ${formatHz(hz)} is simulated at ${formatHz(ONE_THZ / period)} (period rounded to ${period} ps)`,
        );
      }
    }
    return new Timebase(ONE_THZ, `1 ps fallback: no exact tick covers ${minSeconds} s`, warnings);
  }

  /** Period of a clock in ticks: exact, or rounded to the nearest tick (never below 1). */
  periodOf(hz: number): Ticks {
    checkFrequency('clock', hz);
    const exact = this.tickHz / hz;
    if (Number.isInteger(exact)) return exact as Ticks;
    const rounded = Math.round(exact);
    if (rounded < 1) {
      throw new ConfigError(`clock of ${formatHz(hz)} is faster than the tick (${formatHz(this.tickHz)})`);
    }
    return rounded as Ticks;
  }

  /** Is a clock of `hz` exact in this timebase? */
  isExact(hz: number): boolean {
    return Number.isInteger(this.tickHz / hz);
  }

  /** Nanoseconds to ticks (rounded to the nearest tick when not exact). */
  ns(nanoseconds: number): Ticks {
    return this.fromSeconds(nanoseconds / ONE_GHZ, nanoseconds, 'ns');
  }

  /** Microseconds to ticks (rounded to the nearest tick when not exact). */
  us(microseconds: number): Ticks {
    return this.fromSeconds(microseconds / 1e6, microseconds, 'us');
  }

  /** Seconds to ticks (rounded to the nearest tick). */
  seconds(s: number): Ticks {
    return this.fromSeconds(s, s, 's');
  }

  /** Ticks to seconds (a float, for reports). */
  toSeconds(t: Ticks): number {
    return t / this.tickHz;
  }

  /** Ticks to nanoseconds (a float, for reports). */
  toNs(t: Ticks): number {
    return (t * ONE_GHZ) / this.tickHz;
  }

  /** A time for people: "12.345 ns" (three decimals, whatever the tick). */
  format(t: number): string {
    return `${((t * ONE_GHZ) / this.tickHz).toFixed(3)} ns`;
  }

  private fromSeconds(s: number, given: number, unit: string): Ticks {
    const t = Math.round(s * this.tickHz);
    if (!Number.isFinite(given) || given < 0 || t > MAX_TICKS) {
      throw new SchedulingError(`${given} ${unit} is not a representable time (0 .. 2^53 ticks)`);
    }
    return t as Ticks;
  }
}

/** A clock domain: a frequency, its period in ticks, and edge arithmetic. */
export class ClockDomain {
  /** Period in ticks. */
  readonly period: Ticks;
  /** The period is a whole number of ticks (false only in the 1 ps fallback). */
  readonly exact: boolean;

  constructor(
    readonly name: string,
    /** Frequency in Hz (a whole number). */
    readonly hz: number,
    readonly timebase: Timebase,
    private readonly clock: TimeSource,
  ) {
    this.period = timebase.periodOf(hz);
    this.exact = timebase.isExact(hz);
  }

  /** Cycles to ticks (a span). */
  toTicks(n: Cycles): Ticks {
    const t = n * this.period;
    if (!(t <= MAX_TICKS) || n < 0 || !Number.isInteger(n)) {
      throw new SchedulingError(`${n} cycles of ${this.name} is not a representable span (0 .. 2^53 ticks)`);
    }
    return t as Ticks;
  }

  /** Whole cycles in a span of ticks (rounded down). */
  toCycles(span: Ticks): Cycles {
    return Math.floor(span / this.period) as Cycles;
  }

  /** Index of the cycle under way at tick `t`: floor(t / period); cycle n starts at edge(n). */
  cycleAt(t: Ticks): Cycles {
    return Math.floor(t / this.period) as Cycles;
  }

  /** Tick of the rising edge that starts cycle `n`. */
  edge(n: Cycles): Ticks {
    return this.toTicks(n);
  }

  /** First rising edge at or after `t` (default: now). */
  nextEdge(t: Ticks = this.clock.now): Ticks {
    const r = this.phase(t);
    return (r === 0 ? t : t - r + this.period) as Ticks;
  }

  /** First rising edge strictly after `t` (default: now). */
  edgeAfter(t: Ticks = this.clock.now): Ticks {
    return (t - this.phase(t) + this.period) as Ticks;
  }

  /**
   * t mod period for whole ticks. Ticks beyond 2^31 are doubles, for which `%` is a slow
   * library call; the quotient rounded by the division is off by at most one, corrected.
   */
  private phase(t: number): number {
    const p = this.period;
    const r = t - Math.floor(t / p) * p;
    return r < 0 ? r + p : r >= p ? r - p : r;
  }

  /**
   * Ticks from now until `n` cycles after the next edge (gem5's clockEdge(n)): yield it to
   * wait `n` cycles of this clock. `delay(0)` aligns to the next edge (0 when on one).
   */
  delay(n: Cycles): Ticks {
    const now = this.clock.now;
    const r = this.phase(now);
    const align = r === 0 ? 0 : this.period - r;
    return (align + this.toTicks(n)) as Ticks;
  }
}

function checkFrequency(what: string, hz: number): void {
  if (!Number.isInteger(hz) || hz <= 0 || hz > MAX_TICKS) {
    throw new ConfigError(`${what} frequency must be a positive whole number of Hz, got ${hz}`);
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** Least common multiple, or null when it exceeds 2^53. */
function lcmAll(values: number[]): number | null {
  let acc = 1;
  for (const v of values) {
    const step = acc / gcd(acc, v);
    if (step > MAX_TICKS / v) return null;
    acc = step * v;
  }
  return acc;
}

/** "996 MHz", "1.8 GHz", "32.768 kHz". */
export function formatHz(hz: number): string {
  const units: [number, string][] = [
    [1e12, 'THz'],
    [1e9, 'GHz'],
    [1e6, 'MHz'],
    [1e3, 'kHz'],
  ];
  for (const [scale, unit] of units) {
    if (hz >= scale) return `${Number((hz / scale).toPrecision(12))} ${unit}`;
  }
  return `${hz} Hz`;
}
