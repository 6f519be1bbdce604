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

  /**
   * Calls `fn` with each value and how many times it was seen: the values kept, in order of
   * arrival, or (beyond EXACT_LIMIT) each bucket's upper edge clamped to [min, max], in order.
   */
  forEachValue(fn: (value: number, count: number) => void): void {
    if (this.values !== null) {
      for (let i = 0; i < this.count; i++) fn(this.values[i]!, 1);
      return;
    }
    for (const [b, n] of [...this.histogram!.entries()].sort((x, y) => x[0] - y[0])) {
      fn(Math.min(this.max, Math.max(this.min, b === 0 ? 1 : BUCKET_RATIO ** b)), n);
    }
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

/** A histogram of equal-width bins: `edges` has one more entry than `counts` (bin i is [edges[i], edges[i+1]), the last one closed). */
export interface Histogram {
  /** The bin width, in the unit of the edges. */
  width: number;
  edges: number[];
  counts: number[];
}

/** The most bins `histogramOf` makes. */
export const HISTOGRAM_MAX_BINS = 40;

/**
 * The values of `stats` in equal-width bins, in the unit `toUnit` converts ticks to (ns for
 * the summaries). The binning depends on the values only, so it is deterministic: the width
 * is the smallest of 1, 2 and 5 × 10^k (k ≥ -3) that covers [min, max] in at most
 * HISTOGRAM_MAX_BINS bins starting at min rounded down to a multiple of the width; a value on
 * an edge counts in the bin above it, the max in the last bin. Edges are rounded to 3
 * decimals. While the values are kept each counts exactly; beyond EXACT_LIMIT each counts at
 * its log bucket's upper edge clamped to [min, max] (within 0.1 %, as the percentiles).
 * No values: no bins (`width` 0, one edge list of none).
 */
export function histogramOf(stats: LatencyStats, toUnit: (ticks: number) => number): Histogram {
  if (stats.count === 0) return { width: 0, edges: [], counts: [] };
  const lo = toUnit(stats.min);
  const hi = toUnit(stats.max);
  let width = 0.001;
  for (let k = -3; ; k++) {
    const step = [1, 2, 5].map((m) => m * 10 ** k).find((w) => Math.floor(hi / w) - Math.floor(lo / w) + 1 <= HISTOGRAM_MAX_BINS);
    if (step !== undefined) {
      width = round3(step);
      break;
    }
  }
  const first = Math.floor(lo / width);
  const bins = Math.floor(hi / width) - first + 1;
  const counts = new Array<number>(bins).fill(0);
  stats.forEachValue((ticks, n) => {
    const v = toUnit(ticks);
    counts[Math.min(bins - 1, Math.max(0, Math.floor(v / width) - first))]! += n;
  });
  const edges = Array.from({ length: bins + 1 }, (_, i) => round3((first + i) * width));
  return { width, edges, counts };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
