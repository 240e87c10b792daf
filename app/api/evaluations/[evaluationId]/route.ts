/**
 * `GET /api/evaluations/:evaluationId`: status, progress, the per-target summary over every
 * cell, and the cells themselves paged with `limit` (default 5,000) and `cursor`. It waits for
 * the recorder first, since a cell's figures are those of its recorded call.
 */
import { getEvaluationDetail, parseCellsPage } from "@/lib/evaluations/evaluation-service";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { recordingBehindResponse } from "@/lib/http/recording-behind";
import { getTracer, waitForRecording } from "@/lib/tracing";

export async function GET(
  request: Request,
  context: { params: Promise<{ evaluationId: string }> },
): Promise<Response> {
  try {
    const { evaluationId } = await context.params;
    const page = parseCellsPage(new URL(request.url).searchParams);
    if (!(await waitForRecording())) return recordingBehindResponse(getTracer().getHealth());
    return Response.json(getEvaluationDetail({ evaluationId, ...page }), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
