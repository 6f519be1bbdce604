// Statistics of a stream of non-negative numbers (latencies, intervals, in ticks) in bounded
// memory: the values themselves while there are at most EXACT_LIMIT of them, a log-spaced
// histogram after. The scenario engine's metrics (scenario-engine/metrics.ts) and the apps'
// message log (firmware/apps/measure.ts) both summarise with it.
//
// Exact: count, min, max and the sum (so the mean) always; p50 and p99 while the values are
// kept. Approximate beyond EXACT_LIMIT values: a percentile is the upper edge of the bucket
// its nearest rank falls in (buckets 0.1 % wide), clamped to [min, max], so it is the exact
// value or above it by less than 0.1 %; values of at most 1 share one bucket, reported as 1
// (no latency is that short: a message's path takes many cycles, each at least a tick). Memory: at most
// EXACT_LIMIT numbers, then one entry per bucket in use (about 2,300 buckets per decade of
// 10: ln 10 / ln 1.001), whatever the count.

/** Values kept exactly; one more turns the statistics into a histogram for good. */
export const EXACT_LIMIT = 100_000;

/** Ratio of a histogram bucket's upper edge to its lower edge (0.1 % wide). */
export const BUCKET_RATIO = 1.001;

export interface StatsSummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
  /** True while the values are kept (p50, p99 exact); false once summarised in the histogram. */
  exact: boolean;
}

/**
 * Exact statistics while small; bounded memory after: beyond EXACT_LIMIT values, p50/p99
 * come from a log-spaced histogram (buckets 0.1 % wide, the value reported being the
 * bucket's upper edge, clamped to the exact min and max), and min, mean and max stay exact.
 */
export class LatencyStats {
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  /**
   * The values while kept: the first `count` of a Float64Array that doubles as it fills
   * (8 bytes a value, outside V8's object heap once large: 100,000 of them as a JS array of
   * numbers made the heap, and with it the RSS of a long ping-pong, grow by far more).
   */
  private values: Float64Array | null = new Float64Array(16);
  private histogram: Map<number, number> | null = null;

  add(v: number): void {
    const n = this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.sum += v;
    let values = this.values;
    if (values === null) {
      this.bin(v);
      return;
    }
    if (n === EXACT_LIMIT) {
      this.histogram = new Map();
      for (let i = 0; i < n; i++) this.bin(values[i]!);
      this.bin(v);
      this.values = null;
      return;
    }
    if (n === values.length) {
      const grown = new Float64Array(Math.min(2 * n, EXACT_LIMIT));
      grown.set(values);
      this.values = values = grown;
    }
    values[n] = v;
  }

  /** Numbers held for the percentiles: the values while kept, else the buckets in use. */
  get held(): number {
    return this.values !== null ? this.count : this.histogram!.size;
  }

  private bin(v: number): void {
    const b = v <= 1 ? 0 : Math.ceil(Math.log(v) / Math.log(BUCKET_RATIO));
    this.histogram!.set(b, (this.histogram!.get(b) ?? 0) + 1);
  }

  /** Percentile by nearest rank (exact while values are kept, else within 0.1 % above). */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(p * this.count));
    if (this.values !== null) {
      // A typed array sorts numerically (no comparator); the copy leaves the values in order of arrival.
      return this.values.slice(0, this.count).sort()[rank - 1]!;
    }
    let seen = 0;
    for (const [b, n] of [...this.histogram!.entries()].sort((x, y) => x[0] - y[0])) {
      seen += n;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, b === 0 ? 1 : BUCKET_RATIO ** b));
    }
    return this.max;
  }

  summary(): StatsSummary {
    return {
      count: this.count,
      min: this.count === 0 ? NaN : this.min,
      mean: this.count === 0 ? NaN : this.sum / this.count,
      p50: this.percentile(0.5),
      p99: this.percentile(0.99),
      max: this.count === 0 ? NaN : this.max,
      exact: this.values !== null,
    };
  }
}
