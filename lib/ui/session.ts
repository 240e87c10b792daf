/**
 * Keeps the page's conversation across a reload (sessionStorage, per tab). The URL holds the
 * setup; this holds what the URL cannot: each column's turns and which runs they belong to,
 * so a reload can reattach to runs still going (`GET /api/runs/:id/events`). A snapshot is
 * only used when it was taken for the same setup the URL now describes.
 */
import * as z from "zod/mini";
import { attachedImageSchema, turnImageSchema } from "./image-attachments";
import type { PlaygroundState } from "./playground-state";
import { stopReasonSchema } from "./run-events";
import { parametersSchema } from "./setup";

export const SESSION_STORAGE_KEY = "locus-playground:session";
const VERSION = 1;

const usageSchema = z.nullable(
  z.object({
    inputTokens: z.nullable(z.number()),
    outputTokens: z.nullable(z.number()),
    cacheReadTokens: z.nullable(z.number()),
    cacheWriteTokens: z.nullable(z.number()),
    reasoningTokens: z.nullable(z.number()),
  }),
);

const turnSchema = z.object({
  id: z.string(),
  prompt: z.string(),
  images: z.optional(z.array(turnImageSchema)),
  model: z.string(),
  expectsJson: z.boolean(),
  runId: z.nullable(z.string()),
  callIndex: z.nullable(z.number()),
  callId: z.nullable(z.string()),
  phase: z.enum(["pending", "streaming", "ok", "error", "cancelled"]),
  output: z.string(),
  reasoning: z.optional(z.string()),
  toolCalls: z.array(
    z.object({ id: z.string(), name: z.string(), arguments: z.record(z.string(), z.unknown()) }),
  ),
  usage: usageSchema,
  costUsd: z.nullable(z.number()),
  ttftMs: z.nullable(z.number()),
  durationMs: z.nullable(z.number()),
  lastElapsedMs: z.optional(z.nullable(z.number())),
  inherited: z.optional(z.boolean()),
  stopReason: z.nullable(stopReasonSchema),
  error: z.nullable(
    z.object({
      code: z.string(),
      message: z.string(),
      retryAfterMs: z.optional(z.nullable(z.number())),
    }),
  ),
  startedAt: z.number(),
  firstDeltaAt: z.nullable(z.number()),
  lastDeltaAt: z.nullable(z.number()),
  finishedAt: z.nullable(z.number()),
  inputTokensEstimate: z.optional(z.nullable(z.number())),
  comparisonId: z.optional(z.string()),
  branchedFromRunId: z.optional(z.string()),
});

const stateSchema = z.object({
  system: z.string(),
  prompt: z.string(),
  tools: z.string(),
  schema: z.string(),
  columns: z.array(
    z.object({
      id: z.string(),
      model: z.string(),
      params: parametersSchema,
      system: z.nullable(z.string()),
      turns: z.array(turnSchema),
    }),
  ),
  nextColumnNumber: z.number(),
  baselineColumnId: z.nullable(z.string()),
  maximisedColumnId: z.nullable(z.string()),
  view: z.enum(["markdown", "plain"]),
  variables: z.optional(z.record(z.string(), z.string())),
  attachments: z.optional(z.array(attachedImageSchema)),
  blind: z.optional(
    z.nullable(
      z.object({
        order: z.array(z.string()),
        verdict: z.nullable(
          z.object({
            runId: z.string(),
            winner: z.union([z.number(), z.literal("tie"), z.literal("both-bad")]),
            models: z.array(z.string()),
          }),
        ),
      }),
    ),
  ),
});

const snapshotSchema = z.object({
  version: z.literal(VERSION),
  setup: z.string(),
  state: stateSchema,
});

/** `setup` is the encoded setup (the query string) the state was taken with. */
export function serializeSession(options: { state: PlaygroundState; setup: string }): string {
  return JSON.stringify({ version: VERSION, setup: options.setup, state: options.state });
}

export function restoreSession(options: {
  stored: string | null;
  setup: string;
}): PlaygroundState | null {
  if (options.stored === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(options.stored);
  } catch {
    return null;
  }
  const result = snapshotSchema.safeParse(json);
  if (!result.success || result.data.setup !== options.setup) return null;
  const { variables, blind, attachments, ...state } = result.data.state;
  // Snapshots taken before variables, blind mode and attachments existed have none of them.
  return {
    ...state,
    variables: variables ?? {},
    blind: blind ?? null,
    attachments: attachments ?? [],
  };
}
