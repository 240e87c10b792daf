/**
 * `POST /api/prices/reprice` with `{ from, to, provider?, model?, dryRun? }`: recomputes the
 * stored cost of the finished calls that started in `[from, to)` from the prices in force now
 * (each call at its own start time), and answers the totals before and after. With
 * `dryRun: true` nothing is written. Costs never change without this explicit action.
 */
import { z } from "zod";
import { getKeySpendLedger } from "@/lib/gateway/gateway-policy";
import { HttpError, invalidRequest, responseForError } from "@/lib/http/errors";
import { otherMethods } from "@/lib/http/methods";
import { readJsonBody } from "@/lib/http/read-json";
import { repriceCalls } from "@/lib/reports/reprice";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `2026-01-10` (UTC midnight) or an ISO 8601 date-time with `Z` or an offset. */
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

const repriceSchema = z.strictObject({
  from: instant,
  to: instant,
  provider: z.string().trim().min(1).max(64).nullable().optional(),
  model: z.string().trim().min(1).max(300).nullable().optional(),
  dryRun: z.boolean().optional(),
});

export async function POST(request: Request): Promise<Response> {
  try {
    const parsed = repriceSchema.safeParse(await readJsonBody(request));
    if (!parsed.success) throw invalidRequest(parsed.error, { root: "body" });
    const from = new Date(parsed.data.from);
    const to = new Date(parsed.data.to);
    if (!(from.getTime() < to.getTime())) {
      throw new HttpError({
        status: 400,
        code: "invalid_request",
        message: "from must be before to",
      });
    }
    const result = await repriceCalls({
      from,
      to,
      provider: parsed.data.provider ?? null,
      model: parsed.data.model ?? null,
      dryRun: parsed.data.dryRun ?? false,
    });
    // Gateway budgets read the re-priced history again.
    if (!parsed.data.dryRun) getKeySpendLedger().clear();
    return Response.json(result, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return responseForError(error);
  }
}

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
