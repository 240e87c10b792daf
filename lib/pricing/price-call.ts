import type { Usage } from "@/lib/models/types";
import { calculateCost } from "./calculate-cost";
import { resolvePrice } from "./resolve-price";
import type { CallPricing, PriceOverride } from "./types";

const UNPRICED_COST = {
  costUsd: null,
  costInputUsd: null,
  costCacheReadUsd: null,
  costCacheWriteUsd: null,
  costOutputUsd: null,
  savingsUsd: null,
} as const;

/**
 * Prices one finished call from the price in force when it started. A local model costs 0
 * whatever its usage (it is free even when the server reported no counts); any other call
 * whose input or output count is unknown is `usage_missing` (never $0, and not `unpriced`,
 * which means a reported usage with no price to apply).
 */
export function priceCall(options: {
  provider: string;
  modelId: string;
  at: Date;
  usage: Usage | null;
  overrides: readonly PriceOverride[];
}): CallPricing {
  const resolution = resolvePrice(options);
  if (resolution.status === "local") {
    return {
      pricingStatus: "local",
      priceSource: resolution.source,
      costUsd: 0,
      costInputUsd: 0,
      costCacheReadUsd: 0,
      costCacheWriteUsd: 0,
      costOutputUsd: 0,
      savingsUsd: 0,
    };
  }
  const usageKnown =
    options.usage !== null &&
    options.usage.inputTokens !== null &&
    options.usage.outputTokens !== null;
  // Checked before the price: a call with nothing to price is not a missing-price problem.
  if (!usageKnown) {
    return {
      pricingStatus: "usage_missing",
      priceSource: resolution.status === "priced" ? resolution.source : null,
      ...UNPRICED_COST,
    };
  }
  if (resolution.status === "unpriced") {
    return { pricingStatus: "unpriced", priceSource: null, ...UNPRICED_COST };
  }
  const cost = options.usage
    ? calculateCost({ usage: options.usage, price: resolution.price })
    : null;
  if (!cost) return { pricingStatus: "unpriced", priceSource: resolution.source, ...UNPRICED_COST };
  return {
    pricingStatus: "priced",
    priceSource: resolution.source,
    costUsd: cost.totalUsd,
    costInputUsd: cost.inputUsd,
    costCacheReadUsd: cost.cacheReadUsd,
    costCacheWriteUsd: cost.cacheWriteUsd,
    costOutputUsd: cost.outputUsd,
    savingsUsd: cost.savingsUsd,
  };
}
