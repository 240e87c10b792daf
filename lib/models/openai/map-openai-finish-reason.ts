import type { StopReason } from "../types";

/**
 * @see https://platform.openai.com/docs/api-reference/chat/object (`choices[].finish_reason`)
 */
export function mapOpenAIFinishReason(finishReason: string | null | undefined): StopReason {
  switch (finishReason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool-calls";
    case "content_filter":
      return "content-filter";
    default:
      return "other";
  }
}
