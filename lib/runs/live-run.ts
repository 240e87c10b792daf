/**
 * One run in memory: its calls, the append-only log of encoded SSE chunks (for replay), and
 * whoever is listening. Events are serialized once and the same bytes go to every listener
 * and into the log, so the hot path does no per-listener work beyond an enqueue.
 *
 * Writing to a client socket is the relay's main cost (a syscall that also wakes the reader),
 * so events are gathered and written together, by urgency:
 *  - the first text or tool call of each call goes out at once: it is that column's time to
 *    first token, and nothing may hold it back;
 *  - later deltas are written at most once per `batchMs` (the first after a quiet spell goes
 *    out on the next turn of the event loop), and consecutive deltas of one call in a batch
 *    are merged into one `text-delta` event, its text the exact concatenation;
 *  - a call's finish goes out on the next turn, with whatever else is pending;
 *  - `run-start` waits for the first subscriber or the next delivery, whichever is first;
 *  - while nobody listens (a gateway request, an evaluation's call, a page between two
 *    subscriptions) nothing is delivered: events wait, deltas merged, for the next subscriber's
 *    backlog or the end of the run, so a run nobody watches costs no timers and no writes.
 */

import { encodeSseText, serializeSseEvent, textDeltaFrame } from "@/lib/http/sse";
import type { ProviderId, StopReason, ToolCall } from "@/lib/models";
import type { CallParameters, CallStatus } from "@/lib/tracing/types";
import type { RunCallSummary, RunEvent, RunUsage } from "./run-events";

/** Joins frames into one chunk (no copy for a single frame). */
export function concatenateFrames(frames: Uint8Array[]): Uint8Array {
  if (frames.length === 1 && frames[0]) return frames[0];
  let length = 0;
  for (const frame of frames) length += frame.byteLength;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const frame of frames) {
    joined.set(frame, offset);
    offset += frame.byteLength;
  }
  return joined;
}

export interface RunListener {
  onFrame: (frame: Uint8Array) => void;
  onEnd: () => void;
}

export interface LiveCall {
  index: number;
  callId: string;
  model: string;
  provider: ProviderId;
  modelId: string;
  params: CallParameters;
  system: string | null;
  controller: AbortController;
  status: CallStatus;
  output: string;
  /** Reasoning text so far ("" when the provider sent none). */
  reasoning: string;
  toolCalls: ToolCall[];
  startedAt: Date;
  /** `performance.now()` at start; durations are measured on the monotonic clock. */
  startedAtMs: number;
  firstTokenAt: Date | null;
  ttftMs: number | null;
  durationMs: number | null;
  stopReason: StopReason | null;
  usage: RunUsage | null;
  costUsd: number | null;
  error: { code: string; message: string; retryAfterMs?: number } | null;
  progressTimer: ReturnType<typeof setTimeout> | null;
}

/** How long later deltas of a run may wait so they share one write (about one display frame). */
export const DEFAULT_BATCH_MS = 16;

export interface LiveRunOptions {
  /** Later deltas are written at most this often; 0 writes them on every turn of the loop. */
  batchMs?: number;
  /**
   * Sees every event as it is emitted, before batching: a caller that re-frames the events
   * (the gateway) needs them one by one and at once, not as encoded SSE chunks.
   */
  observer?: (event: RunEvent) => void;
}

/** A `text-delta` still open for more text of the same call. */
interface PendingDelta {
  index: number;
  delta: string;
  ttftMs?: number;
  /** The latest merged piece's: the time the text so far was complete. */
  elapsedMs?: number;
}

/** An event waiting to be written: serialized, or a delta that may still grow. */
type PendingFrame = string | PendingDelta;

export class LiveRun {
  readonly frames: Uint8Array[] = [];
  private readonly listeners = new Set<RunListener>();
  private readonly batchMs: number;
  private readonly observer: ((event: RunEvent) => void) | undefined;
  /** Emitted, not yet delivered, in order. */
  private pending: PendingFrame[] = [];
  /** Per call index: its pending delta while nothing of that call was queued after it. */
  private openDeltas: Array<PendingDelta | undefined> = [];
  /** Per call index: whether its first text or tool call was emitted. */
  private readonly started: boolean[] = [];
  private immediate: ReturnType<typeof setImmediate> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastDeliveryAt = Number.NEGATIVE_INFINITY;
  private finishedFlag = false;
  private resolveDone: () => void = () => undefined;
  /** Resolves once every call has finished and `run-finish` was emitted. */
  readonly done: Promise<void>;

