/**
 * Claude through the official `@anthropic-ai/sdk` Messages API (locus `AnthropicModel`).
 * Unlike locus, the stream carries tool calls, usage (cache reads and writes included) and
 * the stop reason, and every request honours caching, stop sequences and structured output.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { Stream } from "@anthropic-ai/sdk/core/streaming";
import type { RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages";
import { z } from "zod";
import { parseCallOptions, parseModelOptions } from "../call-options";
import { processEnvironment } from "../environment";
import { abortedError, ProviderError } from "../errors";
import type { Environment } from "../provider-definition";
import { registerSecret } from "../secrets";
import { decodeToolArguments } from "../tool-arguments";
import type {
  CallOptions,
  LanguageModel,
  Message,
  ModelResponse,
  ReasoningBlock,
  RequestRecord,
  StreamEvent,
  ToolCall,
  UnsupportedParameter,
  Usage,
} from "../types";
import { toAnthropicProviderError } from "./anthropic-error";
import { type AnthropicRequestBody, buildAnthropicRequest } from "./anthropic-request";
import { AnthropicStreamAssembler } from "./anthropic-stream-assembler";
import {
  messageResponseSchema,
  redactedThinkingBlockSchema,
  textBlockSchema,
  thinkingBlockSchema,
  toolUseBlockSchema,
} from "./anthropic-wire";
import { convertAnthropicUsage } from "./convert-anthropic-usage";
import { mapAnthropicStopReason } from "./map-anthropic-stop-reason";

const PROVIDER = "anthropic";
export const ANTHROPIC_API_KEY_VARIABLE = "ANTHROPIC_API_KEY";
const DEFAULT_BASE_URL = "https://api.anthropic.com";
const DEFAULT_MAX_RETRIES = 2;
/**
 * The SDK refuses a non-streaming call whose `max_tokens` could take over ten minutes unless
 * a timeout is given; `complete()` always gives one (the SDK's own default).
 */
const DEFAULT_TIMEOUT_MS = 600_000;

export const anthropicModelOptionsSchema = z.strictObject({
  /** Default: `ANTHROPIC_API_KEY`, read at call time. */
  apiKey: z.string().min(1).optional(),
  /** Origin of the API, without `/v1`. Default: `ANTHROPIC_BASE_URL`, else the SDK default. */
  baseURL: z.url().optional(),
  /** SDK retries for 408/409/429/5xx and connection errors, before any token streams. */
  maxRetries: z.number().int().min(0).max(10).optional(),
  timeoutMs: z.number().int().positive().optional(),
  fetch: z
    .custom<typeof globalThis.fetch>((value) => typeof value === "function", {
      message: "fetch must be a function",
    })
    .optional(),
});

export type AnthropicModelOptions = z.input<typeof anthropicModelOptionsSchema>;

function environmentValue(environment: Environment, name: string): string | null {
  const value = environment[name]?.trim();
  return value ? value : null;
}

interface Connection {
  apiKey: string | null;
  baseURL: string;
}

interface PreparedCall {
  options: CallOptions;
  body: AnthropicRequestBody;
  unsupported: UnsupportedParameter[];
  connection: Connection;
  url: string;
}

function notConfiguredError(): ProviderError {
  return new ProviderError({
    provider: PROVIDER,
    kind: "not_configured",
    detail: `set ${ANTHROPIC_API_KEY_VARIABLE}`,
  });
}

function finishWithError(options: {
  error: ProviderError;
  rawStopReason?: string | null;
  usage?: Usage | null;
}): StreamEvent {
  return {
    type: "finish",
    stopReason: "error",
    rawStopReason: options.rawStopReason ?? null,
    usage: options.usage ?? null,
    error: options.error,
  };
}

export class AnthropicMessagesModel implements LanguageModel {
  readonly provider = PROVIDER;
  readonly supportsStructuredOutput = true;
  private readonly options: z.infer<typeof anthropicModelOptionsSchema>;
  private cachedClient: { apiKey: string; baseURL: string; client: Anthropic } | null = null;

  /** Where the key and base URL come from when `options` does not give them. */
  private readonly environment: Environment;

  constructor(
    readonly modelId: string,
    options?: AnthropicModelOptions,
    environment: Environment = processEnvironment(),
  ) {
    this.options = parseModelOptions(PROVIDER, anthropicModelOptionsSchema, options);
    this.environment = environment;
    registerSecret(this.options.apiKey);
  }

