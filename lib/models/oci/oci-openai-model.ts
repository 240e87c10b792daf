/**
 * OCI's OpenAI-compatible endpoint (`{origin}/openai/v1`, locus `OCIOpenAIModel`): the OpenAI
 * chat adapter does the request shaping, SSE parsing, usage and errors; this class supplies the
 * signing `fetch`, the compartment header and the OCI base URL, and reports missing OCI
 * configuration before any request is made.
 */
import { parseCallOptions } from "../call-options";
import { buildOpenAIChatRequest, OpenAIChatModel } from "../openai";
import type {
  CallOptions,
  LanguageModel,
  Message,
  ModelResponse,
  ResponseFormat,
  StreamEvent,
} from "../types";
import { inlineSchemaReferences } from "./inline-schema-references";
import { type OciConnection, toConfigurationError } from "./oci-connection";
import { OCI_OPENAI_COMPATIBLE_PATH } from "./oci-settings";

/** Gemini rejects `$ref` in response schemas; locus inlines them for `google.*` models. */
function adaptResponseFormat(modelId: string, format: ResponseFormat | undefined) {
  if (format?.type !== "json_schema" || !format.json_schema.schema) return format;
  if (!modelId.trim().toLowerCase().startsWith("google.")) return format;
  return {
    ...format,
    json_schema: {
      ...format.json_schema,
      schema: inlineSchemaReferences(format.json_schema.schema),
    },
  };
}

export class OciOpenAICompatibleModel implements LanguageModel {
  readonly provider = "oci" as const;
  readonly modelId: string;
  readonly supportsStructuredOutput = true;
  private readonly connection: OciConnection;
  private inner: Promise<OpenAIChatModel> | null = null;

  constructor({ modelId, connection }: { modelId: string; connection: OciConnection }) {
    this.modelId = modelId;
    this.connection = connection;
  }

  get baseURL(): string {
    return `${this.connection.serviceOrigin}${OCI_OPENAI_COMPATIBLE_PATH}`;
  }

  private model(): Promise<OpenAIChatModel> {
    this.inner ??= this.connection
      .connect()
      .then(
        ({ fetch }) =>
          new OpenAIChatModel({
            provider: "oci",
            modelId: this.modelId,
            baseURL: this.baseURL,
            fetch,
            skipApiKeyCheck: true,
            maxRetries: this.connection.settings.maxRetries,
            timeoutMs: this.connection.settings.timeoutMs,
          }),
      )
      .catch((error: unknown) => {
        this.inner = null;
        throw error;
      });
    return this.inner;
  }

  private adapt(options: CallOptions): CallOptions {
    return {
      ...options,
      responseFormat: adaptResponseFormat(this.modelId, options.responseFormat),
    };
  }

  async *stream(messages: Message[], callOptions?: CallOptions): AsyncGenerator<StreamEvent> {
    const options = this.adapt(parseCallOptions(callOptions));
    let model: OpenAIChatModel;
    try {
      model = await this.model();
    } catch (error) {
      // Nothing was sent; the body shows what would have been.
      const { body, unsupported } = buildOpenAIChatRequest({
        provider: "oci",
        modelId: this.modelId,
        messages,
        callOptions: options,
        stream: true,
      });
      yield {
        type: "stream-start",
        request: { url: `${this.baseURL}/chat/completions`, body },
        unsupported,
      };
      yield {
        type: "finish",
        stopReason: "error",
        rawStopReason: null,
        usage: null,
        error: toConfigurationError(error),
      };
      return;
    }
    yield* model.stream(messages, options);
  }

  async complete(messages: Message[], callOptions?: CallOptions): Promise<ModelResponse> {
    const options = this.adapt(parseCallOptions(callOptions));
    const model = await this.model();
    return model.complete(messages, options);
  }

  async close(): Promise<void> {
    const inner = this.inner;
    this.inner = null;
    if (inner) await (await inner.catch(() => null))?.close();
  }
}
