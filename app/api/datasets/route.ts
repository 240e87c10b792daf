/**
 * `POST /api/datasets` saves a test set from JSON `{ name, rows }`, or from the body of a CSV
 * (`content-type: text/csv`) or JSONL (`application/jsonl`, `application/x-ndjson`) file named
 * by `?name=`; a bad file is refused whole, naming its line. `GET /api/datasets` lists them.
 */

import { z } from "zod";
import { insertDataset, listDatasets } from "@/lib/db/dataset-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import {
  type DatasetRow,
  parseCsvDataset,
  parseJsonDatasetRows,
  parseJsonlDataset,
} from "@/lib/evaluations/dataset-import";
import { errorResponse, invalidRequest, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readBodyText } from "@/lib/http/read-json";
import { newId } from "@/lib/runs/new-id";

const DATASET_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
const nameSchema = z.string().trim().min(1, "name is required").max(200);
const jsonBodySchema = z.looseObject({ name: nameSchema, rows: z.unknown() });

const JSONL_TYPES = new Set(["application/jsonl", "application/x-ndjson", "application/jsonlines"]);

function fileName(request: Request): string {
  const name = nameSchema.safeParse(new URL(request.url).searchParams.get("name") ?? "");
  if (!name.success) throw invalidRequest(name.error, { root: "query.name" });
  return name.data;
}

export async function POST(request: Request): Promise<Response> {
  try {
    const contentType = (request.headers.get("content-type") ?? "application/json")
      .split(";")[0]
      ?.trim()
      .toLowerCase();
    const text = await readBodyText(request, { limitBytes: DATASET_BODY_LIMIT_BYTES });
    let name: string;
    let rows: DatasetRow[];
    if (contentType === "text/csv") {
      name = fileName(request);
      rows = parseCsvDataset(text);
    } else if (contentType && JSONL_TYPES.has(contentType)) {
      name = fileName(request);
      rows = parseJsonlDataset(text);
    } else if (contentType === "application/json") {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return errorResponse({
          status: 400,
          code: "invalid_json",
          message: "the body is not JSON",
        });
      }
      const body = jsonBodySchema.safeParse(value);
      if (!body.success) throw invalidRequest(body.error);
      name = body.data.name;
      rows = parseJsonDatasetRows(body.data.rows);
    } else {
      return errorResponse({
        status: 415,
        code: "unsupported_media_type",
        message: "send JSON, or a CSV (text/csv) or JSONL (application/jsonl) file with ?name=",
      });
    }
    const saved = await writeOrRefuse(
      () => insertDataset({ id: newId(), name, rows }),
      "the test set",
    );
    return Response.json(saved, { status: 201, headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export function GET(): Response {
  try {
    return Response.json(
      { datasets: listDatasets() },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
