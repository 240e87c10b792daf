import type { Message as OllamaMessage } from "ollama";
import { contentText } from "../content";
import type { Message } from "../types";

/**
 * Our messages → `/api/chat` messages. Ollama has no tool-call ids: a tool result names its
 * tool with `tool_name`, taken from the message or, failing that, from the assistant tool
 * call it answers (locus sent neither, so models could not tell results apart).
 * Cache breakpoints have no meaning here: Ollama reuses its KV cache by itself.
 */
export function convertToOllamaMessages(messages: Message[]): OllamaMessage[] {
  const toolNameById = new Map<string, string>();
  return messages.map((message): OllamaMessage => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user": {
        if (typeof message.content === "string") return { role: "user", content: message.content };
        // Ollama takes the images beside the text, base64 without a data-URL prefix.
        const images = message.content.flatMap((part) =>
          part.type === "image" ? [part.data] : [],
        );
        return {
          role: "user",
          content: contentText(message.content),
          ...(images.length > 0 ? { images } : {}),
        };
      }
      case "assistant": {
        const converted: OllamaMessage = { role: "assistant", content: message.content ?? "" };
        if (message.toolCalls && message.toolCalls.length > 0) {
          for (const toolCall of message.toolCalls) toolNameById.set(toolCall.id, toolCall.name);
          converted.tool_calls = message.toolCalls.map((toolCall) => ({
            function: { name: toolCall.name, arguments: toolCall.arguments },
          }));
        }
        return converted;
      }
      case "tool": {
        const toolName = message.name ?? toolNameById.get(message.toolCallId);
        return {
          role: "tool",
          content: message.content,
          ...(toolName ? { tool_name: toolName } : {}),
        };
      }
      default: {
        const exhaustive: never = message;
        throw new TypeError(`unknown message role: ${JSON.stringify(exhaustive)}`);
      }
    }
  });
}
