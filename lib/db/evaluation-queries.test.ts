import { afterEach, describe, expect, it } from "vitest";
import { createTracer } from "@/lib/tracing/tracer";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { callFinish, callStart, runRecord, usageOf } from "@/test/support/tracing-fixtures";
import type { Database } from "./client";
import { insertDataset } from "./dataset-queries";
import {
  countCellsByStatus,
  getEvaluationRow,
  insertEvaluation,
  listCellFigures,
  listCellsPage,
  listEvaluations,
  listUnfinishedCells,
  markRunningEvaluationsInterrupted,
  setEvaluationStatus,
  updateCell,
} from "./evaluation-queries";
import { insertPrompt } from "./prompt-queries";

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

function setUp(): Database {
  const store = createTemporaryDatabase();
  opened.push(store);
  const database = store.database;
  insertPrompt({ id: "p1", name: "capitals", fields: { template: "{{country}}?" }, database });
  insertDataset({
    id: "d1",
    name: "countries",
    rows: [
      { vars: { country: "France" }, expected: "Paris" },
      { vars: { country: "Peru" }, expected: "Lima" },
    ],
    database,
  });
  return database;
}

/** 2 rows × 2 targets × 1 sample. */
const CELLS = [0, 1].flatMap((row) => [0, 1].map((target) => ({ row, target, sample: 0 })));

function addEvaluation(
  database: Database,
  id: string,
  options: { createdAt?: Date; models?: string[] } = {},
) {
  insertEvaluation({
    evaluation: {
      id,
      createdAt: options.createdAt ?? new Date("2026-02-01T00:00:00Z"),
      promptId: "p1",
      promptVersion: 1,
      datasetId: "d1",
      config: {
        request: {
          targets: (options.models ?? ["openai:gpt-4o-mini", "demo:fast"]).map((model) => ({
            model,
          })),
        },
        rows: [],
      },
      totalCells: CELLS.length,
    },
    cells: CELLS,
    database,
  });
}

async function recordCall(
  database: Database,
  values: { callId: string; costUsd?: number; outputTokens: number; durationMs: number },
) {
  const tracer = createTracer({ database, log: () => {} });
  tracer.recordRun(runRecord({ id: `run-${values.callId}` }));
  tracer.recordCallStart(callStart({ callId: values.callId, runId: `run-${values.callId}` }));
  tracer.recordCallFinish(
    callFinish({
      callId: values.callId,
      output: `output of ${values.callId}`,
      usage: usageOf({ inputTokens: 10, outputTokens: values.outputTokens }),
      durationMs: values.durationMs,
    }),
  );
  await tracer.flush();
  tracer.close();
}

describe("evaluation queries", () => {
  it("saves an evaluation running with every cell pending", () => {
    const database = setUp();
    addEvaluation(database, "e1");
    expect(getEvaluationRow({ evaluationId: "e1", database })).toMatchObject({
      status: "running",
      totalCells: 4,
      finishedAt: null,
    });
    expect(countCellsByStatus({ evaluationId: "e1", database })).toEqual({ pending: 4 });
    expect(listUnfinishedCells({ evaluationId: "e1", database })).toHaveLength(4);
  });

  it("reads a cell's figures from the recorded calls it points at, the judge's cost apart", async () => {
    const database = setUp();
    addEvaluation(database, "e1");
    await recordCall(database, { callId: "c1", outputTokens: 200, durationMs: 1_500 });
    await recordCall(database, { callId: "j1", outputTokens: 20, durationMs: 300 });
    updateCell({
      evaluationId: "e1",
      cell: {
        row: 0,
        target: 0,
        sample: 0,
        status: "ok",
        callId: "c1",
        passed: true,
        assertions: [{ type: "contains", passed: true, detail: "contains" }],
        judgeScore: 5,
        judgeCallId: "j1",
      },
      database,
    });
    const [first, ...others] = listCellFigures({ evaluationId: "e1", database });
    const callCost = (
      database.sqlite.prepare("select cost_usd from calls where id = ?").get("c1") as {
        cost_usd: number;
      }
    ).cost_usd;
    const judgeCost = (
      database.sqlite.prepare("select cost_usd from calls where id = ?").get("j1") as {
        cost_usd: number;
      }
    ).cost_usd;
    expect(callCost).toBeGreaterThan(0);
    expect(first).toEqual({
      row: 0,
      target: 0,
      sample: 0,
      status: "ok",
      passed: true,
      judgeScore: 5,
      latencyMs: 1_500,
      outputTokens: 200,
      costUsd: callCost,
      judgeCostUsd: judgeCost,
    });
    expect(others.every((cell) => cell.costUsd === null && cell.status === "pending")).toBe(true);

    const [page] = listCellsPage({ evaluationId: "e1", limit: 1, after: null, database });
    expect(page).toMatchObject({
      callId: "c1",
      output: "output of c1",
      error: null,
      judgeCallId: "j1",
      assertions: [{ type: "contains", passed: true, detail: "contains" }],
    });
  });

  it("pages cells in (row, target, sample) order after a cursor", () => {
    const database = setUp();
    addEvaluation(database, "e1");
    const first = listCellsPage({ evaluationId: "e1", limit: 3, after: null, database });
    expect(first.map((cell) => [cell.row, cell.target])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
    const rest = listCellsPage({
      evaluationId: "e1",
      limit: 3,
      after: { row: 1, target: 0, sample: 0 },
      database,
    });
    expect(rest.map((cell) => [cell.row, cell.target])).toEqual([[1, 1]]);
  });

  it("after a restart: running evaluations are interrupted, their running cells pending, ended ones kept", () => {
    const database = setUp();
    addEvaluation(database, "e1");
    addEvaluation(database, "e2");
    setEvaluationStatus({ evaluationId: "e2", status: "done", finishedAt: new Date(), database });
    updateCell({
      evaluationId: "e1",
      cell: { row: 0, target: 0, sample: 0, status: "ok", passed: true },
      database,
    });
    updateCell({
      evaluationId: "e1",
      cell: { row: 0, target: 1, sample: 0, status: "running" },
      database,
    });
    expect(markRunningEvaluationsInterrupted({ database })).toBe(1);
    expect(getEvaluationRow({ evaluationId: "e1", database })?.status).toBe("interrupted");
    expect(getEvaluationRow({ evaluationId: "e2", database })?.status).toBe("done");
    expect(countCellsByStatus({ evaluationId: "e1", database })).toEqual({ ok: 1, pending: 3 });
    expect(listUnfinishedCells({ evaluationId: "e1", database })).toEqual([
      { row: 0, target: 1, sample: 0 },
      { row: 1, target: 0, sample: 0 },
      { row: 1, target: 1, sample: 0 },
    ]);
    expect(markRunningEvaluationsInterrupted({ database })).toBe(0);
  });

  it("lists evaluations newest first with their models, without reading the stored rows", () => {
    const database = setUp();
    addEvaluation(database, "old", { createdAt: new Date("2026-01-01T00:00:00Z") });
    addEvaluation(database, "new", {
      createdAt: new Date("2026-03-01T00:00:00Z"),
      models: ["anthropic:claude-haiku-4-5"],
    });
    const listed = listEvaluations({ database });
    expect(listed.map((row) => [row.id, row.models])).toEqual([
      ["new", ["anthropic:claude-haiku-4-5"]],
      ["old", ["openai:gpt-4o-mini", "demo:fast"]],
    ]);
  });
});
