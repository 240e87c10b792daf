import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, getDb } from "@/lib/db/client";
import { createTracer } from "@/lib/tracing/tracer";
import { callFinish, callStart, runRecord, usageOf } from "@/test/support/tracing-fixtures";
import { GET as exportUsage } from "./export/route";
import { GET as getUsage } from "./route";

let directory = "";

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), "locus-playground-usage-"));
  process.env.DATABASE_URL = `file:${path.join(directory, "usage.db")}`;
  const tracer = createTracer({ database: getDb(), log: () => {} });
  tracer.recordRun(runRecord({ id: "run-1" }));
  tracer.recordCallStart(
    callStart({ callId: "c1", runId: "run-1", startedAt: new Date("2026-01-10T10:00:00Z") }),
  );
  tracer.recordCallFinish(
    callFinish({
      callId: "c1",
      usage: usageOf({ inputTokens: 1_000, outputTokens: 100, cacheReadTokens: 0 }),
    }),
  );
  tracer.recordCallStart(
    callStart({
      callId: "c2",
      runId: "run-1",
      index: 1,
      model: "openai:gpt-unknown",
      startedAt: new Date("2026-01-11T10:00:00Z"),
    }),
  );
  tracer.recordCallFinish(
    callFinish({
      callId: "c2",
      status: "error",
      stopReason: "error",
      usage: null,
      error: {
        kind: "server_error",
        code: null,
        status: 500,
        message: 'upstream, "bad"',
        retryAfterMs: null,
      },
    }),
  );
  await tracer.flush();
});

afterAll(() => {
  closeDatabase(getDb());
  rmSync(directory, { recursive: true, force: true });
});

function url(pathname: string, query: Record<string, string>): Request {
  return new Request(`http://127.0.0.1:3000${pathname}?${new URLSearchParams(query)}`);
}

describe("GET /api/usage", () => {
  it("answers totals and groups for the range", async () => {
    const response = await getUsage(
      url("/api/usage", { from: "2026-01-10", to: "2026-01-12T00:00:00Z", groupBy: "model" }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      from: string;
      groupBy: string;
      totals: Record<string, number>;
      groups: Array<Record<string, unknown>>;
    };
    expect(body.from).toBe("2026-01-10T00:00:00.000Z");
    expect(body.totals).toEqual({
      calls: 2,
      inputTokens: 1_000,
      outputTokens: 100,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      costUsd: expect.closeTo((1_000 * 0.15 + 100 * 0.6) / 1e6, 12),
      savingsUsd: 0,
      // gpt-unknown has no price, but it failed before reporting usage: not a price problem.
      unpricedCalls: 0,
      errorCalls: 1,
      usageMissingCalls: 1,
    });
    expect(body.groups.map((group) => group.key)).toEqual([
      "openai:gpt-4o-mini",
      "openai:gpt-unknown",
    ]);
  });

  it("defaults to the last 30 days by day", async () => {
    const response = await getUsage(new Request("http://127.0.0.1:3000/api/usage"));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      groupBy: string;
      groups: unknown[];
      from: string;
      to: string;
    };
    expect(body.groupBy).toBe("day");
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(30 * 86_400_000);
    expect(body.groups.length).toBeGreaterThanOrEqual(30);
  });

  it.each([
    [{ from: "yesterday" }, /from/],
    [{ groupBy: "week" }, /groupBy/],
    [{ from: "2026-01-12", to: "2026-01-10" }, /before/],
    [{ unknown: "1" }, /unknown/i],
  ])("answers 400 for bad input %j", async (query, message) => {
    const response = await getUsage(url("/api/usage", query));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toMatch(message);
  });
});

describe("GET /api/usage/export", () => {
  it("streams one quoted CSV row per call", async () => {
    const response = await exportUsage(
      url("/api/usage/export", { format: "csv", from: "2026-01-10", to: "2026-01-12" }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="usage-2026-01-10-to-2026-01-12.csv"',
    );
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]?.startsWith("call_id,run_id,call_index,started_at")).toBe(true);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^c1,run-1,0,2026-01-10T10:00:00.000Z,/);
    expect(lines[2]).toContain('"upstream, ""bad"""');
    expect(lines[3]).toBe("");
  });

  it("applies the provider filter", async () => {
    const response = await exportUsage(
      url("/api/usage/export", { from: "2026-01-10", to: "2026-01-12", provider: "anthropic" }),
    );
    expect((await response.text()).split("\r\n")).toHaveLength(2);
  });

  it("refuses a format other than csv", async () => {
    const response = await exportUsage(url("/api/usage/export", { format: "xlsx" }));
    expect(response.status).toBe(400);
  });
});
