import { describe, expect, it } from "vitest";
import { convertOllamaUsage } from "./convert-ollama-usage";

describe("convertOllamaUsage", () => {
  it("is null when the final object has no counts and no durations", () => {
    expect(convertOllamaUsage({ done: true, done_reason: "stop" })).toBeNull();
  });

  it("keeps token counts null, not 0, when only durations were reported", () => {
    expect(convertOllamaUsage({ done: true, total_duration: 2_000_000 })).toMatchObject({
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      raw: { total_duration: 2_000_000, durationsMs: { total: 2 } },
    });
  });

  it("reports a cached count only when it fits inside the prompt count", () => {
    expect(
      convertOllamaUsage({ prompt_eval_count: 900, prompt_eval_cached_count: 850, eval_count: 3 }),
    ).toMatchObject({ inputTokens: 900, cacheReadTokens: 850, cacheWriteTokens: null });
    expect(
      convertOllamaUsage({ prompt_eval_count: 5, prompt_eval_cached_count: 850, eval_count: 3 }),
    ).toMatchObject({
      inputTokens: 5,
      cacheReadTokens: null,
      raw: { prompt_eval_cached_count: 850 },
    });
  });
});
