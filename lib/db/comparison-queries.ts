/**
 * `/runs` lists comparisons: the runs one "Run all" created share a comparison id (columns
 * with different histories run as separate runs), and a run without one is its own. Paged
 * newest first by the comparison's latest run, with the same keyset cursor as `listRuns`.
 */
import "server-only";
import { and, asc, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { type Database, getDb } from "./client";
import {
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  RUN_SUMMARY_COLUMNS,
  type RunSummary,
  runSearchCondition,
  summariseRuns,
} from "./queries";
import { type CallSource, runs } from "./schema";

export interface ComparisonSummary {
  comparisonId: string;
  /** When its latest run started. */
  createdAt: string;
  /** Oldest first: the order the page sent them in. */
  runs: RunSummary[];
}

export interface ComparisonPage {
  comparisons: ComparisonSummary[];
  nextCursor: string | null;
}

const comparisonKey = sql<string>`coalesce(${runs.comparisonId}, ${runs.id})`;

/**
 * Comparisons newest first. `search` keeps the comparisons with a matching run (all of
 * their runs are listed); `cursor` is a previous page's `nextCursor`.
 */
export function listComparisons(options: {
  limit?: number;
  cursor?: string | null;
  search?: string | null;
  source?: CallSource;
  database?: Database;
}): ComparisonPage {
  const database = options.database ?? getDb();
  const { orm } = database;
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 30), 1), 200);
  const source = eq(runs.source, options.source ?? "playground");
  const latest = sql<number>`max(${runs.createdAt})`;
  let having: SQL | undefined;
  if (options.cursor) {
    const cursor = decodeCursor(options.cursor);
    if (!cursor) throw new InvalidCursorError("the cursor is not one this server returned");
    const at = cursor.createdAt.getTime();
    having = or(lt(latest, at), and(eq(latest, at), lt(comparisonKey, cursor.id)));
  }
  const keys = orm
    .select({ key: comparisonKey, latest })
    .from(runs)
    .where(and(source, runSearchCondition(options.search)))
    .groupBy(comparisonKey)
    .having(having)
    .orderBy(desc(latest), desc(comparisonKey))
    .limit(limit + 1)
    .all();
  const pageKeys = keys.slice(0, limit);
  const rows =
    pageKeys.length === 0
      ? []
      : orm
          .select({ ...RUN_SUMMARY_COLUMNS, key: comparisonKey })
          .from(runs)
          .where(
            and(
              source,
              inArray(
                comparisonKey,
                pageKeys.map((entry) => entry.key),
              ),
            ),
          )
          .orderBy(asc(runs.createdAt), asc(runs.id))
          .all();
  const summaries = summariseRuns({ runs: rows, database });
  const byKey = new Map<string, RunSummary[]>();
  for (const summary of summaries) {
    const list = byKey.get(summary.comparisonId) ?? [];
    list.push(summary);
    byKey.set(summary.comparisonId, list);
  }
  const last = pageKeys.at(-1);
  return {
    comparisons: pageKeys.map((entry) => ({
      comparisonId: entry.key,
      createdAt: new Date(entry.latest).toISOString(),
      runs: byKey.get(entry.key) ?? [],
    })),
    nextCursor: keys.length > limit && last ? encodeCursor(new Date(last.latest), last.key) : null,
  };
}
