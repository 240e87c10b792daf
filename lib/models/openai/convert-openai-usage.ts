import { z } from "zod";
import type { Usage } from "../types";
import { emptyUsage, tokenCount } from "../usage";

/** Every field optional: OpenAI-compatible servers (OCI, vLLM, Gemini) omit different parts. */
const usageDetailsSchema = z
  .object({
    cached_tokens: z.unknown(),
    cache_write_tokens: z.unknown(),
    reasoning_tokens: z.unknown(),
  })
  .partial()
  .nullish()
  .catch(null);

const openAIUsageSchema = z
  .object({
    prompt_tokens: z.unknown(),
    completion_tokens: z.unknown(),
    prompt_tokens_details: usageDetailsSchema,
    completion_tokens_details: usageDetailsSchema,
  })
  .partial();

/**
 * Chat-completions usage → our normalized usage (usage-semantics.md). `prompt_tokens` already
 * includes cached and cache-written tokens, so it is taken as is; an absent field stays `null`.
 * Returns `null` when the response carried no usage object at all.
 */
export function convertOpenAIUsage(usage: unknown): Usage | null {
  if (usage === null || usage === undefined) return null;
  const parsed = openAIUsageSchema.safeParse(usage);
  if (!parsed.success) return emptyUsage(usage);
  const { prompt_tokens_details: promptDetails, completion_tokens_details: completionDetails } =
    parsed.data;
  return {
    ...emptyUsage(usage),
    inputTokens: tokenCount(parsed.data.prompt_tokens),
    outputTokens: tokenCount(parsed.data.completion_tokens),
    cacheReadTokens: tokenCount(promptDetails?.cached_tokens),
    cacheWriteTokens: tokenCount(promptDetails?.cache_write_tokens),
    reasoningTokens: tokenCount(completionDetails?.reasoning_tokens),
  };
}
