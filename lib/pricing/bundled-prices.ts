/**
 * Prices from the data bundled in `@pydantic/genai-prices`. The package only fetches when
 * `updatePrices()` installs a fetcher; nothing here calls it, so prices never change at run
 * time (and a price test never depends on the network). Upgrading the package is how the
 * data is refreshed; the version is part of every stored price source.
 */
import {
  type ConditionalPrice,
  calcPrice,
  type ModelInfo,
  type ModelPrice,
  type TieredPrices,
} from "@pydantic/genai-prices";
import type { Price, TokenRates } from "./types";

/** Kept equal to the installed package by a test (bundled-prices.test.ts). */
export const GENAI_PRICES_VERSION = "0.1.8";

/** Our provider ids that genai-prices knows, and its id for each. */
const BUNDLED_PROVIDER_IDS: Readonly<Record<string, string>> = {
  openai: "openai",
  anthropic: "anthropic",
};

interface BundledModel {
  providerId: string;
  model: ModelInfo;
}

// Matching a model id walks every pattern of the provider (about 50 µs); the recorder prices
// thousands of calls a second, so each (provider, model) is matched once per process.
const modelCache = new Map<string, BundledModel | null>();
const convertedPrices = new WeakMap<ModelPrice, Price | null>();

function findBundledModel(provider: string, modelId: string): BundledModel | null {
  const providerId = BUNDLED_PROVIDER_IDS[provider];
  if (providerId === undefined) return null;
  const key = `${providerId}\u0000${modelId}`;
  const cached = modelCache.get(key);
  if (cached !== undefined) return cached;
  let found: BundledModel | null = null;
  try {
    const result = calcPrice({}, modelId, { providerId });
    if (result) found = { providerId: result.provider.id, model: result.model };
  } catch {
    // A data inconsistency inside the package for this model: treat it as unknown.
    found = null;
  }
  modelCache.set(key, found);
  return found;
}

function isConstraintInForce(entry: ConditionalPrice, at: Date): boolean {
  const constraint = entry.constraint;
  if (constraint === undefined) return true;
  if (constraint.type === "start_date") return at >= new Date(constraint.start_date);
  const secondOfDay =
    at.getUTCHours() * 3600 +
    at.getUTCMinutes() * 60 +
    at.getUTCSeconds() +
    at.getUTCMilliseconds() / 1000;
  const start = secondsOfDay(constraint.start_time);
  const end = secondsOfDay(constraint.end_time);
  if (start === null || end === null) return false;
  return end < start
    ? secondOfDay >= start || secondOfDay < end
    : secondOfDay >= start && secondOfDay < end;
}

/** `HH:MM:SS[.fff](Z|±HH:MM)` → seconds after UTC midnight. */
function secondsOfDay(value: string): number | null {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(value);
  if (!match) return null;
  const [
    ,
    hours,
    minutes,
    seconds,
    fraction = "",
    zone,
    sign,
    offsetHours = "0",
    offsetMinutes = "0",
  ] = match;
  const local =
    Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds) + Number(`0.${fraction || "0"}`);
  const offset =
    zone === "Z"
      ? 0
      : (sign === "-" ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  return (((local - offset) % 86_400) + 86_400) % 86_400;
}

/** The price entry in force at `at`: the last entry whose constraint holds (the package's rule). */
export function selectModelPrice(model: ModelInfo, at: Date): ModelPrice {
  if (!Array.isArray(model.prices)) return model.prices;
  for (let index = model.prices.length - 1; index >= 0; index--) {
    const entry = model.prices[index];
    if (entry && isConstraintInForce(entry, at)) return entry.prices;
  }
  const first = model.prices[0];
  return first ? first.prices : {};
}

type PriceValue = number | TieredPrices | undefined;

function isTiered(value: PriceValue): value is TieredPrices {
  return typeof value === "object" && value !== null;
}

/** The rate a key has for calls just above `threshold` (`null` threshold: the base rate). */
function rateAt(value: PriceValue, threshold: number | null): number | null {
  if (value === undefined) return null;
  if (!isTiered(value)) return value;
  let rate = value.base;
  if (threshold === null) return rate;
  for (const tier of [...value.tiers].sort((left, right) => left.start - right.start)) {
    if (tier.start <= threshold) rate = tier.price;
  }
  return rate;
}

const RATE_KEYS = {
  inputPerMillion: "input_mtok",
  outputPerMillion: "output_mtok",
  cacheReadPerMillion: "cache_read_mtok",
  cacheWritePerMillion: "cache_write_mtok",
  cacheWrite5mPerMillion: "cache_write_5m_mtok",
  cacheWrite1hPerMillion: "cache_write_1h_mtok",
} as const;

function ratesAt(modelPrice: ModelPrice, threshold: number | null): TokenRates | null {
  const input = rateAt(modelPrice[RATE_KEYS.inputPerMillion], threshold);
  const output = rateAt(modelPrice[RATE_KEYS.outputPerMillion], threshold);
  // A model without both text rates (embeddings, audio) is not priced as a chat call.
  if (input === null || output === null) return null;
  return {
    inputPerMillion: input,
    outputPerMillion: output,
    cacheReadPerMillion: rateAt(modelPrice[RATE_KEYS.cacheReadPerMillion], threshold),
    cacheWritePerMillion: rateAt(modelPrice[RATE_KEYS.cacheWritePerMillion], threshold),
    cacheWrite5mPerMillion: rateAt(modelPrice[RATE_KEYS.cacheWrite5mPerMillion], threshold),
    cacheWrite1hPerMillion: rateAt(modelPrice[RATE_KEYS.cacheWrite1hPerMillion], threshold),
  };
}

/**
 * genai-prices tiers each key separately; ours switch all rates together, so the thresholds
 * of every key are merged and each tier carries every key's rate above that threshold.
 */
export function convertModelPrice(modelPrice: ModelPrice): Price | null {
  const cached = convertedPrices.get(modelPrice);
  if (cached !== undefined) return cached;
  const base = ratesAt(modelPrice, null);
  let price: Price | null = null;
  if (base) {
    const thresholds = new Set<number>();
    for (const key of Object.values(RATE_KEYS)) {
      const value = modelPrice[key];
      if (isTiered(value)) for (const tier of value.tiers) thresholds.add(tier.start);
    }
    const tiers = [...thresholds]
      .sort((left, right) => left - right)
      .flatMap((threshold) => {
        const rates = ratesAt(modelPrice, threshold);
        return rates ? [{ aboveInputTokens: threshold, rates }] : [];
      });
    price = { rates: base, tiers };
  }
  convertedPrices.set(modelPrice, price);
  return price;
}

/** The bundled price of a model at a time, or `null` when the data has none. */
export function findBundledPrice(options: {
  provider: string;
  modelId: string;
  at: Date;
}): { price: Price; source: string } | null {
  const bundled = findBundledModel(options.provider, options.modelId);
  if (!bundled) return null;
  const price = convertModelPrice(selectModelPrice(bundled.model, options.at));
  if (!price) return null;
  return {
    price,
    source: `genai-prices@${GENAI_PRICES_VERSION}:${bundled.providerId}/${bundled.model.id}`,
  };
}
