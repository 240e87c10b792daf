/**
 * Gateway keys and model aliases. A key is found by the hash of what the client sent; the
 * key itself never reaches this module. Spend is summed from the recorded calls, so a budget
 * and the usage report can never disagree.
 */
import "server-only";
import { and, asc, desc, eq, gte, isNull, sql } from "drizzle-orm";
import { ConflictError } from "@/lib/errors";
import { type Database, getDb } from "./client";
import { calls, type GatewayKeyRow, gatewayKeys, type ModelAliasRow, modelAliases } from "./schema";

interface WithDatabase {
  database?: Database;
}

/**
 * The lookups every gateway request makes (the gate's key check, the route's, the alias),
 * prepared once per connection instead of built and compiled again on every request.
 */
function prepareHotQueries(database: Database) {
  return {
    activeKeyByHash: database.orm
      .select()
      .from(gatewayKeys)
      .where(
        and(eq(gatewayKeys.keyHash, sql.placeholder("keyHash")), isNull(gatewayKeys.revokedAt)),
      )
      .prepare(),
    aliasByName: database.orm
      .select()
      .from(modelAliases)
      .where(eq(modelAliases.alias, sql.placeholder("alias")))
      .prepare(),
  };
}

const preparedByDatabase = new WeakMap<Database, ReturnType<typeof prepareHotQueries>>();

function hotQueries(database: Database): ReturnType<typeof prepareHotQueries> {
  let prepared = preparedByDatabase.get(database);
  if (!prepared) {
    prepared = prepareHotQueries(database);
    preparedByDatabase.set(database, prepared);
  }
  return prepared;
}

export function insertGatewayKey(
  options: {
    id: string;
    name: string;
    keyHash: string;
    keyPrefix: string;
    dailyBudgetUsd: number | null;
    monthlyBudgetUsd: number | null;
    models: string[] | null;
    now?: Date;
  } & WithDatabase,
): GatewayKeyRow {
  const database = options.database ?? getDb();
  return database.orm.transaction((tx) => {
    const taken = tx
      .select({ id: gatewayKeys.id })
      .from(gatewayKeys)
      .where(eq(gatewayKeys.name, options.name))
      .get();
    if (taken) throw new ConflictError(`a key named "${options.name}" exists already`);
    return tx
      .insert(gatewayKeys)
      .values({
        id: options.id,
        name: options.name,
        keyHash: options.keyHash,
        keyPrefix: options.keyPrefix,
        createdAt: options.now ?? new Date(),
        revokedAt: null,
        dailyBudgetUsd: options.dailyBudgetUsd,
        monthlyBudgetUsd: options.monthlyBudgetUsd,
        models: options.models,
      })
      .returning()
      .get();
  });
}

export function listGatewayKeys(options: WithDatabase = {}): GatewayKeyRow[] {
  const database = options.database ?? getDb();
  return database.orm
    .select()
    .from(gatewayKeys)
    .orderBy(desc(gatewayKeys.createdAt), desc(gatewayKeys.id))
    .all();
}

/** `false` when no key has that id; revoking twice keeps the first time. */
export function revokeGatewayKey(options: { keyId: string; now?: Date } & WithDatabase): boolean {
  const database = options.database ?? getDb();
  const found = database.orm
    .select({ id: gatewayKeys.id })
    .from(gatewayKeys)
    .where(eq(gatewayKeys.id, options.keyId))
    .get();
  if (!found) return false;
  database.orm
    .update(gatewayKeys)
    .set({ revokedAt: options.now ?? new Date() })
    .where(and(eq(gatewayKeys.id, options.keyId), isNull(gatewayKeys.revokedAt)))
    .run();
  return true;
}

/** The key whose hash this is, if it is not revoked. */
export function getActiveGatewayKeyByHash(
  options: { keyHash: string } & WithDatabase,
): GatewayKeyRow | null {
  const database = options.database ?? getDb();
  return hotQueries(database).activeKeyByHash.get({ keyHash: options.keyHash }) ?? null;
}

/** Recorded cost of the key's calls started at or after `since` (unpriced calls add 0). */
export function getGatewayKeySpend(options: { keyId: string; since: Date } & WithDatabase): number {
  const database = options.database ?? getDb();
  const row = database.orm
    .select({ total: sql<number>`coalesce(sum(${calls.costUsd}), 0)` })
    .from(calls)
    .where(and(eq(calls.gatewayKeyId, options.keyId), gte(calls.startedAt, options.since)))
    .get();
  return row?.total ?? 0;
}

export function listModelAliases(options: WithDatabase = {}): ModelAliasRow[] {
  const database = options.database ?? getDb();
  return database.orm.select().from(modelAliases).orderBy(asc(modelAliases.alias)).all();
}

export function getModelAlias(options: { alias: string } & WithDatabase): ModelAliasRow | null {
  const database = options.database ?? getDb();
  return hotQueries(database).aliasByName.get({ alias: options.alias }) ?? null;
}

/** Creates or repoints an alias. */
export function upsertModelAlias(
  options: { alias: string; model: string; now?: Date } & WithDatabase,
): ModelAliasRow {
  const database = options.database ?? getDb();
  return database.orm
    .insert(modelAliases)
    .values({ alias: options.alias, model: options.model, createdAt: options.now ?? new Date() })
    .onConflictDoUpdate({ target: modelAliases.alias, set: { model: options.model } })
    .returning()
    .get();
}

export function deleteModelAlias(options: { alias: string } & WithDatabase): boolean {
  const database = options.database ?? getDb();
  return (
    database.orm.delete(modelAliases).where(eq(modelAliases.alias, options.alias)).run().changes > 0
  );
}
