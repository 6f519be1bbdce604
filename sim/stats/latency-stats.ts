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
  private values: number[] | null = [];
  private histogram: Map<number, number> | null = null;

  add(v: number): void {
    this.count++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.sum += v;
    if (this.values !== null) {
      this.values.push(v);
      if (this.values.length > EXACT_LIMIT) {
        this.histogram = new Map();
        for (const x of this.values) this.bin(x);
        this.values = null;
      }
    } else {
      this.bin(v);
    }
  }

  /** Numbers held for the percentiles: the values while kept, else the buckets in use. */
  get held(): number {
    return this.values !== null ? this.values.length : this.histogram!.size;
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
      const sorted = [...this.values].sort((a, b) => a - b);
      return sorted[rank - 1]!;
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
