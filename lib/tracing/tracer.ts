/**
 * The call recorder. Every `record*` method only updates an in-memory queue and returns; a
 * timer writes the queue in one transaction per batch. Per call the queue keeps one pending
 * insert or one pending update, so a call that starts, streams and finishes within one
 * batch is a single row insert, and repeated progress collapses to the latest.
 *
 * Nothing waits on the database and nothing is dropped. The writes go through a connection of
 * their own whose busy timeout is a few milliseconds (client.ts), so a lock held by another
 * process costs the event loop that much per attempt, not seconds. When the database refuses a
 * batch for a reason that can clear (a lock, a full disk, I/O) the recorder falls behind: from
 * then on every batch queues behind it, in order, in memory for a moment (most refusals are
 * short) and then in the journal (journal.ts), fsynced; a retry with backoff, forever, writes
 * them into the database a slice at a time and removes the journal. Replays are idempotent
 * (call-writes.ts), so a crash between a replayed commit and the journal's removal counts
 * nothing twice. Only when the journal itself cannot be written do batches stay in memory, up
 * to a bound; past it the oldest are lost, counted, and logged loudly.
 *
 * A write that fails for good (a constraint) is split into its rows and only the rows that
 * still fail are dropped and logged, so one bad row cannot block the recorder. Nothing here
 * throws into the caller.
 *
 * Every call that ends is handed once to the export sink (`exportCalls`, the OTLP exporter),
 * right after the batch holding its final record was written or journalled: the hand-off
 * only queues a span, so export never delays a write, and a database that refuses writes
 * does not hold the spans back.
 */

import {
  type CallValues,
  type CallWriter,
  createCallWriter,
  decodeWriteBatch,
  encodeWriteBatch,
  type WriteBatch,
} from "@/lib/db/call-writes";
import type { Database } from "@/lib/db/client";
import { getCallPricingContext, listPriceOverrides } from "@/lib/db/queries";
import type { CallInsert, RunInsert } from "@/lib/db/schema";
import { errorCodeOf, isTransientWriteError } from "@/lib/db/write-errors";
import { redactSecrets } from "@/lib/models/secrets";
import type { Usage } from "@/lib/models/types";
import { priceCall } from "@/lib/pricing/price-call";
import type { CallPricing, PriceOverride } from "@/lib/pricing/types";
import type { ExportableCall } from "@/lib/telemetry/call-span";
import { RecorderJournal } from "./journal";
import type {
  CallCost,
  CallFinishRecord,
  CallProgressRecord,
  CallStartRecord,
  RecordedMessage,
  RunRecord,
  Tracer,
} from "./types";

export interface TracerOptions {
  /** The connection prices and call contexts are read from. */
  database: Database;
  /** The connection batches are written on (`openRecorderConnection`); `database` if absent. */
  writerDatabase?: Database;
  /** Where batches wait while the database refuses them; `null`: in memory only. */
  journalPath?: string | null;
  /** How long writes gather before a batch is written. */
  flushIntervalMs?: number;
  /** Pending calls that trigger a write without waiting for the interval. */
  maxPendingCalls?: number;
  /**
   * The first retry's delay; each next one doubles, up to `maxRetryDelayMs`. The first is short:
   * the commonest refusal is the background checkpoint holding the writers for a moment.
   */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Calls kept in memory when the journal cannot be written; past this the oldest are lost. */
  maxMemoryCalls?: number;
  /** How long a refused batch waits in memory before it is journalled. */
  journalAfterMs?: number;
  /** How long one turn of the event loop may spend replaying the journal. */
  replaySliceMs?: number;
  log?: (message: string) => void;
  /** Replaces the database writer (tests inject failures through the database instead). */
  writer?: CallWriter;
  /** Where each ended call goes once its final record is handled (the OTLP exporter). */
  exportCalls?: CallExportSink | null;
}

/** Takes ended calls; must only queue, never wait or throw (the recorder guards it anyway). */
export interface CallExportSink {
  export(call: ExportableCall): void;
}

