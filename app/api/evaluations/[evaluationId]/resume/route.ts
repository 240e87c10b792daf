/**
 * `POST /api/evaluations/:evaluationId/resume`: an evaluation interrupted by a restart (or
 * cancelled) runs the cells that had not ended, keeping those that had. `409` while it runs
 * or once it is done.
 */
import { resumeEvaluation } from "@/lib/evaluations/evaluation-service";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";

export async function POST(
  _request: Request,
  context: { params: Promise<{ evaluationId: string }> },
): Promise<Response> {
  try {
    const { evaluationId } = await context.params;
    return Response.json(resumeEvaluation(evaluationId), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
