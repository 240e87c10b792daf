/**
 * Local stand-ins for OpenAI (`/v1/chat/completions`, SSE), Anthropic (`/v1/messages`, SSE)
 * and Ollama (`/api/chat` NDJSON, `/api/tags`) on 127.0.0.1. Answers follow `fake-script.ts`,
 * in each provider's wire format as recorded under `test/fixtures/` (`test/support/wire/`). Each server also answers
 * `GET /__log` (what it was asked, when each response started and ended, and whether the
 * client hung up) so specs can check parallelism and upstream aborts; `POST /__reset` clears it.
 *
 * `POST /__ollama-tags {"tags": "listed" | "empty" | "down"}`, answered by every fake, switches
 * the Ollama fake for the picker spec: its one model listed (the default), a reachable server
 * with no models pulled, or no server at all (its port stops listening until switched back,
 * which is why the other fakes answer this too).
 *
 * Run directly (`tsx e2e/fake-providers.ts`) it listens on `FAKE_OPENAI_PORT`,
 * `FAKE_ANTHROPIC_PORT` and `FAKE_OLLAMA_PORT` (0 = any free port) and prints one line,
 * `FAKE_PROVIDERS_READY {json of the base URLs}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import {
  anthropicAnswer,
  failureFrom,
  ollamaAnswer,
  openAIAnswer,
} from "../test/support/wire/answers";
import { loadFixture, replay, type WireFixture } from "../test/support/wire/replay";
import {
  FAKE_OLLAMA_MODEL,
  type FakeAnswer,
  type FakeProvider,
  fakeAnswer,
  REASONING_FIXTURES,
} from "./fake-script";
import { answerScriptedFailure } from "./fake-scripted-failures";

export interface FakeLogEntry {
  provider: FakeProvider;
  path: string;
  model: string | null;
  prompt: string;
  startedAt: number;
  endedAt: number | null;
  /** The client closed the connection before the answer was complete. */
  aborted: boolean;
  status: number;
  /** The request body as received. */
  body: Record<string, unknown>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

type Json = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((block) =>
        typeof block === "object" && block !== null && typeof (block as Json).text === "string"
          ? ((block as Json).text as string)
          : "",
      )
      .join("");
  }
  return "";
}

/** The last user message's text: what the script keys on. */
function lastUserPrompt(body: Json): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message?.role === "user") return textOf(message.content);
  }
  return "";
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** The recorded 500 of each provider, saying it is the fake's doing. */
function failure(provider: FakeProvider, status: number): WireFixture {
  const recorded = failureFrom(
    `${provider}/error-500`,
    `the fake ${provider} server failed on purpose`,
  );
  return { ...recorded, status };
}

