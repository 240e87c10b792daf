import { describe, expect, it } from "vitest";
import { describeCallError } from "./call-error";

describe("describeCallError", () => {
  it("adds the wait to a rate limit when the server says how long", () => {
    const text = describeCallError({
      error: { code: "rate_limit", message: "openai: rate limited", retryAfterMs: 19_200 },
    });
    expect(text.headline).toBe("rate limited — retry in 20 s");
    expect(text.detail).toBe("openai: rate limited");
  });

  it("names the variable to set for a provider that is not configured", () => {
    const text = describeCallError({
      error: { code: "not_configured", message: "anthropic is not configured" },
      missingConfiguration: ["ANTHROPIC_API_KEY"],
    });
    expect(text.headline).toBe("not configured: set ANTHROPIC_API_KEY");
  });

  it("words each kind by its code and keeps unknown codes visible", () => {
    expect(describeCallError({ error: { code: "server_error", message: "m" } }).headline).toBe(
      "provider server error",
    );
    expect(describeCallError({ error: { code: "unsupported_input", message: "m" } }).headline).toBe(
      "this model does not take this input",
    );
    expect(describeCallError({ error: { code: "brand_new", message: "m" } }).headline).toBe(
      "failed (brand_new)",
    );
  });
});
