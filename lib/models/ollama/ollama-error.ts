import { abortedError, classifyHttpError, isAbortError, ProviderError } from "../errors";
import { ollamaResponseErrorSchema } from "./ollama-api";
import type { OllamaCall } from "./ollama-transport";

const PROVIDER = "ollama" as const;

/** Node's network error codes that mean "nothing answered at that address". */
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

function errorCode(error: unknown): string | null {
  if (typeof error !== "object" || error === null || !("code" in error)) return null;
  return typeof error.code === "string" ? error.code : null;
}

function isNetworkError(error: unknown): boolean {
  // fetch reports every network failure, a body cut off mid-stream included, as a TypeError
  // whose cause carries Node's error code.
  if (error instanceof TypeError) return true;
  const code = errorCode(error) ?? (error instanceof Error ? errorCode(error.cause) : null);
  return code !== null && CONNECTION_ERROR_CODES.has(code);
}

export function notReachableDetail(host: string): string {
  return `Ollama is not reachable at ${host}; start it with \`ollama serve\`, or set OLLAMA_HOST to where it listens`;
}

/**
 * Any failure of an SDK call or of reading its stream → `ProviderError`, classified by what
 * happened (our abort, the start timeout, what the body watcher saw, the HTTP status, the
 * error's type), never by message text. Provider text is kept only as redacted detail.
 */
export function toOllamaProviderError({
  error,
  call,
  host,
  modelId,
  timeoutMs,
}: {
  error: unknown;
  call: Pick<OllamaCall, "signal" | "timedOut" | "responded" | "inspection">;
  /** The host without credentials, for the message. */
  host: string;
  modelId: string;
  timeoutMs: number | null;
}): ProviderError {
  if (call.timedOut) {
    return new ProviderError({
      provider: PROVIDER,
      kind: "timeout",
      detail: `Ollama at ${host} did not start answering within ${timeoutMs} ms (a large model may still be loading; raise timeoutMs)`,
      cause: error,
    });
  }
  if (isAbortError(error, call.signal)) return abortedError(PROVIDER);
  if (ProviderError.isInstance(error)) return error;
  const fault = call.inspection.fault;
  if (fault) {
    return new ProviderError({
      provider: PROVIDER,
      kind: fault.kind,
      detail: fault.detail,
      cause: error,
    });
  }
  const responseError = ollamaResponseErrorSchema.safeParse(error);
  if (responseError.success) {
    const status = responseError.data.status_code;
    const kind = classifyHttpError({ status });
    const message =
      typeof responseError.data.error === "string" && responseError.data.error.trim() !== ""
        ? responseError.data.error
        : `HTTP ${status}`;
    return new ProviderError({
      provider: PROVIDER,
      kind,
      status,
      detail:
        kind === "model_not_found"
          ? `${message}; pull it with \`ollama pull ${modelId}\``
          : message,
      cause: error,
    });
  }
  if (isNetworkError(error)) {
    return new ProviderError({
      provider: PROVIDER,
      kind: "connection",
      detail: call.responded
        ? `the connection to Ollama at ${host} was lost before the answer was complete`
        : notReachableDetail(host),
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError({
      provider: PROVIDER,
      kind: "invalid_response",
      detail: "Ollama's answer was not valid JSON",
      cause: error,
    });
  }
  return new ProviderError({
    provider: PROVIDER,
    kind: "unknown",
    detail: error instanceof Error ? error.message : null,
    cause: error,
  });
}
