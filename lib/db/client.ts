/**
 * The one SQLite connection of the process: WAL, migrations from `drizzle/` applied at open,
 * and the seeded price rows. better-sqlite3 is synchronous, which is what lets the tracer
 * write a whole batch in one short transaction without interleaving with other writers.
 */
import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { getServerEnvironment } from "@/lib/env";
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  type Checkpointer,
  startCheckpointer,
} from "./checkpointer";
import * as schema from "./schema";
import { seedPriceOverrides } from "./seed";

export interface Database {
  /** The raw connection, for prepared statements on hot paths (the tracer's writer). */
  sqlite: BetterSqlite3.Database;
  orm: BetterSQLite3Database<typeof schema>;
  /** Absolute file path, or `:memory:`. */
  location: string;
  /**
   * Bumped by every price override write, so the tracer's in-memory copy of the overrides
   * knows when to reload without reading the table for every call.
   */
  priceOverridesVersion: number;
  /** Checkpoints the WAL on a worker thread (checkpointer.ts); `null` when SQLite does it inline. */
  checkpointer: Checkpointer | null;
}

export interface DatabaseOptions {
  url: string;
  migrationsFolder?: string;
  /**
   * Checkpoint the WAL on a worker thread instead of inside the commits of this connection
   * (file databases only). The app's connection does; a test database need not start a thread.
   */
  checkpointInBackground?: boolean;
}

/**
 * `file:./x.db` and `./x.db` are relative to the working directory; `file:/abs.db`,
 * `file:///abs.db` and `/abs.db` are absolute; `:memory:` (or `file::memory:`) is in memory.
 * A query string (`?mode=…`) is ignored.
 */
export function resolveDatabaseLocation(url: string, cwd: string = process.cwd()): string {
  let value = url.trim();
  if (value === "") throw new Error("DATABASE_URL is empty");
  if (value.startsWith("file:")) {
    value = value.slice("file:".length);
    const query = value.indexOf("?");
    if (query !== -1) value = value.slice(0, query);
    // `file:///abs` is a URL with an empty host.
    if (value.startsWith("//")) value = value.slice(2);
    value = decodeURIComponent(value);
  }
  if (value === ":memory:") return value;
  return path.resolve(cwd, value);
}

export function createDatabase(options: DatabaseOptions): Database {
  const location = resolveDatabaseLocation(options.url);
  if (location !== ":memory:") mkdirSync(path.dirname(location), { recursive: true });
  const sqlite = new BetterSqlite3(location);
  try {
    sqlite.pragma("journal_mode = WAL");
    // With WAL, NORMAL loses at most the last transactions on power loss, never integrity.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("busy_timeout = 5000");
    // 32 MiB of page cache (negative = KiB): the calls table's hot pages stay in memory.
    sqlite.pragma("cache_size = -32000");
    sqlite.pragma("foreign_keys = ON");
    const orm = drizzle(sqlite, { schema });
    // Resolved from the working directory: under `next start` the server code is bundled
    // into `.next/`, so a path relative to this file would point nowhere.
    migrate(orm, {
      migrationsFolder: options.migrationsFolder ?? path.join(process.cwd(), "drizzle"),
    });
    const database: Database = {
      sqlite,
      orm,
      location,
      priceOverridesVersion: 0,
      checkpointer: null,
    };
    seedPriceOverrides(database);
    if (options.checkpointInBackground && location !== ":memory:") {
      database.checkpointer = startCheckpointer(sqlite, location);
    }
    return database;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/**
 * How long the recorder's connection lets SQLite wait for a lock. Short on purpose: the wait
 * is a sleep on the event loop, and the recorder retries on its own schedule instead
 * (lib/tracing/tracer.ts). It still covers the moment a RESTART checkpoint holds the writers.
 */
export const RECORDER_BUSY_TIMEOUT_MS = 5;

/**
 * A second connection to the same file for the recorder's writes, with a busy timeout short
 * enough that a lock held by another process never freezes the server. An in-memory database
 * has no other writer (and no other connection could see it): its own connection is returned.
 */
export function openRecorderConnection(database: Database): Database {
  if (database.location === ":memory:") return database;
  const sqlite = new BetterSqlite3(database.location, { fileMustExist: true });
  try {
    sqlite.pragma(`busy_timeout = ${RECORDER_BUSY_TIMEOUT_MS}`);
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("cache_size = -32000");
    sqlite.pragma("foreign_keys = ON");
    // The commits that could trigger an inline checkpoint are this connection's now.
    if (database.checkpointer) {
      sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
    }
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return {
    sqlite,
    orm: drizzle(sqlite, { schema }),
    location: database.location,
    priceOverridesVersion: 0,
    checkpointer: database.checkpointer,
  };
}

/** Closes a connection from `openRecorderConnection`, never the main one it may share. */
export function closeRecorderConnection(recorder: Database, main: Database): void {
  if (recorder.sqlite !== main.sqlite && recorder.sqlite.open) recorder.sqlite.close();
}

const globalStore = globalThis as typeof globalThis & { __locusPlaygroundDatabase?: Database };

/** The process-wide connection, opened (and migrated) on first use. */
export function getDb(): Database {
  if (!globalStore.__locusPlaygroundDatabase) {
    globalStore.__locusPlaygroundDatabase = createDatabase({
      url: getServerEnvironment().DATABASE_URL,
      checkpointInBackground: true,
    });
  }
  return globalStore.__locusPlaygroundDatabase;
}

/** Closes the connection; the checkpointer's thread, if any, ends on its own shortly after. */
export function closeDatabase(database: Database): void {
  void database.checkpointer?.close();
  if (database.sqlite.open) database.sqlite.close();
  if (globalStore.__locusPlaygroundDatabase === database) {
    globalStore.__locusPlaygroundDatabase = undefined;
  }
}
