/**
 * `GET /api/usage/export?format=csv&from&to&provider&model`: one CSV row per call, streamed
 * page by page so a large range is never held in memory.
 */
import { listCallsForExport } from "@/lib/db/queries";
import { usageCsvLines } from "@/lib/db/usage-export";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { parseUsageQuery } from "../query";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const LINES_PER_CHUNK = 500;

export async function GET(request: Request): Promise<Response> {
  try {
    const query = parseUsageQuery(new URL(request.url).searchParams);
    const lines = usageCsvLines(listCallsForExport(query));
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        let chunk = "";
        for (let count = 0; count < LINES_PER_CHUNK; count++) {
          const next = lines.next();
          if (next.done) {
            if (chunk) controller.enqueue(encoder.encode(chunk));
            controller.close();
            return;
          }
          chunk += next.value;
        }
        controller.enqueue(encoder.encode(chunk));
      },
      cancel() {
        lines.return(undefined);
      },
    });
    const day = (date: Date) => date.toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="usage-${day(query.from)}-to-${day(query.to)}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
