/**
 * The rows the dashboard queries return and the preparers read: plain data, no I/O, safe to
 * import anywhere.
 */
import type { UsageTotals } from "@/lib/db/queries";

/** The `/api/usage` totals plus what the dashboard needs to tell missing from zero. */
export interface UsageSums extends UsageTotals {
  /** Finished calls that reported no usage: their tokens are unknown. */
  usageMissingCalls: number;
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

const SUM_FIELDS = [
  "calls",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costUsd",
  "savingsUsd",
  "unpricedCalls",
  "errorCalls",
  "usageMissingCalls",
  "cacheReportedCalls",
  "cacheReportedInputTokens",
] as const satisfies ReadonlyArray<keyof UsageSums>;

export function emptySums(): UsageSums {
  return {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    savingsUsd: 0,
    unpricedCalls: 0,
    errorCalls: 0,
    usageMissingCalls: 0,
    cacheReportedCalls: 0,
    cacheReportedInputTokens: 0,
  };
}

export function addSums(target: UsageSums, source: UsageSums): void {
  for (const field of SUM_FIELDS) target[field] += source[field];
}
