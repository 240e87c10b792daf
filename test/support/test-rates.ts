/**
 * Price rates shared by the lib/ui tests: gpt-4o-mini's shape, $0.15 in, $0.60 out, cache
 * reads at half price, no cache writes.
 */
import type { Price } from "@/lib/pricing/types";

export const GPT_4O_MINI_RATES: Price["rates"] = {
  inputPerMillion: 0.15,
  outputPerMillion: 0.6,
  cacheReadPerMillion: 0.075,
  cacheWritePerMillion: null,
  cacheWrite5mPerMillion: null,
  cacheWrite1hPerMillion: null,
};
