/**
 * `GET /api/runs/:id/events`: everything that happened so far, then live events until the
 * run finishes — how a reloaded page reattaches. A run no longer in memory is rebuilt from
 * the database.
 */
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { sseResponse } from "@/lib/http/sse";
import { getRunManager } from "@/lib/runs";
import { eventsFromRecordedRun } from "@/lib/runs/recorded-run";
import { getRunDetail } from "@/lib/runs/run-queries";
import { liveRunStream, recordedRunStream } from "@/lib/runs/run-stream";
import { runNotFound } from "../../run-not-found";

export async function GET(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await context.params;
    const live = getRunManager().getRun(id);
    if (live) return sseResponse(liveRunStream(live, { signal: request.signal }));
    const recorded = getRunDetail({ runId: id });
    if (!recorded) throw runNotFound(id);
    return sseResponse(recordedRunStream(eventsFromRecordedRun(recorded)));
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
