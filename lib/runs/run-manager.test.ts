import { describe, expect, it } from "vitest";
import {
  type CallOptions,
  getModel,
  type LanguageModel,
  type Message,
  ProviderError,
  type StreamEvent,
} from "@/lib/models";
import { emptyUsage } from "@/lib/models/usage";
import type {
  CallFinishRecord,
  CallProgressRecord,
  CallStartRecord,
  RunRecord,
  Tracer,
} from "@/lib/tracing/types";
import { TINY_PNG } from "@/test/support/images";
import { parseSseData } from "@/test/support/sse";
import type { LiveRun } from "./live-run";
import type { RunEvent } from "./run-events";
import { RunManager } from "./run-manager";
import { parseRunRequest } from "./run-request";
import { liveRunStream } from "./run-stream";

class RecordingTracer implements Tracer {
  runs: RunRecord[] = [];
  starts: CallStartRecord[] = [];
  progress: CallProgressRecord[] = [];
  finishes: CallFinishRecord[] = [];
  recordRun(run: RunRecord) {
    this.runs.push(run);
  }
  recordCallStart(call: CallStartRecord) {
    this.starts.push(call);
  }
  recordCallProgress(progress: CallProgressRecord) {
    this.progress.push(progress);
  }
  recordCallFinish(finish: CallFinishRecord) {
    this.finishes.push(finish);
    return { costUsd: finish.status === "ok" ? 0.25 : null };
  }
  async flush() {}
}

type Script = (messages: Message[], options: CallOptions) => AsyncGenerator<StreamEvent>;

/** A scripted model: the test decides exactly what the stream yields. */
function scriptedModel(script: Script): LanguageModel {
  return {
    provider: "openai",
    modelId: "scripted",
    supportsStructuredOutput: false,
    stream: (messages, options) => script(messages, options ?? {}),
    complete: () => Promise.reject(new Error("not used")),
    close: async () => undefined,
  };
}

const usage = { ...emptyUsage({ raw: true }), inputTokens: 10, outputTokens: 3 };

async function* answer(text: string): AsyncGenerator<StreamEvent> {
  yield { type: "stream-start", request: { url: "fake://", body: {} }, unsupported: [] };
  for (const piece of text.split(" ")) yield { type: "text-delta", delta: `${piece} ` };
  yield { type: "finish", stopReason: "stop", rawStopReason: "stop", usage };
}

async function collect(run: LiveRun): Promise<RunEvent[]> {
  const text = await new Response(liveRunStream(run)).text();
  return parseSseData(text) as RunEvent[];
}

function request(models: string[], extra: Record<string, unknown> = {}) {
  return parseRunRequest({
    messages: [{ role: "user", content: "hello" }],
    targets: models.map((model) => ({ model })),
    ...extra,
  });
}

