/**
 * `POST /api/evaluations/:evaluationId/cancel`: aborts the running calls at once and starts no
 * more; answers once they have settled (bounded). Cells that ended are kept.
 */
import { cancelEvaluation } from "@/lib/evaluations/evaluation-service";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";

export async function POST(
  _request: Request,
  context: { params: Promise<{ evaluationId: string }> },
): Promise<Response> {
  try {
    const { evaluationId } = await context.params;
    return Response.json(await cancelEvaluation(evaluationId), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
