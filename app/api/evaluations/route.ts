/**
 * `POST /api/evaluations` starts an evaluation (a prompt version over a test set × targets ×
 * samples, with assertions): every row is rendered first, so a missing variable is a `400`
 * before any call. `GET /api/evaluations` lists them, newest first.
 */
import { createEvaluation, listEvaluationItems } from "@/lib/evaluations/evaluation-service";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";

export async function POST(request: Request): Promise<Response> {
  try {
    const created = createEvaluation(await readJsonBody(request));
    return Response.json(created, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export function GET(): Response {
  try {
    return Response.json(listEvaluationItems(), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
