/**
 * Zod schemas for what the native chat API sends back: the `ChatResult` of a plain call, the
 * SSE events of a streamed one, and `{ code, message }` error bodies. Loose on purpose: OCI adds
 * fields over time, and a field we do not read must not fail a call.
 */
import { z } from "zod";

const textPartSchema = z.looseObject({
  type: z.string().optional(),
  text: z.string().nullish(),
});

/** A GENERIC tool call, whole (plain response) or a fragment of one (stream). */
export const genericToolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  name: z.string().nullish(),
  arguments: z.unknown().optional(),
});

export const cohereToolCallSchema = z.looseObject({
  name: z.string().nullish(),
  parameters: z.unknown().optional(),
});

export const ociUsageSchema = z.looseObject({
  promptTokens: z.number().nullish(),
  completionTokens: z.number().nullish(),
  totalTokens: z.number().nullish(),
  promptTokensDetails: z.looseObject({ cachedTokens: z.number().nullish() }).nullish(),
  completionTokensDetails: z.looseObject({ reasoningTokens: z.number().nullish() }).nullish(),
});

export type OciUsage = z.infer<typeof ociUsageSchema>;

const genericMessageSchema = z.looseObject({
  role: z.string().nullish(),
  content: z.array(textPartSchema).nullish(),
  toolCalls: z.array(genericToolCallSchema).nullish(),
  // OCI's AssistantMessage carries the reasoning of models that return it here.
  reasoningContent: z.string().nullish(),
});

const genericChatResponseSchema = z.looseObject({
  apiFormat: z.literal("GENERIC"),
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        message: genericMessageSchema.nullish(),
        finishReason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: ociUsageSchema.nullish(),
});

const cohereChatResponseSchema = z.looseObject({
  apiFormat: z.literal("COHERE"),
  text: z.string().nullish(),
  finishReason: z.string().nullish(),
  errorMessage: z.string().nullish(),
  toolCalls: z.array(cohereToolCallSchema).nullish(),
  usage: ociUsageSchema.nullish(),
});

export const ociChatResultSchema = z.looseObject({
  modelId: z.string().nullish(),
  chatResponse: z.discriminatedUnion("apiFormat", [
    genericChatResponseSchema,
    cohereChatResponseSchema,
  ]),
});

/**
 * One SSE `data:` object. GENERIC: `{ index, message: { role, content, toolCalls }, finishReason }`;
 * COHERE: `{ apiFormat: "COHERE", text, finishReason, toolCalls }`; either may carry `usage`
 * (the `isIncludeUsage` chunk) and a stream error carries `errorMessage` or `{ code, message }`.
 */
export const ociStreamEventSchema = z.looseObject({
  apiFormat: z.string().nullish(),
  index: z.number().nullish(),
  message: z.union([genericMessageSchema, z.string()]).nullish(),
  text: z.string().nullish(),
  finishReason: z.string().nullish(),
  toolCalls: z.array(cohereToolCallSchema).nullish(),
  usage: ociUsageSchema.nullish(),
  errorMessage: z.string().nullish(),
  code: z.string().nullish(),
});

export type OciStreamEvent = z.infer<typeof ociStreamEventSchema>;

/** OCI error bodies: `{ "code": "NotAuthenticated", "message": "…" }`. */
export const ociErrorBodySchema = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
});
