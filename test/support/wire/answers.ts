/**
 * Generated answers in each provider's wire format, for fakes whose content depends on the
 * request (the e2e providers, the run API's integration tests, the benchmark). Each is built
 * from a recorded fixture used as a template — its chunks' envelopes and event order — so the
 * shape of a provider's stream is written once, in `test/fixtures/`, and framed once, in
 * `replay.ts`.
 */
import {
  generatedFixture,
  loadFixture,
  messagesOf,
  type WireFixture,
  type WireMessage,
} from "./replay";

type Json = Record<string, unknown>;

const templates = new Map<string, WireMessage[]>();

/** Read once per process: fakes build an answer per request. */
function template(name: string): WireMessage[] {
  let messages = templates.get(name);
  if (!messages) {
    messages = messagesOf(loadFixture(name));
    templates.set(name, messages);
  }
  return messages;
}

function find(messages: WireMessage[], name: string, test: (data: Json) => boolean): Json {
  const found = messages.find(
    (message) =>
      typeof message.data === "object" && message.data !== null && test(message.data as Json),
  );
  if (!found) throw new Error(`the ${name} fixture lacks the frame a generated answer needs`);
  return structuredClone(found.data as Json);
}

// --- OpenAI chat completions (also OCI's OpenAI-compatible path) ----------------------------

export interface OpenAIUsageWire {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number };
}

export interface ToolCallWire {
  id: string;
  name: string;
  /** The arguments' JSON text; streamed in two fragments, as OpenAI splits it. */
  arguments: string;
}

function choiceOf(chunk: Json): Json {
  return ((chunk.choices as Json[] | undefined) ?? [])[0] ?? {};
}

/**
 * A chat-completions stream shaped like `openai/text`: role chunk, one chunk per piece, then
 * tool-call chunks (shaped like `openai/tool-calls`), the finish chunk, the usage chunk and
 * `[DONE]`.
 */
export function openAIAnswer(options: {
  model: string;
  pieces: string[];
  usage?: OpenAIUsageWire;
  finishReason?: string;
  toolCalls?: ToolCallWire[];
}): WireFixture {
  const text = template("openai/text");
  const withModel = (chunk: Json) => ({ ...chunk, model: options.model });
  const role = withModel(
    find(text, "openai/text", (data) => Boolean((choiceOf(data).delta as Json)?.role)),
  );
  const content = withModel(
    find(text, "openai/text", (data) => Boolean((choiceOf(data).delta as Json)?.content)),
  );
  const finish = withModel(
    find(text, "openai/text", (data) => Boolean(choiceOf(data).finish_reason)),
  );
  const usageChunk = withModel(find(text, "openai/text", (data) => Boolean(data.usage)));
  const withChoice = (chunk: Json, change: Json) => ({
    ...chunk,
    choices: [{ ...choiceOf(chunk), ...change }],
  });
  const messages: WireMessage[] = [{ event: undefined, data: role }];
  for (const piece of options.pieces) {
    messages.push({ event: undefined, data: withChoice(content, { delta: { content: piece } }) });
  }
  for (const [index, toolCall] of (options.toolCalls ?? []).entries()) {
    const cut = Math.ceil(toolCall.arguments.length / 2);
    messages.push(
      {
        event: undefined,
        data: withChoice(content, {
          delta: {
            tool_calls: [
              {
                index,
                id: toolCall.id,
                type: "function",
                function: { name: toolCall.name, arguments: toolCall.arguments.slice(0, cut) },
              },
            ],
          },
        }),
      },
      {
        event: undefined,
        data: withChoice(content, {
          delta: {
            tool_calls: [{ index, function: { arguments: toolCall.arguments.slice(cut) } }],
          },
        }),
      },
    );
  }
  const finishReason = options.finishReason ?? (options.toolCalls?.length ? "tool_calls" : "stop");
  messages.push({ event: undefined, data: withChoice(finish, { finish_reason: finishReason }) });
  const usage = options.usage ?? { prompt_tokens: 12, completion_tokens: options.pieces.length };
  messages.push({
    event: undefined,
    data: {
      ...usageChunk,
      usage: { total_tokens: usage.prompt_tokens + usage.completion_tokens, ...usage },
    },
  });
  messages.push({ event: undefined, data: "[DONE]" });
  return generatedFixture(`openai answer for ${options.model}`, "sse", messages);
}

