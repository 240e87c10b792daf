/**
 * Shared set-up for the runs integration tests and the stream-overhead benchmark: fake OpenAI
 * and Anthropic servers speaking their real SSE wire formats, a temporary SQLite file, and the
 * app's route handlers served over HTTP. Nothing here reaches beyond 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunEvent } from "@/lib/runs/run-events";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import {
  type FakeHandler,
  type FakeServer,
  type RecordedRequest,
  type SseFrame,
  startFakeServer,
  writeJson,
  writeSse,
} from "@/test/support/fake-http-server";
import { followSseData, parseSseData } from "@/test/support/sse";

export const PLANTED_OPENAI_KEY = "sk-test-PLANTED0123456789abcdef";
export const PLANTED_ANTHROPIC_KEY = "sk-ant-test_PLANTED_0123456789abcdef";

export interface OpenAIUsageWire {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

/** A chat-completions stream: role chunk, one chunk per piece, finish, usage, `[DONE]`. */
export function openAIStreamFrames(options: {
  model: string;
  pieces: string[];
  usage?: OpenAIUsageWire;
  finishReason?: string;
}): Array<SseFrame | string> {
  const base = {
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: options.model,
  };
  const frames: Array<SseFrame | string> = [
    {
      data: {
        ...base,
        choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
        usage: null,
      },
    },
  ];
  for (const piece of options.pieces) {
    frames.push({
      data: {
        ...base,
        choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
        usage: null,
      },
    });
  }
  frames.push({
    data: {
      ...base,
      choices: [{ index: 0, delta: {}, finish_reason: options.finishReason ?? "stop" }],
      usage: null,
    },
  });
  const usage = options.usage ?? { prompt_tokens: 12, completion_tokens: options.pieces.length };
  frames.push({
    data: {
      ...base,
      choices: [],
      usage: { total_tokens: usage.prompt_tokens + usage.completion_tokens, ...usage },
    },
  });
  frames.push("[DONE]");
  return frames;
}

export interface AnthropicUsageWire {
  input_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  /** The TTL split of `cache_creation_input_tokens`. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  /** Cumulative output counts, one `message_delta` each (the last is the total). */
  output_tokens: number[];
}

/** A Messages stream: message_start, one text block, cumulative message_delta(s), stop. */
export function anthropicStreamFrames(options: {
  model: string;
  pieces: string[];
  usage?: AnthropicUsageWire;
  stopReason?: string;
}): SseFrame[] {
  const usage = options.usage ?? { input_tokens: 12, output_tokens: [options.pieces.length] };
  const frames: SseFrame[] = [
    {
      event: "message_start",
      data: {
        type: "message_start",
        message: {
          id: "msg_fake",
          type: "message",
          role: "assistant",
          model: options.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: usage.input_tokens,
            cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
            cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
            ...(usage.cache_creation ? { cache_creation: usage.cache_creation } : {}),
            output_tokens: 1,
          },
        },
      },
    },
    {
      event: "content_block_start",
      data: { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
    },
  ];
  for (const piece of options.pieces) {
    frames.push({
      event: "content_block_delta",
      data: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: piece } },
    });
  }
  frames.push({ event: "content_block_stop", data: { type: "content_block_stop", index: 0 } });
  for (const [position, outputTokens] of usage.output_tokens.entries()) {
    const last = position === usage.output_tokens.length - 1;
    frames.push({
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: {
          stop_reason: last ? (options.stopReason ?? "end_turn") : null,
          stop_sequence: null,
        },
        usage: { output_tokens: outputTokens },
      },
    });
  }
  frames.push({ event: "message_stop", data: { type: "message_stop" } });
  return frames;
}

export function modelOf(request: RecordedRequest): string {
  const body = request.json() as { model?: unknown };
  return typeof body.model === "string" ? body.model : "";
}

