/**
 * The recorder's write path: a whole batch of run inserts, call inserts and call updates in
 * one transaction, through prepared statements cached per column set. The SQL is generated
 * from the drizzle schema (column names and value mapping), so it cannot drift from it; the
 * query builder is skipped only because building SQL per row would cost more than the write.
 *
 * The rollups are kept per batch rather than per row. What a call the writer knows whole adds
 * (one it inserted already ended, or started and saw end) is summed in TypeScript and written
 * once per bucket (rollup-deltas.ts); updates to any other call stage their old and new
 * contributions in SQL (batched-rollups.ts). Calls the writer started are remembered while
 * they run, with their rollup columns: their updates go by rowid.
 */
import type BetterSqlite3 from "better-sqlite3";
import { getTableColumns } from "drizzle-orm";
import { createBatchedRollups } from "./batched-rollups";
import type { Database } from "./client";
import { createRollupDeltas, type RollupColumns } from "./rollup-deltas";
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

/** Where each rollup column sits in a full call row (`fullRow(CALL_COLUMNS, …)`). */
const ROLLUP_POSITIONS: ReadonlyArray<readonly [string, number]> = CALL_COLUMNS.flatMap(
  (column, position) =>
    ROLLUP_COLUMN_KEYS.has(column.key) ? [[column.key, position] as const] : [],
);

/** The rollup columns of a full call row, as the driver stores them. */
function rollupColumnsOf(row: readonly unknown[]): RollupColumns {
  const columns: Record<string, unknown> = {};
  for (const [key, position] of ROLLUP_POSITIONS) columns[key] = row[position];
  return columns as unknown as RollupColumns;
}

/** A call this writer inserted as `running` and has not yet seen end. */
interface RunningCall {
  rowid: number;
  /** Its rollup columns as stored now. */
  rollup: RollupColumns;
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
    /** The rollup columns it sets, with their position among its parameters. */
    rollupPositions: Array<[string, number]>;
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
      rollupPositions: keys.flatMap(
        (key, position): Array<[string, number]> =>
          ROLLUP_COLUMN_KEYS.has(key) ? [[key, position]] : [],
      ),
      // The id check makes a reused rowid (its call deleted, a new one inserted) harmless.
      byRowid: database.sqlite.prepare(
        `UPDATE "calls" SET ${assignments} WHERE "rowid" = ? AND "id" = ?`,
      ),
      byId: database.sqlite.prepare(`UPDATE "calls" SET ${assignments} WHERE "id" = ?`),
    };
    updates.push(update);
    return update;
  }

  /** A running call's rollup columns once `update` has run with these parameters. */
  function withUpdate(
    rollup: RollupColumns,
    update: PreparedUpdate,
    parameters: readonly unknown[],
  ): RollupColumns {
    if (update.rollupPositions.length === 0) return rollup;
    const changed: Record<string, unknown> = { ...rollup };
    for (const [key, position] of update.rollupPositions) changed[key] = parameters[position];
    return changed as unknown as RollupColumns;
  }

  /**
   * Calls this writer inserted as `running` and has not yet seen end, by id, with their rowid
   * and the rollup columns as stored. A running call adds nothing to the rollups, so when one
   * ends its whole contribution is known here and is summed in TypeScript (rollup-deltas.ts);
   * and its updates find the row by rowid instead of through the id index. This relies on the
   * recorder being the only writer of a running call (crash recovery runs before it starts).
   * Changed only once the batch has committed. A call missing from it is treated as any other
   * row: its update is found by id, and its old and new contributions are staged in SQL.
   */
  const running = new Map<string, RunningCall>();
  const writeWithBatchedRollups = createBatchedRollups(database.sqlite);
  const deltas = createRollupDeltas(database.sqlite);

  const writeAll = database.sqlite.transaction((batch: WriteBatch) => {
    deltas.clear();
    // What this batch changes in `running`: a call to remember, or `null` to forget one.
    const known = new Map<string, RunningCall | null>();
    const lookUp = (id: string) => (known.has(id) ? known.get(id) : running.get(id));
    // Calls neither remembered nor started by this batch: their rollups go through SQL.
    const changing = new Set<string>();
    const startedHere = new Set<string>();
    for (const call of batch.callInserts) if (call.status === "running") startedHere.add(call.id);
    for (const { id, values } of batch.callUpdates)
      if (!running.has(id) && !startedHere.has(id) && changesRollups(values)) changing.add(id);

    writeWithBatchedRollups({ changing, startingToCount: [] }, () => {
      for (const run of batch.runs) insertRun.run(fullRow(RUN_COLUMNS, run));
      for (const call of batch.callInserts) {
        const row = fullRow(CALL_COLUMNS, call);
        const { lastInsertRowid } = insertCall.run(row);
        const rollup = rollupColumnsOf(row);
        if (rollup.status === "running") {
          known.set(call.id, { rowid: Number(lastInsertRowid), rollup });
        } else {
          deltas.add(rollup);
        }
      }
      for (const { id, values } of batch.callUpdates) {
        const keys = Object.keys(values);
        if (keys.length === 0) continue;
        const update = updateFor(keys);
        const call = changing.has(id) ? undefined : lookUp(id);
        const parameters = new Array<unknown>(keys.length + (call ? 2 : 1));
        for (let index = 0; index < keys.length; index++) {
          const column = update.columns[index] as MappedColumn;
          parameters[index] = driverValue(column, values[column.key as keyof CallValues]);
        }
        if (!call) {
          parameters[keys.length] = id;
          update.byId.run(parameters);
          continue;
        }
        parameters[keys.length] = call.rowid;
        parameters[keys.length + 1] = id;
        if (update.byRowid.run(parameters).changes === 0) {
          // Deleted while it ran (its run was deleted): nothing to add, nothing to remember.
          known.set(id, null);
          continue;
        }
        const rollup = withUpdate(call.rollup, update, parameters);
        if (rollup.status === "running") {
          known.set(id, { rowid: call.rowid, rollup });
        } else {
          deltas.add(rollup);
          known.set(id, null);
        }
      }
      // Before the fold: a run whose costs the fold sums again from its calls gets them right.
      deltas.apply();
    });
    return known;
  });

  return {
    writeBatch(batch) {
      const known = writeAll.immediate(batch);
      database.checkpointer?.written();
      for (const [id, call] of known) {
        if (call === null) running.delete(id);
        else running.set(id, call);
      }
      // The oldest first: a call started that long ago has most likely lost its finish.
      for (const id of running.keys()) {
        if (running.size <= maxRemembered) break;
        running.delete(id);
      }
    },
  };
}
