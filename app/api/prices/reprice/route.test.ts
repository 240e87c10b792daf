/**
 * The price override round trip through the HTTP handlers: set a price, re-price the past,
 * remove the price, re-price again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallWriter } from "@/lib/db/call-writes";
import { closeDatabase, getDb } from "@/lib/db/client";
import { priceCall } from "@/lib/pricing/price-call";
import { startLockHolder } from "@/test/support/lock-holder";
import { DELETE, PUT } from "../route";
import { POST } from "./route";

let directory = "";
let databaseFile = "";
const STARTED = new Date("2026-02-01T10:00:00Z");
const RANGE = { from: "2026-02-01", to: "2026-02-02" };

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "locus-playground-reprice-"));
  databaseFile = path.join(directory, "reprice.db");
  process.env.DATABASE_URL = `file:${databaseFile}`;
  const usage = {
    inputTokens: 1_000_000,
    outputTokens: 1_000_000,
    cacheReadTokens: 0,
    cacheWriteTokens: null,
    cacheWrite5mTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    raw: null,
  };
  createCallWriter(getDb()).writeBatch({
    runs: [{ id: "run", createdAt: STARTED, messages: [], title: "", searchText: "" }],
    callInserts: [
      {
        id: "call",
        runId: "run",
        callIndex: 0,
        model: "openai:gpt-4o-mini",
        provider: "openai",
        modelId: "gpt-4o-mini",
        params: {},
        output: "",
        toolCalls: [],
        status: "ok",
        startedAt: STARTED,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        cacheReadTokens: 0,
        usageStatus: "reported",
        ...priceCall({
          provider: "openai",
          modelId: "gpt-4o-mini",
          at: STARTED,
          usage,
          overrides: [],
        }),
      },
    ],
    callUpdates: [],
  });
});

afterAll(() => {
  closeDatabase(getDb());
  rmSync(directory, { recursive: true, force: true });
});

function post(body: unknown): Promise<Response> {
  return POST(
    new Request("http://127.0.0.1:3000/api/prices/reprice", {
      method: "POST",
      body: JSON.stringify(body),
    }),
  );
}

interface RepriceBody {
  calls: number;
  changedCalls: number;
  dryRun: boolean;
  before: { costUsd: number };
  after: { costUsd: number };
}

describe("POST /api/prices/reprice and DELETE /api/prices", () => {
  it("previews, applies, and undoes an override on a past call", async () => {
    const put = await PUT(
      new Request("http://127.0.0.1:3000/api/prices", {
        method: "PUT",
        body: JSON.stringify({
          provider: "openai",
          modelPattern: "gpt-4o-mini",
          inputPerMillion: 1,
          outputPerMillion: 2,
          effectiveFrom: "2026-01-01",
        }),
      }),
    );
    expect(put.status).toBe(200);
    const { override } = (await put.json()) as { override: { id: string } };

    const preview = await post({ ...RANGE, dryRun: true });
    expect(preview.status).toBe(200);
    const previewBody = (await preview.json()) as RepriceBody;
    expect(previewBody).toMatchObject({ calls: 1, changedCalls: 1, dryRun: true });
    expect(previewBody.before.costUsd).toBeCloseTo(0.75, 9);
    expect(previewBody.after.costUsd).toBeCloseTo(3, 9);

    const applied = (await (await post(RANGE)).json()) as RepriceBody;
    expect(applied.changedCalls).toBe(1);
    expect(applied.after.costUsd).toBeCloseTo(3, 9);
    expect(((await (await post(RANGE)).json()) as RepriceBody).changedCalls).toBe(0);

    const removed = await DELETE(
      new Request(`http://127.0.0.1:3000/api/prices?id=${override.id}`, { method: "DELETE" }),
    );
    expect(removed.status).toBe(200);
    const restored = (await (await post(RANGE)).json()) as RepriceBody;
    expect(restored.before.costUsd).toBeCloseTo(3, 9);
    expect(restored.after.costUsd).toBeCloseTo(0.75, 9);
  });

  it.each([
    ["an inverted range", { from: "2026-02-02", to: "2026-02-01" }],
    ["a malformed date", { from: "yesterday", to: "2026-02-01" }],
    ["a missing end", { from: "2026-02-01" }],
    ["an unknown field", { ...RANGE, everything: true }],
  ])("answers 400 for %s", async (_name, body) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      "invalid_request",
    );
  });

  it("answers 404 when deleting an unknown override and 400 without an id", async () => {
    const missing = await DELETE(
      new Request("http://127.0.0.1:3000/api/prices?id=nope", { method: "DELETE" }),
    );
    expect(missing.status).toBe(404);
    const noId = await DELETE(
      new Request("http://127.0.0.1:3000/api/prices", { method: "DELETE" }),
    );
    expect(noId.status).toBe(400);
  });
});

describe("writes under another process's write lock", () => {
  async function errorOf(response: Response) {
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      ...(await response.json()),
    };
  }

  it("answer 503 database_unavailable at once, save nothing, and work again once it is free", async () => {
    const put = (modelPattern: string) =>
      PUT(
        new Request("http://127.0.0.1:3000/api/prices", {
          method: "PUT",
          body: JSON.stringify({
            provider: "openai",
            modelPattern,
            inputPerMillion: 1,
            outputPerMillion: 2,
            effectiveFrom: "2026-01-01",
          }),
        }),
      );
    const kept = (await (await put("gpt-4o-mini")).json()) as { override: { id: string } };
    const holder = startLockHolder(databaseFile);
    try {
      await holder.lock();
      const refused = await errorOf(await put("gpt-4o"));
      expect(refused).toMatchObject({
        status: 503,
        retryAfter: "1",
        error: {
          code: "database_unavailable",
          message: expect.stringMatching(/locked by another process.*not saved/),
        },
      });
      const deletion = await DELETE(
        new Request(`http://127.0.0.1:3000/api/prices?id=${kept.override.id}`, {
          method: "DELETE",
        }),
      );
      expect(deletion.status).toBe(503);
      const reprice = await errorOf(await post(RANGE));
      expect(reprice).toMatchObject({ status: 503, error: { code: "database_unavailable" } });
      // A dry run only reads: WAL readers never wait for the writer.
      expect((await post({ ...RANGE, dryRun: true })).status).toBe(200);
      await holder.release();
    } finally {
      await holder.close();
    }
    // Nothing of the refused writes was saved: the override is still there, the new one is not,
    // and the call still has its old cost, which the re-price now changes.
    const overrides = getDb()
      .sqlite.prepare("select model_pattern from price_overrides where provider = 'openai'")
      .all() as Array<{ model_pattern: string }>;
    expect(overrides.map((row) => row.model_pattern)).toContain("gpt-4o-mini");
    expect(overrides.map((row) => row.model_pattern)).not.toContain("gpt-4o");
    const applied = (await (await post(RANGE)).json()) as RepriceBody;
    expect(applied.changedCalls).toBe(1);
    expect((await put("gpt-4o")).status).toBe(200);
  });
});
