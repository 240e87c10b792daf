/**
 * Evaluations in the app: the request checked against the stored prompt version and test set,
 * the evaluation saved cell by cell, and the runner wired to the run manager, so every cell
 * and judge call is an ordinary recorded call (source `evaluation` / `judge`) with the run
 * manager's retries. What the routes answer is built here, in the shapes of `evaluation-api.ts`.
 */
import "server-only";
import { stringify } from "csv-stringify/sync";
import { getDatasetById } from "@/lib/db/dataset-queries";
import {
  type CellView,
  getEvaluationRow,
  insertEvaluation,
  listCellFigures,
  listCellsPage,
  listEvaluations,
  listUnfinishedCells,
  setEvaluationStatus,
  updateCell,
} from "@/lib/db/evaluation-queries";
import { getPromptById, type PromptVersionView } from "@/lib/db/prompt-queries";
import { listPriceOverrides } from "@/lib/db/queries";
import type { EvaluationRow } from "@/lib/db/schema";
import { evaluationConcurrency } from "@/lib/env";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { Message, ResponseFormat, ToolDefinition } from "@/lib/models/types";
import { getRunManager, UNWATCHED_RUN_RETENTION_MS } from "@/lib/runs";
import { newId } from "@/lib/runs/new-id";
import type { RunMessage } from "@/lib/runs/run-request";
import { prepareAssertions } from "./assertions";
import type {
  EvaluationCell,
  EvaluationControlResponse,
  EvaluationCreatedResponse,
  EvaluationDetailResponse,
  EvaluationEstimateResponse,
  EvaluationListResponse,
  EvaluationProgress,
  EvaluationStatus,
  EvaluationStreamEvent,
  EvaluationTargetSummary,
} from "./evaluation-api";
import {
  type EvaluationPlan,
  type EvaluationRequest,
  estimateEvaluation,
  type PlannedRow,
  parseEvaluationRequest,
  planEvaluation,
} from "./evaluation-plan";
import {
  type CallExecutor,
  type CallRequest,
  EvaluationRunner,
  type ExecutedCall,
  type RunnableEvaluation,
} from "./evaluation-runner";
import { type CellFigures, summarizeTarget } from "./summary";

/** What an evaluation keeps of its request: enough to show it and to resume it after a restart. */
export interface EvaluationConfig {
  request: EvaluationRequest;
  version: {
    system: string | null;
    tools: ToolDefinition[] | null;
    responseFormat: ResponseFormat | null;
  };
  /** The rows as rendered when it started: editing the test set later changes nothing here. */
  rows: PlannedRow[];
}

export const DEFAULT_CELLS_PAGE = 5_000;
export const MAX_CELLS_PAGE = 20_000;

function configOf(row: EvaluationRow): EvaluationConfig {
  return row.config as unknown as EvaluationConfig;
}

function toRunMessage(message: Message): RunMessage {
  if (message.role !== "user" || typeof message.content !== "string") {
    throw new InvalidInputError({ message: "an evaluation sends one user message of text" });
  }
  return { role: "user", content: message.content };
}

/** One call through the run manager: recorded, priced and retried like any other. */
const executeThroughRunManager: CallExecutor = async (request: CallRequest) => {
  const run = getRunManager().startRun(
    {
      ...(request.system ? { system: request.system } : {}),
      messages: request.messages.map(toRunMessage),
      targets: [request.target],
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.responseFormat ? { responseFormat: request.responseFormat } : {}),
    },
    { context: { source: request.source }, retainMs: UNWATCHED_RUN_RETENTION_MS },
  );
  const onAbort = () => run.cancel();
  request.signal.addEventListener("abort", onAbort, { once: true });
  if (request.signal.aborted) run.cancel();
  try {
    await run.done;
  } finally {
    request.signal.removeEventListener("abort", onAbort);
  }
  const call = run.calls[0];
  if (!call) throw new Error("a run without its call");
  const status: ExecutedCall["status"] =
    call.status === "running" ? "interrupted" : (call.status as ExecutedCall["status"]);
  return {
    callId: call.callId,
    status,
    output: call.output,
    latencyMs: call.durationMs,
    costUsd: call.costUsd,
    errorMessage: call.error?.message ?? null,
  };
};

const globalStore = globalThis as typeof globalThis & {
  __locusPlaygroundEvaluations?: EvaluationRunner;
};

