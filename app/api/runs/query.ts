/** The query string of `GET /api/runs`. */
import { z } from "zod";
import { CALL_SOURCES } from "@/lib/db/schema";
import { HISTORY_ID_PATTERN } from "@/lib/runs/run-request";

export const runListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().min(1).max(200).optional(),
  offset: z.coerce.number().int().min(0).optional(),
  search: z.string().max(500).optional(),
  /** Whose runs: `playground` (the default), `evaluation`, `judge` or `gateway`. */
  source: z.enum(CALL_SOURCES).optional(),
  /** Only the runs of one comparison (a run's `comparisonId`). */
  comparison: z.string().regex(HISTORY_ID_PATTERN, "comparison must be a comparison id").optional(),
});
