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
import { bucketOf } from "@/lib/reports/histogram";

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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Tokens per second need this much streaming after the first token (as in the view). */
const MIN_STREAMING_MS = 50;

/** The sums `usage_hourly` and `usage_daily` keep, by column name, in the tables' order. */
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
] as const;

type UsageSums = number[];

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

/** Adds one ended call to usage sums kept in `USAGE_SUM_COLUMNS` order. */
function addToUsageSums(sums: UsageSums, call: RollupColumns): void {
  const cacheReported = call.cacheReadTokens !== null;
  sums[0] = (sums[0] as number) + 1;
  sums[1] = (sums[1] as number) + (call.inputTokens ?? 0);
  sums[2] = (sums[2] as number) + (call.outputTokens ?? 0);
  sums[3] = (sums[3] as number) + (call.cacheReadTokens ?? 0);
  sums[4] = (sums[4] as number) + (call.cacheWriteTokens ?? 0);
  sums[5] = (sums[5] as number) + (call.reasoningTokens ?? 0);
  sums[6] = (sums[6] as number) + (call.costUsd ?? 0);
  sums[7] = (sums[7] as number) + (call.savingsUsd ?? 0);
  if (call.pricingStatus === "unpriced") sums[8] = (sums[8] as number) + 1;
  if (call.status === "error") sums[9] = (sums[9] as number) + 1;
  if (call.usageStatus === "missing") sums[10] = (sums[10] as number) + 1;
  if (cacheReported) {
    sums[11] = (sums[11] as number) + 1;
    sums[12] = (sums[12] as number) + (call.inputTokens ?? 0);
  }
}

/** Output tokens per second after the first token, where the view computes one. */
export function tokensPerSecondOf(call: RollupColumns): number | null {
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
    const sums = new Array<number>(USAGE_SUM_COLUMNS.length).fill(0);
    bucket = { start, model: call.model, provider: call.provider, sums };
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
        upsertHourly.run(bucket.start, bucket.provider, bucket.model, ...bucket.sums);
      for (const bucket of allOf(daily))
        upsertDaily.run(bucket.start, bucket.provider, bucket.model, ...bucket.sums);
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
