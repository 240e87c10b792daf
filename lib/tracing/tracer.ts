/**
 * The call recorder. Every `record*` method only updates an in-memory queue and returns; a
 * timer writes the queue in one transaction per batch. Per call the queue keeps one pending
 * insert or one pending update, so a call that starts, streams and finishes within one
 * batch is a single row insert, and repeated progress collapses to the latest.
 *
 * A failed batch is retried with backoff; if it keeps failing, its writes are tried one by
 * one and only the ones that still fail are dropped (and logged), so one bad row cannot
 * block the recorder. Nothing here throws into the caller.
 */

import {
  type CallValues,
  type CallWriter,
  createCallWriter,
  type WriteBatch,
} from "@/lib/db/call-writes";
import type { Database } from "@/lib/db/client";
import { getCallPricingContext, listPriceOverrides } from "@/lib/db/queries";
import type { CallInsert, RunInsert } from "@/lib/db/schema";
import { redactSecrets } from "@/lib/models/secrets";
import type { Usage } from "@/lib/models/types";
import { priceCall } from "@/lib/pricing/price-call";
import type { CallPricing, PriceOverride } from "@/lib/pricing/types";
import type {
  CallCost,
  CallFinishRecord,
  CallProgressRecord,
  CallStartRecord,
  RunRecord,
  Tracer,
} from "./types";

export interface TracerOptions {
  database: Database;
  /** How long writes gather before a batch is written. */
  flushIntervalMs?: number;
  /** Pending calls that trigger a write without waiting for the interval. */
  maxPendingCalls?: number;
  /** Attempts for a whole batch before its writes are tried one by one. */
  maxAttempts?: number;
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  log?: (message: string) => void;
  /** Replaces the database writer (tests inject failures through the database instead). */
  writer?: CallWriter;
}

export interface TracerStats {
  batchesWritten: number;
  failedAttempts: number;
  droppedWrites: number;
  pendingCalls: number;
}

interface PendingCall {
  insert: CallInsert | null;
  update: CallValues | null;
}

interface PricingContext {
  provider: string;
  modelId: string;
  startedAt: Date;
}

interface FrozenBatch {
  batch: WriteBatch;
  upToSequence: number;
  attempts: number;
}

const TITLE_LENGTH = 120;

function runTitle(run: RunRecord): string {
  const firstUser = run.messages.find((message) => message.role === "user");
  const text = (firstUser?.content ?? run.system ?? "").replace(/\s+/g, " ").trim();
  return text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text;
}

function runSearchText(run: RunRecord): string {
  const parts = [run.system ?? ""];
  for (const message of run.messages) if (message.content) parts.push(message.content);
  return parts.join("\n");
}

/** The `calls` usage columns of a call's normalized usage (`null`: the provider said nothing). */
export function usageValues(usage: Usage | null): CallValues {
  const reported = usage !== null && usage.inputTokens !== null && usage.outputTokens !== null;
  return {
    inputTokens: usage?.inputTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
    cacheReadTokens: usage?.cacheReadTokens ?? null,
    cacheWriteTokens: usage?.cacheWriteTokens ?? null,
    cacheWrite5mTokens: usage?.cacheWrite5mTokens ?? null,
    cacheWrite1hTokens: usage?.cacheWrite1hTokens ?? null,
    reasoningTokens: usage?.reasoningTokens ?? null,
    usageStatus: reported ? "reported" : "missing",
    rawUsage: usage?.raw ?? null,
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    const prefix = typeof code === "string" ? `${code}: ` : "";
    return redactSecrets(`${prefix}${error.message}`);
  }
  return typeof error;
}

export class SqliteTracer implements Tracer {
  private readonly database: Database;
  private readonly writer: CallWriter;
  private readonly flushIntervalMs: number;
  private readonly maxPendingCalls: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly log: (message: string) => void;

