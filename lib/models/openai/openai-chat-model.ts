/**
 * The OpenAI chat-completions adapter, built on the official `openai` SDK. It also serves OCI's
 * OpenAI-compatible `/openai/v1` endpoint (`provider: "oci"`, a signing `fetch`, no key).
 * Retries, backoff and `retry-after` on 408/409/429/5xx are the SDK's; this class only
 * translates requests, chunks, usage, stop reasons and errors.
 */

import OpenAI from "openai";
import { parseCallOptions } from "../call-options";
import { processEnvironment } from "../environment";
import { abortedError, NotConfiguredError, ProviderError } from "../errors";
import { failedFinish } from "../failed-finish";
import type { Environment } from "../provider-definition";
import { registerSecret } from "../secrets";
import { decodeToolArguments } from "../tool-arguments";
import type {
  CallOptions,
  LanguageModel,
  Message,
  ModelResponse,
  RequestRecord,
  StopReason,
  StreamEvent,
  ToolCall,
  Usage,
} from "../types";
import { convertOpenAIUsage } from "./convert-openai-usage";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason";
import { openAIChunkSchema, openAICompletionSchema } from "./openai-api";
import { toOpenAIProviderError } from "./openai-error";
import { buildOpenAIChatRequest } from "./openai-request";
import { fallbackToolCallId, OpenAIToolCallAccumulator } from "./openai-tool-call-accumulator";

export const OPENAI_API_KEY_VARIABLE = "OPENAI_API_KEY";

/** The key an environment gives, or `null`: what "configured" means for `openai:`. */
export function openAIApiKeyFrom(environment: Environment): string | null {
  return environment[OPENAI_API_KEY_VARIABLE]?.trim() || null;
}

export interface OpenAIChatModelSettings {
  /** Which ProviderId the model, its errors and its events carry. */
  provider: "openai" | "oci";
  modelId: string;
  /** Default: `OPENAI_API_KEY` of `environment` (never with `skipApiKeyCheck`). */
  apiKey?: string;
  /** Default: `OPENAI_BASE_URL` of `environment`, else the SDK default. */
  baseURL?: string;
  /** Where the defaults above come from; default: the process environment. */
  environment?: Environment;
  organization?: string;
  /** Default 2 (the SDK default). */
  maxRetries?: number;
  timeoutMs?: number;
  /** The OCI adapter signs requests here. */
  fetch?: typeof fetch;
  defaultHeaders?: Record<string, string>;
  /** For OCI: skip the OPENAI_API_KEY check (auth is done by `fetch`). */
  skipApiKeyCheck?: boolean;
}

/**
 * The SDK refuses to build a client without a key. When `fetch` authenticates (OCI request
 * signing) this stands in for one, and the `authorization` header it would produce is
 * removed, so nothing bearer-shaped reaches the signer.
 */
const SIGNED_REQUEST_PLACEHOLDER_KEY = "unused-request-is-signed-by-fetch";

export class OpenAIChatModel implements LanguageModel {
  readonly provider: "openai" | "oci";
  readonly modelId: string;
  readonly supportsStructuredOutput = true;
  private readonly settings: OpenAIChatModelSettings;
  private client: OpenAI | null = null;

  constructor(settings: OpenAIChatModelSettings) {
    this.settings = { ...settings };
    this.provider = settings.provider;
    this.modelId = settings.modelId;
    registerSecret(settings.apiKey);
  }

