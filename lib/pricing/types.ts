/** Prices in USD per million tokens, and what a call cost under them. */

export interface TokenRates {
  inputPerMillion: number;
  outputPerMillion: number;
  /** `null`: the provider has no cache-read rate; cached tokens are billed as input. */
  cacheReadPerMillion: number | null;
  /** `null`: no cache-write rate; written tokens are billed as input. */
  cacheWritePerMillion: number | null;
  /** `null`: 5-minute writes are billed at `cacheWritePerMillion`. */
  cacheWrite5mPerMillion: number | null;
  /** `null`: 1-hour writes are billed at `cacheWritePerMillion`. */
  cacheWrite1hPerMillion: number | null;
}

export interface PriceTier {
  /** The tier applies when a call's `inputTokens` (cache included) is above this. */
  aboveInputTokens: number;
  rates: TokenRates;
}

export interface Price {
  rates: TokenRates;
  /** Ascending by threshold; all rates of a call switch together. */
  tiers: PriceTier[];
}

/** The structural shape of a `price_overrides` row, so pricing stays free of the database. */
export interface PriceOverride {
  id: string;
  provider: string;
  /** Exact model id, or a pattern where `*` matches any run of characters. */
  modelPattern: string;
  inputPerMillion: number;
  outputPerMillion: number;
  cacheReadPerMillion: number | null;
  cacheWritePerMillion: number | null;
  cacheWrite5mPerMillion: number | null;
  cacheWrite1hPerMillion: number | null;
  effectiveFrom: Date;
  createdAt: Date;
  note: string | null;
}

export type PriceResolution =
  /** `source` is `override:<id>` or `genai-prices@<version>:<provider>/<model>`. */
  | { status: "priced"; price: Price; source: string }
  | { status: "local"; source: "local" }
  | { status: "unpriced"; source: null };

export interface CostBreakdown {
  /** Uncached input tokens at the input rate. */
  inputUsd: number;
  cacheReadUsd: number;
  cacheWriteUsd: number;
  /** Output tokens, reasoning included, at the output rate. */
  outputUsd: number;
  totalUsd: number;
  /** The same call with no cache minus its actual cost; negative when writes cost more. */
  savingsUsd: number;
  /** Index into `Price.tiers` of the tier applied, or `null` for the base rates. */
  tierIndex: number | null;
}

/** What is stored with a finished call. */
export interface CallPricing {
  /** `unpriced`: usage reported, no price known; `usage_missing`: no usage to price. */
  pricingStatus: "priced" | "local" | "unpriced" | "usage_missing";
  priceSource: string | null;
  costUsd: number | null;
  costInputUsd: number | null;
  costCacheReadUsd: number | null;
  costCacheWriteUsd: number | null;
  costOutputUsd: number | null;
  savingsUsd: number | null;
}
