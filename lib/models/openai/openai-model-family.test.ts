import { describe, expect, it } from "vitest";
import {
  isOpenAIReasoningModel,
  isOpenAISearchPreviewModel,
  normalizeOpenAIModelName,
} from "./openai-model-family";

describe("normalizeOpenAIModelName", () => {
  it("lower-cases and strips a purely alphabetic namespace only", () => {
    expect(normalizeOpenAIModelName("OpenAI.GPT-5")).toBe("gpt-5");
    expect(normalizeOpenAIModelName("gpt-4.1-mini")).toBe("gpt-4.1-mini");
    expect(normalizeOpenAIModelName("gpt-5.1")).toBe("gpt-5.1");
  });
});

describe("isOpenAIReasoningModel", () => {
  it.each([
    "o1",
    "o1-preview",
    "o3-mini",
    "o4-mini",
    "gpt-5",
    "gpt-5.1",
    "gpt-5-codex",
    "openai.o1",
    "openai.o4-mini",
    "OPENAI.GPT-5-MINI",
  ])("%s is a reasoning model", (modelId) => {
    expect(isOpenAIReasoningModel(modelId)).toBe(true);
  });

  it.each([
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-3.5-turbo",
    "gpt-4.1",
    "openai.gpt-4o",
    "meta.llama-3.3-70b-instruct",
    "xai.grok-4",
  ])("%s is not a reasoning model", (modelId) => {
    expect(isOpenAIReasoningModel(modelId)).toBe(false);
  });
});

describe("isOpenAISearchPreviewModel", () => {
  it("matches the search-preview models only", () => {
    expect(isOpenAISearchPreviewModel("gpt-4o-search-preview")).toBe(true);
    expect(isOpenAISearchPreviewModel("gpt-4o-mini-search-preview-2025-03-11")).toBe(true);
    expect(isOpenAISearchPreviewModel("gpt-4o-mini")).toBe(false);
  });
});
