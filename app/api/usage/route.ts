/**
 * `GET /api/usage?from&to&groupBy&provider&model`: totals and groups (day, model or provider)
 * of calls that started in `[from, to)`. Defaults: the last 30 days, by UTC day.
 */
import { getUsageReport } from "@/lib/db/queries";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { recordingBehindResponse } from "@/lib/http/recording-behind";
import { getTracer, waitForRecording } from "@/lib/tracing";
import { parseUsageQuery } from "./query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseUsageQuery(new URL(request.url).searchParams);
    // Read your writes: every call already reported finished is counted, or none is answered.
    if (!(await waitForRecording())) return recordingBehindResponse(getTracer().getHealth());
    const report = getUsageReport(query);
    return Response.json(
      {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        groupBy: query.groupBy,
        ...report,
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
