/**
 * The run manager: starts every target of a run at once, fans the events out, records each
 * call through the tracer, and keeps the run going whoever is (or is not) listening. A run
 * belongs to the server, not to the HTTP request that started it.
 */
import "server-only";
import {
  type CallOptions,
  type Environment,
  getModel,
  InvalidOptionsError,
  type LanguageModel,
  type Message,
  NotConfiguredError,
  ProviderError,
  parseModelString,
  type StreamEvent,
  type Usage,
} from "@/lib/models";
import { redactSecrets } from "@/lib/models/secrets";
import type { CallContext, CallErrorRecord, CallParameters, Tracer } from "@/lib/tracing/types";
import { type LiveCall, LiveRun } from "./live-run";
import { newId } from "./new-id";
import type { CallFinishStatus, RunEvent, RunUsage } from "./run-events";
import type { RunMessage, RunRequest } from "./run-request";

export interface RunManagerOptions {
  tracer: Tracer;
  /** Builds the model for a target; tests inject fakes, production uses `getModel`. */
  createModel?: (model: string) => LanguageModel;
  /** What `getModel` reads keys and hosts from; the server passes its parsed environment. */
  environment?: Environment;
  /** How long a finished run stays in memory for replay before `/events` reads the database. */
  retentionMs?: number;
  /** Stored output lags the stream by at most this much. */
  progressIntervalMs?: number;
  /** Deltas after a call's first are written to clients at most this often (see LiveRun). */
  batchMs?: number;
}

type FinishEvent = Extract<StreamEvent, { type: "finish" }>;

/** For callers other than the compare page: who the calls are for, and a live view of them. */
export interface StartRunOptions {
  context?: CallContext;
  observer?: (event: RunEvent) => void;
}

const DEFAULT_RETENTION_MS = 5 * 60 * 1000;
/** Distinct model strings kept built; past this the oldest is closed and rebuilt on demand. */
const MODEL_CACHE_SIZE = 64;
const DEFAULT_PROGRESS_INTERVAL_MS = 200;

function toRunUsage(usage: Usage | null): RunUsage | null {
  if (usage === null) return null;
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    reasoningTokens: usage.reasoningTokens,
  };
}

function toModelMessages(messages: RunMessage[], system: string | undefined): Message[] {
  const converted: Message[] = messages.map((message) => ({ ...message }));
  return system ? [{ role: "system", content: system }, ...converted] : converted;
}

/**
 * Turns whatever ended a call badly into the safe record the column and the database show.
 * Only our own typed errors contribute text; anything unexpected gets a fixed message.
 */
function classifyFailure(error: unknown): CallErrorRecord {
  if (error instanceof ProviderError) {
    return {
      kind: error.kind,
      code: error.code,
      status: error.status,
      message: redactSecrets(error.message),
      retryAfterMs: error.retryAfterMs,
    };
  }
  if (error instanceof NotConfiguredError) {
    return {
      kind: "not_configured",
      code: null,
      status: null,
      message: redactSecrets(error.message),
      retryAfterMs: null,
    };
  }
  if (error instanceof InvalidOptionsError) {
    return {
      kind: "format_error",
      code: "invalid_options",
      status: null,
      message: redactSecrets(error.message),
      retryAfterMs: null,
    };
  }
  console.error(
    "locus-playground: a call failed unexpectedly:",
    error instanceof Error ? error.name : typeof error,
  );
  return {
    kind: "unknown",
    code: null,
    status: null,
    message: "the call failed unexpectedly",
    retryAfterMs: null,
  };
}

export class RunManager {
  private readonly runs = new Map<string, LiveRun>();
  private readonly tracer: Tracer;
  private readonly createModel: (model: string) => LanguageModel;
  private readonly retentionMs: number;
  private readonly progressIntervalMs: number;
  private readonly batchMs: number | undefined;
  /**
   * Built models, by model string. A model serves any number of concurrent calls, and
   * building one (an SDK client with its agent and headers) costs more than a whole
   * stream's worth of event handling, so each is built once.
   */
  private readonly models = new Map<string, LanguageModel>();

  constructor(options: RunManagerOptions) {
    this.tracer = options.tracer;
    const { environment } = options;
    this.createModel =
      options.createModel ?? ((model) => getModel(model, undefined, { environment }));
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.batchMs = options.batchMs;
  }

