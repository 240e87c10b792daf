/**
 * `GET /api/evaluations/:evaluationId/events`: SSE. First the progress so far and the status,
 * then, while it runs, a `cell` event per ended cell and a `progress` event after it, until a
 * final `status`. An evaluation not running answers the first two and ends.
 */
import { evaluationEvents } from "@/lib/evaluations/evaluation-service";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { sseResponse } from "@/lib/http/sse";

export async function GET(
  request: Request,
  context: { params: Promise<{ evaluationId: string }> },
): Promise<Response> {
  try {
    const { evaluationId } = await context.params;
    return sseResponse(evaluationEvents({ evaluationId, signal: request.signal }));
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
