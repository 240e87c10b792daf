/**
 * What both wire formats are translated into and out of: one call as the run manager takes
 * it, plus what the client asked of the answer's framing. Translation only; nothing here
 * touches a key, the database or a provider.
 */
import type { ResponseFormat, StopReason, ToolCall, ToolDefinition } from "@/lib/models";
import type { RunUsage } from "@/lib/runs/run-events";
import type { RunMessage } from "@/lib/runs/run-request";
import type { CallParameters } from "@/lib/tracing/types";

export interface GatewayCall {
  /** As the client sent it: a `provider:model` string or an alias. */
  model: string;
  system?: string;
  messages: RunMessage[];
  params: CallParameters;
  tools?: ToolDefinition[];
  responseFormat?: ResponseFormat;
  stream: boolean;
  /** OpenAI's `stream_options.include_usage`: a usage chunk before `[DONE]`. */
  includeUsage: boolean;
  /** OpenAI's `user`, Anthropic's `metadata.user_id`. */
  user: string | null;
  /** OpenAI's `metadata` values as `key:value` tags. */
  tags: string[];
}

/** A gateway request the wire parser refused: a 400 in the client's own error format. */
export class GatewayInputError extends Error {
  override readonly name = "GatewayInputError";
  readonly code: "invalid_request" | "unsupported_input";

  constructor(message: string, code: "invalid_request" | "unsupported_input" = "invalid_request") {
    super(message);
    this.code = code;
  }
}

/** The end of a call, as both response writers need it. */
export interface GatewayFinish {
  stopReason: StopReason;
  usage: RunUsage | null;
}

/** What a response writer is told, in order: the call's events as the run manager emits them. */
export type GatewayEvent =
  | { type: "text-delta"; delta: string }
  | { type: "tool-call"; toolCall: ToolCall }
  | ({ type: "finish" } & GatewayFinish);

/** The answer assembled, for a non-streaming response. */
export interface GatewayResult extends GatewayFinish {
  text: string;
  toolCalls: ToolCall[];
}

/** Identity of the answer in the client's format. */
export interface GatewayAnswerInfo {
  /** The recorded call's id; the response id is derived from it so a client can find it. */
  callId: string;
  /** The model as the client named it. */
  model: string;
  createdAt: Date;
}

/** Frames one call's events as SSE text in one wire format. */
export interface WireStreamWriter {
  start(): string;
  write(event: GatewayEvent): string;
  /** A failure after the stream began, in the form the client's SDK raises as an error. */
  error(failure: { status: number; code: string; message: string }): string;
}

/** Uncached input, by our convention's arithmetic; never below zero even on odd reports. */
export function uncachedInputTokens(usage: RunUsage): number {
  const input = usage.inputTokens ?? 0;
  return Math.max(0, input - (usage.cacheReadTokens ?? 0) - (usage.cacheWriteTokens ?? 0));
}

export function parseToolArguments(text: string, where: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayInputError(`${where}: the arguments are not valid JSON`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new GatewayInputError(`${where}: the arguments must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}
