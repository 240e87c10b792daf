import { describe, expect, it } from "vitest";
import { getModelMetadata, knownModelIds, registerModelMetadata } from "./metadata";

describe("getModelMetadata", () => {
  it("finds models by their plain id", () => {
    expect(getModelMetadata("gpt-4o-mini")).toMatchObject({
      contextLength: 128_000,
      maxOutputTokens: 16_384,
      supportsPromptCaching: true,
    });
  });

  it("resolves dated snapshot ids, which locus did not", () => {
    expect(getModelMetadata("claude-sonnet-4-20250514")?.modelId).toBe("claude-sonnet-4");
    expect(getModelMetadata("gpt-4o-2024-08-06")?.modelId).toBe("gpt-4o");
    expect(getModelMetadata("claude-3-5-haiku-latest")?.modelId).toBe("claude-3-5-haiku");
  });

  it("strips provider prefixes, including OCI's namespaced ids", () => {
    expect(getModelMetadata("openai.gpt-5")?.modelId).toBe("gpt-5");
    expect(getModelMetadata("oci:openai.gpt-5")?.modelId).toBe("gpt-5");
    expect(getModelMetadata(" Anthropic/claude-opus-4 ")?.modelId).toBe("claude-opus-4");
    expect(getModelMetadata("oci:meta.llama-3.3-70b-instruct")?.family).toBe("meta");
  });

  it("does not strip namespaces that are part of the model id", () => {
    expect(getModelMetadata("cohere.command-r-08-2024")?.contextLength).toBe(128_000);
    expect(getModelMetadata("unknown-model")).toBeNull();
  });

  it("knows which listed models take images, and says null for the rest", () => {
    expect(getModelMetadata("openai:gpt-4o-mini")?.supportsImageInput).toBe(true);
    expect(getModelMetadata("claude-sonnet-4-5-20250929")?.supportsImageInput).toBe(true);
    expect(getModelMetadata("o3-mini")?.supportsImageInput).toBe(false);
    expect(getModelMetadata("oci:meta.llama-3.3-70b-instruct")?.supportsImageInput).toBe(false);
    expect(getModelMetadata("llava:7b")).toBeNull();
  });

  it("lets a registration overwrite an entry", () => {
    registerModelMetadata({
      modelId: "my-local-model",
      family: "local",
      contextLength: 8_192,
      maxOutputTokens: 1_024,
      supportsPromptCaching: false,
      supportsImageInput: null,
    });
    expect(getModelMetadata("my-local-model")?.contextLength).toBe(8_192);
    expect(knownModelIds("local")).toEqual(["my-local-model"]);
  });
});
