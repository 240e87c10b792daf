/**
 * The bucket layout of the timing histograms `timing_daily` stores: bucket `b` holds values in
 * `[10^(b/10), 10^((b+1)/10))`, ten buckets per decade, each about 26% wide; bucket `-1` holds
 * values below 1. The SQL view `call_rollup_contributions` (migration 0006) computes the same
 * `floor(10 * log10(value))`, so the layout is the store's, and reports read it from here.
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
