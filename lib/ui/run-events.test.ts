import { describe, expect, it } from "vitest";
import { parseRunEvent } from "./run-events";

describe("parseRunEvent", () => {
  it("reads every event type of the contract", () => {
    const events = [
      { type: "run-start", runId: "r1", calls: [{ index: 0, callId: "c1", model: "demo:chat" }] },
      { type: "text-delta", index: 0, delta: "Hi" },
      { type: "text-delta", index: 0, delta: "Hi", ttftMs: 412, elapsedMs: 412 },
      { type: "reasoning-delta", index: 0, delta: "hm", elapsedMs: 500 },
      { type: "tool-call", index: 0, toolCall: { id: "t1", name: "get", arguments: { a: 1 } } },
      {
        type: "call-finish",
        index: 0,
        status: "error",
        stopReason: "error",
        usage: null,
        costUsd: null,
        ttftMs: null,
        durationMs: 12,
        error: { code: "rate_limit", message: "openai: rate limited" },
      },
      { type: "run-finish", runId: "r1" },
    ];
    for (const event of events) expect(parseRunEvent(JSON.stringify(event))).toEqual(event);
  });

  it("rejects malformed JSON, unknown types and wrong field types", () => {
    expect(parseRunEvent("{not json")).toBeNull();
    expect(parseRunEvent(JSON.stringify({ type: "mystery" }))).toBeNull();
    expect(
      parseRunEvent(JSON.stringify({ type: "text-delta", index: "0", delta: "x" })),
    ).toBeNull();
    expect(
      parseRunEvent(JSON.stringify({ type: "text-delta", index: 0, delta: "x", ttftMs: "1" })),
    ).toBeNull();
  });
});
