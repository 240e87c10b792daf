/**
 * The rollups' share of a recorder batch, summed in TypeScript. For a call the recorder knows
 * whole (it wrote every column the rollups read), what the call adds is computed here, as the
 * SQL view `call_rollup_contributions` (migration 0006) defines it, summed per bucket, and
 * written with one upsert per bucket: a few rows of `usage_hourly`, `usage_daily` and
 * `timing_daily` and one per run in `run_costs`. Staging every call in SQL and grouping it
 * there cost the recorder more than a third of its time.
 *
 * The view still serves every other write (the per-row triggers, and the recorder's updates
 * to calls it does not know); rollup-deltas.test.ts holds the two definitions equal.
 */
import type BetterSqlite3 from "better-sqlite3";
import { DAY_MS, HOUR_MS } from "@/lib/time";
import { bucketOf } from "./timing-buckets";

/** A call's columns that the rollups read, as stored (times in epoch milliseconds). */
export interface RollupColumns {
  runId: string;
  startedAt: number;
  provider: string;
  model: string;
  status: string;
  usageStatus: string | null;
  pricingStatus: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  savingsUsd: number | null;
  ttftMs: number | null;
  durationMs: number | null;
}

/** Tokens per second need this much streaming after the first token (as in the view). */
const MIN_STREAMING_MS = 50;

/** The sums `usage_hourly` and `usage_daily` keep, by their columns' names. */
interface UsageSums {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  savings_usd: number;
  unpriced_calls: number;
  error_calls: number;
  usage_missing_calls: number;
  cache_reported_calls: number;
  cache_reported_input_tokens: number;
}

const USAGE_SUM_COLUMNS = [
  "calls",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "cost_usd",
  "savings_usd",
  "unpriced_calls",
  "error_calls",
  "usage_missing_calls",
  "cache_reported_calls",
  "cache_reported_input_tokens",
] as const satisfies ReadonlyArray<keyof UsageSums>;

function zeroUsageSums(): UsageSums {
  return {
    calls: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0,
    savings_usd: 0,
    unpriced_calls: 0,
    error_calls: 0,
    usage_missing_calls: 0,
    cache_reported_calls: 0,
    cache_reported_input_tokens: 0,
  };
}

/** A bucket per model: its provider is the model's (`provider:model`), whichever call came first. */
interface UsageBucket {
  start: number;
  model: string;
  provider: string;
  sums: UsageSums;
}

interface TimingBucket {
  dayStart: number;
  model: string;
  provider: string;
  metric: "ttft" | "tps";
  bucket: number;
  calls: number;
}

interface RunBucket {
  runId: string;
  startedAt: number;
  calls: number;
  costUsd: number;
  unpricedCalls: number;
}

/** Adds one ended call to usage sums. */
function addToUsageSums(sums: UsageSums, call: RollupColumns): void {
  sums.calls += 1;
  sums.input_tokens += call.inputTokens ?? 0;
  sums.output_tokens += call.outputTokens ?? 0;
  sums.cache_read_tokens += call.cacheReadTokens ?? 0;
  sums.cache_write_tokens += call.cacheWriteTokens ?? 0;
  sums.reasoning_tokens += call.reasoningTokens ?? 0;
  sums.cost_usd += call.costUsd ?? 0;
  sums.savings_usd += call.savingsUsd ?? 0;
  if (call.pricingStatus === "unpriced") sums.unpriced_calls += 1;
  if (call.status === "error") sums.error_calls += 1;
  if (call.usageStatus === "missing") sums.usage_missing_calls += 1;
  // A hit ratio is read over calls that reported their cache reads (0 included).
  if (call.cacheReadTokens !== null) {
    sums.cache_reported_calls += 1;
    sums.cache_reported_input_tokens += call.inputTokens ?? 0;
  }
}

/** Output tokens per second after the first token, where the view computes one. */
function tokensPerSecondOf(call: RollupColumns): number | null {
  const { outputTokens, ttftMs, durationMs } = call;
  if (call.status !== "ok" || outputTokens === null || outputTokens <= 0) return null;
  if (ttftMs === null || durationMs === null || durationMs - ttftMs < MIN_STREAMING_MS) return null;
  return (outputTokens * 1000) / (durationMs - ttftMs);
}

/** Buckets by start time, then model: a batch has few of each, and no key string per call. */
type UsageBuckets = Map<number, Map<string, UsageBucket>>;

/** The map under `key` in `map`, created empty when there is none yet. */
function innerMap<K, K2, V>(map: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let inner = map.get(key);
  if (inner === undefined) {
    inner = new Map();
    map.set(key, inner);
  }
  return inner;
}

function addUsage(buckets: UsageBuckets, start: number, call: RollupColumns): void {
  const byModel = innerMap(buckets, start);
  let bucket = byModel.get(call.model);
  if (bucket === undefined) {
    bucket = { start, model: call.model, provider: call.provider, sums: zeroUsageSums() };
    byModel.set(call.model, bucket);
  }
  addToUsageSums(bucket.sums, call);
}

/** Buckets by day, then model, then metric and bucket (`ttft:12`). */
type TimingBuckets = Map<number, Map<string, Map<string, TimingBucket>>>;

