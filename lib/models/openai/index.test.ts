import { afterEach, describe, expect, it, vi } from "vitest";
import { InvalidOptionsError } from "../errors";
import { OpenAIChatModel, openaiProvider } from "./index";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("openaiProvider", () => {
  it("creates an OpenAI chat model from valid options", () => {
    const model = openaiProvider.createModel("gpt-4o-mini", { maxRetries: 0, timeoutMs: 5_000 });
    expect(model).toBeInstanceOf(OpenAIChatModel);
    expect(model.provider).toBe("openai");
    expect(model.modelId).toBe("gpt-4o-mini");
    expect(model.supportsStructuredOutput).toBe(true);
  });

  it("rejects unknown and mistyped constructor options", () => {
    expect(() => openaiProvider.createModel("gpt-4o", { temprature: 0.2 })).toThrow(
      InvalidOptionsError,
    );
    expect(() => openaiProvider.createModel("gpt-4o", { maxRetries: "3" })).toThrow(
      InvalidOptionsError,
    );
    expect(() => openaiProvider.createModel("gpt-4o", { skipApiKeyCheck: true })).toThrow(
      InvalidOptionsError,
    );
  });

  it("says OPENAI_API_KEY is missing when it is unset or blank", () => {
    expect(openaiProvider.configuration({})).toEqual({
      configured: false,
      missing: ["OPENAI_API_KEY"],
    });
    expect(openaiProvider.configuration({ OPENAI_API_KEY: "  " }).configured).toBe(false);
    expect(openaiProvider.configuration({ OPENAI_API_KEY: "sk-something" })).toEqual({
      configured: true,
      missing: [],
    });
  });

  it("reads process.env by default", () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-from-environment");
    expect(openaiProvider.configuration().configured).toBe(true);
  });

  it("lists the known OpenAI models", async () => {
    const models = await openaiProvider.listModels();
    expect(models).toContain("gpt-4o-mini");
    expect(models).toContain("o4-mini");
    expect(models).not.toContain("claude-sonnet-4-5");
  });
});
