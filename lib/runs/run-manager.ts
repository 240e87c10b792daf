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
  type ProviderId,
  parseModelString,
  type StreamEvent,
  type Usage,
} from "@/lib/models";
import { getModelMetadata } from "@/lib/models/metadata";
import { redactSecrets } from "@/lib/models/secrets";
import type { CallContext, CallErrorRecord, CallParameters, Tracer } from "@/lib/tracing/types";
import { type LiveCall, LiveRun } from "./live-run";
import { newId } from "./new-id";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from "./retry-policy";
import type { CallFinishStatus, RunEvent, RunUsage } from "./run-events";
import {
  hasImages,
  type ReadImage,
  type ResolvedImage,
  referenceImages,
  resolveRunImages,
  toModelMessage,
} from "./run-images";
import type { RunMessage, RunRequest, RunTarget } from "./run-request";

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
  /** Attempts, backoff and the longest accepted `retry-after`; default `DEFAULT_RETRY_POLICY`. */
  retry?: RetryPolicy;
  /** Waits between attempts; tests pass one that does not take real time. */
  sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  /** Where message images come from (the image store); without it a run may carry none. */
  readImage?: ReadImage;
}

/** Providers whose SDK retries by itself; the run manager turns that off and retries visibly. */
const SDK_RETRYING_PROVIDERS: ReadonlySet<string> = new Set(["openai", "anthropic", "oci"]);

/** Resolves after the delay, or at once when the call is cancelled meanwhile. */
function abortableSleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** The failure of one attempt, when there was one. */
function failureOf(finish: FinishEvent | null, thrown: unknown): ProviderError | null {
  if (thrown instanceof ProviderError) return thrown;
  if (finish?.error instanceof ProviderError) return finish.error;
  return null;
}

type FinishEvent = Extract<StreamEvent, { type: "finish" }>;

/** For callers other than the compare page: who the calls are for, and a live view of them. */
export interface StartRunOptions {
  context?: CallContext;
  observer?: (event: RunEvent) => void;
  /**
   * How long the run stays in memory once it has ended, for `/api/runs/:id/events` to replay;
   * the manager's `retentionMs` when absent. Callers whose runs no page reattaches to pass
   * `UNWATCHED_RUN_RETENTION_MS`.
   */
  retainMs?: number;
}

/**
 * The retention of a run no page reattaches to (a gateway request, an evaluation's call): long
 * enough for the recorder's batch to land, after which the database answers for it. Under
 * sustained gateway traffic, the playground's five minutes would hold every call of the last
 * five minutes in memory.
 */
export const UNWATCHED_RUN_RETENTION_MS = 5_000;

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

function toModelMessages(
  messages: RunMessage[],
  system: string | undefined,
  images: ReadonlyMap<string, ResolvedImage>,
): Message[] {
  const converted: Message[] = messages.map((message) => toModelMessage(message, images));
  return system ? [{ role: "system", content: system }, ...converted] : converted;
}

