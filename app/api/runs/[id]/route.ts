/** `GET /api/runs/:id`: the run as recorded, also while it is still running. */
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { getRunDetail } from "@/lib/runs/run-queries";
import { runNotFound } from "../run-not-found";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await context.params;
    const run = getRunDetail({ runId: id });
    if (!run) throw runNotFound(id);
    return Response.json(run, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
