/**
 * The process-wide recorder. Route handlers and the run manager share one instance (kept on
 * `globalThis` so Next.js dev reloads do not start a second queue against the same file).
 */
import "server-only";
import { getDb } from "@/lib/db/client";
import { createTracer, type SqliteTracer } from "./tracer";

export { createTracer, SqliteTracer, type TracerOptions, type TracerStats } from "./tracer";
export type * from "./types";

const globalStore = globalThis as typeof globalThis & { __locusPlaygroundTracer?: SqliteTracer };

export function getTracer(): SqliteTracer {
  let tracer = globalStore.__locusPlaygroundTracer;
  // A test (or a shutdown) may close the database; the next user gets a recorder on the
  // connection `getDb()` opens then, not one writing into a closed handle.
  if (!tracer?.databaseIsOpen) {
    const created = createTracer({ database: getDb() });
    // Whatever is still queued when the process exits is written synchronously.
    process.once("exit", () => created.flushSync());
    globalStore.__locusPlaygroundTracer = created;
    tracer = created;
  }
  return tracer;
}
