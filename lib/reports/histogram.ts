/**
 * Log-scale histograms of call timings, the shape `timing_daily` stores: bucket `b` holds
 * values in `[10^(b/10), 10^((b+1)/10))`, ten buckets per decade, each about 26% wide; bucket
 * `-1` holds values below 1. The SQL view `call_rollup_contributions` (migration 0006)
 * computes the same `floor(10 * log10(value))`.
 *
 * Percentiles are read from these buckets, interpolating log-linearly inside the bucket
 * where the rank falls, so a reported p95 is an estimate within its bucket (at most about
 * ±13% of the true value, usually much closer), which is what a dashboard of a million
 * calls needs; the exact per-call numbers stay in `calls` and the CSV export.
 */

export const BUCKETS_PER_DECADE = 10;

export interface HistogramBucket {
  bucket: number;
  calls: number;
}

/** The bucket a value falls in; `-1` for values below 1 (a 0 ms first token, say). */
export function bucketOf(value: number): number {
  if (!(value >= 1)) return -1;
  return Math.floor(BUCKETS_PER_DECADE * Math.log10(value));
}

/** `[lower, upper)` of a bucket; bucket `-1` is `[0, 1)`. */
export function bucketBounds(bucket: number): { lower: number; upper: number } {
  if (bucket < 0) return { lower: 0, upper: 1 };
  return {
    lower: 10 ** (bucket / BUCKETS_PER_DECADE),
    upper: 10 ** ((bucket + 1) / BUCKETS_PER_DECADE),
  };
}

/** Adds buckets of the same number together (several days, or rollup plus edge calls). */
export function mergeBuckets(buckets: Iterable<HistogramBucket>): HistogramBucket[] {
  const byBucket = new Map<number, number>();
  for (const { bucket, calls } of buckets) {
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + calls);
  }
  return [...byBucket.entries()]
    .filter(([, calls]) => calls > 0)
    .sort(([left], [right]) => left - right)
    .map(([bucket, calls]) => ({ bucket, calls }));
}

/**
 * The `quantile` (0 < q ≤ 1) of the values counted in `buckets`, or `null` when there are
 * none: no calls is "no data", never 0 ms. Within the bucket that holds the rank, values are
 * taken as spread evenly on a log scale (linearly for bucket -1).
 */
export function percentileFromBuckets(
  buckets: readonly HistogramBucket[],
  quantile: number,
): number | null {
  const merged = mergeBuckets(buckets);
  const total = merged.reduce((sum, entry) => sum + entry.calls, 0);
  if (total === 0) return null;
  const rank = Math.min(Math.max(quantile, 0), 1) * total;
  let below = 0;
  for (const entry of merged) {
    if (below + entry.calls >= rank) {
      const fraction = Math.min(Math.max((rank - below) / entry.calls, 0), 1);
      const { lower, upper } = bucketBounds(entry.bucket);
      if (entry.bucket < 0) return lower + (upper - lower) * fraction;
      return lower * (upper / lower) ** fraction;
    }
    below += entry.calls;
  }
  const last = merged.at(-1);
  return last ? bucketBounds(last.bucket).upper : null;
}
