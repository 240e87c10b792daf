/**
 * The recorder's write path: a whole batch of run inserts, call inserts and call updates in
 * one transaction, through prepared statements cached per column set. The SQL is generated
 * from the drizzle schema (column names and value mapping), so it cannot drift from it; the
 * query builder is skipped only because building SQL per row would cost more than the write.
 *
 * The rollups are kept per batch rather than per row (lib/db/batched-rollups.ts). Calls the
 * writer itself started are remembered while they run: their updates go by rowid, and their
 * finish stages only what they add once ended.
 */
import type BetterSqlite3 from "better-sqlite3";
import { getTableColumns } from "drizzle-orm";
import { createBatchedRollups } from "./batched-rollups";
import type { Database } from "./client";
import { type CallInsert, calls, type RunInsert, runs } from "./schema";

export type CallValues = Partial<CallInsert>;

export interface WriteBatch {
  runs: RunInsert[];
  /** A call's first write: its start, possibly merged with later progress and its finish. */
  callInserts: CallInsert[];
  /** Later writes to calls inserted by an earlier batch; only the given columns change. */
  callUpdates: Array<{ id: string; values: CallValues }>;
}

interface MappedColumn {
  key: string;
  name: string;
  /** `null` when the driver takes the value as it is (plain text, integer and real). */
  toDriver: ((value: unknown) => unknown) | null;
}

const PASS_THROUGH_TYPES = new Set(["SQLiteText", "SQLiteInteger", "SQLiteReal"]);

function columnList(table: typeof calls | typeof runs): MappedColumn[] {
  return Object.entries(getTableColumns(table)).map(([key, column]) => ({
    key,
    name: column.name,
    toDriver: PASS_THROUGH_TYPES.has(column.columnType)
      ? null
      : (value: unknown) => column.mapToDriverValue(value),
  }));
}

const CALL_COLUMNS = columnList(calls);
const RUN_COLUMNS = columnList(runs);
const CALL_COLUMNS_BY_KEY = new Map(CALL_COLUMNS.map((column) => [column.key, column]));

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function driverValue(column: MappedColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  return column.toDriver ? column.toDriver(value) : value;
}

/**
 * Every column, in schema order; a column the row does not set is NULL. Rows from the
 * recorder always set the non-null columns (a start sets them all), so one statement per
 * table serves every insert.
 */
function fullRow(columns: readonly MappedColumn[], row: Record<string, unknown>): unknown[] {
  const values = new Array<unknown>(columns.length);
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index] as MappedColumn;
    values[index] = driverValue(column, row[column.key]);
  }
  return values;
}

function insertSql(table: string, columns: readonly MappedColumn[], conflict: string): string {
  const names = columns.map((column) => quoted(column.name)).join(", ");
  const placeholders = columns.map(() => "?").join(", ");
  return `INSERT INTO ${quoted(table)} (${names}) VALUES (${placeholders})${conflict}`;
}

/**
 * The call columns the rollups read: an update that sets none of them leaves the rollups as
 * they are (streamed output, say). The per-row triggers of migration 0006 list the same
 * columns; call-writes.test.ts holds the two lists equal.
 */
export const ROLLUP_COLUMN_KEYS: ReadonlySet<string> = new Set<keyof CallInsert>([
  "runId",
  "startedAt",
  "provider",
  "model",
  "status",
  "usageStatus",
  "pricingStatus",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costUsd",
  "savingsUsd",
  "ttftMs",
  "durationMs",
]);

function changesRollups(values: CallValues): boolean {
  for (const key in values) if (ROLLUP_COLUMN_KEYS.has(key)) return true;
  return false;
}

export interface CallWriter {
  writeBatch(batch: WriteBatch): void;
}

export interface CallWriterOptions {
  /**
   * How many running calls the writer remembers (see `running` below). Forgetting one is always
   * safe, only slower, so a finish that never arrives (a dropped write) cannot grow it forever.
   */
  maxRememberedRunningCalls?: number;
}

