import { describe, expect, it } from "vitest";
import {
  findProvider,
  isLocalModel,
  modelNameOf,
  modelOptionLabel,
  parseModelsResponse,
  providerGroupLabel,
  providerIdOf,
} from "./providers";

const response = {
  providers: [
    {
      id: "anthropic",
      label: "Anthropic",
      local: false,
      configuration: { configured: false, missing: ["ANTHROPIC_API_KEY"], hint: null },
      models: ["anthropic:claude-haiku-4-5"],
      modelsError: null,
    },
    {
      id: "ollama",
      label: "Ollama (local)",
      local: true,
      configuration: { configured: true, missing: [], hint: "Ollama at http://127.0.0.1:11434" },
      models: [],
      modelsError: "listing models timed out",
    },
  ],
};

describe("providers", () => {
  it("reads GET /api/models and rejects other shapes", () => {
    expect(parseModelsResponse(response)?.map((provider) => provider.id)).toEqual([
      "anthropic",
      "ollama",
    ]);
    expect(parseModelsResponse({ providers: [{ id: "x" }] })).toBeNull();
    expect(parseModelsResponse(null)).toBeNull();
  });

  it("splits model strings at the first colon only", () => {
    expect(providerIdOf("ollama:llama3.2:1b")).toBe("ollama");
    expect(modelNameOf("ollama:llama3.2:1b")).toBe("llama3.2:1b");
  });

  it("knows local models from the list, and the two local providers before it loads", () => {
    const providers = parseModelsResponse(response);
    expect(isLocalModel("ollama:anything", providers)).toBe(true);
    expect(isLocalModel("anthropic:claude-haiku-4-5", providers)).toBe(false);
    expect(isLocalModel("demo:chat", null)).toBe(true);
    expect(isLocalModel("openai:gpt-4o", null)).toBe(false);
    expect(findProvider("anthropic:x", providers)?.configuration.missing).toEqual([
      "ANTHROPIC_API_KEY",
    ]);
  });
});

describe("picker labels", () => {
  const base = {
    id: "ollama",
    label: "Ollama (local)",
    local: true,
    configuration: { configured: true, missing: [], hint: null },
    models: [],
    modelsError: null,
  };

  it("names every model with its provider, and a demo model as simulated", () => {
    expect(modelOptionLabel("openai:gpt-4o-mini")).toBe("openai:gpt-4o-mini");
    expect(modelOptionLabel("demo:chat")).toBe("demo:chat (simulated)");
  });

  it("tells not running from no models pulled, and from not configured", () => {
    expect(
      providerGroupLabel({ ...base, modelsError: "not running at http://127.0.0.1:11434" }),
    ).toBe("Ollama (local) — not running at http://127.0.0.1:11434");
    expect(
      providerGroupLabel({ ...base, modelsError: "no models pulled (ollama pull <model>)" }),
    ).toBe("Ollama (local) — no models pulled (ollama pull <model>)");
    expect(
      providerGroupLabel({
        ...base,
        id: "anthropic",
        label: "Anthropic",
        configuration: { configured: false, missing: ["ANTHROPIC_API_KEY"], hint: null },
      }),
    ).toBe("Anthropic — not configured: set ANTHROPIC_API_KEY");
    expect(providerGroupLabel({ ...base, models: ["ollama:llama3.2"] })).toBe("Ollama (local)");
  });
});