  constructor(
    readonly id: string,
    readonly createdAt: Date,
    readonly system: string | null,
    readonly messages: unknown[],
    readonly calls: LiveCall[],
    options: LiveRunOptions = {},
  ) {
    this.batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
    this.observer = options.observer;
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get finished(): boolean {
    return this.finishedFlag;
  }

  get summaries(): RunCallSummary[] {
    return this.calls.map((call) => ({
      index: call.index,
      callId: call.callId,
      model: call.model,
    }));
  }

  emit(event: RunEvent): void {
    this.observer?.(event);
    switch (event.type) {
      case "text-delta": {
        const open = this.openDeltas[event.index];
        if (open) {
          // Already queued, so already scheduled: only the text grows.
          open.delta += event.delta;
          if (event.elapsedMs !== undefined) open.elapsedMs = event.elapsedMs;
          if (event.ttftMs !== undefined && open.ttftMs === undefined) open.ttftMs = event.ttftMs;
          return;
        }
        const entry: PendingDelta = {
          index: event.index,
          delta: event.delta,
          ...(event.ttftMs !== undefined ? { ttftMs: event.ttftMs } : {}),
          ...(event.elapsedMs !== undefined ? { elapsedMs: event.elapsedMs } : {}),
        };
        this.pending.push(entry);
        this.openDeltas[event.index] = entry;
        this.scheduleContent(event.index);
        return;
      }
      case "tool-call":
      case "reasoning-delta":
        this.pending.push(serializeSseEvent(event));
        this.openDeltas[event.index] = undefined;
        this.scheduleContent(event.index);
        return;
      case "call-finish":
      case "call-retry":
        this.pending.push(serializeSseEvent(event));
        this.openDeltas[event.index] = undefined;
        this.deliverSoon();
        return;
      case "run-start":
        this.pending.push(serializeSseEvent(event));
        return;
      case "run-finish":
        this.pending.push(serializeSseEvent(event));
        this.deliverSoon();
        return;
      default: {
        const exhaustive: never = event;
        throw new Error(`unknown run event ${String(exhaustive)}`);
      }
    }
  }

  private scheduleContent(index: number): void {
    const first = !this.started[index];
    this.started[index] = true;
    if (this.listeners.size === 0) return;
    if (first) {
      this.deliver();
      return;
    }
    if (this.immediate !== null || this.timer !== null) return;
    const wait = this.lastDeliveryAt + this.batchMs - performance.now();
    if (wait <= 0) this.deliverSoon();
    else this.timer = setTimeout(this.deliver, wait);
  }

  private deliverSoon(): void {
    if (this.listeners.size === 0) return;
    if (this.immediate === null) this.immediate = setImmediate(this.deliver);
  }

  private readonly deliver = (): void => {
    if (this.immediate !== null) {
      clearImmediate(this.immediate);
      this.immediate = null;
    }
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    this.lastDeliveryAt = performance.now();
    let text = "";
    for (const frame of this.pending) {
      text += typeof frame === "string" ? frame : textDeltaFrame(frame.index, frame.delta, frame);
    }
    this.pending = [];
    this.openDeltas = [];
    const chunk = encodeSseText(text);
    this.frames.push(chunk);
    for (const listener of this.listeners) listener.onFrame(chunk);
  };

  /** Marks the run finished and lets every listener close its stream. */
  end(): void {
    if (this.finishedFlag) return;
    // Whatever is still pending goes out before the streams close.
    this.deliver();
    this.finishedFlag = true;
    for (const listener of this.listeners) listener.onEnd();
    this.listeners.clear();
    this.resolveDone();
  }

  /**
   * Hands back everything so far and, unless the run is over, follows it live. Both happen in
   * one synchronous step, so no event can fall between the backlog and the first live frame.
   */
  subscribe(listener: RunListener): {
    backlog: Uint8Array[];
    finished: boolean;
    unsubscribe: () => void;
  } {
    // Pending frames count as said: a subscriber that joins now gets them in its backlog.
    this.deliver();
    const backlog = [...this.frames];
    if (this.finishedFlag) return { backlog, finished: true, unsubscribe: () => undefined };
    this.listeners.add(listener);
    return { backlog, finished: false, unsubscribe: () => this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Aborts every call still running; returns how many were aborted. */
  cancel(): number {
    let aborted = 0;
    for (const call of this.calls) {
      if (call.status === "running" && !call.controller.signal.aborted) {
        call.controller.abort();
        aborted += 1;
      }
    }
    return aborted;
  }
}
