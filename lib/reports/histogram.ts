/**
 * Percentiles of call timings read from the log-scale histograms of `timing_daily` (layout in
 * `lib/db/timing-buckets.ts`), interpolating log-linearly inside the bucket where the rank
 * falls, so a reported p95 is an estimate within its bucket (at most about ±13% of the true
 * value, usually much closer), which is what a dashboard of a million calls needs; the exact
 * per-call numbers stay in `calls` and the CSV export.
 */
import { bucketBounds, type HistogramBucket } from "@/lib/db/timing-buckets";

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
