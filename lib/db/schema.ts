/**
 * The SQLite schema. Times are integer epoch milliseconds; JSON columns hold the values the
 * app already has in memory (messages, params, raw usage) so a run can be replayed exactly.
 *
 * `calls` is one wide, denormalized row per call. Usage reports do not scan it: the rollup
 * tables below are kept equal to sums over the calls that have ended — per batch by the
 * recorder (lib/db/batched-rollups.ts), per row by triggers for any other write; what one call
 * adds is the view `call_rollup_contributions` (migration `0006_rollups_in_batches`) — and a
 * report sums whole hours or days from there plus the few calls in the partial hours at its
 * edges. Scanning a million calls took about a second even through a covering index;
 * the rollup keeps `GET /api/usage` in milliseconds.
 */
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { ProviderErrorKind } from "@/lib/models/errors";
import type {
  ProviderId,
  RequestRecord,
  ResponseFormat,
  StopReason,
  ToolCall,
  ToolDefinition,
  UnsupportedParameter,
} from "@/lib/models/types";

/** Per-target parameters as the HTTP API accepts them, stored with each call. */
export interface CallParameters {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
  frequencyPenalty?: number;
  presencePenalty?: number;
  promptCache?: boolean | "5m" | "1h";
  reasoningEffort?: "low" | "medium" | "high";
}

/** A content part as the HTTP API takes it: images by id, never inlined in the record. */
export type RecordedContentPart =
  | { type: "text"; text: string }
  | { type: "image"; imageId: string };

/** A run message as the HTTP API took it (assistant tool calls and tool ids left loose). */
export interface RecordedMessage {
  role: string;
  content: string | RecordedContentPart[] | null;
}

export type CallStatus = "running" | "ok" | "error" | "cancelled" | "interrupted";

/** Who asked for a call (DESIGN.md, usage `groupBy=source`). */
export const CALL_SOURCES = ["playground", "evaluation", "judge", "gateway"] as const;
export type CallSource = (typeof CALL_SOURCES)[number];
export type UsageStatus = "reported" | "missing";
/**
 * `usage_missing`: the provider never reported the counts a cost needs (the call failed first,
 * was never sent, or was cancelled early). Not a price problem, so not `unpriced`.
 */
export type PricingStatus = "priced" | "local" | "unpriced" | "usage_missing";

export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    system: text("system"),
    messages: text("messages", { mode: "json" }).$type<RecordedMessage[]>().notNull(),
    tools: text("tools", { mode: "json" }).$type<ToolDefinition[]>(),
    responseFormat: text("response_format", { mode: "json" }).$type<ResponseFormat>(),
    /** The first user message, shortened: what a run list shows. */
    title: text("title").notNull().default(""),
    /** System prompt and every message's text, for `listRuns({ search })`. */
    searchText: text("search_text").notNull().default(""),
    /** Who asked for the run; `listRuns` shows the compare page's (`playground`) by default. */
    source: text("source").$type<CallSource>().notNull().default("playground"),
    /**
     * The comparison this run is part of: the runs one "Run all" creates (columns with
     * different histories run separately) share it. `null` for runs recorded before it
     * existed and for callers that name none; such a run is its own comparison.
     */
    comparisonId: text("comparison_id"),
    /** The run whose turn was edited and resent to make this one ("edit and resend"). */
    branchedFromRunId: text("branched_from_run_id"),
  },
  (table) => [
    index("runs_created_at_idx").on(table.createdAt, table.id),
    index("runs_source_created_at_idx").on(table.source, table.createdAt, table.id),
    index("runs_comparison_idx").on(table.comparisonId),
  ],
);

export type RunRow = typeof runs.$inferSelect;
export type RunInsert = typeof runs.$inferInsert;

