import { ProviderError } from "./errors";
import type { ModelResponse, StreamEvent } from "./types";

/**
 * Folds a stream into a response; throws the finish event's error. Used where a provider
 * has no separate non-streaming path (demo) and by callers that want one value.
 */
export async function collectStream(stream: AsyncIterable<StreamEvent>): Promise<ModelResponse> {
  let text: string | null = null;
  let reasoning: string | null = null;
  const response: ModelResponse = {
    text: null,
    reasoning: null,
    reasoningBlocks: [],
    toolCalls: [],
    stopReason: "other",
    rawStopReason: null,
    usage: null,
    request: { url: "", body: null },
    unsupported: [],
  };
  for await (const event of stream) {
    switch (event.type) {
      case "stream-start":
        response.request = event.request;
        response.unsupported = event.unsupported;
        break;
      case "text-delta":
        text = (text ?? "") + event.delta;
        break;
      case "reasoning-delta":
        reasoning = (reasoning ?? "") + event.delta;
        break;
      case "reasoning-block":
        response.reasoningBlocks.push(event.block);
        break;
      case "tool-call":
        response.toolCalls.push(event.toolCall);
        break;
      case "finish":
        if (event.error) throw event.error;
        response.stopReason = event.stopReason;
        response.rawStopReason = event.rawStopReason;
        response.usage = event.usage;
        break;
      default: {
        const exhaustive: never = event;
        throw new ProviderError({
          provider: "demo",
          kind: "invalid_response",
          detail: String(exhaustive),
        });
      }
    }
  }
  response.text = text;
  response.reasoning = reasoning;
  return response;
}
