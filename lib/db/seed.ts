/**
 * Rows every database starts with, entered at open rather than in a migration so that
 * updating a seeded price is a code change, not a new migration. Idempotent: a seeded row
 * that already exists (or that a person replaced under the same key) is left alone, and a
 * database is seeded once per seed generation, so a seeded row a person deleted stays deleted.
 */
import { OCI_SEED_PRICES, seedOverrideId } from "@/lib/pricing/oci-prices";
import type { Database } from "./client";
import { priceOverrides } from "./schema";

/** Seeded prices apply to every call, however old. */
const SEED_EFFECTIVE_FROM = new Date(0);

/**
 * Bump when `OCI_SEED_PRICES` gains rows that existing databases should receive. Kept in
 * SQLite's `user_version`, which drizzle's migrator does not use.
 */
const SEED_GENERATION = 1;

export function seedPriceOverrides(database: Database): void {
  const seededGeneration = database.sqlite.pragma("user_version", { simple: true }) as number;
  if (seededGeneration >= SEED_GENERATION) return;
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
  database.sqlite.pragma(`user_version = ${SEED_GENERATION}`);
  if (result.changes > 0) database.priceOverridesVersion += 1;
}
