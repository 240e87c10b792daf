/**
 * The before/after table a re-price (or its preview) shows. Pure; the result comes from
 * `POST /api/prices/reprice`.
 */
import { formatCount, formatSignedUsd, formatUsd } from "./format";
import type { RepriceResult } from "./reprice";

export interface RepriceSummaryRow {
  label: string;
  before: string;
  after: string;
  change: string;
  /** The numbers, for tests and copy. */
  beforeValue: number;
  afterValue: number;
}

export interface RepriceSummary {
  headline: string;
  rows: RepriceSummaryRow[];
}

function signedCount(value: number): string {
  return value > 0 ? `+${formatCount(value)}` : formatCount(value);
}

function signedUsd(value: number): string {
  // Float noise from summing many calls is not a change.
  if (Math.abs(value) < 1e-12) return "$0";
  return value > 0 ? `+${formatUsd(value)}` : formatSignedUsd(value);
}

export function summarizeReprice(result: RepriceResult): RepriceSummary {
  const { before, after } = result;
  const scope = [result.provider, result.model].filter(Boolean).join(" · ");
  const verb = result.dryRun ? "would change" : "changed";
  return {
    headline: `${formatCount(result.changedCalls)} of ${formatCount(result.calls)} recorded calls ${verb}${scope ? ` (${scope})` : ""}.`,
    rows: [
      {
        label: "Cost",
        before: formatUsd(before.costUsd),
        after: formatUsd(after.costUsd),
        change: signedUsd(after.costUsd - before.costUsd),
        beforeValue: before.costUsd,
        afterValue: after.costUsd,
      },
      {
        label: "Saved by caching",
        before: formatSignedUsd(before.savingsUsd),
        after: formatSignedUsd(after.savingsUsd),
        change: signedUsd(after.savingsUsd - before.savingsUsd),
        beforeValue: before.savingsUsd,
        afterValue: after.savingsUsd,
      },
      {
        label: "Unpriced calls",
        before: formatCount(before.unpricedCalls),
        after: formatCount(after.unpricedCalls),
        change: signedCount(after.unpricedCalls - before.unpricedCalls),
        beforeValue: before.unpricedCalls,
        afterValue: after.unpricedCalls,
      },
    ],
  };
}
