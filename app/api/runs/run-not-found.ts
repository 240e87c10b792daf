import { NotFoundError } from "@/lib/errors";

/** The 404 of every `/api/runs/:id…` route; the id is echoed cut short, never whole. */
export function runNotFound(id: string): NotFoundError {
  return new NotFoundError(`no run with id ${JSON.stringify(id.slice(0, 64))}`);
}
