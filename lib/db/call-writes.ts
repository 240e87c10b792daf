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
 *
 * A batch can also be written as a replay (of the recorder's journal, after a crash or a lock):
 * then part of it may be in the database already, so a call insert whose row exists becomes an
 * update of every column it carries. Its rollups go through the staged path, which subtracts
 * what the row added before, so writing a batch twice counts it once.
 */
import type BetterSqlite3 from "better-sqlite3";
import { getTableColumns } from "drizzle-orm";
import { createBatchedRollups } from "./batched-rollups";
import type { Database } from "./client";
import { createRollupDeltas, type RollupColumns } from "./rollup-deltas";
import { type CallInsert, calls, type RunInsert, runs } from "./schema";

export type CallValues = Partial<CallInsert>;

/** The part of a connection the writer uses. */
export type WriterDatabase = Pick<Database, "sqlite" | "checkpointer">;

export interface WriteBatch {
  runs: RunInsert[];
  /** A call's first write: its start, possibly merged with later progress and its finish. */
  callInserts: CallInsert[];
  /** Later writes to calls, after the inserts; only the given columns change. */
  callUpdates: Array<{ id: string; values: CallValues }>;
}

interface MappedColumn {
  key: string;
  name: string;
  /** `null` when the driver takes the value as it is (plain text, integer and real). */
  toDriver: ((value: unknown) => unknown) | null;
  /** What SQLite stores when an insert leaves the column out: a literal default, or NULL. */
  omitted: unknown;
}

const PASS_THROUGH_TYPES = new Set(["SQLiteText", "SQLiteInteger", "SQLiteReal"]);

function columnList(table: typeof calls | typeof runs): MappedColumn[] {
  return Object.entries(getTableColumns(table)).map(([key, column]) => ({
    key,
    name: column.name,
    toDriver: PASS_THROUGH_TYPES.has(column.columnType)
      ? null
      : (value: unknown) => column.mapToDriverValue(value),
    omitted:
      column.hasDefault && typeof column.default !== "object"
        ? column.mapToDriverValue(column.default)
        : null,
  }));
}

const CALL_COLUMNS = columnList(calls);
const RUN_COLUMNS = columnList(runs);
const CALL_COLUMNS_BY_KEY = new Map(CALL_COLUMNS.map((column) => [column.key, column]));

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A key the row leaves out gets the column's default, as an insert naming fewer columns would. */
function driverValue(column: MappedColumn, value: unknown): unknown {
  if (value === undefined) return column.omitted;
  if (value === null) return null;
  return column.toDriver ? column.toDriver(value) : value;
}

/** The driver's values of `row` for these columns, with room for `extra` more after them. */
function parametersOf(columns: readonly MappedColumn[], row: object, extra: number): unknown[] {
  const parameters = new Array<unknown>(columns.length + extra);
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index] as MappedColumn;
    parameters[index] = driverValue(column, (row as Record<string, unknown>)[column.key]);
  }
  return parameters;
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

const ROLLUP_COLUMNS = CALL_COLUMNS.filter((column) => ROLLUP_COLUMN_KEYS.has(column.key));

/** The rollup columns of an inserted call, as the driver stores them. */
function rollupColumnsOf(call: CallInsert): RollupColumns {
  const columns: Record<string, unknown> = {};
  for (const column of ROLLUP_COLUMNS) {
    columns[column.key] =
      column.key in call
        ? driverValue(column, call[column.key as keyof CallInsert])
        : column.omitted;
  }
  return columns as unknown as RollupColumns;
}

/**
 * The batch's updates by call, several to one call merged in order (later values win), which
 * is what running them one after the other would store. The recorder sends at most one per
 * call; merging keeps the rollup bookkeeping to one change per call.
 */
function oneUpdatePerCall(updates: WriteBatch["callUpdates"]): Map<string, CallValues> {
  const byCall = new Map<string, CallValues>();
  for (const { id, values } of updates) {
    const earlier = byCall.get(id);
    byCall.set(id, earlier ? { ...earlier, ...values } : values);
  }
  return byCall;
}

/** A call this writer inserted as `running` and has not yet seen end. */
interface RunningCall {
  rowid: number;
  /** Its rollup columns as stored now. */
  rollup: RollupColumns;
}

export interface WriteOptions {
  /** Part of the batch may already be stored: write it so that a second time changes nothing. */
  replay?: boolean;
}

export interface CallWriter {
  writeBatch(batch: WriteBatch, options?: WriteOptions): void;
}

/**
 * A replayed batch with the inserts of calls already stored turned into updates, placed before
 * the batch's own updates so that those still win.
 */
function withoutStoredInserts(batch: WriteBatch, stored: ReadonlySet<string>): WriteBatch {
  if (stored.size === 0) return batch;
  const callInserts: CallInsert[] = [];
  const converted: WriteBatch["callUpdates"] = [];
  for (const call of batch.callInserts) {
    if (!stored.has(call.id)) {
      callInserts.push(call);
      continue;
    }
    const { id, ...values } = call;
    converted.push({ id, values });
  }
  return { runs: batch.runs, callInserts, callUpdates: [...converted, ...batch.callUpdates] };
}

export interface CallWriterOptions {
  /**
   * How many running calls the writer remembers (see `running` below). Forgetting one is always
   * safe, only slower, so a finish that never arrives (a dropped write) cannot grow it forever.
   */
  maxRememberedRunningCalls?: number;
}