/** Splits a text into word pieces that rejoin exactly. */
export function piecesOf(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

export function answerFor(model: string): string {
  return `Answer from ${model}: write-ahead logging keeps readers and writers apart.`;
}

/** Serves every model with `answerFor(model)`; `delayMs` paces the frames. */
export function openAIAnswering(options: { delayMs?: number } = {}): FakeHandler {
  return (request, response) =>
    writeSse(
      response,
      openAIStreamFrames({
        model: modelOf(request),
        pieces: piecesOf(answerFor(modelOf(request))),
      }),
      {
        delayMs: options.delayMs,
      },
    );
}

export function anthropicAnswering(options: { delayMs?: number } = {}): FakeHandler {
  return (request, response) =>
    writeSse(
      response,
      anthropicStreamFrames({
        model: modelOf(request),
        pieces: piecesOf(answerFor(modelOf(request))),
      }),
      {
        delayMs: options.delayMs,
      },
    );
}

export function openAIError(
  response: ServerResponse,
  status: number,
  message: string,
  code: string | null = null,
) {
  writeJson(response, status, { error: { message, type: "server_error", param: null, code } });
}

export interface IntegrationEnvironment {
  app: AppServer;
  openai: FakeServer;
  anthropic: FakeServer;
  directory: string;
  databasePath: string;
  close: () => Promise<void>;
}

/**
 * Points the real adapters at fresh fakes (through the SDKs' own environment variables) and
 * the database at a temporary file, then serves the routes. Call once per test file: the
 * database connection and the run manager are process-wide.
 */
export async function startIntegrationEnvironment(
  options: { openai?: FakeHandler; anthropic?: FakeHandler; useProxy?: boolean } = {},
): Promise<IntegrationEnvironment> {
  const directory = mkdtempSync(path.join(tmpdir(), "locus-runs-"));
  const databasePath = path.join(directory, "playground.db");
  const openai = await startFakeServer(options.openai ?? openAIAnswering());
  const anthropic = await startFakeServer(options.anthropic ?? anthropicAnswering());
  process.env.DATABASE_URL = `file:${databasePath}`;
  process.env.OPENAI_BASE_URL = `${openai.url}/v1`;
  process.env.OPENAI_API_KEY = PLANTED_OPENAI_KEY;
  process.env.ANTHROPIC_BASE_URL = anthropic.url;
  process.env.ANTHROPIC_API_KEY = PLANTED_ANTHROPIC_KEY;
  // An unreachable Ollama keeps GET /api/models from looking for a real one.
  process.env.OLLAMA_HOST ??= "http://127.0.0.1:9";
  const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
  recoverInterruptedCalls();
  const app = await startAppServer({ useProxy: options.useProxy });
  return {
    app,
    openai,
    anthropic,
    directory,
    databasePath,
    close: async () => {
      await app.close();
      await openai.close();
      await anthropic.close();
      const { getTracer } = await import("@/lib/tracing");
      await getTracer().flush();
      const { closeDatabase, getDb } = await import("@/lib/db/client");
      closeDatabase(getDb());
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export async function flushRecorder(): Promise<void> {
  const { getTracer } = await import("@/lib/tracing");
  await getTracer().flush();
}

export function postRun(
  app: AppServer,
  body: unknown,
  init: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(`${app.url}/api/runs`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal: init.signal,
  });
}

export async function readEvents(response: Response): Promise<RunEvent[]> {
  return parseSseData(await response.text()) as RunEvent[];
}

/**
 * Reads SSE events as they arrive and calls `onEvent` for each; stops (and releases the
 * connection) when `onEvent` returns `"stop"`.
 */
export async function followEvents(
  response: Response,
  onEvent: (event: RunEvent) => unknown,
): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  if (!response.body) return events;
  await followSseData(response.body, (data) => {
    const event = data as RunEvent;
    events.push(event);
    return onEvent(event);
  });
  return events;
}

export function textOf(events: RunEvent[], index: number): string {
  return events
    .map((event) => (event.type === "text-delta" && event.index === index ? event.delta : ""))
    .join("");
}

export function finishOf(events: RunEvent[], index: number) {
  return events.find(
    (event): event is Extract<RunEvent, { type: "call-finish" }> =>
      event.type === "call-finish" && event.index === index,
  );
}
