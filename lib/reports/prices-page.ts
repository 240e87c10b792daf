/**
 * What `/settings/prices` awaits: the override table, the models the library knows, the
 * models with recorded calls, and the preparer over them.
 */
import "server-only";
import { type Database, getDb } from "@/lib/db/client";
import { listPriceOverrides } from "@/lib/db/queries";
import { DEMO_MODEL_IDS } from "@/lib/models/demo/demo-model";
import { knownModelStrings } from "@/lib/pricing/price-list";
import { type PricesPageView, preparePricesPage } from "./prepare-prices";

/** Every model with a recorded call, from the hourly rollup (one row per model and hour). */
export function listUsedModels(options: { database?: Database } = {}): string[] {
  const { sqlite } = options.database ?? getDb();
  return (
    sqlite.prepare("SELECT DISTINCT model FROM usage_hourly WHERE calls > 0").all() as Array<{
      model: string;
    }>
  ).map((row) => row.model);
}

export function loadPricesPage(options: {
  edit: string | null;
  model: string | null;
  now: Date;
  database?: Database;
}): PricesPageView {
  return preparePricesPage({
    knownModels: knownModelStrings(DEMO_MODEL_IDS.map((modelId) => `demo:${modelId}`)),
    usedModels: listUsedModels({ database: options.database }),
    overrides: listPriceOverrides({ database: options.database }),
    at: options.now,
    edit: options.edit,
    model: options.model,
  });
}