  async *stream(messages: Message[], callOptions?: CallOptions): AsyncGenerator<StreamEvent> {
    const prepared = this.prepare(messages, callOptions);
    const { signal } = prepared.options;
    const body = { ...prepared.body, stream: true as const };
    yield {
      type: "stream-start",
      request: { url: prepared.url, body },
      unsupported: prepared.unsupported,
    };
    const apiKey = prepared.connection.apiKey;
    if (!apiKey) {
      yield finishWithError({ error: notConfiguredError() });
      return;
    }
    if (signal?.aborted) {
      yield finishWithError({ error: abortedError(PROVIDER) });
      return;
    }

    let stream: Stream<RawMessageStreamEvent>;
    try {
      stream = await this.client({ apiKey, baseURL: prepared.connection.baseURL }).messages.create(
        body,
        { signal },
      );
    } catch (error) {
      yield finishWithError({ error: toAnthropicProviderError({ error, signal }) });
      return;
    }

    const assembler = new AnthropicStreamAssembler();
    let failure: ProviderError | null = null;
    try {
      for await (const rawEvent of stream) {
        for (const event of assembler.handle(rawEvent)) yield event;
      }
    } catch (error) {
      failure = toAnthropicProviderError({ error, signal, duringStream: true });
    } finally {
      // Covers a consumer that stops reading early: the upstream connection must close.
      if (!assembler.sawMessageStop) stream.controller.abort();
    }

    // The SDK ends the iteration quietly when the signal fires, so the signal decides.
    if (signal?.aborted) failure = abortedError(PROVIDER);
    if (!failure && !assembler.sawMessageStop) {
      failure = new ProviderError({
        provider: PROVIDER,
        kind: "connection",
        detail: "the stream ended before message_stop",
      });
    }
    if (failure) {
      yield finishWithError({
        error: failure,
        rawStopReason: assembler.rawStopReason,
        usage: assembler.usage,
      });
      return;
    }
    yield {
      type: "finish",
      stopReason: mapAnthropicStopReason(assembler.rawStopReason),
      rawStopReason: assembler.rawStopReason,
      usage: assembler.usage,
      ...(assembler.responseModel ? { responseModel: assembler.responseModel } : {}),
    };
  }

  async complete(messages: Message[], callOptions?: CallOptions): Promise<ModelResponse> {
    const prepared = this.prepare(messages, callOptions);
    const { signal } = prepared.options;
    const request: RequestRecord = { url: prepared.url, body: prepared.body };
    const apiKey = prepared.connection.apiKey;
    if (!apiKey) throw notConfiguredError();
    if (signal?.aborted) throw abortedError(PROVIDER);

    let message: unknown;
    try {
      message = await this.client({
        apiKey,
        baseURL: prepared.connection.baseURL,
      }).messages.create(prepared.body, {
        signal,
        timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (error) {
      throw toAnthropicProviderError({ error, signal });
    }

    const parsed = messageResponseSchema.safeParse(message);
    if (!parsed.success) {
      throw new ProviderError({
        provider: PROVIDER,
        kind: "invalid_response",
        detail: "the response is not a Messages API message",
        cause: parsed.error,
      });
    }
    let text: string | null = null;
    let reasoning: string | null = null;
    const reasoningBlocks: ReasoningBlock[] = [];
    const toolCalls: ToolCall[] = [];
    for (const block of parsed.data.content) {
      const thinking = thinkingBlockSchema.safeParse(block);
      if (thinking.success) {
        reasoning = (reasoning ?? "") + thinking.data.thinking;
        reasoningBlocks.push({
          type: "thinking",
          text: thinking.data.thinking,
          signature: thinking.data.signature ?? "",
        });
      }
      const redacted = redactedThinkingBlockSchema.safeParse(block);
      if (redacted.success) reasoningBlocks.push({ type: "redacted", data: redacted.data.data });
      const textBlock = textBlockSchema.safeParse(block);
      if (textBlock.success) text = (text ?? "") + textBlock.data.text;
      const toolUse = toolUseBlockSchema.safeParse(block);
      if (toolUse.success) {
        toolCalls.push({
          id: toolUse.data.id,
          name: toolUse.data.name,
          arguments: decodeToolArguments(toolUse.data.input),
        });
      }
    }
    const rawStopReason = parsed.data.stop_reason ?? null;
    return {
      text,
      reasoning,
      reasoningBlocks,
      toolCalls,
      stopReason: mapAnthropicStopReason(rawStopReason),
      rawStopReason,
      usage: convertAnthropicUsage(parsed.data.usage),
      request,
      unsupported: prepared.unsupported,
    };
  }

  async close(): Promise<void> {
    this.cachedClient = null;
  }

  private prepare(messages: Message[], callOptions: CallOptions | undefined): PreparedCall {
    const options = parseCallOptions(callOptions);
    const { body, unsupported } = buildAnthropicRequest({
      modelId: this.modelId,
      messages,
      callOptions: options,
    });
    const connection: Connection = {
      apiKey: this.options.apiKey ?? environmentValue(this.environment, ANTHROPIC_API_KEY_VARIABLE),
      baseURL: (
        this.options.baseURL ??
        environmentValue(this.environment, "ANTHROPIC_BASE_URL") ??
        DEFAULT_BASE_URL
      ).replace(/\/+$/, ""),
    };
    return { options, body, unsupported, connection, url: `${connection.baseURL}/v1/messages` };
  }

  /** One SDK client per key and origin; rebuilt when the environment changes between calls. */
  private client(connection: { apiKey: string; baseURL: string }): Anthropic {
    const cached = this.cachedClient;
    if (cached && cached.apiKey === connection.apiKey && cached.baseURL === connection.baseURL) {
      return cached.client;
    }
    registerSecret(connection.apiKey);
    const client = new Anthropic({
      apiKey: connection.apiKey,
      baseURL: connection.baseURL,
      maxRetries: this.options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeout: this.options.timeoutMs,
      fetch: this.options.fetch,
      // The SDK would log a malformed chunk's content; our errors carry what is needed.
      logLevel: "off",
    });
    this.cachedClient = { ...connection, client };
    return client;
  }
}
