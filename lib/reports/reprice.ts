/**
 * Re-pricing: the explicit action that recomputes the stored cost of past calls from the
 * prices in force now (overrides included), each call still priced at the price that applies
 * to its own start time. Recorded costs never change by themselves (usage-semantics.md);
 * this is how a corrected or newly entered price reaches calls already recorded.
 *
 * Calls are read in pages and written in one short transaction per page, yielding to the
 * event loop between pages, so a large range neither holds the write lock nor stalls live
 * streams. The rollups follow once per page, as they do for the recorder's batches. A page
 * never waits on another process's lock (`writeWithoutWaiting`): under one the re-price stops
 * with `DatabaseUnavailableError`, the pages before it written and consistent, and running it
 * again finishes the rest (a call already at its new price is not changed twice).
 */
import { createBatchedRollups } from "@/lib/db/batched-rollups";
import { providerModelFilter } from "@/lib/db/provider-model-filter";
import "server-only";
import type { Database } from "@/lib/db/client";
import { getDb } from "@/lib/db/client";
import { listPriceOverrides } from "@/lib/db/queries";
import { writeWithoutWaiting } from "@/lib/db/write-without-waiting";
import type { Usage } from "@/lib/models/types";
import { priceCall } from "@/lib/pricing/price-call";
import type { CallPricing, PriceOverride } from "@/lib/pricing/types";

export interface RepriceTotals {
  calls: number;
  /** Sum over priced calls. */
  costUsd: number;
  savingsUsd: number;
  unpricedCalls: number;
}

export interface RepriceResult {
  from: string;
  to: string;
  provider: string | null;
  model: string | null;
  /** When true nothing was written: `after` is what re-pricing would give. */
  dryRun: boolean;
  /** Finished calls in the range (running calls are priced when they finish). */
  calls: number;
  /** Calls whose cost, price source or pricing status changed (or would). */
  changedCalls: number;
  before: RepriceTotals;
  after: RepriceTotals;
}

/** The stored columns of a call that re-pricing reads. */
export interface StoredCallPricing {
  id: string;
  provider: string;
  modelId: string;
  startedAt: number;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cacheWrite5mTokens: number | null;
  cacheWrite1hTokens: number | null;
  reasoningTokens: number | null;
  pricingStatus: CallPricing["pricingStatus"] | null;
  priceSource: string | null;
  costUsd: number | null;
  costInputUsd: number | null;
  costCacheReadUsd: number | null;
  costCacheWriteUsd: number | null;
  costOutputUsd: number | null;
  savingsUsd: number | null;
}

export function emptyRepriceTotals(): RepriceTotals {
  return { calls: 0, costUsd: 0, savingsUsd: 0, unpricedCalls: 0 };
}

function addToTotals(
  totals: RepriceTotals,
  pricing: Pick<CallPricing, "costUsd" | "savingsUsd" | "pricingStatus">,
): void {
  totals.calls += 1;
  totals.costUsd += pricing.costUsd ?? 0;
  totals.savingsUsd += pricing.savingsUsd ?? 0;
  if (pricing.pricingStatus === "unpriced") totals.unpricedCalls += 1;
}

/** The usage the call was priced from, as the tracer stored it. */
function storedUsage(row: StoredCallPricing): Usage | null {
  const counts = [
    row.inputTokens,
    row.outputTokens,
    row.cacheReadTokens,
    row.cacheWriteTokens,
    row.cacheWrite5mTokens,
    row.cacheWrite1hTokens,
    row.reasoningTokens,
  ];
  if (counts.every((value) => value === null)) return null;
  return {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    cacheWrite5mTokens: row.cacheWrite5mTokens,
    cacheWrite1hTokens: row.cacheWrite1hTokens,
    reasoningTokens: row.reasoningTokens,
    raw: null,
  };
}

/** What a stored call costs under `overrides` (and the bundled prices), at its start time. */
export function repriceCall(options: {
  row: StoredCallPricing;
  overrides: readonly PriceOverride[];
}): CallPricing {
  const { row } = options;
  return priceCall({
    provider: row.provider,
    modelId: row.modelId,
    at: new Date(row.startedAt),
    usage: storedUsage(row),
    overrides: options.overrides,
  });
}

function samePricing(row: StoredCallPricing, pricing: CallPricing): boolean {
  return (
    row.pricingStatus === pricing.pricingStatus &&
    row.priceSource === pricing.priceSource &&
    row.costUsd === pricing.costUsd &&
    row.costInputUsd === pricing.costInputUsd &&
    row.costCacheReadUsd === pricing.costCacheReadUsd &&
    row.costCacheWriteUsd === pricing.costCacheWriteUsd &&
    row.costOutputUsd === pricing.costOutputUsd &&
    row.savingsUsd === pricing.savingsUsd
  );
}

