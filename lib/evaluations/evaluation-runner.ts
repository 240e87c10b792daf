/**
 * Runs evaluations: every cell is one call made through the call executor (the run manager,
 * so it is recorded, priced and retried like any playground call, with source `evaluation`;
 * judge calls with source `judge`), with the scheduler's per-provider bounds, then checked by
 * the assertions. State lives in the store cell by cell, so a restart loses nothing that ended:
 * the evaluation is `interrupted` and `resume` runs only the cells that had not.
 */
import { setMaxListeners } from "node:events";
import pLimit, { type LimitFunction } from "p-limit";
import { ConflictError, NotFoundError } from "@/lib/errors";
import type { Message, ResponseFormat, ToolDefinition } from "@/lib/models/types";
import type { RunTarget } from "@/lib/runs/run-request";
import {
  type AssertionResult,
  type CellOutcome,
  type CheckableAssertion,
  checkAssertion,
  type JudgeAssertion,
  type PreparedAssertion,
} from "./assertions";
import type { EvaluationStreamEvent } from "./evaluation-api";
import type { EvaluationPlan, EvaluationRequest, PlannedRow } from "./evaluation-plan";
import { DEFAULT_PASS_SCORE, JUDGE_SYSTEM_PROMPT, judgeMessages, parseJudgeVerdict } from "./judge";
import { DEFAULT_PROVIDER_CONCURRENCY, estimateRemainingMs, runCells } from "./scheduler";

export type CallSource = "evaluation" | "judge";

export interface CallRequest {
  system: string | null;
  messages: Message[];
  target: RunTarget;
  tools: ToolDefinition[] | null;
  responseFormat: ResponseFormat | null;
  source: CallSource;
  signal: AbortSignal;
}

export interface ExecutedCall {
  callId: string;
  status: "ok" | "error" | "cancelled" | "interrupted";
  output: string;
  latencyMs: number | null;
  costUsd: number | null;
  errorMessage: string | null;
}

/** Makes one call the way every call is made, and resolves once it has ended. */
export type CallExecutor = (request: CallRequest) => Promise<ExecutedCall>;

export interface CellKeyWithStatus {
  row: number;
  target: number;
  sample: number;
}

/** A cell as the runner leaves it once its call (and judge) ended. */
export interface StoredCell extends CellKeyWithStatus {
  status: ExecutedCall["status"];
  callId: string | null;
  passed: boolean | null;
  assertions: AssertionResult[];
  judgeScore: number | null;
  judgeCallId: string | null;
}

export interface CellResult extends CellKeyWithStatus {
  status: "running" | ExecutedCall["status"];
  callId?: string | null;
  passed?: boolean | null;
  assertions?: AssertionResult[];
  judgeScore?: number | null;
  judgeCallId?: string | null;
}

/** What the runner needs from the store; the app passes lib/db's queries. */
export interface EvaluationStore {
  updateCell: (evaluationId: string, cell: CellResult) => void;
  setStatus: (
    evaluationId: string,
    status: "running" | "done" | "cancelled" | "interrupted",
  ) => void;
}

export interface RunnableEvaluation {
  id: string;
  request: EvaluationRequest;
  version: {
    system: string | null;
    tools: ToolDefinition[] | null;
    responseFormat: ResponseFormat | null;
  };
  plan: EvaluationPlan;
  /** Cells to run: all of them, or on resume those that had not ended. */
  cells: readonly CellKeyWithStatus[];
}

export type EvaluationEvent = EvaluationStreamEvent;

/** The overall bound when neither the evaluation nor the runner names one. */
export const DEFAULT_TOTAL_CONCURRENCY = 16;

export interface RunnerProgress {
  done: number;
  total: number;
  costUsd: number;
  etaMs: number | null;
}

interface Active {
  controller: AbortController;
  listeners: Set<(event: EvaluationEvent) => void>;
  done: Promise<void>;
  /** Cells ended, those of earlier runs (before a resume) included. */
  completed: number;
  /** Cells ended in this run, and when it started: the pace for the ETA. */
  completedHere: number;
  startedAt: number;
  total: number;
  costUsd: number;
}

function providerOf(model: string): string {
  return model.slice(0, model.indexOf(":"));
}

export class EvaluationRunner {
  private readonly active = new Map<string, Active>();

  constructor(
    private readonly options: {
      execute: CallExecutor;
      store: EvaluationStore;
      /** Calls in flight to one provider, judge calls counted apart; default 4. */
      perProvider?: number;
      /** Calls in flight overall unless the evaluation names its own `concurrency`. */
      total?: number;
      now?: () => number;
    },
  ) {}

  /** Judge calls are bounded per provider too, by their own limiters (never a cell's slot). */
  private readonly judgeLimits = new Map<string, LimitFunction>();