export function getEvaluationRunner(): EvaluationRunner {
  if (!globalStore.__locusPlaygroundEvaluations) {
    const { perProvider, total } = evaluationConcurrency();
    globalStore.__locusPlaygroundEvaluations = new EvaluationRunner({
      execute: executeThroughRunManager,
      perProvider,
      total,
      store: {
        updateCell: (evaluationId, cell) => updateCell({ evaluationId, cell }),
        setStatus: (evaluationId, status) =>
          setEvaluationStatus({
            evaluationId,
            status,
            finishedAt: status === "running" ? null : new Date(),
          }),
      },
    });
  }
  return globalStore.__locusPlaygroundEvaluations;
}

interface Prepared {
  request: EvaluationRequest;
  version: PromptVersionView;
  plan: EvaluationPlan;
}

/** Checks the request against what is stored; throws before anything is saved or called. */
function prepare(body: unknown): Prepared {
  const request = parseEvaluationRequest(body);
  const prompt = getPromptById({ promptId: request.promptId });
  if (!prompt) throw new NotFoundError(`no prompt ${request.promptId}`);
  const wanted = request.version ?? prompt.latestVersion;
  const version = prompt.versions.find((candidate) => candidate.version === wanted);
  if (!version) throw new NotFoundError(`prompt ${prompt.promptId} has no version ${wanted}`);
  const dataset = getDatasetById({ datasetId: request.datasetId });
  if (!dataset) throw new NotFoundError(`no test set ${request.datasetId}`);
  if (dataset.items.length === 0) {
    throw new InvalidInputError({
      code: "invalid_dataset",
      message: `test set ${dataset.datasetId} has no rows`,
    });
  }
  const plan = planEvaluation({
    request,
    version: { system: version.system, template: version.template },
    rows: dataset.items,
  });
  return { request, version, plan };
}

export function estimateEvaluationCost(body: unknown): EvaluationEstimateResponse {
  const { request, version, plan } = prepare(body);
  return estimateEvaluation({
    request,
    version: { system: version.system, template: version.template },
    plan,
    overrides: listPriceOverrides(),
  });
}

export function createEvaluation(body: unknown): EvaluationCreatedResponse {
  const { request, version, plan } = prepare(body);
  const id = newId();
  const config: EvaluationConfig = {
    request: { ...request, version: version.version },
    version: {
      system: version.system,
      tools: version.tools,
      responseFormat: version.responseFormat,
    },
    rows: plan.rows,
  };
  insertEvaluation({
    evaluation: {
      id,
      createdAt: new Date(),
      promptId: request.promptId,
      promptVersion: version.version,
      datasetId: request.datasetId,
      config: config as unknown as Record<string, unknown>,
      totalCells: plan.cells.length,
    },
    cells: plan.cells,
  });
  startInBackground({
    id,
    request: config.request,
    version: config.version,
    plan,
    cells: plan.cells,
  });
  return { evaluationId: id, cells: plan.cells.length };
}

function startInBackground(
  evaluation: RunnableEvaluation,
  options: { alreadyDone?: number; alreadySpentUsd?: number } = {},
): void {
  getEvaluationRunner()
    .start(evaluation, options)
    .catch((error: unknown) => {
      console.error(
        "locus-playground: an evaluation stopped abnormally:",
        error instanceof Error ? error.name : typeof error,
      );
      setEvaluationStatus({ evaluationId: evaluation.id, status: "interrupted" });
    });
}

function evaluationRowOf(evaluationId: string): EvaluationRow {
  const row = getEvaluationRow({ evaluationId });
  if (!row) throw new NotFoundError(`no evaluation ${evaluationId}`);
  return row;
}

const ENDED = new Set(["ok", "error"]);

function progressOf(options: {
  evaluationId: string;
  total: number;
  figures: readonly CellFigures[];
}): EvaluationProgress {
  let done = 0;
  let costUsd = 0;
  for (const cell of options.figures) {
    if (ENDED.has(cell.status)) done += 1;
    costUsd += (cell.costUsd ?? 0) + (cell.judgeCostUsd ?? 0);
  }
  const live = getEvaluationRunner().progress(options.evaluationId);
  return { done, total: options.total, costUsd, etaMs: live?.etaMs ?? null };
}

function targetSummaries(
  config: EvaluationConfig,
  figures: readonly CellFigures[],
): EvaluationTargetSummary[] {
  const byTarget = new Map<number, CellFigures[]>();
  for (const cell of figures) {
    const own = byTarget.get(cell.target) ?? [];
    own.push(cell);
    byTarget.set(cell.target, own);
  }
  return config.request.targets.map((target, index) => {
    const summary = summarizeTarget(index, byTarget.get(index) ?? []);
    return {
      index,
      model: target.model,
      passRate: summary.passRate,
      latencyMs: summary.latencyMs,
      outputTokens: summary.outputTokens,
      costUsd: summary.costUsd,
      errors: summary.errors,
      judgeCostUsd: summary.judgeCostUsd,
      meanJudgeScore: summary.meanJudgeScore,
      disagreement: summary.disagreement,
    };
  });
}

