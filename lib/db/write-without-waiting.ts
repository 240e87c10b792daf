/**
 * Writes a request waits for (a price override, a key, a prompt, a re-price page) on the main
 * connection, without letting SQLite sleep on the event loop. The main connection's busy
 * timeout is long (client.ts) because background work on it should ride out a moment's
 * contention; a request under another process's lock would freeze the whole server for that
 * long, every stream with it. Here each attempt gets the recorder's busy timeout of a few
 * milliseconds; a lock is waited out with timers, the event loop free, for at most
 * `budgetMs`, and then the write is refused with `DatabaseUnavailableError` (a 503) and
 * nothing saved. A full or failing disk is refused at once: it does not clear in a request's
 * lifetime.
 */
import { DatabaseUnavailableError } from "@/lib/errors";
import { type Database, getDb, RECORDER_BUSY_TIMEOUT_MS } from "./client";
import { errorCodeOf, isTransientWriteError } from "./write-errors";

/** How long a request waits for a lock before it is answered 503. */
export const REQUEST_WRITE_BUDGET_MS = 500;

function reasonOf(error: unknown): "locked" | "full" | "io" {
  const code = errorCodeOf(error) ?? "";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "locked";
  if (code.startsWith("SQLITE_FULL")) return "full";
  return "io";
}

const MESSAGES = {
  locked: "the database is locked by another process (a backup, a sqlite3 session?)",
  full: "the database is full (no disk space, or its size limit is reached)",
  io: "the database cannot be written (a disk or file error)",
} as const;

/** Runs `write` once with a busy timeout of a few ms, restoring the connection's own after. */
function attempt<T>(database: Database, write: () => T): T {
  const { sqlite } = database;
  const previous = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma(`busy_timeout = ${RECORDER_BUSY_TIMEOUT_MS}`);
  try {
    return write();
  } finally {
    sqlite.pragma(`busy_timeout = ${previous}`);
  }
}

export async function writeWithoutWaiting<T>(
  database: Database,
  write: () => T,
  options: { budgetMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.budgetMs ?? REQUEST_WRITE_BUDGET_MS);
  let delayMs = 5;
  for (;;) {
    try {
      return attempt(database, write);
    } catch (error) {
      if (!isTransientWriteError(error)) throw error;
      const reason = reasonOf(error);
      if (reason !== "locked" || Date.now() + delayMs > deadline) {
        throw new DatabaseUnavailableError({
          reason,
          message: `${MESSAGES[reason]}: ${options.what ?? "the change"} was not saved; try again shortly`,
        });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 100);
  }
}

/** `writeWithoutWaiting` on the app's connection, for a route's one write; `what` names it. */
export function writeOrRefuse<T>(write: () => T, what: string): Promise<T> {
  return writeWithoutWaiting(getDb(), write, { what });
}
