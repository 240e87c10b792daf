import { describe, expect, it } from "vitest";
import type { CallRow } from "@/lib/db/schema";
import { callSpan } from "./call-span";
import { interruptedCallOf } from "./index";

describe("interruptedCallOf", () => {
  it("exports a call a crash cut off as an interrupted error, ending when recovery found it", () => {
    const startedAt = new Date("2026-12-01T10:00:00.000Z");
    const found = new Date("2026-12-01T10:05:00.000Z");
    const row = {
      id: "call-1",
      runId: "run-1",
      model: "openai:gpt-4o-mini",
      provider: "openai",
      modelId: "gpt-4o-mini",
      source: "gateway",
      startedAt,
      ttftMs: null,
      costUsd: null,
      keyName: "ci-bot",
      tags: ["nightly"],
      status: "interrupted",
    } as unknown as CallRow;
    const span = callSpan(interruptedCallOf(row, found));
    expect(span.error).toBe(true);
    expect(span.startTime).toEqual(startedAt);
    expect(span.endTime).toEqual(found);
    expect(span.attributes).toMatchObject({
      "error.type": "interrupted",
      "locus.call.status": "interrupted",
      "locus.source": "gateway",
      "locus.gateway.key": "ci-bot",
      "gen_ai.request.model": "gpt-4o-mini",
    });
    expect(span.attributes).not.toHaveProperty("gen_ai.usage.input_tokens");
    // A clock that went backwards never gives a span that ends before it starts.
    expect(callSpan(interruptedCallOf(row, new Date(0))).endTime).toEqual(startedAt);
  });
});
