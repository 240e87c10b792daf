import { describe, expect, it } from "vitest";
import { bucketBounds, bucketOf, type HistogramBucket } from "@/lib/db/timing-buckets";
import { mergeBuckets, percentileFromBuckets } from "./histogram";

function histogramOf(values: number[]): HistogramBucket[] {
  return mergeBuckets(values.map((value) => ({ bucket: bucketOf(value), calls: 1 })));
}

function exactPercentile(values: number[], quantile: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)] as number;
}

describe("bucketOf and bucketBounds", () => {
  it("puts each value in the bucket whose bounds hold it, ten per decade", () => {
    for (const value of [1, 1.5, 9.99, 10, 99, 100, 412, 999, 1000, 12_345]) {
      const { lower, upper } = bucketBounds(bucketOf(value));
      expect(value).toBeGreaterThanOrEqual(lower * (1 - 1e-12));
      expect(value).toBeLessThan(upper);
    }
    expect(bucketOf(100)).toBe(20);
    expect(bucketOf(1000)).toBe(30);
    expect(bucketOf(999)).toBe(29);
  });

  it("keeps values below 1 (a 0 ms first token) in their own bucket", () => {
    expect(bucketOf(0)).toBe(-1);
    expect(bucketOf(0.4)).toBe(-1);
    expect(bucketBounds(-1)).toEqual({ lower: 0, upper: 1 });
  });
});

describe("mergeBuckets", () => {
  it("adds equal buckets, drops empty ones and sorts", () => {
    expect(
      mergeBuckets([
        { bucket: 27, calls: 2 },
        { bucket: 25, calls: 1 },
        { bucket: 27, calls: 3 },
        { bucket: 30, calls: 0 },
      ]),
    ).toEqual([
      { bucket: 25, calls: 1 },
      { bucket: 27, calls: 5 },
    ]);
  });
});

describe("percentileFromBuckets", () => {
  it("is null without calls: no data is not 0 ms", () => {
    expect(percentileFromBuckets([], 0.5)).toBeNull();
    expect(percentileFromBuckets([{ bucket: 26, calls: 0 }], 0.95)).toBeNull();
  });

  it("estimates p50 and p95 within a bucket's width of the exact value", () => {
    // A spread of first-token times like a real model's: 200 ms to 4 s.
    const values = Array.from({ length: 2_000 }, (_, index) => 200 * 20 ** (index / 1_999));
    const histogram = histogramOf(values);
    for (const quantile of [0.5, 0.95]) {
      const estimate = percentileFromBuckets(histogram, quantile) as number;
      const exact = exactPercentile(values, quantile);
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.05);
    }
  });

  it("stays inside the bucket that holds the rank", () => {
    const histogram = [
      { bucket: 20, calls: 10 },
      { bucket: 30, calls: 10 },
    ];
    const p95 = percentileFromBuckets(histogram, 0.95) as number;
    const { lower, upper } = bucketBounds(30);
    expect(p95).toBeGreaterThanOrEqual(lower);
    expect(p95).toBeLessThan(upper);
    const p25 = percentileFromBuckets(histogram, 0.25) as number;
    expect(p25).toBeGreaterThanOrEqual(bucketBounds(20).lower);
    expect(p25).toBeLessThan(bucketBounds(20).upper);
  });

  it("orders p50 before p95", () => {
    const histogram = histogramOf([300, 320, 350, 400, 420, 450, 500, 900, 2_000, 4_000]);
    const p50 = percentileFromBuckets(histogram, 0.5) as number;
    const p95 = percentileFromBuckets(histogram, 0.95) as number;
    expect(p50).toBeLessThan(p95);
  });
});
