import type { StopReason } from "../types";

/**
 * `done_reason` → normalized. Ollama says `stop` even when the model called tools, so tool
 * calls in the answer decide first. `load`/`unload` answer requests that generated nothing.
 */
export function mapOllamaStopReason({
  doneReason,
  hasToolCalls,
}: {
  doneReason: string | null | undefined;
  hasToolCalls: boolean;
}): StopReason {
  if (hasToolCalls) return "tool-calls";
  switch (doneReason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    default:
      return "other";
  }
}
