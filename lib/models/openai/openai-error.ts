import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { z } from "zod";
import {
  abortedError,
  classifyHttpError,
  isAbortError,
  ProviderError,
  parseRetryAfterMs,
} from "../errors";
import type { ProviderId } from "../types";

/** The `error` object of an OpenAI error body (`{ error: { message, type, code, param } }`). */
const errorBodySchema = z
  .object({
    message: z.unknown(),
    type: z.string().nullish().catch(null),
    code: z.union([z.string(), z.number()]).nullish().catch(null),
    // OpenAI-compatible servers (vLLM, LiteLLM, OCI) put the HTTP status they would have
    // answered in the body of an error sent inside a 200 stream.
    status_code: z.union([z.number(), z.string()]).nullish().catch(null),
    status: z.union([z.number(), z.string()]).nullish().catch(null),
  })
  .partial();

function httpStatusOf(value: unknown): number | null {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) && number >= 400 && number < 600
    ? number
    : null;
}

function describeBody(body: unknown): {
  code: string | null;
  status: number | null;
  detail: string | null;
} {
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return { code: null, status: null, detail: null };
  const { code, type, message } = parsed.data;
  return {
    // `code` is the specific reason (`insufficient_quota`); `type` the broad one.
    code: code !== null && code !== undefined ? String(code) : (type ?? null),
    // vLLM sends the status as a numeric `code`; others as `status_code` or `status`.
    status:
      httpStatusOf(parsed.data.status_code) ??
      httpStatusOf(parsed.data.status) ??
      httpStatusOf(code),
    detail: typeof message === "string" ? message : null,
  };
}

/**
 * Any failure of an SDK call or of reading its stream → `ProviderError`. Classified by the
 * SDK's error classes, the HTTP status and the body's structured code; the provider's text is
 * kept only as redacted detail.
 */
export function toOpenAIProviderError({
  provider,
  error,
  signal,
}: {
  provider: ProviderId;
  error: unknown;
  signal?: AbortSignal;
}): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  if (error instanceof APIUserAbortError || isAbortError(error, signal)) {
    return abortedError(provider);
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError({ provider, kind: "timeout", cause: error });
  }
  if (error instanceof APIConnectionError) {
    return new ProviderError({ provider, kind: "connection", detail: error.message, cause: error });
  }
  if (error instanceof APIError) {
    // A status-less APIError is an `error` object sent inside a 200 stream: the status is
    // then the one its body names, so it is classified as the same error answered up front.
    const body = describeBody(error.error);
    const status = typeof error.status === "number" ? error.status : body.status;
    const { code, detail } = body;
    return new ProviderError({
      provider,
      kind: classifyHttpError({ status, code }),
      status,
      code,
      detail: detail ?? error.message,
      retryAfterMs: parseRetryAfterMs(error.headers),
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    // The SDK parses each SSE `data:` line with JSON.parse; a bad chunk surfaces here.
    return new ProviderError({
      provider,
      kind: "invalid_response",
      detail: "a streamed chunk was not valid JSON",
      cause: error,
    });
  }
  if (error instanceof TypeError) {
    // fetch reports network failures (including a body cut off mid-stream) as TypeError.
    // Callers pass only errors raised by the SDK or its response body, never our own bugs.
    return new ProviderError({ provider, kind: "connection", detail: error.message, cause: error });
  }
  return new ProviderError({
    provider,
    kind: "unknown",
    detail: error instanceof Error ? error.message : null,
    cause: error,
  });
}
