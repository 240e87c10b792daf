/**
 * The provider-neutral vocabulary of `lib/models`: messages in, typed stream events out.
 * Every adapter translates to and from these shapes and nothing else.
 */
import type { ProviderError } from "./errors";
import type { ProviderId } from "./providers";

export type { ProviderId } from "./providers";

/** Marks a message as the end of a cacheable prefix (Anthropic `cache_control`). */
export interface CacheBreakpoint {
  type: "ephemeral";
  ttl?: "5m" | "1h";
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type ImageMediaType = "image/png" | "image/jpeg" | "image/webp" | "image/gif";

/** A part of a user message: text, or an image given inline as base64. */
export type ContentPart =
  | { type: "text"; text: string }
  | { type: "image"; mediaType: ImageMediaType; data: string };

/**
 * Reasoning a provider returned in a form it wants back on the next turn: Anthropic's
 * `thinking` blocks with their signature, and `redacted_thinking` blocks (opaque `data`).
 */
export type ReasoningBlock =
  | { type: "thinking"; text: string; signature: string }
  | { type: "redacted"; data: string };

export type Message =
  | { role: "system"; content: string; cacheControl?: CacheBreakpoint }
  | { role: "user"; content: string | ContentPart[]; cacheControl?: CacheBreakpoint }
  | {
      role: "assistant";
      content: string | null;
      toolCalls?: ToolCall[];
      /** Sent back unchanged, in order, before the text (Anthropic checks signatures). */
      reasoning?: ReasoningBlock[];
      cacheControl?: CacheBreakpoint;
    }
  | {
      role: "tool";
      content: string;
      toolCallId: string;
      /** The name of the tool that produced this result (Ollama wants it). */
      name?: string;
      isError?: boolean;
      cacheControl?: CacheBreakpoint;
    };

/** OpenAI-style function tool; the lingua franca of the HTTP API. */
export interface ToolDefinition {
  type: "function";
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean;
  };
}

export type ResponseFormat =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: {
        name: string;
        description?: string;
        schema?: Record<string, unknown>;
        strict?: boolean;
      };
    };

/** Per-call options. Adapters drop what their provider does not accept and report it. */
export interface CallOptions {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
  frequencyPenalty?: number;
  presencePenalty?: number;
  /** Prompt caching: `true` for the default 5 minute TTL, or an explicit TTL. */
  promptCache?: boolean | { ttl: "5m" | "1h" };
  /** Mapped to each provider's own control; reported unsupported where there is none. */
  reasoningEffort?: ReasoningEffort;
  tools?: ToolDefinition[];
  responseFormat?: ResponseFormat;
  signal?: AbortSignal;
}

export type ReasoningEffort = "low" | "medium" | "high";

/** Names of the sampling/shaping options a provider may refuse. */
export type CallParameterName =
  | "temperature"
  | "topP"
  | "maxTokens"
  | "seed"
  | "stop"
  | "frequencyPenalty"
  | "presencePenalty"
  | "promptCache"
  | "reasoningEffort"
  | "tools"
  | "responseFormat";

/** A parameter the caller set that was not sent, and why. */
export interface UnsupportedParameter {
  parameter: CallParameterName;
  reason: string;
}

/**
 * Normalized token usage (the OpenTelemetry GenAI convention, see usage-semantics.md):
 * `inputTokens` includes cache reads and writes; `outputTokens` includes reasoning.
 * `null` means the provider did not say — never a made-up 0.
 */
export interface Usage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  cacheWrite5mTokens: number | null;
  cacheWrite1hTokens: number | null;
  reasoningTokens: number | null;
  /** The provider's usage object verbatim, after stream assembly. */
  raw: unknown;
}

export type StopReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

/** What was sent upstream, for the playground's "inspect" view. Never holds credentials. */
export interface RequestRecord {
  url: string;
  body: unknown;
}

export type StreamEvent =
  | {
      type: "stream-start";
      request: RequestRecord;
      unsupported: UnsupportedParameter[];
    }
  | { type: "text-delta"; delta: string }
  /** Reasoning text, where the provider returns it (never mixed into `text-delta`). */
  | { type: "reasoning-delta"; delta: string }
  /** A complete reasoning block to send back on the next turn (after its deltas). */
  | { type: "reasoning-block"; block: ReasoningBlock }
  | { type: "tool-call"; toolCall: ToolCall }
  | {
      type: "finish";
      stopReason: StopReason;
      /** The provider's own stop reason, verbatim. */
      rawStopReason: string | null;
      usage: Usage | null;
      /** Set when the call failed (before or during the stream) or was aborted. */
      error?: ProviderError;
      /** The model the provider says answered (e.g. a dated snapshot), when it says. */
      responseModel?: string;
    };

export interface ModelResponse {
  text: string | null;
  reasoning: string | null;
  reasoningBlocks: ReasoningBlock[];
  toolCalls: ToolCall[];
  stopReason: StopReason;
  rawStopReason: string | null;
  usage: Usage | null;
  request: RequestRecord;
  unsupported: UnsupportedParameter[];
}

/**
 * One model behind one provider. `stream()` never throws for provider failures: it always
 * ends with exactly one `finish` event, which carries the error when there was one.
 * `complete()` throws a `ProviderError` instead.
 */
export interface LanguageModel {
  readonly provider: ProviderId;
  readonly modelId: string;
  readonly supportsStructuredOutput: boolean;
  stream(messages: Message[], options?: CallOptions): AsyncIterable<StreamEvent>;
  complete(messages: Message[], options?: CallOptions): Promise<ModelResponse>;
  close(): Promise<void>;
}
