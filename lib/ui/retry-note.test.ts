import { describe, expect, it } from "vitest";
import { retryNote, secondsUntil } from "./retry-note";

const retry = {
  attempt: 2,
  maxAttempts: 3,
  retryAt: 21_000,
  error: { code: "rate_limit", message: "slow down" },
};

describe("retryNote", () => {
  it("names the reason, the seconds left and the next attempt", () => {
    expect(retryNote(retry, 1_000)).toBe("rate limited — retrying in 20 s (attempt 2 of 3)");
  });

  it("counts down, rounding up", () => {
    expect(retryNote(retry, 19_500)).toBe("rate limited — retrying in 2 s (attempt 2 of 3)");
    expect(secondsUntil(21_000, 20_001)).toBe(1);
  });

  it("says now once the wait is over", () => {
    expect(retryNote(retry, 21_000)).toBe("rate limited — retrying now (attempt 2 of 3)");
  });

  it("words other retryable errors too", () => {
    expect(retryNote({ ...retry, error: { code: "overloaded", message: "" } }, 1_000)).toContain(
      "provider overloaded — retrying in 20 s",
    );
  });
});
