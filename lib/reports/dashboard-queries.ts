/**
 * The reads behind `/usage`. Each returns plain rows for the preparers (`prepare-dashboard.ts`)
 * and reads rollups, not calls, for the bulk of a range:
 *
 * - usage sums per UTC day and model: whole days from `usage_daily`, whole hours of the
 *   partial days at either edge from `usage_hourly`, and the minutes around those from `calls`;
 * - timing histograms per model: whole UTC days from `timing_daily`, partial days from `calls`
 *   (the page's preset ranges are whole days, so they never touch `calls`);
 * - the most expensive runs: `run_costs`, either walked down its cost index or, when few calls
 *   match, looked up from those calls.
 *
 * Usage and timing rows come unfiltered: the page derives its provider and model choices
 * from them and filters in memory, which costs nothing next to a second query.
 */
import "server-only";
import { type Database, getDb } from "@/lib/db/client";
import { DAY_MS, HOUR_MS } from "@/lib/time";
import {
  addSums,
  emptySums,
  type ModelDayUsage,
  type TimingBucketRow,
  type TopRunRow,
  type UsageSums,
} from "./usage-rows";

export interface RangeOptions {
  from: Date;
  to: Date;
  database?: Database;
}

function dayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

interface SumRow extends UsageSums {
  dayNumber: number;
  provider: string;
  model: string;
}

/**
 * The same sums over the rollup tables and over `call_rollup_contributions` (the view of
 * migration 0006 that says what one ended call adds to the rollups), which share column
 * names; only the call count differs: a rollup row holds a count, a view row is one call.
 */
const sumsSql = (calls: string) => `${calls} AS calls,
  sum(input_tokens) AS inputTokens,
  sum(output_tokens) AS outputTokens,
  sum(cache_read_tokens) AS cacheReadTokens,
  sum(cache_write_tokens) AS cacheWriteTokens,
  sum(reasoning_tokens) AS reasoningTokens,
  total(cost_usd) AS costUsd,
  total(savings_usd) AS savingsUsd,
  sum(unpriced_calls) AS unpricedCalls,
  sum(error_calls) AS errorCalls,
  sum(usage_missing_calls) AS usageMissingCalls,
  sum(cache_reported_calls) AS cacheReportedCalls,
  sum(cache_reported_input_tokens) AS cacheReportedInputTokens`;
const CALL_SUMS_SQL = sumsSql("count(*)");
const ROLLUP_SUMS_SQL = sumsSql("sum(calls)");

/**
 * Usage of every model on every UTC day of `[from, to)` that had calls, unfiltered. Days
 * without calls have no row; `listDays` gives the full axis.
 */
export function getUsageByDayAndModel(options: RangeOptions): ModelDayUsage[] {
  const { sqlite } = options.database ?? getDb();
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  if (!(toMs > fromMs)) return [];
  const rows: SumRow[] = [];
  const fromCalls = sqlite.prepare(
    `SELECT started_at / ${DAY_MS} AS dayNumber, min(provider) AS provider, model, ${CALL_SUMS_SQL}
     FROM call_rollup_contributions WHERE started_at >= ? AND started_at < ?
     GROUP BY dayNumber, model`,
  );
  const fromHours = sqlite.prepare(
    `SELECT hour_start / ${DAY_MS} AS dayNumber, min(provider) AS provider, model, ${ROLLUP_SUMS_SQL}
     FROM usage_hourly WHERE hour_start >= ? AND hour_start < ? GROUP BY dayNumber, model`,
  );
  const fromDays = sqlite.prepare(
    `SELECT day_start / ${DAY_MS} AS dayNumber, provider, model, ${ROLLUP_SUMS_SQL}
     FROM usage_daily WHERE day_start >= ? AND day_start < ? GROUP BY day_start, model`,
  );
  const read = (statement: typeof fromCalls, startMs: number, endMs: number) => {
    if (endMs > startMs) rows.push(...(statement.all(startMs, endMs) as SumRow[]));
  };
  // Whole hours from the hourly rollup, the minutes around them from the calls.
  const readHours = (startMs: number, endMs: number) => {
    const firstWholeHour = Math.ceil(startMs / HOUR_MS) * HOUR_MS;
    const endWholeHours = Math.floor(endMs / HOUR_MS) * HOUR_MS;
    if (firstWholeHour < endWholeHours) {
      read(fromCalls, startMs, firstWholeHour);
      read(fromHours, firstWholeHour, endWholeHours);
      read(fromCalls, endWholeHours, endMs);
    } else {
      read(fromCalls, startMs, endMs);
    }
  };
  const firstWholeDay = Math.ceil(fromMs / DAY_MS) * DAY_MS;
  const endWholeDays = Math.floor(toMs / DAY_MS) * DAY_MS;
  if (firstWholeDay < endWholeDays) {
    readHours(fromMs, firstWholeDay);
    read(fromDays, firstWholeDay, endWholeDays);
    readHours(endWholeDays, toMs);
  } else {
    readHours(fromMs, toMs);
  }

  const merged = new Map<string, ModelDayUsage>();
  for (const row of rows) {
    if (row.calls <= 0) continue;
    const day = dayKey(row.dayNumber);
    const key = `${day}\u0000${row.model}`;
    let entry = merged.get(key);
    if (!entry) {
      entry = { day, provider: row.provider, model: row.model, ...emptySums() };
      merged.set(key, entry);
    }
    addSums(entry, row);
  }
  return [...merged.values()];
}

