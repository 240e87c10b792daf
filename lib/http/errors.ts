/**
 * The one error shape of the HTTP API: `{ error: { code, message } }`. Route handlers throw
 * `HttpError` for anything the caller got wrong at the HTTP level, and `lib/` throws the domain
 * errors of `lib/errors.ts`; `responseForError` is the one place both become a `Response`.
 */

import type { z } from "zod";
import {
  ConflictError,
  DatabaseUnavailableError,
  type InvalidInputCode,
  InvalidInputError,
  NotFoundError,
} from "@/lib/errors";
import { formatZodIssues } from "@/lib/zod-issues";

/** Every code of the domain's input errors, plus those only HTTP has. */
export type HttpErrorCode =
  | InvalidInputCode
  | "invalid_json"
  | "body_too_large"
  | "unsupported_media_type"
  | "method_not_allowed"
  | "not_found"
  | "conflict"
  | "unauthorized"
  | "cross_origin"
  | "unavailable"
  | "database_unavailable"
  | "internal_error";

export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  readonly code: HttpErrorCode;

  constructor(options: { status: number; code: HttpErrorCode; message: string }) {
    super(options.message);
    this.status = options.status;
    this.code = options.code;
  }
}

export function errorResponse(options: {
  status: number;
  code: HttpErrorCode;
  message: string;
  headers?: Record<string, string>;
}): Response {
  return Response.json(
    { error: { code: options.code, message: options.message } },
    {
      status: options.status,
      headers: { "cache-control": "no-store", ...options.headers },
    },
  );
}

/** A 400 for a failed zod parse of the request, naming each problem's path. */
export function invalidRequest(error: z.ZodError, options: { root?: string } = {}): HttpError {
  return new HttpError({
    status: 400,
    code: "invalid_request",
    message: formatZodIssues(error, options),
  });
}

/**
 * Maps anything a handler threw to a response. Only `HttpError` and domain error messages
 * reach the caller: an unexpected error is logged by name only and answered with a fixed
 * text, so internals (paths, SQL, provider detail) never leak.
 */
export function responseForError(error: unknown): Response {
  if (error instanceof HttpError) {
    return errorResponse({ status: error.status, code: error.code, message: error.message });
  }
  if (error instanceof InvalidInputError) {
    return errorResponse({ status: 400, code: error.code, message: error.message });
  }
  if (error instanceof ConflictError) {
    return errorResponse({ status: 409, code: "conflict", message: error.message });
  }
  if (error instanceof DatabaseUnavailableError) {
    return errorResponse({
      status: 503,
      code: "database_unavailable",
      message: error.message,
      headers: { "retry-after": "1" },
    });
  }
  if (error instanceof NotFoundError) {
    return errorResponse({ status: 404, code: "not_found", message: error.message });
  }
  console.error(
    "locus-playground: unexpected error in a route handler:",
    error instanceof Error ? error.name : typeof error,
  );
  return errorResponse({
    status: 500,
    code: "internal_error",
    message: "the server failed to handle this request",
  });
}
