/**
 * A local OTLP/HTTP traces receiver on 127.0.0.1 for the export tests: it decodes the JSON
 * export requests it is sent into spans with plain attribute values. With `answer: false` it
 * reads every request and never answers, like a collector that hangs.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}

interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

export interface OtlpSpan {
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status?: { code?: number };
}

export interface ReceivedSpan {
  span: OtlpSpan;
  /** The resource's attributes (`service.name`, …). */
  resource: Record<string, unknown>;
}

export interface OtlpReceiver {
  /** The traces URL (`…/v1/traces`). */
  url: string;
  /** The origin, for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  origin: string;
  spans: ReceivedSpan[];
  /** Each export request's headers, in arrival order. */
  requests: IncomingHttpHeaders[];
  close: () => Promise<void>;
}

function plain(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return value.arrayValue.values.map(plain);
  return undefined;
}

/** A span's (or resource's) attributes as a plain object. */
export function attributesOf(source: { attributes?: OtlpAttribute[] }): Record<string, unknown> {
  return Object.fromEntries((source.attributes ?? []).map(({ key, value }) => [key, plain(value)]));
}

export async function startOtlpReceiver(options: { answer: boolean }): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const requests: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      requests.push(request.headers);
      const decoded = JSON.parse(body) as {
        resourceSpans: Array<{
          resource?: { attributes?: OtlpAttribute[] };
          scopeSpans: Array<{ spans: OtlpSpan[] }>;
        }>;
      };
      for (const resourceSpans of decoded.resourceSpans) {
        const resource = attributesOf(resourceSpans.resource ?? {});
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) spans.push({ span, resource });
        }
      }
      if (options.answer) response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1/traces`,
    origin,
    spans,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
