/**
 * Reads behind the runs routes, with HTTP semantics: unknown ids are 404s and bad query
 * strings are 400s. The database is the source of truth; a run so new that its first write
 * is still queued is answered from memory instead of a false 404.
 */
import "server-only";
import { z } from "zod";
import {
  getRunById,
  InvalidCursorError,
  listRuns,
  type RunPage,
  type RunView,
} from "@/lib/db/queries";
import { HttpError } from "@/lib/http/errors";
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

function notFound(id: string): HttpError {
  return new HttpError({
    status: 404,
    code: "not_found",
    message: `no run with id ${JSON.stringify(id.slice(0, 64))}`,
  });
}

/** The run manager's copy of a run, while it holds one (in memory, whatever the database says). */
export function getLiveRunDetail(id: string): LiveRunSnapshot | null {
  const live = getRunManager().getRun(id);
  return live ? snapshot(live) : null;
}

export function getRunDetail(id: string): RunDetail {
  const recorded = getRunById({ runId: id });
  if (recorded) return recorded;
  const live = getRunManager().getRun(id);
  if (live) return snapshot(live);
  throw notFound(id);
}

const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  search: z.string().max(500).optional(),
});

export type ListQuery = z.infer<typeof listQuerySchema>;

export function parseListQuery(searchParameters: URLSearchParams): ListQuery {
  const result = listQuerySchema.safeParse(Object.fromEntries(searchParameters));
  if (!result.success) {
    throw new HttpError({
      status: 400,
      code: "invalid_request",
      message: result.error.issues
        .map((issue) => `${issue.path.map(String).join(".") || "query"}: ${issue.message}`)
        .join("; "),
    });
  }
  return result.data;
}

export function listRunsPage(query: ListQuery): RunPage {
  try {
    return listRuns({ limit: query.limit ?? 20, ...query });
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new HttpError({ status: 400, code: "invalid_request", message: error.message });
    }
    throw error;
  }
}
