/** Test sets: rows of variable values with an optional expected output, saved whole or not at all. */
import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import type { DatasetRow } from "@/lib/evaluations/dataset-import";
import { type Database, getDb } from "./client";
import { datasetRows, datasets } from "./schema";

interface WithDatabase {
  database?: Database;
}

export interface DatasetSummary {
  datasetId: string;
  name: string;
  createdAt: string;
  rows: number;
}

export interface DatasetView extends DatasetSummary {
  /** Every variable some row sets, in order of first appearance. */
  variables: string[];
  items: DatasetRow[];
}

/** Rows per insert statement: four bound values a row stays far below SQLite's limit. */
const INSERT_BATCH_ROWS = 1_000;

type Transaction = Parameters<Parameters<Database["orm"]["transaction"]>[0]>[0];

function insertRows(tx: Transaction, datasetId: string, rows: readonly DatasetRow[]): void {
  for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
    const batch = rows.slice(start, start + INSERT_BATCH_ROWS);
    tx.insert(datasetRows)
      .values(
        batch.map((row, offset) => ({
          datasetId,
          position: start + offset,
          vars: row.vars,
          expected: row.expected,
        })),
      )
      .run();
  }
}

export function insertDataset(
  options: { id: string; name: string; rows: readonly DatasetRow[]; now?: Date } & WithDatabase,
): { datasetId: string; rows: number } {
  const database = options.database ?? getDb();
  const now = options.now ?? new Date();
  database.orm.transaction((tx) => {
    tx.insert(datasets)
      .values({ id: options.id, name: options.name, createdAt: now, rowCount: options.rows.length })
      .run();
    insertRows(tx, options.id, options.rows);
  });
  return { datasetId: options.id, rows: options.rows.length };
}

/** Replaces a test set's rows (and name) whole; `false` when there is no such test set. */
export function replaceDatasetRows(
  options: { datasetId: string; name: string; rows: readonly DatasetRow[] } & WithDatabase,
): boolean {
  const database = options.database ?? getDb();
  return database.orm.transaction((tx) => {
    const existing = tx
      .select({ id: datasets.id })
      .from(datasets)
      .where(eq(datasets.id, options.datasetId))
      .get();
    if (!existing) return false;
    tx.delete(datasetRows).where(eq(datasetRows.datasetId, options.datasetId)).run();
    tx.update(datasets)
      .set({ name: options.name, rowCount: options.rows.length })
      .where(eq(datasets.id, options.datasetId))
      .run();
    insertRows(tx, options.datasetId, options.rows);
    return true;
  });
}

export function listDatasets(options: WithDatabase = {}): DatasetSummary[] {
  const database = options.database ?? getDb();
  return database.orm
    .select()
    .from(datasets)
    .orderBy(desc(datasets.createdAt), asc(datasets.name))
    .all()
    .map((row) => ({
      datasetId: row.id,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      rows: row.rowCount,
    }));
}

export function getDatasetById(options: { datasetId: string } & WithDatabase): DatasetView | null {
  const database = options.database ?? getDb();
  const dataset = database.orm
    .select()
    .from(datasets)
    .where(eq(datasets.id, options.datasetId))
    .get();
  if (!dataset) return null;
  const items = database.orm
    .select({ vars: datasetRows.vars, expected: datasetRows.expected })
    .from(datasetRows)
    .where(eq(datasetRows.datasetId, dataset.id))
    .orderBy(asc(datasetRows.position))
    .all();
  return {
    datasetId: dataset.id,
    name: dataset.name,
    createdAt: dataset.createdAt.toISOString(),
    rows: dataset.rowCount,
    variables: [...new Set(items.flatMap((item) => Object.keys(item.vars)))],
    items,
  };
}