  private modelFor(model: string): LanguageModel {
    const cached = this.models.get(model);
    if (cached) return cached;
    const created = this.createModel(model);
    this.models.set(model, created);
    if (this.models.size > MODEL_CACHE_SIZE) {
      const [oldest, evicted] = this.models.entries().next().value ?? [];
      if (oldest !== undefined && evicted) {
        this.models.delete(oldest);
        void evicted.close().catch(() => undefined);
      }
    }
    return created;
  }

  getRun(id: string): LiveRun | undefined {
    return this.runs.get(id);
  }

  get activeRunCount(): number {
    let count = 0;
    for (const run of this.runs.values()) if (!run.finished) count += 1;
    return count;
  }

  /**
   * Creates and records the run, emits `run-start`, and starts every target. Returns at once;
   * the calls go on in the background until they finish or are cancelled.
   */
  startRun(request: RunRequest, startOptions: StartRunOptions = {}): LiveRun {
    const runId = newId();
    const createdAt = new Date();
    const calls: LiveCall[] = request.targets.map((target, index) => {
      const { provider, modelId } = parseModelString(target.model);
      const system = target.system !== undefined ? target.system : request.system;
      return {
        index,
        callId: newId(),
        model: target.model,
        provider,
        modelId,
        params: (target.params ?? {}) satisfies CallParameters,
        system: system ? system : null,
        controller: new AbortController(),
        status: "running",
        output: "",
        toolCalls: [],
        startedAt: createdAt,
        startedAtMs: 0,
        firstTokenAt: null,
        ttftMs: null,
        durationMs: null,
        stopReason: null,
        usage: null,
        costUsd: null,
        error: null,
        progressTimer: null,
      };
    });
    const run = new LiveRun(runId, createdAt, request.system ?? null, request.messages, calls, {
      batchMs: this.batchMs,
      observer: startOptions.observer,
    });
    this.runs.set(runId, run);

    this.tracer.recordRun({
      id: runId,
      createdAt,
      system: request.system ?? null,
      messages: request.messages,
      tools: request.tools ?? null,
      responseFormat: request.responseFormat ?? null,
    });
    run.emit({ type: "run-start", runId, calls: run.summaries });

    const running = calls.map((call) => {
      const target = request.targets[call.index];
      const messages = toModelMessages(request.messages, call.system ?? undefined);
      const options: CallOptions = {
        ...(target?.params ?? {}),
        ...(request.tools ? { tools: request.tools } : {}),
        ...(request.responseFormat ? { responseFormat: request.responseFormat } : {}),
        signal: call.controller.signal,
      };
      return this.runCall({ run, call, messages, options, context: startOptions.context });
    });
    // `runCall` handles its own failures; allSettled makes sure the run ends regardless.
    void Promise.allSettled(running).then((results) => {
      for (const result of results) {
        if (result.status === "rejected") {
          console.error(
            "locus-playground: a call ended abnormally:",
            result.reason instanceof Error ? result.reason.name : typeof result.reason,
          );
        }
      }
      this.finishRun(run);
    });
    return run;
  }

  /** Aborts every running call of a live run; `null` when the run is not in memory. */
  cancelRun(id: string): { run: LiveRun; aborted: number } | null {
    const run = this.runs.get(id);
    if (!run) return null;
    return { run, aborted: run.cancel() };
  }

  private finishRun(run: LiveRun): void {
    run.emit({ type: "run-finish", runId: run.id });
    run.end();
    const timer = setTimeout(() => this.runs.delete(run.id), this.retentionMs);
    timer.unref?.();
  }

  private scheduleProgress(call: LiveCall): void {
    if (call.progressTimer !== null) return;
    call.progressTimer = setTimeout(() => {
      call.progressTimer = null;
      if (call.status !== "running") return;
      this.tracer.recordCallProgress({
        callId: call.callId,
        output: call.output,
        toolCalls: [...call.toolCalls],
        firstTokenAt: call.firstTokenAt,
      });
    }, this.progressIntervalMs);
  }

  private markFirstToken(call: LiveCall): void {
    if (call.ttftMs !== null) return;
    call.ttftMs = Math.round(performance.now() - call.startedAtMs);
    call.firstTokenAt = new Date();
  }