// --- Anthropic messages ---------------------------------------------------------------------

export interface AnthropicUsageWire {
  /** Only the tokens after the last cache breakpoint, as Anthropic counts them. */
  input_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The TTL split of `cache_creation_input_tokens`. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  /** Cumulative output counts, one `message_delta` each (the last is the total). */
  output_tokens: number[];
}

/**
 * A Messages stream shaped like `anthropic/text`: message_start, one text block with a delta
 * per piece, cumulative message_delta(s), message_stop.
 */
export function anthropicAnswer(options: {
  model: string;
  pieces: string[];
  usage?: AnthropicUsageWire;
  stopReason?: string;
}): WireFixture {
  const text = template("anthropic/text");
  const byEvent = (event: string) => find(text, "anthropic/text", (data) => data.type === event);
  const usage = options.usage ?? { input_tokens: 12, output_tokens: [options.pieces.length] };
  const start = byEvent("message_start");
  const message = start.message as Json;
  const startUsage: Json = {
    input_tokens: usage.input_tokens,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    ...(usage.cache_creation ? { cache_creation: usage.cache_creation } : {}),
    output_tokens: 1,
  };
  const delta = byEvent("content_block_delta");
  const messageDelta = byEvent("message_delta");
  const messages: WireMessage[] = [
    {
      event: "message_start",
      data: { ...start, message: { ...message, model: options.model, usage: startUsage } },
    },
    { event: "content_block_start", data: byEvent("content_block_start") },
    { event: "ping", data: byEvent("ping") },
    ...options.pieces.map((piece) => ({
      event: "content_block_delta",
      data: { ...delta, delta: { ...(delta.delta as Json), text: piece } },
    })),
    { event: "content_block_stop", data: byEvent("content_block_stop") },
    ...usage.output_tokens.map((outputTokens, position) => ({
      event: "message_delta",
      data: {
        ...messageDelta,
        delta: {
          ...(messageDelta.delta as Json),
          stop_reason:
            position === usage.output_tokens.length - 1 ? (options.stopReason ?? "end_turn") : null,
        },
        usage: { output_tokens: outputTokens },
      },
    })),
    { event: "message_stop", data: byEvent("message_stop") },
  ];
  return generatedFixture(`anthropic answer for ${options.model}`, "sse", messages);
}

// --- Ollama /api/chat -----------------------------------------------------------------------

/** An `/api/chat` NDJSON stream shaped like `ollama/text`: one object per piece, then `done`. */
export function ollamaAnswer(options: {
  model: string;
  pieces: string[];
  usage: { promptEvalCount: number; evalCount: number };
}): WireFixture {
  const text = template("ollama/text");
  const piece = find(text, "ollama/text", (data) => data.done === false);
  const done = find(text, "ollama/text", (data) => data.done === true);
  const messages: WireMessage[] = options.pieces.map((content) => ({
    event: undefined,
    data: {
      ...piece,
      model: options.model,
      message: { ...(piece.message as Json), content },
    },
  }));
  messages.push({
    event: undefined,
    data: {
      ...done,
      model: options.model,
      prompt_eval_count: options.usage.promptEvalCount,
      eval_count: options.usage.evalCount,
    },
  });
  return generatedFixture(`ollama answer for ${options.model}`, "ndjson", messages);
}

// --- errors -----------------------------------------------------------------------------------

/**
 * A recorded HTTP error (`openai/error-500`, `anthropic/error-401`, `ollama/error-500`, …) with
 * its message replaced where that provider puts it (`error.message`, `error` or `message`), for
 * fakes that must echo something of the request (a planted key, a model name).
 */
export function failureFrom(
  name: string,
  message: string,
  headers: Record<string, string> = {},
): WireFixture {
  const fixture = loadFixture(name);
  const body = JSON.parse(fixture.frames.join("")) as Json;
  const error = body.error;
  const changed =
    typeof error === "string"
      ? { ...body, error: message }
      : typeof error === "object" && error !== null
        ? { ...body, error: { ...(error as Json), message } }
        : { ...body, message };
  return {
    ...fixture,
    name: `${name} (${message})`,
    headers: { ...fixture.headers, ...headers },
    frames: [JSON.stringify(changed)],
  };
}
