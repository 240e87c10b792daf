/**
 * Typed errors. Provider failures are classified from HTTP status and structured error
 * codes (a port of locus `failover.py`), never from message text.
 */
import { redactSecrets } from "./secrets";
import type { ProviderId } from "./types";

export type ProviderErrorKind =
  | "auth"
  | "permission"
  | "billing"
  | "rate_limit"
  | "context_too_long"
  | "payload_too_large"
  | "model_not_found"
  | "overloaded"
  | "server_error"
  | "timeout"
  | "connection"
  | "format_error"
  | "invalid_response"
  | "not_configured"
  | "unsupported_input"
  | "aborted"
  | "unknown";

const RETRYABLE_KINDS: ReadonlySet<ProviderErrorKind> = new Set([
  "rate_limit",
  "overloaded",
  "server_error",
  "timeout",
  "connection",
  "unknown",
]);

/** What a person reads in the column that failed; the provider's text is added, redacted. */
const KIND_DESCRIPTIONS: Record<ProviderErrorKind, string> = {
  auth: "authentication failed — check the API key",
  permission: "permission denied for this model or key",
  billing: "billing or quota problem on the provider account",
  rate_limit: "rate limited",
  context_too_long: "the prompt is longer than the model's context window",
  payload_too_large: "the request is too large",
  model_not_found: "model not found",
  overloaded: "the provider is overloaded",
  server_error: "the provider had a server error",
  timeout: "the request timed out",
  connection: "could not reach the provider",
  format_error: "the provider rejected the request",
  invalid_response: "the provider sent a response that could not be read",
  not_configured: "provider not configured",
  unsupported_input: "this model does not take this kind of input",
  aborted: "cancelled",
  unknown: "the call failed",
};

export interface ProviderErrorOptions {
  provider: ProviderId;
  kind: ProviderErrorKind;
  status?: number | null;
  /** The provider's structured error code or type, e.g. `rate_limit_error`. */
  code?: string | null;
  /** Detail from the provider; redacted before it is kept. */
  detail?: string | null;
  retryAfterMs?: number | null;
  cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly provider: ProviderId;
  readonly kind: ProviderErrorKind;
  readonly status: number | null;
  readonly code: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;

  constructor(options: ProviderErrorOptions) {
    const detail = options.detail ? redactSecrets(options.detail).slice(0, 500) : null;
    const base = `${options.provider}: ${KIND_DESCRIPTIONS[options.kind]}`;
    super(detail ? `${base} (${detail})` : base, { cause: options.cause });
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status ?? null;
    this.code = options.code ?? null;
    this.retryable = RETRYABLE_KINDS.has(options.kind);
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  static isInstance(value: unknown): value is ProviderError {
    return value instanceof ProviderError;
  }

  /** A serializable, secret-free view for APIs and the database. */
  toJSON(): {
    kind: ProviderErrorKind;
    status: number | null;
    code: string | null;
    message: string;
    retryable: boolean;
    retryAfterMs: number | null;
  } {
    return {
      kind: this.kind,
      status: this.status,
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** Structured error codes/types that pin the kind regardless of status. */
const KIND_BY_ERROR_CODE: Record<string, ProviderErrorKind> = {
  // OpenAI / OCI OpenAI-compatible
  context_length_exceeded: "context_too_long",
  string_above_max_length: "context_too_long",
  model_not_found: "model_not_found",
  insufficient_quota: "billing",
  billing_hard_limit_reached: "billing",
  rate_limit_exceeded: "rate_limit",
  invalid_api_key: "auth",
  // Anthropic error.type
  authentication_error: "auth",
  permission_error: "permission",
  not_found_error: "model_not_found",
  rate_limit_error: "rate_limit",
  overloaded_error: "overloaded",
  api_error: "server_error",
  request_too_large: "payload_too_large",
  billing_error: "billing",
  timeout_error: "timeout",
};

/** The status table of locus `failover.py`, without its message-text heuristics. */
export function classifyHttpError(options: {
  status: number | null;
  code?: string | null;
}): ProviderErrorKind {
  const fromCode = options.code ? KIND_BY_ERROR_CODE[options.code] : undefined;
  if (fromCode) return fromCode;
  const status = options.status;
  if (status === null) return "unknown";
  if (status === 401) return "auth";
  if (status === 403) return "permission";
  if (status === 402) return "billing";
  if (status === 404) return "model_not_found";
  if (status === 408) return "timeout";
  if (status === 413) return "payload_too_large";
  if (status === 429) return "rate_limit";
  if (status === 503 || status === 529) return "overloaded";
  if (status >= 500) return "server_error";
  if (status >= 400) return "format_error";
  return "unknown";
}

/**
 * `retry-after` (seconds or an HTTP date) or `retry-after-ms`, from any header container.
 */
export function parseRetryAfterMs(
  headers: Headers | Record<string, string | string[] | undefined> | null | undefined,
  now: number = Date.now(),
): number | null {
  if (!headers) return null;
  const read = (name: string): string | null => {
    if (headers instanceof Headers) return headers.get(name);
    const value = headers[name] ?? headers[name.toLowerCase()];
    return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  };
  const milliseconds = read("retry-after-ms");
  if (milliseconds !== null && Number.isFinite(Number(milliseconds))) {
    return Math.max(0, Number(milliseconds));
  }
  const value = read("retry-after");
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Is this the error an aborted fetch/SDK call throws? Checked by type, not text. */
export function isAbortError(error: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  return (
    error instanceof Error && (error.name === "AbortError" || error.name === "APIUserAbortError")
  );
}

export function abortedError(provider: ProviderId): ProviderError {
  return new ProviderError({ provider, kind: "aborted" });
}

/** Thrown by `getModel` for a malformed model string or an unknown provider. */
export class ModelStringError extends Error {
  override readonly name = "ModelStringError";
}

/** Thrown for options a model or call does not accept; nothing is silently dropped. */
export class InvalidOptionsError extends Error {
  override readonly name = "InvalidOptionsError";
}

/** The provider lacks configuration (key, profile, host); says what to set, never a value. */
export class NotConfiguredError extends Error {
  override readonly name = "NotConfiguredError";
  readonly provider: ProviderId;
  readonly missing: string[];
  constructor(options: { provider: ProviderId; missing: string[]; hint?: string }) {
    super(
      `${options.provider} is not configured: set ${options.missing.join(" or ")}${options.hint ? ` (${options.hint})` : ""}`,
    );
    this.provider = options.provider;
    this.missing = options.missing;
  }
}

/**
 * A listing found no server at the provider's address (nothing listens there): a state of
 * its own, not "no models". `url` is the address without credentials.
 */
export class ServerNotRunningError extends Error {
  override readonly name = "ServerNotRunningError";
  constructor(readonly url: string) {
    super(`no server is running at ${url}`);
  }
}
