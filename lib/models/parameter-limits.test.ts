import { describe, expect, it } from "vitest";
import { MAX_TOKENS_CEILING, targetParameterProblems } from "./parameter-limits";

describe("targetParameterProblems", () => {
  it("accepts values at the edges of every range", () => {
    expect(
      targetParameterProblems({
        model: "openai:gpt-4o-mini",
        params: { temperature: 2, topP: 0, maxTokens: 16_384 },
      }),
    ).toEqual([]);
    expect(
      targetParameterProblems({
        model: "demo:chat",
        params: { temperature: 0, topP: 1, maxTokens: 1 },
      }),
    ).toEqual([]);
  });

  it("names each field out of range", () => {
    const problems = targetParameterProblems({
      model: "openai:gpt-4o-mini",
      params: { temperature: 5, topP: -0.1, maxTokens: -3 },
    });
    expect(problems.map((problem) => problem.field)).toEqual(["temperature", "topP", "maxTokens"]);
  });

  it("holds maxTokens to the model's known output limit, dated snapshots included", () => {
    const [problem] = targetParameterProblems({
      model: "anthropic:claude-3-5-haiku-20241022",
      params: { maxTokens: 8_193 },
    });
    expect(problem?.message).toContain("at most 8192");
  });

  it("holds maxTokens of a model with no known limit to the ceiling", () => {
    expect(
      targetParameterProblems({
        model: "ollama:llama3.2",
        params: { maxTokens: MAX_TOKENS_CEILING },
      }),
    ).toEqual([]);
    expect(
      targetParameterProblems({ model: "ollama:llama3.2", params: { maxTokens: 1e12 } })[0]?.field,
    ).toBe("maxTokens");
  });

  it("refuses a fractional maxTokens and a NaN temperature", () => {
    expect(
      targetParameterProblems({ model: "demo:chat", params: { maxTokens: 1.5 } })[0]?.field,
    ).toBe("maxTokens");
    expect(
      targetParameterProblems({ model: "demo:chat", params: { temperature: Number.NaN } })[0]
        ?.field,
    ).toBe("temperature");
  });

  it("refuses a demo model that does not exist, naming the ones that do", () => {
    const [problem] = targetParameterProblems({ model: "demo:nonexistent" });
    expect(problem?.field).toBe("model");
    expect(problem?.message).toContain("chat");
    expect(targetParameterProblems({ model: "demo:fast" })).toEqual([]);
  });
});