  private pendingRuns: RunInsert[] = [];
  private pendingCalls = new Map<string, PendingCall>();
  private readonly contexts = new Map<string, PricingContext>();
  private frozen: FrozenBatch | null = null;
  /** Cancels the pending write (timer or immediate); `null` when none is scheduled. */
  private cancelTimer: (() => void) | null = null;
  private timerIsImmediate = false;
  private timerIsRetry = false;
  private enqueuedSequence = 0;
  private writtenSequence = 0;
  private waiters: Array<{ sequence: number; resolve: () => void }> = [];
  private overrides: PriceOverride[] = [];
  private overridesVersion = -1;
  private readonly stats: TracerStats = {
    batchesWritten: 0,
    failedAttempts: 0,
    droppedWrites: 0,
    pendingCalls: 0,
  };

  constructor(options: TracerOptions) {
    this.database = options.database;
    this.writer = options.writer ?? createCallWriter(options.database);
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxPendingCalls = options.maxPendingCalls ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.log =
      options.log ?? ((message) => console.error(`locus-playground: recorder: ${message}`));
  }

  recordRun(run: RunRecord): void {
    this.guard("recordRun", () => {
      this.pendingRuns.push({
        id: run.id,
        createdAt: run.createdAt,
        system: run.system,
        messages: run.messages,
        tools: run.tools,
        responseFormat: run.responseFormat,
        title: runTitle(run),
        searchText: runSearchText(run),
      });
      this.enqueued();
    });
  }

  recordCallStart(call: CallStartRecord): void {
    this.guard("recordCallStart", () => {
      this.contexts.set(call.callId, {
        provider: call.provider,
        modelId: call.modelId,
        startedAt: call.startedAt,
      });
      this.pendingFor(call.callId).insert = {
        id: call.callId,
        runId: call.runId,
        callIndex: call.index,
        model: call.model,
        provider: call.provider,
        modelId: call.modelId,
        params: call.params,
        system: call.system,
        status: "running",
        output: "",
        toolCalls: [],
        usageStatus: "missing",
        startedAt: call.startedAt,
        ...(call.context
          ? {
              source: call.context.source,
              gatewayKeyId: call.context.gatewayKeyId ?? null,
              keyName: call.context.keyName ?? null,
              tags: call.context.tags ?? null,
              endUser: call.context.endUser ?? null,
            }
          : {}),
      };
      this.enqueued();
    });
  }

  recordCallProgress(progress: CallProgressRecord): void {
    this.guard("recordCallProgress", () => {
      // Progress after the finish (or for a call never started here) would only roll the
      // stored output back.
      if (!this.contexts.has(progress.callId)) return;
      const values: CallValues = {
        output: progress.output,
        toolCalls: progress.toolCalls,
        firstTokenAt: progress.firstTokenAt,
      };
      if (progress.request !== undefined) values.request = progress.request;
      if (progress.unsupported !== undefined) values.unsupported = progress.unsupported;
      this.merge(progress.callId, values);
      this.enqueued();
    });
  }

  recordCallFinish(finish: CallFinishRecord): CallCost {
    let cost: CallCost = { costUsd: null };
    this.guard("recordCallFinish", () => {
      const context = this.contexts.get(finish.callId) ?? this.lookUpContext(finish.callId);
      this.contexts.delete(finish.callId);
      const pricing = context ? this.price(context, finish) : null;
      const error = finish.error;
      this.merge(finish.callId, {
        status: finish.status,
        stopReason: finish.stopReason,
        rawStopReason: finish.rawStopReason,
        errorKind: error?.kind ?? null,
        errorCode: error?.code ?? null,
        errorStatus: error?.status ?? null,
        errorMessage: error ? redactSecrets(error.message) : null,
        errorRetryAfterMs: error?.retryAfterMs ?? null,
        output: finish.output,
        toolCalls: finish.toolCalls,
        firstTokenAt: finish.firstTokenAt,
        finishedAt: finish.finishedAt,
        ttftMs: finish.ttftMs,
        durationMs: finish.durationMs,
        ...usageValues(finish.usage),
        pricingStatus: pricing?.pricingStatus ?? "unpriced",
        priceSource: pricing?.priceSource ?? null,
        costUsd: pricing?.costUsd ?? null,
        costInputUsd: pricing?.costInputUsd ?? null,
        costCacheReadUsd: pricing?.costCacheReadUsd ?? null,
        costCacheWriteUsd: pricing?.costCacheWriteUsd ?? null,
        costOutputUsd: pricing?.costOutputUsd ?? null,
        savingsUsd: pricing?.savingsUsd ?? null,
      });
      this.enqueued();
      cost = { costUsd: pricing?.costUsd ?? null };
    });
    return cost;
  }

