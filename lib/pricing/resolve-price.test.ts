import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { knownModelIds } from "@/lib/models/metadata";
import { emptyUsage } from "@/lib/models/usage";
import { GENAI_PRICES_VERSION } from "./bundled-prices";
import { OCI_SEED_PRICES, seedOverrideId } from "./oci-prices";
import { priceCall } from "./price-call";
import { resolvePrice } from "./resolve-price";
import type { PriceOverride, PriceResolution } from "./types";

const AT = new Date("2026-01-15T12:00:00Z");

function override(
  values: Partial<PriceOverride> & Pick<PriceOverride, "id" | "modelPattern">,
): PriceOverride {
  return {
    provider: "openai",
    inputPerMillion: 1,
    outputPerMillion: 2,
    cacheReadPerMillion: null,
    cacheWritePerMillion: null,
    cacheWrite5mPerMillion: null,
    cacheWrite1hPerMillion: null,
    effectiveFrom: new Date(0),
    createdAt: new Date("2025-01-01T00:00:00Z"),
    note: null,
    ...values,
  };
}

function priced(resolution: PriceResolution) {
  if (resolution.status !== "priced") throw new Error(`expected a price, got ${resolution.status}`);
  return resolution;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("resolvePrice from the bundled genai-prices data", () => {
  it("finds openai gpt-4o-mini, also under a dated id", () => {
    const plain = priced(
      resolvePrice({ provider: "openai", modelId: "gpt-4o-mini", at: AT, overrides: [] }),
    );
    expect(plain.source).toBe(`genai-prices@${GENAI_PRICES_VERSION}:openai/gpt-4o-mini`);
    expect(plain.price.rates).toMatchObject({
      inputPerMillion: 0.15,
      outputPerMillion: 0.6,
      cacheReadPerMillion: 0.075,
    });
    const dated = priced(
      resolvePrice({
        provider: "openai",
        modelId: "gpt-4o-mini-2024-07-18",
        at: AT,
        overrides: [],
      }),
    );
    expect(dated.source).toBe(plain.source);
  });

  it("finds anthropic claude-sonnet-4-5 under its dated id, with its 200k tier", () => {
    const resolution = priced(
      resolvePrice({
        provider: "anthropic",
        modelId: "claude-sonnet-4-5-20250929",
        at: AT,
        overrides: [],
      }),
    );
    expect(resolution.source).toBe(
      `genai-prices@${GENAI_PRICES_VERSION}:anthropic/claude-sonnet-4-5`,
    );
    expect(resolution.price.rates).toMatchObject({
      inputPerMillion: 3,
      outputPerMillion: 15,
      cacheReadPerMillion: 0.3,
      cacheWritePerMillion: 3.75,
      cacheWrite1hPerMillion: 6,
    });
    expect(resolution.price.tiers).toEqual([
      {
        aboveInputTokens: 200_000,
        rates: expect.objectContaining({
          inputPerMillion: 6,
          outputPerMillion: 22.5,
          cacheReadPerMillion: 0.6,
        }),
      },
    ]);
  });

  it("uses the price in force at the call's time (o3 was cut on 2025-06-10)", () => {
    const before = priced(
      resolvePrice({
        provider: "openai",
        modelId: "o3",
        at: new Date("2025-06-09T23:00:00Z"),
        overrides: [],
      }),
    );
    const after = priced(
      resolvePrice({
        provider: "openai",
        modelId: "o3",
        at: new Date("2025-06-10T01:00:00Z"),
        overrides: [],
      }),
    );
    expect(before.price.rates.inputPerMillion).toBe(10);
    expect(after.price.rates.inputPerMillion).toBe(2);
  });

  it("never fetches price data", () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    resolvePrice({ provider: "openai", modelId: "gpt-5", at: AT, overrides: [] });
    resolvePrice({ provider: "anthropic", modelId: "claude-haiku-4-5", at: AT, overrides: [] });
    resolvePrice({ provider: "openai", modelId: "not-a-real-model", at: AT, overrides: [] });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("states the installed package version in every source", () => {
    const packageJson = JSON.parse(
      readFileSync(
        path.join(process.cwd(), "node_modules/@pydantic/genai-prices/package.json"),
        "utf8",
      ),
    ) as { version: string };
    expect(GENAI_PRICES_VERSION).toBe(packageJson.version);
  });
});

describe("resolvePrice: local and unpriced", () => {
  it("marks ollama and demo models local", () => {
    expect(
      resolvePrice({ provider: "ollama", modelId: "llama3.3:70b", at: AT, overrides: [] }),
    ).toEqual({
      status: "local",
      source: "local",
    });
    expect(resolvePrice({ provider: "demo", modelId: "fast", at: AT, overrides: [] }).status).toBe(
      "local",
    );
  });

  it("leaves an unknown model unpriced, with no source", () => {
    expect(
      resolvePrice({ provider: "openai", modelId: "gpt-unknown-9", at: AT, overrides: [] }),
    ).toEqual({
      status: "unpriced",
      source: null,
    });
    expect(
      resolvePrice({ provider: "oci", modelId: "xai.grok-4", at: AT, overrides: [] }).status,
    ).toBe("unpriced");
  });
});

describe("resolvePrice with overrides", () => {
  it("prefers an override to the bundled price", () => {
    const resolution = priced(
      resolvePrice({
        provider: "openai",
        modelId: "gpt-4o-mini",
        at: AT,
        overrides: [override({ id: "mine", modelPattern: "gpt-4o-mini", inputPerMillion: 9 })],
      }),
    );
    expect(resolution.source).toBe("override:mine");
    expect(resolution.price.rates.inputPerMillion).toBe(9);
  });

  it("applies an override only from its effective date, the latest in force winning", () => {
    const overrides = [
      override({
        id: "old",
        modelPattern: "gpt-4o-mini",
        effectiveFrom: new Date("2025-01-01T00:00:00Z"),
      }),
      override({
        id: "new",
        modelPattern: "gpt-4o-mini",
        effectiveFrom: new Date("2026-01-10T00:00:00Z"),
      }),
      override({
        id: "future",
        modelPattern: "gpt-4o-mini",
        effectiveFrom: new Date("2026-02-01T00:00:00Z"),
      }),
    ];
    const at = (date: string) =>
      resolvePrice({ provider: "openai", modelId: "gpt-4o-mini", at: new Date(date), overrides })
        .source;
    expect(at("2026-01-15T00:00:00Z")).toBe("override:new");
    expect(at("2025-06-01T00:00:00Z")).toBe("override:old");
    // Before every override: the bundled price.
    expect(at("2024-06-01T00:00:00Z")).toBe(
      `genai-prices@${GENAI_PRICES_VERSION}:openai/gpt-4o-mini`,
    );
  });

  it("prefers an exact model id to a pattern, and matches patterns case-insensitively", () => {
    const overrides = [
      override({
        id: "pattern",
        modelPattern: "GPT-4O*",
        effectiveFrom: new Date("2026-01-01T00:00:00Z"),
      }),
      override({
        id: "exact",
        modelPattern: "gpt-4o-mini",
        effectiveFrom: new Date("2025-01-01T00:00:00Z"),
      }),
    ];
    expect(
      resolvePrice({ provider: "openai", modelId: "gpt-4o-mini", at: AT, overrides }).source,
    ).toBe("override:exact");
    expect(
      resolvePrice({ provider: "openai", modelId: "gpt-4o-2024-08-06", at: AT, overrides }).source,
    ).toBe("override:pattern");
  });

  it("ignores overrides for another provider", () => {
    const overrides = [
      override({ id: "other", provider: "anthropic", modelPattern: "gpt-4o-mini" }),
    ];
    expect(
      resolvePrice({ provider: "openai", modelId: "gpt-4o-mini", at: AT, overrides }).source,
    ).not.toBe("override:other");
  });
});

describe("priceCall", () => {
  const usage = { ...emptyUsage(), inputTokens: 1_000_000, outputTokens: 1_000_000 };

  it("costs a local model $0, even without usage", () => {
    for (const callUsage of [usage, null]) {
      expect(
        priceCall({
          provider: "ollama",
          modelId: "llama3",
          at: AT,
          usage: callUsage,
          overrides: [],
        }),
      ).toMatchObject({ pricingStatus: "local", priceSource: "local", costUsd: 0, savingsUsd: 0 });
    }
  });

  it("leaves an unknown model unpriced with a null cost", () => {
    expect(
      priceCall({ provider: "openai", modelId: "gpt-unknown-9", at: AT, usage, overrides: [] }),
    ).toMatchObject({ pricingStatus: "unpriced", priceSource: null, costUsd: null });
  });

  it("says usage is missing, not unpriced, for a priced model with no usage", () => {
    expect(
      priceCall({ provider: "openai", modelId: "gpt-4o-mini", at: AT, usage: null, overrides: [] }),
    ).toMatchObject({ pricingStatus: "usage_missing", costUsd: null, savingsUsd: null });
  });

  it("says usage is missing for a model with no price and no usage, too", () => {
    expect(
      priceCall({ provider: "openai", modelId: "gpt-unknown", at: AT, usage: null, overrides: [] }),
    ).toMatchObject({ pricingStatus: "usage_missing", priceSource: null, costUsd: null });
  });

  it("is unpriced only when usage was reported and no price is known", () => {
    expect(
      priceCall({ provider: "openai", modelId: "gpt-unknown", at: AT, usage, overrides: [] }),
    ).toMatchObject({ pricingStatus: "unpriced", costUsd: null });
  });

  it("keeps a local model free even without usage", () => {
    expect(
      priceCall({ provider: "ollama", modelId: "llama3", at: AT, usage: null, overrides: [] }),
    ).toMatchObject({ pricingStatus: "local", costUsd: 0 });
  });

  it("prices a known model with its parts", () => {
    const pricing = priceCall({
      provider: "openai",
      modelId: "gpt-4o-mini",
      at: AT,
      usage,
      overrides: [],
    });
    expect(pricing.pricingStatus).toBe("priced");
    expect(pricing.costInputUsd).toBeCloseTo(0.15, 12);
    expect(pricing.costOutputUsd).toBeCloseTo(0.6, 12);
    expect(pricing.costUsd).toBeCloseTo(0.75, 12);
  });
});

describe("OCI seed prices", () => {
  it("cover every OCI model the library knows", () => {
    const ociModels = ["cohere", "meta", "google", "xai"].flatMap((family) =>
      knownModelIds(family),
    );
    const seeded = new Set(OCI_SEED_PRICES.map((seed) => seed.modelId));
    expect(ociModels.filter((modelId) => !seeded.has(modelId))).toEqual([]);
  });

  it("say they are approximate", () => {
    for (const seed of OCI_SEED_PRICES)
      expect(seed.note).toMatch(/approximate, check OCI price list/);
  });

  it("price an OCI call once entered as overrides", () => {
    const overrides = OCI_SEED_PRICES.map((seed) =>
      override({
        id: seedOverrideId(seed.modelId),
        provider: "oci",
        modelPattern: seed.modelId,
        inputPerMillion: seed.inputPerMillion,
        outputPerMillion: seed.outputPerMillion,
        cacheReadPerMillion: seed.cacheReadPerMillion,
      }),
    );
    const resolution = priced(
      resolvePrice({ provider: "oci", modelId: "xai.grok-4", at: AT, overrides }),
    );
    expect(resolution.source).toBe("override:seed-oci-xai.grok-4");
    expect(resolution.price.rates).toMatchObject({ inputPerMillion: 3, outputPerMillion: 15 });
  });
});
