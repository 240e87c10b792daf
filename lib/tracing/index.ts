/**
 * The process-wide recorder. Route handlers and the run manager share one instance (kept on
 * `globalThis` so Next.js dev reloads do not start a second queue against the same file).
 */
import "server-only";
import {
  closeRecorderConnection,
  type Database,
  getDb,
  openRecorderConnection,
} from "@/lib/db/client";
import { getCallExporter } from "@/lib/telemetry";
import { journalPathFor } from "./journal";
import { createTracer, type SqliteTracer } from "./tracer";

export { journalPathFor } from "./journal";
export {
  createTracer,
  type RecorderHealth,
  SqliteTracer,
  type TracerOptions,
  type TracerStats,
} from "./tracer";
export type * from "./types";

const globalStore = globalThis as typeof globalThis & {
  __locusPlaygroundTracer?: { tracer: SqliteTracer; database: Database; writer: Database };
};

export function getTracer(): SqliteTracer {
  const current = globalStore.__locusPlaygroundTracer;
  if (current?.tracer.databaseIsOpen) return current.tracer;
  // A test (or a shutdown) may close the database; the next user gets a recorder on the
  // connection `getDb()` opens then, not one writing into a closed handle.
  if (current) {
    current.tracer.close();
    closeRecorderConnection(current.writer, current.database);
  }
  const database = getDb();
  const writer = openRecorderConnection(database);
  const tracer = createTracer({
    database,
    writerDatabase: writer,
    journalPath: database.location === ":memory:" ? null : journalPathFor(database.location),
    exportCalls: getCallExporter(),
  });
  // Whatever is still queued when the process exits is written, or journalled, synchronously.
  process.once("exit", () => {
    if (tracer.databaseIsOpen) tracer.flushSync();
  });
  globalStore.__locusPlaygroundTracer = { tracer, database, writer };
  return tracer;
}

/**
 * How long a read waits for the recorder to commit what was enqueued before it. A commit
 * normally follows within one flush interval; past this the recorder is behind (the database
 * refuses writes) and the read is answered so rather than left hanging.
 */
export const READ_BARRIER_TIMEOUT_MS = 2_000;

/**
 * The read barrier of "read your writes": `true` once every call event sent before this read
 * (a `call-finish`, a `run-finish`) is in the database, `false` when that takes longer than
 * `READ_BARRIER_TIMEOUT_MS`.
 */
export function waitForRecording(timeoutMs: number = READ_BARRIER_TIMEOUT_MS): Promise<boolean> {
  return getTracer().waitForWrites(timeoutMs);
}
