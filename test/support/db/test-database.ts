/**
 * A fresh, migrated database in its own temporary directory, for tests and benchmarks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { closeDatabase, createDatabase, type Database } from "@/lib/db/client";

export interface TemporaryDatabase {
  database: Database;
  directory: string;
  file: string;
  /** Closes the connection and deletes the directory. */
  remove(): void;
}

export function createTemporaryDatabase(): TemporaryDatabase {
  const directory = mkdtempSync(path.join(tmpdir(), "locus-playground-db-"));
  const file = path.join(directory, "test.db");
  const database = createDatabase({ url: `file:${file}` });
  return {
    database,
    directory,
    file,
    remove() {
      closeDatabase(database);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
