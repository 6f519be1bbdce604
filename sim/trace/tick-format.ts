// Exact tick -> decimal conversions for the trace writers. A tick is 1/tickHz s and is
// rarely a whole number of any decimal unit (996 GHz: about 1.004 ps), so every conversion
// goes through BigInt and rounds half up once, at the end: the same tick always gives the
// same text on every machine, and no float error accumulates over a long run.

const POWERS_OF_TEN: bigint[] = [];
for (let n = 0, p = 1n; n <= 40; n++, p *= 10n) POWERS_OF_TEN.push(p);

/** 10^n as a BigInt (0 <= n <= 40: every unit a trace uses, with its decimals). */
export function pow10(n: number): bigint {
  return POWERS_OF_TEN[n] ?? 10n ** BigInt(n);
}

/**
 * `t` ticks in units of 10^-exponent s (exponent 6: µs, 9: ns, 15: fs), rounded half up
 * to a whole number of units.
 */
export function ticksToUnits(t: number, tickHz: number, exponent: number): bigint {
  const hz = BigInt(tickHz);
  return (2n * BigInt(t) * pow10(exponent) + hz) / (2n * hz);
}

/** `t` ticks as a decimal number of 10^-exponent s with `decimals` digits after the point. */
export function ticksToDecimal(t: number, tickHz: number, exponent: number, decimals: number): string {
  return fixedPoint(ticksToUnits(t, tickHz, exponent + decimals), decimals);
}

/** A scaled integer as text: 1234567n with 3 decimals -> "1234.567". */
export function fixedPoint(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const text = decimals === 0 ? whole : `${whole}.${digits.slice(digits.length - decimals)}`;
  return negative ? `-${text}` : text;
}

/** "1.500" -> "1.5", "2.000" -> "2". */
export function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/\.?0+$/, '');
}

/**
 * Decimals of a unit of 10^-exponent s needed so that one step of the last digit is no
 * longer than a tick: distinct ticks then print as distinct numbers (µs at 996 GHz: 6).
 */
export function decimalsForTick(tickHz: number, exponent: number): number {
  let decimals = 0;
  // step = 10^-(exponent + decimals) s must be <= 1/tickHz, i.e. 10^(exponent+decimals) >= tickHz
  while (10 ** (exponent + decimals) < tickHz) decimals++;
  return decimals;
}

/**
 * Formats ticks as a decimal of 10^-exponent s, remembering the last tick: a writer turns
 * several events of the same tick into text one after another, and BigInt is not free.
 */
export class TickFormatter {
  private lastT = -1;
  private lastText = '';

  constructor(
    private readonly tickHz: number,
    private readonly exponent: number,
    private readonly decimals: number,
    private readonly trim: boolean,
  ) {}

  format(t: number): string {
    if (t !== this.lastT) {
      const text = ticksToDecimal(t, this.tickHz, this.exponent, this.decimals);
      this.lastText = this.trim ? trimZeros(text) : text;
      this.lastT = t;
    }
    return this.lastText;
  }
}
