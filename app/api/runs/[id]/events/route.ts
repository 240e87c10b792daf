/**
 * `GET /api/runs/:id/events`: everything that happened so far, then live events until the
 * run finishes — how a reloaded page reattaches. A run no longer in memory is rebuilt from
 * the database.
 */
import { responseForError } from "@/lib/http/errors";
import { sseResponse } from "@/lib/http/sse";
import { getRunManager } from "@/lib/runs";
import { eventsFromRecordedRun } from "@/lib/runs/recorded-run";
import { getRunDetail } from "@/lib/runs/run-queries";
import { liveRunStream, recordedRunStream } from "@/lib/runs/run-stream";

export async function GET(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await context.params;
    const live = getRunManager().getRun(id);
    if (live) return sseResponse(liveRunStream(live, { signal: request.signal }));
    return sseResponse(recordedRunStream(eventsFromRecordedRun(getRunDetail(id))));
  } catch (error) {
    return responseForError(error);
  }
}
