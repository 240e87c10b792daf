import { z } from "zod";
import { InvalidOptionsError } from "./errors";
import type { CallOptions } from "./types";

const cacheBreakpointSchema = z.strictObject({
  type: z.literal("ephemeral"),
  ttl: z.enum(["5m", "1h"]).optional(),
});

export const toolDefinitionSchema = z.strictObject({
  type: z.literal("function"),
  function: z.strictObject({
    name: z.string().min(1).max(128),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().optional(),
  }),
});

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("text") }),
  z.strictObject({ type: z.literal("json_object") }),
  z.strictObject({
    type: z.literal("json_schema"),
    json_schema: z.strictObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().optional(),
    }),
  }),
]);

/** The sampling and shaping parameters shared by every provider (no tools, no signal). */
export const callParametersSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  maxTokens: z.number().int().positive().optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string()).max(16).optional(),
  frequencyPenalty: z.number().min(-2).max(2).optional(),
  presencePenalty: z.number().min(-2).max(2).optional(),
  promptCache: z.union([z.boolean(), z.strictObject({ ttl: z.enum(["5m", "1h"]) })]).optional(),
  reasoningEffort: z.enum(["low", "medium", "high"]).optional(),
});

const callOptionsSchema = callParametersSchema.extend({
  tools: z.array(toolDefinitionSchema).optional(),
  responseFormat: responseFormatSchema.optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

export { cacheBreakpointSchema };

/** Validates call options; unknown or mistyped keys throw instead of being dropped. */
export function parseCallOptions(options: CallOptions | undefined): CallOptions {
  const result = callOptionsSchema.safeParse(options ?? {});
  if (!result.success) {
    throw new InvalidOptionsError(`invalid call options: ${z.prettifyError(result.error)}`);
  }
  return result.data as CallOptions;
}

/** Validates constructor options against a provider's strict schema. */
export function parseModelOptions<Schema extends z.ZodType>(
  provider: string,
  schema: Schema,
  options: unknown,
): z.infer<Schema> {
  const result = schema.safeParse(options ?? {});
  if (!result.success) {
    throw new InvalidOptionsError(
      `invalid options for ${provider}: ${z.prettifyError(result.error)}`,
    );
  }
  return result.data;
}