export const calls = sqliteTable(
  "calls",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    callIndex: integer("call_index").notNull(),
    /** The full model string, `provider:model`. */
    model: text("model").notNull(),
    provider: text("provider").$type<ProviderId>().notNull(),
    modelId: text("model_id").notNull(),
    params: text("params", { mode: "json" }).$type<CallParameters>().notNull(),
    system: text("system"),
    status: text("status").$type<CallStatus>().notNull(),
    stopReason: text("stop_reason").$type<StopReason>(),
    rawStopReason: text("raw_stop_reason"),
    errorKind: text("error_kind").$type<ProviderErrorKind>(),
    errorCode: text("error_code"),
    errorStatus: integer("error_status"),
    errorMessage: text("error_message"),
    errorRetryAfterMs: integer("error_retry_after_ms"),
    output: text("output").notNull().default(""),
    /** Reasoning text the provider returned (thinking, reasoning_content); null when none. */
    reasoning: text("reasoning"),
    toolCalls: text("tool_calls", { mode: "json" })
      .$type<ToolCall[]>()
      .notNull()
      .default(sql`'[]'`),
    /** What was sent upstream (never credentials). */
    request: text("request", { mode: "json" }).$type<RequestRecord>(),
    unsupported: text("unsupported", { mode: "json" }).$type<UnsupportedParameter[]>(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    firstTokenAt: integer("first_token_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    ttftMs: integer("ttft_ms"),
    durationMs: integer("duration_ms"),
    /** Requests the call took, retries included; the timings above are the last one's. */
    attempts: integer("attempts").notNull().default(1),
    // Normalized usage (usage-semantics.md): null when the provider did not say.
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    cacheReadTokens: integer("cache_read_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    cacheWrite5mTokens: integer("cache_write_5m_tokens"),
    cacheWrite1hTokens: integer("cache_write_1h_tokens"),
    reasoningTokens: integer("reasoning_tokens"),
    usageStatus: text("usage_status").$type<UsageStatus>().notNull().default("missing"),
    rawUsage: text("raw_usage", { mode: "json" }).$type<unknown>(),
    // Cost, computed once when the call finished; null when unpriced.
    costUsd: real("cost_usd"),
    costInputUsd: real("cost_input_usd"),
    costCacheReadUsd: real("cost_cache_read_usd"),
    costCacheWriteUsd: real("cost_cache_write_usd"),
    costOutputUsd: real("cost_output_usd"),
    savingsUsd: real("savings_usd"),
    /** `genai-prices@<version>:<provider>/<model>`, `override:<id>` or `local`. */
    priceSource: text("price_source"),
    /** Null while the call is running. */
    pricingStatus: text("pricing_status").$type<PricingStatus>(),
    /** Who asked for the call: the compare page, an evaluation, a judge or the gateway. */
    source: text("source").$type<CallSource>().notNull().default("playground"),
    // Gateway calls only: the key (its name is copied so a revoked, renamed or deleted key
    // still reads right in old reports), the caller's tags and end user.
    gatewayKeyId: text("gateway_key_id"),
    keyName: text("key_name"),
    tags: text("tags", { mode: "json" }).$type<string[]>(),
    endUser: text("end_user"),
  },
  (table) => [
    // Not unique: a column retried within a run may be recorded as a second call at the
    // same index; both are kept, ordered by start.
    index("calls_run_index_idx").on(table.runId, table.callIndex),
    // Reports read `usage_hourly`; this index serves the partial hours at a range's edges,
    // exports and time-ordered listings.
    index("calls_started_at_idx").on(table.startedAt),
    // The usage dashboard's "most expensive runs" under a provider or model filter, when few
    // calls match. Neither column changes after insert, so finishing a call never moves it.
    index("calls_model_started_at_idx").on(table.model, table.startedAt),
    // A key's budget sums its calls of today and this month on every gateway request.
    index("calls_gateway_key_started_at_idx").on(table.gatewayKeyId, table.startedAt),
    // `/api/usage` and `/api/calls` by source, key and tag read `calls` (the rollups carry
    // none of the three). Source: one entry per call. Key and tag: partial indexes, so only
    // the gateway calls that carry them pay the extra write.
    index("calls_source_started_at_idx").on(table.source, table.startedAt),
    index("calls_keyed_started_at_idx")
      .on(table.startedAt)
      .where(sql`${table.keyName} IS NOT NULL`),
    index("calls_tagged_started_at_idx").on(table.startedAt).where(sql`${table.tags} IS NOT NULL`),
    // No index on `status`: only crash recovery looks calls up by it, once per boot (a
    // scan of a million rows takes a fraction of a second), while an index would cost two
    // more B-tree writes for every recorded call.
  ],
);

export type CallRow = typeof calls.$inferSelect;
export type CallInsert = typeof calls.$inferInsert;

/**
 * The sums `usage_hourly` and `usage_daily` both hold per bucket and model. A function, so
 * each table gets column builders of its own.
 */
function usageSumColumns() {
  return {
    calls: integer("calls").notNull().default(0),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cacheReadTokens: integer("cache_read_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    savingsUsd: real("savings_usd").notNull().default(0),
    unpricedCalls: integer("unpriced_calls").notNull().default(0),
    errorCalls: integer("error_calls").notNull().default(0),
    /** Finished calls whose provider reported no usage: their tokens are unknown, not 0. */
    usageMissingCalls: integer("usage_missing_calls").notNull().default(0),
    /**
     * Calls that reported a cache-read count (0 included), and their input tokens: a cache hit
     * ratio is read over these only, since a provider that says nothing about its cache
     * (Ollama, say) has not had 0% hits.
     */
    cacheReportedCalls: integer("cache_reported_calls").notNull().default(0),
    cacheReportedInputTokens: integer("cache_reported_input_tokens").notNull().default(0),
  };
}

/** Per hour (UTC, epoch ms of the hour's start) and model: sums over the ended calls. */
export const usageHourly = sqliteTable(
  "usage_hourly",
  {
    hourStart: integer("hour_start").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    ...usageSumColumns(),
  },
  (table) => [
    primaryKey({ columns: [table.hourStart, table.model] }),
    index("usage_hourly_provider_idx").on(table.provider, table.hourStart),
    index("usage_hourly_model_idx").on(table.model, table.hourStart),
  ],
);

export type UsageHourlyRow = typeof usageHourly.$inferSelect;

/**
 * The same sums as `usage_hourly`, per UTC day (epoch ms of midnight) and model. The usage
 * dashboard reads whole days here (a 30-day view is about 600 rows instead of 14,000), and
 * `usage_hourly` and `calls` only for the partial days at a range's edges.
 */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    dayStart: integer("day_start").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    ...usageSumColumns(),
  },
  (table) => [primaryKey({ columns: [table.dayStart, table.model] })],
);

export type UsageDailyRow = typeof usageDaily.$inferSelect;

/**
 * Histograms of call timings per UTC day and model, so percentiles over a month of calls read
 * a few thousand
 * rows instead of every call. `metric` is `ttft` (time to first token, ms) or `tps` (output
 * tokens per second after the first token, finished calls only). `bucket` is
 * `floor(10 * log10(value))` (ten buckets per decade, each about 26% wide), `-1` for values
 * below 1; see `lib/reports/histogram.ts`.
 */
export const timingDaily = sqliteTable(
  "timing_daily",
  {
    dayStart: integer("day_start").notNull(),
    model: text("model").notNull(),
    provider: text("provider").notNull(),
    metric: text("metric").$type<"ttft" | "tps">().notNull(),
    bucket: integer("bucket").notNull(),
    calls: integer("calls").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.dayStart, table.model, table.metric, table.bucket] })],
);

