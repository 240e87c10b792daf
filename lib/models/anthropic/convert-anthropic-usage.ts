/**
 * Anthropic usage → our normalized usage (see usage-semantics.md).
 *
 * Anthropic's `input_tokens` counts only the tokens after the last cache breakpoint, so
 * `inputTokens` is `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`.
 * When streaming, `message_start.message.usage` carries the input and cache counts and every
 * `message_delta.usage` repeats the counts so far (cumulative): the assembled object takes
 * the latest value of each field and never sums.
 */
import { z } from "zod";
import { isPlainObject } from "../tool-arguments";
import type { Usage } from "../types";
import { tokenCount } from "../usage";

/** A count the wire may omit, send as `null`, or (in a broken proxy) mistype: all become null. */
const count = z
  .unknown()
  .optional()
  .transform((value) => tokenCount(value));

const anthropicUsageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_read_input_tokens: count,
  cache_creation_input_tokens: count,
  cache_creation: z
    .object({ ephemeral_5m_input_tokens: count, ephemeral_1h_input_tokens: count })
    .nullish()
    .catch(null),
  output_tokens_details: z.object({ thinking_tokens: count }).nullish().catch(null),
});

/**
 * Folds a later usage object into the one assembled so far. A field the update reports
 * replaces the earlier value; a field it leaves out or sends as `null` keeps the earlier
 * value, because a delta's `null` means "not reported here", not "became unknown".
 */
export function mergeAnthropicUsage(options: {
  current: Record<string, unknown> | null;
  update: unknown;
}): Record<string, unknown> | null {
  if (!isPlainObject(options.update)) return options.current;
  const merged: Record<string, unknown> = { ...(options.current ?? {}) };
  for (const [key, value] of Object.entries(options.update)) {
    if ((value !== null && value !== undefined) || !(key in merged)) merged[key] = value;
  }
  return merged;
}

/** `null` when there is no usage object at all; unknown fields stay `null`, never 0. */
export function convertAnthropicUsage(rawUsage: unknown): Usage | null {
  if (!isPlainObject(rawUsage)) return null;
  const usage = anthropicUsageSchema.parse(rawUsage);
  const cacheReadTokens = usage.cache_read_input_tokens;
  const cacheWriteTokens = usage.cache_creation_input_tokens;
  const inputTokens =
    usage.input_tokens === null
      ? null
      : usage.input_tokens + (cacheReadTokens ?? 0) + (cacheWriteTokens ?? 0);
  return {
    inputTokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens,
    cacheWriteTokens,
    cacheWrite5mTokens: usage.cache_creation?.ephemeral_5m_input_tokens ?? null,
    cacheWrite1hTokens: usage.cache_creation?.ephemeral_1h_input_tokens ?? null,
    reasoningTokens: usage.output_tokens_details?.thinking_tokens ?? null,
    raw: rawUsage,
  };
}
