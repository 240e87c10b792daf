/**
 * The HTTP status a gateway client gets for a call that failed upstream. The kind is ours (the
 * adapters classify every provider's errors into it), so an OpenAI client calling Claude sees
 * the same 429 for a rate limit as it would from OpenAI.
 */
import type { ProviderErrorKind } from "@/lib/models/errors";

const STATUS_BY_KIND: Record<ProviderErrorKind, number> = {
  auth: 502,
  permission: 403,
  billing: 402,
  rate_limit: 429,
  context_too_long: 400,
  payload_too_large: 413,
  model_not_found: 404,
  overloaded: 529,
  server_error: 502,
  timeout: 504,
  connection: 502,
  format_error: 400,
  unsupported_input: 400,
  invalid_response: 502,
  not_configured: 503,
  aborted: 499,
  unknown: 502,
};

function isKind(code: string): code is ProviderErrorKind {
  return Object.hasOwn(STATUS_BY_KIND, code);
}

/**
 * `auth` is the gateway's own provider key failing, not the client's: a 401 would tell the
 * client its gateway key is wrong, so it is a 502. OpenAI clients do not know 529, so an
 * overload is their 503.
 */
export function upstreamStatus(code: string, format: "openai" | "anthropic"): number {
  const status = isKind(code) ? STATUS_BY_KIND[code] : 502;
  return status === 529 && format === "openai" ? 503 : status;
}