  private async runCall(options: {
    run: LiveRun;
    call: LiveCall;
    messages: Message[];
    options: CallOptions;
    context?: CallContext;
  }): Promise<void> {
    const { run, call } = options;
    call.startedAt = new Date();
    call.startedAtMs = performance.now();
    this.tracer.recordCallStart({
      callId: call.callId,
      runId: run.id,
      index: call.index,
      model: call.model,
      provider: call.provider,
      modelId: call.modelId,
      params: call.params,
      system: call.system,
      startedAt: call.startedAt,
      ...(options.context ? { context: options.context } : {}),
    });

    let finish: FinishEvent | null = null;
    let thrown: unknown = null;
    try {
      const model = this.modelFor(call.model);
      for await (const event of model.stream(options.messages, options.options)) {
        switch (event.type) {
          case "stream-start":
            this.tracer.recordCallProgress({
              callId: call.callId,
              output: call.output,
              toolCalls: [...call.toolCalls],
              firstTokenAt: call.firstTokenAt,
              request: event.request,
              unsupported: event.unsupported,
            });
            break;
          case "text-delta":
            this.markFirstToken(call);
            call.output += event.delta;
            run.emit({ type: "text-delta", index: call.index, delta: event.delta });
            this.scheduleProgress(call);
            break;
          case "tool-call":
            this.markFirstToken(call);
            call.toolCalls.push(event.toolCall);
            run.emit({ type: "tool-call", index: call.index, toolCall: event.toolCall });
            this.scheduleProgress(call);
            break;
          case "finish":
            finish = event;
            break;
          default: {
            const exhaustive: never = event;
            throw new Error(`unknown stream event ${String(exhaustive)}`);
          }
        }
      }
    } catch (error) {
      thrown = error;
    }
    this.finishCall({ run, call, finish, thrown });
  }

  private finishCall(options: {
    run: LiveRun;
    call: LiveCall;
    finish: FinishEvent | null;
    thrown: unknown;
  }): void {
    const { run, call, finish, thrown } = options;
    if (call.progressTimer !== null) {
      clearTimeout(call.progressTimer);
      call.progressTimer = null;
    }
    const aborted = call.controller.signal.aborted;
    let status: CallFinishStatus;
    let error: CallErrorRecord | null = null;
    if (thrown !== null) {
      status = aborted ? "cancelled" : "error";
      error = aborted
        ? classifyFailure(new ProviderError({ provider: call.provider, kind: "aborted" }))
        : classifyFailure(thrown);
    } else if (finish === null) {
      status = aborted ? "cancelled" : "error";
      error = classifyFailure(
        new ProviderError({
          provider: call.provider,
          kind: aborted ? "aborted" : "invalid_response",
          detail: aborted ? null : "the stream ended without a finish event",
        }),
      );
    } else if (finish.error) {
      status = finish.error.kind === "aborted" ? "cancelled" : "error";
      error = classifyFailure(finish.error);
    } else {
      status = "ok";
    }
    const stopReason = finish?.stopReason ?? "error";
    const usage = finish?.usage ?? null;
    const durationMs = Math.round(performance.now() - call.startedAtMs);

    let costUsd: number | null = null;
    try {
      costUsd = this.tracer.recordCallFinish({
        callId: call.callId,
        status,
        stopReason,
        rawStopReason: finish?.rawStopReason ?? null,
        usage,
        error,
        output: call.output,
        toolCalls: call.toolCalls,
        firstTokenAt: call.firstTokenAt,
        finishedAt: new Date(),
        ttftMs: call.ttftMs,
        durationMs,
      }).costUsd;
    } catch (recordError) {
      // The tracer promises not to throw; if it does, the person still sees the answer.
      console.error(
        "locus-playground: recording a finished call failed:",
        recordError instanceof Error ? recordError.name : typeof recordError,
      );
    }

    call.status = status;
    call.stopReason = stopReason;
    call.usage = toRunUsage(usage);
    call.costUsd = costUsd;
    call.durationMs = durationMs;
    call.error = error
      ? {
          code: error.kind,
          message: error.message,
          ...(error.retryAfterMs !== null ? { retryAfterMs: error.retryAfterMs } : {}),
        }
      : null;
    run.emit({
      type: "call-finish",
      index: call.index,
      status,
      stopReason,
      usage: call.usage,
      costUsd,
      ttftMs: call.ttftMs,
      durationMs,
      ...(call.error ? { error: call.error } : {}),
    });
  }
}
