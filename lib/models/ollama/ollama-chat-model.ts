/**
 * A model served by Ollama, through the official `ollama` SDK and its native `/api/chat`
 * (locus `OllamaModel`, with its gaps fixed: streams carry tools, `num_predict`, usage and the
 * stop reason; tool-call ids are unique; tool results name their tool; OLLAMA_HOST is read;
 * calls can be aborted and the model closed).
 */
import { z } from "zod";
import { parseCallOptions, parseModelOptions } from "../call-options";
import { InvalidOptionsError, ProviderError } from "../errors";
import type { Environment } from "../provider-definition";
import type {
  CallOptions,
  LanguageModel,
  Message,
  ModelResponse,
  StreamEvent,
  ToolCall,
} from "../types";
import { convertOllamaUsage } from "./convert-ollama-usage";
import { mapOllamaStopReason } from "./map-ollama-stop-reason";
import {
  type OllamaChatChunk,
  ollamaChatChunkSchema,
  ollamaResponseErrorSchema,
} from "./ollama-api";
import { toOllamaProviderError } from "./ollama-error";
import { type OllamaHost, parseOllamaHost, resolveOllamaHostSetting } from "./ollama-host";
import { buildOllamaChatRequest } from "./ollama-request";
import { createOllamaToolCallReader } from "./ollama-tool-calls";
import { type OllamaCall, openOllamaCall } from "./ollama-transport";

/**
 * A cold start loads the model before the first byte; big models on slow disks take minutes.
 * The limit covers only the wait for the response to start, never a long answer.
 */
const DEFAULT_TIMEOUT_MS = 300_000;

const ollamaOptionsSchema = z.strictObject({
  /** `http://host:port`, `host:port` or `:port`; default `OLLAMA_HOST`, else 127.0.0.1:11434. */
  host: z.string().trim().min(1).optional(),
  /** Longest wait for the response to start; `null` waits for ever. */
  timeoutMs: z.number().int().positive().max(3_600_000).nullable().optional(),
  /** How long Ollama keeps the model loaded after the call (`"5m"`, seconds, `-1`). */
  keepAlive: z.union([z.string().min(1), z.number()]).optional(),
});

export type OllamaModelOptions = z.infer<typeof ollamaOptionsSchema>;

function parseChunk(value: unknown): OllamaChatChunk {
  const parsed = ollamaChatChunkSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ProviderError({
    provider: "ollama",
    kind: "invalid_response",
    detail: "Ollama sent a chat object of an unexpected shape",
    cause: parsed.error,
  });
}

export class OllamaChatModel implements LanguageModel {
  readonly provider = "ollama" as const;
  /** `format` takes a JSON schema, enforced by a grammar while sampling. */
  readonly supportsStructuredOutput = true;
  /** The server's URL, without credentials. */
  readonly hostUrl: string;
  private readonly host: OllamaHost;
  private readonly timeoutMs: number | null;
  private readonly keepAlive: string | number | undefined;
  private readonly activeCalls = new Set<OllamaCall>();

  /** `environment` gives `OLLAMA_HOST` when `options.host` does not; default: the process's. */
  constructor(
    readonly modelId: string,
    options?: unknown,
    environment?: Environment,
  ) {
    const parsed = parseModelOptions("ollama", ollamaOptionsSchema, options);
    const setting = resolveOllamaHostSetting({ host: parsed.host, environment });
    const host = parseOllamaHost(setting.value);
    if (!host) {
      throw new InvalidOptionsError(
        setting.source === "environment"
          ? "OLLAMA_HOST is not a valid http(s) host (expected e.g. http://127.0.0.1:11434)"
          : "invalid options for ollama: host is not a valid http(s) host (expected e.g. http://127.0.0.1:11434)",
      );
    }
    this.host = host;
    this.hostUrl = host.url;
    this.timeoutMs = parsed.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : parsed.timeoutMs;
    this.keepAlive = parsed.keepAlive;
  }

  private get chatUrl(): string {
    return `${this.host.url}/api/chat`;
  }

