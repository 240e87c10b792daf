import { afterEach, describe, expect, it, vi } from "vitest";
import { collectStream } from "./collect-stream";
import { getModel, getProvider } from "./registry";

afterEach(() => {
  vi.unstubAllEnvs();
});

const messages = [{ role: "user" as const, content: "hi" }];

describe("an environment passed to lib/models", () => {
  it("is the one keys come from, not the process's", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-process-key-must-not-be-used");
    vi.stubEnv("ANTHROPIC_API_KEY", "sk-ant-process-key-must-not-be-used");
    // Were the process's keys used by mistake, the calls would fail here, not on the internet.
    vi.stubEnv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
    vi.stubEnv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9");
    for (const model of ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"]) {
      await expect(
        collectStream(getModel(model, undefined, { environment: {} }).stream(messages)),
        model,
      ).rejects.toMatchObject({ kind: "not_configured" });
    }
  });

  it("decides what configuration reports", () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-process-key-must-not-be-used");
    expect(getProvider("openai")?.configuration({})).toMatchObject({ configured: false });
    expect(
      getProvider("openai")?.configuration({ OPENAI_API_KEY: "sk-given-0123456789" }),
    ).toMatchObject({ configured: true });
  });
});