export interface TracerStats {
  batchesWritten: number;
  /** Write attempts the database refused for a reason that can clear. */
  failedAttempts: number;
  /** Rows the database rejected for good (a constraint), each logged. */
  droppedWrites: number;
  pendingCalls: number;
  /** Calls with a record only in memory: neither written nor journalled yet. */
  queuedCalls: number;
  /** Calls whose record could be neither written nor journalled. */
  callsLost: number;
  journalRecordsReplayed: number;
  /** The longest the recorder's own work held the event loop in one go (a write, a replay slice). */
  longestStepMs: number;
}

/** What `GET /api/health` and the pages' banner report. */
export interface RecorderHealth {
  /** `behind`: batches wait in the journal (or memory) for the database to take them. */
  state: "ok" | "behind";
  /** Calls with a record not yet in the database. */
  pendingCalls: number;
  /** Age of the oldest record not yet in the database. */
  oldestPendingMs: number | null;
  journalBytes: number;
  /** Since when writes fail; `null` while they succeed. */
  failingSince: string | null;
  /** Why, in words fit for the banner: `locked`, `full`, `io` or `error`. */
  failure: "locked" | "full" | "io" | "error" | null;
  /** The last failure's SQLite code and message (no data from calls). */
  lastError: string | null;
  callsLost: number;
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

/** What a call's span needs beyond its finish, kept from its start. */
interface OpenCall extends PricingContext {
  runId: string;
  model: string;
  source: string;
  keyName: string | null;
  tags: string[];
  /** Where the request went (from the progress that carried it), for `server.address`. */
  requestUrl: string | null;
}

/** A batch cut from the queue, not yet in the database. */
interface FrozenBatch {
  batch: WriteBatch;
  /** Every record enqueued up to this one is in it or in an earlier batch. */
  sequence: number;
  enqueuedAt: number;
  callIds: string[];
  /** When the database first refused it. */
  refusedAt?: number;
}

/** A journal line this process knows about, in file order. */
interface JournalEntry {
  end: number;
  sequence: number;
  enqueuedAt: number;
  callIds: string[];
}

/** Work that must happen at a point of the journal: crash recovery after the inherited lines. */
interface RecoveryStep {
  offset: number;
  run: (writerDatabase: Database) => void;
}

function callIdsOf(batch: WriteBatch): string[] {
  const ids = batch.callInserts.map((call) => call.id);
  for (const update of batch.callUpdates) ids.push(update.id);
  return ids;
}

function failureOf(error: unknown): RecorderHealth["failure"] {
  const code = errorCodeOf(error) ?? "";
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "locked";
  if (code.startsWith("SQLITE_FULL")) return "full";
  if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN")) return "io";
  return "error";
}

const TITLE_LENGTH = 120;

function recordedText(content: RecordedMessage["content"]): string {
  if (content === null || typeof content === "string") return content ?? "";
  return content.flatMap((part) => (part.type === "text" ? [part.text] : [])).join("\n");
}

function runTitle(run: RunRecord): string {
  const firstUser = run.messages.find((message) => message.role === "user");
  const firstText = firstUser ? recordedText(firstUser.content) : "";
  const text = (firstText || (run.system ?? "")).replace(/\s+/g, " ").trim();
  return text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text;
}

function runSearchText(run: RunRecord): string {
  const parts = [run.system ?? ""];
  for (const message of run.messages) {
    const text = recordedText(message.content);
    if (text) parts.push(text);
  }
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
  private readonly writerDatabase: Database;
  private readonly writer: CallWriter;
  private readonly journal: RecorderJournal | null;
  private readonly flushIntervalMs: number;
  private readonly maxPendingCalls: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly maxMemoryCalls: number;
  private readonly journalAfterMs: number;
  private readonly replaySliceMs: number;
  private readonly log: (message: string) => void;

  private pendingRuns: RunInsert[] = [];
  private pendingCalls = new Map<string, PendingCall>();
  /** When the oldest record in the queue was enqueued; `null` while the queue is empty. */
  private pendingSince: number | null = null;
  private readonly contexts = new Map<string, PricingContext | OpenCall>();
  private readonly exportCalls: CallExportSink | null;
  /** Ended calls whose final record is in the queue, handed to `exportCalls` at its flush. */
  private endedCalls: ExportableCall[] = [];
  private flushTimer: { cancel: () => void; immediate: boolean } | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private replayImmediate: ReturnType<typeof setImmediate> | null = null;
  private enqueuedSequence = 0;
  private writtenSequence = 0;
  private waiters: Array<{ sequence: number; resolve: () => void }> = [];
  private overrides: PriceOverride[] = [];
  private overridesVersion = -1;

  /** Set while batches wait (in the journal or in memory) for the database. */
  private behind = false;
  private readonly journalEntries: JournalEntry[] = [];
  private replayedOffset = 0;
  /** Refused batches not (yet) in the journal, oldest first; all newer than its lines. */
  private readonly memoryQueue: FrozenBatch[] = [];
  private memoryCalls = 0;
  /** Calls with a record waiting in the journal or memory, by the sequence of the latest. */
  private readonly waitingCallIds = new Map<string, number>();
  private recovery: RecoveryStep | null = null;
  private failingSince: number | null = null;
  private lastError: unknown = null;
  private retryAttempts = 0;
  private journalError: string | null = null;
  private closed = false;
  private readonly stats = {
    batchesWritten: 0,
    failedAttempts: 0,
    droppedWrites: 0,
    callsLost: 0,
    journalRecordsReplayed: 0,
    longestStepMs: 0,
  };

  constructor(options: TracerOptions) {
    this.database = options.database;
    this.writerDatabase = options.writerDatabase ?? options.database;
    this.writer = options.writer ?? createCallWriter(this.writerDatabase);
    this.flushIntervalMs = options.flushIntervalMs ?? 50;
    this.maxPendingCalls = options.maxPendingCalls ?? 1_000;
    this.retryDelayMs = options.retryDelayMs ?? 5;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 1_000;
    this.maxMemoryCalls = options.maxMemoryCalls ?? 100_000;
    this.journalAfterMs = options.journalAfterMs ?? 250;
    this.replaySliceMs = options.replaySliceMs ?? 4;
    this.log =
      options.log ?? ((message) => console.error(`locus-playground: recorder: ${message}`));
    this.journal = options.journalPath ? new RecorderJournal(options.journalPath, this.log) : null;
    this.exportCalls = options.exportCalls ?? null;
    this.openInheritedJournal();
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
        source: run.source ?? "playground",
        comparisonId: run.comparisonId ?? null,
        branchedFromRunId: run.branchedFromRunId ?? null,
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
        runId: call.runId,
        model: call.model,
        source: call.context?.source ?? "playground",
        keyName: call.context?.keyName ?? null,
        tags: call.context?.tags ?? [],
        requestUrl: null,
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
      const context = this.contexts.get(progress.callId);
      if (!context) return;
      if (progress.request && isOpenCall(context)) context.requestUrl = progress.request.url;
      const values: CallValues = {
        output: progress.output,
        toolCalls: progress.toolCalls,
        firstTokenAt: progress.firstTokenAt,
      };
      if (progress.reasoning) values.reasoning = progress.reasoning;
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
        ...(finish.reasoning ? { reasoning: finish.reasoning } : {}),
        toolCalls: finish.toolCalls,
        firstTokenAt: finish.firstTokenAt,
        finishedAt: finish.finishedAt,
        ttftMs: finish.ttftMs,
        durationMs: finish.durationMs,
        ...(finish.attempts !== undefined ? { attempts: finish.attempts } : {}),
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
      if (this.exportCalls && context && isOpenCall(context)) {
        this.endedCalls.push(exportableCall(context, finish, cost.costUsd));
      }
    });
    return cost;
  }

  /** Resolves when everything enqueued so far is in the database, however long that takes. */
  flush(): Promise<void> {
    const target = this.enqueuedSequence;
    if (this.writtenSequence >= target) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ sequence: target, resolve });
      // Behind, the next retry comes on its own schedule; otherwise write now.
      if (!this.behind) this.scheduleFlush(0);
    });
  }

  /**
   * The read barrier: resolves `true` once everything enqueued before the call is in the
   * database, or `false` after `timeoutMs` if it is not (the recorder is behind).
   */
  waitForWrites(timeoutMs: number): Promise<boolean> {
    const target = this.enqueuedSequence;
    if (this.writtenSequence >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        resolve(false);
      }, timeoutMs);
      const entry = {
        sequence: target,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(entry);
      if (!this.behind) this.scheduleFlush(0);
    });
  }

  /**
   * Crash recovery, before anything of this process is written: replays the journal an earlier
   * process left, then runs `step` (marking its calls interrupted) on the writer's connection.
   * When the database refuses, both wait at the head of the queue and run on the retry
   * schedule, and `complete` is `false`.
   */
  recover(step: (writerDatabase: Database) => number): { complete: boolean; result: number } {
    let result = 0;
    this.guard("recover", () => {
      // A journal written since this recorder opened (by a process that crashed meanwhile).
      if (!this.behind && (this.journal?.bytes ?? 0) === 0) this.openInheritedJournal();
      this.recovery = {
        offset: this.journal?.bytes ?? 0,
        run: (writerDatabase) => {
          result = step(writerDatabase);
        },
      };
      this.behind = true;
      this.clearRetry();
      this.catchUp(Number.POSITIVE_INFINITY);
    });
    return { complete: this.recovery === null, result };
  }

  /**
   * Writes everything pending now, synchronously, and makes the journal durable: for process
   * exit, where no timer will run again.
   */
  flushSync(): void {
    this.guard("flushSync", () => {
      this.cancelFlush();
      this.flushPending();
      this.journalWaiting(true);
      this.journal?.syncNow();
    });
  }

  /** Stops the timers and closes the journal file (leaving it on disk if it holds anything). */
  close(): void {
    this.closed = true;
    this.cancelFlush();
    this.clearRetry();
    this.guard("close", () => this.journal?.close());
  }

  get databaseIsOpen(): boolean {
    return this.database.sqlite.open && !this.closed;
  }

  /** The writer's raw connection, for fault-injection tests. */
  get writerConnection(): Database["sqlite"] {
    return this.writerDatabase.sqlite;
  }

  getStats(): TracerStats {
    return {
      ...this.stats,
      pendingCalls: this.countPendingCalls(),
      queuedCalls: this.pendingCalls.size + this.memoryCalls,
    };
  }

  /** `longestStepMs` so far, then starts it again from zero: for benchmarks, per phase. */
  takeLongestStepMs(): number {
    const longest = this.stats.longestStepMs;
    this.stats.longestStepMs = 0;
    return longest;
  }

  getHealth(): RecorderHealth {
    const now = Date.now();
    const oldest = Math.min(
      this.pendingSince ?? Number.POSITIVE_INFINITY,
      this.journalEntries[0]?.enqueuedAt ?? Number.POSITIVE_INFINITY,
      this.memoryQueue[0]?.enqueuedAt ?? Number.POSITIVE_INFINITY,
    );
    return {
      state: this.behind ? "behind" : "ok",
      pendingCalls: this.countPendingCalls(),
      oldestPendingMs: Number.isFinite(oldest) ? Math.max(0, now - oldest) : null,
      journalBytes: this.journal?.bytes ?? 0,
      failingSince: this.failingSince === null ? null : new Date(this.failingSince).toISOString(),
      failure: this.failingSince === null ? null : failureOf(this.lastError),
      lastError: this.lastError === null ? null : describeError(this.lastError),
      callsLost: this.stats.callsLost,
    };
  }

  private countPendingCalls(): number {
    let count = this.waitingCallIds.size;
    for (const id of this.pendingCalls.keys()) if (!this.waitingCallIds.has(id)) count += 1;
    return count;
  }

  private guard(method: string, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.log(`${method} failed and was skipped (${describeError(error)})`);
    }
  }

  /** `guard` for work a timer runs, timed: what the recorder costs the event loop. */
  private step(method: string, action: () => void): void {
    const began = performance.now();
    this.guard(method, action);
    const took = performance.now() - began;
    if (took > this.stats.longestStepMs) this.stats.longestStepMs = took;
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
    this.pendingSince ??= Date.now();
    this.scheduleFlush(this.pendingCalls.size >= this.maxPendingCalls ? 0 : this.flushIntervalMs);
  }

  private cancelFlush(): void {
    this.flushTimer?.cancel();
    this.flushTimer = null;
  }

  /** Schedules a flush after `delayMs` (0: on the next turn), unless one is due as soon. */
  private scheduleFlush(delayMs: number): void {
    if (this.closed) return;
    if (this.flushTimer !== null && (delayMs > 0 || this.flushTimer.immediate)) return;
    this.cancelFlush();
    const run = () => {
      this.flushTimer = null;
      this.step("flush", () => this.flushPending());
    };
    if (delayMs <= 0) {
      const immediate = setImmediate(run);
      this.flushTimer = { cancel: () => clearImmediate(immediate), immediate: true };
    } else {
      const timer = setTimeout(run, delayMs);
      this.flushTimer = { cancel: () => clearTimeout(timer), immediate: false };
    }
  }

  private freeze(): FrozenBatch | null {
    if (this.pendingRuns.length === 0 && this.pendingCalls.size === 0) return null;
    const batch: WriteBatch = { runs: this.pendingRuns, callInserts: [], callUpdates: [] };
    const callIds: string[] = [];
    for (const [id, pending] of this.pendingCalls) {
      callIds.push(id);
      if (pending.insert) batch.callInserts.push(pending.insert);
      else if (pending.update) batch.callUpdates.push({ id, values: pending.update });
    }
    const frozen = {
      batch,
      sequence: this.enqueuedSequence,
      enqueuedAt: this.pendingSince ?? Date.now(),
      callIds,
    };
    this.pendingRuns = [];
    this.pendingCalls = new Map();
    this.pendingSince = null;
    return frozen;
  }

  /** Writes the queue as one batch (or journals it), then hands its ended calls to export. */
  private flushPending(): void {
    try {
      this.writePending();
    } finally {
      this.exportEnded();
    }
  }

  private exportEnded(): void {
    if (this.endedCalls.length === 0) return;
    const ended = this.endedCalls;
    this.endedCalls = [];
    for (const call of ended) this.guard("export", () => this.exportCalls?.export(call));
  }

  /** Writes the queue as one batch, or journals it while the recorder is behind. */
  private writePending(): void {
    const frozen = this.freeze();
    if (!frozen) return;
    if (this.behind) {
      this.spill(frozen);
      return;
    }
    try {
      this.writer.writeBatch(frozen.batch);
      this.stats.batchesWritten += 1;
      this.succeeded();
    } catch (error) {
      if (isTransientWriteError(error)) {
        this.behind = true;
        this.spill(frozen);
        this.failed(error);
        this.scheduleRetry();
        return;
      }
      this.log(
        `writing ${describeBatch(frozen.batch)} failed (${describeError(error)}); writing its rows one by one`,
      );
      const rest = this.writeOneByOne(frozen.batch, false);
      if (rest) {
        this.behind = true;
        this.spill({ ...frozen, batch: rest });
        this.scheduleRetry();
        return;
      }
    }
    this.advanceTo(frozen.sequence);
  }

  /**
   * Puts a batch the database did not take behind the others. It waits in memory first: most
   * refusals are short (a checkpoint holding the writers, a brief lock) and the next retry
   * takes it. What waits longer than `journalAfterMs`, or past `maxPendingCalls`, goes to the
   * journal, oldest first.
   */
  private spill(frozen: FrozenBatch): void {
    for (const id of frozen.callIds) this.waitingCallIds.set(id, frozen.sequence);
    frozen.refusedAt = Date.now();
    this.memoryQueue.push(frozen);
    this.memoryCalls += frozen.callIds.length;
    this.journalWaiting(false);
  }

  /**
   * Moves what has waited long enough from memory to the journal (everything, when `all`).
   * While the journal cannot be written, memory holds up to `maxMemoryCalls`; past that the
   * oldest batches are lost, counted and logged loudly.
   */
  private journalWaiting(all: boolean): void {
    if (this.journal) {
      const now = Date.now();
      while (this.memoryQueue.length > 0) {
        const oldest = this.memoryQueue[0] as FrozenBatch;
        const due =
          all ||
          now - (oldest.refusedAt ?? now) >= this.journalAfterMs ||
          this.memoryCalls > this.maxPendingCalls;
        if (!due || !this.appendToJournal(oldest)) break;
        this.memoryQueue.shift();
        this.memoryCalls -= oldest.callIds.length;
      }
    }
    while (this.memoryCalls > this.maxMemoryCalls && this.memoryQueue.length > 1) {
      const lost = this.memoryQueue.shift() as FrozenBatch;
      this.memoryCalls -= lost.callIds.length;
      this.stats.callsLost += lost.callIds.length;
      this.forgetWaiting(lost);
      this.log(
        `LOST ${lost.callIds.length} calls (${describeBatch(lost.batch)}): the database refuses writes and the journal cannot be written; ${this.stats.callsLost} calls lost so far`,
      );
    }
  }

  private appendToJournal(frozen: FrozenBatch): boolean {
    const journal = this.journal;
    if (!journal) return false;
    try {
      journal.append(frozen.enqueuedAt, encodeWriteBatch(frozen.batch));
    } catch (error) {
      const described = describeError(error);
      // Once per distinct failure: every flush tries again.
      if (described !== this.journalError) {
        this.log(
          `the journal ${journal.path} cannot be written (${described}): ${this.memoryCalls} calls wait in memory`,
        );
      }
      this.journalError = described;
      return false;
    }
    this.journalError = null;
    this.journalEntries.push({
      end: journal.bytes,
      sequence: frozen.sequence,
      enqueuedAt: frozen.enqueuedAt,
      callIds: frozen.callIds,
    });
    return true;
  }

  private forgetWaiting(batch: { sequence: number; callIds: string[] }): void {
    for (const id of batch.callIds) {
      if ((this.waitingCallIds.get(id) ?? Number.POSITIVE_INFINITY) <= batch.sequence) {
        this.waitingCallIds.delete(id);
      }
    }
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.replayImmediate !== null) clearImmediate(this.replayImmediate);
    this.replayImmediate = null;
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    this.clearRetry();
    const delay = Math.min(
      this.retryDelayMs * 2 ** Math.min(this.retryAttempts, 20),
      this.maxRetryDelayMs,
    );
    this.retryAttempts += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.step("retry", () => this.catchUp(this.replaySliceMs));
    }, delay);
  }

  private failed(error: unknown): void {
    this.stats.failedAttempts += 1;
    const first = this.failingSince === null;
    this.failingSince ??= Date.now();
    this.lastError = error;
    // Once when it starts, then now and then: a lock can last minutes.
    if (first || this.stats.failedAttempts % 50 === 0) {
      this.log(
        `the database refuses writes (${describeError(error)}); ${this.countPendingCalls()} calls wait, retrying until it takes them`,
      );
    }
  }

  private succeeded(): void {
    if (this.failingSince !== null) {
      this.log(
        `the database takes writes again after ${Math.round((Date.now() - this.failingSince) / 1000)} s`,
      );
    }
    this.failingSince = null;
    this.retryAttempts = 0;
  }

  /**
   * Replays what waits, oldest first, for at most `sliceMs` before yielding the event loop:
   * the recovery step at its point, the journal's lines, then what only memory holds. When
   * nothing is left the journal is removed and batches are written directly again.
   */
  private catchUp(sliceMs: number): void {
    if (this.closed) return;
    const began = performance.now();
    const journal = this.journal;
    this.journalWaiting(false);
    for (;;) {
      if (this.recovery && this.replayedOffset >= this.recovery.offset) {
        try {
          this.recovery.run(this.writerDatabase);
        } catch (error) {
          if (isTransientWriteError(error)) {
            this.failed(error);
            this.scheduleRetry();
            return;
          }
          this.log(`crash recovery failed and was skipped (${describeError(error)})`);
        }
        this.recovery = null;
        continue;
      }
      const line = journal?.readLine(this.replayedOffset) ?? null;
      if (!line) break;
      if (!this.replayLine(line.text)) return;
      this.replayedOffset = line.end;
      this.stats.journalRecordsReplayed += 1;
      this.committedJournalUpTo(line.end);
      if (performance.now() - began >= sliceMs) {
        this.replayImmediate = setImmediate(() => {
          this.replayImmediate = null;
          this.step("replay", () => this.catchUp(this.replaySliceMs));
        });
        return;
      }
    }
    if (journal && journal.bytes > 0) {
      // Removed before the memory queue is written: a crash after that must not replay older
      // lines over newer rows.
      journal.remove();
      this.replayedOffset = 0;
      this.journalEntries.length = 0;
    }
    while (this.memoryQueue.length > 0) {
      const oldest = this.memoryQueue[0] as FrozenBatch;
      try {
        this.writer.writeBatch(oldest.batch, { replay: true });
      } catch (error) {
        if (isTransientWriteError(error)) {
          this.failed(error);
          this.scheduleRetry();
          return;
        }
        this.log(`writing ${describeBatch(oldest.batch)} failed (${describeError(error)})`);
        if (this.writeOneByOne(oldest.batch, true)) {
          this.scheduleRetry();
          return;
        }
      }
      this.memoryQueue.shift();
      this.memoryCalls -= oldest.callIds.length;
      this.forgetWaiting(oldest);
      this.advanceTo(oldest.sequence);
    }
    this.behind = false;
    this.succeeded();
    this.waitingCallIds.clear();
    if (this.pendingRuns.length > 0 || this.pendingCalls.size > 0) this.scheduleFlush(0);
    // Everything enqueued before now was journalled or is in the queue just scheduled.
    this.resolveWaiters();
  }

  /** Writes one journal line; `false` when it must be tried again later. */
  private replayLine(text: string): boolean {
    let batch: WriteBatch;
    try {
      batch = decodeWriteBatch(text);
    } catch (error) {
      this.log(
        `LOST a journal record that cannot be read (${describeError(error)}); ${text.length} bytes skipped`,
      );
      return true;
    }
    try {
      this.writer.writeBatch(batch, { replay: true });
      this.stats.batchesWritten += 1;
      return true;
    } catch (error) {
      if (isTransientWriteError(error)) {
        this.failed(error);
        this.scheduleRetry();
        return false;
      }
      this.log(
        `replaying ${describeBatch(batch)} failed (${describeError(error)}); writing its rows one by one`,
      );
      // Idempotent: a row written before a transient failure is written again harmlessly.
      if (this.writeOneByOne(batch, true)) {
        this.scheduleRetry();
        return false;
      }
      return true;
    }
  }

  private committedJournalUpTo(offset: number): void {
    while (
      this.journalEntries.length > 0 &&
      (this.journalEntries[0] as JournalEntry).end <= offset
    ) {
      const entry = this.journalEntries.shift() as JournalEntry;
      this.forgetWaiting(entry);
      this.advanceTo(entry.sequence);
    }
  }

  /**
   * Writes a batch row by row, dropping (and logging) the rows the database rejects for good.
   * Returns the rows not tried because the database started refusing everything, or `null`.
   */
  private writeOneByOne(batch: WriteBatch, replay: boolean): WriteBatch | null {
    const parts: Array<{ description: string; part: WriteBatch }> = [];
    const empty = (): WriteBatch => ({ runs: [], callInserts: [], callUpdates: [] });
    for (const run of batch.runs)
      parts.push({ description: `run ${run.id}`, part: { ...empty(), runs: [run] } });
    for (const call of batch.callInserts) {
      parts.push({ description: `call ${call.id}`, part: { ...empty(), callInserts: [call] } });
    }
    for (const update of batch.callUpdates) {
      parts.push({
        description: `update of call ${update.id}`,
        part: { ...empty(), callUpdates: [update] },
      });
    }
    for (let index = 0; index < parts.length; index++) {
      const { description, part } = parts[index] as (typeof parts)[number];
      try {
        this.writer.writeBatch(part, { replay });
      } catch (error) {
        if (isTransientWriteError(error)) {
          this.failed(error);
          const rest = empty();
          for (const later of parts.slice(index)) {
            rest.runs.push(...later.part.runs);
            rest.callInserts.push(...later.part.callInserts);
            rest.callUpdates.push(...later.part.callUpdates);
          }
          return rest;
        }
        this.stats.droppedWrites += 1;
        this.log(`dropped ${description}: ${describeError(error)}`);
      }
    }
    return null;
  }

  private advanceTo(sequence: number): void {
    if (sequence > this.writtenSequence) this.writtenSequence = sequence;
    this.resolveWaiters();
  }

  private resolveWaiters(): void {
    // Caught up: nothing waits anywhere but in the queue, which the next flush writes.
    const written =
      !this.behind && this.pendingCalls.size === 0 && this.pendingRuns.length === 0
        ? this.enqueuedSequence
        : this.writtenSequence;
    this.writtenSequence = written;
    const remaining: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (written >= waiter.sequence) waiter.resolve();
      else remaining.push(waiter);
    }
    this.waiters = remaining;
  }

  /** Opens a journal an earlier process left: the recorder starts behind, replaying it first. */
  private openInheritedJournal(): void {
    const journal = this.journal;
    if (!journal) return;
    this.guard("open journal", () => {
      if (!journal.openExisting()) return;
      let offset = 0;
      for (;;) {
        const line = journal.readLine(offset);
        if (!line) break;
        let callIds: string[] = [];
        try {
          callIds = callIdsOf(decodeWriteBatch(line.text));
        } catch {
          // Reported when the replay reaches it.
        }
        const entry = { end: line.end, sequence: 0, enqueuedAt: line.enqueuedAt, callIds };
        for (const id of callIds) this.waitingCallIds.set(id, 0);
        this.journalEntries.push(entry);
        offset = line.end;
      }
      this.log(
        `found a journal of ${journal.bytes} bytes (${this.waitingCallIds.size} calls) left by an earlier process; replaying it first`,
      );
      this.behind = true;
      this.scheduleRetry();
    });
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
    const pending = this.pendingCalls.get(callId)?.insert;
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

/** A context from this recorder's own `recordCallStart`, not looked up for pricing alone. */
function isOpenCall(context: PricingContext | OpenCall): context is OpenCall {
  return "runId" in context;
}

/** A call's span data: its start's context and its finish, as recorded. */
function exportableCall(
  context: OpenCall,
  finish: CallFinishRecord,
  costUsd: number | null,
): ExportableCall {
  const usage = usageValues(finish.usage);
  return {
    callId: finish.callId,
    runId: context.runId,
    model: context.model,
    provider: context.provider,
    modelId: context.modelId,
    responseModel: finish.responseModel ?? null,
    source: context.source,
    startedAt: context.startedAt,
    endedAt: finish.finishedAt,
    ttftMs: finish.ttftMs,
    status: finish.status,
    stopReason: finish.stopReason,
    rawStopReason: finish.rawStopReason,
    errorKind: finish.error?.kind ?? null,
    inputTokens: usage.inputTokens ?? null,
    outputTokens: usage.outputTokens ?? null,
    cacheReadTokens: usage.cacheReadTokens ?? null,
    cacheWriteTokens: usage.cacheWriteTokens ?? null,
    cacheWrite5mTokens: usage.cacheWrite5mTokens ?? null,
    cacheWrite1hTokens: usage.cacheWrite1hTokens ?? null,
    reasoningTokens: usage.reasoningTokens ?? null,
    costUsd,
    keyName: context.keyName,
    tags: context.tags,
    requestUrl: context.requestUrl,
  };
}

function describeBatch(batch: WriteBatch): string {
  return `a batch of ${batch.runs.length} runs, ${batch.callInserts.length} new calls and ${batch.callUpdates.length} call updates`;
}

export function createTracer(options: TracerOptions): SqliteTracer {
  return new SqliteTracer(options);
}
