/**
 * `POST /api/keys` creates a gateway key and answers it once (`201 { keyId, key }`); only its
 * hash is stored. `GET /api/keys` lists keys without secrets.
 */
import {
  getGatewayKeySpend,
  insertGatewayKey,
  listGatewayKeys,
} from "@/lib/db/gateway-key-queries";
import { writeOrRefuse } from "@/lib/db/write-without-waiting";
import { startOfUtcDay, startOfUtcMonth } from "@/lib/gateway/gateway-policy";
import { keySummary, parseNewKey } from "@/lib/gateway/key-requests";
import { displayPrefix, generateGatewayKey, hashGatewayKey } from "@/lib/gateway/keys";
import { responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";
import { recordingBehindResponse } from "@/lib/http/recording-behind";
import { newId } from "@/lib/runs/new-id";
import { getTracer, waitForRecording } from "@/lib/tracing";

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

/** What the key's calls cost today and this month (UTC), the periods its budgets count. */
function keySpend(keyId: string): { today: number; month: number } {
  const now = new Date();
  return {
    today: getGatewayKeySpend({ keyId, since: startOfUtcDay(now) }),
    month: getGatewayKeySpend({ keyId, since: startOfUtcMonth(now) }),
  };
}

export async function GET(): Promise<Response> {
  try {
    // Read your writes: spend includes every call already answered.
    if (!(await waitForRecording())) return recordingBehindResponse(getTracer().getHealth());
    return Response.json(
      {
        keys: listGatewayKeys().map((row) => ({ ...keySummary(row), spendUsd: keySpend(row.id) })),
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    return responseForError(error);
  }
}

export const { PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
