import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { toOpenAIProviderError } from "./openai-error";

/** How the SDK reports `data: {"error": {…}}` inside a 200 stream: no status, the body's error. */
function streamedError(body: Record<string, unknown>): APIError {
  return new APIError(undefined, body, undefined, new Headers());
}

function upfrontError(status: number, body: Record<string, unknown>): APIError {
  return APIError.generate(status, { error: body }, undefined, new Headers());
}

describe("an error sent inside a stream", () => {
  it.each([
    [{ message: "slow down", status_code: 429 }, 429, "rate_limit"],
    [{ message: "busy", status_code: 503, code: "service_unavailable" }, 503, "overloaded"],
    [{ message: "bad key", status: "401" }, 401, "auth"],
    // vLLM puts the status in `code`.
    [
      { object: "error", message: "too long", type: "BadRequestError", code: 400 },
      400,
      "format_error",
    ],
    [{ message: "boom", code: 500 }, 500, "server_error"],
  ])("%j gets the kind of a %i answered up front", (body, status, kind) => {
    const streamed = toOpenAIProviderError({ provider: "openai", error: streamedError(body) });
    const upfront = toOpenAIProviderError({
      provider: "openai",
      error: upfrontError(status, body),
    });
    expect(streamed.kind).toBe(kind);
    expect(streamed.kind).toBe(upfront.kind);
    expect(streamed.status).toBe(status);
    expect(streamed.retryable).toBe(upfront.retryable);
  });

  it("is classified by a structured code when there is no status", () => {
    const error = toOpenAIProviderError({
      provider: "openai",
      error: streamedError({ message: "ctx", code: "context_length_exceeded" }),
    });
    expect(error.kind).toBe("context_too_long");
  });

  it("stays unknown when the body says nothing structured", () => {
    const error = toOpenAIProviderError({
      provider: "openai",
      error: streamedError({ message: "something happened" }),
    });
    expect(error.kind).toBe("unknown");
    expect(error.status).toBeNull();
  });
});
