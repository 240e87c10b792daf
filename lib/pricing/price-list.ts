/**
 * The effective price of each known model at a moment, for `GET /api/prices`.
 */
import { knownModelIds } from "@/lib/models/metadata";
import { resolvePrice } from "./resolve-price";
import type { PriceOverride, PriceTier, TokenRates } from "./types";

/** Model families of `lib/models/metadata.ts` and the provider that serves them here. */
const FAMILY_PROVIDERS: ReadonlyArray<[family: string, provider: string]> = [
  ["openai", "openai"],
  ["anthropic", "anthropic"],
  ["cohere", "oci"],
  ["meta", "oci"],
  ["google", "oci"],
  ["xai", "oci"],
];

/** Every `provider:model` string the library knows, plus the given extra ones. */
export function knownModelStrings(extra: readonly string[] = []): string[] {
  const models = FAMILY_PROVIDERS.flatMap(([family, provider]) =>
    knownModelIds(family).map((modelId) => `${provider}:${modelId}`),
  );
  return [...new Set([...models, ...extra])];
}

export interface EffectivePrice {
  model: string;
  provider: string;
  modelId: string;
  status: "priced" | "local" | "unpriced";
  source: string | null;
  rates: TokenRates | null;
  tiers: PriceTier[];
}

export function effectivePrice(options: {
  model: string;
  at: Date;
  overrides: readonly PriceOverride[];
}): EffectivePrice {
  const colon = options.model.indexOf(":");
  const provider = colon === -1 ? "" : options.model.slice(0, colon);
  const modelId = colon === -1 ? options.model : options.model.slice(colon + 1);
  const resolution = resolvePrice({
    provider,
    modelId,
    at: options.at,
    overrides: options.overrides,
  });
  return {
    model: options.model,
    provider,
    modelId,
    status: resolution.status,
    source: resolution.source,
    rates: resolution.status === "priced" ? resolution.price.rates : null,
    tiers: resolution.status === "priced" ? resolution.price.tiers : [],
  };
}
