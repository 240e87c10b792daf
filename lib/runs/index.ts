/**
 * The process-wide run manager. It lives on `globalThis` so that every route handler (and
 * every module copy dev-mode hot reloading makes) sees the same live runs.
 */
import "server-only";
import { providerEnvironment, retryPolicy } from "@/lib/env";
import { getImageStore } from "@/lib/images";
import { getTracer } from "@/lib/tracing";
import { RunManager } from "./run-manager";

export { LiveRun } from "./live-run";
export type { RunEvent, RunUsage } from "./run-events";
export { RunManager, type RunManagerOptions, UNWATCHED_RUN_RETENTION_MS } from "./run-manager";
export { parseRunRequest, type RunRequest } from "./run-request";

const globalStore = globalThis as typeof globalThis & { __locusPlaygroundRuns?: RunManager };

export function getRunManager(): RunManager {
  if (!globalStore.__locusPlaygroundRuns) {
    globalStore.__locusPlaygroundRuns = new RunManager({
      tracer: getTracer(),
      environment: providerEnvironment(),
      retry: retryPolicy(),
      readImage: (imageId) => getImageStore().read(imageId),
    });
  }
  return globalStore.__locusPlaygroundRuns;
}
