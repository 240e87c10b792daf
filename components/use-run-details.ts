"use client";

import { useCallback, useRef, useState } from "react";
import { isSettled, parseRunDetail, type RunDetail } from "@/lib/ui/run-detail";

/**
 * `GET /api/runs/:id`, cached per run: the Inspect view and the "not sent" note both read it.
 * A run is fetched once its calls are recorded; the recorder may lag the stream by a moment,
 * so an unsettled answer is fetched again shortly after.
 */
export function useRunDetails(): {
  details: Record<string, RunDetail>;
  load: (runId: string) => Promise<RunDetail | null>;
} {
  const [details, setDetails] = useState<Record<string, RunDetail>>({});
  const inFlight = useRef(new Map<string, Promise<RunDetail | null>>());

  const load = useCallback((runId: string) => {
    const pending = inFlight.current.get(runId);
    if (pending) return pending;
    const request = (async () => {
      try {
        for (let attempt = 0; attempt < 4; attempt += 1) {
          const response = await fetch(`/api/runs/${encodeURIComponent(runId)}`, {
            cache: "no-store",
          });
          if (!response.ok) return null;
          const detail = parseRunDetail(await response.json());
          if (!detail) return null;
          setDetails((current) => ({ ...current, [runId]: detail }));
          const settled = detail.calls.every(
            (call) => isSettled(call) || call.status === "error" || call.status === "cancelled",
          );
          if (settled) return detail;
          await new Promise((resolve) => setTimeout(resolve, 400 * (attempt + 1)));
        }
        return null;
      } catch {
        return null;
      } finally {
        inFlight.current.delete(runId);
      }
    })();
    inFlight.current.set(runId, request);
    return request;
  }, []);

  return { details, load };
}