function apiCell(cell: CellView): EvaluationCell {
  return {
    row: cell.row,
    target: cell.target,
    sample: cell.sample,
    callId: cell.callId,
    status: cell.status,
    output: cell.callId === null ? null : cell.output,
    passed: cell.passed,
    assertions: cell.assertions as EvaluationCell["assertions"],
    latencyMs: cell.latencyMs,
    outputTokens: cell.outputTokens,
    costUsd: cell.costUsd,
    error: cell.error,
    judgeScore: cell.judgeScore,
    judgeCallId: cell.judgeCallId,
    judgeCostUsd: cell.judgeCostUsd,
  };
}

type CellKey = { row: number; target: number; sample: number };

function encodeCursor(cell: CellKey): string {
  return `${cell.row}.${cell.target}.${cell.sample}`;
}

function decodeCursor(cursor: string): CellKey {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(cursor);
  if (!match) throw new InvalidInputError({ message: "cursor: not a cursor this API gave" });
  return { row: Number(match[1]), target: Number(match[2]), sample: Number(match[3]) };
}

export function parseCellsPage(searchParams: URLSearchParams): {
  limit: number;
  cursor: string | null;
} {
  const rawLimit = searchParams.get("limit");
  const limit = rawLimit === null ? DEFAULT_CELLS_PAGE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CELLS_PAGE) {
    throw new InvalidInputError({
      message: `limit: a whole number from 1 to ${MAX_CELLS_PAGE}`,
    });
  }
  const cursor = searchParams.get("cursor");
  if (cursor !== null) decodeCursor(cursor);
  return { limit, cursor };
}

export function getEvaluationDetail(options: {
  evaluationId: string;
  limit?: number;
  cursor?: string | null;
}): EvaluationDetailResponse {
  const row = evaluationRowOf(options.evaluationId);
  const config = configOf(row);
  const figures = listCellFigures({ evaluationId: row.id });
  const limit = options.limit ?? DEFAULT_CELLS_PAGE;
  const page = listCellsPage({
    evaluationId: row.id,
    limit: limit + 1,
    after: options.cursor ? decodeCursor(options.cursor) : null,
  });
  const more = page.length > limit;
  const cells = (more ? page.slice(0, limit) : page).map(apiCell);
  const last = cells.at(-1);
  return {
    evaluationId: row.id,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    status: row.status,
    promptId: row.promptId,
    version: row.promptVersion,
    datasetId: row.datasetId,
    samples: config.request.samples,
    assertions: config.request.assertions,
    progress: progressOf({ evaluationId: row.id, total: row.totalCells, figures }),
    targets: targetSummaries(config, figures),
    rows: config.rows.map((planned) => ({
      row: planned.index,
      prompt: planned.prompt,
      expected: planned.expected,
    })),
    cells,
    nextCursor: more && last ? encodeCursor(last) : null,
  };
}

export function listEvaluationItems(): EvaluationListResponse {
  return {
    evaluations: listEvaluations().map((row) => ({
      evaluationId: row.id,
      createdAt: row.createdAt.toISOString(),
      status: row.status,
      promptId: row.promptId,
      version: row.promptVersion,
      datasetId: row.datasetId,
      cells: row.totalCells,
      models: row.models,
    })),
  };
}

const SETTLE_TIMEOUT_MS = 5_000;

/** Stops an evaluation: its calls are aborted at once; answers once they have settled (bounded). */
export async function cancelEvaluation(evaluationId: string): Promise<EvaluationControlResponse> {
  const row = evaluationRowOf(evaluationId);
  const runner = getEvaluationRunner();
  const settled = runner.settled(evaluationId);
  if (settled && runner.cancel(evaluationId)) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      settled.catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SETTLE_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    return { evaluationId, status: evaluationRowOf(evaluationId).status, cells: 0 };
  }
  if (row.status === "done" || row.status === "cancelled") {
    throw new ConflictError(`evaluation ${evaluationId} is ${row.status} already`);
  }
  // Left `running` or `interrupted` with nothing running it here (a crash): it stops as it is.
  setEvaluationStatus({ evaluationId, status: "cancelled", finishedAt: new Date() });
  return { evaluationId, status: "cancelled", cells: 0 };
}

/**
 * Runs the cells of an interrupted (or cancelled) evaluation that had not ended, keeping
 * those that had; the same prompt version, rendered rows, targets and assertions.
 */
