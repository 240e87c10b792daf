/**
 * Every recorded call, whoever asked for it (`GET /api/calls`, `GET /api/calls/:callId`):
 * newest first, filtered by who made it and how it went. Reads `calls` through its
 * time-ordered indexes (per model, source, keyed and tagged calls, or all of them).
 */
import "server-only";
import { and, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { type Database, getDb } from "./client";
import {
  type CallView,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  likePattern,
  taggedWith,
  toCallView,
} from "./queries";
import { type CallSource, type CallStatus, calls, type RunRow, runs } from "./schema";

interface WithDatabase {
  database?: Database;
}

export interface CallListFilter {
  source?: CallSource | null;
  model?: string | null;
  provider?: string | null;
  status?: CallStatus | null;
  /** A gateway key's name. */
  key?: string | null;
  tag?: string | null;
  from?: Date | null;
  to?: Date | null;
  /** Case-insensitive substring of the output, the run's messages and system prompt, or the model. */
  search?: string | null;
}

/** One row of `GET /api/calls`. */
export interface CallSummary {
  callId: string;
  runId: string;
  index: number;
  /** The run's first user message, shortened. */
  title: string;
  model: string;
  provider: string;
  source: CallSource;
  status: CallStatus;
  startedAt: string;
  ttftMs: number | null;
  durationMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  pricingStatus: string | null;
  errorCode: string | null;
  keyName: string | null;
  tags: string[];
  endUser: string | null;
}

export interface CallPage {
  calls: CallSummary[];
  nextCursor: string | null;
}

function conditionsOf(filter: CallListFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.source) conditions.push(eq(calls.source, filter.source));
  if (filter.model) conditions.push(eq(calls.model, filter.model));
  if (filter.provider) conditions.push(sql`${calls.provider} = ${filter.provider}`);
  if (filter.status) conditions.push(eq(calls.status, filter.status));
  if (filter.key) conditions.push(eq(calls.keyName, filter.key));
  if (filter.tag) conditions.push(taggedWith(filter.tag));
  if (filter.from) conditions.push(gte(calls.startedAt, filter.from));
  if (filter.to) conditions.push(lt(calls.startedAt, filter.to));
  const search = filter.search?.trim();
  if (search) {
    const pattern = likePattern(search);
    const matches = or(
      sql`${calls.output} LIKE ${pattern} ESCAPE '\\'`,
      sql`${calls.model} LIKE ${pattern} ESCAPE '\\'`,
      sql`${runs.searchText} LIKE ${pattern} ESCAPE '\\'`,
    );
    if (matches) conditions.push(matches);
  }
  return conditions;
}

/** Calls newest first (by start, then id); page with the returned `nextCursor`. */
export function listCalls(
  options: CallListFilter & { limit?: number; cursor?: string | null } & WithDatabase,
): CallPage {
  const { orm } = options.database ?? getDb();
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 200);
  const conditions = conditionsOf(options);
  if (options.cursor) {
    const cursor = decodeCursor(options.cursor);
    if (!cursor) throw new InvalidCursorError("the cursor is not one this server returned");
    const position = or(
      lt(calls.startedAt, cursor.createdAt),
      and(eq(calls.startedAt, cursor.createdAt), lt(calls.id, cursor.id)),
    );
    if (position) conditions.push(position);
  }
  const rows = orm
    .select({
      callId: calls.id,
      runId: calls.runId,
      index: calls.callIndex,
      title: runs.title,
      model: calls.model,
      provider: calls.provider,
      source: calls.source,
      status: calls.status,
      startedAt: calls.startedAt,
      ttftMs: calls.ttftMs,
      durationMs: calls.durationMs,
      inputTokens: calls.inputTokens,
      outputTokens: calls.outputTokens,
      costUsd: calls.costUsd,
      pricingStatus: calls.pricingStatus,
      errorKind: calls.errorKind,
      keyName: calls.keyName,
      tags: calls.tags,
      endUser: calls.endUser,
    })
    .from(calls)
    .innerJoin(runs, eq(runs.id, calls.runId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    calls: page.map(({ errorKind, startedAt, tags, ...row }) => ({
      ...row,
      startedAt: startedAt.toISOString(),
      errorCode: row.status === "interrupted" ? "interrupted" : errorKind,
      tags: tags ?? [],
    })),
    nextCursor:
      rows.length > limit && last ? encodeCursor(new Date(last.startedAt), last.callId) : null,
  };
}

/** `GET /api/calls/:callId`: the call with who made it and the run's request around it. */
export interface CallDetail extends CallView {
  runId: string;
  source: CallSource;
  keyName: string | null;
  tags: string[];
  endUser: string | null;
  /** The run's messages, tools and output format: what every call of the run was sent. */
  messages: RunRow["messages"];
  tools: RunRow["tools"];
  responseFormat: RunRow["responseFormat"];
}

export function getCallDetail(options: { callId: string } & WithDatabase): CallDetail | null {
  const { orm } = options.database ?? getDb();
  const row = orm
    .select({ call: calls, run: runs })
    .from(calls)
    .innerJoin(runs, eq(runs.id, calls.runId))
    .where(eq(calls.id, options.callId))
    .get();
  if (!row) return null;
  return {
    ...toCallView(row.call),
    runId: row.call.runId,
    source: row.call.source,
    keyName: row.call.keyName,
    tags: row.call.tags ?? [],
    endUser: row.call.endUser,
    messages: row.run.messages,
    tools: row.run.tools,
    responseFormat: row.run.responseFormat,
  };
}
