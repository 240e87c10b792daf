/**
 * The rows the dashboard queries return and the preparers read: plain data, no I/O, safe to
 * import anywhere.
 */
import { emptyUsageTotals, USAGE_TOTAL_FIELDS, type UsageTotals } from "@/lib/db/usage-totals";

/** The `/api/usage` totals plus what the dashboard needs to tell missing from zero. */
export interface UsageSums extends UsageTotals {
  /** Calls that reported a cache-read count (0 included), and their input tokens. */
  cacheReportedCalls: number;
  cacheReportedInputTokens: number;
}

/** One model on one UTC day. */
export interface ModelDayUsage extends UsageSums {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  provider: string;
  model: string;
}

export type TimingMetric = "ttft" | "tps";

/** A histogram bucket of one model's timings over the whole range (lib/reports/histogram.ts). */
export interface TimingBucketRow {
  model: string;
  provider: string;
  metric: TimingMetric;
  bucket: number;
  calls: number;
}

export interface TopRunRow {
  runId: string;
  title: string;
  /** Epoch ms of the run's first call. */
  startedAt: number;
  calls: number;
  /** The whole run's cost over priced calls. */
  costUsd: number;
  unpricedCalls: number;
  models: string[];
}

export function emptySums(): UsageSums {
  return { ...emptyUsageTotals(), cacheReportedCalls: 0, cacheReportedInputTokens: 0 };
}

const SUM_FIELDS: ReadonlyArray<keyof UsageSums> = [
  ...USAGE_TOTAL_FIELDS,
  "cacheReportedCalls",
  "cacheReportedInputTokens",
];

export function addSums(target: UsageSums, source: UsageSums): void {
  for (const field of SUM_FIELDS) target[field] += source[field];
}
