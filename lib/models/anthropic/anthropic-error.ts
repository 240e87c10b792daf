/**
 * Anthropic SDK failures → `ProviderError`. The kind comes from the HTTP status and the
 * error body's `error.type` (`overloaded_error`, `rate_limit_error`, …), never from the
 * message text; the provider's message is kept only as redacted detail.
 *
 * @see https://platform.claude.com/docs/en/api/errors
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "@anthropic-ai/sdk";
import {
  abortedError,
  classifyHttpError,
  isAbortError,
  ProviderError,
  parseRetryAfterMs,
} from "../errors";

const PROVIDER = "anthropic";

export function toAnthropicProviderError(options: {
  error: unknown;
  signal?: AbortSignal;
  /**
   * Set once the response has started. The SDK surfaces a connection lost while reading
   * the body as a plain fetch error, which is then a connection failure, not an unknown.
   */
  duringStream?: boolean;
}): ProviderError {
  const { error, signal } = options;
  if (ProviderError.isInstance(error)) return error;
  if (isAbortError(error, signal)) return abortedError(PROVIDER);
  // Subclass first: a timeout is also an APIConnectionError.
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError({ provider: PROVIDER, kind: "timeout", cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError({ provider: PROVIDER, kind: "connection", cause: error });
  }
  if (error instanceof APIError) {
    // An `event: error` inside a 200 stream has no status of its own: only its type counts.
    const status = typeof error.status === "number" ? error.status : null;
    const code = error.type ?? null;
    return new ProviderError({
      provider: PROVIDER,
      kind: classifyHttpError({ status, code }),
      status,
      code,
      detail: error.apiMessage,
      retryAfterMs: parseRetryAfterMs(error.headers),
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError({
      provider: PROVIDER,
      kind: "invalid_response",
      detail: "an event in the stream was not valid JSON",
      cause: error,
    });
  }
  return new ProviderError({
    provider: PROVIDER,
    kind: options.duringStream ? "connection" : "unknown",
    detail: error instanceof Error ? error.message : null,
    cause: error,
  });
}
