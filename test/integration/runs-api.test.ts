/**
 * The runs API over real HTTP: route handlers behind the proxy, real adapters and SDKs against
 * local fake provider servers, and a real SQLite file.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { reloadServerEnvironment } from "@/lib/env";
import type { RunEvent } from "@/lib/runs/run-events";
import { sleep, startFakeServer, writeJson } from "@/test/support/fake-http-server";
import {
  answerFor,
  anthropicAnswering,
  finishOf,
  flushRecorder,
  followEvents,
  modelOf,
  openAIAnswering,
  piecesOf,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
  textOf,
} from "@/test/support/runs-integration";
import { anthropicAnswer, failureFrom, openAIAnswer } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

const environment = setUpIntegrationEnvironment();

beforeEach(() => {
  environment.openai.setHandler(openAIAnswering());
  environment.anthropic.setHandler(anthropicAnswering());
});

const prompt = [{ role: "user", content: "Explain WAL mode in one paragraph." }];

async function getRun(id: string) {
  const response = await fetch(`${environment.app.url}/api/runs/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    id: string;
    calls: Array<{ index: number; status: string; output: string; error: { code: string } | null }>;
  };
}

describe("POST /api/runs", () => {
  it("runs four targets at once; one failing (500) ends only its own column", async () => {
    environment.openai.setHandler((request, response) => {
      if (modelOf(request) === "gpt-4o-broken") {
        return replay(response, failureFrom("openai/error-500", "upstream exploded"));
      }
      return openAIAnswering({ delayMs: 2 })(request, response);
    });
    const response = await postRun(environment.app, {
      messages: prompt,
      targets: [
        { model: "openai:gpt-4o-mini", params: { temperature: 0.2, maxTokens: 400 } },
        { model: "anthropic:claude-haiku-4-5", params: { promptCache: true } },
        { model: "openai:gpt-4o-broken" },
        { model: "demo:fast" },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    const events = await readEvents(response);

    const start = events[0];
    expect(start?.type).toBe("run-start");
    if (start?.type !== "run-start") throw new Error("no run-start");
    expect(start.calls.map((call) => call.model)).toEqual([
      "openai:gpt-4o-mini",
      "anthropic:claude-haiku-4-5",
      "openai:gpt-4o-broken",
      "demo:fast",
    ]);
    expect(events.at(-1)).toEqual({ type: "run-finish", runId: start.runId });

    expect(textOf(events, 0)).toBe(answerFor("gpt-4o-mini"));
    expect(textOf(events, 1)).toBe(answerFor("claude-haiku-4-5"));
    expect(textOf(events, 3)).toContain("Simulated answer");
    for (const index of [0, 1, 3]) {
      expect(finishOf(events, index)).toMatchObject({ status: "ok", stopReason: "stop" });
    }
    const failed = finishOf(events, 2);
    expect(failed).toMatchObject({
      status: "error",
      stopReason: "error",
      error: { code: "server_error" },
    });
    expect(typeof failed?.error?.message).toBe("string");
    expect(finishOf(events, 0)?.usage).toMatchObject({
      inputTokens: 12,
      outputTokens: expect.any(Number),
    });
    expect(finishOf(events, 3)?.costUsd).toBe(0);

    await flushRecorder();
    const recorded = await getRun(start.runId);
    expect(recorded.calls.map((call) => call.status)).toEqual(["ok", "ok", "error", "ok"]);
    expect(recorded.calls[0]?.output).toBe(answerFor("gpt-4o-mini"));
    expect(recorded.calls[2]?.error?.code).toBe("server_error");
  });

  it("passes params, the system prompt override and tools to the provider", async () => {
    const tools = [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Weather",
          parameters: { type: "object", properties: {} },
        },
      },
    ];
    const response = await postRun(environment.app, {
      system: "shared system",
      messages: prompt,
      targets: [
        { model: "openai:gpt-4o-mini", params: { temperature: 0.3, maxTokens: 77, seed: 5 } },
        { model: "anthropic:claude-haiku-4-5", system: "override system" },
      ],
      tools,
    });
    await readEvents(response);
    const openaiBody = environment.openai.requests.at(-1)?.json() as Record<string, unknown>;
    expect(openaiBody).toMatchObject({ temperature: 0.3, seed: 5, stream: true });
    expect(JSON.stringify(openaiBody.messages)).toContain("shared system");
    expect(JSON.stringify(openaiBody.tools)).toContain("get_weather");
    const anthropicBody = environment.anthropic.requests.at(-1)?.json() as Record<string, unknown>;
    expect(JSON.stringify(anthropicBody.system)).toContain("override system");
    expect(JSON.stringify(anthropicBody)).not.toContain("shared system");
  });
});

describe("cancel", () => {
  it("aborts every upstream request at once and records the calls as cancelled", async () => {
    const longAnswer = piecesOf("word ".repeat(400));
    environment.openai.setHandler((request, response) =>
      replay(response, openAIAnswer({ model: modelOf(request), pieces: longAnswer }), {
        delayMs: 20,
      }),
    );
    environment.anthropic.setHandler((request, response) =>
      replay(response, anthropicAnswer({ model: modelOf(request), pieces: longAnswer }), {
        delayMs: 20,
      }),
    );
    const openAIAbortsBefore = environment.openai.clientAborts;
    const anthropicAbortsBefore = environment.anthropic.clientAborts;
    const response = await postRun(environment.app, {
      messages: prompt,
      targets: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
    });
    let runId = "";
    const seen = new Set<number>();
    let cancelResponse: Promise<Response> | null = null;
    const events = await followEvents(response, (event) => {
      if (event.type === "run-start") runId = event.runId;
      if (event.type === "text-delta") seen.add(event.index);
      if (seen.size === 2 && cancelResponse === null) {
        cancelResponse = fetch(`${environment.app.url}/api/runs/${runId}/cancel`, {
          method: "POST",
        });
      }
    });
    const cancelled = await (cancelResponse as Promise<Response> | null);
    expect(cancelled?.status).toBe(200);
    expect(await cancelled?.json()).toMatchObject({ runId, cancelled: 2, finished: true });

    // The fakes saw their connections closed mid-stream.
    await environment.openai.waitForClientAbort();
    await environment.anthropic.waitForClientAbort();
    expect(environment.openai.clientAborts).toBeGreaterThan(openAIAbortsBefore);
    expect(environment.anthropic.clientAborts).toBeGreaterThan(anthropicAbortsBefore);

    for (const index of [0, 1]) {
      expect(finishOf(events, index)).toMatchObject({
        status: "cancelled",
        error: { code: "aborted" },
      });
    }
    expect(events.at(-1)?.type).toBe("run-finish");
    await flushRecorder();
    const recorded = await getRun(runId);
    for (const call of recorded.calls) {
      expect(call.status).toBe("cancelled");
      expect(call.output.length).toBeGreaterThan(0);
      expect(call.output.length).toBeLessThan(longAnswer.join("").length);
    }
  });

  it("answers 404 for an unknown run", async () => {
    const response = await fetch(`${environment.app.url}/api/runs/nope/cancel`, { method: "POST" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});

describe("a run belongs to the server", () => {
  /**
   * Both providers answer at `delayMs` a frame; posts a two-target run, follows it until the
   * first text-delta, then disconnects. Gives the run's id and the events read before that.
   */
  async function startAndDisconnect(options: {
    delayMs: number;
  }): Promise<{ runId: string; before: RunEvent[] }> {
    environment.openai.setHandler(openAIAnswering({ delayMs: options.delayMs }));
    environment.anthropic.setHandler(anthropicAnswering({ delayMs: options.delayMs }));
    const disconnect = new AbortController();
    const response = await postRun(
      environment.app,
      {
        messages: prompt,
        targets: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
      },
      { signal: disconnect.signal },
    );
    let runId = "";
    const before = await followEvents(response, (event) => {
      if (event.type === "run-start") runId = event.runId;
      if (event.type === "text-delta") return "stop";
    });
    disconnect.abort();
    return { runId, before };
  }

  it("goes on when the client disconnects, and /events replays then follows it", async () => {
    const { runId, before } = await startAndDisconnect({ delayMs: 15 });
    expect(before.some((event) => event.type === "run-finish")).toBe(false);

    // Reattach while the run is still going: everything so far, then live to the end.
    const reattached = await readEvents(
      await fetch(`${environment.app.url}/api/runs/${runId}/events`),
    );
    expect(reattached[0]).toMatchObject({ type: "run-start", runId });
    expect(reattached.at(-1)).toEqual({ type: "run-finish", runId });
    expect(textOf(reattached, 0)).toBe(answerFor("gpt-4o-mini"));
    expect(textOf(reattached, 1)).toBe(answerFor("claude-haiku-4-5"));
    expect(finishOf(reattached, 0)?.status).toBe("ok");
    expect(finishOf(reattached, 1)?.status).toBe("ok");

    await flushRecorder();
    const recorded = await getRun(runId);
    expect(recorded.calls.map((call) => call.output)).toEqual([
      answerFor("gpt-4o-mini"),
      answerFor("claude-haiku-4-5"),
    ]);
  });

  it("carries the server's ttftMs and elapsedMs on content events, the same in a replay", async () => {
    const { runId } = await startAndDisconnect({ delayMs: 10 });
    // Reattached mid-run: the backlog arrives at once, and still says when each token came.
    const events = await readEvents(await fetch(`${environment.app.url}/api/runs/${runId}/events`));
    for (const index of [0, 1]) {
      const deltas = events.filter(
        (event): event is Extract<RunEvent, { type: "text-delta" }> =>
          event.type === "text-delta" && event.index === index,
      );
      const finish = finishOf(events, index);
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas[0]?.ttftMs).toBe(finish?.ttftMs);
      expect(deltas.slice(1).some((delta) => delta.ttftMs !== undefined)).toBe(false);
      const elapsed = deltas.map((delta) => delta.elapsedMs ?? Number.NaN);
      expect(elapsed[0]).toBe(finish?.ttftMs);
      expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
      expect(elapsed.at(-1) ?? Number.NaN).toBeLessThanOrEqual(finish?.durationMs ?? 0);
    }
    await flushRecorder();
    const recorded = (await (await fetch(`${environment.app.url}/api/runs/${runId}`)).json()) as {
      calls: Array<{ ttftMs: number | null }>;
    };
    expect(recorded.calls.map((call) => call.ttftMs)).toEqual([
      finishOf(events, 0)?.ttftMs,
      finishOf(events, 1)?.ttftMs,
    ]);
  });

  it("shows partial output of a running call through GET /api/runs/:id", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    environment.openai.setHandler(async (request, response) => {
      const answer = openAIAnswer({
        model: modelOf(request),
        pieces: ["first half, ", "second half."],
      });
      // The role chunk and the first half; the rest once the test has read the partial run.
      await replay(response, answer, { frames: 2, ending: "hold" });
      await gate;
      await replay(response, { ...answer, frames: answer.frames.slice(2) });
    });
    const response = await postRun(environment.app, {
      messages: prompt,
      targets: [{ model: "openai:gpt-4o-mini" }],
    });
    let runId = "";
    const finished = followEvents(response, (event) => {
      if (event.type === "run-start") runId = event.runId;
    });
    while (runId === "") await sleep(5);

    let partial: { status: string; output: string } | undefined;
    for (let attempt = 0; attempt < 200; attempt += 1) {
      partial = (await getRun(runId).catch(() => undefined))?.calls[0];
      if (partial?.output) break;
      await sleep(25);
    }
    expect(partial).toMatchObject({ status: "running", output: "first half, " });
    release();
    const events = await finished;
    expect(textOf(events, 0)).toBe("first half, second half.");
  });

  it("replays a run that is no longer in memory from the database", async () => {
    const events = await readEvents(
      await postRun(environment.app, {
        messages: prompt,
        targets: [{ model: "demo:instant" }, { model: "openai:gpt-4o-mini" }],
      }),
    );
    const start = events[0] as Extract<RunEvent, { type: "run-start" }>;
    await flushRecorder();
    const { getRunManager } = await import("@/lib/runs/index");
    // Forget the live run, as after the retention window or a restart.
    (getRunManager() as unknown as { runs: Map<string, unknown> }).runs.delete(start.runId);
    const replayed = await readEvents(
      await fetch(`${environment.app.url}/api/runs/${start.runId}/events`),
    );
    expect(replayed[0]).toEqual(start);
    expect(textOf(replayed, 0)).toBe(textOf(events, 0));
    expect(textOf(replayed, 1)).toBe(answerFor("gpt-4o-mini"));
    expect(finishOf(replayed, 1)).toMatchObject({
      status: "ok",
      usage: finishOf(events, 1)?.usage,
      costUsd: finishOf(events, 1)?.costUsd,
    });
    expect(replayed.at(-1)).toEqual({ type: "run-finish", runId: start.runId });
  });

  it("answers 404 for events of an unknown run", async () => {
    const response = await fetch(`${environment.app.url}/api/runs/unknown-run/events`);
    expect(response.status).toBe(404);
  });
});

