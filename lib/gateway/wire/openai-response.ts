/**
 * A call's answer in OpenAI's chat-completions wire format: the JSON of a non-streaming
 * response, the `chat.completion.chunk` frames of a stream (a usage chunk with `choices: []`
 * before `[DONE]` when `include_usage` was asked), and the error body. Usage is translated
 * from our convention: `prompt_tokens` includes cached tokens, as OpenAI's does.
 */
import type { StopReason, ToolCall } from "@/lib/models";
import type { RunUsage } from "@/lib/runs/run-events";
import type {
  GatewayAnswerInfo,
  GatewayEvent,
  GatewayResult,
  WireStreamWriter,
} from "./gateway-call";

export type OpenAIFinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export function openAIFinishReason(stopReason: StopReason): OpenAIFinishReason {
  switch (stopReason) {
    case "length":
      return "length";
    case "tool-calls":
      return "tool_calls";
    case "content-filter":
      return "content_filter";
    case "stop":
    case "error":
    case "other":
      return "stop";
    default: {
      const exhaustive: never = stopReason;
      throw new Error(`unknown stop reason ${String(exhaustive)}`);
    }
  }
}

export function openAIUsage(usage: RunUsage | null) {
  const prompt = usage?.inputTokens ?? 0;
  const completion = usage?.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cacheReadTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage?.reasoningTokens ?? 0 },
  };
}

function completionId(info: GatewayAnswerInfo): string {
  return `chatcmpl-${info.callId}`;
}

function created(info: GatewayAnswerInfo): number {
  return Math.floor(info.createdAt.getTime() / 1000);
}

function wireToolCall(toolCall: ToolCall) {
  return {
    id: toolCall.id,
    type: "function" as const,
    function: { name: toolCall.name, arguments: JSON.stringify(toolCall.arguments) },
  };
}

export function openAICompletion(info: GatewayAnswerInfo, result: GatewayResult) {
  return {
    id: completionId(info),
    object: "chat.completion",
    created: created(info),
    model: info.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: result.text === "" && result.toolCalls.length > 0 ? null : result.text,
          refusal: null,
          ...(result.toolCalls.length > 0
            ? { tool_calls: result.toolCalls.map(wireToolCall) }
            : {}),
        },
        logprobs: null,
        finish_reason: openAIFinishReason(result.stopReason),
      },
    ],
    usage: openAIUsage(result.usage),
  };
}

function dataLine(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** Turns a call's events into SSE text, one call of `write` per event. */
export class OpenAIChunkWriter implements WireStreamWriter {
  private toolCallCount = 0;
  private readonly base: { id: string; object: string; created: number; model: string };
  /**
   * A text chunk's frame around its JSON-encoded text: the frame sent most, built without
   * the object (byte for byte what `chunk` gives; openai-response.test.ts holds them equal).
   */
  private readonly textFrame: { before: string; after: string };

  constructor(
    info: GatewayAnswerInfo,
    private readonly includeUsage: boolean,
  ) {
    this.base = {
      id: completionId(info),
      object: "chat.completion.chunk",
      created: created(info),
      model: info.model,
    };
    this.textFrame = {
      before: `data: ${JSON.stringify(this.base).slice(0, -1)},"choices":[{"index":0,"delta":{"content":`,
      after: `},"logprobs":null,"finish_reason":null}]${includeUsage ? ',"usage":null' : ""}}\n\n`,
    };
  }

  private chunk(delta: Record<string, unknown>, finishReason: OpenAIFinishReason | null): string {
    return dataLine({
      ...this.base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      // With `include_usage` every chunk but the last says `usage: null`, as OpenAI's do.
      ...(this.includeUsage ? { usage: null } : {}),
    });
  }

  /** The role chunk OpenAI sends first. */
  start(): string {
    return this.chunk({ role: "assistant", content: "" }, null);
  }

  write(event: GatewayEvent): string {
    switch (event.type) {
      case "text-delta":
        return `${this.textFrame.before}${JSON.stringify(event.delta)}${this.textFrame.after}`;
      case "tool-call": {
        const index = this.toolCallCount;
        this.toolCallCount += 1;
        return this.chunk({ tool_calls: [{ index, ...wireToolCall(event.toolCall) }] }, null);
      }
      case "finish": {
        let text = this.chunk({}, openAIFinishReason(event.stopReason));
        if (this.includeUsage) {
          text += dataLine({ ...this.base, choices: [], usage: openAIUsage(event.usage) });
        }
        return `${text}data: [DONE]\n\n`;
      }
      default: {
        const exhaustive: never = event;
        throw new Error(`unknown gateway event ${String(exhaustive)}`);
      }
    }
  }

  /** A failure after the stream began: the SDK throws an `APIError` for a data line with `error`. */
  error(failure: { status: number; code: string; message: string }): string {
    return dataLine(openAIErrorBody(failure));
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIErrorBody(options: {
  status: number;
  code: string;
  message: string;
}): OpenAIErrorBody {
  return {
    error: {
      message: options.message,
      type: openAIErrorType(options.status),
      param: null,
      code: options.code,
    },
  };
}

function openAIErrorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}
