/**
 * `GET /api/calls/:callId`: one recorded call — the request as sent (never a key), output,
 * reasoning, tool calls, usage, cost parts, price source, timings, source, key name, tags.
 */
import { getCallDetail } from "@/lib/db/call-queries";
import { NotFoundError } from "@/lib/errors";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { recordingBehindResponse } from "@/lib/http/recording-behind";
import { redactSecrets } from "@/lib/models/secrets";
import { getTracer, waitForRecording } from "@/lib/tracing";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(
  _request: Request,
  context: { params: Promise<{ callId: string }> },
): Promise<Response> {
  try {
    const { callId } = await context.params;
    if (!(await waitForRecording())) return recordingBehindResponse(getTracer().getHealth());
    const call = getCallDetail({ callId });
    if (!call) throw new NotFoundError(`no call ${callId}`);
    // The record never holds a key; redaction is the belt to that pair of braces.
    return new Response(redactSecrets(JSON.stringify(call)), {
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
