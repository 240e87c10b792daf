/**
 * A recognisable fake key is planted as the provider key; providers echo it back in their
 * error bodies, as real ones do. It must never appear in a response body or header, an SSE
 * stream, the SQLite files, or anything written to the console.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  flushRecorder,
  modelOf,
  PLANTED_ANTHROPIC_KEY,
  PLANTED_OPENAI_KEY,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { anthropicAnswer, failureFrom, openAIAnswer } from "@/test/support/wire/answers";
import { replay, replaying } from "@/test/support/wire/replay";

const PLANTED = [PLANTED_OPENAI_KEY, PLANTED_ANTHROPIC_KEY];
/** A distinctive part of both keys, so a truncated or re-encoded copy is caught too. */
const FRAGMENT = "PLANTED0123456789";

const captured: string[] = [];
const seenByClient: string[] = [];

function capture(chunk: unknown): void {
  captured.push(
    typeof chunk === "string"
      ? chunk
      : Buffer.isBuffer(chunk)
        ? chunk.toString("utf8")
        : String(chunk),
  );
}

async function fetchText(url: string, init?: RequestInit): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  const headers = [...response.headers.entries()]
    .map(([name, value]) => `${name}: ${value}`)
    .join("\n");
  seenByClient.push(headers, text);
  return text;
}

beforeAll(() => {
  for (const method of ["error", "warn", "log", "info", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...parts: unknown[]) => {
      for (const part of parts)
        capture(part instanceof Error ? `${part.message}\n${part.stack}` : part);
    });
  }
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk, ...rest) => {
    capture(chunk);
    return stdoutWrite(chunk, ...(rest as []));
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk, ...rest) => {
    capture(chunk);
    return stderrWrite(chunk, ...(rest as []));
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

// Registered after the spies' hooks: it starts after the spies and closes before the restore.
const environment = setUpIntegrationEnvironment({
  openai: (request, response) => {
    const model = modelOf(request);
    const key = PLANTED_OPENAI_KEY;
    if (model === "gpt-bad-key") {
      return replay(
        response,
        failureFrom(
          "openai/error-401",
          `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        ),
      );
    }
    if (model === "gpt-rate-limited") {
      return replay(
        response,
        failureFrom("openai/error-429", `Rate limit reached for key ${key}`, {
          "retry-after": "0",
        }),
      );
    }
    if (model === "gpt-dropped") {
      return replaying("openai/drop-mid-stream")(request, response);
    }
    return replay(response, openAIAnswer({ model, pieces: ["all ", "good"] }));
  },
  anthropic: (request, response) => {
    const model = modelOf(request);
    if (model === "claude-bad-key") {
      return replay(
        response,
        failureFrom("anthropic/error-401", `invalid x-api-key ${PLANTED_ANTHROPIC_KEY}`),
      );
    }
    return replay(response, anthropicAnswer({ model, pieces: ["fine"] }));
  },
});

describe("the planted key", () => {
  it("goes upstream (so the test means something) and nowhere else", async () => {
    const stream = await fetchText(`${environment.app.url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: "hello" }],
        targets: [
          { model: "openai:gpt-bad-key" },
          { model: "openai:gpt-rate-limited" },
          { model: "openai:gpt-dropped" },
          { model: "openai:gpt-4o-mini" },
          { model: "anthropic:claude-bad-key" },
          { model: "anthropic:claude-haiku-4-5" },
        ],
      }),
    });
    const events = (await readEvents(new Response(stream))) as Array<{
      type: string;
      index?: number;
      status?: string;
      error?: { code: string };
    }>;
    const finishes = events.filter((event) => event.type === "call-finish");
    const codes = new Map(
      finishes.map((event) => [event.index, event.error?.code ?? event.status]),
    );
    expect(codes.get(0)).toBe("auth");
    expect(codes.get(1)).toBe("rate_limit");
    expect(codes.get(2)).toBe("connection");
    expect(codes.get(3)).toBe("ok");
    expect(codes.get(4)).toBe("auth");
    expect(codes.get(5)).toBe("ok");

    // The keys did reach the fake providers, in a header.
    const upstreamHeaders = JSON.stringify([
      ...environment.openai.requests.map((request) => request.headers),
      ...environment.anthropic.requests.map((request) => request.headers),
    ]);
    expect(upstreamHeaders).toContain(PLANTED_OPENAI_KEY);
    expect(upstreamHeaders).toContain(PLANTED_ANTHROPIC_KEY);

    const runId = (events[0] as unknown as { runId: string }).runId;
    await flushRecorder();
    for (const route of [
      `/api/runs/${runId}`,
      `/api/runs/${runId}/events`,
      "/api/runs",
      "/api/models",
      "/api/health",
    ]) {
      await fetchText(`${environment.app.url}${route}`);
    }
    // Bad input that names the key must not echo it either.
    await fetchText(`${environment.app.url}/api/runs`, {
      method: "POST",
      body: JSON.stringify({
        messages: [{ role: "user", content: "x" }],
        targets: [{ model: PLANTED_OPENAI_KEY }],
      }),
    });

    const everythingTheClientSaw = seenByClient.join("\n");
    expect(everythingTheClientSaw).toContain("authentication failed");
    for (const secret of [...PLANTED, FRAGMENT])
      expect(everythingTheClientSaw).not.toContain(secret);

    // Every byte of the database files, WAL included.
    const { getDb } = await import("@/lib/db/client");
    getDb().sqlite.pragma("wal_checkpoint(PASSIVE)");
    const files = readdirSync(environment.directory).map((name) =>
      path.join(environment.directory, name),
    );
    expect(files.some((file) => file.endsWith("playground.db"))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const secret of [...PLANTED, FRAGMENT]) {
        expect(
          bytes.includes(Buffer.from(secret, "utf8")),
          `${secret} in ${path.basename(file)}`,
        ).toBe(false);
      }
    }
    // What was recorded for the failed calls is there, just without the key.
    const recorded = JSON.stringify(
      getDb().sqlite.prepare("select error_message from calls").all(),
    );
    expect(recorded).toContain("authentication failed");

    const console = captured.join("\n");
    for (const secret of [...PLANTED, FRAGMENT]) expect(console).not.toContain(secret);
  });
});
