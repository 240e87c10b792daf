/**
 * The `prices` of `GET /api/models` as the page reads them: for each model, the price the
 * server would apply to a call starting now, so a running column can show its cost so far.
 * Read apart from the provider list, so a malformed price never hides the models.
 */
import * as z from "zod/mini";
import type { CostBasis } from "./metrics";

const ratesSchema = z.object({
  inputPerMillion: z.number(),
  outputPerMillion: z.number(),
  cacheReadPerMillion: z.nullable(z.number()),
  cacheWritePerMillion: z.nullable(z.number()),
  cacheWrite5mPerMillion: z.nullable(z.number()),
  cacheWrite1hPerMillion: z.nullable(z.number()),
});

const modelPriceSchema = z.object({
  status: z.enum(["priced", "local", "unpriced"]),
  rates: z.nullable(ratesSchema),
  tiers: z.array(z.object({ aboveInputTokens: z.number(), rates: ratesSchema })),
});

export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** Model string → price; `{}` when the answer has none (an older server). */
export type ModelPrices = Record<string, ModelPrice>;

export function parseModelPrices(json: unknown): ModelPrices {
  if (typeof json !== "object" || json === null) return {};
  const raw = (json as { prices?: unknown }).prices;
  if (typeof raw !== "object" || raw === null) return {};
  const prices: ModelPrices = {};
  for (const [model, value] of Object.entries(raw)) {
    const result = modelPriceSchema.safeParse(value);
    if (result.success) prices[model] = result.data;
  }
  return prices;
}

/** `undefined` while the model's price is not known to the page (not loaded, not asked yet). */
export function costBasisOf(model: string, prices: ModelPrices | null): CostBasis | undefined {
  const entry = prices?.[model];
  if (!entry) return undefined;
  if (entry.status === "local") return { status: "local" };
  if (entry.status === "unpriced" || entry.rates === null) return { status: "unpriced" };
  return { status: "priced", price: { rates: entry.rates, tiers: entry.tiers } };
}

/** Column models the price list does not cover yet, to ask for by name. */
export function modelsWithoutPrice(models: string[], prices: ModelPrices | null): string[] {
  return [...new Set(models)].filter((model) => prices?.[model] === undefined).sort();
}
