import { describe, expect, it } from "vitest";
import { GPT_4O_MINI_RATES } from "@/test/support/test-rates";
import { costBasisOf, modelsWithoutPrice, parseModelPrices } from "./model-prices";

const rates = GPT_4O_MINI_RATES;

const response = {
  providers: [],
  prices: {
    "openai:gpt-4o-mini": { status: "priced", source: "genai-prices", rates, tiers: [] },
    "demo:chat": { status: "local", source: "local", rates: null, tiers: [] },
    "openai:my-finetune": { status: "unpriced", source: null, rates: null, tiers: [] },
    "openai:broken": { status: "priced", rates: { inputPerMillion: "cheap" }, tiers: [] },
  },
};

describe("parseModelPrices", () => {
  it("reads each model's price and skips a malformed entry without losing the others", () => {
    const prices = parseModelPrices(response);
    expect(Object.keys(prices).sort()).toEqual([
      "demo:chat",
      "openai:gpt-4o-mini",
      "openai:my-finetune",
    ]);
  });

  it("gives nothing for an answer without prices (an older server)", () => {
    expect(parseModelPrices({ providers: [] })).toEqual({});
    expect(parseModelPrices(null)).toEqual({});
  });
});

describe("costBasisOf", () => {
  const prices = parseModelPrices(response);

  it("turns each status into what the cost so far needs", () => {
    expect(costBasisOf("openai:gpt-4o-mini", prices)).toEqual({
      status: "priced",
      price: { rates, tiers: [] },
    });
    expect(costBasisOf("demo:chat", prices)).toEqual({ status: "local" });
    expect(costBasisOf("openai:my-finetune", prices)).toEqual({ status: "unpriced" });
  });

  it("is undefined (not unpriced) for a model whose price is not known yet", () => {
    expect(costBasisOf("anthropic:claude-haiku-4-5", prices)).toBeUndefined();
    expect(costBasisOf("openai:gpt-4o-mini", null)).toBeUndefined();
  });

  it("lists the column models still to ask for, once each", () => {
    expect(
      modelsWithoutPrice(["openai:gpt-4o-mini", "openai:x", "openai:x", "demo:chat"], prices),
    ).toEqual(["openai:x"]);
  });
});
