/**
 * Errors of the domain, free of HTTP: `lib/` throws them for input it cannot use or a thing
 * that does not exist, and the route maps them to a status through `responseForError`
 * (`lib/http/errors.ts`). Their messages are meant for the caller, so they never carry a key.
 */

/** What was wrong with the input, as the API's `error.code` names it. */
export type InvalidInputCode =
  | "invalid_request"
  | "invalid_model"
  | "invalid_image"
  | "invalid_dataset"
  | "missing_variables"
  | "invalid_params"
  | "unknown_image";

/** Input a caller sent that `lib/` cannot use (a 400 at the edge). */
export class InvalidInputError extends Error {
  override readonly name: string = "InvalidInputError";
  readonly code: InvalidInputCode;

  constructor(options: { code?: InvalidInputCode; message: string }) {
    super(options.message);
    this.code = options.code ?? "invalid_request";
  }
}

/** A named thing (a run, a price override) that does not exist (a 404 at the edge). */
export class NotFoundError extends Error {
  override readonly name: string = "NotFoundError";
}

/** A request that would contradict what is stored (a name already taken: a 409 at the edge). */
export class ConflictError extends Error {
  override readonly name: string = "ConflictError";
}

/**
 * The database refused a write the caller waits for: another process holds its lock, or it is
 * full or failing. Nothing of that write was saved (a 503 at the edge, worth retrying).
 */
export class DatabaseUnavailableError extends Error {
  override readonly name: string = "DatabaseUnavailableError";
  readonly reason: "locked" | "full" | "io";

  constructor(options: { reason: "locked" | "full" | "io"; message: string }) {
    super(options.message);
    this.reason = options.reason;
  }
}
