/**
 * The reason a column shows when its call failed. The server classifies errors (`code` is the
 * ProviderError kind); this only words them, never inspecting the message text.
 */
import type { CallError } from "./run-events";

const HEADLINES: Record<string, string> = {
  auth: "authentication failed",
  permission: "permission denied",
  billing: "billing or quota problem",
  rate_limit: "rate limited",
  context_too_long: "prompt too long for this model",
  payload_too_large: "request too large",
  model_not_found: "model not found",
  overloaded: "provider overloaded",
  server_error: "provider server error",
  timeout: "timed out",
  connection: "provider unreachable",
  format_error: "request rejected",
  unsupported_input: "this model does not take this input",
  invalid_response: "unreadable response",
  not_configured: "not configured",
  aborted: "cancelled",
  interrupted: "interrupted",
  unknown: "failed",
};

/** The short wording of an error code (a ProviderError kind). */
export function errorHeadline(code: string): string {
  return HEADLINES[code] ?? `failed (${code})`;
}

export interface CallErrorText {
  headline: string;
  /** The server's (already redacted) message. */
  detail: string;
}

export function describeCallError(options: {
  error: CallError;
  /** Variables the provider is missing, from `GET /api/models`. */
  missingConfiguration?: string[];
}): CallErrorText {
  const { error } = options;
  let headline = HEADLINES[error.code] ?? `failed (${error.code})`;
  if (error.code === "rate_limit" && typeof error.retryAfterMs === "number") {
    headline = `${headline} — retry in ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))} s`;
  }
  const missing = options.missingConfiguration ?? [];
  if (error.code === "not_configured" && missing.length > 0) {
    headline = `${headline}: set ${missing.join(" or ")}`;
  }
  return { headline, detail: error.message };
}
