/**
 * `GET /api/evaluations/:evaluationId/export?format=csv`: one CSV line per cell (row, target,
 * model, sample, verdict, prompt, expected, output, each assertion's verdict, figures, call id),
 * streamed page by page.
 */
import { evaluationCsvChunks } from "@/lib/evaluations/evaluation-service";
import { errorResponse, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { waitForRecording } from "@/lib/tracing";

export async function GET(
  request: Request,
  context: { params: Promise<{ evaluationId: string }> },
): Promise<Response> {
  try {
    const { evaluationId } = await context.params;
    const format = new URL(request.url).searchParams.get("format") ?? "csv";
    if (format !== "csv") {
      return errorResponse({
        status: 400,
        code: "invalid_request",
        message: "format: only csv is offered",
      });
    }
    await waitForRecording();
    const chunks = evaluationCsvChunks(evaluationId);
    // The first chunk is read here, so an unknown evaluation is a 404 rather than a broken body.
    const first = chunks.next();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (!first.done) controller.enqueue(encoder.encode(first.value));
      },
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      cancel() {
        chunks.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="evaluation-${evaluationId.replace(/[^\w-]/g, "")}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