  private judgeLimit(model: string): LimitFunction {
    const provider = providerOf(model);
    let limit = this.judgeLimits.get(provider);
    if (!limit) {
      limit = pLimit(this.options.perProvider ?? DEFAULT_PROVIDER_CONCURRENCY);
      this.judgeLimits.set(provider, limit);
    }
    return limit;
  }

  private now(): number {
    return this.options.now?.() ?? performance.now();
  }

  isRunning(evaluationId: string): boolean {
    return this.active.has(evaluationId);
  }

  progress(evaluationId: string): RunnerProgress | null {
    const active = this.active.get(evaluationId);
    return active ? this.progressOf(active) : null;
  }

  private progressOf(active: Active): RunnerProgress {
    return {
      done: active.completed,
      total: active.total,
      costUsd: active.costUsd,
      etaMs: estimateRemainingMs({
        startedAt: active.startedAt,
        now: this.now(),
        done: active.completedHere,
        total: active.total - active.completed + active.completedHere,
      }),
    };
  }

  /** Follows a running evaluation; returns `null` when it is not running here. */
  subscribe(evaluationId: string, listener: (event: EvaluationEvent) => void): (() => void) | null {
    const active = this.active.get(evaluationId);
    if (!active) return null;
    active.listeners.add(listener);
    return () => active.listeners.delete(listener);
  }

  /** Starts (or resumes) an evaluation in the background; resolves when it has ended. */
  start(
    evaluation: RunnableEvaluation,
    options: { alreadyDone?: number; alreadySpentUsd?: number } = {},
  ): Promise<void> {
    if (this.active.has(evaluation.id)) {
      throw new ConflictError(`evaluation ${evaluation.id} is already running`);
    }
    const controller = new AbortController();
    // Every call in flight listens for the cancel: as many as the overall bound allows.
    const bound = evaluation.request.concurrency ?? this.options.total ?? DEFAULT_TOTAL_CONCURRENCY;
    setMaxListeners(bound * 2 + 10, controller.signal);
    const active: Active = {
      controller,
      listeners: new Set(),
      done: Promise.resolve(),
      completed: options.alreadyDone ?? 0,
      completedHere: 0,
      startedAt: this.now(),
      total: (options.alreadyDone ?? 0) + evaluation.cells.length,
      costUsd: options.alreadySpentUsd ?? 0,
    };
    this.active.set(evaluation.id, active);
    this.options.store.setStatus(evaluation.id, "running");
    active.done = this.run(evaluation, active).finally(() => this.active.delete(evaluation.id));
    return active.done;
  }

  /** Resolves when the running evaluation has ended; `null` when it is not running here. */
  settled(evaluationId: string): Promise<void> | null {
    return this.active.get(evaluationId)?.done ?? null;
  }

  cancel(evaluationId: string): boolean {
    const active = this.active.get(evaluationId);
    if (!active) return false;
    active.controller.abort();
    return true;
  }

