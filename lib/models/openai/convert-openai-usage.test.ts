import { describe, expect, it } from "vitest";
import { convertOpenAIUsage } from "./convert-openai-usage";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";

describe("convertOpenAIUsage", () => {
  it("keeps prompt_tokens inclusive of cached tokens (17,903 of which 17,817 cached)", () => {
    const raw = {
      prompt_tokens: 17_903,
      completion_tokens: 120,
      total_tokens: 18_023,
      prompt_tokens_details: { cached_tokens: 17_817 },
    };
    const usage = convertOpenAIUsage(raw);
    expect(usage).toMatchObject({
      inputTokens: 17_903,
      cacheReadTokens: 17_817,
      cacheWriteTokens: null,
      outputTokens: 120,
      reasoningTokens: null,
    });
    expect(usage?.raw).toBe(raw);
  });

  it("maps cache writes and reasoning tokens", () => {
    expect(
      convertOpenAIUsage({
        prompt_tokens: 2_000,
        completion_tokens: 900,
        prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 1_500 },
        completion_tokens_details: { reasoning_tokens: 640 },
      }),
    ).toMatchObject({
      inputTokens: 2_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 1_500,
      outputTokens: 900,
      reasoningTokens: 640,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
    });
  });

  it("returns null for no usage and keeps unreported fields null, never 0", () => {
    expect(convertOpenAIUsage(null)).toBeNull();
    expect(convertOpenAIUsage(undefined)).toBeNull();
    expect(
      convertOpenAIUsage({
        prompt_tokens: 5,
        prompt_tokens_details: null,
        completion_tokens: null,
      }),
    ).toMatchObject({ inputTokens: 5, outputTokens: null, cacheReadTokens: null });
  });
});

describe("mapOpenAIFinishReason", () => {
  it.each([
    ["stop", "stop"],
    ["length", "length"],
    ["tool_calls", "tool-calls"],
    ["function_call", "tool-calls"],
    ["content_filter", "content-filter"],
    ["something_new", "other"],
    [null, "other"],
  ] as const)("%s → %s", (raw, expected) => {
    expect(mapOpenAIFinishReason(raw)).toBe(expected);
  });
});