function addTiming(
  buckets: TimingBuckets,
  dayStart: number,
  call: RollupColumns,
  metric: "ttft" | "tps",
  value: number,
): void {
  const byBucket = innerMap(innerMap(buckets, dayStart), call.model);
  const bucket = bucketOf(value);
  const key = `${metric}:${bucket}`;
  const found = byBucket.get(key);
  if (found === undefined) {
    byBucket.set(key, {
      dayStart,
      model: call.model,
      provider: call.provider,
      metric,
      bucket,
      calls: 1,
    });
  } else {
    found.calls += 1;
  }
}

function* allOf<T>(buckets: Map<unknown, Map<unknown, T>>): Iterable<T> {
  for (const inner of buckets.values()) yield* inner.values();
}

function sumsInOrder(sums: UsageSums): number[] {
  return USAGE_SUM_COLUMNS.map((column) => sums[column]);
}

function upsertUsageSql(table: "usage_hourly" | "usage_daily", startColumn: string): string {
  const columns = [startColumn, "provider", "model", ...USAGE_SUM_COLUMNS];
  const placeholders = columns.map(() => "?").join(", ");
  const additions = USAGE_SUM_COLUMNS.map(
    (column) => `"${column}" = "${column}" + excluded."${column}"`,
  );
  return `INSERT INTO "${table}" (${columns.map((column) => `"${column}"`).join(", ")})
    VALUES (${placeholders})
    ON CONFLICT ("${startColumn}", "model") DO UPDATE SET ${additions.join(", ")}`;
}

export interface RollupDeltas {
  /** Adds what an ended call adds to the rollups; a running call adds nothing. */
  add(call: RollupColumns): void;
  /** Writes everything added since the last `apply` or `clear`, then forgets it. */
  apply(): void;
  /** Forgets everything added (the batch it belonged to was rolled back). */
  clear(): void;
}

/** The returned deltas write through statements prepared once, on this connection. */
export function createRollupDeltas(sqlite: BetterSqlite3.Database): RollupDeltas {
  const upsertHourly = sqlite.prepare(upsertUsageSql("usage_hourly", "hour_start"));
  const upsertDaily = sqlite.prepare(upsertUsageSql("usage_daily", "day_start"));
  const upsertTiming = sqlite.prepare(
    `INSERT INTO "timing_daily" ("day_start", "model", "provider", "metric", "bucket", "calls")
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT ("day_start", "model", "metric", "bucket") DO UPDATE SET "calls" = "calls" + excluded."calls"`,
  );
  const upsertRunCost = sqlite.prepare(
    `INSERT INTO "run_costs" ("run_id", "started_at", "calls", "cost_usd", "unpriced_calls")
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT ("run_id") DO UPDATE SET
       "started_at" = min("started_at", excluded."started_at"),
       "calls" = "calls" + excluded."calls",
       "cost_usd" = "cost_usd" + excluded."cost_usd",
       "unpriced_calls" = "unpriced_calls" + excluded."unpriced_calls"`,
  );

  const hourly: UsageBuckets = new Map();
  const daily: UsageBuckets = new Map();
  const timings: TimingBuckets = new Map();
  const runs = new Map<string, RunBucket>();

  function clear() {
    hourly.clear();
    daily.clear();
    timings.clear();
    runs.clear();
  }

  return {
    add(call) {
      if (call.status === "running") return;
      // Integer division in SQL; the same for the positive times stored here.
      const hourStart = Math.floor(call.startedAt / HOUR_MS) * HOUR_MS;
      const dayStart = Math.floor(call.startedAt / DAY_MS) * DAY_MS;
      addUsage(hourly, hourStart, call);
      addUsage(daily, dayStart, call);
      if (call.ttftMs !== null) addTiming(timings, dayStart, call, "ttft", call.ttftMs);
      const tokensPerSecond = tokensPerSecondOf(call);
      if (tokensPerSecond !== null) addTiming(timings, dayStart, call, "tps", tokensPerSecond);
      const unpriced = call.pricingStatus === "unpriced" ? 1 : 0;
      const run = runs.get(call.runId);
      if (run === undefined) {
        runs.set(call.runId, {
          runId: call.runId,
          startedAt: call.startedAt,
          calls: 1,
          costUsd: call.costUsd ?? 0,
          unpricedCalls: unpriced,
        });
      } else {
        run.startedAt = Math.min(run.startedAt, call.startedAt);
        run.calls += 1;
        run.costUsd += call.costUsd ?? 0;
        run.unpricedCalls += unpriced;
      }
    },
    apply() {
      for (const bucket of allOf(hourly))
        upsertHourly.run(bucket.start, bucket.provider, bucket.model, ...sumsInOrder(bucket.sums));
      for (const bucket of allOf(daily))
        upsertDaily.run(bucket.start, bucket.provider, bucket.model, ...sumsInOrder(bucket.sums));
      for (const byBucket of timings.values())
        for (const timing of allOf(byBucket))
          upsertTiming.run(
            timing.dayStart,
            timing.model,
            timing.provider,
            timing.metric,
            timing.bucket,
            timing.calls,
          );
      for (const run of runs.values())
        upsertRunCost.run(run.runId, run.startedAt, run.calls, run.costUsd, run.unpricedCalls);
      clear();
    },
    clear,
  };
}