  /** Waits for every running evaluation (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.active.values()].map((active) => active.done));
  }

  private emit(active: Active, event: EvaluationEvent): void {
    for (const listener of active.listeners) listener(event);
  }

  private async run(evaluation: RunnableEvaluation, active: Active): Promise<void> {
    const { request, plan } = evaluation;
    const rows = new Map(plan.rows.map((row) => [row.index, row]));
    const perProvider = this.options.perProvider ?? DEFAULT_PROVIDER_CONCURRENCY;
    await runCells({
      cells: evaluation.cells,
      providerOf: (cell) => providerOf(request.targets[cell.target]?.model ?? ""),
      perProvider,
      total: request.concurrency ?? this.options.total ?? DEFAULT_TOTAL_CONCURRENCY,
      signal: active.controller.signal,
      execute: async (cell, signal) => {
        const row = rows.get(cell.row);
        const target = request.targets[cell.target];
        if (!row || !target) throw new NotFoundError(`no row ${cell.row} or target ${cell.target}`);
        const result = await this.runCell({ evaluation, cell, row, target, signal });
        active.costUsd += result.costUsd;
        if (result.ended) {
          active.completed += 1;
          active.completedHere += 1;
        }
        this.emit(active, { type: "cell", cell: result.cell });
      },
      onCellDone: () => {
        this.emit(active, { type: "progress", ...this.progressOf(active) });
      },
    });
    const status = active.controller.signal.aborted ? "cancelled" : "done";
    this.options.store.setStatus(evaluation.id, status);
    this.emit(active, { type: "status", status });
  }

  private async runCell(options: {
    evaluation: RunnableEvaluation;
    cell: CellKeyWithStatus;
    row: PlannedRow;
    target: RunTarget;
    signal: AbortSignal;
  }): Promise<{ cell: StoredCell; ended: boolean; costUsd: number }> {
    const { evaluation, cell, row, target, signal } = options;
    const { store } = this.options;
    store.updateCell(evaluation.id, { ...cell, status: "running" });
    const answer = await this.options.execute({
      system: evaluation.version.system,
      messages: [{ role: "user", content: row.prompt }],
      target,
      tools: evaluation.version.tools,
      responseFormat: evaluation.version.responseFormat,
      source: "evaluation",
      signal,
    });
    const outcome: CellOutcome = {
      status: answer.status,
      output: answer.output,
      expected: row.expected,
      latencyMs: answer.latencyMs,
      costUsd: answer.costUsd,
      errorMessage: answer.errorMessage,
    };
    let costUsd = answer.costUsd ?? 0;
    // A cancelled cell is not a failed one: it is left unchecked, and a resume runs it again.
    const leaveUnchecked = (status: "cancelled" | "interrupted") => {
      const stored: StoredCell = {
        ...cell,
        status,
        callId: answer.callId,
        passed: null,
        assertions: [],
        judgeScore: null,
        judgeCallId: null,
      };
      store.updateCell(evaluation.id, stored);
      return { cell: stored, ended: false, costUsd };
    };
    if (answer.status === "cancelled" || answer.status === "interrupted") {
      return leaveUnchecked(answer.status);
    }
    const results: AssertionResult[] = [];
    let judgeScore: number | null = null;
    let judgeCallId: string | null = null;
    for (const assertion of evaluation.plan.assertions) {
      if (assertion.type !== "judge") {
        results.push(checkAssertion(assertion as CheckableAssertion, outcome));
        continue;
      }
      const judged = await this.judgeLimit(assertion.model)(() =>
        this.judge({ assertion, row, answer, signal }),
      );
      costUsd += judged.costUsd;
      if (judged.cancelled) return leaveUnchecked("cancelled");
      results.push(judged.result);
      judgeScore = judged.score ?? judgeScore;
      judgeCallId = judged.callId ?? judgeCallId;
    }
    const stored: StoredCell = {
      ...cell,
      status: answer.status,
      callId: answer.callId,
      passed: answer.status === "ok" ? results.every((result) => result.passed) : false,
      assertions: results,
      judgeScore,
      judgeCallId,
    };
    store.updateCell(evaluation.id, stored);
    return { cell: stored, ended: true, costUsd };
  }

  private async judge(options: {
    assertion: JudgeAssertion;
    row: PlannedRow;
    answer: ExecutedCall;
    signal: AbortSignal;
  }): Promise<{
    result: AssertionResult;
    score: number | null;
    callId: string | null;
    costUsd: number;
    /** The evaluation was cancelled before the judge answered. */
    cancelled?: boolean;
  }> {
    const { assertion, row, answer } = options;
    const cancelled = {
      result: { type: "judge" as const, passed: false, detail: "cancelled" },
      score: null,
      callId: null,
      costUsd: 0,
      cancelled: true,
    };
    if (options.signal.aborted) return cancelled;
    if (answer.status !== "ok") {
      return {
        result: { type: "judge", passed: false, detail: `no answer (call ${answer.status})` },
        score: null,
        callId: null,
        costUsd: 0,
      };
    }
    const verdictCall = await this.options.execute({
      system: JUDGE_SYSTEM_PROMPT,
      messages: judgeMessages({
        rubric: assertion.rubric,
        prompt: row.prompt,
        output: answer.output,
        expected: row.expected,
      }),
      target: { model: assertion.model, params: { temperature: 0, maxTokens: 300 } },
      tools: null,
      responseFormat: null,
      source: "judge",
      signal: options.signal,
    });
    const costUsd = verdictCall.costUsd ?? 0;
    if (verdictCall.status === "cancelled") return { ...cancelled, costUsd };
    if (verdictCall.status !== "ok") {
      return {
        result: {
          type: "judge",
          passed: false,
          detail: `the judge failed (${verdictCall.errorMessage ?? verdictCall.status})`,
        },
        score: null,
        callId: verdictCall.callId,
        costUsd,
      };
    }
    const verdict = parseJudgeVerdict(verdictCall.output);
    if (!verdict) {
      return {
        result: { type: "judge", passed: false, detail: "the judge gave no readable score" },
        score: null,
        callId: verdictCall.callId,
        costUsd,
      };
    }
    const passScore = assertion.passScore ?? DEFAULT_PASS_SCORE;
    return {
      result: {
        type: "judge",
        passed: verdict.score >= passScore,
        detail: `scored ${verdict.score}/5 (pass ≥ ${passScore})${verdict.reason ? `: ${verdict.reason}` : ""}`,
      },
      score: verdict.score,
      callId: verdictCall.callId,
      costUsd,
    };
  }
}

export type { PreparedAssertion };
