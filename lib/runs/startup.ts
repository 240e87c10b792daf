/**
 * Start-up work for the runs: open (and migrate) the database, then mark every call a crash
 * left `running` as `interrupted`. Called once from `instrumentation.ts`, before the server
 * takes requests, so no live call can be mistaken for a leftover.
 */
import "server-only";
import { getDb } from "@/lib/db/client";
import { markRunningCallsInterrupted } from "@/lib/db/queries";

export function recoverInterruptedCalls(): { interrupted: number } {
  getDb();
  const interrupted = markRunningCallsInterrupted();
  if (interrupted > 0) {
    console.log(
      `locus-playground: marked ${interrupted} call(s) left running by a crash as interrupted`,
    );
  }
  return { interrupted };
}