/** The contract's `params` → call options: `promptCache: "5m" | "1h"` is the library's TTL form. */
function toCallOptions(params: RunTarget["params"]): CallOptions {
  if (!params) return {};
  const { promptCache, ...rest } = params;
  if (promptCache === undefined) return rest;
  return {
    ...rest,
    promptCache: typeof promptCache === "string" ? { ttl: promptCache } : promptCache,
  };
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

/** A model known to take text only cannot be sent an image; its column fails on its own. */
function imageRefusal(call: { provider: ProviderId; modelId: string }): ProviderError | null {
  if (getModelMetadata(call.modelId)?.supportsImageInput !== false) return null;
  return new ProviderError({
    provider: call.provider,
    kind: "unsupported_input",
    detail: `${call.modelId} does not take images`,
  });
}

export class RunManager {
  private readonly runs = new Map<string, LiveRun>();
  private readonly tracer: Tracer;
  private readonly createModel: (model: string) => LanguageModel;
  private readonly retentionMs: number;
  private readonly progressIntervalMs: number;
  private readonly batchMs: number | undefined;
  private readonly retry: RetryPolicy;
  private readonly sleep: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  private readonly readImage: ReadImage;
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
      options.createModel ??
      ((model) =>
        getModel(
          model,
          SDK_RETRYING_PROVIDERS.has(parseModelString(model).provider)
            ? { maxRetries: 0 }
            : undefined,
          { environment },
        ));
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.sleep = options.sleep ?? abortableSleep;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.batchMs = options.batchMs;
    this.readImage = options.readImage ?? (() => null);
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
    // Before anything is recorded or streamed: an unknown image is the caller's 400.
    const images = resolveRunImages({ messages: request.messages, readImage: this.readImage });
    const withImages = hasImages(request.messages);
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
        reasoning: "",
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
      source: startOptions.context?.source ?? "playground",
      comparisonId: request.comparisonId ?? null,
      branchedFromRunId: request.branchedFromRunId ?? null,
    });
    run.emit({ type: "run-start", runId, calls: run.summaries });

    const running = calls.map((call) => {
      const target = request.targets[call.index];
      const messages = toModelMessages(request.messages, call.system ?? undefined, images);
      const options: CallOptions = {
        ...toCallOptions(target?.params),
        ...(request.tools ? { tools: request.tools } : {}),
        ...(request.responseFormat ? { responseFormat: request.responseFormat } : {}),
        signal: call.controller.signal,
      };
      const refusal = withImages ? imageRefusal(call) : null;
      return this.runCall({
        run,
        call,
        messages,
        options,
        images,
        refusal,
        context: startOptions.context,
      });
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
      this.finishRun(run, startOptions.retainMs ?? this.retentionMs);
    });
    return run;
  }

  /** Aborts every running call of a live run; `null` when the run is not in memory. */
  cancelRun(id: string): { run: LiveRun; aborted: number } | null {
    const run = this.runs.get(id);
    if (!run) return null;
    return { run, aborted: run.cancel() };
  }

  private finishRun(run: LiveRun, retainMs: number): void {
    run.emit({ type: "run-finish", runId: run.id });
    run.end();
    const timer = setTimeout(() => this.runs.delete(run.id), retainMs);
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
        ...(call.reasoning ? { reasoning: call.reasoning } : {}),
        toolCalls: [...call.toolCalls],
        firstTokenAt: call.firstTokenAt,
      });
    }, this.progressIntervalMs);
  }

  /**
   * Marks the first token and gives the timings its event carries: `ttftMs` only on the
   * call's first content event, `elapsedMs` on every one.
   */
  private contentTimings(call: LiveCall): { ttftMs?: number; elapsedMs: number } {
    const elapsedMs = Math.round(performance.now() - call.startedAtMs);
    if (call.ttftMs !== null) return { elapsedMs };
    call.ttftMs = elapsedMs;
    call.firstTokenAt = new Date();
    return { ttftMs: elapsedMs, elapsedMs };
  }

  private async runCall(options: {
    run: LiveRun;
    call: LiveCall;
    messages: Message[];
    options: CallOptions;
    images: ReadonlyMap<string, ResolvedImage>;
    /** Set when the call must fail before any upstream request (an input the model cannot take). */
    refusal: ProviderError | null;
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

    if (options.refusal) {
      this.finishCall({ run, call, finish: null, thrown: options.refusal, attempts: 1 });
      return;
    }
    for (let attempt = 1; ; attempt += 1) {
      const { finish, thrown } = await this.attemptCall(options);
      const failure = failureOf(finish, thrown);
      // Only a call that has shown nothing is retried: a second answer must not be appended
      // to half of the first.
      const produced = call.output !== "" || call.toolCalls.length > 0;
      const delayMs =
        failure && !produced && !call.controller.signal.aborted
          ? retryDelayMs({ policy: this.retry, attempt, error: failure })
          : null;
      if (failure === null || delayMs === null) {
        this.finishCall({ run, call, finish, thrown, attempts: attempt });
        return;
      }
      run.emit({
        type: "call-retry",
        index: call.index,
        attempt: attempt + 1,
        maxAttempts: this.retry.maxAttempts,
        delayMs,
        error: { code: failure.kind, message: redactSecrets(failure.message) },
      });
      await this.sleep(delayMs, call.controller.signal);
      if (call.controller.signal.aborted) {
        this.finishCall({
          run,
          call,
          finish: null,
          thrown: new ProviderError({ provider: call.provider, kind: "aborted" }),
          attempts: attempt,
        });
        return;
      }
      // Timings are the answering attempt's own: the wait is the rate limit's, not the model's.
      call.startedAtMs = performance.now();
    }
  }

  /** One request to the provider, start to finish; never throws. */
  private async attemptCall(options: {
    run: LiveRun;
    call: LiveCall;
    messages: Message[];
    options: CallOptions;
    images: ReadonlyMap<string, ResolvedImage>;
  }): Promise<{ finish: FinishEvent | null; thrown: unknown }> {
    const { run, call } = options;
    let finish: FinishEvent | null = null;
    let thrown: unknown = null;
    let timings: ReturnType<RunManager["contentTimings"]>;
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
              request: {
                url: event.request.url,
                body: referenceImages(event.request.body, options.images),
              },
              unsupported: event.unsupported,
            });
            break;
          case "text-delta":
            timings = this.contentTimings(call);
            call.output += event.delta;
            run.emit({ type: "text-delta", index: call.index, delta: event.delta, ...timings });
            this.scheduleProgress(call);
            break;
          case "reasoning-delta":
            timings = this.contentTimings(call);
            call.reasoning += event.delta;
            run.emit({
              type: "reasoning-delta",
              index: call.index,
              delta: event.delta,
              ...timings,
            });
            this.scheduleProgress(call);
            break;
          case "reasoning-block":
            // Only a caller continuing the conversation needs the signed blocks; a run
            // does not send its answers back, so they are not kept.
            break;
          case "tool-call":
            timings = this.contentTimings(call);
            call.toolCalls.push(event.toolCall);
            run.emit({
              type: "tool-call",
              index: call.index,
              toolCall: event.toolCall,
              ...timings,
            });
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
    return { finish, thrown };
  }

  private finishCall(options: {
    run: LiveRun;
    call: LiveCall;
    finish: FinishEvent | null;
    thrown: unknown;
    /** How many requests the call took, retries included. */
    attempts: number;
  }): void {
    const { run, call, finish, thrown, attempts } = options;
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
        ...(call.reasoning ? { reasoning: call.reasoning } : {}),
        toolCalls: call.toolCalls,
        firstTokenAt: call.firstTokenAt,
        finishedAt: new Date(),
        ttftMs: call.ttftMs,
        durationMs,
        attempts,
        responseModel: finish?.responseModel ?? null,
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
