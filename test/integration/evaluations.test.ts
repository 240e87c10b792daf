/**
 * Evaluations end to end over HTTP, against fake OpenAI and Anthropic servers speaking their
 * real wire formats: results and the per-target summary, costs that are the recorded calls'
 * own, a judge whose calls are recorded as `judge`, cancel then resume, the events stream, the
 * CSV export, and bad input refused with a 4xx before any call.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type {
  EvaluationCreatedResponse,
  EvaluationEstimateResponse,
  EvaluationListResponse,
  EvaluationStreamEvent,
} from "@/lib/evaluations/evaluation-api";
import { DEFAULT_ROUTES, EVALUATION_ROUTES } from "@/test/support/app-server";
import {
  CAPITALS,
  capitalsAnswering,
  countryOf,
  getEvaluation,
  Hold,
  isJudgeRequest,
  postJson,
  saveCapitals,
  waitForDone,
  waitForStatus,
} from "@/test/support/evaluations-integration";
import type { RecordedRequest } from "@/test/support/fake-http-server";
import { flushRecorder, setUpIntegrationEnvironment } from "@/test/support/runs-integration";
import { followSseData } from "@/test/support/sse";

const hold = new Hold();

const TARGETS = [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }];

const environment = setUpIntegrationEnvironment({
  routes: [...DEFAULT_ROUTES, ...EVALUATION_ROUTES],
  // OpenAI gets Peru wrong; Anthropic knows every capital.
  openai: capitalsAnswering({ format: "openai", wrong: { Peru: "Cusco" }, hold }),
  anthropic: capitalsAnswering({ format: "anthropic", hold }),
});

// Runs before the environment closes: held questions are let go first.
afterAll(() => {
  hold.open();
});

beforeEach(() => {
  hold.open();
});

async function database() {
  await flushRecorder();
  const { getDb } = await import("@/lib/db/client");
  return getDb().sqlite;
}

function upstreamRequests(): RecordedRequest[] {
  return [...environment.openai.requests, ...environment.anthropic.requests];
}

async function create(body: unknown): Promise<string> {
  const created = await postJson<EvaluationCreatedResponse>(
    environment.app,
    "/api/evaluations",
    body,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.evaluationId;
}

describe("an evaluation", () => {
  it("estimates, runs every cell, and summarizes each target from the recorded calls", async () => {
    const { promptId, datasetId } = await saveCapitals(environment.app, {
      name: "capitals-results",
      countries: ["France", "Peru", "Japan"],
    });
    const body = {
      promptId,
      datasetId,
      targets: TARGETS,
      samples: 1,
      assertions: [{ type: "equals" }],
    };

    const estimate = await postJson<EvaluationEstimateResponse>(
      environment.app,
      "/api/evaluations/estimate",
      body,
    );
    expect(estimate.status).toBe(200);
    expect(estimate.body.cells).toBe(6);
    expect(estimate.body.estimatedCostUsd).toBeGreaterThan(0);
    expect(estimate.body.unpricedTargets).toEqual([]);

    const before = upstreamRequests().length;
    const created = await postJson<EvaluationCreatedResponse>(
      environment.app,
      "/api/evaluations",
      body,
    );
    expect(created.status).toBe(201);
    expect(created.body.cells).toBe(6);
    const { evaluationId } = created.body;

    const detail = await waitForStatus(environment.app, evaluationId, "done");
    expect(upstreamRequests().length - before).toBe(6);
    expect(detail.progress).toMatchObject({ done: 6, total: 6 });
    expect(detail.cells).toHaveLength(6);
    expect(detail.nextCursor).toBeNull();
    expect(detail.rows.map((row) => row.prompt)).toEqual([
      "What is the capital of France?",
      "What is the capital of Peru?",
      "What is the capital of Japan?",
    ]);

    const openaiPeru = detail.cells.find((cell) => cell.row === 1 && cell.target === 0);
    expect(openaiPeru).toMatchObject({ status: "ok", output: "Cusco", passed: false });
    expect(openaiPeru?.assertions[0]).toMatchObject({ type: "equals", passed: false });
    const anthropicPeru = detail.cells.find((cell) => cell.row === 1 && cell.target === 1);
    expect(anthropicPeru).toMatchObject({ output: "Lima", passed: true });

    const [openai, anthropic] = detail.targets;
    expect(openai).toMatchObject({ index: 0, model: "openai:gpt-4o-mini", errors: 0 });
    expect(openai?.passRate).toBeCloseTo(2 / 3, 10);
    expect(anthropic?.passRate).toBe(1);
    expect(openai?.outputTokens.mean).toBe(3);
    expect(openai?.latencyMs.mean).toBeGreaterThanOrEqual(0);

    // Every cell's call is recorded, as source `evaluation`; the totals are those calls' costs.
    const sqlite = await database();
    const recorded = sqlite
      .prepare(
        `select c.id, c.cost_usd as cost, c.source from calls c
         join evaluation_cells e on e.call_id = c.id where e.evaluation_id = ?`,
      )
      .all(evaluationId) as Array<{ id: string; cost: number; source: string }>;
    expect(recorded).toHaveLength(6);
    expect(new Set(recorded.map((call) => call.source))).toEqual(new Set(["evaluation"]));
    const bySource = sqlite
      .prepare("select count(*) as calls, sum(cost_usd) as cost from calls where source = ?")
      .get("evaluation") as { calls: number; cost: number };
    expect(bySource.calls).toBe(6);
    const total = detail.targets.reduce((sum, target) => sum + (target.costUsd.total ?? 0), 0);
    expect(bySource.cost).toBeGreaterThan(0);
    expect(total).toBeCloseTo(bySource.cost, 12);
    expect(detail.progress.costUsd).toBeCloseTo(bySource.cost, 12);
    expect(openai?.costUsd.meanPerRow).toBeCloseTo((openai?.costUsd.total ?? 0) / 3, 12);

    // Listed, newest first, with its models.
    const list = (await (
      await fetch(`${environment.app.url}/api/evaluations`)
    ).json()) as EvaluationListResponse;
    expect(list.evaluations[0]).toMatchObject({
      evaluationId,
      status: "done",
      cells: 6,
      models: ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"],
    });

    // Paged cells: the cursor leads to the rest, the summary is always over every cell.
    const first = await getEvaluation(environment.app, evaluationId, "?limit=4");
    expect(first.cells).toHaveLength(4);
    expect(first.nextCursor).not.toBeNull();
    expect(first.targets).toEqual(detail.targets);
    const rest = await getEvaluation(
      environment.app,
      evaluationId,
      `?limit=4&cursor=${encodeURIComponent(first.nextCursor ?? "")}`,
    );
    expect([...first.cells, ...rest.cells]).toEqual(detail.cells);
    expect(rest.nextCursor).toBeNull();

    // The CSV export: one line per cell with the verdict and the output.
    const csv = await fetch(
      `${environment.app.url}/api/evaluations/${evaluationId}/export?format=csv`,
    );
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = parse(await csv.text(), { columns: true }) as Array<Record<string, string>>;
    expect(lines).toHaveLength(6);
    expect(lines.find((line) => line.row === "2" && line.target === "0")).toMatchObject({
      model: "openai:gpt-4o-mini",
      passed: "fail",
      output: "Cusco",
      expected: "Lima",
      prompt: "What is the capital of Peru?",
    });
  });

  it("asks the judge, whose calls are recorded as `judge` and whose cost is shown apart", async () => {
    const { promptId, datasetId } = await saveCapitals(environment.app, {
      name: "capitals-judge",
      countries: ["France", "Peru"],
    });
    const evaluationId = await create({
      promptId,
      datasetId,
      targets: [{ model: "openai:gpt-4o-mini" }],
      samples: 2,
      assertions: [
        { type: "judge", model: "anthropic:claude-haiku-4-5", rubric: "Names the right capital." },
      ],
    });
    const detail = await waitForStatus(environment.app, evaluationId, "done");
    expect(detail.cells).toHaveLength(4);
    const france = detail.cells.filter((cell) => cell.row === 0);
    const peru = detail.cells.filter((cell) => cell.row === 1);
    expect(france.every((cell) => cell.passed === true && cell.judgeScore === 5)).toBe(true);
    expect(peru.every((cell) => cell.passed === false && cell.judgeScore === 2)).toBe(true);
    expect(peru[0]?.assertions[0]?.detail).toContain("scored 2/5");

    const judged = environment.anthropic.requests.filter(isJudgeRequest);
    expect(judged.length).toBeGreaterThanOrEqual(4);
    const sqlite = await database();
    const judgeCalls = sqlite
      .prepare(
        `select c.source, c.cost_usd as cost from calls c
         join evaluation_cells e on e.judge_call_id = c.id where e.evaluation_id = ?`,
      )
      .all(evaluationId) as Array<{ source: string; cost: number }>;
    expect(judgeCalls).toHaveLength(4);
    expect(judgeCalls.every((call) => call.source === "judge")).toBe(true);
    const judgeCost = judgeCalls.reduce((sum, call) => sum + call.cost, 0);
    expect(judgeCost).toBeGreaterThan(0);
    expect(detail.targets[0]?.judgeCostUsd).toBeCloseTo(judgeCost, 12);
    expect(detail.targets[0]?.meanJudgeScore).toBeCloseTo(3.5, 10);
    // Two samples that agree on every row.
    expect(detail.targets[0]?.disagreement).toBe(0);
    const targetCost = detail.targets[0]?.costUsd.total ?? 0;
    expect(detail.progress.costUsd).toBeCloseTo(targetCost + judgeCost, 12);
  });

  it("cancel stops it at once, keeping ended cells; resume runs only the others", async () => {
    const { promptId, datasetId } = await saveCapitals(environment.app, {
      name: "capitals-cancel",
      countries: ["France", "Peru", "Japan", "Kenya"],
    });
    hold.close(["Japan", "Kenya"]);
    const asked = (country: string) =>
      upstreamRequests().filter(
        (request) => !isJudgeRequest(request) && countryOf(request) === country,
      ).length;
    const askedBefore = Object.fromEntries(
      Object.keys(CAPITALS).map((name) => [name, asked(name)]),
    );

    const evaluationId = await create({
      promptId,
      datasetId,
      targets: TARGETS,
      samples: 1,
      assertions: [{ type: "equals" }],
    });
    // France and Peru answer; Japan and Kenya wait upstream until the cancel.
    await waitForDone(environment.app, evaluationId, 4);
    const events: EvaluationStreamEvent[] = [];
    const stream = await fetch(`${environment.app.url}/api/evaluations/${evaluationId}/events`);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const followed = followSseData(stream.body as ReadableStream<Uint8Array>, (data) => {
      events.push(data as EvaluationStreamEvent);
    });

    const cancelled = await postJson(
      environment.app,
      `/api/evaluations/${evaluationId}/cancel`,
      {},
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ evaluationId, status: "cancelled" });
    await followed;
    expect(events[0]).toMatchObject({ type: "progress", done: 4, total: 8 });
    expect(events[1]).toEqual({ type: "status", status: "running" });
    expect(events.at(-1)).toEqual({ type: "status", status: "cancelled" });
    expect(events.some((event) => event.type === "cell" && event.cell.status === "cancelled")).toBe(
      true,
    );

    const stopped = await getEvaluation(environment.app, evaluationId);
    expect(stopped.status).toBe("cancelled");
    expect(stopped.progress.done).toBe(4);
    const open = stopped.cells.filter((cell) => cell.row >= 2);
    expect(open.every((cell) => cell.status === "cancelled" && cell.passed === null)).toBe(true);
    // The held upstream requests were aborted by the cancel.
    const sqlite = await database();
    const statuses = sqlite
      .prepare(
        `select c.status from calls c join evaluation_cells e on e.call_id = c.id
         where e.evaluation_id = ? and e.row >= 2`,
      )
      .all(evaluationId) as Array<{ status: string }>;
    expect(statuses.map((row) => row.status)).toEqual([
      "cancelled",
      "cancelled",
      "cancelled",
      "cancelled",
    ]);

    // A second cancel is a conflict, as is a resume of a done evaluation later.
    expect(
      (await postJson(environment.app, `/api/evaluations/${evaluationId}/cancel`, {})).status,
    ).toBe(409);

    hold.open();
    const resumed = await postJson(environment.app, `/api/evaluations/${evaluationId}/resume`, {});
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual({ evaluationId, status: "running", cells: 4 });
    const finished = await waitForStatus(environment.app, evaluationId, "done");
    expect(finished.progress).toMatchObject({ done: 8, total: 8 });
    expect(finished.cells.every((cell) => cell.status === "ok")).toBe(true);
    expect(finished.targets[1]?.passRate).toBe(1);
    // France and Peru were asked once per target; Japan and Kenya twice (cancelled, then resumed).
    expect(asked("France") - (askedBefore.France ?? 0)).toBe(2);
    expect(asked("Peru") - (askedBefore.Peru ?? 0)).toBe(2);
    expect(asked("Japan") - (askedBefore.Japan ?? 0)).toBe(4);
    expect(
      (await postJson(environment.app, `/api/evaluations/${evaluationId}/resume`, {})).status,
    ).toBe(409);
  });
});

describe("bad input", () => {
  let ids: { promptId: string; datasetId: string };

  beforeAll(async () => {
    ids = await saveCapitals(environment.app, { name: "capitals-bad", countries: ["France"] });
  });

  async function refused(body: unknown) {
    const before = upstreamRequests().length;
    const listed = async () =>
      (
        (await (
          await fetch(`${environment.app.url}/api/evaluations`)
        ).json()) as EvaluationListResponse
      ).evaluations.length;
    const count = await listed();
    const answer = await postJson(environment.app, "/api/evaluations", body);
    const estimate = await postJson(environment.app, "/api/evaluations/estimate", body);
    expect(estimate.status).toBe(answer.status);
    expect(upstreamRequests().length).toBe(before);
    expect(await listed()).toBe(count);
    return answer;
  }

  it("a template variable missing from rows: 400 missing_variables naming them and the rows", async () => {
    const dataset = await postJson<{ datasetId: string }>(environment.app, "/api/datasets", {
      name: "partial",
      rows: [
        { vars: { country: "France" } },
        { vars: { city: "Lima" } },
        { vars: { city: "Quito" } },
      ],
    });
    expect(dataset.status).toBe(201);
    const answer = await refused({ ...ids, datasetId: dataset.body.datasetId, targets: TARGETS });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe("missing_variables");
    expect(answer.body.error?.message).toContain("country (rows 2, 3)");
  });

  it("an unknown prompt, version or test set: 404", async () => {
    for (const body of [
      { ...ids, promptId: "no-such-prompt", targets: TARGETS },
      { ...ids, version: 9, targets: TARGETS },
      { ...ids, datasetId: "no-such-dataset", targets: TARGETS },
    ]) {
      const answer = await refused(body);
      expect(answer.status).toBe(404);
      expect(answer.body.error?.code).toBe("not_found");
    }
  });

  it("samples outside 1–10, bad targets, assertions and JSON: 400", async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...ids, targets: TARGETS, samples: 0 }, "invalid_request"],
      [{ ...ids, targets: TARGETS, samples: 11 }, "invalid_request"],
      [{ ...ids, targets: TARGETS, samples: 1.5 }, "invalid_request"],
      [{ ...ids, targets: [] }, "invalid_request"],
      [{ ...ids, targets: [{ model: "nonsense" }] }, "invalid_model"],
      [
        { ...ids, targets: [{ model: "openai:gpt-4o-mini", params: { temperature: 7 } }] },
        "invalid_params",
      ],
      [
        { ...ids, targets: TARGETS, assertions: [{ type: "regex", pattern: "(" }] },
        "invalid_request",
      ],
      [{ ...ids, targets: TARGETS, assertions: [{ type: "nope" }] }, "invalid_request"],
      [{ ...ids, targets: TARGETS, concurrency: 0 }, "invalid_request"],
      ["{not json", "invalid_json"],
    ];
    for (const [body, code] of cases) {
      const answer = await refused(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error?.code, JSON.stringify(body)).toBe(code);
      expect(answer.body.error?.message).toBeTruthy();
    }
  });

  it("an unknown evaluation is a 404 everywhere; a bad page is a 400", async () => {
    const base = `${environment.app.url}/api/evaluations/no-such-evaluation`;
    expect((await fetch(base)).status).toBe(404);
    expect((await fetch(`${base}/events`)).status).toBe(404);
    expect((await fetch(`${base}/export?format=csv`)).status).toBe(404);
    expect((await fetch(`${base}/cancel`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${base}/resume`, { method: "POST" })).status).toBe(404);
    const { evaluationId } = (
      (await (
        await fetch(`${environment.app.url}/api/evaluations`)
      ).json()) as EvaluationListResponse
    ).evaluations[0] ?? { evaluationId: "none" };
    for (const query of ["?limit=0", "?limit=x", "?cursor=bogus"]) {
      const answer = await fetch(`${environment.app.url}/api/evaluations/${evaluationId}${query}`);
      expect(answer.status, query).toBe(400);
    }
    expect(
      (await fetch(`${environment.app.url}/api/evaluations/${evaluationId}/export?format=xml`))
        .status,
    ).toBe(400);
  });
});