const PAGE_SIZE = 2_000;

const SELECT_COLUMNS = `id, provider, model_id AS modelId, started_at AS startedAt,
  input_tokens AS inputTokens, output_tokens AS outputTokens,
  cache_read_tokens AS cacheReadTokens, cache_write_tokens AS cacheWriteTokens,
  cache_write_5m_tokens AS cacheWrite5mTokens, cache_write_1h_tokens AS cacheWrite1hTokens,
  reasoning_tokens AS reasoningTokens, pricing_status AS pricingStatus,
  price_source AS priceSource, cost_usd AS costUsd, cost_input_usd AS costInputUsd,
  cost_cache_read_usd AS costCacheReadUsd, cost_cache_write_usd AS costCacheWriteUsd,
  cost_output_usd AS costOutputUsd, savings_usd AS savingsUsd`;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Re-prices every finished call that started in `[from, to)` (optionally one provider or
 * model) and returns the totals before and after. With `dryRun`, nothing is written.
 */
export async function repriceCalls(options: {
  from: Date;
  to: Date;
  provider?: string | null;
  model?: string | null;
  dryRun?: boolean;
  database?: Database;
  pageSize?: number;
}): Promise<RepriceResult> {
  const database = options.database ?? getDb();
  const { sqlite } = database;
  const dryRun = options.dryRun ?? false;
  const overrides = listPriceOverrides({ database });
  const pageSize = options.pageSize ?? PAGE_SIZE;

  const { sql: filterSql, values: filterValues } = providerModelFilter(options);
  const page = sqlite.prepare(
    `SELECT ${SELECT_COLUMNS} FROM calls
     WHERE started_at >= ? AND started_at < ? AND status <> 'running'${filterSql}
       AND (started_at > ? OR (started_at = ? AND id > ?))
     ORDER BY started_at, id LIMIT ?`,
  );
  const update = sqlite.prepare(
    `UPDATE calls SET pricing_status = ?, price_source = ?, cost_usd = ?, cost_input_usd = ?,
       cost_cache_read_usd = ?, cost_cache_write_usd = ?, cost_output_usd = ?, savings_usd = ?
     WHERE id = ?`,
  );
  const writeWithBatchedRollups = createBatchedRollups(sqlite);
  const writePage = sqlite.transaction((changes: Array<{ id: string; pricing: CallPricing }>) => {
    const changing = new Set(changes.map((change) => change.id));
    writeWithBatchedRollups(changing, () => {
      for (const { id, pricing } of changes) {
        update.run(
          pricing.pricingStatus,
          pricing.priceSource,
          pricing.costUsd,
          pricing.costInputUsd,
          pricing.costCacheReadUsd,
          pricing.costCacheWriteUsd,
          pricing.costOutputUsd,
          pricing.savingsUsd,
          id,
        );
      }
    });
  });

  const before = emptyRepriceTotals();
  const after = emptyRepriceTotals();
  let changedCalls = 0;
  let cursor = { startedAt: Number.MIN_SAFE_INTEGER, id: "" };
  for (;;) {
    const rows = page.all(
      options.from.getTime(),
      options.to.getTime(),
      ...filterValues,
      cursor.startedAt,
      cursor.startedAt,
      cursor.id,
      pageSize,
    ) as StoredCallPricing[];
    const changes: Array<{ id: string; pricing: CallPricing }> = [];
    for (const row of rows) {
      const pricing = repriceCall({ row, overrides });
      addToTotals(before, {
        costUsd: row.costUsd,
        savingsUsd: row.savingsUsd,
        pricingStatus: row.pricingStatus ?? "unpriced",
      });
      addToTotals(after, pricing);
      if (!samePricing(row, pricing)) changes.push({ id: row.id, pricing });
    }
    changedCalls += changes.length;
    if (!dryRun && changes.length > 0) {
      await writeWithoutWaiting(database, () => writePage.immediate(changes), {
        what: changedCalls > changes.length ? "the rest of the re-price" : "the re-price",
      });
    }
    const last = rows.at(-1);
    if (rows.length < pageSize || !last) break;
    cursor = { startedAt: last.startedAt, id: last.id };
    await yieldToEventLoop();
  }
  return {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    provider: options.provider ?? null,
    model: options.model ?? null,
    dryRun,
    calls: before.calls,
    changedCalls,
    before,
    after,
  };
}
