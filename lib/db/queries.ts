/**
 * Every read (and the few direct writes) of the store, as named functions with object
 * parameters. Each takes an optional `database` (tests pass their own; the app uses the
 * process-wide one). Writes of runs and calls go through the tracer (`lib/tracing`), which
 * batches them.
 */
import { providerModelFilter } from "./provider-model-filter";
import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { LOCAL_PROVIDERS } from "@/lib/models/providers";
import type { ToolCall } from "@/lib/models/types";
import { DAY_MS, HOUR_MS } from "@/lib/time";
import { type Database, getDb } from "./client";
import { runPromptOf } from "./run-prompt";
import {
  type CallRow,
  type CallSource,
  calls,
  type PriceOverrideRow,
  priceOverrides,
  type RunRow,
  runs,
} from "./schema";
import { emptyUsageTotals, USAGE_TOTAL_FIELDS, type UsageTotals } from "./usage-totals";

export type { UsageTotals } from "./usage-totals";

interface WithDatabase {
  database?: Database;
}

function databaseOf(options: WithDatabase): Database {
  return options.database ?? getDb();
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

// ---------------------------------------------------------------------------------------------
// Runs and calls

/** Usage as the HTTP API shows it; `null` when the provider reported none. */
export interface CallUsageView {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cacheWrite5mTokens: number | null;
  cacheWrite1hTokens: number | null;
  reasoningTokens: number | null;
}

export interface CallErrorView {
  /** The error kind (`rate_limit`, `auth`, …), or `interrupted` for a call a restart cut off. */
  code: string;
  message: string;
  /** The provider's own error code, when it sent one. */
  providerCode: string | null;
  status: number | null;
}

/** One call of `GET /api/runs/:id` (DESIGN.md), with the recorded detail around it. */
export interface CallView {
  index: number;
  callId: string;
  model: string;
  provider: string;
  modelId: string;
  status: CallRow["status"];
  output: string;
  reasoning: string | null;
  toolCalls: ToolCall[];
  stopReason: CallRow["stopReason"];
  rawStopReason: string | null;
  usage: CallUsageView | null;
  /** The provider's usage object verbatim, for the playground's "inspect" view. */
  rawUsage: CallRow["rawUsage"];
  usageStatus: CallRow["usageStatus"];
  costUsd: number | null;
  cost: {
    inputUsd: number | null;
    cacheReadUsd: number | null;
    cacheWriteUsd: number | null;
    outputUsd: number | null;
    savingsUsd: number | null;
  };
  pricingStatus: CallRow["pricingStatus"];
  priceSource: string | null;
  ttftMs: number | null;
  durationMs: number | null;
  /** Requests the call took, retries included (the timings are the last one's). */
  attempts: number;
  startedAt: string;
  firstTokenAt: string | null;
  finishedAt: string | null;
  error: CallErrorView | null;
  params: CallRow["params"];
  system: string | null;
  request: CallRow["request"];
  unsupported: CallRow["unsupported"];
}

export interface RunView {
  id: string;
  createdAt: string;
  title: string;
  system: string | null;
  messages: (typeof runs.$inferSelect)["messages"];
  tools: (typeof runs.$inferSelect)["tools"];
  responseFormat: (typeof runs.$inferSelect)["responseFormat"];
  /** Added: the comparison it belongs to (its own id when none) and the run it branched from. */
  comparisonId: string;
  branchedFromRunId: string | null;
  calls: CallView[];
}

const INTERRUPTED_MESSAGE = "the server stopped before this call finished";

function callError(row: CallRow): CallErrorView | null {
  if (row.status === "interrupted") {
    return {
      code: "interrupted",
      message: row.errorMessage ?? INTERRUPTED_MESSAGE,
      providerCode: null,
      status: null,
    };
  }
  if (row.errorKind === null && row.errorMessage === null) return null;
  return {
    code: row.errorKind ?? "unknown",
    message: row.errorMessage ?? "",
    providerCode: row.errorCode,
    status: row.errorStatus,
  };
}

function callUsage(row: CallRow): CallUsageView | null {
  const counts: CallUsageView = {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    cacheWrite5mTokens: row.cacheWrite5mTokens,
    cacheWrite1hTokens: row.cacheWrite1hTokens,
    reasoningTokens: row.reasoningTokens,
  };
  return Object.values(counts).every((value) => value === null) ? null : counts;
}

export function toCallView(row: CallRow): CallView {
  return {
    index: row.callIndex,
    callId: row.id,
    model: row.model,
    provider: row.provider,
    modelId: row.modelId,
    status: row.status,
    output: row.output,
    reasoning: row.reasoning,
    toolCalls: row.toolCalls,
    stopReason: row.stopReason,
    rawStopReason: row.rawStopReason,
    usage: callUsage(row),
    rawUsage: row.rawUsage,
    usageStatus: row.usageStatus,
    costUsd: row.costUsd,
    cost: {
      inputUsd: row.costInputUsd,
      cacheReadUsd: row.costCacheReadUsd,
      cacheWriteUsd: row.costCacheWriteUsd,
      outputUsd: row.costOutputUsd,
      savingsUsd: row.savingsUsd,
    },
    pricingStatus: row.pricingStatus,
    priceSource: row.priceSource,
    ttftMs: row.ttftMs,
    durationMs: row.durationMs,
    attempts: row.attempts,
    startedAt: row.startedAt.toISOString(),
    firstTokenAt: iso(row.firstTokenAt),
    finishedAt: iso(row.finishedAt),
    error: callError(row),
    params: row.params,
    system: row.system,
    request: row.request,
    unsupported: row.unsupported,
  };
}

/** A run and its calls ordered by index, shaped as `GET /api/runs/:id`; `null` if unknown. */
export function getRunById(options: { runId: string } & WithDatabase): RunView | null {
  const { orm } = databaseOf(options);
  const run = orm.select().from(runs).where(eq(runs.id, options.runId)).get();
  if (!run) return null;
  const callRows = orm
    .select()
    .from(calls)
    .where(eq(calls.runId, options.runId))
    .orderBy(asc(calls.callIndex), asc(calls.startedAt))
    .all();
  return {
    id: run.id,
    createdAt: run.createdAt.toISOString(),
    title: run.title,
    system: run.system,
    messages: run.messages,
    tools: run.tools,
    responseFormat: run.responseFormat,
    comparisonId: run.comparisonId ?? run.id,
    branchedFromRunId: run.branchedFromRunId,
    calls: callRows.map(toCallView),
  };
}

export function getCallById(options: { callId: string } & WithDatabase): CallView | null {
  const row = databaseOf(options)
    .orm.select()
    .from(calls)
    .where(eq(calls.id, options.callId))
    .get();
  return row ? toCallView(row) : null;
}

/** What the recorder needs to price a call it did not see start. */
export function getCallPricingContext(
  options: { callId: string } & WithDatabase,
): { provider: string; modelId: string; startedAt: Date } | null {
  return (
    databaseOf(options)
      .orm.select({ provider: calls.provider, modelId: calls.modelId, startedAt: calls.startedAt })
      .from(calls)
      .where(eq(calls.id, options.callId))
      .get() ?? null
  );
}

export interface RunSummary {
  id: string;
  createdAt: string;
  /** The conversation's first prompt (as before); `prompt` is what this run itself asked. */
  title: string;
  /** The last user message this run sent, shortened. */
  prompt: string;
  /** Which turn of its conversation the run answered: 1 for a first prompt, 2 for a follow-up. */
  turn: number;
  /** The comparison it belongs to: its own id when it was started without one. */
  comparisonId: string;
  /** The run whose edited turn this run resent, or `null`. */
  branchedFromRunId: string | null;
  calls: Array<{
    index: number;
    callId: string;
    model: string;
    status: CallRow["status"];
    costUsd: number | null;
  }>;
  /** Sum over the calls with a known cost. */
  costUsd: number;
  unpricedCalls: number;
  errorCalls: number;
  runningCalls: number;
}

export interface RunPage {
  runs: RunSummary[];
  /** Pass back as `cursor` for the next page; `null` on the last page. */
  nextCursor: string | null;
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.getTime(), id])).toString("base64url");
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === "number" &&
      Number.isFinite(value[0]) &&
      typeof value[1] === "string"
    ) {
      return { createdAt: new Date(value[0]), id: value[1] };
    }
  } catch {
    // Falls through: a malformed cursor is reported as such.
  }
  return null;
}

