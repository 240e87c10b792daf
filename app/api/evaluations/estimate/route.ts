/**
 * `POST /api/evaluations/estimate` (the body of `POST /api/evaluations`): the number of calls
 * and their estimated cost, unpriced models named, so the person can confirm before starting.
 * Nothing is saved or called.
 */
import { estimateEvaluationCost } from "@/lib/evaluations/evaluation-service";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";

export async function POST(request: Request): Promise<Response> {
  try {
    const estimate = estimateEvaluationCost(await readJsonBody(request));
    return Response.json(estimate, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
