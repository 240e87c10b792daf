/**
 * `GET /api/runs/:id` as the Inspect view and the "parameters not sent" note read it. Fields
 * beyond the contract's (`request`, `unsupported`, `rawUsage`, `params`) are optional: the
 * view shows what the server recorded and says when something is missing.
 */
import * as z from "zod/mini";

const unsupportedSchema = z.object({ parameter: z.string(), reason: z.string() });

export type UnsupportedParameter = z.infer<typeof unsupportedSchema>;

const callDetailSchema = z.object({
  index: z.number(),
  callId: z.string(),
  model: z.string(),
  status: z.string(),
  output: z.optional(z.string()),
  usage: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  costUsd: z.optional(z.nullable(z.number())),
  request: z.optional(z.nullable(z.object({ url: z.string(), body: z.unknown() }))),
  unsupported: z.optional(z.nullable(z.array(unsupportedSchema))),
  rawUsage: z.optional(z.unknown()),
  params: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  system: z.optional(z.nullable(z.string())),
  stopReason: z.optional(z.nullable(z.string())),
  rawStopReason: z.optional(z.nullable(z.string())),
  reasoning: z.optional(z.nullable(z.string())),
  cost: z.optional(
    z.object({
      inputUsd: z.nullable(z.number()),
      cacheReadUsd: z.nullable(z.number()),
      cacheWriteUsd: z.nullable(z.number()),
      outputUsd: z.nullable(z.number()),
      savingsUsd: z.nullable(z.number()),
    }),
  ),
  pricingStatus: z.optional(z.nullable(z.string())),
  priceSource: z.optional(z.nullable(z.string())),
  ttftMs: z.optional(z.nullable(z.number())),
  durationMs: z.optional(z.nullable(z.number())),
  startedAt: z.optional(z.nullable(z.string())),
  firstTokenAt: z.optional(z.nullable(z.string())),
  finishedAt: z.optional(z.nullable(z.string())),
});

export type CallDetail = z.infer<typeof callDetailSchema>;

const runDetailSchema = z.object({
  id: z.string(),
  calls: z.array(callDetailSchema),
});

export type RunDetail = z.infer<typeof runDetailSchema>;

export function parseRunDetail(json: unknown): RunDetail | null {
  const result = runDetailSchema.safeParse(json);
  return result.success ? result.data : null;
}

export function callOf(
  detail: RunDetail | undefined,
  index: number | null,
): CallDetail | undefined {
  if (!detail || index === null) return undefined;
  return detail.calls.find((call) => call.index === index);
}

/** A finished call whose recording has not reached the database yet lacks its request. */
export function isSettled(call: CallDetail | undefined): boolean {
  return call !== undefined && call.status !== "running" && call.request != null;
}
