/**
 * Shared set-up for the integration tests (Vitest only: it registers hooks): fake OpenAI
 * and Anthropic servers answering in their real SSE wire formats (generated from the recorded
 * fixtures, `test/support/wire/`), a temporary SQLite file, and the app's route handlers served
 * over HTTP. Nothing here reaches beyond 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import { type AppRoute, type AppServer, startAppServer } from "@/test/support/app-server";
import {
  type FakeHandler,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "@/test/support/fake-http-server";
import { followSseData, parseSseData } from "@/test/support/sse";
import { anthropicAnswer, openAIAnswer } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

export const PLANTED_OPENAI_KEY = "sk-test-PLANTED0123456789abcdef";
export const PLANTED_ANTHROPIC_KEY = "sk-ant-test_PLANTED_0123456789abcdef";

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
    replay(
      response,
      openAIAnswer({ model: modelOf(request), pieces: piecesOf(answerFor(modelOf(request))) }),
      { delayMs: options.delayMs },
    );
}

export function anthropicAnswering(options: { delayMs?: number } = {}): FakeHandler {
  return (request, response) =>
    replay(
      response,
      anthropicAnswer({ model: modelOf(request), pieces: piecesOf(answerFor(modelOf(request))) }),
      { delayMs: options.delayMs },
    );
}

export interface IntegrationEnvironment {
  app: AppServer;
  openai: FakeServer;
  anthropic: FakeServer;
  directory: string;
  databasePath: string;
  close: () => Promise<void>;
}

export interface IntegrationOptions {
  openai?: FakeHandler;
  anthropic?: FakeHandler;
  useProxy?: boolean;
  /** Routes to serve instead of the app server's defaults. */
  routes?: AppRoute[];
}

/**
 * Points the real adapters at fresh fakes (through the SDKs' own environment variables) and
 * the database at a temporary file, then serves the routes. Call once per test file: the
 * database connection and the run manager are process-wide.
 */
export async function startIntegrationEnvironment(
  options: IntegrationOptions = {},
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
  const app = await startAppServer({ useProxy: options.useProxy, routes: options.routes });
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

/** An environment started by `setUpIntegrationEnvironment`; its hooks own the closing. */
export type HookedIntegrationEnvironment = Readonly<Omit<IntegrationEnvironment, "close">>;

/**
 * Registers a `beforeAll` that starts the environment and an `afterAll` that closes it, for the
 * file (or `describe`) it is called in; the answer's properties read the started environment,
 * so they are for tests and later hooks only. Vitest runs `afterAll` hooks in reverse order
 * (`sequence.hooks: "stack"`): hooks registered before this call run before the start and after
 * the close, hooks registered after it run after the start and before the close.
 */
export function setUpIntegrationEnvironment(
  options: IntegrationOptions = {},
): HookedIntegrationEnvironment {
  let started: IntegrationEnvironment | undefined;
  beforeAll(async () => {
    started = await startIntegrationEnvironment(options);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  const current = (): IntegrationEnvironment => {
    if (!started) throw new Error("the integration environment is read outside its hooks");
    return started;
  };
  return {
    get app() {
      return current().app;
    },
    get openai() {
      return current().openai;
    },
    get anthropic() {
      return current().anthropic;
    },
    get directory() {
      return current().directory;
    },
    get databasePath() {
      return current().databasePath;
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
