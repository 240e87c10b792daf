/**
 * The native chat body, `POST /20231130/actions/chat` (locus §3.5, with weakness 5 fixed):
 * `{ compartmentId, servingMode, chatRequest }`, where `chatRequest` is `GENERIC` (OpenAI-like
 * messages with TEXT parts) or `COHERE` (Command R's message + chatHistory + toolResults).
 * Only what the caller set is sent; OCI's defaults apply to the rest.
 */
import { contentText } from "../content";
import { isOpenAIReasoningModel } from "../openai";
import type {
  CallOptions,
  Message,
  ResponseFormat,
  ToolCall,
  ToolDefinition,
  UnsupportedParameter,
} from "../types";

export type OciApiFormat = "GENERIC" | "COHERE";

export type OciServingMode =
  | { servingType: "ON_DEMAND"; modelId: string }
  | { servingType: "DEDICATED"; endpointId: string };

type TextContent = { type: "TEXT"; text: string };
type ImageContent = { type: "IMAGE"; imageUrl: { url: string } };

export type GenericMessage =
  | { role: "SYSTEM"; content: TextContent[] }
  | { role: "USER"; content: Array<TextContent | ImageContent> }
  | {
      role: "ASSISTANT";
      content: TextContent[];
      toolCalls?: Array<{ type: "FUNCTION"; id: string; name: string; arguments: string }>;
    }
  | { role: "TOOL"; content: TextContent[]; toolCallId: string };

export interface CohereToolCall {
  name: string;
  parameters: Record<string, unknown>;
}

export interface CohereToolResult {
  call: CohereToolCall;
  outputs: Array<Record<string, unknown>>;
}

export type CohereMessage =
  | { role: "USER" | "SYSTEM"; message: string }
  | { role: "CHATBOT"; message: string; toolCalls?: CohereToolCall[] }
  | { role: "TOOL"; toolResults: CohereToolResult[] };

export interface OciChatDetails {
  compartmentId: string | null;
  servingMode: OciServingMode;
  chatRequest: Record<string, unknown> & { apiFormat: OciApiFormat };
}

export function ociApiFormatFor(modelId: string): OciApiFormat {
  return modelId.trim().toLowerCase().startsWith("cohere.command-r") ? "COHERE" : "GENERIC";
}

/** A dedicated AI cluster endpoint is addressed by its OCID, everything else by model id. */
export function ociServingModeFor(modelId: string): OciServingMode {
  return modelId.trim().toLowerCase().startsWith("ocid1.")
    ? { servingType: "DEDICATED", endpointId: modelId }
    : { servingType: "ON_DEMAND", modelId };
}

/**
 * OpenAI reasoning models served natively take `maxCompletionTokens` and no sampling settings.
 * locus sent `maxCompletionTokens` to every `openai.*` model; only reasoning models need it.
 */
function isNativeReasoningModel(modelId: string): boolean {
  return modelId.trim().toLowerCase().startsWith("openai.") && isOpenAIReasoningModel(modelId);
}

const text = (value: string): TextContent => ({ type: "TEXT", text: value });

// ---------------------------------------------------------------------------------------------
// GENERIC

export function convertToGenericMessages(messages: Message[]): GenericMessage[] {
  return messages.map((message): GenericMessage => {
    switch (message.role) {
      case "system":
        return { role: "SYSTEM", content: [text(message.content)] };
      case "user":
        if (typeof message.content === "string") {
          return { role: "USER", content: [text(message.content)] };
        }
        // OCI's generic ImageContent takes the image as a data URL, like OpenAI's image_url.
        return {
          role: "USER",
          content: message.content.map((part) =>
            part.type === "text"
              ? text(part.text)
              : {
                  type: "IMAGE" as const,
                  imageUrl: { url: `data:${part.mediaType};base64,${part.data}` },
                },
          ),
        };
      case "assistant": {
        // OCI rejects an empty assistant turn (a NullPointerException server-side); locus sends ".".
        const converted: GenericMessage = {
          role: "ASSISTANT",
          content: [text(message.content ? message.content : ".")],
        };
        if (message.toolCalls?.length) {
          converted.toolCalls = message.toolCalls.map((toolCall) => ({
            type: "FUNCTION",
            id: toolCall.id,
            name: toolCall.name,
            arguments: JSON.stringify(toolCall.arguments),
          }));
        }
        return converted;
      }
      case "tool":
        return { role: "TOOL", content: [text(message.content)], toolCallId: message.toolCallId };
      default: {
        const exhaustive: never = message;
        throw new Error(`unknown message role in ${JSON.stringify(exhaustive)}`);
      }
    }
  });
}

