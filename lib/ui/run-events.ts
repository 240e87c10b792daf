/**
 * The run events of the HTTP contract (DESIGN.md, `POST /api/runs`) as the browser reads them.
 * Wire data is untyped, so every frame is checked; `zod/mini` keeps the client bundle small.
 * A compile-time check below keeps this schema in step with the server's `RunEvent` type.
 */
import * as z from "zod/mini";
import type { RunEvent as ServerRunEvent } from "@/lib/runs/run-events";

export const usageSchema = z.object({
  inputTokens: z.nullable(z.number()),
  outputTokens: z.nullable(z.number()),
  cacheReadTokens: z.nullable(z.number()),
  cacheWriteTokens: z.nullable(z.number()),
  reasoningTokens: z.nullable(z.number()),
});

export type RunUsage = z.infer<typeof usageSchema>;

export const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});

export type ToolCall = z.infer<typeof toolCallSchema>;

export const stopReasonSchema = z.enum([
  "stop",
  "length",
  "tool-calls",
  "content-filter",
  "error",
  "other",
]);

export type StopReason = z.infer<typeof stopReasonSchema>;

export const callErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  /** Not in the contract yet; shown as "retry in N s" when the server sends it. */
  retryAfterMs: z.optional(z.nullable(z.number())),
});

export type CallError = z.infer<typeof callErrorSchema>;

/**
 * Server durations on content events (optional: an older server sends none): `ttftMs` on a
 * call's first, `elapsedMs` (since the answering attempt started) on each.
 */
const timings = {
  ttftMs: z.optional(z.number()),
  elapsedMs: z.optional(z.number()),
};

export const runEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("run-start"),
    runId: z.string(),
    calls: z.array(z.object({ index: z.number(), callId: z.string(), model: z.string() })),
  }),
  z.object({ type: z.literal("text-delta"), index: z.number(), delta: z.string(), ...timings }),
  z.object({
    type: z.literal("reasoning-delta"),
    index: z.number(),
    delta: z.string(),
    ...timings,
  }),
  z.object({
    type: z.literal("tool-call"),
    index: z.number(),
    toolCall: toolCallSchema,
    ...timings,
  }),
  z.object({
    type: z.literal("call-finish"),
    index: z.number(),
    status: z.enum(["ok", "error", "cancelled"]),
    stopReason: stopReasonSchema,
    usage: z.nullable(usageSchema),
    costUsd: z.nullable(z.number()),
    ttftMs: z.nullable(z.number()),
    durationMs: z.nullable(z.number()),
    error: z.optional(callErrorSchema),
  }),
  z.object({
    type: z.literal("call-retry"),
    index: z.number(),
    attempt: z.number(),
    maxAttempts: z.number(),
    delayMs: z.number(),
    error: z.object({ code: z.string(), message: z.string() }),
  }),
  z.object({ type: z.literal("run-finish"), runId: z.string() }),
]);

export type RunEvent = z.infer<typeof runEventSchema>;

/** Fails to compile when the server starts sending an event this schema would reject. */
type AssertAssignable<Wider, Narrower extends Wider> = Narrower;
export type ServerEventsAreReadable = AssertAssignable<RunEvent, ServerRunEvent>;

/** `null` for a frame that is not a well-formed run event (skipped, never guessed at). */
export function parseRunEvent(data: string): RunEvent | null {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  const result = runEventSchema.safeParse(json);
  return result.success ? result.data : null;
}
