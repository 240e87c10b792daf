/**
 * `GET /api/calls`: every recorded call (playground, evaluation, judge, gateway), newest
 * first, paged with `limit`/`cursor`, filtered by source, model, provider, status, key, tag,
 * `from`/`to` and `search`.
 */

import { callListQuerySchema } from "@/lib/calls/call-list-query";
import { listCalls } from "@/lib/db/call-queries";
import { invalidRequest, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { recordingBehindResponse } from "@/lib/http/recording-behind";
import { getTracer, waitForRecording } from "@/lib/tracing";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const query = callListQuerySchema.safeParse(
      Object.fromEntries(new URL(request.url).searchParams),
    );
    if (!query.success) throw invalidRequest(query.error, { root: "query" });
    // Read your writes: a call already reported finished is listed as finished.
    if (!(await waitForRecording())) return recordingBehindResponse(getTracer().getHealth());
    return Response.json(listCalls(query.data), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