export class InvalidCursorError extends InvalidInputError {
  override readonly name = "InvalidCursorError";

  constructor(message: string) {
    super({ message });
  }
}

/** Calls whose tags include `tag` (the `IS NOT NULL` lets the tagged-calls index serve it). */
export function taggedWith(tag: string) {
  return sql`(${calls.tags} IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(${calls.tags}) WHERE json_each.value = ${tag}))`;
}

export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Runs whose messages, system prompt or a call's model contain `search`; none when blank. */
export function runSearchCondition(search: string | null | undefined): SQL | undefined {
  const text = search?.trim();
  if (!text) return undefined;
  const pattern = likePattern(text);
  return or(
    sql`${runs.searchText} LIKE ${pattern} ESCAPE '\\'`,
    sql`EXISTS (SELECT 1 FROM ${calls} WHERE ${calls.runId} = ${runs.id} AND ${calls.model} LIKE ${pattern} ESCAPE '\\')`,
  );
}

/**
 * Runs newest first. `search` matches any message or system text, or a call's model string
 * (case-insensitive substring). Page with `cursor` (stable while runs are added) or `offset`.
 * Only runs of one `source` are listed: the compare page's (`playground`) unless told otherwise,
 * so evaluation cells and gateway calls do not bury them.
 */
export function listRuns(
  options: {
    limit?: number;
    cursor?: string | null;
    offset?: number;
    search?: string | null;
    source?: CallSource;
    /** Only the runs of this comparison. */
    comparisonId?: string | null;
  } & WithDatabase,
): RunPage {
  const { orm } = databaseOf(options);
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 200);
  const conditions: Array<SQL | undefined> = [eq(runs.source, options.source ?? "playground")];
  if (options.comparisonId) {
    conditions.push(sql`coalesce(${runs.comparisonId}, ${runs.id}) = ${options.comparisonId}`);
  }
  conditions.push(runSearchCondition(options.search));
  if (options.cursor) {
    const cursor = decodeCursor(options.cursor);
    if (!cursor) throw new InvalidCursorError("the cursor is not one this server returned");
    conditions.push(
      or(
        lt(runs.createdAt, cursor.createdAt),
        and(eq(runs.createdAt, cursor.createdAt), lt(runs.id, cursor.id)),
      ),
    );
  }
  const page = orm
    .select(RUN_SUMMARY_COLUMNS)
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(limit + 1)
    .offset(options.cursor ? 0 : Math.max(Math.trunc(options.offset ?? 0), 0))
    .all();
  const hasMore = page.length > limit;
  const pageRuns = page.slice(0, limit);
  const last = pageRuns.at(-1);
  return {
    runs: summariseRuns({ ...options, runs: pageRuns }),
    nextCursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

/** The run columns a summary is made of. */
export const RUN_SUMMARY_COLUMNS = {
  id: runs.id,
  createdAt: runs.createdAt,
  title: runs.title,
  messages: runs.messages,
  comparisonId: runs.comparisonId,
  branchedFromRunId: runs.branchedFromRunId,
};

type RunSummaryRow = Pick<
  RunRow,
  "id" | "createdAt" | "title" | "messages" | "comparisonId" | "branchedFromRunId"
>;

/** Runs (in the order given) with their calls, as `GET /api/runs` lists them. */
export function summariseRuns(options: { runs: RunSummaryRow[] } & WithDatabase): RunSummary[] {
  const { orm } = databaseOf(options);
  const pageRuns = options.runs;
  const callRows =
    pageRuns.length === 0
      ? []
      : orm
          .select({
            runId: calls.runId,
            index: calls.callIndex,
            callId: calls.id,
            model: calls.model,
            status: calls.status,
            costUsd: calls.costUsd,
            pricingStatus: calls.pricingStatus,
          })
          .from(calls)
          .where(
            inArray(
              calls.runId,
              pageRuns.map((run) => run.id),
            ),
          )
          .orderBy(asc(calls.callIndex), asc(calls.startedAt))
          .all();
  const byRun = new Map<string, typeof callRows>();
  for (const row of callRows) {
    const list = byRun.get(row.runId) ?? [];
    list.push(row);
    byRun.set(row.runId, list);
  }
  return pageRuns.map((run) => {
    const runCalls = byRun.get(run.id) ?? [];
    return {
      id: run.id,
      createdAt: run.createdAt.toISOString(),
      title: run.title,
      ...runPromptOf(run.messages),
      comparisonId: run.comparisonId ?? run.id,
      branchedFromRunId: run.branchedFromRunId,
      calls: runCalls.map(({ index, callId, model, status, costUsd }) => ({
        index,
        callId,
        model,
        status,
        costUsd,
      })),
      costUsd: runCalls.reduce((sum, call) => sum + (call.costUsd ?? 0), 0),
      unpricedCalls: runCalls.filter((call) => call.pricingStatus === "unpriced").length,
      errorCalls: runCalls.filter((call) => call.status === "error").length,
      runningCalls: runCalls.filter((call) => call.status === "running").length,
    };
  });
}

/**
 * Crash recovery: calls still `running` when the server starts again can never finish.
 * They become `interrupted`, with unknown usage: unpriced, or free for local models.
 */
export function markRunningCallsInterrupted(
  options: WithDatabase & {
    /** Receives the calls just marked, as now stored (for their export). */
    onMarked?: (rows: CallRow[]) => void;
  } = {},
): number {
  const localList = [...LOCAL_PROVIDERS];
  const isLocal = sql`${calls.provider} IN (${sql.join(
    localList.map((provider) => sql`${provider}`),
    sql`, `,
  )})`;
  const zeroWhenLocal = sql`CASE WHEN ${isLocal} THEN 0 ELSE NULL END`;
  const update = databaseOf(options)
    .orm.update(calls)
    .set({
      status: "interrupted",
      errorMessage: INTERRUPTED_MESSAGE,
      usageStatus: "missing",
      pricingStatus: sql`CASE WHEN ${isLocal} THEN 'local' ELSE 'usage_missing' END`,
      priceSource: sql`CASE WHEN ${isLocal} THEN 'local' ELSE NULL END`,
      costUsd: zeroWhenLocal,
      costInputUsd: zeroWhenLocal,
      costCacheReadUsd: zeroWhenLocal,
      costCacheWriteUsd: zeroWhenLocal,
      costOutputUsd: zeroWhenLocal,
      savingsUsd: zeroWhenLocal,
    })
    .where(eq(calls.status, "running"));
  if (!options.onMarked) return update.run().changes;
  const rows = update.returning().all();
  options.onMarked(rows);
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Usage reports

export type UsageGroupBy = "day" | "model" | "provider" | "source" | "key" | "tag";

export interface UsageGroup extends UsageTotals {
  /**
   * `YYYY-MM-DD` (UTC) for days, else the model string, provider id, source, gateway key name
   * or tag. Calls without a key (or tag) count in the totals but in no key (or tag) group; a
   * call with two tags is in both tags' groups.
   */
  key: string;
}

/** The filters `calls` alone can answer (the rollups carry no source, key or tag). */
export interface CallContextFilter {
  source?: string | null;
  /** A gateway key's name. */
  key?: string | null;
  tag?: string | null;
}

export interface UsageReport {
  totals: UsageTotals;
  groups: UsageGroup[];
}

interface AggregateRow extends UsageTotals {
  bucket: string | number | null;
}

function addInto(target: UsageTotals, row: UsageTotals): void {
  for (const field of USAGE_TOTAL_FIELDS) target[field] += row[field];
}

function dayKey(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** Days filled in for charts when the range is at most this long. */
const MAX_FILLED_DAYS = 3_700;

/**
 * Totals and groups over calls that started in `[from, to)`. Whole hours come from the
 * `usage_hourly` rollup; only the calls in the partial hours at either edge are read from
 * `calls`, so the cost of a report does not grow with the number of calls.
 */
export function getUsageReport(
  options: {
    from: Date;
    to: Date;
    groupBy: UsageGroupBy;
    provider?: string | null;
    model?: string | null;
  } & CallContextFilter &
    WithDatabase,
): UsageReport {
  if (options.source || options.key || options.tag) {
    return getUsageReportFromCalls({ ...options, withTotals: true });
  }
  if (options.groupBy === "source" || options.groupBy === "key" || options.groupBy === "tag") {
    // Totals from the rollups as usual; only the groups need the calls.
    const { totals } = getUsageReport({ ...options, groupBy: "provider" });
    return { totals, groups: getUsageReportFromCalls({ ...options, withTotals: false }).groups };
  }
  const groupBy = options.groupBy;
  const { sqlite } = databaseOf(options);
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  const totals = emptyUsageTotals();
  const groups = new Map<string, UsageTotals>();
  if (!(toMs > fromMs)) return { totals, groups: [] };

  const { sql: filterSql, values: filterValues } = providerModelFilter(options);

  const collect = (rows: AggregateRow[]) => {
    for (const row of rows) {
      if (row.calls === 0) continue;
      const key = groupBy === "day" ? dayKey(Number(row.bucket)) : String(row.bucket);
      const group = groups.get(key) ?? emptyUsageTotals();
      addInto(group, row);
      groups.set(key, group);
      addInto(totals, row);
    }
  };

  const firstWholeHour = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const endWholeHours = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  const callBucket = groupBy === "day" ? `started_at / ${DAY_MS}` : groupBy;
  // The calls around the whole hours, through the view that says what an ended call adds to
  // the rollups (migration 0006), so both sides count the same calls the same way.
  const callAggregate = sqlite.prepare(
    `SELECT ${callBucket} AS bucket, count(*) AS calls,
       sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
       sum(cache_read_tokens) AS cacheReadTokens, sum(cache_write_tokens) AS cacheWriteTokens,
       sum(reasoning_tokens) AS reasoningTokens,
       total(cost_usd) AS costUsd, total(savings_usd) AS savingsUsd,
       sum(unpriced_calls) AS unpricedCalls, sum(error_calls) AS errorCalls,
       sum(usage_missing_calls) AS usageMissingCalls
     FROM call_rollup_contributions
     WHERE started_at >= ? AND started_at < ?${filterSql} GROUP BY bucket`,
  );
  const readCalls = (startMs: number, endMs: number) => {
    if (endMs > startMs)
      collect(callAggregate.all(startMs, endMs, ...filterValues) as AggregateRow[]);
  };

  if (firstWholeHour < endWholeHours) {
    readCalls(fromMs, firstWholeHour);
    const hourBucket = groupBy === "day" ? `hour_start / ${DAY_MS}` : groupBy;
    const hourly = sqlite.prepare(
      `SELECT ${hourBucket} AS bucket, sum(calls) AS calls,
         sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
         sum(cache_read_tokens) AS cacheReadTokens, sum(cache_write_tokens) AS cacheWriteTokens,
         sum(reasoning_tokens) AS reasoningTokens, total(cost_usd) AS costUsd,
         total(savings_usd) AS savingsUsd, sum(unpriced_calls) AS unpricedCalls,
         sum(error_calls) AS errorCalls, sum(usage_missing_calls) AS usageMissingCalls
       FROM usage_hourly WHERE hour_start >= ? AND hour_start < ?${filterSql} GROUP BY bucket`,
    );
    collect(hourly.all(firstWholeHour, endWholeHours, ...filterValues) as AggregateRow[]);
    readCalls(endWholeHours, toMs);
  } else {
    readCalls(fromMs, toMs);
  }

  return { totals, groups: sortedGroups({ groups, groupBy, fromMs, toMs }) };
}

function sortedGroups(options: {
  groups: Map<string, UsageTotals>;
  groupBy: UsageGroupBy;
  fromMs: number;
  toMs: number;
}): UsageGroup[] {
  const { groups } = options;
  if (options.groupBy === "day") {
    const firstDay = Math.floor(options.fromMs / DAY_MS);
    const lastDay = Math.floor((options.toMs - 1) / DAY_MS);
    if (lastDay - firstDay < MAX_FILLED_DAYS) {
      for (let day = firstDay; day <= lastDay; day++) {
        const key = dayKey(day);
        if (!groups.has(key)) groups.set(key, emptyUsageTotals());
      }
    }
  }
  const list = [...groups.entries()].map(([key, values]) => ({ key, ...values }));
  list.sort(
    options.groupBy === "day"
      ? (left, right) => left.key.localeCompare(right.key)
      : (left, right) =>
          right.costUsd - left.costUsd ||
          right.calls - left.calls ||
          left.key.localeCompare(right.key),
  );
  return list;
}

/**
 * The SQL conditions (over `calls`, no alias) for source, key and tag, with their values.
 * Key and tag conditions spell out `IS NOT NULL` so the partial indexes on keyed and tagged
 * calls (migration 0012) serve them.
 */
export function callContextConditions(filter: CallContextFilter): {
  sql: string;
  values: string[];
} {
  const clauses: string[] = [];
  const values: string[] = [];
  if (filter.source) {
    clauses.push(" AND source = ?");
    values.push(filter.source);
  }
  if (filter.key) {
    clauses.push(" AND key_name IS NOT NULL AND key_name = ?");
    values.push(filter.key);
  }
  if (filter.tag) {
    clauses.push(
      " AND tags IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(calls.tags) WHERE json_each.value = ?)",
    );
    values.push(filter.tag);
  }
  return { sql: clauses.join(""), values };
}

/**
 * The same report read from `calls` alone, for what the rollups cannot split: source, key
 * and tag. Each ended call adds what `call_rollup_contributions` (migration 0006) says it adds
 * to the rollups, so both paths count the same calls the same way. The scan stays within the
 * range through `calls_started_at_idx`, or the source / keyed / tagged index.
 */
function getUsageReportFromCalls(
  options: {
    from: Date;
    to: Date;
    groupBy: UsageGroupBy;
    provider?: string | null;
    model?: string | null;
    withTotals: boolean;
  } & CallContextFilter &
    WithDatabase,
): UsageReport {
  const { sqlite } = databaseOf(options);
  const fromMs = options.from.getTime();
  const toMs = options.to.getTime();
  const totals = emptyUsageTotals();
  const groups = new Map<string, UsageTotals>();
  if (!(toMs > fromMs)) return { totals, groups: [] };
  const providerModel = providerModelFilter(options);
  const context = callContextConditions(options);
  const bucket = {
    day: `started_at / ${DAY_MS}`,
    model: "model",
    provider: "provider",
    source: "source",
    key: "key_name",
    tag: "tag.value",
  }[options.groupBy];
  const from = options.groupBy === "tag" ? "calls, json_each(calls.tags) AS tag" : "calls";
  const grouped =
    options.groupBy === "key"
      ? " AND key_name IS NOT NULL"
      : options.groupBy === "tag"
        ? " AND tags IS NOT NULL"
        : "";
  const sums = `count(*) AS calls,
       sum(coalesce(input_tokens, 0)) AS inputTokens,
       sum(coalesce(output_tokens, 0)) AS outputTokens,
       sum(coalesce(cache_read_tokens, 0)) AS cacheReadTokens,
       sum(coalesce(cache_write_tokens, 0)) AS cacheWriteTokens,
       sum(coalesce(reasoning_tokens, 0)) AS reasoningTokens,
       total(cost_usd) AS costUsd, total(savings_usd) AS savingsUsd,
       sum(pricing_status IS 'unpriced') AS unpricedCalls,
       sum(status IS 'error') AS errorCalls,
       sum(usage_status IS 'missing') AS usageMissingCalls`;
  const where = `WHERE status <> 'running' AND started_at >= ? AND started_at < ?${providerModel.sql}${context.sql}`;
  const values = [fromMs, toMs, ...providerModel.values, ...context.values];
  const rows = sqlite
    .prepare(`SELECT ${bucket} AS bucket, ${sums} FROM ${from} ${where}${grouped} GROUP BY bucket`)
    .all(...values) as AggregateRow[];
  for (const row of rows) {
    if (row.calls === 0 || row.bucket === null) continue;
    const key = options.groupBy === "day" ? dayKey(Number(row.bucket)) : String(row.bucket);
    const group = groups.get(key) ?? emptyUsageTotals();
    addInto(group, row);
    groups.set(key, group);
  }
  if (options.withTotals) {
    const row = sqlite.prepare(`SELECT ${sums} FROM calls ${where}`).get(...values) as
      | UsageTotals
      | undefined;
    if (row && row.calls > 0) addInto(totals, row);
  }
  return {
    totals,
    groups: sortedGroups({ groups, groupBy: options.groupBy, fromMs, toMs }),
  };
}

/**
 * Every call that started in `[from, to)`, oldest first, read in pages so an export of a
 * large range never holds it all in memory.
 */
export function* listCallsForExport(
  options: {
    from: Date;
    to: Date;
    provider?: string | null;
    model?: string | null;
    pageSize?: number;
  } & CallContextFilter &
    WithDatabase,
): Generator<CallRow> {
  const { orm } = databaseOf(options);
  const pageSize = options.pageSize ?? 1_000;
  let after: { startedAt: Date; id: string } | null = null;
  for (;;) {
    const conditions = [gte(calls.startedAt, options.from), lt(calls.startedAt, options.to)];
    if (options.provider) conditions.push(sql`${calls.provider} = ${options.provider}`);
    if (options.model) conditions.push(eq(calls.model, options.model));
    if (options.source) conditions.push(sql`${calls.source} = ${options.source}`);
    if (options.key) conditions.push(eq(calls.keyName, options.key));
    if (options.tag) conditions.push(taggedWith(options.tag));
    if (after) {
      const position = or(
        gt(calls.startedAt, after.startedAt),
        and(eq(calls.startedAt, after.startedAt), gt(calls.id, after.id)),
      );
      if (position) conditions.push(position);
    }
    const page = orm
      .select()
      .from(calls)
      .where(and(...conditions))
      .orderBy(asc(calls.startedAt), asc(calls.id))
      .limit(pageSize)
      .all();
    yield* page;
    const last = page.at(-1);
    if (page.length < pageSize || !last) return;
    after = { startedAt: last.startedAt, id: last.id };
  }
}

// ---------------------------------------------------------------------------------------------
// Price overrides

export function listPriceOverrides(options: WithDatabase = {}): PriceOverrideRow[] {
  return databaseOf(options)
    .orm.select()
    .from(priceOverrides)
    .orderBy(
      asc(priceOverrides.provider),
      asc(priceOverrides.modelPattern),
      asc(priceOverrides.effectiveFrom),
    )
    .all();
}

export function getPriceOverrideById(
  options: { id: string } & WithDatabase,
): PriceOverrideRow | null {
  return (
    databaseOf(options)
      .orm.select()
      .from(priceOverrides)
      .where(eq(priceOverrides.id, options.id))
      .get() ?? null
  );
}

export interface PriceOverrideInput {
  /** Updates this row when given; otherwise (provider, modelPattern, effectiveFrom) is the key. */
  id?: string;
  provider: string;
  modelPattern: string;
  inputPerMillion: number;
  outputPerMillion: number;
  cacheReadPerMillion?: number | null;
  cacheWritePerMillion?: number | null;
  cacheWrite5mPerMillion?: number | null;
  cacheWrite1hPerMillion?: number | null;
  effectiveFrom: Date;
  note?: string | null;
}

export class PriceOverrideNotFoundError extends NotFoundError {
  override readonly name = "PriceOverrideNotFoundError";
}

/**
 * Inserts or replaces an override. Prices recorded on earlier calls do not change: a new
 * price applies to calls that start at or after its `effectiveFrom` and are recorded later.
 */
export function upsertPriceOverride(
  options: { override: PriceOverrideInput } & WithDatabase,
): PriceOverrideRow {
  const database = databaseOf(options);
  const input = options.override;
  const values = {
    provider: input.provider,
    modelPattern: input.modelPattern,
    inputPerMillion: input.inputPerMillion,
    outputPerMillion: input.outputPerMillion,
    cacheReadPerMillion: input.cacheReadPerMillion ?? null,
    cacheWritePerMillion: input.cacheWritePerMillion ?? null,
    cacheWrite5mPerMillion: input.cacheWrite5mPerMillion ?? null,
    cacheWrite1hPerMillion: input.cacheWrite1hPerMillion ?? null,
    effectiveFrom: input.effectiveFrom,
    note: input.note ?? null,
  };
  let row: PriceOverrideRow | undefined;
  if (input.id !== undefined) {
    row = database.orm
      .update(priceOverrides)
      .set(values)
      .where(eq(priceOverrides.id, input.id))
      .returning()
      .get();
    if (!row) throw new PriceOverrideNotFoundError(`no price override with id ${input.id}`);
  } else {
    row = database.orm
      .insert(priceOverrides)
      .values({ id: randomUUID(), createdAt: new Date(), ...values })
      .onConflictDoUpdate({
        target: [
          priceOverrides.provider,
          priceOverrides.modelPattern,
          priceOverrides.effectiveFrom,
        ],
        set: values,
      })
      .returning()
      .get();
  }
  database.priceOverridesVersion += 1;
  return row;
}

export function deletePriceOverride(options: { id: string } & WithDatabase): boolean {
  const database = databaseOf(options);
  const result = database.orm.delete(priceOverrides).where(eq(priceOverrides.id, options.id)).run();
  database.priceOverridesVersion += 1;
  return result.changes > 0;
}
