/**
 * OCI failures → `ProviderError`. OCI error bodies are `{ code, message }`; the code is a
 * structured reason that pins the kind where the status alone is ambiguous.
 * @see https://docs.oracle.com/iaas/Content/API/References/apierrors.htm
 */
import {
  classifyHttpError,
  ProviderError,
  type ProviderErrorKind,
  parseRetryAfterMs,
} from "../errors";
import { safeJsonParse } from "../tool-arguments";
import { ociErrorBodySchema } from "./oci-native-api";

const KIND_BY_OCI_CODE: Record<string, ProviderErrorKind> = {
  NotAuthenticated: "auth",
  SignatureNotValid: "auth",
  NotAuthorized: "permission",
  // OCI answers "not allowed" and "does not exist" alike, so as not to reveal which; the usual
  // cause for GenAI is a missing IAM policy or the wrong compartment.
  NotAuthorizedOrNotFound: "permission",
  NotAuthorizedOrResourceAlreadyExists: "permission",
  NotFound: "model_not_found",
  TooManyRequests: "rate_limit",
  LimitExceeded: "rate_limit",
  QuotaExceeded: "billing",
  InvalidParameter: "format_error",
  MissingParameter: "format_error",
  CannotParseRequest: "format_error",
  InvalidParameterValue: "format_error",
  RelatedResourceNotAuthorizedOrNotFound: "permission",
  RequestEntityTooLarge: "payload_too_large",
  PayloadTooLarge: "payload_too_large",
  InternalServerError: "server_error",
  ServiceUnavailable: "overloaded",
  RequestTimeout: "timeout",
};

export function classifyOciError({
  status,
  code,
}: {
  status: number | null;
  code: string | null;
}): ProviderErrorKind {
  return (code ? KIND_BY_OCI_CODE[code] : undefined) ?? classifyHttpError({ status, code });
}

/** An OCI `{ code, message }` error, from an HTTP status or from inside a stream. */
export function ociProviderError({
  status,
  code,
  message,
  headers,
}: {
  status: number | null;
  code: string | null;
  message: string | null;
  headers?: Headers;
}): ProviderError {
  const requestId = headers?.get("opc-request-id");
  const detail = [message, requestId ? `opc-request-id ${requestId}` : null]
    .filter(Boolean)
    .join("; ");
  return new ProviderError({
    provider: "oci",
    kind: classifyOciError({ status, code }),
    status,
    code,
    detail: detail || null,
    retryAfterMs: parseRetryAfterMs(headers),
  });
}

/** Reads a non-2xx response into a `ProviderError`. */
export async function ociErrorFromResponse(response: Response): Promise<ProviderError> {
  const body = await response.text().catch(() => "");
  const parsed = ociErrorBodySchema.safeParse(safeJsonParse(body));
  const code = parsed.success ? (parsed.data.code ?? null) : null;
  const message = parsed.success ? (parsed.data.message ?? null) : body.slice(0, 300) || null;
  return ociProviderError({
    status: response.status,
    code,
    message,
    headers: response.headers,
  });
}
