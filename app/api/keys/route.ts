/**
 * `POST /api/keys` creates a gateway key and answers it once (`201 { keyId, key }`); only its
 * hash is stored. `GET /api/keys` lists keys without secrets.
 */

import { insertGatewayKey, listGatewayKeys } from "@/lib/db/gateway-key-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { keySummary, parseNewKey } from "@/lib/gateway/key-requests";
import { displayPrefix, generateGatewayKey, hashGatewayKey } from "@/lib/gateway/keys";
import { responseForError } from "@/lib/http/errors";
import { readJsonBody } from "@/lib/http/read-json";
import { newId } from "@/lib/runs/new-id";

export async function POST(request: Request): Promise<Response> {
  try {
    const body = parseNewKey(await readJsonBody(request));
    const key = generateGatewayKey();
    const row = await writeOrRefuse(
      () =>
        insertGatewayKey({
          id: newId(),
          name: body.name,
          keyHash: hashGatewayKey(key),
          keyPrefix: displayPrefix(key),
          dailyBudgetUsd: body.budgetUsd?.daily ?? null,
          monthlyBudgetUsd: body.budgetUsd?.monthly ?? null,
          models: body.models && body.models.length > 0 ? body.models : null,
        }),
      "the key",
    );
    return Response.json(
      { ...keySummary(row), key },
      { status: 201, headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

export function GET(): Response {
  try {
    return Response.json(
      { keys: listGatewayKeys().map(keySummary) },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}
