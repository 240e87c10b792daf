/**
 * A call's answer in Anthropic's messages wire format: the JSON of a non-streaming response,
 * the SSE event sequence of a stream (`message_start`, then per content block
 * `content_block_start` / `content_block_delta` / `content_block_stop`, `message_delta`,
 * `message_stop`), and the error body. Usage is translated from our convention:
 * Anthropic's `input_tokens` EXCLUDES cache reads and writes.
 */
import type { StopReason, ToolCall } from "@/lib/models";
import type { RunUsage } from "@/lib/runs/run-events";
import {
  type GatewayAnswerInfo,
  type GatewayEvent,
  type GatewayResult,
  uncachedInputTokens,
  type WireStreamWriter,
} from "./gateway-call";

export type AnthropicStopReason = "end_turn" | "max_tokens" | "tool_use" | "refusal";

export function anthropicStopReason(stopReason: StopReason): AnthropicStopReason {
  switch (stopReason) {
    case "length":
      return "max_tokens";
    case "tool-calls":
      return "tool_use";
    case "content-filter":
      return "refusal";
    case "stop":
    case "error":
    case "other":
      return "end_turn";
    default: {
      const exhaustive: never = stopReason;
      throw new Error(`unknown stop reason ${String(exhaustive)}`);
    }
  }
}

export function anthropicUsage(usage: RunUsage | null) {
  return {
    input_tokens: usage ? uncachedInputTokens(usage) : 0,
    output_tokens: usage?.outputTokens ?? 0,
    cache_read_input_tokens: usage?.cacheReadTokens ?? 0,
    cache_creation_input_tokens: usage?.cacheWriteTokens ?? 0,
  };
}

function messageId(info: GatewayAnswerInfo): string {
  return `msg_${info.callId}`;
}

function toolUseBlock(toolCall: ToolCall) {
  return {
    type: "tool_use" as const,
    id: toolCall.id,
    name: toolCall.name,
    input: toolCall.arguments,
  };
}

export function anthropicMessage(info: GatewayAnswerInfo, result: GatewayResult) {
  return {
    id: messageId(info),
    type: "message",
    role: "assistant",
    model: info.model,
    content: [
      ...(result.text !== "" ? [{ type: "text" as const, text: result.text }] : []),
      ...result.toolCalls.map(toolUseBlock),
    ],
    stop_reason: anthropicStopReason(result.stopReason),
    stop_sequence: null,
    usage: anthropicUsage(result.usage),
  };
}

function event(name: string, data: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
}

/** Turns a call's events into Anthropic's SSE sequence, keeping track of the open block. */
export class AnthropicEventWriter implements WireStreamWriter {
  private blockIndex = 0;
  private textOpen = false;

  constructor(private readonly info: GatewayAnswerInfo) {}

  /**
   * Usage is only known at the end (an OpenAI upstream reports it last), so `message_start`
   * says 0 and `message_delta` carries the whole usage; its fields are whole-message totals
   * the SDK takes over, input and cache counts included.
   */
  start(): string {
    return event("message_start", {
      message: {
        id: messageId(this.info),
        type: "message",
        role: "assistant",
        model: this.info.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage(null),
      },
    });
  }

  private closeText(): string {
    if (!this.textOpen) return "";
    this.textOpen = false;
    const text = event("content_block_stop", { index: this.blockIndex });
    this.blockIndex += 1;
    return text;
  }

  write(gatewayEvent: GatewayEvent): string {
    switch (gatewayEvent.type) {
      case "text-delta": {
        let text = "";
        if (!this.textOpen) {
          this.textOpen = true;
          text += event("content_block_start", {
            index: this.blockIndex,
            content_block: { type: "text", text: "" },
          });
        }
        return (
          text +
          event("content_block_delta", {
            index: this.blockIndex,
            delta: { type: "text_delta", text: gatewayEvent.delta },
          })
        );
      }
      case "tool-call": {
        const { toolCall } = gatewayEvent;
        // `closeText` moves past an open text block first, so the indexes below are the tool's.
        const text =
          this.closeText() +
          event("content_block_start", {
            index: this.blockIndex,
            content_block: { type: "tool_use", id: toolCall.id, name: toolCall.name, input: {} },
          }) +
          event("content_block_delta", {
            index: this.blockIndex,
            delta: { type: "input_json_delta", partial_json: JSON.stringify(toolCall.arguments) },
          }) +
          event("content_block_stop", { index: this.blockIndex });
        this.blockIndex += 1;
        return text;
      }
      case "finish":
        return (
          this.closeText() +
          event("message_delta", {
            delta: {
              stop_reason: anthropicStopReason(gatewayEvent.stopReason),
              stop_sequence: null,
            },
            usage: anthropicUsage(gatewayEvent.usage),
          }) +
          event("message_stop", {})
        );
      default: {
        const exhaustive: never = gatewayEvent;
        throw new Error(`unknown gateway event ${String(exhaustive)}`);
      }
    }
  }

  error(failure: { status: number; code: string; message: string }): string {
    return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(failure))}\n\n`;
  }
}

export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string };
}

export function anthropicErrorBody(options: {
  status: number;
  message: string;
}): AnthropicErrorBody {
  return {
    type: "error",
    error: { type: anthropicErrorType(options.status), message: options.message },
  };
}

function anthropicErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit_error";
  if (status === 529) return "overloaded_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}
