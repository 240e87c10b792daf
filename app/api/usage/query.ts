/**
 * The query string of `GET /api/usage` and `GET /api/usage/export`, validated. Bad input is
 * an `HttpError` (400), never a 500.
 */
import { z } from "zod";
import type { UsageGroupBy } from "@/lib/db/queries";
import { CALL_SOURCES, type CallSource } from "@/lib/db/schema";
import { HttpError, invalidRequest } from "@/lib/http/errors";
import { DAY_MS } from "@/lib/time";

const DEFAULT_USAGE_RANGE_DAYS = 30;

/** `2026-01-10` (UTC midnight) or an ISO 8601 date-time with `Z` or an offset. */
const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

const usageQuerySchema = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  groupBy: z.enum(["day", "model", "provider", "source", "key", "tag"]).optional(),
  provider: z.string().trim().min(1).max(64).optional(),
  model: z.string().trim().min(1).max(300).optional(),
  source: z.enum(CALL_SOURCES).optional(),
  key: z.string().trim().min(1).max(100).optional(),
  tag: z.string().trim().min(1).max(200).optional(),
  format: z.enum(["csv"]).optional(),
});

export interface UsageQuery {
  from: Date;
  to: Date;
  groupBy: UsageGroupBy;
  provider: string | null;
  model: string | null;
  source: CallSource | null;
  key: string | null;
  tag: string | null;
  format: "csv";
}

function badRequest(message: string): HttpError {
  return new HttpError({ status: 400, code: "invalid_request", message });
}

/** Defaults: the last 30 days up to now, grouped by day. */
export function parseUsageQuery(
  searchParameters: URLSearchParams,
  now: Date = new Date(),
): UsageQuery {
  const result = usageQuerySchema.safeParse(Object.fromEntries(searchParameters));
  if (!result.success) {
    throw invalidRequest(result.error, { root: "query" });
  }
  const query = result.data;
  const to = query.to ? new Date(query.to) : now;
  const from = query.from
    ? new Date(query.from)
    : new Date(to.getTime() - DEFAULT_USAGE_RANGE_DAYS * DAY_MS);
  if (!(from.getTime() < to.getTime())) throw badRequest("from must be before to");
  return {
    from,
    to,
    groupBy: query.groupBy ?? "day",
    provider: query.provider ?? null,
    model: query.model ?? null,
    source: query.source ?? null,
    key: query.key ?? null,
    tag: query.tag ?? null,
    format: query.format ?? "csv",
  };
}
