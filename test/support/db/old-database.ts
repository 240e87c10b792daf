/**
 * A database as an older version left it: migrated only up to some point, written with only
 * the columns that version knew. For tests of data migrations.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { closeDatabase, createDatabase, type Database } from "@/lib/db/client";

const MIGRATIONS_FOLDER = path.join(import.meta.dirname, "../../../drizzle");

export interface OldDatabase {
  /** Migrated up to, not including, the migration named `before`. */
  database: Database;
  /** Closes the old connection and opens the file again with every migration applied. */
  upgrade(): Database;
  remove(): void;
}

/** `before` is a migration's tag (e.g. `0013_runs_source`); it and every later one are left out. */
export function createDatabaseBefore(before: string): OldDatabase {
  const directory = mkdtempSync(path.join(tmpdir(), "locus-playground-migrations-"));
  const folder = path.join(directory, "drizzle");
  mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(
    readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
  ) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((entry) => entry.tag === before);
  if (cut < 0) throw new Error(`no migration is tagged ${before}`);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) {
    copyFileSync(
      path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`),
      path.join(folder, `${entry.tag}.sql`),
    );
  }
  const file = path.join(directory, "old.db");
  const opened: Database[] = [createDatabase({ url: `file:${file}`, migrationsFolder: folder })];
  return {
    database: opened[0] as Database,
    upgrade() {
      closeDatabase(opened[0] as Database);
      const upgraded = createDatabase({ url: `file:${file}` });
      opened.push(upgraded);
      return upgraded;
    },
    remove() {
      for (const database of opened) {
        if (database.sqlite.open) closeDatabase(database);
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Inserts the way an older version did: only the columns a row names. Drizzle's insert lists
 * every column of today's schema, which an old database may not have yet.
 */
export function insertOldRows<Table extends SQLiteTable>(
  database: Database,
  table: Table,
  rows: Array<Table["$inferInsert"]>,
): void {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const tableName = getTableName(table);
  for (const row of rows) {
    const entries = Object.entries(row as Record<string, unknown>).filter(
      ([, value]) => value !== undefined,
    );
    const names = entries.map(([key]) => `"${columns[key]?.name ?? key}"`);
    const values = entries.map(([, value]) =>
      value instanceof Date
        ? value.getTime()
        : value !== null && typeof value === "object"
          ? JSON.stringify(value)
          : value,
    );
    database.sqlite
      .prepare(
        `INSERT INTO "${tableName}" (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
      )
      .run(...values);
  }
}
