/**
 * OCI's native chat API (`POST {origin}/20231130/actions/chat`, locus `OCIModel`), used for
 * dedicated endpoints (OCIDs) and Cohere Command R. Requests are signed by the same `fetch` as
 * the OpenAI-compatible path. Unlike locus, the stream carries every call option, Cohere history,
 * joined tool-call fragments, usage and the finish reason, and failures are `ProviderError`s.
 */

import { parseCallOptions } from "../call-options";
import { abortedError, isAbortError, NotConfiguredError, ProviderError } from "../errors";
import { failedFinish } from "../failed-finish";
import { decodeToolArguments, safeJsonParse } from "../tool-arguments";
import type {
  CallOptions,
  LanguageModel,
  Message,
  ModelResponse,
  StreamEvent,
  ToolCall,
  Usage,
} from "../types";
import { convertOciUsage } from "./convert-oci-usage";
import { mapOciFinishReason } from "./map-oci-finish-reason";
import { type OciConnection, type OciInternals, toConfigurationError } from "./oci-connection";
import { ociErrorFromResponse } from "./oci-error";
import { ociChatResultSchema, ociStreamEventSchema } from "./oci-native-api";
import { buildOciChatDetails, ociApiFormatFor } from "./oci-native-request";
import { OCI_NATIVE_CHAT_PATH } from "./oci-settings";
import { newToolCallId, OciStreamAccumulator } from "./oci-stream-accumulator";
import { readServerSentEvents } from "./server-sent-events";

const DEFAULT_MAX_RETRIES = 2;
/** Until response headers arrive (as the openai SDK's timeout); a stream may run longer. */
const DEFAULT_TIMEOUT_MS = 600_000;
/** locus: an empty reply is tried three times, waiting 0.5 s and then 1 s. */
const DEFAULT_EMPTY_REPLY_DELAYS_MS = [500, 1_000];

function defaultRetryDelayMs(attempt: number): number {
  const base = Math.min(500 * 2 ** (attempt - 1), 8_000);
  return base * (1 - Math.random() * 0.25);
}

function defaultSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError("oci"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError("oci"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function missingCompartment(): ProviderError {
  const cause = new NotConfiguredError({
    provider: "oci",
    missing: ["OCI_COMPARTMENT"],
    hint: "the native chat API needs a compartment OCID (otherwise the profile's tenancy is used)",
  });
  return new ProviderError({
    provider: "oci",
    kind: "not_configured",
    detail: cause.message,
    cause,
  });
}

/** A failure while reading a response body: the caller's abort, or the connection. */
function bodyReadError(error: unknown, signal: AbortSignal | undefined): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  if (isAbortError(error, signal)) return abortedError("oci");
  return new ProviderError({
    provider: "oci",
    kind: "connection",
    detail: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}

interface ParsedReply {
  text: string | null;
  toolCalls: ToolCall[];
  rawFinishReason: string | null;
  usage: Usage | null;
}

export class OciNativeChatModel implements LanguageModel {
  readonly provider = "oci" as const;
  readonly modelId: string;
  readonly supportsStructuredOutput = true;
  private readonly connection: OciConnection;
  private readonly internals: OciInternals;

  constructor({
    modelId,
    connection,
    internals = {},
  }: {
    modelId: string;
    connection: OciConnection;
    internals?: OciInternals;
  }) {
    this.modelId = modelId;
    this.connection = connection;
    this.internals = internals;
  }

  get url(): string {
    return `${this.connection.serviceOrigin}${OCI_NATIVE_CHAT_PATH}`;
  }

  async *stream(messages: Message[], callOptions?: CallOptions): AsyncGenerator<StreamEvent> {
    const options = parseCallOptions(callOptions);
    const { signal } = options;
    const compartmentId = this.connection.compartmentId;
    const { body, unsupported } = buildOciChatDetails({
      modelId: this.modelId,
      compartmentId,
      messages,
      callOptions: options,
      stream: true,
    });
    yield { type: "stream-start", request: { url: this.url, body }, unsupported };

    let response: Response;
    try {
      response = await this.post({ body, compartmentId, signal, accept: "text/event-stream" });
    } catch (error) {
      yield failedFinish({ error: bodyReadError(error, signal) });
      return;
    }
    if (!response.body) {
      yield failedFinish({
        error: new ProviderError({ provider: "oci", kind: "invalid_response", detail: "no body" }),
      });
      return;
    }

    const accumulator = new OciStreamAccumulator(ociApiFormatFor(this.modelId));
    let emittedToolCalls = false;
    let failure: ProviderError | null = null;
    const events = readServerSentEvents(response.body);
    try {
      for (;;) {
        let next: IteratorResult<string>;
        try {
          next = await events.next();
        } catch (error) {
          failure = bodyReadError(error, signal);
          break;
        }
        if (next.done) break;
        // locus skips events that are empty or not JSON; so do we.
        const parsed = ociStreamEventSchema.safeParse(safeJsonParse(next.value));
        if (!parsed.success) continue;
        const accepted = accumulator.accept(parsed.data);
        for (const delta of accepted.reasoningDeltas) yield { type: "reasoning-delta", delta };
        for (const delta of accepted.textDeltas) yield { type: "text-delta", delta };
        for (const toolCall of accepted.toolCalls) {
          emittedToolCalls = true;
          yield { type: "tool-call", toolCall };
        }
        if (accepted.error) {
          failure = accepted.error;
          break;
        }
      }
    } finally {
      // Also when our consumer stops early: closing the reader closes the upstream connection.
      await events.return(undefined);
    }

    if (signal?.aborted) failure = abortedError("oci");
    if (failure) {
      // Fragments of tool calls cut off by the failure are not emitted: they are partial.
      yield failedFinish({
        error: failure,
        rawStopReason: accumulator.rawFinishReason,
        usage: accumulator.usage,
      });
      return;
    }
    // locus lost tool calls when no finish reason came; they are emitted at the end instead.
    for (const toolCall of accumulator.drainToolCalls()) {
      emittedToolCalls = true;
      yield { type: "tool-call", toolCall };
    }
    yield {
      type: "finish",
      stopReason: mapOciFinishReason({
        rawFinishReason: accumulator.rawFinishReason,
        emittedToolCalls,
      }),
      rawStopReason: accumulator.rawFinishReason,
      usage: accumulator.usage,
    };
  }

  async complete(messages: Message[], callOptions?: CallOptions): Promise<ModelResponse> {
    const options = parseCallOptions(callOptions);
    const { signal } = options;
    const compartmentId = this.connection.compartmentId;
    const { body, unsupported } = buildOciChatDetails({
      modelId: this.modelId,
      compartmentId,
      messages,
      callOptions: options,
      stream: false,
    });
    const delays = this.internals.emptyReplyDelaysMs ?? DEFAULT_EMPTY_REPLY_DELAYS_MS;
    const sleep = this.internals.sleep ?? defaultSleep;

    let reply: ParsedReply | null = null;
    for (let attempt = 0; attempt <= delays.length; attempt += 1) {
      if (attempt > 0) await sleep(delays[attempt - 1] ?? 0, signal);
      const response = await this.post({ body, compartmentId, signal, accept: "application/json" });
      let json: unknown;
      try {
        json = safeJsonParse(await response.text());
      } catch (error) {
        throw bodyReadError(error, signal);
      }
      reply = this.parseReply(json);
      // Some models occasionally answer with nothing at all; locus asks again.
      if (reply.text || reply.toolCalls.length > 0) break;
    }
    const final = reply ?? { text: null, toolCalls: [], rawFinishReason: null, usage: null };
    return {
      text: final.text,
      reasoning: null,
      reasoningBlocks: [],
      toolCalls: final.toolCalls,
      stopReason: mapOciFinishReason({
        rawFinishReason: final.rawFinishReason,
        emittedToolCalls: final.toolCalls.length > 0,
      }),
      rawStopReason: final.rawFinishReason,
      usage: final.usage,
      request: { url: this.url, body },
      unsupported,
    };
  }

  async close(): Promise<void> {
    // Nothing to release: fetch pools its own connections.
  }

  private parseReply(json: unknown): ParsedReply {
    const parsed = ociChatResultSchema.safeParse(json);
    if (!parsed.success) {
      throw new ProviderError({
        provider: "oci",
        kind: "invalid_response",
        detail: "the response did not have the ChatResult shape",
      });
    }
    const chat = parsed.data.chatResponse;
    if (chat.apiFormat === "COHERE") {
      if (chat.errorMessage) {
        throw new ProviderError({
          provider: "oci",
          kind: "server_error",
          code: chat.finishReason ?? null,
          detail: chat.errorMessage,
        });
      }
      return {
        text: chat.text || null,
        toolCalls: (chat.toolCalls ?? []).map((toolCall) => ({
          id: newToolCallId(),
          name: toolCall.name || "unknown_tool",
          arguments: decodeToolArguments(toolCall.parameters),
        })),
        rawFinishReason: chat.finishReason ?? null,
        usage: convertOciUsage(chat.usage),
      };
    }
    const choice = chat.choices?.[0];
    const parts = choice?.message?.content ?? [];
    const text = parts.map((part) => part.text ?? "").join("");
    return {
      text: text || null,
      toolCalls: (choice?.message?.toolCalls ?? []).map((toolCall) => ({
        id: toolCall.id || newToolCallId(),
        name: toolCall.name || "unknown_tool",
        arguments: decodeToolArguments(toolCall.arguments),
      })),
      rawFinishReason: choice?.finishReason ?? null,
      usage: convertOciUsage(chat.usage),
    };
  }

  /**
   * Signs and sends the body, retrying rate limits, overloads, 5xx and connection failures
   * (honouring `retry-after`). Throws `ProviderError`.
   */
  private async post({
    body,
    compartmentId,
    signal,
    accept,
  }: {
    body: unknown;
    compartmentId: string | null;
    signal: AbortSignal | undefined;
    accept: string;
  }): Promise<Response> {
    let signingFetch: typeof fetch;
    try {
      ({ fetch: signingFetch } = await this.connection.connect());
    } catch (error) {
      throw toConfigurationError(error);
    }
    if (compartmentId === null) throw missingCompartment();

    const maxRetries = this.connection.settings.maxRetries ?? DEFAULT_MAX_RETRIES;
    const timeoutMs = this.connection.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const sleep = this.internals.sleep ?? defaultSleep;
    const retryDelayMs = this.internals.retryDelayMs ?? defaultRetryDelayMs;
    const payload = JSON.stringify(body);

    for (let attempt = 0; ; attempt += 1) {
      if (signal?.aborted) throw abortedError("oci");
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      let failure: ProviderError;
      try {
        const response = await signingFetch(this.url, {
          method: "POST",
          headers: { "content-type": "application/json", accept },
          body: payload,
          signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal,
        });
        if (response.ok) return response;
        failure = await ociErrorFromResponse(response);
      } catch (error) {
        if (signal?.aborted) throw abortedError("oci");
        failure = timeout.signal.aborted
          ? new ProviderError({ provider: "oci", kind: "timeout", cause: error })
          : bodyReadError(error, signal);
      } finally {
        clearTimeout(timer);
      }
      if (!failure.retryable || attempt >= maxRetries) throw failure;
      await sleep(failure.retryAfterMs ?? retryDelayMs(attempt + 1), signal);
    }
  }
}
