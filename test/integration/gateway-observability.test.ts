/**
 * Gateway calls made with the official SDK clients, then found again: in `GET /api/calls`
 * (each filter), `GET /api/calls/:callId`, and `GET /api/usage` grouped and filtered by
 * source, key and tag. A playground run alongside shows the other source.
 */
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CallDetail, CallPage } from "@/lib/db/call-queries";
import type { UsageReport } from "@/lib/db/queries";
import { type AppServer, DEFAULT_ROUTES, startAppServer } from "@/test/support/app-server";
import {
  flushRecorder,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";

let app: AppServer;

const ROUTES = [
  ...DEFAULT_ROUTES,
  { path: "/v1/chat/completions", load: () => import("@/app/v1/chat/completions/route") },
  { path: "/v1/messages", load: () => import("@/app/v1/messages/route") },
  { path: "/api/keys", load: () => import("@/app/api/keys/route") },
];

async function createKey(name: string): Promise<string> {
  const response = await fetch(`${app.url}/api/keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${app.url}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

const callsOf = (query: string) => getJson<CallPage>(`/api/calls?${query}`);
const usageOf = (query: string) => getJson<UsageReport>(`/api/usage?${query}`);

setUpIntegrationEnvironment();

beforeAll(async () => {
  app = await startAppServer({ routes: ROUTES });
  const alpha = await createKey("alpha-app");
  const beta = await createKey("beta-app");
  const alphaClient = new OpenAI({
    apiKey: alpha,
    baseURL: `${app.url}/v1`,
    maxRetries: 0,
    defaultHeaders: { "x-locus-tags": "checkout,eu", "x-locus-user": "user-7" },
  });
  await alphaClient.chat.completions.create({
    model: "openai:gpt-4o-mini",
    messages: [{ role: "user", content: "the zebra question" }],
  });
  const stream = await alphaClient.chat.completions.create({
    model: "anthropic:claude-haiku-4-5",
    messages: [{ role: "user", content: "streamed through alpha" }],
    stream: true,
  });
  for await (const _chunk of stream) {
    // Drained: the call is recorded once the stream ends.
  }
  const betaClient = new Anthropic({
    apiKey: beta,
    baseURL: app.url,
    maxRetries: 0,
    defaultHeaders: { "x-locus-tags": "search" },
  });
  await betaClient.messages.create({
    model: "anthropic:claude-haiku-4-5",
    max_tokens: 50,
    messages: [{ role: "user", content: "beta asks" }],
  });
  await readEvents(
    await postRun(app, {
      messages: [{ role: "user", content: "from the playground" }],
      targets: [{ model: "openai:gpt-4o-mini" }],
    }),
  );
  await flushRecorder();
});

afterAll(async () => {
  await app?.close();
});

describe("GET /api/calls", () => {
  it("lists every call newest first with who made it", async () => {
    const page = await callsOf("");
    expect(page.calls.map((call) => call.source)).toEqual([
      "playground",
      "gateway",
      "gateway",
      "gateway",
    ]);
    const [, beta, alphaStream, alphaFirst] = page.calls;
    expect(beta).toMatchObject({ keyName: "beta-app", tags: ["search"], status: "ok" });
    expect(alphaStream).toMatchObject({
      keyName: "alpha-app",
      model: "anthropic:claude-haiku-4-5",
    });
    expect(alphaFirst).toMatchObject({
      keyName: "alpha-app",
      tags: ["checkout", "eu"],
      endUser: "user-7",
      model: "openai:gpt-4o-mini",
    });
    expect(page.nextCursor).toBeNull();
  });

  it("filters by source, key, tag, model, provider, status, search and time", async () => {
    const models = (page: CallPage) => page.calls.map((call) => call.model);
    expect((await callsOf("source=gateway")).calls).toHaveLength(3);
    expect((await callsOf("source=playground")).calls).toHaveLength(1);
    expect((await callsOf("source=judge")).calls).toHaveLength(0);
    expect(models(await callsOf("key=alpha-app"))).toEqual([
      "anthropic:claude-haiku-4-5",
      "openai:gpt-4o-mini",
    ]);
    expect((await callsOf("tag=eu")).calls.map((call) => call.keyName)).toEqual([
      "alpha-app",
      "alpha-app",
    ]);
    expect((await callsOf("tag=search")).calls.map((call) => call.keyName)).toEqual(["beta-app"]);
    expect((await callsOf("tag=nowhere")).calls).toHaveLength(0);
    expect((await callsOf("model=openai:gpt-4o-mini")).calls).toHaveLength(2);
    expect((await callsOf("provider=anthropic")).calls).toHaveLength(2);
    expect((await callsOf("status=ok")).calls).toHaveLength(4);
    expect((await callsOf("status=error")).calls).toHaveLength(0);
    expect((await callsOf("search=ZEBRA")).calls.map((call) => call.keyName)).toEqual([
      "alpha-app",
    ]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await callsOf(`from=${encodeURIComponent(future)}`)).calls).toHaveLength(0);
    expect((await callsOf(`to=${encodeURIComponent(future)}`)).calls).toHaveLength(4);
    expect((await callsOf("source=gateway&key=beta-app&tag=search")).calls).toHaveLength(1);
  });

  it("pages with a cursor without repeating or skipping a call", async () => {
    const all = (await callsOf("")).calls.map((call) => call.callId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await callsOf(query);
      seen.push(...page.calls.map((call) => call.callId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it("refuses bad filters with a 400 and a code", async () => {
    for (const query of [
      "source=robot",
      "status=done",
      "limit=0",
      "cursor=nonsense",
      "colour=red",
    ]) {
      const response = await fetch(`${app.url}/api/calls?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, query).toMatch(/^invalid_/);
    }
  });
});