  async *stream(messages: Message[], callOptions?: CallOptions): AsyncGenerator<StreamEvent> {
    const options = parseCallOptions(callOptions);
    const { body, unsupported } = buildOllamaChatRequest({
      modelId: this.modelId,
      messages,
      options,
      stream: true,
      keepAlive: this.keepAlive,
    });
    yield { type: "stream-start", request: { url: this.chatUrl, body }, unsupported };

    const call = this.openCall({ signal: options.signal, inspectBody: true });
    const readToolCall = createOllamaToolCallReader();
    let hasToolCalls = false;
    let final: OllamaChatChunk | null = null;
    try {
      const chunks = await call.client.chat({ ...body, stream: true });
      for await (const value of chunks) {
        const chunk = parseChunk(value);
        const thinking = chunk.message?.thinking;
        if (thinking) yield { type: "reasoning-delta", delta: thinking };
        const content = chunk.message?.content;
        if (content) yield { type: "text-delta", delta: content };
        // Ollama sends each tool call whole, in one object, never in fragments.
        for (const toolCall of chunk.message?.tool_calls ?? []) {
          hasToolCalls = true;
          yield { type: "tool-call", toolCall: readToolCall(toolCall) };
        }
        if (chunk.done) final = chunk;
      }
    } catch (error) {
      if (this.endedWithoutDone(error, call)) {
        yield { type: "finish", stopReason: "other", rawStopReason: null, usage: null };
      } else {
        yield {
          type: "finish",
          stopReason: "error",
          rawStopReason: null,
          usage: null,
          error: this.toError(error, call),
        };
      }
      return;
    } finally {
      this.releaseCall(call);
    }
    if (final === null) {
      yield { type: "finish", stopReason: "other", rawStopReason: null, usage: null };
      return;
    }
    yield {
      type: "finish",
      stopReason: mapOllamaStopReason({ doneReason: final.done_reason, hasToolCalls }),
      rawStopReason: final.done_reason ?? null,
      usage: convertOllamaUsage(final),
    };
  }

  async complete(messages: Message[], callOptions?: CallOptions): Promise<ModelResponse> {
    const options = parseCallOptions(callOptions);
    const { body, unsupported } = buildOllamaChatRequest({
      modelId: this.modelId,
      messages,
      options,
      stream: false,
      keepAlive: this.keepAlive,
    });
    const call = this.openCall({ signal: options.signal, inspectBody: false });
    try {
      const response = parseChunk(await call.client.chat({ ...body, stream: false }));
      const readToolCall = createOllamaToolCallReader();
      const toolCalls: ToolCall[] = (response.message?.tool_calls ?? []).map(readToolCall);
      const content = response.message?.content;
      return {
        text: content ? content : null,
        reasoning: response.message?.thinking || null,
        reasoningBlocks: [],
        toolCalls,
        stopReason: mapOllamaStopReason({
          doneReason: response.done_reason,
          hasToolCalls: toolCalls.length > 0,
        }),
        rawStopReason: response.done_reason ?? null,
        usage: convertOllamaUsage(response),
        request: { url: this.chatUrl, body },
        unsupported,
      };
    } catch (error) {
      throw this.toError(error, call);
    } finally {
      this.releaseCall(call);
    }
  }

  /** Aborts every call still in flight; their streams finish with `kind: "aborted"`. */
  async close(): Promise<void> {
    for (const call of this.activeCalls) call.abort();
  }

  private openCall(options: { signal?: AbortSignal; inspectBody: boolean }): OllamaCall {
    const call = openOllamaCall({
      host: this.host,
      timeoutMs: this.timeoutMs,
      signal: options.signal,
      inspectBody: options.inspectBody,
    });
    this.activeCalls.add(call);
    return call;
  }

  private releaseCall(call: OllamaCall): void {
    this.activeCalls.delete(call);
    call.dispose();
  }

  /**
   * The body ended cleanly, nothing was wrong on the wire and nobody aborted, yet the SDK
   * threw: it does so when the last object never said `done`. Not a failure of ours to
   * report, but the answer may be incomplete, so the stop reason stays `other`.
   */
  private endedWithoutDone(error: unknown, call: OllamaCall): boolean {
    return (
      call.inspection.ended &&
      call.inspection.fault === null &&
      !call.signal.aborted &&
      !ProviderError.isInstance(error) &&
      !ollamaResponseErrorSchema.safeParse(error).success
    );
  }

  private toError(error: unknown, call: OllamaCall): ProviderError {
    return toOllamaProviderError({
      error,
      call,
      host: this.host.url,
      modelId: this.modelId,
      timeoutMs: this.timeoutMs,
    });
  }
}
