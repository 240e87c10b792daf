import type { z } from "zod";
import { redactSecrets } from "@/lib/models/secrets";

/** Enough to fix the input; a body with hundreds of problems does not get them all back. */
const MAX_ISSUES = 5;

/** `targets[2].params.temperature`: indexes in brackets, as a person would write the path. */
function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/**
 * The one message for a failed zod parse, used by every route: each issue as
 * `path: message`, `root` naming what an issue without a path is about (`query`, `body`).
 * Secrets are scrubbed, since an unknown key's name is echoed.
 */
export function formatZodIssues(error: z.ZodError, options: { root?: string } = {}): string {
  const text = error.issues
    .slice(0, MAX_ISSUES)
    .map((issue) => {
      const path = formatPath(issue.path) || options.root;
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
  return redactSecrets(text);
}