function openAiAnswer(body: Json, answer: FakeAnswer): WireFixture {
  const toolCall = answer.toolCall;
  return openAIAnswer({
    model: String(body.model ?? "gpt-4o-mini"),
    pieces: answer.chunks,
    toolCalls: toolCall
      ? [{ id: toolCall.id, name: toolCall.name, arguments: JSON.stringify(toolCall.arguments) }]
      : [],
    usage: {
      prompt_tokens: answer.usage.inputTokens,
      completion_tokens: answer.usage.outputTokens,
      prompt_tokens_details: { cached_tokens: answer.usage.cacheReadTokens ?? 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  });
}

function anthropicAnswerFor(body: Json, answer: FakeAnswer): WireFixture {
  // Anthropic's input_tokens excludes the cached part; the adapter adds reads and writes back.
  const cacheRead = answer.usage.cacheReadTokens ?? 0;
  const cacheWrite = answer.usage.cacheWriteTokens ?? 0;
  return anthropicAnswer({
    model: String(body.model ?? "claude-haiku-4-5"),
    pieces: answer.chunks,
    usage: {
      input_tokens: answer.usage.inputTokens - cacheRead - cacheWrite,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      output_tokens: [answer.usage.outputTokens],
    },
  });
}

function ollamaAnswerFor(body: Json, answer: FakeAnswer): WireFixture {
  return ollamaAnswer({
    model: String(body.model ?? FAKE_OLLAMA_MODEL),
    pieces: answer.chunks,
    usage: { promptEvalCount: answer.usage.inputTokens, evalCount: answer.usage.outputTokens },
  });
}

const ANSWERS: Record<FakeProvider, (body: Json, answer: FakeAnswer) => WireFixture> = {
  openai: openAiAnswer,
  anthropic: anthropicAnswerFor,
  ollama: ollamaAnswerFor,
};

const CHAT_PATHS: Record<FakeProvider, string> = {
  openai: "/v1/chat/completions",
  anthropic: "/v1/messages",
  ollama: "/api/chat",
};

export const OLLAMA_TAGS_MODES = ["listed", "empty", "down"] as const;
export type OllamaTagsMode = (typeof OLLAMA_TAGS_MODES)[number];

/** What the Ollama fake's `/api/tags` answers, and the switch every fake exposes. */
interface OllamaTagsControl {
  mode: () => OllamaTagsMode;
  set: (mode: OllamaTagsMode) => Promise<void>;
}

function isOllamaTagsMode(value: unknown): value is OllamaTagsMode {
  return (OLLAMA_TAGS_MODES as readonly unknown[]).includes(value);
}

function startProviderServer(
  provider: FakeProvider,
  port: number,
  ollamaTags: OllamaTagsControl,
): Promise<{ server: Server; url: string }> {
  const log: FakeLogEntry[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      const text = await readBody(request);
      if (url.pathname === "/__health") return json(response, 200, { ok: true });
      if (url.pathname === "/__ollama-tags" && request.method === "POST") {
        let tags: unknown;
        try {
          tags = (JSON.parse(text) as Json).tags;
        } catch {
          tags = undefined;
        }
        if (!isOllamaTagsMode(tags)) {
          return json(response, 400, { error: { message: `tags: one of ${OLLAMA_TAGS_MODES}` } });
        }
        await ollamaTags.set(tags);
        return json(response, 200, { tags });
      }
      if (url.pathname === "/__log") return json(response, 200, log);
      if (url.pathname === "/__reset" && request.method === "POST") {
        log.length = 0;
        return json(response, 200, { ok: true });
      }
      if (provider === "ollama" && url.pathname === "/api/tags") {
        if (ollamaTags.mode() === "empty") return json(response, 200, { models: [] });
        return json(response, 200, {
          models: [
            {
              name: FAKE_OLLAMA_MODEL,
              model: FAKE_OLLAMA_MODEL,
              modified_at: "2025-01-01T00:00:00Z",
              size: 1,
              digest: "fake",
              details: { format: "gguf", family: "llama", parameter_size: "1B" },
            },
          ],
        });
      }
      if (request.method !== "POST" || url.pathname !== CHAT_PATHS[provider]) {
        return json(response, 404, { error: { message: `no route ${url.pathname}` } });
      }
      let body: Json;
      try {
        body = JSON.parse(text) as Json;
      } catch {
        return json(response, 400, { error: { message: "not JSON" } });
      }
      const prompt = lastUserPrompt(body);
      const answer = fakeAnswer({ provider, prompt });
      const entry: FakeLogEntry = {
        provider,
        path: url.pathname,
        model: typeof body.model === "string" ? body.model : null,
        prompt,
        startedAt: Date.now(),
        endedAt: null,
        aborted: false,
        status: answer.failStatus ?? 200,
        body,
      };
      log.push(entry);
      response.on("close", () => {
        entry.endedAt = Date.now();
        entry.aborted = !response.writableFinished;
      });
      if (provider === "openai" && answerScriptedFailure({ response, prompt })) return;
      if (prompt.includes("[reasoning]")) {
        await replay(response, loadFixture(REASONING_FIXTURES[provider]), { delayMs: 25 });
      } else if (answer.failStatus !== null)
        await replay(response, failure(provider, answer.failStatus));
      else await replay(response, ANSWERS[provider](body, answer), { delayMs: answer.delayMs });
    })().catch((error: unknown) => {
      if (!response.headersSent) json(response, 599, { error: String(error) });
      else response.destroy();
    });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const address = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${address.port}` });
    });
  });
}

export interface FakeProviders {
  urls: Record<FakeProvider, string>;
  close: () => Promise<void>;
}

export async function startFakeProviders(
  ports: Partial<Record<FakeProvider, number>> = {},
): Promise<FakeProviders> {
  let tagsMode: OllamaTagsMode = "listed";
  let ollamaServer: Server | null = null;
  let ollamaPort = 0;
  const ollamaTags: OllamaTagsControl = {
    mode: () => tagsMode,
    set: async (mode) => {
      tagsMode = mode;
      const server = ollamaServer;
      if (!server) return;
      if (mode === "down" && server.listening) {
        // Nothing listens on the port: connections are refused, as with a stopped Ollama.
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      } else if (mode !== "down" && !server.listening) {
        await new Promise<void>((resolve) => server.listen(ollamaPort, "127.0.0.1", resolve));
      }
    },
  };
  const [openai, anthropic, ollama] = await Promise.all([
    startProviderServer("openai", ports.openai ?? 0, ollamaTags),
    startProviderServer("anthropic", ports.anthropic ?? 0, ollamaTags),
    startProviderServer("ollama", ports.ollama ?? 0, ollamaTags),
  ]);
  ollamaServer = ollama.server;
  ollamaPort = Number(new URL(ollama.url).port);
  const servers = [openai, anthropic, ollama];
  return {
    urls: { openai: openai.url, anthropic: anthropic.url, ollama: ollama.url },
    close: async () => {
      await Promise.all(
        servers
          .filter(({ server }) => server.listening)
          .map(
            ({ server }) =>
              new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
              }),
          ),
      );
    },
  };
}

/** The environment that points the app's providers at the fakes. */
export function appEnvironmentFor(urls: Record<FakeProvider, string>): Record<string, string> {
  return {
    OPENAI_API_KEY: "sk-fake-e2e-openai",
    OPENAI_BASE_URL: `${urls.openai}/v1`,
    ANTHROPIC_API_KEY: "sk-ant-fake-e2e",
    ANTHROPIC_BASE_URL: urls.anthropic,
    OLLAMA_HOST: urls.ollama,
  };
}

const runDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  const port = (name: string) => Number(process.env[name] ?? 0) || 0;
  const fakes = await startFakeProviders({
    openai: port("FAKE_OPENAI_PORT"),
    anthropic: port("FAKE_ANTHROPIC_PORT"),
    ollama: port("FAKE_OLLAMA_PORT"),
  });
  console.log(`FAKE_PROVIDERS_READY ${JSON.stringify(fakes.urls)}`);
  const stop = () => {
    void fakes.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
