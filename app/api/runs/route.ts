/**
 * `POST /api/runs` starts a comparison and streams its events; `GET /api/runs` lists runs,
 * newest first. The stream is only a view: closing it leaves the run going.
 */
import { invalidRequest, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";
import { recordingBehindResponse } from "@/lib/http/recording-behind";
import { sseResponse } from "@/lib/http/sse";
import { getRunManager, parseRunRequest } from "@/lib/runs";
import { listRunsPage } from "@/lib/runs/run-queries";
import { liveRunStream } from "@/lib/runs/run-stream";
import { getTracer, waitForRecording } from "@/lib/tracing";
import { runListQuerySchema } from "./query";

export async function POST(request: Request): Promise<Response> {
  try {
    const body = parseRunRequest(await readJsonBody(request));
    const run = getRunManager().startRun(body);
    return sseResponse(liveRunStream(run, { signal: request.signal }));
  } catch (error) {
    return responseForError(error);
  }
}

export async function GET(request: Request): Promise<Response> {
  try {
    const query = runListQuerySchema.safeParse(
      Object.fromEntries(new URL(request.url).searchParams),
    );
    if (!query.success) throw invalidRequest(query.error, { root: "query" });
    // Read your writes: runs already reported finished are listed as such, or not at all.
    if (!(await waitForRecording())) return recordingBehindResponse(getTracer().getHealth());
    const { comparison, ...rest } = query.data;
    return Response.json(listRunsPage({ ...rest, comparisonId: comparison }), {
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