  flush(): Promise<void> {
    const target = this.enqueuedSequence;
    if (this.writtenSequence >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ sequence: target, resolve });
      // A retry waiting out its backoff keeps its timer; otherwise write now.
      if (!this.timerIsRetry) this.schedule(0);
    });
  }

  /**
   * Writes everything pending now, synchronously, ignoring retry backoff: for process exit,
   * where no timer will run again.
   */
  flushSync(): void {
    this.clearTimer();
    this.guard("flushSync", () => this.writePending());
  }

  get databaseIsOpen(): boolean {
    return this.database.sqlite.open;
  }

  getStats(): TracerStats {
    return { ...this.stats, pendingCalls: this.pendingCalls.size };
  }

  private guard(method: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.log(`${method} failed and was skipped (${describeError(error)})`);
    }
  }

  private pendingFor(callId: string): PendingCall {
    let pending = this.pendingCalls.get(callId);
    if (!pending) {
      pending = { insert: null, update: null };
      this.pendingCalls.set(callId, pending);
    }
    return pending;
  }

  /** Takes `values` over (every caller builds a fresh object), so nothing is copied twice. */
  private merge(callId: string, values: CallValues): void {
    const pending = this.pendingFor(callId);
    if (pending.insert) Object.assign(pending.insert, values);
    else if (pending.update) Object.assign(pending.update, values);
    else pending.update = values;
  }

  private enqueued(): void {
    this.enqueuedSequence += 1;
    if (this.timerIsRetry) return;
    this.schedule(this.pendingCalls.size >= this.maxPendingCalls ? 0 : this.flushIntervalMs);
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.timerIsImmediate = false;
    this.timerIsRetry = false;
  }

  /** Schedules a write after `delayMs` (0: on the next turn), unless one is due as soon. */
  private schedule(delayMs: number): void {
    if (this.cancelTimer !== null && (delayMs > 0 || this.timerIsImmediate)) return;
    this.clearTimer();
    const run = () => {
      this.cancelTimer = null;
      this.timerIsImmediate = false;
      this.timerIsRetry = false;
      this.writePending();
    };
    if (delayMs <= 0) {
      const immediate = setImmediate(run);
      this.cancelTimer = () => clearImmediate(immediate);
      this.timerIsImmediate = true;
    } else {
      const timer = setTimeout(run, delayMs);
      this.cancelTimer = () => clearTimeout(timer);
    }
  }

  private scheduleRetry(delayMs: number): void {
    this.clearTimer();
    const timer = setTimeout(() => {
      this.cancelTimer = null;
      this.timerIsRetry = false;
      this.writePending();
    }, delayMs);
    this.cancelTimer = () => clearTimeout(timer);
    this.timerIsRetry = true;
  }

  private freeze(): FrozenBatch | null {
    if (this.pendingRuns.length === 0 && this.pendingCalls.size === 0) return null;
    const batch: WriteBatch = { runs: this.pendingRuns, callInserts: [], callUpdates: [] };
    for (const [id, pending] of this.pendingCalls) {
      if (pending.insert) batch.callInserts.push(pending.insert);
      else if (pending.update) batch.callUpdates.push({ id, values: pending.update });
    }
    this.pendingRuns = [];
    this.pendingCalls = new Map();
    return { batch, upToSequence: this.enqueuedSequence, attempts: 0 };
  }

  private writePending(): void {
    for (;;) {
      const frozen = this.frozen ?? this.freeze();
      if (!frozen) break;
      this.frozen = frozen;
      try {
        this.writer.writeBatch(frozen.batch);
        this.stats.batchesWritten += 1;
      } catch (error) {
        frozen.attempts += 1;
        this.stats.failedAttempts += 1;
        if (frozen.attempts < this.maxAttempts) {
          const delay = Math.min(
            this.retryDelayMs * 2 ** (frozen.attempts - 1),
            this.maxRetryDelayMs,
          );
          this.log(
            `writing ${describeBatch(frozen.batch)} failed (attempt ${frozen.attempts} of ${this.maxAttempts}, retrying in ${delay} ms): ${describeError(error)}`,
          );
          this.scheduleRetry(delay);
          return;
        }
        this.log(
          `writing ${describeBatch(frozen.batch)} failed ${frozen.attempts} times; writing its rows one by one: ${describeError(error)}`,
        );
        this.writeOneByOne(frozen.batch);
      }
      this.frozen = null;
      this.writtenSequence = frozen.upToSequence;
      this.resolveWaiters();
    }
  }

  private writeOneByOne(batch: WriteBatch): void {
    const single = (description: string, part: Partial<WriteBatch>) => {
      try {
        this.writer.writeBatch({ runs: [], callInserts: [], callUpdates: [], ...part });
      } catch (error) {
        this.stats.droppedWrites += 1;
        this.log(`dropped ${description}: ${describeError(error)}`);
      }
    };
    for (const run of batch.runs) single(`run ${run.id}`, { runs: [run] });
    for (const call of batch.callInserts) single(`call ${call.id}`, { callInserts: [call] });
    for (const update of batch.callUpdates) {
      single(`update of call ${update.id}`, { callUpdates: [update] });
    }
  }

  private resolveWaiters(): void {
    const remaining: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (this.writtenSequence >= waiter.sequence) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  /** A pricing failure leaves the call unpriced; it never loses the finish itself. */
  private price(context: PricingContext, finish: CallFinishRecord): CallPricing | null {
    try {
      return priceCall({
        provider: context.provider,
        modelId: context.modelId,
        at: context.startedAt,
        usage: finish.usage,
        overrides: this.currentOverrides(),
      });
    } catch (error) {
      this.log(`could not price call ${finish.callId}: ${describeError(error)}`);
      return null;
    }
  }

  private currentOverrides(): PriceOverride[] {
    if (this.overridesVersion !== this.database.priceOverridesVersion) {
      this.overrides = listPriceOverrides({ database: this.database });
      this.overridesVersion = this.database.priceOverridesVersion;
    }
    return this.overrides;
  }

  /** A finish for a call this tracer did not see start: ask the queue, then the database. */
  private lookUpContext(callId: string): PricingContext | null {
    const pending =
      this.pendingCalls.get(callId)?.insert ??
      this.frozen?.batch.callInserts.find((call) => call.id === callId);
    if (pending) {
      return { provider: pending.provider, modelId: pending.modelId, startedAt: pending.startedAt };
    }
    try {
      return getCallPricingContext({ callId, database: this.database });
    } catch (error) {
      this.log(`could not look up call ${callId} to price it: ${describeError(error)}`);
      return null;
    }
  }
}

function describeBatch(batch: WriteBatch): string {
  return `a batch of ${batch.runs.length} runs, ${batch.callInserts.length} new calls and ${batch.callUpdates.length} call updates`;
}

export function createTracer(options: TracerOptions): SqliteTracer {
  return new SqliteTracer(options);
}
