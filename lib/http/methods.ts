/**
 * A wrong method gets the API's JSON error, not Next's empty `405`: each `route.ts` exports
 * the methods it does not serve from `otherMethods`, naming the ones it does.
 */
import { errorResponse } from "./errors";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type MethodNotAllowedHandler = (() => Response) & { methodNotAllowed: true };

/** Handlers answering `405` for every method; a route destructures the ones it lacks. */
export function otherMethods(
  allowed: readonly HttpMethod[],
): Record<HttpMethod, MethodNotAllowedHandler> {
  const allow = allowed.join(", ");
  const handler = Object.assign(
    () =>
      errorResponse({
        status: 405,
        code: "method_not_allowed",
        message: `this route answers ${allow} only`,
        headers: { allow },
      }),
    { methodNotAllowed: true as const },
  );
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}
