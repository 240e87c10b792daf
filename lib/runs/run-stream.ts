/**
 * The SSE body of a run: what happened so far, then live frames until `run-finish`. When the
 * client goes away the listener is simply detached; the run itself is not touched.
 */
import { encodeSseEvent, SSE_HEARTBEAT } from "@/lib/http/sse";
import { concatenateFrames, type LiveRun } from "./live-run";
import type { RunEvent } from "./run-events";

const HEARTBEAT_INTERVAL_MS = 15_000;

export function liveRunStream(
  run: LiveRun,
  options: { signal?: AbortSignal; heartbeatMs?: number } = {},
): ReadableStream<Uint8Array> {
  let detach: () => void = () => undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let heartbeat: ReturnType<typeof setInterval> | null = null;
      let unsubscribe: () => void = () => undefined;
      let detached = false;
      detach = () => {
        if (detached) return;
        detached = true;
        unsubscribe();
        if (heartbeat !== null) clearInterval(heartbeat);
        options.signal?.removeEventListener("abort", detach);
      };
      const close = () => {
        detach();
        try {
          controller.close();
        } catch {
          // Already closed or cancelled by the client.
        }
      };
      const subscription = run.subscribe({
        onFrame: (frame) => {
          try {
            controller.enqueue(frame);
          } catch {
            detach();
          }
        },
        onEnd: close,
      });
      unsubscribe = subscription.unsubscribe;
      if (subscription.backlog.length > 0)
        controller.enqueue(concatenateFrames(subscription.backlog));
      if (subscription.finished) {
        close();
        return;
      }
      heartbeat = setInterval(() => {
        try {
          controller.enqueue(SSE_HEARTBEAT);
        } catch {
          detach();
        }
      }, options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
      heartbeat.unref?.();
      if (options.signal?.aborted) detach();
      else options.signal?.addEventListener("abort", detach, { once: true });
    },
    cancel() {
      detach();
    },
  });
}

/** A finished run rebuilt from the database, sent in one piece. */
export function recordedRunStream(events: RunEvent[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(concatenateFrames(events.map((event) => encodeSseEvent(event))));
      controller.close();
    },
  });
}
