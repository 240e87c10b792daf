/**
 * The process-wide call exporter, configured from the standard OpenTelemetry variables
 * (`telemetryConfig()` in lib/env.ts): `null` when no OTLP endpoint is set. The recorder feeds
 * it (lib/tracing); `GET /api/health` shows its counts. Kept on `globalThis` like the recorder,
 * so a dev reload does not start a second batch processor.
 */
import "server-only";
import type { CallRow } from "@/lib/db/schema";
import { telemetryConfig } from "@/lib/env";
import { CallExporter, type CallExporterStats } from "./call-exporter";
import type { ExportableCall } from "./call-span";

export { CallExporter, type CallExporterStats } from "./call-exporter";
export type { ExportableCall } from "./call-span";

const globalStore = globalThis as typeof globalThis & {
  __locusPlaygroundCallExporter?: { exporter: CallExporter | null };
};

export function getCallExporter(): CallExporter | null {
  const current = globalStore.__locusPlaygroundCallExporter;
  if (current) return current.exporter;
  const config = telemetryConfig();
  const exporter = config
    ? new CallExporter({
        url: config.url,
        headers: config.headers,
        serviceName: config.serviceName,
        timeoutMs: config.timeoutMs,
        batchDelayMs: config.batchDelayMs,
        maxQueued: config.maxQueued,
      })
    : null;
  globalStore.__locusPlaygroundCallExporter = { exporter };
  return exporter;
}

/** A call a crash left running, as crash recovery stored it: it ends now, when found. */
export function interruptedCallOf(row: CallRow, endedAt: Date): ExportableCall {
  return {
    callId: row.id,
    runId: row.runId,
    model: row.model,
    provider: row.provider,
    modelId: row.modelId,
    responseModel: null,
    source: row.source,
    startedAt: row.startedAt,
    endedAt: endedAt < row.startedAt ? row.startedAt : endedAt,
    ttftMs: row.ttftMs,
    status: "interrupted",
    stopReason: null,
    rawStopReason: null,
    errorKind: null,
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite5mTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    costUsd: row.costUsd,
    keyName: row.keyName,
    tags: row.tags ?? [],
  };
}

/** Exports the calls crash recovery just marked `interrupted`: they end here, once. */
export function exportInterruptedCalls(rows: CallRow[]): void {
  const exporter = getCallExporter();
  if (!exporter) return;
  const now = new Date();
  for (const row of rows) exporter.export(interruptedCallOf(row, now));
}

/** What `GET /api/health` reports as `telemetry`: the exporter's counts, or that it is off. */
export function callExportHealth(): (CallExporterStats & { enabled: true }) | { enabled: false } {
  const exporter = getCallExporter();
  return exporter ? { enabled: true, ...exporter.stats } : { enabled: false };
}