  async *stream(messages: Message[], callOptions?: CallOptions): AsyncGenerator<StreamEvent> {
    const options = parseCallOptions(callOptions);
    const { signal } = options;
    const { body, unsupported } = buildOpenAIChatRequest({
      provider: this.provider,
      modelId: this.modelId,
      messages,
      callOptions: options,
      stream: true,
    });
    const client = this.getClient();
    yield { type: "stream-start", request: this.requestRecord(client, body), unsupported };

    const configurationError = this.configurationError();
    if (configurationError) {
      yield failedFinish({ error: configurationError });
      return;
    }

    let chunks: AsyncIterator<unknown>;
    try {
      const sdkStream = await client.chat.completions.create(body, { signal });
      chunks = sdkStream[Symbol.asyncIterator]();
    } catch (error) {
      yield failedFinish({
        error: toOpenAIProviderError({ provider: this.provider, error, signal }),
      });
      return;
    }

    const toolCalls = new OpenAIToolCallAccumulator();
    let emittedToolCalls = false;
    let rawFinishReason: string | null = null;
    let usage: Usage | null = null;
    let responseModel: string | null = null;
    let failure: ProviderError | null = null;
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await chunks.next();
        } catch (error) {
          failure = toOpenAIProviderError({ provider: this.provider, error, signal });
          break;
        }
        if (next.done) break;
        const parsed = openAIChunkSchema.safeParse(next.value);
        if (!parsed.success) {
          failure = new ProviderError({
            provider: this.provider,
            kind: "invalid_response",
            detail: "a streamed chunk did not have the chat-completions shape",
          });
          break;
        }
        const chunk = parsed.data;
        if (chunk.model) responseModel = chunk.model;
        // Only the include_usage chunk carries usage; compatible servers that repeat a running
        // total on every chunk are handled by keeping the last one.
        if (chunk.usage !== null && chunk.usage !== undefined) {
          usage = convertOpenAIUsage(chunk.usage);
        }
        const choice = chunk.choices?.[0];
        if (!choice) continue;
        const delta = choice.delta;
        if (delta?.reasoning_content) {
          yield { type: "reasoning-delta", delta: delta.reasoning_content };
        }
        if (delta?.content) yield { type: "text-delta", delta: delta.content };
        // A structured-output refusal is what the model said; show it like text.
        if (delta?.refusal) yield { type: "text-delta", delta: delta.refusal };
        if (delta?.tool_calls) toolCalls.add(delta.tool_calls);
        if (choice.finish_reason) {
          rawFinishReason = choice.finish_reason;
          for (const toolCall of toolCalls.drain()) {
            emittedToolCalls = true;
            yield { type: "tool-call", toolCall };
          }
        }
      }
    } finally {
      // Also runs when our consumer stops early: closing the SDK iterator aborts the request.
      await chunks.return?.();
    }

    // The SDK ends a stream quietly when it is aborted, so the signal is the source of truth.
    if (signal?.aborted) failure = abortedError(this.provider);
    if (failure) {
      // Fragments of tool calls cut off by the failure are not emitted: their arguments are partial.
      yield failedFinish({ error: failure, rawStopReason: rawFinishReason, usage });
      return;
    }
    // locus lost tool calls when no finish_reason arrived; emit them at the end instead.
    for (const toolCall of toolCalls.drain()) {
      emittedToolCalls = true;
      yield { type: "tool-call", toolCall };
    }
    yield {
      type: "finish",
      stopReason: stopReasonFor({ rawFinishReason, emittedToolCalls }),
      rawStopReason: rawFinishReason,
      usage,
      ...(responseModel ? { responseModel } : {}),
    };
  }

  async complete(messages: Message[], callOptions?: CallOptions): Promise<ModelResponse> {
    const options = parseCallOptions(callOptions);
    const { signal } = options;
    const { body, unsupported } = buildOpenAIChatRequest({
      provider: this.provider,
      modelId: this.modelId,
      messages,
      callOptions: options,
      stream: false,
    });
    const configurationError = this.configurationError();
    if (configurationError) throw configurationError;
    const client = this.getClient();
    const request = this.requestRecord(client, body);

    let response: unknown;
    try {
      response = await client.chat.completions.create(body, { signal });
    } catch (error) {
      throw toOpenAIProviderError({ provider: this.provider, error, signal });
    }
    const parsed = openAICompletionSchema.safeParse(response);
    if (!parsed.success) {
      throw new ProviderError({
        provider: this.provider,
        kind: "invalid_response",
        detail: "the response did not have the chat-completions shape",
      });
    }
    const choice = parsed.data.choices?.[0];
    const message = choice?.message;
    const toolCalls: ToolCall[] = (message?.tool_calls ?? [])
      .filter((toolCall) => (toolCall.type ?? "function") === "function" && toolCall.function?.name)
      .map((toolCall) => ({
        id: toolCall.id || fallbackToolCallId(),
        name: toolCall.function?.name ?? "",
        arguments: decodeToolArguments(toolCall.function?.arguments),
      }));
    const rawFinishReason = choice?.finish_reason ?? null;
    return {
      // A missing message or null content (Gemini via OCI) is no text, not an empty string.
      text: message?.content ?? message?.refusal ?? null,
      reasoning: message?.reasoning_content || null,
      reasoningBlocks: [],
      toolCalls,
      stopReason: stopReasonFor({ rawFinishReason, emittedToolCalls: toolCalls.length > 0 }),
      rawStopReason: rawFinishReason,
      usage: convertOpenAIUsage(parsed.data.usage),
      request,
      unsupported,
    };
  }

  async close(): Promise<void> {
    // The SDK client holds no sockets of its own (fetch pools them); dropping it is enough.
    this.client = null;
  }

  private resolveApiKey(): string | null {
    const explicit = this.settings.apiKey?.trim();
    if (explicit) return explicit;
    // A signed (OCI) endpoint must never receive the OpenAI key from the environment.
    if (this.settings.skipApiKeyCheck) return null;
    const fromEnvironment = openAIApiKeyFrom(this.environment());
    registerSecret(fromEnvironment);
    return fromEnvironment;
  }

  private environment(): Environment {
    return this.settings.environment ?? processEnvironment();
  }

  private configurationError(): ProviderError | null {
    if (this.settings.skipApiKeyCheck || this.resolveApiKey()) return null;
    const missing = new NotConfiguredError({
      provider: this.provider,
      missing: [OPENAI_API_KEY_VARIABLE],
    });
    return new ProviderError({
      provider: this.provider,
      kind: "not_configured",
      detail: missing.message,
      cause: missing,
    });
  }

  private getClient(): OpenAI {
    if (this.client) return this.client;
    const { settings } = this;
    const signedByFetch = settings.skipApiKeyCheck === true && !settings.apiKey;
    this.client = new OpenAI({
      // A function is called before every request, so a key set after start-up is picked up.
      apiKey: signedByFetch
        ? SIGNED_REQUEST_PLACEHOLDER_KEY
        : async () => this.resolveApiKey() ?? "",
      // `null`, not `undefined`: the SDK would read OPENAI_BASE_URL itself, past `environment`.
      baseURL: settings.baseURL ?? (this.environment().OPENAI_BASE_URL?.trim() || null),
      // The SDK would otherwise add OPENAI_ORG_ID / OPENAI_PROJECT_ID headers to OCI requests.
      organization: settings.organization ?? (settings.skipApiKeyCheck ? null : undefined),
      project: settings.skipApiKeyCheck ? null : undefined,
      maxRetries: settings.maxRetries,
      timeout: settings.timeoutMs,
      fetch: settings.fetch,
      defaultHeaders: signedByFetch
        ? { ...settings.defaultHeaders, authorization: null }
        : settings.defaultHeaders,
      // Failures reach the caller as ProviderError; the SDK's own logs would echo raw chunks.
      logLevel: "off",
    });
    return this.client;
  }

  private requestRecord(client: OpenAI, body: unknown): RequestRecord {
    return { url: client.buildURL("/chat/completions", null), body };
  }
}

/**
 * Some OpenAI-compatible servers end a tool-calling turn without a `finish_reason`; the calls
 * we emitted are then the best evidence of why the turn stopped. The raw value stays null.
 */
function stopReasonFor({
  rawFinishReason,
  emittedToolCalls,
}: {
  rawFinishReason: string | null;
  emittedToolCalls: boolean;
}): StopReason {
  if (rawFinishReason === null && emittedToolCalls) return "tool-calls";
  return mapOpenAIFinishReason(rawFinishReason);
}
