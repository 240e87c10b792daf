/**
 * Rows every database starts with, entered at open rather than in a migration so that
 * updating a seeded price is a code change, not a new migration. Idempotent: a seeded row
 * that already exists (or that a person replaced under the same key) is left alone.
 */
import { OCI_SEED_PRICES, seedOverrideId } from "@/lib/pricing/oci-prices";
import type { Database } from "./client";
import { priceOverrides } from "./schema";

/** Seeded prices apply to every call, however old. */
const SEED_EFFECTIVE_FROM = new Date(0);

export function seedPriceOverrides(database: Database): void {
  const createdAt = new Date();
  const result = database.orm
    .insert(priceOverrides)
    .values(
      OCI_SEED_PRICES.map((seed) => ({
        id: seedOverrideId(seed.modelId),
        provider: "oci",
        modelPattern: seed.modelId,
        inputPerMillion: seed.inputPerMillion,
        outputPerMillion: seed.outputPerMillion,
        cacheReadPerMillion: seed.cacheReadPerMillion,
        effectiveFrom: SEED_EFFECTIVE_FROM,
        createdAt,
        note: seed.note,
      })),
    )
    .onConflictDoNothing()
    .run();
  if (result.changes > 0) database.priceOverridesVersion += 1;
}