function genericTools(tools: ToolDefinition[]) {
  return tools.map((tool) => ({
    type: "FUNCTION",
    name: tool.function.name,
    description: tool.function.description ?? "",
    parameters: tool.function.parameters ?? { type: "object", properties: {} },
  }));
}

function genericResponseFormat(format: ResponseFormat): Record<string, unknown> {
  switch (format.type) {
    case "text":
      return { type: "TEXT" };
    case "json_object":
      return { type: "JSON_OBJECT" };
    case "json_schema": {
      const { name, description, schema, strict } = format.json_schema;
      return {
        type: "JSON_SCHEMA",
        jsonSchema: {
          name,
          ...(description !== undefined ? { description } : {}),
          ...(schema !== undefined ? { schema } : {}),
          ...(strict !== undefined ? { isStrict: strict } : {}),
        },
      };
    }
    default: {
      const exhaustive: never = format;
      throw new Error(`unknown response format ${JSON.stringify(exhaustive)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// COHERE

/** @see locus §3.5: JSON Schema type → Cohere parameter type; anything else is `str`. */
const COHERE_TYPES: Record<string, string> = {
  string: "str",
  integer: "int",
  number: "float",
  boolean: "bool",
  array: "list",
  object: "dict",
};

function cohereType(schema: unknown): string {
  if (typeof schema !== "object" || schema === null) return "str";
  const declared = (schema as { type?: unknown }).type;
  const name = Array.isArray(declared)
    ? declared.find((entry) => typeof entry === "string" && entry !== "null")
    : declared;
  return (typeof name === "string" && COHERE_TYPES[name]) || "str";
}

function cohereTools(tools: ToolDefinition[]) {
  return tools.map((tool) => {
    const parameters = tool.function.parameters ?? {};
    const properties =
      typeof parameters.properties === "object" && parameters.properties !== null
        ? (parameters.properties as Record<string, unknown>)
        : {};
    const required = Array.isArray(parameters.required) ? parameters.required : [];
    const parameterDefinitions: Record<string, Record<string, unknown>> = {};
    for (const [name, schema] of Object.entries(properties)) {
      const description = (schema as { description?: unknown } | null)?.description;
      parameterDefinitions[name] = {
        ...(typeof description === "string" ? { description } : {}),
        type: cohereType(schema),
        isRequired: required.includes(name),
      };
    }
    return {
      name: tool.function.name,
      description: tool.function.description ?? "",
      parameterDefinitions,
    };
  });
}

function cohereResponseFormat(format: ResponseFormat): Record<string, unknown> {
  switch (format.type) {
    case "text":
      return { type: "TEXT" };
    case "json_object":
      return { type: "JSON_OBJECT" };
    case "json_schema":
      return format.json_schema.schema
        ? { type: "JSON_OBJECT", schema: format.json_schema.schema }
        : { type: "JSON_OBJECT" };
    default: {
      const exhaustive: never = format;
      throw new Error(`unknown response format ${JSON.stringify(exhaustive)}`);
    }
  }
}

export interface CohereConversation {
  message: string;
  chatHistory: CohereMessage[];
  preambleOverride: string | null;
  toolResults: CohereToolResult[];
}

/**
 * Command R takes the newest user turn as `message` and everything else as `chatHistory`.
 * Leading system messages become the preamble; tool results after the last assistant turn are
 * the top-level `toolResults`; earlier ones are batched into a TOOL history entry. Each result
 * names the call it answers (name and parameters, looked up by tool-call id).
 */
export function convertToCohereConversation(messages: Message[]): CohereConversation {
  let preambleEnd = 0;
  while (messages[preambleEnd]?.role === "system") preambleEnd += 1;
  const preamble = messages
    .slice(0, preambleEnd)
    .map((message) => message.content ?? "")
    .filter((content) => content !== "")
    .join("\n\n");
  const rest = messages.slice(preambleEnd);

  let lastUser = -1;
  let lastAssistant = -1;
  rest.forEach((message, index) => {
    if (message.role === "user") lastUser = index;
    if (message.role === "assistant") lastAssistant = index;
  });

  const callsById = new Map<string, ToolCall>();
  for (const message of rest) {
    if (message.role === "assistant") {
      for (const toolCall of message.toolCalls ?? []) callsById.set(toolCall.id, toolCall);
    }
  }
  const toToolResult = (message: Extract<Message, { role: "tool" }>): CohereToolResult => {
    const call = callsById.get(message.toolCallId);
    return {
      call: { name: call?.name ?? message.name ?? "", parameters: call?.arguments ?? {} },
      outputs: [{ output: message.content }],
    };
  };

  const chatHistory: CohereMessage[] = [];
  const toolResults: CohereToolResult[] = [];
  let pendingResults: CohereToolResult[] = [];
  const flushPending = () => {
    if (pendingResults.length > 0) chatHistory.push({ role: "TOOL", toolResults: pendingResults });
    pendingResults = [];
  };

  rest.forEach((message, index) => {
    if (message.role === "tool") {
      if (index > lastAssistant) toolResults.push(toToolResult(message));
      else pendingResults.push(toToolResult(message));
      return;
    }
    flushPending();
    switch (message.role) {
      case "user":
        if (index !== lastUser) {
          chatHistory.push({ role: "USER", message: contentText(message.content) });
        }
        break;
      case "system":
        chatHistory.push({ role: "SYSTEM", message: message.content });
        break;
      case "assistant": {
        const entry: CohereMessage = { role: "CHATBOT", message: message.content || " " };
        if (message.toolCalls?.length) {
          entry.toolCalls = message.toolCalls.map((toolCall) => ({
            name: toolCall.name,
            parameters: toolCall.arguments,
          }));
        }
        chatHistory.push(entry);
        break;
      }
      default: {
        const exhaustive: never = message;
        throw new Error(`unknown message role in ${JSON.stringify(exhaustive)}`);
      }
    }
  });
  flushPending();

  const lastUserMessage = lastUser >= 0 ? rest[lastUser] : undefined;
  return {
    message: lastUserMessage?.role === "user" ? contentText(lastUserMessage.content) : "",
    chatHistory,
    preambleOverride: preamble === "" ? null : preamble,
    toolResults,
  };
}

// ---------------------------------------------------------------------------------------------

const PROMPT_CACHE_REASON = "OCI's native chat API has no prompt-cache control";
const REASONING_REASON =
  "reasoning models (o1, o3, o4, gpt-5) accept only their default sampling settings";

export function buildOciChatDetails({
  modelId,
  compartmentId,
  messages,
  callOptions,
  stream,
}: {
  modelId: string;
  compartmentId: string | null;
  messages: Message[];
  callOptions: CallOptions;
  stream: boolean;
}): { body: OciChatDetails; unsupported: UnsupportedParameter[] } {
  const apiFormat = ociApiFormatFor(modelId);
  const unsupported: UnsupportedParameter[] = [];
  const chatRequest: OciChatDetails["chatRequest"] = { apiFormat };
  const options = callOptions;

  if (apiFormat === "COHERE") {
    const conversation = convertToCohereConversation(messages);
    chatRequest.message = conversation.message;
    if (conversation.chatHistory.length > 0) chatRequest.chatHistory = conversation.chatHistory;
    if (conversation.preambleOverride !== null) {
      chatRequest.preambleOverride = conversation.preambleOverride;
    }
    if (conversation.toolResults.length > 0) chatRequest.toolResults = conversation.toolResults;
  } else {
    chatRequest.messages = convertToGenericMessages(messages);
  }
  if (stream) {
    chatRequest.isStream = true;
    chatRequest.streamOptions = { isIncludeUsage: true };
  }

  const reasoning = apiFormat === "GENERIC" && isNativeReasoningModel(modelId);
  if (options.maxTokens !== undefined) {
    chatRequest[reasoning ? "maxCompletionTokens" : "maxTokens"] = options.maxTokens;
  }
  const sampling = [
    ["temperature", options.temperature],
    ["topP", options.topP],
    ["frequencyPenalty", options.frequencyPenalty],
    ["presencePenalty", options.presencePenalty],
  ] as const;
  for (const [name, value] of sampling) {
    if (value === undefined) continue;
    if (reasoning) unsupported.push({ parameter: name, reason: REASONING_REASON });
    else chatRequest[name] = value;
  }
  if (options.seed !== undefined) chatRequest.seed = options.seed;
  if (options.stop?.length) {
    if (reasoning) unsupported.push({ parameter: "stop", reason: REASONING_REASON });
    else chatRequest[apiFormat === "COHERE" ? "stopSequences" : "stop"] = options.stop;
  }
  if (options.responseFormat) {
    chatRequest.responseFormat =
      apiFormat === "COHERE"
        ? cohereResponseFormat(options.responseFormat)
        : genericResponseFormat(options.responseFormat);
  }
  if (options.tools?.length) {
    chatRequest.tools =
      apiFormat === "COHERE" ? cohereTools(options.tools) : genericTools(options.tools);
  }
  if (options.promptCache) {
    unsupported.push({ parameter: "promptCache", reason: PROMPT_CACHE_REASON });
  }
  if (options.reasoningEffort !== undefined) {
    if (reasoning) chatRequest.reasoningEffort = options.reasoningEffort.toUpperCase();
    else {
      unsupported.push({
        parameter: "reasoningEffort",
        reason: "only OpenAI reasoning models on OCI's native API take reasoningEffort",
      });
    }
  }

  return {
    body: { compartmentId, servingMode: ociServingModeFor(modelId), chatRequest },
    unsupported,
  };
}
