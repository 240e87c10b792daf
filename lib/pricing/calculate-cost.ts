/**
 * The cost formula of usage-semantics.md, over normalized usage (`inputTokens` includes cache
 * reads and writes; `outputTokens` includes reasoning). Pure: no I/O, no clock.
 */
import type { Usage } from "@/lib/models/types";
import type { CostBreakdown, Price, TokenRates } from "./types";

const PER_MILLION = 1_000_000;

/**
 * The tier is picked by the inclusive `inputTokens`; a tier applies strictly above its
 * threshold (Anthropic: "requests that exceed 200K input tokens"), as genai-prices does.
 */
export function selectRates(
  price: Price,
  inputTokens: number,
): { rates: TokenRates; tierIndex: number | null } {
  let selected: { rates: TokenRates; tierIndex: number | null } = {
    rates: price.rates,
    tierIndex: null,
  };
  price.tiers.forEach((tier, index) => {
    if (inputTokens > tier.aboveInputTokens) selected = { rates: tier.rates, tierIndex: index };
  });
  return selected;
}

/**
 * Returns `null` when the usage cannot be priced (input or output count unknown): a call with
 * unknown usage is "unpriced", never $0. Unknown cache counts mean nothing was cached.
 */
export function calculateCost(options: { usage: Usage; price: Price }): CostBreakdown | null {
  const { usage, price } = options;
  if (usage.inputTokens === null || usage.outputTokens === null) return null;
  const inputTokens = usage.inputTokens;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite5m = usage.cacheWrite5mTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hTokens ?? 0;
  const { rates, tierIndex } = selectRates(price, inputTokens);

  const inputRate = rates.inputPerMillion;
  const cacheReadRate = rates.cacheReadPerMillion ?? inputRate;
  const cacheWriteRate = rates.cacheWritePerMillion ?? inputRate;
  const cacheWrite5mRate = rates.cacheWrite5mPerMillion ?? cacheWriteRate;
  const cacheWrite1hRate = rates.cacheWrite1hPerMillion ?? cacheWriteRate;

  // Negative only when an adapter broke `cacheRead + cacheWrite <= input`; never bill below 0.
  const uncached = Math.max(0, inputTokens - cacheRead - cacheWrite);
  const unsplitWrite = Math.max(0, cacheWrite - cacheWrite5m - cacheWrite1h);

  const inputUsd = (uncached * inputRate) / PER_MILLION;
  const cacheReadUsd = (cacheRead * cacheReadRate) / PER_MILLION;
  const cacheWriteUsd =
    (cacheWrite5m * cacheWrite5mRate +
      cacheWrite1h * cacheWrite1hRate +
      unsplitWrite * cacheWriteRate) /
    PER_MILLION;
  const outputUsd = (usage.outputTokens * rates.outputPerMillion) / PER_MILLION;
  const totalUsd = inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd;
  const withoutCacheUsd = (inputTokens * inputRate) / PER_MILLION + outputUsd;

  return {
    inputUsd,
    cacheReadUsd,
    cacheWriteUsd,
    outputUsd,
    totalUsd,
    savingsUsd: withoutCacheUsd - totalUsd,
    tierIndex,
  };
}
