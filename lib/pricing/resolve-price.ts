/**
 * Which price applies to a call: an override entered by a person, else the bundled
 * genai-prices data, else "local" for models that run on this machine, else unpriced.
 */
import { isLocalProvider } from "@/lib/models/providers";
import { findBundledPrice } from "./bundled-prices";
import type { Price, PriceOverride, PriceResolution } from "./types";

const patternCache = new Map<string, RegExp>();

function patternRegExp(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    compiled = new RegExp(`^${body}$`, "i");
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

export function isExactPattern(pattern: string): boolean {
  return !pattern.includes("*");
}

export function modelMatchesPattern(options: { pattern: string; modelId: string }): boolean {
  if (isExactPattern(options.pattern)) {
    return options.pattern.toLowerCase() === options.modelId.toLowerCase();
  }
  return patternRegExp(options.pattern).test(options.modelId);
}

/**
 * The override in force at `at`: an exact model id beats a pattern; among equals, the latest
 * `effectiveFrom` not after `at` wins (then the latest entered).
 */
export function findOverride(options: {
  provider: string;
  modelId: string;
  at: Date;
  overrides: readonly PriceOverride[];
}): PriceOverride | null {
  const atMs = options.at.getTime();
  const provider = options.provider.toLowerCase();
  let best: PriceOverride | null = null;
  let bestExact = false;
  for (const override of options.overrides) {
    if (override.provider.toLowerCase() !== provider) continue;
    if (override.effectiveFrom.getTime() > atMs) continue;
    if (!modelMatchesPattern({ pattern: override.modelPattern, modelId: options.modelId }))
      continue;
    const exact = isExactPattern(override.modelPattern);
    if (
      best === null ||
      (exact && !bestExact) ||
      (exact === bestExact &&
        (override.effectiveFrom.getTime() > best.effectiveFrom.getTime() ||
          (override.effectiveFrom.getTime() === best.effectiveFrom.getTime() &&
            override.createdAt.getTime() > best.createdAt.getTime())))
    ) {
      best = override;
      bestExact = exact;
    }
  }
  return best;
}

export function overridePrice(override: PriceOverride): Price {
  return {
    rates: {
      inputPerMillion: override.inputPerMillion,
      outputPerMillion: override.outputPerMillion,
      cacheReadPerMillion: override.cacheReadPerMillion,
      cacheWritePerMillion: override.cacheWritePerMillion,
      cacheWrite5mPerMillion: override.cacheWrite5mPerMillion,
      cacheWrite1hPerMillion: override.cacheWrite1hPerMillion,
    },
    tiers: [],
  };
}

export function resolvePrice(options: {
  provider: string;
  modelId: string;
  at: Date;
  overrides: readonly PriceOverride[];
}): PriceResolution {
  const override = findOverride(options);
  if (override) {
    return { status: "priced", price: overridePrice(override), source: `override:${override.id}` };
  }
  if (isLocalProvider(options.provider)) return { status: "local", source: "local" };
  const bundled = findBundledPrice(options);
  if (bundled) return { status: "priced", price: bundled.price, source: bundled.source };
  return { status: "unpriced", source: null };
}
