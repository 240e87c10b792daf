/**
 * `POST /v1/messages` bodies (Anthropic's wire format) → a `GatewayCall`. A user turn's
 * `tool_result` blocks become tool messages ahead of its text, the order Anthropic reads
 * them in; `thinking` blocks are dropped (only an Anthropic upstream could use them, and only
 * with their signatures, which the run path does not carry yet).
 */
import { z } from "zod";
import type { ToolCall, ToolDefinition } from "@/lib/models";
import type { RunMessage } from "@/lib/runs/run-request";
import type { CallParameters } from "@/lib/tracing/types";
import { formatZodIssues } from "@/lib/zod-issues";
import { type GatewayCall, GatewayInputError } from "./gateway-call";

const blockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
  tool_use_id: z.string().optional(),
  content: z.unknown().optional(),
  is_error: z.boolean().optional(),
  cache_control: z.unknown().optional(),
});

const messageSchema = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: z.union([z.string(), z.array(blockSchema)]),
});

const toolSchema = z.looseObject({
  type: z.string().optional(),
  name: z.string().min(1).max(128),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  cache_control: z.unknown().optional(),
});

const formatSchema = z.looseObject({
  type: z.literal("json_schema"),
  schema: z.record(z.string(), z.unknown()),
});

const messagesRequestSchema = z.looseObject({
  model: z.string().min(1, "model is required"),
  max_tokens: z.number().int().positive().optional(),
  system: z.union([z.string(), z.array(blockSchema)]).optional(),
  messages: z.array(messageSchema).min(1, "messages may not be empty"),
  tools: z.array(toolSchema).max(128).optional(),
  tool_choice: z.looseObject({ type: z.string() }).optional(),
  stop_sequences: z.array(z.string()).max(16).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  stream: z.boolean().optional(),
  metadata: z.looseObject({ user_id: z.string().max(256).nullish() }).optional(),
  output_config: z.looseObject({ format: formatSchema.nullish() }).optional(),
  output_format: formatSchema.nullish(),
  cache_control: z.unknown().optional(),
});

type Block = z.infer<typeof blockSchema>;

function textOfBlocks(blocks: Block[], where: string): string {
  let text = "";
  for (const [index, block] of blocks.entries()) {
    if (block.type === "text") text += block.text ?? "";
    else {
      throw new GatewayInputError(
        `${where}[${index}]: blocks of type "${block.type}" are not supported here`,
        "unsupported_input",
      );
    }
  }
  return text;
}

function toolResultText(content: unknown, where: string): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  const blocks = z.array(blockSchema).safeParse(content);
  if (!blocks.success) throw new GatewayInputError(`${where}.content: expected text or blocks`);
  return textOfBlocks(blocks.data, `${where}.content`);
}

function userMessages(content: string | Block[], where: string): RunMessage[] {
  if (typeof content === "string") {
    if (content.trim() === "") throw new GatewayInputError(`${where}: content may not be empty`);
    return [{ role: "user", content }];
  }
  const results: RunMessage[] = [];
  let text = "";
  for (const [index, block] of content.entries()) {
    const at = `${where}.content[${index}]`;
    if (block.type === "tool_result") {
      if (!block.tool_use_id) throw new GatewayInputError(`${at}: tool_use_id is required`);
      results.push({
        role: "tool",
        content: toolResultText(block.content, at),
        toolCallId: block.tool_use_id,
        ...(block.is_error ? { isError: true } : {}),
      });
    } else if (block.type === "text") {
      text += block.text ?? "";
    } else {
      throw new GatewayInputError(
        `${at}: blocks of type "${block.type}" are not supported`,
        "unsupported_input",
      );
    }
  }
  if (text.trim() !== "") results.push({ role: "user", content: text });
  if (results.length === 0) throw new GatewayInputError(`${where}: content may not be empty`);
  return results;
}

