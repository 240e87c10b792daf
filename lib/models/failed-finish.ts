import type { ProviderError } from "./errors";
import type { StreamEvent, Usage } from "./types";

/** The `finish` event that ends a failed or aborted stream, keeping whatever usage was known. */
export function failedFinish({
  error,
  rawStopReason = null,
  usage = null,
}: {
  error: ProviderError;
  rawStopReason?: string | null;
  usage?: Usage | null;
}): StreamEvent {
  return { type: "finish", stopReason: "error", rawStopReason, usage, error };
}
