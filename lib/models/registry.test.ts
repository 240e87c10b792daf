import { describe, expect, it } from "vitest";
import { DemoModel } from "./demo";
import { InvalidOptionsError, ModelStringError } from "./errors";
import { getModel, listProviders, parseModelString } from "./registry";

describe("getModel", () => {
  it("rejects a string without a colon, naming the expected form and the providers", () => {
    expect(() => getModel("gpt-4o")).toThrow(ModelStringError);
    expect(() => getModel("gpt-4o")).toThrow(/must be 'provider:model'.*'openai'.*'demo'/);
  });

  it("rejects an unknown provider, listing the available ones", () => {
    expect(() => getModel("mistral:large")).toThrow(/Unknown provider: mistral\. Available: \[/);
    expect(() => getModel(":x")).toThrow(/Unknown provider: \. Available/);
  });

  it("is case-sensitive on the provider", () => {
    expect(() => parseModelString("OpenAI:gpt-4o")).toThrow(/Unknown provider: OpenAI/);
  });

  it("splits on the first colon so model ids may contain colons", () => {
    expect(parseModelString("ollama:llama3.3:70b")).toEqual({
      provider: "ollama",
      modelId: "llama3.3:70b",
    });
  });

  it("rejects an empty model id instead of calling a provider with nothing", () => {
    expect(() => parseModelString("openai:")).toThrow(/names no model/);
  });

  it("forwards options to the provider, which rejects unknown ones", () => {
    const model = getModel("demo:fast", { ttftMs: 5 });
    expect(model).toBeInstanceOf(DemoModel);
    expect(model.modelId).toBe("fast");
    expect(() => getModel("demo:fast", { ttftMS: 5 })).toThrow(InvalidOptionsError);
  });

  it("registers the four providers of locus plus demo, in locus order", () => {
    expect(listProviders().map((provider) => provider.id)).toEqual([
      "openai",
      "anthropic",
      "ollama",
      "oci",
      "demo",
    ]);
  });
});
