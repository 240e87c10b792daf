/**
 * `POST /api/runs/:id/cancel`: aborts every upstream request of the run at once. Answers once
 * the calls have settled (bounded), so the response can say how they ended.
 */
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { getRunManager } from "@/lib/runs";
import { getRunDetail } from "@/lib/runs/run-queries";
import { runNotFound } from "../../run-not-found";

const SETTLE_TIMEOUT_MS = 5_000;

export async function POST(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await context.params;
    const cancelled = getRunManager().cancelRun(id);
    if (!cancelled) {
      // Not in memory: finished long ago, or unknown.
      if (!getRunDetail({ runId: id })) throw runNotFound(id);
      return Response.json({ runId: id, cancelled: 0, finished: true });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = await Promise.race([
      cancelled.run.done.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), SETTLE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    return Response.json({
      runId: id,
      cancelled: cancelled.aborted,
      finished: settled,
      calls: cancelled.run.calls.map((call) => ({ index: call.index, status: call.status })),
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
