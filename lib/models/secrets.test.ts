import { afterEach, describe, expect, it, vi } from "vitest";
import { redactSecrets, registerSecret } from "./secrets";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("redactSecrets", () => {
  it("removes configured key values verbatim, whatever their shape", () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "plain-looking-secret-value");
    expect(redactSecrets("key plain-looking-secret-value rejected")).toBe(
      "key [redacted] rejected",
    );
  });

  it("masks key-shaped tokens, bearer headers and session tokens", () => {
    expect(redactSecrets("sk-ant-fake-abcdEFGH")).toBe("[redacted]");
    expect(redactSecrets("Authorization: Bearer abc.def")).toBe("Authorization: [redacted]");
    expect(redactSecrets('keyId="ST$eyJhbGciOi"')).toBe('keyId="[redacted]"');
  });

  it("removes registered secrets such as tokens read from files", () => {
    registerSecret("token-from-a-file-123");
    expect(redactSecrets("bad token-from-a-file-123")).toBe("bad [redacted]");
  });

  it("leaves ordinary text alone", () => {
    expect(redactSecrets("model gpt-4o-mini not found")).toBe("model gpt-4o-mini not found");
  });
});
