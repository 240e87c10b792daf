import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ContentPart, Message } from "../types";

function toOpenAIUserContent(
  content: string | ContentPart[],
): ChatCompletionContentPart[] | string {
  if (typeof content === "string") return content;
  return content.map(
    (part): ChatCompletionContentPart =>
      part.type === "text"
        ? { type: "text", text: part.text }
        : { type: "image_url", image_url: { url: `data:${part.mediaType};base64,${part.data}` } },
  );
}

/**
 * Our messages → chat-completions messages. System messages stay inline (the API takes them
 * in the array); `cacheControl` is dropped because OpenAI caches prefixes automatically.
 * A tool result's `isError` has no wire field here; the content itself carries the failure.
 * Images go as `image_url` parts holding a data URL (OCI's `/openai/v1` takes the same).
 * Reasoning blocks are Anthropic's and are not sent: chat completions has no field for them.
 */
export function convertToOpenAIMessages(messages: Message[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user":
        return { role: "user", content: toOpenAIUserContent(message.content) };
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
