import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { Message } from "../types";

/**
 * Our messages → chat-completions messages. System messages stay inline (the API takes them
 * in the array); `cacheControl` is dropped because OpenAI caches prefixes automatically.
 * A tool result's `isError` has no wire field here; the content itself carries the failure.
 */
export function convertToOpenAIMessages(messages: Message[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user":
        return { role: "user", content: message.content };
      case "assistant": {
        const converted: ChatCompletionAssistantMessageParam = { role: "assistant" };
        // locus omits a null content; some OpenAI-compatible servers reject `content: null`.
        if (message.content !== null) converted.content = message.content;
        if (message.toolCalls && message.toolCalls.length > 0) {
          converted.tool_calls = message.toolCalls.map((toolCall) => ({
            id: toolCall.id,
            type: "function",
            function: { name: toolCall.name, arguments: JSON.stringify(toolCall.arguments) },
          }));
        }
        return converted;
      }
      case "tool":
        return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
      default: {
        const exhaustive: never = message;
        throw new TypeError(`unknown message role: ${JSON.stringify(exhaustive)}`);
      }
    }
  });
}
