import type { StopReason } from "../types";

/**
 * GENERIC passes the model vendor's reason through (`stop`, `length`, `tool_calls`, Gemini's
 * `STOP` / `MAX_TOKENS`); COHERE uses `COMPLETE`, `MAX_TOKENS`, `ERROR_TOXIC`, `ERROR_LIMIT`,
 * `ERROR`, `USER_CANCEL` (the SDK's `CohereChatResponse.FinishReason`). Matched case-insensitively.
 */
const STOP_REASONS: Record<string, StopReason> = {
  stop: "stop",
  complete: "stop",
  end_turn: "stop",
  stop_sequence: "stop",
  eos: "stop",
  length: "length",
  max_tokens: "length",
  tool_calls: "tool-calls",
  tool_call: "tool-calls",
  function_call: "tool-calls",
  content_filter: "content-filter",
  error_toxic: "content-filter",
  safety: "content-filter",
  error: "error",
  error_limit: "error",
};

export function mapOciFinishReason({
  rawFinishReason,
  emittedToolCalls,
}: {
  rawFinishReason: string | null;
  emittedToolCalls: boolean;
}): StopReason {
  const mapped = rawFinishReason ? STOP_REASONS[rawFinishReason.toLowerCase()] : undefined;
  // Cohere ends a tool-calling turn with COMPLETE; the calls say why it stopped.
  if (emittedToolCalls && (mapped === undefined || mapped === "stop")) return "tool-calls";
  if (mapped) return mapped;
  return rawFinishReason === null ? "stop" : "other";
}
