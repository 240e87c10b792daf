/**
 * The body of `POST /api/runs`, exactly as DESIGN.md's HTTP contract states it. Objects are
 * strict: a misspelt parameter is a 400 naming it, not a setting silently ignored.
 */
import { z } from "zod";
import { InvalidInputError } from "@/lib/errors";
import { ModelStringError, parseModelString } from "@/lib/models";
import {
  callParametersSchema,
  responseFormatSchema,
  toolDefinitionSchema,
} from "@/lib/models/call-options";
import { targetParameterProblems } from "@/lib/models/parameter-limits";
import { redactSecrets } from "@/lib/models/secrets";
import { formatZodIssues } from "@/lib/zod-issues";

export const MAX_TARGETS = 16;

/** A comparison or run id as the page makes them (UUIDs); anything else is refused. */
export const HISTORY_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const toolCallSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()),
});

const contentPartSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text"), text: z.string() }),
  z.strictObject({
    type: z.literal("image"),
    imageId: z.string().regex(/^[0-9a-f]{64}$/, "imageId must be an id from POST /api/images"),
  }),
]);

const messageSchema = z.discriminatedUnion("role", [
  z.strictObject({
    role: z.literal("user"),
    content: z.union([
      z.string().refine((content) => content.trim() !== "", "a user message may not be empty"),
      z
        .array(contentPartSchema)
        .max(32, "at most 32 parts in a message")
        .refine(
          (parts) => parts.some((part) => part.type === "image" || part.text.trim() !== ""),
          "a user message may not be empty",
        ),
    ]),
  }),
  z
    .strictObject({
      role: z.literal("assistant"),
      content: z.string().nullable(),
      toolCalls: z.array(toolCallSchema).optional(),
    })
    .refine(
      (message) =>
        (message.content !== null && message.content !== "") ||
        (message.toolCalls?.length ?? 0) > 0,
      "an assistant message needs content or toolCalls",
    ),
  z.strictObject({
    role: z.literal("tool"),
    content: z.string(),
    toolCallId: z.string().min(1),
    name: z.string().min(1).optional(),
    isError: z.boolean().optional(),
  }),
]);

/**
 * The contract's `params`: prompt caching is on/off or a TTL (`"5m"`, `"1h"`). The
 * ranges of temperature, topP and maxTokens are left to `targetParameterProblems`, which also
 * knows each model's output limit and answers `invalid_params` naming the target.
 */
export const targetParametersSchema = callParametersSchema.extend({
  temperature: z.number().optional(),
  topP: z.number().optional(),
  maxTokens: z.number().int().optional(),
  promptCache: z.union([z.boolean(), z.enum(["5m", "1h"])]).optional(),
});

const targetSchema = z.strictObject({
  model: z.string().min(1, "model is required"),
  params: targetParametersSchema.optional(),
  system: z.string().optional(),
});

export const runRequestSchema = z.strictObject({
  system: z.string().optional(),
  messages: z.array(messageSchema).min(1, "messages may not be empty"),
  targets: z
    .array(targetSchema)
    .min(1, "at least one target is required")
    .max(MAX_TARGETS, `at most ${MAX_TARGETS} targets are allowed`),
  tools: z.array(toolDefinitionSchema).max(128).optional(),
  responseFormat: responseFormatSchema.optional(),
  /**
   * Added to the contract: the comparison this run is part of (the page sends one id for all
   * the runs one "Run all" makes) and the run whose edited turn it resends.
   */
  comparisonId: z.string().optional(),
  branchedFromRunId: z.string().optional(),
});

export type RunRequest = z.infer<typeof runRequestSchema>;
export type RunTarget = RunRequest["targets"][number];
export type RunMessage = RunRequest["messages"][number];

/** `comparisonId` and `branchedFromRunId`, when present, must be ids: `invalid_params` if not. */
function historyIdProblems(body: unknown): void {
  if (typeof body !== "object" || body === null) return;
  for (const field of ["comparisonId", "branchedFromRunId"] as const) {
    const value = (body as Record<string, unknown>)[field];
    if (value !== undefined && !(typeof value === "string" && HISTORY_ID_PATTERN.test(value))) {
      throw new InvalidInputError({
        code: "invalid_params",
        message: `${field}: must be a string of 1–128 letters, digits, "-" or "_"`,
      });
    }
  }
}

/** Validates an untyped body; throws `InvalidInputError` with a message naming the problem. */
export function parseRunRequest(body: unknown): RunRequest {
  historyIdProblems(body);
  const result = runRequestSchema.safeParse(body);
  if (!result.success) {
    throw new InvalidInputError({ message: formatZodIssues(result.error) });
  }
  for (const [index, target] of result.data.targets.entries()) {
    try {
      parseModelString(target.model);
    } catch (error) {
      if (!(error instanceof ModelStringError)) throw error;
      throw new InvalidInputError({
        code: "invalid_model",
        message: redactSecrets(`targets[${index}].model: ${error.message}`),
      });
    }
    const problem = targetParameterProblems(target)[0];
    if (problem) {
      const path = problem.field === "model" ? "model" : `params.${problem.field}`;
      throw new InvalidInputError({
        code: "invalid_params",
        message: redactSecrets(`targets[${index}].${path}: ${problem.message}`),
      });
    }
  }
  return result.data;
}
