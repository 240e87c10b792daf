import type { StopReason } from "../types";

/**
 * Anthropic `stop_reason` → our normalized stop reason. Unknown or missing values are
 * `other`; the raw value always travels beside the normalized one.
 *
 * `pause_turn` (a server tool paused a long turn) is not an end the caller can act on as
 * `stop`, so it is `other`.
 *
 * @see https://platform.claude.com/docs/en/api/handling-stop-reasons
 */
export function mapAnthropicStopReason(rawStopReason: string | null | undefined): StopReason {
  switch (rawStopReason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool-calls";
    case "refusal":
      return "content-filter";
    default:
      return "other";
  }
}
