import type { ChatRequest, Options, Tool } from "ollama";
import type {
  CallOptions,
  Message,
  ResponseFormat,
  ToolDefinition,
  UnsupportedParameter,
} from "../types";
import { convertToOllamaMessages } from "./convert-to-ollama-messages";

export const PROMPT_CACHE_UNSUPPORTED_REASON =
  "Ollama caches the prompt automatically; there is nothing to set";

export interface OllamaChatRequest {
  body: ChatRequest;
  unsupported: UnsupportedParameter[];
}

/** Only the sampling options the caller set; Ollama falls back to the Modelfile for the rest. */
function convertOptions(options: CallOptions): Partial<Options> {
  const converted: Partial<Options> = {};
  if (options.temperature !== undefined) converted.temperature = options.temperature;
  if (options.topP !== undefined) converted.top_p = options.topP;
  if (options.maxTokens !== undefined) converted.num_predict = options.maxTokens;
  if (options.seed !== undefined) converted.seed = options.seed;
  if (options.stop !== undefined && options.stop.length > 0) converted.stop = options.stop;
  if (options.frequencyPenalty !== undefined) {
    converted.frequency_penalty = options.frequencyPenalty;
  }
  if (options.presencePenalty !== undefined) converted.presence_penalty = options.presencePenalty;
  return converted;
}

/** Ollama takes the OpenAI function shape; `strict` has no Ollama meaning and is left out. */
function convertTool(tool: ToolDefinition): Tool {
  const { name, description, parameters } = tool.function;
  return {
    type: "function",
    function: {
      name,
      ...(description !== undefined ? { description } : {}),
      ...(parameters !== undefined
        ? { parameters: parameters as Tool["function"]["parameters"] }
        : {}),
    },
  };
}

/** `format` takes `"json"` or a JSON schema, which Ollama enforces with a grammar. */
function convertResponseFormat(format: ResponseFormat | undefined): ChatRequest["format"] {
  switch (format?.type) {
    case undefined:
    case "text":
      return undefined;
    case "json_object":
      return "json";
    case "json_schema":
      return format.json_schema.schema ?? "json";
    default: {
      const exhaustive: never = format;
      throw new TypeError(`unknown response format: ${JSON.stringify(exhaustive)}`);
    }
  }
}

/** The `/api/chat` body for a call, the same for streamed and non-streamed calls. */
export function buildOllamaChatRequest({
  modelId,
  messages,
  options,
  stream,
  keepAlive,
}: {
  modelId: string;
  messages: Message[];
  options: CallOptions;
  stream: boolean;
  keepAlive?: string | number;
}): OllamaChatRequest {
  const unsupported: UnsupportedParameter[] = [];
  if (options.promptCache !== undefined && options.promptCache !== false) {
    unsupported.push({ parameter: "promptCache", reason: PROMPT_CACHE_UNSUPPORTED_REASON });
  }
  const body: ChatRequest = {
    model: modelId,
    messages: convertToOllamaMessages(messages),
    stream,
  };
  if (options.tools && options.tools.length > 0) body.tools = options.tools.map(convertTool);
  const format = convertResponseFormat(options.responseFormat);
  if (format !== undefined) body.format = format;
  const sampling = convertOptions(options);
  if (Object.keys(sampling).length > 0) body.options = sampling;
  if (keepAlive !== undefined) body.keep_alive = keepAlive;
  if (options.reasoningEffort !== undefined) {
    // Levels are gpt-oss's; other thinking models (qwen3, deepseek-r1 …) take only on/off.
    body.think = /^gpt-oss(?:[:-]|$)/i.test(modelId) ? options.reasoningEffort : true;
  }
  return { body, unsupported };
}
