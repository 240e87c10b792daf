import { calcPrice } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import type { Usage } from "@/lib/models/types";
import { emptyUsage } from "@/lib/models/usage";
import { findBundledPrice } from "./bundled-prices";
import { calculateCost } from "./calculate-cost";
import type { Price, TokenRates } from "./types";

function usage(values: Partial<Usage>): Usage {
  return { ...emptyUsage(), ...values };
}

function rates(values: Partial<TokenRates>): TokenRates {
  return {
    inputPerMillion: 3,
    outputPerMillion: 15,
    cacheReadPerMillion: 0.3,
    cacheWritePerMillion: 3.75,
    cacheWrite5mPerMillion: null,
    cacheWrite1hPerMillion: 6,
    ...values,
  };
}

function bundled(provider: string, modelId: string): Price {
  const found = findBundledPrice({ provider, modelId, at: new Date("2026-01-15T00:00:00Z") });
  if (!found) throw new Error(`no bundled price for ${provider}:${modelId}`);
  return found.price;
}

describe("calculateCost", () => {
  it("counts OpenAI's inclusive input once: 17,903 input with 17,817 cached", () => {
    const price = bundled("openai", "gpt-4o-mini");
    const cost = calculateCost({
      usage: usage({ inputTokens: 17_903, cacheReadTokens: 17_817, outputTokens: 100 }),
      price,
    });
    // 86 uncached at $0.15, 17,817 cached at $0.075, 100 output at $0.60 (per million).
    expect(cost?.inputUsd).toBeCloseTo((86 * 0.15) / 1e6, 12);
    expect(cost?.cacheReadUsd).toBeCloseTo((17_817 * 0.075) / 1e6, 12);
    expect(cost?.outputUsd).toBeCloseTo((100 * 0.6) / 1e6, 12);
    expect(cost?.totalUsd).toBeCloseTo(0.001409175, 12);
    // Without the cache, all 17,903 (not 35,720) tokens at the input rate.
    expect(cost?.savingsUsd).toBeCloseTo(
      (17_903 * 0.15) / 1e6 - (86 * 0.15 + 17_817 * 0.075) / 1e6,
      12,
    );
    const reference = calcPrice(
      { input_tokens: 17_903, cache_read_tokens: 17_817, output_tokens: 100 },
      "gpt-4o-mini",
      { providerId: "openai" },
    );
    expect(cost?.totalUsd).toBeCloseTo(reference?.total_price ?? Number.NaN, 12);
  });

  it("charges Anthropic's 3 + 12,304 cache write as 3 at the input rate and 12,304 at the write rate", () => {
    const price = bundled("anthropic", "claude-sonnet-4-5");
    // Normalized by the adapter: input_tokens 3 + cache_creation_input_tokens 12,304.
    const cost = calculateCost({
      usage: usage({
        inputTokens: 12_307,
        cacheWriteTokens: 12_304,
        cacheReadTokens: 0,
        outputTokens: 0,
      }),
      price,
    });
    expect(cost?.inputUsd).toBeCloseTo((3 * 3) / 1e6, 12);
    expect(cost?.cacheWriteUsd).toBeCloseTo((12_304 * 3.75) / 1e6, 12);
    expect(cost?.totalUsd).toBeCloseTo((3 * 3 + 12_304 * 3.75) / 1e6, 12);
    const reference = calcPrice(
      { input_tokens: 12_307, cache_write_tokens: 12_304, output_tokens: 0 },
      "claude-sonnet-4-5",
      { providerId: "anthropic" },
    );
    expect(cost?.totalUsd).toBeCloseTo(reference?.total_price ?? Number.NaN, 12);
  });

  it("reports negative savings when the write premium is not yet earned back", () => {
    const price = bundled("anthropic", "claude-sonnet-4-5");
    const cost = calculateCost({
      usage: usage({ inputTokens: 12_307, cacheWriteTokens: 12_304, outputTokens: 0 }),
      price,
    });
    const withoutCache = (12_307 * 3) / 1e6;
    expect(cost?.savingsUsd).toBeCloseTo(withoutCache - (3 * 3 + 12_304 * 3.75) / 1e6, 12);
    expect(cost?.savingsUsd).toBeLessThan(0);
  });

  it("prices a fully cached call at about the cache-read rate", () => {
    const price = bundled("anthropic", "claude-sonnet-4-5");
    const cost = calculateCost({
      usage: usage({
        inputTokens: 10_000,
        cacheReadTokens: 10_000,
        cacheWriteTokens: 0,
        outputTokens: 0,
      }),
      price,
    });
    expect(cost?.totalUsd).toBeCloseTo((10_000 * 0.3) / 1e6, 12);
    expect(cost?.inputUsd).toBe(0);
    expect(cost?.savingsUsd).toBeCloseTo((10_000 * (3 - 0.3)) / 1e6, 12);
  });

  it("switches every rate to the tier above the threshold, chosen by the inclusive input", () => {
    const price = bundled("anthropic", "claude-sonnet-4-5");
    const atThreshold = calculateCost({
      usage: usage({ inputTokens: 200_000, outputTokens: 1_000 }),
      price,
    });
    expect(atThreshold?.tierIndex).toBeNull();
    expect(atThreshold?.totalUsd).toBeCloseTo((200_000 * 3 + 1_000 * 15) / 1e6, 12);
    // 150,001 uncached + 50,000 cache read: the inclusive input is above 200k.
    const above = calculateCost({
      usage: usage({ inputTokens: 200_001, cacheReadTokens: 50_000, outputTokens: 1_000 }),
      price,
    });
    expect(above?.tierIndex).toBe(0);
    expect(above?.inputUsd).toBeCloseTo((150_001 * 6) / 1e6, 12);
    expect(above?.cacheReadUsd).toBeCloseTo((50_000 * 0.6) / 1e6, 12);
    expect(above?.outputUsd).toBeCloseTo((1_000 * 22.5) / 1e6, 12);
  });

  it("prices the 5-minute and 1-hour cache writes at their own rates and the rest at the write rate", () => {
    const price: Price = { rates: rates({ cacheWrite5mPerMillion: 4 }), tiers: [] };
    const cost = calculateCost({
      usage: usage({
        inputTokens: 2_000,
        cacheWriteTokens: 1_000,
        cacheWrite5mTokens: 400,
        cacheWrite1hTokens: 500,
        outputTokens: 0,
      }),
      price,
    });
    expect(cost?.cacheWriteUsd).toBeCloseTo((400 * 4 + 500 * 6 + 100 * 3.75) / 1e6, 12);
    expect(cost?.inputUsd).toBeCloseTo((1_000 * 3) / 1e6, 12);
  });

  it("falls back to the write rate for a TTL without its own rate", () => {
    const price: Price = { rates: rates({ cacheWrite1hPerMillion: null }), tiers: [] };
    const cost = calculateCost({
      usage: usage({
        inputTokens: 500,
        cacheWriteTokens: 500,
        cacheWrite1hTokens: 500,
        outputTokens: 0,
      }),
      price,
    });
    expect(cost?.cacheWriteUsd).toBeCloseTo((500 * 3.75) / 1e6, 12);
  });

  it("bills cache tokens as input when the price has no cache rates", () => {
    const price: Price = {
      rates: rates({
        cacheReadPerMillion: null,
        cacheWritePerMillion: null,
        cacheWrite1hPerMillion: null,
      }),
      tiers: [],
    };
    const cost = calculateCost({
      usage: usage({
        inputTokens: 1_000,
        cacheReadTokens: 600,
        cacheWriteTokens: 100,
        outputTokens: 10,
      }),
      price,
    });
    expect(cost?.totalUsd).toBeCloseTo((1_000 * 3 + 10 * 15) / 1e6, 12);
    expect(cost?.savingsUsd).toBeCloseTo(0, 12);
  });

  it("prices reasoning as part of the output, not on top of it", () => {
    const price: Price = { rates: rates({}), tiers: [] };
    const cost = calculateCost({
      usage: usage({ inputTokens: 0, outputTokens: 1_000, reasoningTokens: 800 }),
      price,
    });
    expect(cost?.outputUsd).toBeCloseTo((1_000 * 15) / 1e6, 12);
  });

  it("returns null, never $0, when input or output is unknown", () => {
    const price: Price = { rates: rates({}), tiers: [] };
    expect(calculateCost({ usage: usage({ inputTokens: 100 }), price })).toBeNull();
    expect(calculateCost({ usage: usage({ outputTokens: 100 }), price })).toBeNull();
    expect(calculateCost({ usage: emptyUsage(), price })).toBeNull();
  });
});