export function resumeEvaluation(evaluationId: string): EvaluationControlResponse {
  const row = evaluationRowOf(evaluationId);
  const runner = getEvaluationRunner();
  if (runner.isRunning(evaluationId) || row.status === "running") {
    throw new ConflictError(`evaluation ${evaluationId} is running`);
  }
  if (row.status === "done") {
    throw new ConflictError(`evaluation ${evaluationId} is done: nothing to resume`);
  }
  const config = configOf(row);
  const cells = listUnfinishedCells({ evaluationId });
  if (cells.length === 0) {
    setEvaluationStatus({ evaluationId, status: "done", finishedAt: new Date() });
    return { evaluationId, status: "done", cells: 0 };
  }
  const figures = listCellFigures({ evaluationId });
  const spent = figures.reduce(
    (sum, cell) =>
      ENDED.has(cell.status) ? sum + (cell.costUsd ?? 0) + (cell.judgeCostUsd ?? 0) : sum,
    0,
  );
  const plan: EvaluationPlan = {
    rows: config.rows,
    cells,
    assertions: prepareAssertions(config.request.assertions),
  };
  startInBackground(
    { id: evaluationId, request: config.request, version: config.version, plan, cells },
    { alreadyDone: row.totalCells - cells.length, alreadySpentUsd: spent },
  );
  return { evaluationId, status: "running", cells: cells.length };
}

/** The live events of a running evaluation, or its state once when it is not running. */
export function evaluationEvents(options: {
  evaluationId: string;
  signal: AbortSignal;
}): ReadableStream<Uint8Array> {
  const row = evaluationRowOf(options.evaluationId);
  const encoder = new TextEncoder();
  const frame = (event: EvaluationStreamEvent) =>
    encoder.encode(`data: ${JSON.stringify(event)}\n\n`);
  const runner = getEvaluationRunner();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const figures = listCellFigures({ evaluationId: row.id });
      const progress = progressOf({ evaluationId: row.id, total: row.totalCells, figures });
      let closed = false;
      let unsubscribe: (() => void) | null = null;
      const close = () => {
        if (closed) return;
        closed = true;
        unsubscribe?.();
        controller.close();
      };
      unsubscribe = runner.subscribe(row.id, (event) => {
        if (closed) return;
        controller.enqueue(frame(event));
        if (event.type === "status" && event.status !== "running") close();
      });
      const status: EvaluationStatus = unsubscribe
        ? "running"
        : (getEvaluationRow({ evaluationId: row.id })?.status ?? row.status);
      controller.enqueue(frame({ type: "progress", ...progress }));
      controller.enqueue(frame({ type: "status", status }));
      if (!unsubscribe) {
        close();
        return;
      }
      options.signal.addEventListener("abort", close, { once: true });
    },
  });
}

const CSV_COLUMNS = [
  "row",
  "target",
  "model",
  "sample",
  "status",
  "passed",
  "prompt",
  "expected",
  "output",
  "assertions",
  "latency_ms",
  "output_tokens",
  "cost_usd",
  "judge_score",
  "judge_cost_usd",
  "error",
  "call_id",
];

/** Every cell as one CSV line, page by page, with the row's prompt and each assertion's verdict. */
export function* evaluationCsvChunks(evaluationId: string): Generator<string> {
  const row = evaluationRowOf(evaluationId);
  const config = configOf(row);
  const rows = new Map(config.rows.map((planned) => [planned.index, planned]));
  yield stringify([CSV_COLUMNS]);
  let after: CellKey | null = null;
  for (;;) {
    const page = listCellsPage({ evaluationId, limit: 2_000, after });
    if (page.length === 0) return;
    yield stringify(
      page.map((cell) => {
        const planned = rows.get(cell.row);
        return [
          cell.row + 1,
          cell.target,
          config.request.targets[cell.target]?.model ?? "",
          cell.sample + 1,
          cell.status,
          cell.passed === null ? "" : cell.passed ? "pass" : "fail",
          planned?.prompt ?? "",
          planned?.expected ?? "",
          cell.callId === null ? "" : (cell.output ?? ""),
          cell.assertions
            .map(
              (result) => `${result.type}: ${result.passed ? "pass" : "fail"} (${result.detail})`,
            )
            .join("; "),
          cell.latencyMs ?? "",
          cell.outputTokens ?? "",
          cell.costUsd ?? "",
          cell.judgeScore ?? "",
          cell.judgeCostUsd ?? "",
          cell.error ?? "",
          cell.callId ?? "",
        ];
      }),
    );
    const last: CellView | undefined = page.at(-1);
    if (!last || page.length < 2_000) return;
    after = { row: last.row, target: last.target, sample: last.sample };
  }
}
