/**
 * Reads behind the runs routes. The database is the source of truth; a run so new that its
 * first write is still queued is answered from memory instead of as unknown.
 */
import "server-only";
import { getRunById, listRuns, type RunPage, type RunView } from "@/lib/db/queries";
import type { CallSource } from "@/lib/db/schema";
import { getRunManager } from "./index";
import type { LiveRun } from "./live-run";
import type { RecordedRun } from "./recorded-run";

export type RunDetail = RunView | LiveRunSnapshot;

export interface LiveRunSnapshot extends RecordedRun {
  createdAt: string;
  system: string | null;
  messages: unknown[];
}

function snapshot(run: LiveRun): LiveRunSnapshot {
  return {
    id: run.id,
    createdAt: run.createdAt.toISOString(),
    system: run.system,
    messages: run.messages,
    calls: run.calls.map((call) => ({
      index: call.index,
      callId: call.callId,
      model: call.model,
      status: call.status,
      output: call.output,
      reasoning: call.reasoning === "" ? null : call.reasoning,
      toolCalls: call.toolCalls,
      stopReason: call.stopReason,
      usage: call.usage,
      costUsd: call.costUsd,
      ttftMs: call.ttftMs,
      durationMs: call.durationMs,
      error: call.error,
    })),
  };
}

/** The run manager's copy of a run, while it holds one (in memory, whatever the database says). */
export function getLiveRunDetail(id: string): LiveRunSnapshot | null {
  const live = getRunManager().getRun(id);
  return live ? snapshot(live) : null;
}

/** The run as recorded, or as it stands in memory when its first write is queued; `null` when unknown. */
export function getRunDetail(options: { runId: string }): RunDetail | null {
  const recorded = getRunById({ runId: options.runId });
  if (recorded) return recorded;
  const live = getRunManager().getRun(options.runId);
  return live ? snapshot(live) : null;
}

/** The first page of `GET /api/runs` when the caller names no size. */
export const DEFAULT_RUN_PAGE_SIZE = 20;

/** Runs newest first; a cursor this server did not issue throws `InvalidCursorError`. */
export function listRunsPage(options: {
  limit?: number;
  cursor?: string;
  offset?: number;
  search?: string;
  source?: CallSource;
  comparisonId?: string;
}): RunPage {
  return listRuns({ ...options, limit: options.limit ?? DEFAULT_RUN_PAGE_SIZE });
}
