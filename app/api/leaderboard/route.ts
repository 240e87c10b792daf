/**
 * `GET /api/leaderboard` → `[{ model, rating, low, high, votes }]`, best first: Bradley–Terry
 * ratings on the Elo scale from every blind vote, with 95% bootstrap intervals.
 */
import { listVotes } from "@/lib/db/vote-queries";
import { rateModels } from "@/lib/evaluations/ratings";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";

export function GET(): Response {
  try {
    return Response.json(rateModels(listVotes()), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