describe("GET /api/calls/:callId", () => {
  it("shows the request, output, usage, cost parts, price source, timings and context", async () => {
    const [listed] = (await callsOf("key=beta-app")).calls;
    const call = await getJson<CallDetail>(`/api/calls/${listed?.callId}`);
    expect(call).toMatchObject({
      source: "gateway",
      keyName: "beta-app",
      tags: ["search"],
      model: "anthropic:claude-haiku-4-5",
      status: "ok",
      pricingStatus: "priced",
    });
    expect(call.messages).toEqual([{ role: "user", content: "beta asks" }]);
    expect(call.output.length).toBeGreaterThan(0);
    expect(call.usage?.inputTokens).toBeGreaterThan(0);
    expect(call.cost.inputUsd).toBeGreaterThan(0);
    expect(call.priceSource).toMatch(/anthropic/);
    expect(call.durationMs).not.toBeNull();
    expect(JSON.stringify(call.request)).toContain("beta asks");
    expect(JSON.stringify(call)).not.toContain("sk-ant-test_PLANTED");
  });

  it("answers 404 with a code for an unknown call", async () => {
    const response = await fetch(`${app.url}/api/calls/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBeTruthy();
  });
});

describe("GET /api/usage by source, key and tag", () => {
  it("groups by source, with the same totals as the rollup path", async () => {
    const bySource = await usageOf("groupBy=source");
    const byModel = await usageOf("groupBy=model");
    expect(bySource.totals).toEqual(byModel.totals);
    expect(bySource.groups.map((group) => [group.key, group.calls])).toEqual(
      expect.arrayContaining([
        ["gateway", 3],
        ["playground", 1],
      ]),
    );
    const summed = bySource.groups.reduce((sum, group) => sum + group.costUsd, 0);
    expect(summed).toBeCloseTo(bySource.totals.costUsd, 12);
  });

  it("groups by key name; calls without a key are in the totals only", async () => {
    const report = await usageOf("groupBy=key");
    expect(report.totals.calls).toBe(4);
    expect(Object.fromEntries(report.groups.map((group) => [group.key, group.calls]))).toEqual({
      "alpha-app": 2,
      "beta-app": 1,
    });
    expect(report.groups.every((group) => group.costUsd > 0)).toBe(true);
  });

  it("groups by tag, a call in each of its tags", async () => {
    const report = await usageOf("groupBy=tag");
    expect(Object.fromEntries(report.groups.map((group) => [group.key, group.calls]))).toEqual({
      checkout: 2,
      eu: 2,
      search: 1,
    });
  });

  it("filters by source, key and tag, totals included", async () => {
    const gateway = await usageOf("source=gateway&groupBy=day");
    expect(gateway.totals.calls).toBe(3);
    expect(gateway.groups.reduce((sum, group) => sum + group.calls, 0)).toBe(3);
    const alpha = await usageOf("key=alpha-app&groupBy=model");
    expect(alpha.totals.calls).toBe(2);
    expect(alpha.groups.map((group) => group.key).sort()).toEqual([
      "anthropic:claude-haiku-4-5",
      "openai:gpt-4o-mini",
    ]);
    const search = await usageOf("tag=search&groupBy=key");
    expect(search.totals.calls).toBe(1);
    expect(search.groups.map((group) => group.key)).toEqual(["beta-app"]);
  });

  it("refuses an unknown source or groupBy", async () => {
    for (const query of ["groupBy=colour", "source=robot"]) {
      const response = await fetch(`${app.url}/api/usage?${query}`);
      expect(response.status, query).toBe(400);
    }
  });
});
