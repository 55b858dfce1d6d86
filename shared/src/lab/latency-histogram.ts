/**
 * Latencies in log-spaced buckets (each 1/256 wider than the last, so a percentile is within
 * 0.4% of the exact one): memory stays the same however many requests are recorded. The
 * count, sum, minimum and maximum are exact.
 */
const BUCKETS_PER_E = 1 / Math.log1p(1 / 256);
/** Values up to about 10^9 ms (11 days) get their own bucket; longer ones share the last. */
const BUCKET_COUNT = Math.ceil(Math.log1p(1e9) * BUCKETS_PER_E) + 1;

export interface CdfPoint {
  readonly ms: number;
  /** Share of recorded values at or below `ms`, 0..1. */
  readonly fraction: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;

  record(ms: number): void {
    const index = Math.min(BUCKET_COUNT - 1, Math.floor(Math.log1p(Math.max(0, ms)) * BUCKETS_PER_E));
    this.counts[index]++;
    this.total++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  get count(): number {
    return this.total;
  }

  get meanMs(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  get maxMs(): number {
    return this.total === 0 ? 0 : this.max;
  }

  /** Nearest-rank percentile (0..100); the bucket's upper edge, kept within [min, max]. */
  percentileMs(percentile: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index++) {
      seen += this.counts[index];
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, Math.expm1((index + 1) / BUCKETS_PER_E)));
    }
    return this.max;
  }

  /** The distribution at each whole percentile, 0 to 100: what a CDF chart draws. */
  cdf(): CdfPoint[] {
    if (this.total === 0) return [];
    const points: CdfPoint[] = [{ ms: this.min, fraction: 0 }];
    for (let percentile = 1; percentile <= 100; percentile++) points.push({ ms: this.percentileMs(percentile), fraction: percentile / 100 });
    return points;
  }
}