describe("GET /api/runs", () => {
  it("lists runs newest first, paged", async () => {
    for (const content of ["first listed", "second listed", "third listed"]) {
      await readEvents(
        await postRun(environment.app, {
          messages: [{ role: "user", content }],
          targets: [{ model: "demo:instant" }],
        }),
      );
      await sleep(2);
    }
    await flushRecorder();
    const first = await (await fetch(`${environment.app.url}/api/runs?limit=2`)).json();
    expect(first.runs.map((run: { title: string }) => run.title)).toEqual([
      "third listed",
      "second listed",
    ]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (
      await fetch(
        `${environment.app.url}/api/runs?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`,
      )
    ).json();
    expect(second.runs[0].title).toBe("first listed");
  });

  it("rejects a bad query with 400", async () => {
    for (const query of ["limit=0", "limit=abc", "cursor=garbage", "unknown=1"]) {
      const response = await fetch(`${environment.app.url}/api/runs?${query}`);
      expect(response.status, query).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_request");
    }
  });
});

describe("GET /api/models and /api/health", () => {
  it("lists every provider, configured or not, with what to set", async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    reloadServerEnvironment();
    try {
      const body = await (await fetch(`${environment.app.url}/api/models`)).json();
      const byId = new Map(
        body.providers.map((provider: { id: string }) => [provider.id, provider]),
      );
      expect([...byId.keys()].sort()).toEqual(["anthropic", "demo", "oci", "ollama", "openai"]);
      expect(byId.get("openai")).toMatchObject({ configuration: { configured: true } });
      expect(byId.get("anthropic")).toMatchObject({
        configuration: { configured: false, missing: ["ANTHROPIC_API_KEY"] },
      });
      expect(byId.get("demo")).toMatchObject({
        local: true,
        models: expect.arrayContaining(["demo:chat"]),
      });
      expect(byId.get("openai")).toMatchObject({
        models: expect.arrayContaining(["openai:gpt-4o-mini"]),
      });
    } finally {
      process.env.ANTHROPIC_API_KEY = saved;
      reloadServerEnvironment();
    }
  });

  it("lists Ollama's models from the live server when it is reachable", async () => {
    const ollama = await startFakeServer((request, response) => {
      if (request.url === "/api/tags") {
        writeJson(response, 200, {
          models: [
            {
              name: "llama3.2:latest",
              model: "llama3.2:latest",
              size: 1,
              digest: "a",
              details: {},
            },
            { name: "qwen3:8b", model: "qwen3:8b", size: 1, digest: "b", details: {} },
          ],
        });
      } else writeJson(response, 404, {});
    });
    const saved = process.env.OLLAMA_HOST;
    process.env.OLLAMA_HOST = ollama.url;
    reloadServerEnvironment();
    try {
      const body = await (await fetch(`${environment.app.url}/api/models`)).json();
      const listed = body.providers.find((provider: { id: string }) => provider.id === "ollama");
      expect(listed).toMatchObject({
        local: true,
        models: ["ollama:llama3.2:latest", "ollama:qwen3:8b"],
      });
      expect(ollama.requests.some((request) => request.url === "/api/tags")).toBe(true);
    } finally {
      process.env.OLLAMA_HOST = saved;
      reloadServerEnvironment();
      await ollama.close();
    }
    // Not reachable: the provider is still listed, with no models, and nothing else breaks.
    const body = await (await fetch(`${environment.app.url}/api/models`)).json();
    expect(
      body.providers.find((provider: { id: string }) => provider.id === "ollama").models,
    ).toEqual([]);
  });

  it("reports health", async () => {
    const response = await fetch(`${environment.app.url}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});
