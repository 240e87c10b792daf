/**
 * Runs evaluations: every cell is one call made through the call executor (the run manager,
 * so it is recorded, priced and retried like any playground call, with source `evaluation`;
 * judge calls with source `judge`), with the scheduler's per-provider bounds, then checked by
 * the assertions. State lives in the store cell by cell, so a restart loses nothing that ended:
 * the evaluation is `interrupted` and `resume` runs only the cells that had not.
 */
import { InvalidInputError, NotFoundError } from "@/lib/errors";
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
import type { EvaluationPlan, EvaluationRequest, PlannedRow } from "./evaluation-plan";
import { DEFAULT_PASS_SCORE, JUDGE_SYSTEM_PROMPT, judgeMessages, parseJudgeVerdict } from "./judge";
import { DEFAULT_PROVIDER_CONCURRENCY, runCells } from "./scheduler";

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

export type EvaluationEvent =
  | { type: "progress"; done: number; total: number }
  | { type: "status"; status: "running" | "done" | "cancelled" | "interrupted" };

interface Active {
  controller: AbortController;
  listeners: Set<(event: EvaluationEvent) => void>;
  done: Promise<void>;
  completed: number;
  total: number;
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
      perProvider?: number;
    },
  ) {}

  isRunning(evaluationId: string): boolean {
    return this.active.has(evaluationId);
  }

  progress(evaluationId: string): { done: number; total: number } | null {
    const active = this.active.get(evaluationId);
    return active ? { done: active.completed, total: active.total } : null;
  }

  /** Follows a running evaluation; returns `null` when it is not running here. */
  subscribe(evaluationId: string, listener: (event: EvaluationEvent) => void): (() => void) | null {
    const active = this.active.get(evaluationId);
    if (!active) return null;
    active.listeners.add(listener);
    return () => active.listeners.delete(listener);
  }

  /** Starts (or resumes) an evaluation in the background; resolves when it has ended. */
  start(evaluation: RunnableEvaluation, options: { alreadyDone?: number } = {}): Promise<void> {
    if (this.active.has(evaluation.id)) {
      throw new InvalidInputError({ message: `evaluation ${evaluation.id} is already running` });
    }
    const controller = new AbortController();
    const active: Active = {
      controller,
      listeners: new Set(),
      done: Promise.resolve(),
      completed: options.alreadyDone ?? 0,
      total: (options.alreadyDone ?? 0) + evaluation.cells.length,
    };
    this.active.set(evaluation.id, active);
    this.options.store.setStatus(evaluation.id, "running");
    active.done = this.run(evaluation, active).finally(() => this.active.delete(evaluation.id));
    return active.done;
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
      total: request.concurrency ?? perProvider * 4,
      signal: active.controller.signal,
      execute: async (cell, signal) => {
        const row = rows.get(cell.row);
        const target = request.targets[cell.target];
        if (!row || !target) throw new NotFoundError(`no row ${cell.row} or target ${cell.target}`);
        await this.runCell({ evaluation, cell, row, target, signal });
      },
      onCellDone: () => {
        active.completed += 1;
        this.emit(active, { type: "progress", done: active.completed, total: active.total });
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
  }): Promise<void> {
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
    const results: AssertionResult[] = [];
    let judgeScore: number | null = null;
    let judgeCallId: string | null = null;
    for (const assertion of evaluation.plan.assertions) {
      if (assertion.type !== "judge") {
        results.push(checkAssertion(assertion as CheckableAssertion, outcome));
        continue;
      }
      const judged = await this.judge({ assertion, row, answer, signal });
      results.push(judged.result);
      judgeScore = judged.score ?? judgeScore;
      judgeCallId = judged.callId ?? judgeCallId;
    }
    store.updateCell(evaluation.id, {
      ...cell,
      status: answer.status,
      callId: answer.callId,
      passed: answer.status === "ok" ? results.every((result) => result.passed) : false,
      assertions: results,
      judgeScore,
      judgeCallId,
    });
  }

  private async judge(options: {
    assertion: JudgeAssertion;
    row: PlannedRow;
    answer: ExecutedCall;
    signal: AbortSignal;
  }): Promise<{ result: AssertionResult; score: number | null; callId: string | null }> {
    const { assertion, row, answer } = options;
    if (answer.status !== "ok") {
      return {
        result: { type: "judge", passed: false, detail: `no answer (call ${answer.status})` },
        score: null,
        callId: null,
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
    if (verdictCall.status !== "ok") {
      return {
        result: {
          type: "judge",
          passed: false,
          detail: `the judge failed (${verdictCall.errorMessage ?? verdictCall.status})`,
        },
        score: null,
        callId: verdictCall.callId,
      };
    }
    const verdict = parseJudgeVerdict(verdictCall.output);
    if (!verdict) {
      return {
        result: { type: "judge", passed: false, detail: "the judge gave no readable score" },
        score: null,
        callId: verdictCall.callId,
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
    };
  }
}

export type { PreparedAssertion };
