"use client";

import { type Dispatch, useCallback, useMemo, useRef } from "react";
import { readApiError } from "@/lib/ui/api-error";
import type { PlaygroundAction } from "@/lib/ui/playground-state";
import { parseRunEvent, type RunEvent } from "@/lib/ui/run-events";
import type { PlannedRun } from "@/lib/ui/run-plan";
import { readSseData } from "@/lib/ui/sse-parser";

/** Deltas are applied in batches: a render per ~frame, however fast the tokens arrive. */
const FLUSH_INTERVAL_MS = 32;
const REATTACH_ATTEMPTS = 5;

export interface RunStreams {
  /** Sends one planned run and follows its events. */
  start: (run: PlannedRun) => Promise<void>;
  /** Follows a run already going (after a reload): `/events` replays it, then goes live. */
  reattach: (runId: string) => Promise<void>;
  /** Cancels these runs, and any run started before now whose id has not arrived yet. */
  cancel: (runIds: string[]) => Promise<void>;
  /** Stops reading (the runs themselves keep going on the server). */
  detachAll: () => void;
}

export function useRunStreams(options: {
  dispatch: Dispatch<PlaygroundAction>;
  onRunFinished: (runId: string) => void;
}): RunStreams {
  const { dispatch } = options;
  const onRunFinished = useRef(options.onRunFinished);
  onRunFinished.current = options.onRunFinished;
  const controllers = useRef(new Set<AbortController>());
  const buffers = useRef(new Map<string, RunEvent[]>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // "Stop all" may come before a run's id does: runs started up to this number are stopped
  // as soon as their `run-start` arrives.
  const startedRuns = useRef(0);
  const stoppedThrough = useRef(0);

  const flush = useCallback(() => {
    timer.current = null;
    const now = Date.now();
    const pending = buffers.current;
    buffers.current = new Map();
    for (const [runId, events] of pending) {
      if (events.length > 0) dispatch({ type: "run-events", runId, events, now });
    }
  }, [dispatch]);

  const enqueue = useCallback(
    (runId: string, event: RunEvent) => {
      const events = buffers.current.get(runId) ?? [];
      events.push(event);
      buffers.current.set(runId, events);
      // A call's end (and its last text, queued before it) is shown at once, not a batch later.
      if (event.type === "call-finish" || event.type === "run-finish") {
        if (timer.current !== null) clearTimeout(timer.current);
        flush();
      } else if (timer.current === null) timer.current = setTimeout(flush, FLUSH_INTERVAL_MS);
    },
    [flush],
  );

  /** Reads events until the stream ends; says whether `run-finish` was among them. */
  const follow = useCallback(
    async (options: {
      response: Response;
      signal: AbortSignal;
      onRunStart?: (runId: string) => void;
      runId?: string;
    }): Promise<{ runId: string | null; finished: boolean }> => {
      let runId = options.runId ?? null;
      let finished = false;
      if (!options.response.body) return { runId, finished };
      try {
        for await (const data of readSseData(options.response.body, options.signal)) {
          const event = parseRunEvent(data);
          if (!event) continue;
          if (event.type === "run-start" && runId === null) {
            runId = event.runId;
            options.onRunStart?.(runId);
          }
          if (runId === null) continue;
          enqueue(runId, event);
          if (event.type === "run-finish") finished = true;
        }
      } catch {
        // A dropped connection: the caller reattaches.
      }
      if (finished && runId !== null) {
        flush();
        onRunFinished.current(runId);
      }
      return { runId, finished };
    },
    [enqueue, flush],
  );

  const track = useCallback(() => {
    const controller = new AbortController();
    controllers.current.add(controller);
    return {
      signal: controller.signal,
      release: () => controllers.current.delete(controller),
    };
  }, []);

  const reattach = useCallback(
    async (runId: string) => {
      const { signal, release } = track();
      try {
        for (let attempt = 0; attempt < REATTACH_ATTEMPTS && !signal.aborted; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
          let response: Response;
          try {
            response = await fetch(`/api/runs/${encodeURIComponent(runId)}/events`, {
              signal,
              cache: "no-store",
            });
          } catch {
            continue;
          }
          if (!response.ok) {
            if (response.status >= 500) continue;
            const error = await readApiError(response);
            dispatch({ type: "fail-run", runId, error, now: Date.now() });
            return;
          }
          // Whatever was buffered from the old stream is superseded by the replay.
          buffers.current.delete(runId);
          dispatch({ type: "replay-reset", runId });
          const result = await follow({ response, signal, runId });
          if (result.finished) return;
        }
        if (!signal.aborted) {
          dispatch({
            type: "fail-run",
            runId,
            error: { code: "connection", message: "lost the connection to this run" },
            now: Date.now(),
          });
        }
      } finally {
        release();
      }
    },
    [dispatch, follow, track],
  );

  const cancelRun = useCallback(async (runId: string) => {
    await fetch(`/api/runs/${encodeURIComponent(runId)}/cancel`, { method: "POST" }).catch(
      () => undefined,
    );
  }, []);

  const start = useCallback(
    async (run: PlannedRun) => {
      startedRuns.current += 1;
      const runNumber = startedRuns.current;
      const { signal, release } = track();
      const fail = (error: { code: string; message: string }) =>
        dispatch({ type: "fail-turns", turnIds: run.turnIds, error, now: Date.now() });
      try {
        let response: Response;
        try {
          response = await fetch("/api/runs", {
            method: "POST",
            headers: { "content-type": "application/json", accept: "text/event-stream" },
            body: JSON.stringify(run.body),
            signal,
          });
        } catch {
          if (!signal.aborted) {
            fail({ code: "connection", message: "could not reach the playground server" });
          }
          return;
        }
        if (!response.ok) {
          fail(await readApiError(response));
          return;
        }
        const result = await follow({
          response,
          signal,
          onRunStart: (runId) => {
            dispatch({
              type: "attach-run",
              runId,
              calls: run.turnIds.map((turnId, index) => ({ index, turnId })),
            });
            if (runNumber <= stoppedThrough.current) void cancelRun(runId);
          },
        });
        if (signal.aborted || result.finished) return;
        if (result.runId === null) {
          fail({ code: "connection", message: "the run's stream ended before it started" });
          return;
        }
        release();
        await reattach(result.runId);
      } finally {
        release();
      }
    },
    [cancelRun, dispatch, follow, reattach, track],
  );

  const cancel = useCallback(
    async (runIds: string[]) => {
      stoppedThrough.current = startedRuns.current;
      await Promise.all(runIds.map(cancelRun));
    },
    [cancelRun],
  );

  const detachAll = useCallback(() => {
    for (const controller of controllers.current) controller.abort();
    controllers.current.clear();
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    buffers.current = new Map();
  }, []);

  return useMemo(
    () => ({ start, reattach, cancel, detachAll }),
    [start, reattach, cancel, detachAll],
  );
}
