/**
 * The sums a usage report is made of (`GET /api/usage` totals and groups), with their zero and
 * their addition. Plain data, no I/O: the dashboard's client-side preparers import it too.
 */

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Sum over priced calls only; `unpricedCalls` says how many are missing from it. */
  costUsd: number;
  savingsUsd: number;
  unpricedCalls: number;
  errorCalls: number;
  /**
   * Calls that ended without the provider reporting usage (say, failed before it answered).
   * Their cost is unknown, so they are among `unpricedCalls` too, even when the model has a
   * price; this tells the two apart.
   */
  usageMissingCalls: number;
}

export function emptyUsageTotals(): UsageTotals {
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
  };
}

/** The fields of `UsageTotals`, each a sum that adds up across rows. */
export const USAGE_TOTAL_FIELDS = Object.keys(emptyUsageTotals()) as ReadonlyArray<
  keyof UsageTotals
>;
