/**
 * Start-up work for the runs: open (and migrate) the database, replay the recorder's journal
 * an earlier process left, then mark every call a crash left `running` as `interrupted`.
 * Called once from `instrumentation.ts`, before the server takes requests, so no live call can
 * be mistaken for a leftover. If the database refuses writes just then, the recorder does both
 * as soon as it takes them, before anything of this process. Evaluations left running are
 * marked `interrupted` too (their unfinished cells pending), to be resumed.
 */
import "server-only";
import { getDb } from "@/lib/db/client";
import { markRunningEvaluationsInterrupted } from "@/lib/db/evaluation-queries";
import { markRunningCallsInterrupted } from "@/lib/db/queries";
import { exportInterruptedCalls } from "@/lib/telemetry";
import { getTracer } from "@/lib/tracing";

export function recoverInterruptedCalls(): { interrupted: number } {
  getDb();
  // On the recorder's connection: a lock held elsewhere makes it wait for the retry, not hang.
  const { complete, result } = getTracer().recover((writer) =>
    markRunningCallsInterrupted({ database: writer, onMarked: exportInterruptedCalls }),
  );
  if (!complete) {
    console.error(
      "locus-playground: the database refuses writes at start; calls left running by a crash are marked interrupted once it takes them",
    );
  }
  if (result > 0) {
    console.log(
      `locus-playground: marked ${result} call(s) left running by a crash as interrupted`,
    );
  }
  let evaluations = 0;
  try {
    evaluations = markRunningEvaluationsInterrupted();
  } catch (error) {
    console.error(
      "locus-playground: could not mark evaluations left running as interrupted:",
      error instanceof Error ? error.name : typeof error,
    );
  }
  if (evaluations > 0) {
    console.log(
      `locus-playground: marked ${evaluations} evaluation(s) left running by a restart as interrupted`,
    );
  }
  return { interrupted: result };
}
