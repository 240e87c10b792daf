/**
 * The gateway side of the store: keys that open `/v1/*` (kept as SHA-256 hashes only) and the
 * model aliases clients may send instead of a `provider:model` string. The calls a key makes
 * are ordinary rows of `calls`, tagged with the key, so spend is read from the same truth.
 */
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const gatewayKeys = sqliteTable(
  "gateway_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Hex SHA-256 of the key; the key itself is shown once and never stored. */
    keyHash: text("key_hash").notNull(),
    /** The key's first characters, so a person can tell keys apart in a list. */
    keyPrefix: text("key_prefix").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    dailyBudgetUsd: real("daily_budget_usd"),
    monthlyBudgetUsd: real("monthly_budget_usd"),
    /** Model strings or aliases the key may call; null allows every model. */
    models: text("models", { mode: "json" }).$type<string[]>(),
  },
  (table) => [
    uniqueIndex("gateway_keys_key_hash_idx").on(table.keyHash),
    uniqueIndex("gateway_keys_name_idx").on(table.name),
  ],
);

export type GatewayKeyRow = typeof gatewayKeys.$inferSelect;

export const modelAliases = sqliteTable(
  "model_aliases",
  {
    alias: text("alias").primaryKey(),
    /** The `provider:model` string the alias stands for. */
    model: text("model").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("model_aliases_model_idx").on(table.model)],
);

export type ModelAliasRow = typeof modelAliases.$inferSelect;
