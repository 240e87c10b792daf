/**
 * The process-wide call exporter, configured from the standard OpenTelemetry variables
 * (`telemetryConfig()` in lib/env.ts): `null` when no OTLP endpoint is set. The recorder feeds
 * it (lib/tracing); `GET /api/health` shows its counts. Kept on `globalThis` like the recorder,
 * so a dev reload does not start a second batch processor.
 */
import "server-only";
import { telemetryConfig } from "@/lib/env";
import { CallExporter, type CallExporterStats } from "./call-exporter";

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

/** What `GET /api/health` reports as `telemetry`: the exporter's counts, or that it is off. */
export function callExportHealth(): (CallExporterStats & { enabled: true }) | { enabled: false } {
  const exporter = getCallExporter();
  return exporter ? { enabled: true, ...exporter.stats } : { enabled: false };
}
