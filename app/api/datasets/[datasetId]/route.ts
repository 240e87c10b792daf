/**
 * `GET /api/datasets/:datasetId`: the test set with its rows; `?format=csv` or `?format=jsonl`
 * exports it as a file in the same shape the import takes. `PUT` replaces its name and rows
 * whole (the page's editor), validated like an import.
 */

import { z } from "zod";
import { getDatasetById, replaceDatasetRows } from "@/lib/db/dataset-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { NotFoundError } from "@/lib/errors";
import {
  datasetToCsv,
  datasetToJsonl,
  parseJsonDatasetRows,
} from "@/lib/evaluations/dataset-import";
import { errorResponse, invalidRequest, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";

const replaceBodySchema = z.strictObject({
  name: z.string().trim().min(1, "name is required").max(200),
  rows: z.unknown(),
});

function attachment(name: string, extension: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "dataset";
  return `attachment; filename="${safe}.${extension}"`;
}

export async function GET(
  request: Request,
  context: { params: Promise<{ datasetId: string }> },
): Promise<Response> {
  try {
    const { datasetId } = await context.params;
    const dataset = getDatasetById({ datasetId });
    if (!dataset) throw new NotFoundError(`no dataset ${datasetId}`);
    const format = new URL(request.url).searchParams.get("format");
    if (format === "csv") {
      return new Response(datasetToCsv(dataset.items), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": attachment(dataset.name, "csv"),
        },
      });
    }
    if (format === "jsonl") {
      return new Response(datasetToJsonl(dataset.items), {
        headers: {
          "content-type": "application/jsonl; charset=utf-8",
          "content-disposition": attachment(dataset.name, "jsonl"),
        },
      });
    }
    if (format !== null && format !== "json") {
      return errorResponse({
        status: 400,
        code: "invalid_request",
        message: "format must be json, csv or jsonl",
      });
    }
    return Response.json(dataset, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export async function PUT(
  request: Request,
  context: { params: Promise<{ datasetId: string }> },
): Promise<Response> {
  try {
    const { datasetId } = await context.params;
    const body = replaceBodySchema.safeParse(
      await readJsonBody(request, { limitBytes: 8 * 1024 * 1024 }),
    );
    if (!body.success) throw invalidRequest(body.error);
    const rows = parseJsonDatasetRows(body.data.rows);
    const replaced = await writeOrRefuse(
      () => replaceDatasetRows({ datasetId, name: body.data.name, rows }),
      "the test set",
    );
    if (!replaced) {
      throw new NotFoundError(`no dataset ${datasetId}`);
    }
    return Response.json(
      { datasetId, rows: rows.length },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

export const { POST, PATCH, DELETE } = otherMethods(["GET", "PUT"]);
