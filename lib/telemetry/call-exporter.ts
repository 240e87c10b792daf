/**
 * Exports recorded calls as OTLP/HTTP spans with the official OpenTelemetry SDK. Fed by the
 * recorder once a call is in the database, never by the request path: `export()` only builds a
 * span and queues it, and the SDK's batch processor sends batches on a timer. The queue is
 * bounded, counting the spans still being sent, so a slow or unreachable collector can never
 * hold more than `maxQueued` spans in memory; what does not fit is dropped and counted.
 */
import { type Span, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { callSpan, type ExportableCall } from "./call-span";

export interface CallExporterOptions {
  /** The collector's traces URL, e.g. `http://collector:4318/v1/traces`. */
  url: string;
  headers?: Record<string, string>;
  serviceName?: string;
  maxQueued?: number;
  batchDelayMs?: number;
  timeoutMs?: number;
}

export interface CallExporterStats {
  exported: number;
  failed: number;
  dropped: number;
  queued: number;
}

/** Counts what the SDK's exporter sends and fails, so the bound can include spans in flight. */
class CountingExporter implements SpanExporter {
  exported = 0;
  failed = 0;
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: Parameters<SpanExporter["export"]>[1]): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else this.failed += spans.length;
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export class CallExporter {
  private readonly provider: BasicTracerProvider;
  private readonly exporter: CountingExporter;
  private readonly maxQueued: number;
  private accepted = 0;
  private dropped = 0;

  constructor(options: CallExporterOptions) {
    this.maxQueued = options.maxQueued ?? 2048;
    this.exporter = new CountingExporter(
      new OTLPTraceExporter({
        url: options.url,
        headers: options.headers ?? {},
        timeoutMillis: options.timeoutMs ?? 10_000,
      }),
    );
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        "service.name": options.serviceName ?? "locus-playground",
      }),
      spanProcessors: [
        new BatchSpanProcessor(this.exporter, {
          maxQueueSize: this.maxQueued,
          maxExportBatchSize: Math.min(512, this.maxQueued),
          scheduledDelayMillis: options.batchDelayMs ?? 1_000,
          exportTimeoutMillis: options.timeoutMs ?? 10_000,
        }),
      ],
    });
  }

  get stats(): CallExporterStats {
    return {
      exported: this.exporter.exported,
      failed: this.exporter.failed,
      dropped: this.dropped,
      queued: this.accepted - this.exporter.exported - this.exporter.failed,
    };
  }

  /** Queues one call's span; never throws, never waits. */
  export(call: ExportableCall): void {
    if (this.stats.queued >= this.maxQueued) {
      this.dropped += 1;
      return;
    }
    try {
      const shape = callSpan(call);
      const span: Span = this.provider.getTracer("locus-playground").startSpan(shape.name, {
        kind: SpanKind.CLIENT,
        startTime: shape.startTime,
        attributes: shape.attributes,
      });
      if (shape.error) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end(shape.endTime);
      this.accepted += 1;
    } catch {
      this.dropped += 1;
    }
  }

  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}
