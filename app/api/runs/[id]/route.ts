/** `GET /api/runs/:id`: the run as recorded, also while it is still running. */
import { responseForError } from "@/lib/http/errors";
import { getRunDetail } from "@/lib/runs/run-queries";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await context.params;
    return Response.json(getRunDetail(id), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}
