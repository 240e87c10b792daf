/**
 * Reads the contract's error body (`{ error: { code, message } }`) from a failed response.
 */
import * as z from "zod/mini";
import type { CallError } from "./run-events";

const errorBodySchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export async function readApiError(response: Response): Promise<CallError> {
  try {
    const result = errorBodySchema.safeParse(await response.json());
    if (result.success) return result.data.error;
  } catch {
    // Not JSON (a proxy's error page): fall through to the status.
  }
  return { code: `http_${response.status}`, message: `the server answered ${response.status}` };
}
