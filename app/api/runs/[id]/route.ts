/**
 * `GET /api/runs/:id`: the run as recorded, also while it is still running. It waits for the
 * recorder first, so calls already reported finished read as finished; if the recorder is
 * behind, the run manager's own copy answers while it holds the run, else a 503 says why.
 */
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { recordingBehindResponse } from "@/lib/http/recording-behind";
import { getLiveRunDetail, getRunDetail } from "@/lib/runs/run-queries";
import { getTracer, waitForRecording } from "@/lib/tracing";
import { runNotFound } from "../run-not-found";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await context.params;
    if (!(await waitForRecording())) {
      const live = getLiveRunDetail(id);
      if (!live) return recordingBehindResponse(getTracer().getHealth());
      return Response.json(live, { headers: { "cache-control": "no-store" } });
    }
    const run = getRunDetail({ runId: id });
    if (!run) throw runNotFound(id);
    return Response.json(run, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