export function createCallWriter(
  database: WriterDatabase,
  options: CallWriterOptions = {},
): CallWriter {
  const maxRemembered = options.maxRememberedRunningCalls ?? 10_000;
  // A run recorded twice keeps its first row; its calls are never touched by this.
  const insertRun = database.sqlite.prepare(
    insertSql("runs", RUN_COLUMNS, ' ON CONFLICT ("id") DO NOTHING'),
  );
  // Inserts and updates set only the columns they carry (a call's start leaves two thirds of
  // them to their defaults, and binding every one costs more than the insert saves). The
  // recorder produces a handful of distinct key lists (a start; a start merged with progress or
  // a finish; progress; a finish), each prepared once. They are few, so a list is found by
  // comparing keys (interned strings, compared by reference), not by a signature per row.
  interface PreparedInsert {
    keys: string[];
    columns: MappedColumn[];
    statement: BetterSqlite3.Statement;
  }
  const inserts: PreparedInsert[] = [];
  // Updates are prepared twice over: by rowid, for calls this writer inserted, and by id.
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

  function callColumns(keys: readonly string[]): MappedColumn[] {
    return keys.map((key) => {
      const column = CALL_COLUMNS_BY_KEY.get(key);
      if (!column) throw new Error(`no such call column: ${key}`);
      return column;
    });
  }

  function insertFor(keys: string[]): PreparedInsert {
    for (const insert of inserts) if (sameKeys(insert.keys, keys)) return insert;
    const columns = callColumns(keys);
    const insert = {
      keys,
      columns,
      statement: database.sqlite.prepare(insertSql("calls", columns, "")),
    };
    inserts.push(insert);
    return insert;
  }

  function updateFor(keys: string[]): PreparedUpdate {
    for (const update of updates) if (sameKeys(update.keys, keys)) return update;
    if (keys.includes("id")) throw new Error("cannot update a call's id");
    const columns = callColumns(keys);
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

  const storedCallIds = database.sqlite
    .prepare('SELECT "id" FROM "calls" WHERE "id" IN (SELECT "value" FROM json_each(?))')
    .pluck();

  const writeAll = database.sqlite.transaction((given: WriteBatch, replay: boolean) => {
    const batch =
      replay && given.callInserts.length > 0
        ? withoutStoredInserts(
            given,
            new Set(
              storedCallIds.all(
                JSON.stringify(given.callInserts.map((call) => call.id)),
              ) as string[],
            ),
          )
        : given;
    deltas.clear();
    // What this batch changes in `running`: a call to remember, or `null` to forget one.
    const known = new Map<string, RunningCall | null>();
    const lookUp = (id: string) => (known.has(id) ? known.get(id) : running.get(id));
    // Calls neither remembered nor started by this batch: their rollups go through SQL.
    const changing = new Set<string>();
    const startedHere = new Set<string>();
    for (const call of batch.callInserts) if (call.status === "running") startedHere.add(call.id);
    const callUpdates = oneUpdatePerCall(batch.callUpdates);
    for (const [id, values] of callUpdates)
      if (!running.has(id) && !startedHere.has(id) && changesRollups(values)) changing.add(id);

    writeWithBatchedRollups(changing, () => {
      for (const run of batch.runs) insertRun.run(parametersOf(RUN_COLUMNS, run, 0));
      for (const call of batch.callInserts) {
        const { columns, statement } = insertFor(Object.keys(call));
        const { lastInsertRowid } = statement.run(parametersOf(columns, call, 0));
        const rollup = rollupColumnsOf(call);
        if (rollup.status === "running") {
          known.set(call.id, { rowid: Number(lastInsertRowid), rollup });
        } else {
          deltas.add(rollup);
        }
      }
      for (const [id, values] of callUpdates) {
        const keys = Object.keys(values);
        if (keys.length === 0) continue;
        const update = updateFor(keys);
        const call = changing.has(id) ? undefined : lookUp(id);
        const parameters = parametersOf(update.columns, values, call ? 2 : 1);
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
    writeBatch(batch, writeOptions) {
      const known = writeAll.immediate(batch, writeOptions?.replay === true);
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

/**
 * The columns stored as epoch milliseconds, by key: JSON turns their `Date`s into strings, and
 * a decoded batch must hand the writer `Date`s again.
 */
function timestampKeys(table: typeof calls | typeof runs): string[] {
  return Object.entries(getTableColumns(table))
    .filter(([, column]) => column.columnType === "SQLiteTimestamp")
    .map(([key]) => key);
}

const CALL_TIMESTAMP_KEYS = timestampKeys(calls);
const RUN_TIMESTAMP_KEYS = timestampKeys(runs);

function reviveTimestamps(row: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) {
    const value = row[key];
    if (typeof value === "string" || typeof value === "number") row[key] = new Date(value);
  }
}

/** One line of text (no newline inside) that `decodeWriteBatch` turns back into `batch`. */
export function encodeWriteBatch(batch: WriteBatch): string {
  return JSON.stringify(batch);
}

export function decodeWriteBatch(text: string): WriteBatch {
  const parsed = JSON.parse(text) as Partial<WriteBatch> | null;
  if (
    parsed === null ||
    !Array.isArray(parsed.runs) ||
    !Array.isArray(parsed.callInserts) ||
    !Array.isArray(parsed.callUpdates)
  ) {
    throw new Error("not a write batch");
  }
  for (const run of parsed.runs)
    reviveTimestamps(run as Record<string, unknown>, RUN_TIMESTAMP_KEYS);
  for (const call of parsed.callInserts) {
    reviveTimestamps(call as Record<string, unknown>, CALL_TIMESTAMP_KEYS);
  }
  for (const update of parsed.callUpdates) {
    reviveTimestamps(update.values as Record<string, unknown>, CALL_TIMESTAMP_KEYS);
  }
  return parsed as WriteBatch;
}
