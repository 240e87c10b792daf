/**
 * `POST /api/votes` `{ runId, winner }`: the verdict on a blind run — a call index, `tie` or
 * `both-bad` → `201 { voteId, models }`, the reveal of who was who.
 */

import { insertVote } from "@/lib/db/vote-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { parseVoteRequest } from "@/lib/evaluations/vote-request";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";
import { newId } from "@/lib/runs/new-id";

export async function POST(request: Request): Promise<Response> {
  try {
    const vote = parseVoteRequest(await readJsonBody(request));
    const saved = await writeOrRefuse(
      () => insertVote({ id: newId(), runId: vote.runId, winner: vote.winner }),
      "the vote",
    );
    return Response.json(saved, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
