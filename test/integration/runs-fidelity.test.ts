/**
 * Images in, reasoning out and the code of a call, over real HTTP: the route handlers, the
 * real adapters and SDKs against local fake providers, a real SQLite file and image store.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import { TINY_PNG } from "@/test/support/images";
import {
  anthropicAnswering,
  finishOf,
  flushRecorder,
  modelOf,
  openAIAnswering,
  PLANTED_ANTHROPIC_KEY,
  PLANTED_OPENAI_KEY,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
  textOf,
} from "@/test/support/runs-integration";
import { replaying } from "@/test/support/wire/replay";

const environment = setUpIntegrationEnvironment();

beforeEach(() => {
  environment.openai.setHandler(openAIAnswering());
  environment.anthropic.setHandler(anthropicAnswering());
  environment.openai.requests.length = 0;
  environment.anthropic.requests.length = 0;
});

async function uploadPng(): Promise<string> {
  const response = await fetch(`${environment.app.url}/api/images`, {
    method: "POST",
    headers: { "content-type": "image/png" },
    body: new Uint8Array(TINY_PNG),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { imageId: string }).imageId;
}

function reasoningOf(events: RunEvent[], index: number): string {
  return events
    .map((event) => (event.type === "reasoning-delta" && event.index === index ? event.delta : ""))
    .join("");
}

async function getRun(id: string) {
  const response = await fetch(`${environment.app.url}/api/runs/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    messages: unknown[];
    calls: Array<{ index: number; callId: string; reasoning: string | null; output: string }>;
  };
}

const base64 = Buffer.from(TINY_PNG).toString("base64");

describe("images in", () => {
  it("sends each provider its own image format; a text-only model fails its own column", async () => {
    const imageId = await uploadPng();
    const response = await postRun(environment.app, {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image", imageId },
          ],
        },
      ],
      targets: [
        { model: "openai:gpt-4o-mini" },
        { model: "anthropic:claude-haiku-4-5" },
        { model: "openai:o3-mini" },
      ],
    });
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(finishOf(events, 0)?.status).toBe("ok");
    expect(finishOf(events, 1)?.status).toBe("ok");
    expect(finishOf(events, 2)).toMatchObject({
      status: "error",
      error: { code: "unsupported_input" },
    });

    const openaiBodies = environment.openai.requests.map(
      (request) => request.json() as { model: string; messages: unknown[] },
    );
    expect(openaiBodies.map((body) => body.model)).toEqual(["gpt-4o-mini"]);
    expect(openaiBodies[0]?.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this picture?" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${base64}` } },
        ],
      },
    ]);
    const anthropicBody = environment.anthropic.requests[0]?.json() as { messages: unknown[] };
    expect(anthropicBody.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is in this picture?" },
          { type: "image", source: { type: "base64", media_type: "image/png", data: base64 } },
        ],
      },
    ]);

    await flushRecorder();
    const runStart = events[0];
    if (runStart?.type !== "run-start") throw new Error("no run-start");
    const run = await getRun(runStart.runId);
    // The run keeps the reference, not the bytes.
    expect(JSON.stringify(run.messages)).toContain(imageId);
    expect(JSON.stringify(run.messages)).not.toContain(base64);
  });

  it("answers 400 for an image id that was never uploaded, before any stream", async () => {
    const response = await postRun(environment.app, {
      messages: [{ role: "user", content: [{ type: "image", imageId: "f".repeat(64) }] }],
      targets: [{ model: "openai:gpt-4o-mini" }],
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unknown_image");
    expect(environment.openai.requests).toHaveLength(0);
  });

  it("answers 400 for a malformed part", async () => {
    const response = await postRun(environment.app, {
      messages: [{ role: "user", content: [{ type: "image", url: "http://example.com/x.png" }] }],
      targets: [{ model: "openai:gpt-4o-mini" }],
    });
    expect(response.status).toBe(400);
  });
});

describe("reasoning out", () => {
  it("streams Anthropic thinking as reasoning-delta and stores it with the call", async () => {
    environment.anthropic.setHandler(replaying("anthropic/thinking"));
    const response = await postRun(environment.app, {
      messages: [{ role: "user", content: "27 * 453?" }],
      targets: [{ model: "anthropic:claude-haiku-4-5", params: { reasoningEffort: "low" } }],
    });
    const events = await readEvents(response);
    expect(reasoningOf(events, 0)).toBe("The user wants 27 * 453. 27 * 453 = 12231.");
    expect(textOf(events, 0)).toBe("27 × 453 = 12,231.");
    const sent = environment.anthropic.requests[0]?.json() as { thinking?: unknown };
    expect(sent.thinking).toEqual({ type: "enabled", budget_tokens: 1024 });

    await flushRecorder();
    const runStart = events[0];
    if (runStart?.type !== "run-start") throw new Error("no run-start");
    const run = await getRun(runStart.runId);
    expect(run.calls[0]?.reasoning).toBe("The user wants 27 * 453. 27 * 453 = 12231.");
    expect(run.calls[0]?.output).toBe("27 × 453 = 12,231.");
  });

  it("has reasoning null for a call that returned none", async () => {
    const events = await readEvents(
      await postRun(environment.app, {
        messages: [{ role: "user", content: "hi" }],
        targets: [{ model: "openai:gpt-4o-mini" }],
      }),
    );
    await flushRecorder();
    const runStart = events[0];
    if (runStart?.type !== "run-start") throw new Error("no run-start");
    expect((await getRun(runStart.runId)).calls[0]?.reasoning).toBeNull();
  });
});

describe("GET /api/calls/:callId/code", () => {
  it("returns code for each language with keys as variable references only", async () => {
    const imageId = await uploadPng();
    const events = await readEvents(
      await postRun(environment.app, {
        system: "Be brief.",
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "Describe." },
              { type: "image", imageId },
            ],
          },
        ],
        targets: [
          { model: "openai:gpt-4o-mini", params: { temperature: 0.2 } },
          { model: "anthropic:claude-haiku-4-5", params: { promptCache: "1h" } },
        ],
      }),
    );
    await flushRecorder();
    const runStart = events[0];
    if (runStart?.type !== "run-start") throw new Error("no run-start");
    for (const call of runStart.calls) {
      for (const lang of ["curl", "python", "typescript", "locus"]) {
        const response = await fetch(
          `${environment.app.url}/api/calls/${call.callId}/code?lang=${lang}`,
        );
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
        const code = await response.text();
        expect(code).not.toContain(PLANTED_OPENAI_KEY);
        expect(code).not.toContain(PLANTED_ANTHROPIC_KEY);
        // The exact request: the image goes back in inline.
        expect(code).toContain(base64);
      }
    }
    const anthropicCurl = await (
      await fetch(`${environment.app.url}/api/calls/${runStart.calls[1]?.callId}/code?lang=curl`)
    ).text();
    expect(anthropicCurl).toContain('"ttl": "1h"');
    expect(anthropicCurl).toContain("$ANTHROPIC_API_KEY");
    const openaiRequest = environment.openai.requests[0];
    expect(openaiRequest && modelOf(openaiRequest)).toBe("gpt-4o-mini");
  });

  it("answers 404 for an unknown call and 400 for an unknown language", async () => {
    const missing = await fetch(`${environment.app.url}/api/calls/nope/code?lang=curl`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const events = await readEvents(
      await postRun(environment.app, {
        messages: [{ role: "user", content: "hi" }],
        targets: [{ model: "openai:gpt-4o-mini" }],
      }),
    );
    await flushRecorder();
    const runStart = events[0];
    if (runStart?.type !== "run-start") throw new Error("no run-start");
    const bad = await fetch(
      `${environment.app.url}/api/calls/${runStart.calls[0]?.callId}/code?lang=cobol`,
    );
    expect(bad.status).toBe(400);
  });
});
