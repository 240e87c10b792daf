/** `GET /api/aliases` lists model aliases; `POST /api/aliases` `{ alias, model }` sets one. */

import { listModelAliases, upsertModelAlias } from "@/lib/db/gateway-key-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { parseNewAlias } from "@/lib/gateway/key-requests";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";

function aliasJson(row: { alias: string; model: string; createdAt: Date }) {
  return { alias: row.alias, model: row.model, createdAt: row.createdAt.toISOString() };
}

export async function POST(request: Request): Promise<Response> {
  try {
    const body = parseNewAlias(await readJsonBody(request));
    const saved = await writeOrRefuse(() => upsertModelAlias(body), "the alias");
    return Response.json(aliasJson(saved), {
      status: 201,
      headers: { "cache-control": "no-store" },
    });
  } catch (error) {
    return responseForError(error);
  }
}

export function GET(): Response {
  try {
    return Response.json(
      { aliases: listModelAliases().map(aliasJson) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