describe("RunManager", () => {
  it("streams every target, tagged by index, and ends with run-finish", async () => {
    const tracer = new RecordingTracer();
    const manager = new RunManager({ tracer });
    const run = manager.startRun(request(["demo:instant", "demo:instant", "demo:fast"]));
    const events = await collect(run);

    expect(events[0]).toMatchObject({ type: "run-start", runId: run.id });
    expect(events.at(-1)).toEqual({ type: "run-finish", runId: run.id });
    for (const index of [0, 1, 2]) {
      const text = events
        .filter((event) => event.type === "text-delta" && event.index === index)
        .map((event) => (event.type === "text-delta" ? event.delta : ""))
        .join("");
      expect(text).toContain("Simulated answer");
      const finish = events.find((event) => event.type === "call-finish" && event.index === index);
      expect(finish).toMatchObject({ status: "ok", stopReason: "stop", costUsd: 0.25 });
    }
    expect(tracer.runs).toHaveLength(1);
    expect(tracer.starts.map((start) => start.index)).toEqual([0, 1, 2]);
    expect(tracer.finishes.map((finish) => finish.status)).toEqual(["ok", "ok", "ok"]);
    expect(tracer.finishes[0]?.output).toContain("Simulated answer");
  });

  it("ends only the failing column with a classified error", async () => {
    const tracer = new RecordingTracer();
    const manager = new RunManager({
      tracer,
      createModel: (model) =>
        model === "openai:broken"
          ? scriptedModel(async function* () {
              yield {
                type: "stream-start",
                request: { url: "fake://", body: {} },
                unsupported: [],
              };
              yield { type: "text-delta", delta: "partial" };
              yield {
                type: "finish",
                stopReason: "error",
                rawStopReason: null,
                usage: null,
                error: new ProviderError({
                  provider: "openai",
                  kind: "rate_limit",
                  status: 429,
                  retryAfterMs: 2_000,
                }),
              };
            })
          : scriptedModel(() => answer("fine thanks")),
    });
    const run = manager.startRun(request(["openai:ok", "openai:broken", "openai:ok"]));
    const finishes = (await collect(run)).filter((event) => event.type === "call-finish");
    expect(finishes.map((event) => [event.index, event.status])).toEqual(
      expect.arrayContaining([
        [0, "ok"],
        [1, "error"],
        [2, "ok"],
      ]),
    );
    const failed = finishes.find((event) => event.index === 1);
    expect(failed?.error?.code).toBe("rate_limit");
    expect(failed?.error?.message).toContain("rate limited");
    expect(failed?.error?.retryAfterMs).toBe(2_000);
    expect(finishes.find((event) => event.index === 0)?.error).toBeUndefined();
    expect(tracer.finishes.find((finish) => finish.status === "error")?.output).toBe("partial");
  });

  it("turns a model that throws into an error column, not a broken run", async () => {
    const manager = new RunManager({
      tracer: new RecordingTracer(),
      createModel: (model) =>
        model === "openai:throws"
          ? scriptedModel(async function* () {
              yield* [];
              throw new Error("internal detail /secret/path");
            })
          : scriptedModel(() => answer("ok")),
    });
    const events = await collect(manager.startRun(request(["openai:throws", "openai:ok"])));
    const failed = events.find((event) => event.type === "call-finish" && event.index === 0);
    expect(failed).toMatchObject({ status: "error", error: { code: "unknown" } });
    expect(JSON.stringify(events)).not.toContain("/secret/path");
    expect(events.at(-1)?.type).toBe("run-finish");
  });

  it("times each call's content on the server: ttftMs on the first event, elapsedMs on all", async () => {
    const manager = new RunManager({
      tracer: new RecordingTracer(),
      createModel: () =>
        scriptedModel(async function* () {
          yield { type: "stream-start", request: { url: "fake://", body: {} }, unsupported: [] };
          yield { type: "reasoning-delta", delta: "thinking" };
          for (const piece of ["one ", "two ", "three"]) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            yield { type: "text-delta", delta: piece };
          }
          yield { type: "finish", stopReason: "stop", rawStopReason: "stop", usage };
        }),
    });
    const run = manager.startRun(request(["openai:a", "openai:b"]));
    const events = await collect(run);
    for (const index of [0, 1]) {
      const content = events.filter(
        (event) =>
          (event.type === "text-delta" || event.type === "reasoning-delta") &&
          event.index === index,
      ) as Array<{ type: string; ttftMs?: number; elapsedMs?: number }>;
      const finish = events.find((event) => event.type === "call-finish" && event.index === index);
      if (finish?.type !== "call-finish") throw new Error("no call-finish");
      expect(content[0]?.type).toBe("reasoning-delta");
      // The first content event says the call's time to first token, the one recorded.
      expect(content[0]?.ttftMs).toBe(finish.ttftMs);
      expect(content.slice(1).every((event) => event.ttftMs === undefined)).toBe(true);
      const elapsed = content.map((event) => event.elapsedMs ?? Number.NaN);
      expect(elapsed[0]).toBe(finish.ttftMs);
      expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
      expect(elapsed.at(-1) ?? Number.NaN).toBeLessThanOrEqual(finish.durationMs ?? 0);
    }
  });

  it("cancels every running call at once and keeps their partial output", async () => {
    const tracer = new RecordingTracer();
    const manager = new RunManager({ tracer });
    const run = manager.startRun(request(["demo:slow", "demo:chat"]));
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      run.subscribe({
        onFrame: (frame) => {
          seen.push(new TextDecoder().decode(frame));
          if (seen.filter((text) => text.includes('"index":0')).length >= 3) resolve();
        },
        onEnd: () => resolve(),
      });
    });
    expect(manager.cancelRun(run.id)?.aborted).toBe(2);
    await run.done;
    expect(tracer.finishes.map((finish) => finish.status)).toEqual(["cancelled", "cancelled"]);
    const slow = tracer.finishes.find((finish) => finish.callId === run.calls[0]?.callId);
    expect(slow?.output.length).toBeGreaterThan(0);
    expect(slow?.output).not.toContain("fingerprint");
    const finishes = (await collect(run)).filter((event) => event.type === "call-finish");
    expect(finishes.every((event) => event.status === "cancelled")).toBe(true);
    expect(finishes[0]?.error?.code).toBe("aborted");
  });

  it("replays the same bytes to a late subscriber as a live one saw", async () => {
    const manager = new RunManager({ tracer: new RecordingTracer() });
    const run = manager.startRun(request(["demo:fast", "demo:instant"]));
    const live = new Response(liveRunStream(run)).text();
    await run.done;
    const late = await new Response(liveRunStream(run)).text();
    expect(late).toBe(await live);
  });

  it("keeps an ended run in memory for as long as its caller asked, else the manager's retention", async () => {
    const manager = new RunManager({ tracer: new RecordingTracer(), retentionMs: 60_000 });
    const watched = manager.startRun(request(["demo:instant"]));
    const unwatched = manager.startRun(request(["demo:instant"]), { retainMs: 10 });
    await Promise.all([watched.done, unwatched.done]);
    expect(manager.getRun(unwatched.id)).toBe(unwatched);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(manager.getRun(unwatched.id)).toBeUndefined();
    expect(manager.getRun(watched.id)).toBe(watched);
  });

  it("records partial output while streaming, with the request from stream-start", async () => {
    const tracer = new RecordingTracer();
    const manager = new RunManager({ tracer, progressIntervalMs: 20 });
    const run = manager.startRun(request(["demo:chat"]));
    await run.done;
    const first = tracer.progress[0];
    expect(first?.request?.url).toBe("demo://chat");
    const partial = tracer.progress.filter(
      (progress) => progress.output.length > 0 && progress.request === undefined,
    );
    expect(partial.length).toBeGreaterThan(1);
    const final = tracer.finishes[0]?.output ?? "";
    expect(partial.every((progress) => final.startsWith(progress.output))).toBe(true);
    expect(partial.some((progress) => progress.output.length < final.length)).toBe(true);
  });

  it("passes params, tools and the right system prompt to each target", async () => {
    const seen: Array<{ messages: Message[]; options: CallOptions }> = [];
    const manager = new RunManager({
      tracer: new RecordingTracer(),
      createModel: () =>
        scriptedModel((messages, options) => {
          seen.push({ messages, options });
          return answer("x");
        }),
    });
    const tools = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
    ];
    const run = manager.startRun(
      parseRunRequest({
        system: "shared",
        messages: [{ role: "user", content: "hi" }],
        targets: [
          { model: "openai:a", params: { temperature: 0.2, maxTokens: 50, stop: ["END"] } },
          { model: "openai:b", system: "override", params: { promptCache: true } },
        ],
        tools,
      }),
    );
    await run.done;
    const [first, second] = seen;
    expect(first?.messages[0]).toEqual({ role: "system", content: "shared" });
    expect(first?.options).toMatchObject({ temperature: 0.2, maxTokens: 50, stop: ["END"], tools });
    expect(first?.options.signal).toBeInstanceOf(AbortSignal);
    expect(second?.messages[0]).toEqual({ role: "system", content: "override" });
    expect(second?.options).toMatchObject({ promptCache: true });
  });

  it("streams reasoning as reasoning-delta and records it with the call", async () => {
    const tracer = new RecordingTracer();
    const manager = new RunManager({
      tracer,
      createModel: () =>
        scriptedModel(async function* () {
          yield { type: "stream-start", request: { url: "fake://", body: {} }, unsupported: [] };
          yield { type: "reasoning-delta", delta: "Think " };
          yield { type: "reasoning-delta", delta: "hard." };
          yield {
            type: "reasoning-block",
            block: { type: "thinking", text: "Think hard.", signature: "sig" },
          };
          yield { type: "text-delta", delta: "42" };
          yield { type: "finish", stopReason: "stop", rawStopReason: "end_turn", usage };
        }),
    });
    const events = await collect(manager.startRun(request(["anthropic:claude-sonnet-4-5"])));
    const reasoning = events
      .filter((event) => event.type === "reasoning-delta")
      .map((event) => (event.type === "reasoning-delta" ? event.delta : ""))
      .join("");
    expect(reasoning).toBe("Think hard.");
    expect(events.filter((event) => event.type === "reasoning-delta")[0]).toMatchObject({
      index: 0,
    });
    expect(tracer.finishes[0]).toMatchObject({ output: "42", reasoning: "Think hard." });
  });

  it('maps promptCache "1h" and reasoningEffort to call options', async () => {
    const seen: CallOptions[] = [];
    const manager = new RunManager({
      tracer: new RecordingTracer(),
      createModel: () =>
        scriptedModel((_messages, options) => {
          seen.push(options);
          return answer("ok");
        }),
    });
    await collect(
      manager.startRun(
        parseRunRequest({
          messages: [{ role: "user", content: "hello" }],
          targets: [
            {
              model: "anthropic:claude-sonnet-4-5",
              params: { promptCache: "1h", reasoningEffort: "high" },
            },
            { model: "anthropic:claude-sonnet-4-5", params: { promptCache: "5m" } },
            { model: "anthropic:claude-sonnet-4-5", params: { promptCache: true } },
          ],
        }),
      ),
    );
    expect(seen.map((options) => options.promptCache)).toEqual([
      { ttl: "1h" },
      { ttl: "5m" },
      true,
    ]);
    expect(seen[0]?.reasoningEffort).toBe("high");
  });

  describe("images", () => {
    const imageId = "a".repeat(64);
    const base64 = Buffer.from(TINY_PNG).toString("base64");
    const readImage = (id: string) =>
      id === imageId ? { mediaType: "image/png" as const, data: Buffer.from(TINY_PNG) } : null;
    const withImage = (models: string[], id = imageId) =>
      parseRunRequest({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "What is this?" },
              { type: "image", imageId: id },
            ],
          },
        ],
        targets: models.map((model) => ({ model })),
      });

    it("sends the image inline, records a reference in the request, and keeps the id in the run", async () => {
      const tracer = new RecordingTracer();
      const seen: Message[][] = [];
      const manager = new RunManager({
        tracer,
        readImage,
        createModel: () =>
          scriptedModel(async function* (messages) {
            seen.push(messages);
            yield {
              type: "stream-start",
              request: { url: "fake://", body: { url: `data:image/png;base64,${base64}` } },
              unsupported: [],
            };
            yield { type: "finish", stopReason: "stop", rawStopReason: "stop", usage };
          }),
      });
      await collect(manager.startRun(withImage(["openai:gpt-4o-mini"])));
      expect(seen[0]).toEqual([
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image", mediaType: "image/png", data: base64 },
          ],
        },
      ]);
      const recorded = tracer.progress.find((progress) => progress.request);
      expect(recorded?.request?.body).toEqual({
        url: `data:image/png;base64,locus-image:${imageId}`,
      });
      expect(JSON.stringify(tracer.runs[0]?.messages)).toContain(imageId);
      expect(JSON.stringify(tracer.runs[0]?.messages)).not.toContain(base64);
    });

    it("refuses an unknown image before anything starts", () => {
      const tracer = new RecordingTracer();
      const manager = new RunManager({ tracer, readImage });
      expect(() => manager.startRun(withImage(["openai:gpt-4o-mini"], "b".repeat(64)))).toThrow(
        /no image with that id/,
      );
      expect(tracer.runs).toHaveLength(0);
    });

    it("fails only the column of a text-only model, with unsupported_input and no upstream call", async () => {
      const called: string[] = [];
      const manager = new RunManager({
        tracer: new RecordingTracer(),
        readImage,
        createModel: (model) =>
          scriptedModel(() => {
            called.push(model);
            return answer("I see a pixel");
          }),
      });
      const events = await collect(
        manager.startRun(withImage(["openai:o3-mini", "openai:gpt-4o-mini"])),
      );
      expect(called).toEqual(["openai:gpt-4o-mini"]);
      const finishes = events.filter((event) => event.type === "call-finish");
      expect(finishes.find((event) => event.index === 0)).toMatchObject({
        status: "error",
        error: { code: "unsupported_input" },
      });
      expect(finishes.find((event) => event.index === 1)).toMatchObject({ status: "ok" });
    });
  });

  it("builds real models through getModel by default", () => {
    expect(getModel("demo:instant").provider).toBe("demo");
  });
});
