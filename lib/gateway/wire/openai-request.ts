/**
 * `POST /v1/chat/completions` bodies (OpenAI's wire format) → a `GatewayCall`. Fields a
 * client may send that have no meaning here (`logprobs`, `parallel_tool_calls` …) are
 * ignored, as OpenAI-compatible servers do; fields we cannot honour (`n` > 1, images until
 * the messages carry them) are refused rather than silently answered wrong.
 */
import { z } from "zod";
import type { ResponseFormat, ToolCall, ToolDefinition } from "@/lib/models";
import type { RunMessage } from "@/lib/runs/run-request";
import type { CallParameters } from "@/lib/tracing/types";
import { formatZodIssues } from "@/lib/zod-issues";
import { type GatewayCall, GatewayInputError, parseToolArguments } from "./gateway-call";

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
const contentSchema = z.union([z.string(), z.array(contentPartSchema)]).nullish();

const toolCallSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal("function").optional(),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: contentSchema }),
  z.looseObject({ role: z.literal("developer"), content: contentSchema }),
  z.looseObject({ role: z.literal("user"), content: contentSchema }),
  z.looseObject({
    role: z.literal("assistant"),
    content: contentSchema,
    tool_calls: z.array(toolCallSchema).nullish(),
  }),
  z.looseObject({
    role: z.literal("tool"),
    content: contentSchema,
    tool_call_id: z.string().min(1),
  }),
]);

const toolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1).max(128),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const responseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const chatCompletionSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  messages: z.array(messageSchema).min(1, "messages may not be empty"),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  tools: z.array(toolSchema).max(128).nullish(),
  tool_choice: z.unknown().optional(),
  response_format: responseFormatSchema.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(16)]).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  n: z.number().int().nullish(),
  user: z.string().max(256).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

/** The text of a message's content; an image part is refused until messages carry images. */
function textOf(content: z.infer<typeof contentSchema>, where: string): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  let text = "";
  for (const [index, part] of content.entries()) {
    if (part.type === "text" && typeof part.text === "string") {
      text += part.text;
      continue;
    }
    throw new GatewayInputError(
      `${where}.content[${index}]: parts of type "${part.type}" are not supported`,
      "unsupported_input",
    );
  }
  return text;
}

function toolCallsOf(calls: z.infer<typeof toolCallSchema>[], where: string): ToolCall[] {
  return calls.map((call, index) => ({
    id: call.id,
    name: call.function.name,
    arguments: parseToolArguments(call.function.arguments, `${where}.tool_calls[${index}]`),
  }));
}

function toolsOf(tools: z.infer<typeof toolSchema>[]): ToolDefinition[] {
  return tools.map((tool) => ({
    type: "function",
    function: {
      name: tool.function.name,
      ...(tool.function.description !== undefined
        ? { description: tool.function.description }
        : {}),
      ...(tool.function.parameters !== undefined ? { parameters: tool.function.parameters } : {}),
      ...(typeof tool.function.strict === "boolean" ? { strict: tool.function.strict } : {}),
    },
  }));
}

function responseFormatOf(format: z.infer<typeof responseFormatSchema>): ResponseFormat {
  if (format.type !== "json_schema") return { type: format.type };
  const { name, description, schema, strict } = format.json_schema;
  return {
    type: "json_schema",
    json_schema: {
      name,
      ...(description !== undefined ? { description } : {}),
      ...(schema !== undefined ? { schema } : {}),
      ...(typeof strict === "boolean" ? { strict } : {}),
    },
  };
}

export function parseOpenAIChatRequest(body: unknown): GatewayCall {
  const result = chatCompletionSchema.safeParse(body);
  if (!result.success) throw new GatewayInputError(formatZodIssues(result.error));
  const request = result.data;
  if (request.n !== null && request.n !== undefined && request.n !== 1) {
    throw new GatewayInputError("n: only one choice per request is supported");
  }

  const systemParts: string[] = [];
  const messages: RunMessage[] = [];
  for (const [index, message] of request.messages.entries()) {
    const where = `messages[${index}]`;
    switch (message.role) {
      case "system":
      case "developer":
        systemParts.push(textOf(message.content, where));
        break;
      case "user": {
        const content = textOf(message.content, where);
        if (content.trim() === "")
          throw new GatewayInputError(`${where}: content may not be empty`);
        messages.push({ role: "user", content });
        break;
      }
      case "assistant": {
        const content = textOf(message.content, where);
        const toolCalls = toolCallsOf(message.tool_calls ?? [], where);
        if (content === "" && toolCalls.length === 0) {
          throw new GatewayInputError(`${where}: an assistant message needs content or tool_calls`);
        }
        messages.push({
          role: "assistant",
          content: content === "" ? null : content,
          ...(toolCalls.length > 0 ? { toolCalls } : {}),
        });
        break;
      }
      case "tool":
        messages.push({
          role: "tool",
          content: textOf(message.content, where),
          toolCallId: message.tool_call_id,
        });
        break;
      default: {
        const exhaustive: never = message;
        throw new GatewayInputError(`unknown role ${String(exhaustive)}`);
      }
    }
  }
  if (messages.length === 0) {
    throw new GatewayInputError("messages: at least one non-system message is required");
  }

  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  const stop = typeof request.stop === "string" ? [request.stop] : request.stop;
  const params: CallParameters = {
    ...(typeof request.temperature === "number" ? { temperature: request.temperature } : {}),
    ...(typeof request.top_p === "number" ? { topP: request.top_p } : {}),
    ...(typeof maxTokens === "number" ? { maxTokens } : {}),
    ...(typeof request.seed === "number" ? { seed: request.seed } : {}),
    ...(stop && stop.length > 0 ? { stop } : {}),
    ...(typeof request.frequency_penalty === "number"
      ? { frequencyPenalty: request.frequency_penalty }
      : {}),
    ...(typeof request.presence_penalty === "number"
      ? { presencePenalty: request.presence_penalty }
      : {}),
  };
  // `tool_choice: "none"` forbids tool calls; not offering the tools is the portable way.
  const tools =
    request.tools && request.tools.length > 0 && request.tool_choice !== "none"
      ? toolsOf(request.tools)
      : undefined;
  const system = systemParts.join("\n\n");
  return {
    model: request.model,
    ...(system !== "" ? { system } : {}),
    messages,
    params,
    ...(tools ? { tools } : {}),
    ...(request.response_format
      ? { responseFormat: responseFormatOf(request.response_format) }
      : {}),
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
    user: request.user ?? null,
    tags: Object.entries(request.metadata ?? {}).map(([key, value]) => `${key}:${value}`),
  };
}