export type TimingDailyRow = typeof timingDaily.$inferSelect;

/**
 * Per run: when its first ended call started and what its calls cost, so "the
 * most expensive runs" of a busy range is a short walk down `run_costs_cost_idx` rather than
 * a sum over every call (lib/reports/dashboard-queries.ts).
 */
export const runCosts = sqliteTable(
  "run_costs",
  {
    runId: text("run_id").primaryKey(),
    startedAt: integer("started_at").notNull(),
    calls: integer("calls").notNull().default(0),
    /** Sum over priced calls; `unpricedCalls` says how many are missing from it. */
    costUsd: real("cost_usd").notNull().default(0),
    unpricedCalls: integer("unpriced_calls").notNull().default(0),
  },
  (table) => [index("run_costs_cost_idx").on(table.costUsd)],
);

export type RunCostRow = typeof runCosts.$inferSelect;

export const priceOverrides = sqliteTable(
  "price_overrides",
  {
    id: text("id").primaryKey(),
    provider: text("provider").notNull(),
    /** An exact model id, or a pattern where `*` matches any run of characters. */
    modelPattern: text("model_pattern").notNull(),
    // USD per million tokens.
    inputPerMillion: real("input_per_million").notNull(),
    outputPerMillion: real("output_per_million").notNull(),
    cacheReadPerMillion: real("cache_read_per_million"),
    cacheWritePerMillion: real("cache_write_per_million"),
    cacheWrite5mPerMillion: real("cache_write_5m_per_million"),
    cacheWrite1hPerMillion: real("cache_write_1h_per_million"),
    effectiveFrom: integer("effective_from", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    note: text("note"),
  },
  (table) => [
    uniqueIndex("price_overrides_key_idx").on(
      table.provider,
      table.modelPattern,
      table.effectiveFrom,
    ),
  ],
);

export type PriceOverrideRow = typeof priceOverrides.$inferSelect;
export type PriceOverrideInsert = typeof priceOverrides.$inferInsert;

export * from "./schema-evaluations";
export * from "./schema-gateway";
