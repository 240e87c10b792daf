/**
 * The contract between the run manager (`lib/runs`) and the call recorder (`lib/tracing`).
 * Every `record*` method only enqueues: it never throws into the caller and never waits on
 * the database, so recording cannot slow or break the stream a person is watching.
 */

import type {
  CallParameters,
  CallSource,
  CallStatus,
  RecordedContentPart,
  RecordedMessage,
} from "@/lib/db/schema";
import type {
  ProviderErrorKind,
  ProviderId,
  RequestRecord,
  ResponseFormat,
  StopReason,
  ToolCall,
  ToolDefinition,
  UnsupportedParameter,
  Usage,
} from "@/lib/models";

// The store owns its column types; the recorder's contract speaks in them.
export type { CallParameters, CallSource, CallStatus, RecordedContentPart, RecordedMessage };

/** Who a call was made for, beyond the run it belongs to; absent for the compare page. */
export interface CallContext {
  source: CallSource;
  gatewayKeyId?: string | null;
  keyName?: string | null;
  tags?: string[] | null;
  endUser?: string | null;
}

export interface RunRecord {
  id: string;
  createdAt: Date;
  system: string | null;
  messages: RecordedMessage[];
  tools: ToolDefinition[] | null;
  responseFormat: ResponseFormat | null;
  /** Who asked for the run; absent means the compare page (`playground`). */
  source?: CallSource;
  /** The comparison the run belongs to (`POST /api/runs`' `comparisonId`); absent: its own. */
  comparisonId?: string | null;
  /** The run whose edited turn this run resends (`branchedFromRunId`). */
  branchedFromRunId?: string | null;
}

export interface CallStartRecord {
  callId: string;
  runId: string;
  index: number;
  /** The full model string, e.g. `openai:gpt-4o-mini`. */
  model: string;
  provider: ProviderId;
  modelId: string;
  params: CallParameters;
  /** The system prompt this target actually used (shared or its override). */
  system: string | null;
  startedAt: Date;
  /** Absent means the compare page (`source` defaults to `playground`). */
  context?: CallContext;
}

export interface CallProgressRecord {
  callId: string;
  output: string;
  /** Reasoning text so far; absent when the provider sent none. */
  reasoning?: string;
  toolCalls: ToolCall[];
  firstTokenAt: Date | null;
  request?: RequestRecord;
  unsupported?: UnsupportedParameter[];
}

export interface CallErrorRecord {
  kind: ProviderErrorKind;
  code: string | null;
  status: number | null;
  message: string;
  retryAfterMs: number | null;
}

export interface CallFinishRecord {
  callId: string;
  status: Exclude<CallStatus, "running" | "interrupted">;
  stopReason: StopReason;
  rawStopReason: string | null;
  usage: Usage | null;
  error: CallErrorRecord | null;
  output: string;
  reasoning?: string;
  toolCalls: ToolCall[];
  firstTokenAt: Date | null;
  finishedAt: Date;
  ttftMs: number | null;
  durationMs: number;
  /** Requests made, retries included; default 1. */
  attempts?: number;
  /** The model the provider said answered, when it said (exported, not stored). */
  responseModel?: string | null;
}

export interface CallCost {
  /** `null` when no price is known (unpriced), never a made-up 0. */
  costUsd: number | null;
}

export interface Tracer {
  recordRun(run: RunRecord): void;
  recordCallStart(call: CallStartRecord): void;
  /** Throttled by the caller or the tracer so the stored output is at most ~250 ms behind. */
  recordCallProgress(progress: CallProgressRecord): void;
  /** Prices the call (synchronously, from the price in force at its start) and enqueues it. */
  recordCallFinish(finish: CallFinishRecord): CallCost;
  /** Resolves when everything enqueued so far is in the database. */
  flush(): Promise<void>;
}
