/**
 * `GET /api/models[?model=provider:model…]`: every provider, configured or not, its known
 * models, and (an optional addition to the contract) `prices`: for each listed model and each
 * `model` asked for by name, the price a call starting now would be charged, so the page can
 * show a column's cost so far while it streams.
 */
import { z } from "zod";
import { listPriceOverrides } from "@/lib/db/queries";
import { providerEnvironment } from "@/lib/env";
import { invalidRequest, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { effectivePrice } from "@/lib/pricing/price-list";
import { describeProviders } from "@/lib/runs/providers";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A page asks for its columns' models, at most 16; a little slack for edits in flight. */
const MAX_ASKED_MODELS = 32;

const askedModelsSchema = z.object({
  model: z
    .array(
      z
        .string()
        .max(200)
        .regex(/^[a-z][a-z0-9-]*:\S.*$/, "expected provider:model"),
    )
    .max(MAX_ASKED_MODELS, `at most ${MAX_ASKED_MODELS} models may be asked for`),
});

interface ModelPrice {
  status: "priced" | "local" | "unpriced";
  source: string | null;
  rates: ReturnType<typeof effectivePrice>["rates"];
  tiers: ReturnType<typeof effectivePrice>["tiers"];
}

/**
 * Prices are a convenience for the live estimate: when the override table cannot be read the
 * list of models is still answered, without them (the page then waits for recorded costs).
 */
function pricesOf(models: string[]): Record<string, ModelPrice> | undefined {
  let overrides: ReturnType<typeof listPriceOverrides>;
  try {
    overrides = listPriceOverrides();
  } catch (error) {
    console.error(
      "locus-playground: price overrides could not be read for /api/models:",
      error instanceof Error ? error.name : typeof error,
    );
    return undefined;
  }
  const at = new Date();
  const prices: Record<string, ModelPrice> = {};
  for (const model of models) {
    const { status, source, rates, tiers } = effectivePrice({ model, at, overrides });
    prices[model] = { status, source, rates, tiers };
  }
  return prices;
}

export async function GET(request: Request): Promise<Response> {
  try {
    const asked = askedModelsSchema.safeParse({
      model: new URL(request.url).searchParams.getAll("model"),
    });
    if (!asked.success) throw invalidRequest(asked.error, { root: "query" });
    const providers = await describeProviders({ environment: providerEnvironment() });
    const listed = providers.flatMap((provider) => provider.models);
    const prices = pricesOf([...new Set([...listed, ...asked.data.model])]);
    return Response.json(
      { providers, ...(prices ? { prices } : {}) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