/** Every UTC day that `[from, to)` touches, oldest first (`YYYY-MM-DD`). */
export function listDays(options: { from: Date; to: Date }): string[] {
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  if (!(toMs > fromMs)) return [];
  const days: string[] = [];
  for (let day = Math.floor(fromMs / DAY_MS); day <= Math.floor((toMs - 1) / DAY_MS); day++) {
    days.push(dayKey(day));
  }
  return days;
}

/** Histogram buckets of time to first token and output speed per model, unfiltered. */
export function getTimingHistograms(options: RangeOptions): TimingBucketRow[] {
  const { sqlite } = options.database ?? getDb();
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  if (!(toMs > fromMs)) return [];
  const rows: TimingBucketRow[] = [];
  const fromCalls = sqlite.prepare(
    `SELECT model, min(provider) AS provider, metric, bucket, count(*) AS calls
     FROM (
       SELECT model, provider, 'ttft' AS metric, ttft_bucket AS bucket
         FROM call_rollup_contributions WHERE started_at >= @from AND started_at < @to
       UNION ALL
       SELECT model, provider, 'tps' AS metric, tps_bucket AS bucket
         FROM call_rollup_contributions WHERE started_at >= @from AND started_at < @to
     )
     WHERE bucket IS NOT NULL GROUP BY model, metric, bucket`,
  );
  const readCalls = (startMs: number, endMs: number) => {
    if (endMs > startMs) {
      rows.push(...(fromCalls.all({ from: startMs, to: endMs }) as TimingBucketRow[]));
    }
  };
  const firstWholeDay = Math.ceil(fromMs / DAY_MS) * DAY_MS;
  const endWholeDays = Math.floor(toMs / DAY_MS) * DAY_MS;
  if (firstWholeDay < endWholeDays) {
    readCalls(fromMs, firstWholeDay);
    const fromDays = sqlite.prepare(
      `SELECT model, min(provider) AS provider, metric, bucket, sum(calls) AS calls
       FROM timing_daily WHERE day_start >= ? AND day_start < ?
       GROUP BY model, metric, bucket HAVING sum(calls) > 0`,
    );
    rows.push(...(fromDays.all(firstWholeDay, endWholeDays) as TimingBucketRow[]));
    readCalls(endWholeDays, toMs);
  } else {
    readCalls(fromMs, toMs);
  }
  return rows;
}

/**
 * Below this many matching calls, the runs are found from the calls themselves; above it,
 * by walking `run_costs` from the most expensive down, which then meets a matching run
 * within a few hundred steps.
 */
export const DIRECT_RUN_LOOKUP_LIMIT = 5_000;

/**
 * The most expensive runs that have at least one call in `[from, to)` among `models` (all
 * models when `null`), ranked by the whole run's cost. `matchingCalls`, the number of such
 * calls (known from the usage rows), picks the faster of the two plans.
 */
export function getTopRuns(
  options: RangeOptions & {
    models: readonly string[] | null;
    matchingCalls: number;
    limit?: number;
  },
): TopRunRow[] {
  const { sqlite } = options.database ?? getDb();
  const limit = options.limit ?? 10;
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  if (!(toMs > fromMs) || options.matchingCalls <= 0 || options.models?.length === 0) return [];

  const modelFilter = options.models
    ? ` AND model IN (${options.models.map(() => "?").join(", ")})`
    : "";
  const modelValues = options.models ?? [];
  // By run first: the planner would otherwise range over every call of the model per run.
  const matchingCallsSql = `SELECT 1 FROM calls INDEXED BY calls_run_index_idx
    WHERE calls.run_id = run_costs.run_id AND started_at >= ? AND started_at < ?${modelFilter}`;

  let rows: Array<Omit<TopRunRow, "title" | "models">>;
  if (options.matchingCalls <= DIRECT_RUN_LOOKUP_LIMIT) {
    rows = sqlite
      .prepare(
        `SELECT run_id AS runId, started_at AS startedAt, calls, cost_usd AS costUsd,
           unpriced_calls AS unpricedCalls
         FROM run_costs WHERE run_id IN (
           SELECT run_id FROM calls WHERE started_at >= ? AND started_at < ?${modelFilter}
         )
         ORDER BY cost_usd DESC, run_id LIMIT ?`,
      )
      .all(fromMs, toMs, ...modelValues, limit) as typeof rows;
  } else {
    rows = sqlite
      .prepare(
        `SELECT run_id AS runId, started_at AS startedAt, calls, cost_usd AS costUsd,
           unpriced_calls AS unpricedCalls
         FROM run_costs INDEXED BY run_costs_cost_idx
         WHERE EXISTS (${matchingCallsSql})
         ORDER BY cost_usd DESC LIMIT ?`,
      )
      .all(fromMs, toMs, ...modelValues, limit) as typeof rows;
  }
  if (rows.length === 0) return [];

  const ids = rows.map((row) => row.runId);
  const placeholders = ids.map(() => "?").join(", ");
  const titles = new Map(
    (
      sqlite
        .prepare(`SELECT id, title FROM runs WHERE id IN (${placeholders})`)
        .all(...ids) as Array<{
        id: string;
        title: string;
      }>
    ).map((row) => [row.id, row.title]),
  );
  const modelsByRun = new Map<string, string[]>();
  for (const row of sqlite
    .prepare(
      `SELECT run_id AS runId, model FROM calls WHERE run_id IN (${placeholders})
       GROUP BY run_id, model ORDER BY run_id, min(call_index)`,
    )
    .all(...ids) as Array<{ runId: string; model: string }>) {
    const list = modelsByRun.get(row.runId) ?? [];
    list.push(row.model);
    modelsByRun.set(row.runId, list);
  }
  return rows.map((row) => ({
    ...row,
    title: titles.get(row.runId) ?? "",
    models: modelsByRun.get(row.runId) ?? [],
  }));
}
