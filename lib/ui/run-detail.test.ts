import { describe, expect, it } from "vitest";
import { readApiError } from "./api-error";
import { callOf, isSettled, parseRunDetail } from "./run-detail";

describe("run detail", () => {
  const detail = parseRunDetail({
    id: "run-1",
    createdAt: "2025-01-01T00:00:00.000Z",
    calls: [
      {
        index: 0,
        callId: "c0",
        model: "openai:gpt-4o-mini",
        status: "ok",
        request: {
          url: "https://api.openai.com/v1/chat/completions",
          body: { model: "gpt-4o-mini" },
        },
        unsupported: [],
        usage: { inputTokens: 3 },
        extraField: "kept out",
      },
      { index: 1, callId: "c1", model: "anthropic:x", status: "running", request: null },
    ],
  });

  it("reads the calls and finds one by index", () => {
    expect(detail?.calls).toHaveLength(2);
    expect(callOf(detail ?? undefined, 0)?.request?.url).toContain("/v1/chat/completions");
    expect(callOf(detail ?? undefined, 5)).toBeUndefined();
    expect(callOf(detail ?? undefined, null)).toBeUndefined();
  });

  it("treats a call as settled once it finished and its request is recorded", () => {
    expect(isSettled(callOf(detail ?? undefined, 0))).toBe(true);
    expect(isSettled(callOf(detail ?? undefined, 1))).toBe(false);
  });

  it("rejects a body that is not a run", () => {
    expect(parseRunDetail({ error: { code: "not_found", message: "no run" } })).toBeNull();
  });
});

describe("readApiError", () => {
  it("reads the contract's error body", async () => {
    const response = Response.json(
      { error: { code: "invalid_model", message: "bad" } },
      { status: 400 },
    );
    expect(await readApiError(response)).toEqual({ code: "invalid_model", message: "bad" });
  });

  it("falls back to the status for a body that is not the contract's", async () => {
    const response = new Response("<html>Bad gateway</html>", { status: 502 });
    expect(await readApiError(response)).toEqual({
      code: "http_502",
      message: "the server answered 502",
    });
  });
});
