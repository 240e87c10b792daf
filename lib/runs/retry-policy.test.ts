import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, retryDelayMs } from "./retry-policy";

const policy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 30_000 };
const retryable = { retryable: true, retryAfterMs: null };

describe("retryDelayMs", () => {
  it("backs off exponentially when the provider names no delay", () => {
    expect(retryDelayMs({ policy, attempt: 1, error: retryable })).toBe(1_000);
    expect(retryDelayMs({ policy, attempt: 2, error: retryable })).toBe(2_000);
  });

  it("honours retry-after", () => {
    expect(
      retryDelayMs({ policy, attempt: 1, error: { retryable: true, retryAfterMs: 20_000 } }),
    ).toBe(20_000);
  });

  it("stops after the last attempt", () => {
    expect(retryDelayMs({ policy, attempt: 3, error: retryable })).toBeNull();
  });

  it("never retries an error that is not retryable", () => {
    expect(
      retryDelayMs({ policy, attempt: 1, error: { retryable: false, retryAfterMs: 1_000 } }),
    ).toBeNull();
  });

  it("fails at once when the provider asks for a longer wait than the policy accepts", () => {
    expect(
      retryDelayMs({ policy, attempt: 1, error: { retryable: true, retryAfterMs: 30_001 } }),
    ).toBeNull();
  });

  it("caps the backoff at the longest accepted wait", () => {
    expect(
      retryDelayMs({
        policy: { maxAttempts: 10, baseDelayMs: 10_000, maxDelayMs: 25_000 },
        attempt: 5,
        error: retryable,
      }),
    ).toBe(25_000);
  });

  it("defaults to three attempts in all", () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(3);
  });
});
