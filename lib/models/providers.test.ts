import { describe, expect, it } from "vitest";
import { LOCAL_PROVIDERS, PROVIDER_IDS } from "./providers";
import { listProviders } from "./registry";

describe("the provider list", () => {
  it("is what the registry serves, in its order, with the same local flags", () => {
    expect(listProviders().map((definition) => definition.id)).toEqual(PROVIDER_IDS);
    expect(
      listProviders()
        .filter((definition) => definition.local)
        .map((definition) => definition.id),
    ).toEqual([...LOCAL_PROVIDERS]);
  });

  it("marks Ollama and the demo as local, and only them", () => {
    expect([...LOCAL_PROVIDERS].sort()).toEqual(["demo", "ollama"]);
  });
});
