import { describe, expect, it } from "vitest";
import { classifyHttpError, ProviderError, parseRetryAfterMs } from "./errors";

describe("classifyHttpError", () => {
  it.each([
    [401, "auth"],
    [403, "permission"],
    [402, "billing"],
    [404, "model_not_found"],
    [408, "timeout"],
    [413, "payload_too_large"],
    [429, "rate_limit"],
    [400, "format_error"],
    [422, "format_error"],
    [500, "server_error"],
    [502, "server_error"],
    [503, "overloaded"],
    [529, "overloaded"],
  ] as const)("maps HTTP %i to %s", (status, kind) => {
    expect(classifyHttpError({ status })).toBe(kind);
  });

  it("lets a structured error code win over the status", () => {
    expect(classifyHttpError({ status: 400, code: "context_length_exceeded" })).toBe(
      "context_too_long",
    );
    expect(classifyHttpError({ status: 200, code: "overloaded_error" })).toBe("overloaded");
    expect(classifyHttpError({ status: 429, code: "insufficient_quota" })).toBe("billing");
  });

  it("is unknown without a status or code", () => {
    expect(classifyHttpError({ status: null })).toBe("unknown");
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(parseRetryAfterMs(new Headers({ "retry-after": "20" }))).toBe(20_000);
    expect(parseRetryAfterMs({ "retry-after-ms": "1500" })).toBe(1_500);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterMs({ "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }, now)).toBe(30_000);
  });

  it("is null when absent or unreadable", () => {
    expect(parseRetryAfterMs(new Headers())).toBeNull();
    expect(parseRetryAfterMs({ "retry-after": "soon" })).toBeNull();
    expect(parseRetryAfterMs(undefined)).toBeNull();
  });
});

describe("ProviderError", () => {
  it("marks transient kinds retryable and permanent ones not", () => {
    expect(new ProviderError({ provider: "openai", kind: "rate_limit" }).retryable).toBe(true);
    expect(new ProviderError({ provider: "openai", kind: "overloaded" }).retryable).toBe(true);
    expect(new ProviderError({ provider: "openai", kind: "auth" }).retryable).toBe(false);
    expect(new ProviderError({ provider: "openai", kind: "aborted" }).retryable).toBe(false);
  });

  it("redacts keys the provider echoes back in its detail", () => {
    const error = new ProviderError({
      provider: "openai",
      kind: "auth",
      status: 401,
      detail: "Incorrect API key provided: sk-proj-abc123XYZ4567. You can find your key…",
    });
    expect(error.message).not.toContain("sk-proj-abc123XYZ4567");
    expect(error.message).toContain("[redacted]");
    expect(JSON.stringify(error.toJSON())).not.toContain("abc123XYZ");
  });
});