export function createCallWriter(database: Database, options: CallWriterOptions = {}): CallWriter {
  const maxRemembered = options.maxRememberedRunningCalls ?? 10_000;
  // A run recorded twice keeps its first row; its calls are never touched by this.
  const insertRun = database.sqlite.prepare(
    insertSql("runs", RUN_COLUMNS, ' ON CONFLICT ("id") DO NOTHING'),
  );
  const insertCall = database.sqlite.prepare(insertSql("calls", CALL_COLUMNS, ""));
  // Updates set only the columns they carry. The recorder produces a handful of distinct key
  // lists (progress, finish, both), each prepared once, twice over: by rowid, for calls this
  // writer inserted, and by id. They are few, so a list is found by comparing keys (interned
  // strings, compared by reference) rather than by building a signature string per update.
  interface PreparedUpdate {
    keys: string[];
    columns: MappedColumn[];
    byRowid: BetterSqlite3.Statement;
    byId: BetterSqlite3.Statement;
  }
  const updates: PreparedUpdate[] = [];

  function sameKeys(left: readonly string[], right: readonly string[]): boolean {
    if (left.length !== right.length) return false;
    for (let index = 0; index < left.length; index++)
      if (left[index] !== right[index]) return false;
    return true;
  }

  function updateFor(keys: string[]): PreparedUpdate {
    for (const update of updates) if (sameKeys(update.keys, keys)) return update;
    const columns = keys.map((key) => {
      const column = CALL_COLUMNS_BY_KEY.get(key);
      if (!column || key === "id") throw new Error(`cannot update call column: ${key}`);
      return column;
    });
    const assignments = columns.map((column) => `${quoted(column.name)} = ?`).join(", ");
    const update: PreparedUpdate = {
      keys,
      columns,
      // The id check makes a reused rowid (its call deleted, a new one inserted) harmless.
      byRowid: database.sqlite.prepare(
        `UPDATE "calls" SET ${assignments} WHERE "rowid" = ? AND "id" = ?`,
      ),
      byId: database.sqlite.prepare(`UPDATE "calls" SET ${assignments} WHERE "id" = ?`),
    };
    updates.push(update);
    return update;
  }

  /**
   * Calls this writer inserted as `running` and has not yet seen end, by id, with their rowid.
   * A running call adds nothing to the rollups, so its finish stages only what it adds once
   * ended; and its updates find the row by rowid instead of through the id index. This relies
   * on the recorder being the only writer of a running call (crash recovery runs before it
   * starts). Changed only once the batch has committed. A call missing from it is treated as
   * any other row: its old contribution is staged (nothing, while it runs) and it is found by id.
   */
  const running = new Map<string, number>();
  const writeWithBatchedRollups = createBatchedRollups(database.sqlite);

  const writeAll = database.sqlite.transaction((batch: WriteBatch) => {
    const started: Array<[string, number]> = [];
    const ended: string[] = [];
    // What each call adds to the rollups before the write is removed and what it adds after
    // is added; a call that adds nothing before (it was running, or is new) skips the first.
    const changing = new Set<string>();
    const startingToCount: string[] = [];
    for (const { id, values } of batch.callUpdates) {
      const wasRunning = running.has(id);
      if (wasRunning && values.status !== undefined && values.status !== "running") {
        ended.push(id);
        startingToCount.push(id);
      } else if (!wasRunning && changesRollups(values)) {
        changing.add(id);
      }
    }
    for (const call of batch.callInserts)
      if (call.status !== "running") startingToCount.push(call.id);

    writeWithBatchedRollups({ changing, startingToCount }, () => {
      for (const run of batch.runs) insertRun.run(fullRow(RUN_COLUMNS, run));
      for (const call of batch.callInserts) {
        const { lastInsertRowid } = insertCall.run(fullRow(CALL_COLUMNS, call));
        if (call.status === "running") started.push([call.id, Number(lastInsertRowid)]);
      }
      for (const { id, values } of batch.callUpdates) {
        const keys = Object.keys(values);
        if (keys.length === 0) continue;
        const update = updateFor(keys);
        const rowid = running.get(id);
        const parameters = new Array<unknown>(keys.length + (rowid === undefined ? 1 : 2));
        for (let index = 0; index < keys.length; index++) {
          const column = update.columns[index] as MappedColumn;
          parameters[index] = driverValue(column, values[column.key as keyof CallValues]);
        }
        if (rowid === undefined) {
          parameters[keys.length] = id;
          update.byId.run(parameters);
        } else {
          parameters[keys.length] = rowid;
          parameters[keys.length + 1] = id;
          update.byRowid.run(parameters);
        }
      }
    });
    return { started, ended };
  });

  return {
    writeBatch(batch) {
      const { started, ended } = writeAll.immediate(batch);
      for (const [id, rowid] of started) running.set(id, rowid);
      for (const id of ended) running.delete(id);
      // The oldest first: a call started that long ago has most likely lost its finish.
      for (const id of running.keys()) {
        if (running.size <= maxRemembered) break;
        running.delete(id);
      }
    },
  };
}
