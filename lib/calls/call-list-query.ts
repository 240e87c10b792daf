/** The query string of `GET /api/calls` and of the `/calls` page, validated. */
import { z } from "zod";
import { CALL_SOURCES } from "@/lib/db/schema";

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const callListQuerySchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(200).optional(),
    cursor: z.string().min(1).max(200).optional(),
    source: z.enum(CALL_SOURCES).optional(),
    model: z.string().trim().min(1).max(300).optional(),
    provider: z.string().trim().min(1).max(64).optional(),
    status: z.enum(["running", "ok", "error", "cancelled", "interrupted"]).optional(),
    key: z.string().trim().min(1).max(100).optional(),
    tag: z.string().trim().min(1).max(200).optional(),
    from: instant.optional(),
    to: instant.optional(),
    search: z.string().max(500).optional(),
  })
  .transform(({ from, to, ...rest }) => ({
    ...rest,
    from: from ? new Date(from) : null,
    to: to ? new Date(to) : null,
  }))
  .refine((query) => !(query.from && query.to) || query.from.getTime() < query.to.getTime(), {
    message: "from must be before to",
    path: ["from"],
  });