function assistantMessage(content: string | Block[], where: string): RunMessage | null {
  if (typeof content === "string") return content === "" ? null : { role: "assistant", content };
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const [index, block] of content.entries()) {
    const at = `${where}.content[${index}]`;
    if (block.type === "text") text += block.text ?? "";
    else if (block.type === "tool_use") {
      if (!block.id || !block.name) throw new GatewayInputError(`${at}: id and name are required`);
      const input = block.input ?? {};
      if (input === null || typeof input !== "object" || Array.isArray(input)) {
        throw new GatewayInputError(`${at}.input: must be an object`);
      }
      toolCalls.push({
        id: block.id,
        name: block.name,
        arguments: input as Record<string, unknown>,
      });
    } else if (block.type === "thinking" || block.type === "redacted_thinking") {
      // See the file comment: dropped, not refused, so a client replaying a turn still works.
    } else {
      throw new GatewayInputError(
        `${at}: blocks of type "${block.type}" are not supported`,
        "unsupported_input",
      );
    }
  }
  if (text === "" && toolCalls.length === 0) return null;
  return {
    role: "assistant",
    content: text === "" ? null : text,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}

function toolsOf(tools: z.infer<typeof toolSchema>[]): ToolDefinition[] {
  return tools.map((tool, index) => {
    if (tool.type !== undefined && tool.type !== "custom") {
      throw new GatewayInputError(
        `tools[${index}]: server tools ("${tool.type}") are not supported`,
        "unsupported_input",
      );
    }
    return {
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.input_schema ?? { type: "object", properties: {} },
      },
    };
  });
}

function hasCacheControl(request: z.infer<typeof messagesRequestSchema>): boolean {
  if (request.cache_control !== undefined) return true;
  const blocks = [
    ...(Array.isArray(request.system) ? request.system : []),
    ...request.messages.flatMap((message) =>
      Array.isArray(message.content) ? message.content : [],
    ),
  ];
  return (
    blocks.some((block) => block.cache_control !== undefined) ||
    (request.tools ?? []).some((tool) => tool.cache_control !== undefined)
  );
}

export function parseAnthropicMessagesRequest(body: unknown): GatewayCall {
  const result = messagesRequestSchema.safeParse(body);
  if (!result.success) throw new GatewayInputError(formatZodIssues(result.error));
  const request = result.data;

  const messages: RunMessage[] = [];
  for (const [index, message] of request.messages.entries()) {
    const where = `messages[${index}]`;
    if (message.role === "user") messages.push(...userMessages(message.content, where));
    else {
      const assistant = assistantMessage(message.content, where);
      if (assistant) messages.push(assistant);
    }
  }
  if (messages.length === 0) throw new GatewayInputError("messages: nothing to answer");
  const system =
    typeof request.system === "string"
      ? request.system
      : request.system
        ? textOfBlocks(request.system, "system")
        : "";
  const format = request.output_config?.format ?? request.output_format;
  const params: CallParameters = {
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.top_p !== undefined ? { topP: request.top_p } : {}),
    ...(request.max_tokens !== undefined ? { maxTokens: request.max_tokens } : {}),
    ...(request.stop_sequences && request.stop_sequences.length > 0
      ? { stop: request.stop_sequences }
      : {}),
    // Our calls cache one prefix per request; any breakpoint the client set turns that on.
    ...(hasCacheControl(request) ? { promptCache: true } : {}),
  };
  const tools =
    request.tools && request.tools.length > 0 && request.tool_choice?.type !== "none"
      ? toolsOf(request.tools)
      : undefined;
  return {
    model: request.model,
    ...(system !== "" ? { system } : {}),
    messages,
    params,
    ...(tools ? { tools } : {}),
    ...(format
      ? {
          responseFormat: {
            type: "json_schema",
            json_schema: { name: "output", schema: format.schema },
          },
        }
      : {}),
    stream: request.stream === true,
    includeUsage: false,
    user: request.metadata?.user_id ?? null,
    tags: [],
  };
}
