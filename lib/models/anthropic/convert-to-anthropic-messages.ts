/**
 * Our messages → the Messages API's `system` + `messages` (a port of locus
 * `_convert_messages`, with its gaps fixed).
 *
 * - Every system message is kept: their texts are joined in order with a blank line, because
 *   a playground run may carry a shared system prompt plus a per-target one, and last-wins
 *   (locus) would silently drop the first.
 * - Consecutive tool results become ONE user message of `tool_result` blocks: the API wants
 *   the results of parallel tool calls together, right after the assistant turn that made them.
 * - A message's `cacheControl` puts `cache_control` on that message's last content block.
 * - Trailing assistant messages (prefill) are removed when the conversation has a user turn.
 */
import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
} from "@anthropic-ai/sdk/resources/messages";
import type { CacheBreakpoint, ContentPart, Message, ReasoningBlock } from "../types";

export interface ConvertedAnthropicMessages {
  /** A plain string unless the system prompt carries a cache breakpoint; absent when empty. */
  system: string | TextBlockParam[] | undefined;
  messages: MessageParam[];
  /** Whether a non-system message carried its own cache breakpoint. */
  hasMessageBreakpoints: boolean;
}

export function toAnthropicCacheControl(breakpoint: CacheBreakpoint): CacheControlEphemeral {
  return breakpoint.ttl ? { type: "ephemeral", ttl: breakpoint.ttl } : { type: "ephemeral" };
}

function toAnthropicUserBlock(part: ContentPart): ContentBlockParam {
  if (part.type === "text") return { type: "text", text: part.text };
  return { type: "image", source: { type: "base64", media_type: part.mediaType, data: part.data } };
}

function toAnthropicReasoningBlock(block: ReasoningBlock): ContentBlockParam {
  if (block.type === "thinking") {
    return { type: "thinking", thinking: block.text, signature: block.signature };
  }
  return { type: "redacted_thinking", data: block.data };
}

export function convertToAnthropicMessages(options: {
  messages: Message[];
  /** From `promptCache`; wins over a breakpoint set on a system message. */
  systemCacheControl: CacheControlEphemeral | null;
}): ConvertedAnthropicMessages {
  const systemTexts: string[] = [];
  let systemBreakpoint: CacheControlEphemeral | null = null;
  const messages: MessageParam[] = [];
  // The tool_result blocks of the user message being filled by consecutive tool results.
  let toolResultGroup: ContentBlockParam[] | null = null;

  for (const message of options.messages) {
    if (message.role === "system") {
      if (message.content) systemTexts.push(message.content);
      if (message.cacheControl) systemBreakpoint = toAnthropicCacheControl(message.cacheControl);
      continue;
    }
    const cacheControl = message.cacheControl
      ? toAnthropicCacheControl(message.cacheControl)
      : null;
    if (message.role === "tool") {
      const block: ToolResultBlockParam = {
        type: "tool_result",
        tool_use_id: message.toolCallId,
        content: message.content,
        ...(message.isError !== undefined ? { is_error: message.isError } : {}),
        ...(cacheControl ? { cache_control: cacheControl } : {}),
      };
      if (toolResultGroup) {
        toolResultGroup.push(block);
      } else {
        toolResultGroup = [block];
        messages.push({ role: "user", content: toolResultGroup });
      }
      continue;
    }
    toolResultGroup = null;
    if (message.role === "user") {
      if (Array.isArray(message.content)) {
        const blocks = message.content.map(toAnthropicUserBlock);
        const last = blocks.at(-1);
        if (cacheControl && last) Object.assign(last, { cache_control: cacheControl });
        messages.push({ role: "user", content: blocks });
      } else if (cacheControl && message.content) {
        messages.push({
          role: "user",
          content: [{ type: "text", text: message.content, cache_control: cacheControl }],
        });
      } else {
        messages.push({ role: "user", content: message.content });
      }
      continue;
    }
    const blocks: ContentBlockParam[] = (message.reasoning ?? []).map(toAnthropicReasoningBlock);
    if (message.content) blocks.push({ type: "text", text: message.content });
    for (const toolCall of message.toolCalls ?? []) {
      blocks.push({
        type: "tool_use",
        id: toolCall.id,
        name: toolCall.name,
        input: toolCall.arguments,
      });
    }
    const lastBlock = blocks.at(-1);
    if (!lastBlock) {
      messages.push({ role: "assistant", content: "" });
    } else if (!cacheControl && !message.toolCalls?.length && !message.reasoning?.length) {
      messages.push({ role: "assistant", content: message.content ?? "" });
    } else {
      if (cacheControl) Object.assign(lastBlock, { cache_control: cacheControl });
      messages.push({ role: "assistant", content: blocks });
    }
  }

  // The API would read a trailing assistant turn as a prefill to continue; locus drops it,
  // but only when there is a user turn left to answer.
  if (messages.some((message) => message.role === "user")) {
    while (messages.at(-1)?.role === "assistant") messages.pop();
  }

  const systemText = systemTexts.join("\n\n");
  const systemCacheControl = options.systemCacheControl ?? systemBreakpoint;
  const system =
    systemText === ""
      ? undefined
      : systemCacheControl
        ? [{ type: "text" as const, text: systemText, cache_control: systemCacheControl }]
        : systemText;
  const hasMessageBreakpoints = messages.some(
    (message) =>
      Array.isArray(message.content) &&
      message.content.some((block) => "cache_control" in block && block.cache_control),
  );
  return { system, messages, hasMessageBreakpoints };
}
